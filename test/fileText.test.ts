// A chunked document must read exactly as the string it stands for, after any sequence of edits:
// chunks of whole lines, bounded in size, whatever is typed, pasted or deleted across them.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { ChunkedText } from '../server/src/engine';
import { random } from './harness';

/** Tree-sitter's point of an offset, counted from the top (rows end at \n only). */
function pointIn(text: string, offset: number): { row: number; column: number } {
  const before = text.slice(0, offset);
  return { row: before.split('\n').length - 1, column: offset - (before.lastIndexOf('\n') + 1) };
}

/**
 * The chunk boundaries, read through chunkFrom: each chunk but the last must end with a line feed,
 * and reads across a boundary must agree with `reference`.
 */
function chunkLengths(text: ChunkedText, reference?: string): number[] {
  const lengths: number[] = [];
  for (let at = 0; at < text.length; ) {
    const chunk = text.chunkFrom(at);
    assert.ok(chunk.length > 0, `empty chunk at ${at}`);
    if (reference !== undefined) {
      assert.deepEqual(text.point(at), pointIn(reference, at), `point at the chunk start ${at}`);
      assert.equal(text.slice(at - 2, at + 2), reference.slice(Math.max(0, at - 2), at + 2), `slice across ${at}`);
    }
    lengths.push(chunk.length);
    at += chunk.length;
    assert.ok(at === text.length || chunk.endsWith('\n'), `a chunk ending at ${at} does not end a line`);
  }
  return lengths;
}

const LINES = ['\tx := 1\n', 'func f() {\n', '}\n', '\r\n', '\n', '// é🚀 日本\n', '\t\tdefer mu.Unlock()\n'];

it('reads as the string it stands for over 3,000 random edits of a 300 KB document', () => {
  const next = random(20261201);
  const line = () => LINES[Math.floor(next() * LINES.length)];
  let reference = Array.from({ length: 30_000 }, line).join('');
  let text = ChunkedText.of(reference);
  for (let i = 0; i < 3_000; i++) {
    const start = Math.floor(next() * (reference.length + 1));
    const kind = next();
    // Mostly keystrokes; sometimes a line, a paste of 40 KB (several chunks), or a deletion of up to 50 KB.
    const end = kind < 0.9 ? Math.min(reference.length, start + Math.floor(next() * 3)) : Math.min(reference.length, start + Math.floor(next() * 50_000));
    const inserted = kind < 0.7 ? 'xé\n'.slice(0, Math.floor(next() * 4)) : kind < 0.95 ? line() : Array.from({ length: 3_000 }, line).join('');
    reference = reference.slice(0, start) + inserted + reference.slice(end);
    text = text.edit(start, end, inserted);
    const when = `after edit ${i} (${JSON.stringify({ start, end, inserted: inserted.slice(0, 20) })})`;
    assert.equal(text.length, reference.length, when);
    const a = Math.floor(next() * (reference.length + 1));
    const b = Math.min(reference.length, a + Math.floor(next() * 70_000));
    assert.equal(text.slice(a, b), reference.slice(a, b), `slice ${a}-${b} ${when}`);
    assert.equal(text.charCodeAt(a), reference.charCodeAt(a), `char ${a} ${when}`);
    assert.deepEqual(text.point(a), pointIn(reference, a), `point of ${a} ${when}`);
    if (i % 100 === 0) {
      assert.equal(text.toString(), reference, when);
      const lengths = chunkLengths(text, reference);
      // Below V8's large-object size (64 K two-byte characters): no line here is that long.
      assert.ok(Math.max(...lengths) <= 32 * 1024, `a chunk of ${Math.max(...lengths)} characters ${when}`);
      assert.ok(lengths.length <= Math.ceil(reference.length / 8_000) + 2, `${lengths.length} chunks for ${reference.length} characters ${when}`);
    }
  }
});

it('answers at its ends and when empty as a string does', () => {
  const text = ChunkedText.of('ab\ncd');
  assert.equal(text.slice(), 'ab\ncd');
  assert.equal(text.slice(3), 'cd');
  assert.equal(text.slice(4, 99), 'd');
  assert.equal(text.slice(3, 2), '');
  assert.ok(Number.isNaN(text.charCodeAt(5)));
  assert.ok(Number.isNaN(text.charCodeAt(-1)));
  assert.equal(text.chunkFrom(5), '');
  assert.deepEqual(text.point(5), { row: 1, column: 2 });
  const emptied = text.edit(0, 5, '');
  assert.equal(emptied.length, 0);
  assert.equal(emptied.toString(), '');
  assert.deepEqual(emptied.point(0), { row: 0, column: 0 });
  assert.equal(emptied.edit(0, 0, 'x\n').toString(), 'x\n');
  assert.equal(ChunkedText.of('').edit(0, 0, 'package p\n').slice(0, 7), 'package');
});

it('keeps a line longer than a chunk whole, and finds a pattern only where a string has it', () => {
  const long = `var table = "${'x'.repeat(100_000)}"\n`;
  const text = ChunkedText.of(`package p\n${'// c\n'.repeat(10_000)}${long}//waitguard:ignore here\n`);
  assert.ok(chunkLengths(text).includes(long.length), 'the long line is one chunk');
  assert.ok(text.someLine(/waitguard:ignore/));
  assert.ok(!text.someLine(/waitguard:ignore there/));
  const edited = text.edit(text.length - 5, text.length, 'there\n');
  assert.ok(edited.someLine(/waitguard:ignore there/));
  assert.ok(text.someLine(/waitguard:ignore here/), 'an edit leaves the version it was made on as it was');
});
