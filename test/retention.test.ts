// What an editor's analyzer and package index remember across versions (declarations by text,
// lowered trees, facts) must not hold on to the documents they were read from: V8 keeps a whole
// string alive for any slice of it, and a long editing session makes thousands of versions.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { FileAnalyzer, indexFile, PackageIndex } from '../server/src/engine';
import { goParser } from './harness';

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

function heapAfterGc(): number {
  collectGarbage();
  return process.memoryUsage().heapUsed;
}

it('keeps no earlier version of an edited document alive', async () => {
  const parser = await goParser();
  // A large comment makes every version of the document weigh about 480 KB.
  const comment = `// ${'x'.repeat(77)}\n`.repeat(6_000);
  const FUNCTIONS = 60;
  const func = (i: number, edited: boolean) => `type T${i} struct{ wg sync.WaitGroup }\n\nfunc (t *T${i}) Run${i}(n int) {\n\tfor i := 0; i < n; i++ {\n\t\tt.wg.Add(1)\n\t\tgo func() {\n\t\t\tdefer t.wg.Done()${edited ? '\n\t\t\t_ = i' : ''}\n\t\t}()\n\t}\n\tt.wg.Wait()\n}\n`;
  // Version v has its first v functions edited: each version brings one new declaration text.
  const version = (v: number) => `package p\n\nimport "sync"\n\n${comment}\n${Array.from({ length: FUNCTIONS }, (_, i) => func(i, i < v)).join('\n')}`;
  const path = '/retention/p.go';
  const index = new PackageIndex('/retention', undefined, (text) => parser.parse(text));
  const analyzer = new FileAnalyzer(path);
  const analyse = (v: number) => {
    const text = version(v);
    const tree = parser.parse(text);
    try {
      indexFile(index, path, text, tree);
      return analyzer.analyze(tree, text, index);
    } finally {
      tree.delete();
    }
  };
  analyse(0);
  const before = heapAfterGc();
  for (let v = 1; v <= FUNCTIONS; v++) analyse(v);
  const grown = heapAfterGc() - before;
  // Sixty versions of the document weigh 29 MB; what is remembered of sixty functions, a few hundred KB.
  assert.ok(grown < 8 * 2 ** 20, `the heap grew by ${(grown / 2 ** 20).toFixed(1)} MB over ${FUNCTIONS} versions`);
});
