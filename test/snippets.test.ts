// Every snippet body, expanded with its placeholders' defaults, parses and is flagged by no rule.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';
import { analyzeSources, goParser, ROOT } from './harness';

interface Snippet {
  prefix: string;
  description: string;
  body: string[];
}

/** VS Code's expansion with defaults: `${1:wg}` → wg, `${1|a,b|}` → a, `$1`/`$0` → nothing. */
function expand(body: string[]): string {
  return body
    .join('\n')
    .replace(/\$\{\d+:([^}]*)\}/g, '$1')
    .replace(/\$\{\d+\|([^,|]*)[^}]*\}/g, '$1')
    .replace(/\$\d+/g, '');
}

const snippets: Record<string, Snippet> = JSON.parse(readFileSync(join(ROOT, 'snippets', 'go.json'), 'utf8'));
const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));

it('is contributed for Go', () => {
  assert.deepEqual(manifest.contributes.snippets, [{ language: 'go', path: './snippets/go.json' }]);
});

for (const [name, snippet] of Object.entries(snippets)) {
  it(`snippet "${name}" (${snippet.prefix}) expands to clean Go`, async () => {
    assert.ok(snippet.prefix && snippet.description.length > 20, 'prefix and description');
    const body = expand(snippet.body).replace(/^/gm, '\t');
    const file = `package p

import (
	"context"
	"os"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"
)

func process(ctx context.Context, item string) error { return nil }

func example(ctx context.Context, items []string, paths []string, mu *sync.Mutex) error {
	_, _, _ = os.Open, time.Second, errgroup.WithContext
${body}
	return nil
}
`;
    const tree = (await goParser()).parse(file);
    const broken = tree.rootNode.hasError;
    tree.delete();
    assert.ok(!broken, `does not parse:\n${file}`);
    // WaitGroup.Go needs go 1.25; below it, the classic Add/Done pattern is the safe one.
    const goVersion = /\bwg\b.*\.Go\(func\(\) \{/.test(body) ? '1.25' : '1.24';
    const [result] = await analyzeSources({ 'snippet.go': file }, { goVersion });
    assert.deepEqual(result.findings.map((f) => `${f.rule}: ${f.message}`), []);
  });
}
