import type { Range, TextDocumentContentChangeEvent } from 'vscode-languageserver';
import { TextDocuments } from 'vscode-languageserver/node';
import {
  applySettings,
  bracketsBalanced,
  ChunkedText,
  Edit,
  FileAnalyzer,
  FileSkipped,
  indexFile,
  LineIndex,
  type CodeLensInfo,
  type ExplainContext,
  type FileText,
  type Finding,
  type GoParser,
  type HoverResult,
  type InlayHintInfo,
  type InlayHintOptions,
  type PackageIndex,
  type Place,
  type Settings,
  type Tree,
} from '../engine';
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
  /**
   * The text of the last parse, and its findings: what the analyzer and the package index hold.
   * Hover, hints and lenses are computed on it and moved by the edits since.
   */
  private parsedText: FileText;
  private parsedFindings: Finding[] = [];
  /** Why the last analysis was skipped, once logged (so that every keystroke does not log it again). */
  skipped: string | undefined;
  /** Lines of the current text (analyses publish right after they run, before any newer change arrives). */
  lines: LineIndex;
  readonly analyzer: FileAnalyzer;
  readonly path: string;
  /** The text the edits since the last parse replaced, as one edit (see spanningEdit). */
  private editSinceParse: OffsetEdit | undefined;
  /**
   * Where the top-level declaration holding every edit since the last parse starts (in the
   * current text); -1 when they are not all in one, undefined when there is none.
   */
  private editedDeclaration: number | undefined;
  /** That declaration's span in the current text, while findings are carried past it. */
  private carriedPast: { start: number; end: number } | undefined;

  constructor(
    readonly uri: string,
    version: number,
    content: string,
    onRuleError: ConstructorParameters<typeof FileAnalyzer>[1],
  ) {
    this.path = uriToPath(uri) ?? uri;
    this.analyzer = new FileAnalyzer(this.path, onRuleError);
    this.version = version;
    this.text = this.parsedText = ChunkedText.of(content);
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
    this.carriedPast = this.declarationWaitingToParse();
    if (this.carriedPast) {
      this.findings = this.parsedFindings.flatMap((f) => this.carried(f) ?? []);
      return;
    }
    this.findings = this.parsedFindings = [];
    const tree = this.reparse(parser);
    indexFile(index, this.path, this.text, tree);
    this.findings = this.parsedFindings = this.analyzer.analyze(tree, this.text, index);
  }

  /** The declaration every edit since the last parse lies in, when its brackets are open (see update). */
  private declarationWaitingToParse(): { start: number; end: number } | undefined {
    if (!this.tree || this.editedDeclaration === undefined || this.editedDeclaration < 0) return undefined;
    const declaration = this.tree.rootNode.firstChildForIndex(this.editedDeclaration);
    if (declaration?.startIndex !== this.editedDeclaration || bracketsBalanced(this.text.slice(declaration.startIndex, declaration.endIndex))) return undefined;
    return { start: declaration.startIndex, end: declaration.endIndex };
  }

  /** A finding of the last parse moved to the current text; undefined when it lies in the declaration being edited. */
  private carried(finding: Finding): Finding | undefined {
    const placed = this.placed(finding);
    if (!placed) return undefined;
    const related = finding.related.flatMap((r) => this.placed(r) ?? []);
    const fixes = finding.fixes.flatMap((fix) => {
      const edits = fix.edits.map((e) => this.placed(e));
      return edits.every((e) => e !== undefined) ? [{ ...fix, edits }] : [];
    });
    return { ...placed, related, fixes };
  }

  /** A span of this file in the last parsed text, moved to the current one; undefined when it touches the declaration being edited. */
  private placed<T extends { path: string; start: number; end: number }>(span: T): T | undefined {
    if (span.path !== this.path || !this.carriedPast) return span;
    const start = this.moved(span.start, 'toCurrent');
    const end = this.moved(span.end, 'toCurrent');
    const { start: from, end: to } = this.carriedPast;
    return start === undefined || end === undefined || (start < to && end > from) ? undefined : { ...span, start, end };
  }

  /**
   * Moves an offset from the last parsed text to the current one, or back. In text edited since
   * it has no counterpart: undefined, or with `clamp`, where the edited text starts.
   */
  private moved(offset: number, way: 'toCurrent' | 'toParsed', clamp: true): number;
  private moved(offset: number, way: 'toCurrent' | 'toParsed'): number | undefined;
  private moved(offset: number, way: 'toCurrent' | 'toParsed', clamp = false): number | undefined {
    const edit = this.editSinceParse;
    if (!edit) return offset;
    const [endBefore, endAfter] = way === 'toCurrent' ? [edit.oldEnd, edit.newEnd] : [edit.newEnd, edit.oldEnd];
    if (offset >= endBefore) return offset + endAfter - endBefore;
    if (offset <= edit.start) return offset;
    return clamp ? edit.start : undefined;
  }

  /** Explains the code at `offset` (hover); while parsing waits, as the last parse saw it. */
  explain(offset: number, index: PackageIndex, context: ExplainContext): HoverResult | undefined {
    const at = this.moved(offset, 'toParsed');
    const result = at === undefined ? undefined : this.analyzer.explain(at, this.parsedText, index, context);
    const span = result && this.placed({ path: this.path, start: result.start, end: result.end });
    return span && { ...result!, start: span.start, end: span.end };
  }

  /** Inlay hints positioned in [start, end] of the current text. */
  inlayHints(start: number, end: number, index: PackageIndex, context: ExplainContext, options: InlayHintOptions): InlayHintInfo[] {
    return this.analyzer.inlayHints(this.moved(start, 'toParsed', true), this.moved(end, 'toParsed', true), this.parsedText, index, context, options).flatMap((hint) => {
      const offset = this.placed({ path: this.path, start: hint.offset, end: hint.offset })?.start;
      return offset === undefined || offset < start || offset > end ? [] : [{ ...hint, offset }];
    });
  }

  /** Code lenses above the functions that start counted goroutines. */
  codeLenses(index: PackageIndex, context: ExplainContext, settings: Settings): CodeLensInfo[] {
    return this.analyzer.codeLenses(this.parsedText, index, context, applySettings(this.parsedFindings, settings)).flatMap((lens) => {
      const span = this.placed({ path: this.path, start: lens.start, end: lens.end });
      return span ? [{ ...lens, start: span.start, end: span.end, locations: lens.locations.flatMap((l) => this.placed(l) ?? []) }] : [];
    });
  }

  /**
   * What explanations read of where nodes are: in this file, moved from the last parsed text to
   * the current one (text replaced since: where its replacement starts); `elsewhere` for the
   * package's other files.
   */
  explainContext(elsewhere: (path: string, offset: number) => Place): ExplainContext {
    return {
      place: (node) => {
        const offset = node.source.base + node.start;
        if (node.source.path !== this.path) return elsewhere(node.source.path, offset);
        return { line: this.lines.position(this.moved(offset, 'toCurrent', true)).line + 1, uri: this.uri };
      },
    };
  }

  /** Notes which top-level declaration an edit of the tree falls in (the tree's offsets already follow the edit). */
  private noteEdit(edit: Edit): void {
    const offsets = { start: edit.startIndex, oldEnd: edit.oldEndIndex, newEnd: edit.newEndIndex };
    this.editSinceParse = this.editSinceParse ? spanningEdit(this.editSinceParse, offsets) : offsets;
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
    this.editSinceParse = undefined;
    this.parsedText = this.text;
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

/** An edit by offsets: text [start, oldEnd) replaced by text that ends at newEnd. */
export interface OffsetEdit {
  start: number;
  oldEnd: number;
  newEnd: number;
}

/**
 * One edit with the effect of `first` then `second` (in the text after `first`): it replaces
 * all the text either touched and what lies between. Outside it offsets move exactly; what lies
 * between two edits in one declaration is in the declaration being edited, which is dropped anyway.
 */
export function spanningEdit(first: OffsetEdit, second: OffsetEdit): OffsetEdit {
  const shift = first.newEnd - first.oldEnd;
  return {
    start: Math.min(first.start, second.start),
    oldEnd: Math.max(first.oldEnd, second.oldEnd - shift),
    newEnd: Math.max(first.newEnd, second.oldEnd) + second.newEnd - second.oldEnd,
  };
}
