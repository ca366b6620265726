import type { Node as TSNode, Query, Tree } from 'web-tree-sitter';
import { grammarSymbols, isNamedType, lowerDeclaration, typeName, type GoNode } from '../syntax/node';
import { walk } from '../syntax/walk';
import { flatText, type FileText } from '../syntax/fileText';
import { detached, FORGET_AFTER_VERSIONS } from '../util';
import { query } from '../syntax/queries';
import { FileImports } from './imports';
import { typeFromNode, type GoType } from './types';

export interface StructField {
  name: string;
  type: GoType | undefined;
  embedded: boolean;
}

/** A function or method declared at the top level of a package file. */
export interface FuncDecl {
  path: string;
  name: string;
  /** Receiver base type name for methods (`Server` for `func (s *Server) run()`). */
  receiverType?: string;
  start: number;
  end: number;
  results: (GoType | undefined)[];
}

/** What other files of the package need to know about one file: its top-level declarations. */
export interface FileFacts {
  path: string;
  packageName: string;
  text: FileText;
  imports: FileImports;
  structs: Map<string, StructField[]>;
  funcs: FuncDecl[];
  vars: Map<string, VarFact>;
  /**
   * What each declaration contributed, by its text: the next version of the file reuses those
   * whose text is unchanged (same objects, so cached findings that read them stay valid).
   * Fields rather than WeakMaps: weak tables keyed by short-lived objects slow every minor GC.
   */
  readonly fragments: Map<string, Fragment>;
  /** Counts the extractions that carried `fragments` on. */
  readonly extraction: number;
  /** The code without comments and name counts over it, computed when first asked (see `usage`). */
  usage?: Usage;
}

export interface VarFact {
  type?: GoType;
  /** The initialiser, for package-level vars declared without a type. */
  value?: GoNode;
}

/**
 * A top-level declaration with what every pass reads of it, copied out of WebAssembly once per
 * tree with a cursor. The syntax node and its error flag are fetched only when asked: on a
 * keystroke most declarations are unchanged, and creating nodes for all of them would cost more
 * than the rest of the work.
 */
export class TopLevelDecl {
  private syntaxNode: TSNode | undefined;
  private broken: boolean | undefined;

  constructor(
    private readonly tree: Tree,
    /** Position among all children of the root, named or not. */
    private readonly childIndex: number,
    readonly type: string,
    readonly start: number,
    readonly end: number,
    /** Its source text. */
    readonly text: string,
    treeHasError: boolean,
  ) {
    if (!treeHasError) this.broken = false;
  }

  get node(): TSNode {
    return (this.syntaxNode ??= this.tree.rootNode.child(this.childIndex)!);
  }

  /** Whether it contains a syntax error. */
  get hasError(): boolean {
    return (this.broken ??= this.node.hasError);
  }
}

/** The last tree read: indexing and analysing a version read the same one in a row. */
let lastRead: { tree: Tree; text: FileText; decls: TopLevelDecl[] } | undefined;

/** The top-level declarations of a file, in order; `text` is the tree's source. */
export function topLevel(tree: Tree, text: FileText): TopLevelDecl[] {
  let decls = lastRead?.tree === tree && lastRead.text === text ? lastRead.decls : undefined;
  if (!decls) {
    decls = [];
    const treeHasError = tree.rootNode.hasError;
    const symbols = grammarSymbols(tree.language);
    const cursor = walk(tree.rootNode);
    try {
      if (cursor.gotoFirstChild()) {
        let childIndex = 0;
        do {
          const typeId = cursor.nodeTypeId;
          if (isNamedType(symbols, typeId)) {
            const start = cursor.startIndex;
            const end = cursor.endIndex;
            decls.push(new TopLevelDecl(tree, childIndex, typeName(symbols, typeId), start, end, text.slice(start, end), treeHasError));
          }
          childIndex++;
        } while (cursor.gotoNextSibling());
      }
    } finally {
      cursor.delete();
    }
    lastRead = { tree, text, decls };
  }
  return decls;
}

/** What one top-level declaration contributes to a file's facts. */
export interface Fragment {
  header?: Omit<FuncDecl, 'start' | 'end'>;
  /** The header where the declaration was last seen. */
  placed?: FuncDecl;
  /** The extraction that last saw the declaration (see FORGET_AFTER_VERSIONS). */
  seenIn?: number;
  structs?: [string, StructField[]][];
  vars?: [string, VarFact][];
}

export function extractFacts(path: string, text: FileText, tree: Tree, previous?: FileFacts): FileFacts {
  const decls = topLevel(tree, text);
  const declarations = query(tree.language, 'declarations');
  const importSpecs: { name?: string; path: string }[] = [];
  for (const decl of decls) {
    if (decl.type !== 'import_declaration') continue;
    const node = decl.node;
    for (const { captures } of declarations.matches(node, { startIndex: node.startIndex, endIndex: node.endIndex })) {
      const importPath = captures.find((c) => c.name === 'import.path')?.node;
      if (importPath) importSpecs.push({ name: captures.find((c) => c.name === 'import.name')?.node.text, path: importPath.text });
    }
  }
  const imports = new FileImports(importSpecs);
  // The previous version's table is carried on (stamped, pruned in bulk): no new table per keystroke.
  const carried = previous?.path === path && previous.imports.signature === imports.signature;
  const fragments = carried ? previous.fragments : new Map<string, Fragment>();
  const extraction = carried ? previous.extraction + 1 : 0;
  const facts: FileFacts = {
    path,
    packageName: decls.find((d) => d.type === 'package_clause')?.node.namedChild(0)?.text ?? '',
    text,
    imports,
    structs: new Map(),
    funcs: [],
    vars: new Map(),
    fragments,
    extraction,
  };
  for (const decl of decls) {
    if (!FRAGMENT_TYPES.has(decl.type)) continue;
    let fragment = fragments.get(decl.text);
    // Fragments outlive the document version their texts were sliced from (see detached).
    if (!fragment) fragments.set(detached(decl.text), (fragment = fragmentOf(decl.node, text, path, imports, declarations)));
    fragment.seenIn = extraction;
    for (const [name, fields] of fragment.structs ?? []) facts.structs.set(name, fields);
    for (const [name, fact] of fragment.vars ?? []) facts.vars.set(name, fact);
    const header = fragment.header;
    if (header) {
      // A function that did not move keeps its object: this runs for every function of the file on every keystroke.
      let placed = fragment.placed;
      if (placed?.start !== decl.start || placed.end !== decl.end) {
        fragment.placed = placed = { path: header.path, name: header.name, receiverType: header.receiverType, results: header.results, start: decl.start, end: decl.end };
      }
      facts.funcs.push(placed);
    }
  }
  if (fragments.size > 2 * decls.length + 16) {
    for (const [declText, fragment] of fragments) if (extraction - fragment.seenIn! > FORGET_AFTER_VERSIONS) fragments.delete(declText);
  }
  return facts;
}

const FRAGMENT_TYPES = new Set(['type_declaration', 'var_declaration', 'function_declaration', 'method_declaration']);

function fragmentOf(node: TSNode, text: FileText, path: string, imports: FileImports, declarations: Query): Fragment {
  if (node.type === 'var_declaration') {
    const vars = new Map<string, VarFact>();
    addVars(node, text, path, imports, vars);
    return { vars: [...vars] };
  }
  if (node.type === 'type_declaration') {
    const structs = new Map<string, StructField[]>();
    for (const { captures } of declarations.matches(node, { startIndex: node.startIndex, endIndex: node.endIndex })) {
      const name = captures.find((c) => c.name === 'struct.name')?.node.text;
      const field = captures.find((c) => c.name === 'struct.field')?.node;
      if (name === undefined || !field) continue;
      const struct = detached(name);
      structs.set(struct, [...(structs.get(struct) ?? []), ...structField(lowerDeclaration(field, text, path), imports)]);
    }
    return { structs: [...structs] };
  }
  return { header: funcDecl(path, node, text, imports) };
}

/** The fields one field declaration line declares: `a, b int`, or an embedded `*sync.Mutex`. */
function structField(field: GoNode, imports: FileImports): StructField[] {
  const typeNode = field.child('type');
  const type = typeFromNode(typeNode, imports);
  const names = field.childrenOf('name');
  if (names.length > 0) return names.map((name) => ({ name: name.text, type, embedded: false }));
  const base = typeNode?.text.replace(/^\*/, '').replace(/\[.*$/, '') ?? '';
  return [{ name: base.slice(base.lastIndexOf('.') + 1), type, embedded: true }];
}

/** Initialisers longer than this (tables, generated data) are not kept: they never hold a WaitGroup or mutex. */
const MAX_INITIALISER = 400;

/** Package variables with their declared type, or their (short) initialiser to infer it from. */
function addVars(decl: TSNode, text: FileText, path: string, imports: FileImports, vars: Map<string, VarFact>): void {
  // Specs are direct children, or inside a parenthesised list: never searched for in initialisers (tables can be huge).
  const specs = decl.namedChildren.flatMap((child) => (child?.type === 'var_spec_list' ? child.namedChildren : [child]));
  for (const spec of specs) {
    if (spec?.type !== 'var_spec') continue;
    const typeNode = spec.childForFieldName('type');
    const type = typeNode ? typeFromNode(lowerDeclaration(typeNode, text, path), imports) : undefined;
    const values = spec.childForFieldName('value')?.namedChildren ?? [];
    spec.childrenForFieldName('name').forEach((name, i) => {
      const value = values[i];
      const short = !type && value && value.endIndex - value.startIndex <= MAX_INITIALISER;
      vars.set(detached(name.text), { type, value: short ? lowerDeclaration(value, text, path) : undefined });
    });
  }
}

function funcDecl(path: string, node: TSNode, text: FileText, imports: FileImports): Omit<FuncDecl, 'start' | 'end'> {
  const receiver = node.childForFieldName('receiver');
  const result = node.childForFieldName('result');
  let results: (GoType | undefined)[] = [];
  if (result) {
    const lowered = lowerDeclaration(result, text, path);
    results =
      lowered.type === 'parameter_list'
        ? lowered.named.flatMap((p) => Array<GoType | undefined>(Math.max(1, p.childrenOf('name').length)).fill(typeFromNode(p.child('type'), imports)))
        : [typeFromNode(lowered, imports)];
  }
  const receiverType = receiver?.namedChildren[0]?.childForFieldName('type')?.text.replace(/^\*/, '').replace(/\[.*$/, '');
  // Names are read from the document through tree-sitter: detached, fragments outlive its version.
  return { path, name: detached(node.childForFieldName('name')?.text ?? ''), receiverType: receiverType && detached(receiverType), results };
}

/** String and rune literals (kept) or comments (dropped). */
const COMMENTS = /("(?:[^"\\\n]|\\.)*"|`[^`]*`|'(?:[^'\\\n]|\\.)*')|\/\/[^\n]*|\/\*[\s\S]*?\*\//g;
/** `go f(`, `go s.run(`, `go pkg.T{}.m(`: the name of the launched function or method. */
const LAUNCH = /\bgo\s+(?:[\w.]+\.)?(\w+)\s*\(/g;

export interface Usage {
  code: string;
  launches: Map<string, number>;
  mentions: Map<string, number>;
}

/** The file's code without comments, and name counts over it, computed when first asked. */
function usage(facts: FileFacts): Usage {
  if (!facts.usage) {
    const code = flatText(facts.text).replace(COMMENTS, (_, literal: string | undefined) => literal ?? ' ');
    const launches = new Map<string, number>();
    for (const m of code.matchAll(LAUNCH)) launches.set(m[1], (launches.get(m[1]) ?? 0) + 1);
    facts.usage = { code, launches, mentions: new Map() };
  }
  return facts.usage;
}

/** How often each function or method name is launched with `go` in the file. */
export function launches(facts: FileFacts): ReadonlyMap<string, number> {
  return usage(facts).launches;
}

/** Whole-word occurrences of `name` in the file's code, outside comments. */
export function mentions(facts: FileFacts, name: string): number {
  const u = usage(facts);
  let count = u.mentions.get(name);
  if (count === undefined) {
    count = u.code.match(new RegExp(`\\b${name}\\b`, 'g'))?.length ?? 0;
    u.mentions.set(name, count);
  }
  return count;
}
