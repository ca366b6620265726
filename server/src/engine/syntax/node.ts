import type { Language, Node as TSNode } from 'web-tree-sitter';
import { detached } from '../util';
import { walk } from './walk';
import type { FileText } from './fileText';

/** The children of every leaf: one shared array. */
const NO_CHILDREN: readonly GoNode[] = [];

/**
 * A syntax node copied out of tree-sitter's WebAssembly heap into plain JavaScript.
 * Rules walk these freely: every property read on a tree-sitter node crosses into wasm,
 * so a top-level declaration is lowered once (one cursor walk) and analysed in JS.
 * Offsets are UTF-16 code units relative to `source.text`, the declaration's own text, so a
 * lowered declaration (and what was found in it) stays valid when edits above it move it.
 */
export class GoNode {
  /** Set once by the lowering, when the last child is known: arrays grown by push over-allocate. */
  children: readonly GoNode[] = NO_CHILDREN;

  constructor(
    readonly source: SourceText,
    /** Grammar type for named nodes; the token itself for anonymous ones (`defer`, `:=`). */
    readonly type: string,
    readonly isNamed: boolean,
    /** Comments are extras: they may stand between any two nodes. */
    readonly isExtra: boolean,
    readonly start: number,
    readonly end: number,
    /** Field name this node has in its parent (`body`, `function`, ...). */
    readonly field: string | null,
    readonly parent: GoNode | null,
  ) {}

  get text(): string {
    return this.source.text.slice(this.start, this.end);
  }

  /** Whether the node's text is `text`, without copying it out. */
  hasText(text: string): boolean {
    return this.end - this.start === text.length && this.source.text.startsWith(text, this.start);
  }

  /** Named, non-comment children. */
  get named(): GoNode[] {
    return this.children.filter((c) => c.isNamed && !c.isExtra);
  }

  child(field: string): GoNode | undefined {
    return this.children.find((c) => c.field === field);
  }

  childrenOf(field: string): GoNode[] {
    return this.children.filter((c) => c.field === field);
  }

  firstOfType(type: string): GoNode | undefined {
    return this.children.find((c) => c.type === type);
  }

  /** Nearest proper ancestor whose type is one of `types`. */
  ancestor(...types: string[]): GoNode | undefined {
    for (let n = this.parent; n; n = n.parent) if (types.includes(n.type)) return n;
    return undefined;
  }

  contains(other: GoNode): boolean {
    return other.start >= this.start && other.end <= this.end;
  }

  isAncestorOf(other: GoNode): boolean {
    for (let n = other.parent; n; n = n.parent) if (n === this) return true;
    return false;
  }

  /**
   * Descendants in document order (pre-order), iteratively so deep nesting cannot overflow the
   * stack. `skip` prunes a subtree (its root is still included).
   */
  descendants(skip?: (n: GoNode) => boolean): GoNode[] {
    return this.collect(() => true, skip);
  }

  descendantsOfType(types: string | readonly string[], skip?: (n: GoNode) => boolean): GoNode[] {
    const wanted = typeof types === 'string' ? [types] : types;
    return this.collect((n) => wanted.includes(n.type), skip);
  }

  /** The descendants `keep` accepts, in pre-order, without listing the others (rules ask for a few types of many nodes). */
  private collect(keep: (n: GoNode) => boolean, skip?: (n: GoNode) => boolean): GoNode[] {
    const found: GoNode[] = [];
    const stack: GoNode[] = [];
    for (let i = this.children.length - 1; i >= 0; i--) stack.push(this.children[i]);
    while (stack.length > 0) {
      const node = stack.pop()!;
      if (keep(node)) found.push(node);
      if (skip?.(node)) continue;
      for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]);
    }
    return found;
  }
}

/** The text of one lowered declaration, shared by all its nodes. */
export interface SourceText {
  readonly text: string;
  /** Where `text` starts in the file today; drivers update it when the declaration moves. */
  base: number;
  readonly path: string;
}

/** A range inside one lowered declaration. */
export interface Span {
  source: SourceText;
  start: number;
  end: number;
}

export function span(node: GoNode): Span {
  return { source: node.source, start: node.start, end: node.end };
}

/** Lowers a top-level declaration of the file `fileText` into its own SourceText. */
export function lowerDeclaration(root: TSNode, fileText: FileText, path: string): GoNode {
  // Lowered declarations outlive the document version they were read from.
  return lower(root, { text: detached(fileText.slice(root.startIndex, root.endIndex)), base: root.startIndex, path });
}

/** Type names, named flags and field names by id, read from the grammar once. */
export interface GrammarSymbols {
  types: string[];
  named: boolean[];
  fields: (string | null)[];
}
const symbolsOf = new WeakMap<Language, GrammarSymbols>();

/** tree-sitter's id for ERROR nodes, outside the grammar's own ids. */
const ERROR_ID = 0xffff;

export function grammarSymbols(language: Language): GrammarSymbols {
  let found = symbolsOf.get(language);
  if (!found) {
    const types: string[] = [];
    const named: boolean[] = [];
    for (let id = 0; id < language.nodeTypeCount; id++) {
      types.push(language.nodeTypeForId(id) ?? '');
      named.push(language.nodeTypeIsNamed(id));
    }
    found = { types, named, fields: language.fields };
    symbolsOf.set(language, found);
  }
  return found;
}

/** The type name of a node type id. */
export function typeName(symbols: GrammarSymbols, id: number): string {
  return id === ERROR_ID ? 'ERROR' : symbols.types[id];
}

/** Whether nodes of a type id are named (ERROR nodes are). */
export function isNamedType(symbols: GrammarSymbols, id: number): boolean {
  return id === ERROR_ID || symbols.named[id];
}

/**
 * Copies a tree-sitter subtree into GoNodes with one cursor walk; offsets become relative to
 * `source.base`. Every cursor read crosses into wasm, so each node costs four reads (type id,
 * start, end, field id) and names come from the grammar's tables.
 */
function lower(root: TSNode, source: SourceText): GoNode {
  const symbols = grammarSymbols(root.tree.language);
  const cursor = walk(root);
  const make = (parent: GoNode | null): GoNode => {
    const typeId = cursor.nodeTypeId;
    const type = typeName(symbols, typeId);
    const field = parent ? symbols.fields[cursor.currentFieldId] ?? null : null;
    return new GoNode(source, type, isNamedType(symbols, typeId), type === 'comment', cursor.startIndex - source.base, cursor.endIndex - source.base, field, parent);
  };
  // Children found so far of the nodes on the path from the top, in order, and where each node's own begin.
  const pending: GoNode[] = [];
  const starts: number[] = [];
  try {
    const top = make(null);
    let current = top;
    for (;;) {
      if (cursor.gotoFirstChild()) {
        starts.push(pending.length);
        pending.push((current = make(current)));
        continue;
      }
      while (!cursor.gotoNextSibling()) {
        if (current === top || !cursor.gotoParent()) return top;
        current = current.parent!;
        current.children = pending.splice(starts.pop()!);
        if (current === top) return top;
      }
      pending.push((current = make(current.parent)));
    }
  } finally {
    cursor.delete();
  }
}
