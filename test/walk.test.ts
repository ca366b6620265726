// Lowering walks trees by calling web-tree-sitter's WebAssembly directly (syntax/walk.ts): it must
// read exactly what the library's own TreeCursor reads, and leave the library's state sound.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getHeapStatistics } from 'node:v8';
import { it } from 'node:test';
import { TreeCursor, type Node as TSNode } from 'web-tree-sitter';
import { walk, type Walk } from '../server/src/engine/syntax/walk';
import { goFilesIn, goParser, TESTDATA } from './harness';

/** Every node of the tree in pre-order: depth, type id, field id, start and end. */
function visit(cursor: Walk): number[] {
  const seen: number[] = [];
  let depth = 0;
  try {
    for (;;) {
      seen.push(depth, cursor.nodeTypeId, cursor.currentFieldId, cursor.startIndex, cursor.endIndex);
      if (cursor.gotoFirstChild()) {
        depth++;
        continue;
      }
      while (!cursor.gotoNextSibling()) {
        if (!cursor.gotoParent()) return seen;
        depth--;
      }
    }
  } finally {
    cursor.delete();
  }
}

function sources(): string[] {
  const fixtures = readdirSync(TESTDATA).flatMap((rule) => goFilesIn(join(TESTDATA, rule)).map((path) => readFileSync(path, 'utf8')));
  // Broken code (ERROR and MISSING nodes), and nesting deep enough to make tree-sitter grow the cursor's stack many times.
  const broken = fixtures.map((text) => text.slice(0, text.length >> 1) + '\n}{ go func( defer');
  const deep = `package p\nvar x = ${'f('.repeat(300)}1${')'.repeat(300)}\nfunc g() { ${'{ '.repeat(200)}${'} '.repeat(200)}}\n`;
  return [...fixtures, ...broken, deep];
}

it('walks every tree exactly as the library cursor does, without the library cursor', async () => {
  const parser = await goParser();
  let nodes = 0;
  for (const text of sources()) {
    const tree = parser.parse(text);
    const roots: TSNode[] = [tree.rootNode, ...tree.rootNode.children.filter((c): c is TSNode => c !== null)];
    for (const root of roots) {
      const direct = walk(root);
      assert.ok(!(direct instanceof TreeCursor), 'web-tree-sitter exposes the cursor functions walk calls directly');
      // One walk at a time: a direct walk keeps its cursor in the library's transfer buffer.
      const actual = visit(direct);
      const expected = visit(walk(root, true));
      assert.deepEqual(actual, expected);
      nodes += expected.length / 5;
    }
    // The library keeps working on the same tree after the direct walks freed their cursors.
    assert.equal(tree.rootNode.descendantCount, roots[0].descendantCount);
    tree.delete();
  }
  assert.ok(nodes > 50_000, `walked ${nodes} nodes`);
});

it('frees the cursor of every walk', async () => {
  const parser = await goParser();
  const tree = parser.parse(`package p\nvar x = ${'f('.repeat(2000)}1${')'.repeat(2000)}\n`);
  const wasmMemory = () => getHeapStatistics().external_memory;
  visit(walk(tree.rootNode));
  const before = wasmMemory();
  for (let i = 0; i < 300; i++) visit(walk(tree.rootNode));
  const grown = wasmMemory() - before;
  tree.delete();
  assert.ok(grown < 1 << 20, `WebAssembly memory grew by ${grown} bytes`);
});
