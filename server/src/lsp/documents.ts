import type { Range, TextDocumentContentChangeEvent } from 'vscode-languageserver';
import { TextDocuments } from 'vscode-languageserver/node';
import { bracketsBalanced, ChunkedText, Edit, FileAnalyzer, FileSkipped, indexFile, LineIndex, type Finding, type GoParser, type PackageIndex, type Tree } from '../engine';
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

/**
 * A Go document open in the editor, with its syntax tree, kept in step with every edit. Its text
 * is chunked: a keystroke copies one chunk, never the whole document (see ChunkedText).
 */
export class GoDocument {
  text: ChunkedText;
  version: number;
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
  /** Edits since `findings` were brought up to date, in order. */
  private editsSinceFindings: { start: number; oldEnd: number; newEnd: number }[] = [];
  /**
   * Where the top-level declaration holding every edit since the last parse starts (in the
   * current text); -1 when they are not all in one, undefined when there is none.
   */
  private editedDeclaration: number | undefined;

  constructor(
    readonly uri: string,
    version: number,
    content: string,
    onRuleError: ConstructorParameters<typeof FileAnalyzer>[1],
  ) {
    this.path = uriToPath(uri) ?? uri;
    this.analyzer = new FileAnalyzer(this.path, onRuleError);
    this.version = version;
    this.text = ChunkedText.of(content);
    this.lines = new LineIndex(content);
  }

  /** Applies LSP content changes in order: each becomes a tree-sitter edit of the current tree, against the text before that change. */
  applyChanges(changes: readonly TextDocumentContentChangeEvent[], version: number): void {
    for (const change of changes) {
      if ('range' in change) {
        const edit = this.toEdit(change.range, change.text);
        this.tree?.edit(edit);
        this.noteEdit(edit);
        this.text = this.text.edit(edit.startIndex, edit.oldEndIndex, change.text);
        this.lines.edit(edit.startIndex, edit.oldEndIndex, change.text, this.text);
      } else {
        // A full-text change cannot be mapped onto the old tree: parse afresh.
        this.tree?.delete();
        this.tree = undefined;
        this.editedDeclaration = -1;
        this.text = ChunkedText.of(change.text);
        this.lines = new LineIndex(change.text);
      }
    }
    this.version = version;
    this.stale = true;
  }

  /**
   * Brings `findings` up to the current text: parses and analyses it, or, while every edit since
   * the last parse lies in one declaration whose brackets are open (a call being typed), carries
   * the other declarations' findings over. Tree-sitter would fold the rest of the file into that
   * declaration's error (reparsing a 7,000-line file took 110-160 ms per keystroke), and a
   * declaration with a syntax error has no findings.
   */
  update(parser: GoParser, index: PackageIndex): void {
    try {
      this.findings = this.carriedFindings() ?? this.analyse(parser, index);
    } finally {
      this.editsSinceFindings = [];
    }
  }

  private analyse(parser: GoParser, index: PackageIndex): Finding[] {
    const tree = this.reparse(parser);
    indexFile(index, this.path, this.text, tree);
    return this.analyzer.analyze(tree, this.text, index);
  }

  /** The findings moved by the edits since, without those in the edited declaration; undefined when it must be parsed. */
  private carriedFindings(): Finding[] | undefined {
    if (!this.tree || this.editedDeclaration === undefined || this.editedDeclaration < 0) return undefined;
    const declaration = this.tree.rootNode.firstChildForIndex(this.editedDeclaration);
    if (declaration?.startIndex !== this.editedDeclaration || bracketsBalanced(this.text.slice(declaration.startIndex, declaration.endIndex))) return undefined;
    const { startIndex, endIndex } = declaration;
    // An offset in text an edit replaced has no counterpart: what points there is dropped.
    const moved = (offset: number): number | undefined => {
      for (const e of this.editsSinceFindings) {
        if (offset >= e.oldEnd) offset += e.newEnd - e.oldEnd;
        else if (offset > e.start) return undefined;
      }
      return offset;
    };
    const place = <T extends { path: string; start: number; end: number }>(span: T): T | undefined => {
      if (span.path !== this.path) return span;
      const start = moved(span.start);
      const end = moved(span.end);
      return start === undefined || end === undefined || (start < endIndex && end > startIndex) ? undefined : { ...span, start, end };
    };
    return this.findings.flatMap((finding) => {
      const placed = place(finding);
      if (!placed) return [];
      const related = finding.related.flatMap((r) => place(r) ?? []);
      const fixes = finding.fixes.flatMap((fix) => {
        const edits = fix.edits.map(place);
        return edits.every((e) => e !== undefined) ? [{ ...fix, edits }] : [];
      });
      return [{ ...placed, related, fixes }];
    });
  }

  /** Notes which top-level declaration an edit of the tree falls in (the tree's offsets already follow the edit). */
  private noteEdit(edit: Edit): void {
    this.editsSinceFindings.push({ start: edit.startIndex, oldEnd: edit.oldEndIndex, newEnd: edit.newEndIndex });
    if (!this.tree || this.editedDeclaration === -1) return;
    const holder = this.tree.rootNode.firstChildForIndex(edit.startIndex);
    const start = holder && holder.startIndex <= edit.startIndex && edit.newEndIndex <= holder.endIndex ? holder.startIndex : -1;
    this.editedDeclaration = this.editedDeclaration === undefined || this.editedDeclaration === start ? start : -1;
  }

  /** Reparses incrementally from the edited tree; throws ParseTimeout on pathological input, DocumentTooLarge past the size limit. */
  reparse(parser: GoParser): Tree {
    if (this.tree && !this.stale) return this.tree;
    if (this.text.length > MAX_DOCUMENT_CHARS) {
      this.tree?.delete();
      this.tree = undefined;
      throw new DocumentTooLarge(this.text.length);
    }
    const next = parser.parse(this.text, this.tree);
    this.tree?.delete();
    this.tree = next;
    this.stale = false;
    this.editedDeclaration = undefined;
    return next;
  }

  dispose(): void {
    this.tree?.delete();
    this.tree = undefined;
  }

  private toEdit(range: Range, inserted: string): Edit {
    // A reversed range is read the right way round, as LSP's TextDocument does.
    const [from, to] = before(range.end, range.start) ? [range.end, range.start] : [range.start, range.end];
    const startIndex = this.lines.offset(from);
    const oldEndIndex = this.lines.offset(to);
    const startPosition = this.text.point(startIndex);
    return new Edit({
      startIndex,
      oldEndIndex,
      newEndIndex: startIndex + inserted.length,
      startPosition,
      oldEndPosition: endPoint(startPosition, this.text.slice(startIndex, oldEndIndex)),
      newEndPosition: endPoint(startPosition, inserted),
    });
  }
}

/** Open documents with incremental sync (the document is its own store: no second copy of its text). */
export function createDocuments(create: (uri: string, version: number, content: string) => GoDocument, byUri: Map<string, GoDocument>): TextDocuments<GoDocument> {
  return new TextDocuments<GoDocument>({
    create(uri, _languageId, version, content) {
      const doc = create(uri, version, content);
      byUri.set(uri, doc);
      return doc;
    },
    update(doc, changes, version) {
      doc.applyChanges(changes, version);
      return doc;
    },
  });
}

function before(a: { line: number; character: number }, b: { line: number; character: number }): boolean {
  return a.line < b.line || (a.line === b.line && a.character < b.character);
}

/** Where `span` (text inserted or removed) ends when it starts at `start`, in tree-sitter rows and UTF-16 columns. */
function endPoint(start: { row: number; column: number }, span: string): { row: number; column: number } {
  const lastNewline = span.lastIndexOf('\n');
  if (lastNewline < 0) return { row: start.row, column: start.column + span.length };
  let rows = 0;
  for (let i = 0; i < span.length; i++) if (span.charCodeAt(i) === 10) rows++;
  return { row: start.row + rows, column: span.length - lastNewline - 1 };
}
