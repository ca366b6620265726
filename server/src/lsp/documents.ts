import { TextDocument, type Range, type TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';
import { TextDocuments } from 'vscode-languageserver/node';
import { Edit, FileAnalyzer, FileSkipped, type Finding, type GoParser, LineIndex, type Tree } from '../engine';
import { uriToPath } from './uris';

/**
 * Documents longer than this are not analysed as they are typed. Go files this large are
 * generated; analysing one would stall every keystroke for seconds and grow WebAssembly memory,
 * which never shrinks, by tens of megabytes per megabyte of source.
 */
const MAX_DOCUMENT_CHARS = 2 * 2 ** 20;

export class DocumentTooLarge extends FileSkipped {
  constructor(chars: number) {
    super(`${(chars / 2 ** 20).toFixed(1)} MB, over the ${MAX_DOCUMENT_CHARS / 2 ** 20} MB analysed as you type (the CLI and the workspace scan analyse it)`);
  }
}

/** A Go document open in the editor with its syntax tree, kept in step with every edit. */
export class GoDocument {
  /** The tree of the last parse; edited (not yet reparsed) while `stale`. */
  tree: Tree | undefined;
  stale = true;
  /** Findings of `analysedVersion`, before settings are applied. */
  findings: Finding[] = [];
  analysedVersion = -1;
  /** Why the last analysis was skipped, once logged (so that every keystroke does not log it again). */
  skipped: string | undefined;
  /** Lines of the current text (analyses publish right after they run, before any newer change arrives). */
  lines: LineIndex;
  readonly analyzer: FileAnalyzer;
  readonly path: string;

  constructor(
    readonly doc: TextDocument,
    onRuleError: ConstructorParameters<typeof FileAnalyzer>[1],
  ) {
    this.path = uriToPath(doc.uri) ?? doc.uri;
    this.analyzer = new FileAnalyzer(this.path, onRuleError);
    this.lines = new LineIndex(doc.getText());
  }

  /**
   * Applies LSP content changes in order: each becomes a tree-sitter edit of the current tree,
   * computed against the text as it is before that change (TextDocument.update mutates it).
   */
  applyChanges(changes: readonly TextDocumentContentChangeEvent[], version: number): void {
    for (const change of changes) {
      if ('range' in change) {
        const edit = toEdit(this.doc, change);
        this.tree?.edit(edit);
        TextDocument.update(this.doc, [change], version);
        this.lines.edit(edit.startIndex, edit.oldEndIndex, change.text, this.doc.getText());
      } else {
        // A full-text change cannot be mapped onto the old tree: parse afresh.
        this.tree?.delete();
        this.tree = undefined;
        TextDocument.update(this.doc, [change], version);
        this.lines = new LineIndex(this.doc.getText());
      }
    }
    this.stale = true;
  }

  /** Reparses incrementally from the edited tree; throws ParseTimeout on pathological input, DocumentTooLarge past the size limit. */
  reparse(parser: GoParser): Tree {
    if (this.tree && !this.stale) return this.tree;
    const text = this.doc.getText();
    if (text.length > MAX_DOCUMENT_CHARS) {
      this.tree?.delete();
      this.tree = undefined;
      throw new DocumentTooLarge(text.length);
    }
    const next = parser.parse(text, this.tree);
    this.tree?.delete();
    this.tree = next;
    this.stale = false;
    return next;
  }

  dispose(): void {
    this.tree?.delete();
    this.tree = undefined;
  }
}

/**
 * Open documents with incremental sync: each content change becomes a tree-sitter edit on the
 * document's tree, computed against the text as it was before that change.
 */
export function createDocuments(wrap: (doc: TextDocument) => GoDocument, byUri: Map<string, GoDocument>): TextDocuments<TextDocument> {
  return new TextDocuments<TextDocument>({
    create(uri, languageId, version, content) {
      const doc = TextDocument.create(uri, languageId, version, content);
      byUri.set(uri, wrap(doc));
      return doc;
    },
    update(doc, changes, version) {
      const state = byUri.get(doc.uri);
      if (state) state.applyChanges(changes, version);
      else TextDocument.update(doc, changes, version);
      return doc;
    },
  });
}

function toEdit(doc: TextDocument, change: { range: Range; text: string }): Edit {
  const text = doc.getText();
  const startIndex = doc.offsetAt(change.range.start);
  const oldEndIndex = doc.offsetAt(change.range.end);
  const startPosition = pointAt(text, startIndex);
  return new Edit({
    startIndex,
    oldEndIndex,
    newEndIndex: startIndex + change.text.length,
    startPosition,
    // From the start point, not by counting lines from the top again (70 µs on a 7,000-line file).
    oldEndPosition: endPoint(startPosition, text.slice(startIndex, oldEndIndex)),
    newEndPosition: endPoint(startPosition, change.text),
  });
}

/**
 * Tree-sitter's point for an offset: rows count only \n (LSP lines also break at a lone \r),
 * columns are UTF-16 code units.
 */
function pointAt(text: string, offset: number): { row: number; column: number } {
  let row = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) row++;
  const lineStart = offset === 0 ? 0 : text.lastIndexOf('\n', offset - 1) + 1;
  return { row, column: offset - lineStart };
}

/** Where `span` (text inserted or removed) ends when it starts at `start`, in tree-sitter rows and UTF-16 columns. */
function endPoint(start: { row: number; column: number }, span: string): { row: number; column: number } {
  const lastNewline = span.lastIndexOf('\n');
  if (lastNewline < 0) return { row: start.row, column: start.column + span.length };
  let rows = 0;
  for (let i = 0; i < span.length; i++) if (span.charCodeAt(i) === 10) rows++;
  return { row: start.row + rows, column: span.length - lastNewline - 1 };
}
