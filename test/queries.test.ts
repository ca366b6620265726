// Every query in grammars/queries compiles against the shipped Go grammar and is used.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';
import { query, QUERY_SOURCES, type QueryName } from '../server/src/engine/syntax/queries';
import { goParser, ROOT } from './harness';

it('compiles every query of grammars/queries against tree-sitter-go', async () => {
  const { language } = await goParser();
  const dir = join(ROOT, 'grammars', 'queries');
  const files = readdirSync(dir).filter((f) => f.endsWith('.scm'));
  assert.deepEqual(files.map((f) => f.replace(/\.scm$/, '')).sort(), Object.keys(QUERY_SOURCES).sort(), 'every .scm file is registered');
  for (const file of files) {
    const name = file.replace(/\.scm$/, '') as QueryName;
    assert.equal(QUERY_SOURCES[name], readFileSync(join(dir, file), 'utf8'));
    const q = query(language, name);
    assert.ok(q.captureNames.length > 0, `${file} captures nothing`);
  }
});
