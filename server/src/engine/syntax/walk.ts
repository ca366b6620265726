import type { Node as TSNode, TreeCursor } from 'web-tree-sitter';

/**
 * What the lowering reads while it walks a tree: web-tree-sitter's TreeCursor has exactly these
 * members, and is what `walk` falls back to.
 */
export interface Walk {
  gotoFirstChild(): boolean;
  gotoNextSibling(): boolean;
  gotoParent(): boolean;
  readonly nodeTypeId: number;
  readonly currentFieldId: number;
  readonly startIndex: number;
  readonly endIndex: number;
  delete(): void;
}

/**
 * The WebAssembly exports of web-tree-sitter (its Emscripten module) that a cursor walk needs.
 * Every cursor function reads the cursor from a transfer buffer and writes it back after a move.
 */
interface CursorBinding {
  _ts_init(): number;
  _ts_tree_cursor_goto_first_child_wasm(tree: number): number;
  _ts_tree_cursor_goto_next_sibling_wasm(tree: number): number;
  _ts_tree_cursor_goto_parent_wasm(tree: number): number;
  _ts_tree_cursor_current_node_type_id_wasm(tree: number): number;
  _ts_tree_cursor_current_field_id_wasm(tree: number): number;
  _ts_tree_cursor_start_index_wasm(tree: number): number;
  _ts_tree_cursor_end_index_wasm(tree: number): number;
  HEAP32: Int32Array;
}

const CURSOR_FUNCTIONS = [
  '_ts_init',
  '_ts_tree_cursor_goto_first_child_wasm',
  '_ts_tree_cursor_goto_next_sibling_wasm',
  '_ts_tree_cursor_goto_parent_wasm',
  '_ts_tree_cursor_current_node_type_id_wasm',
  '_ts_tree_cursor_current_field_id_wasm',
  '_ts_tree_cursor_start_index_wasm',
  '_ts_tree_cursor_end_index_wasm',
] as const;

let binding: { exports: CursorBinding; transferBuffer: number } | undefined;

/**
 * Remembers web-tree-sitter's module (the options object given to `Parser.init` becomes it) so
 * `walk` can call the cursor functions directly. Without the exports this version of the
 * library is expected to have, walks use the library's TreeCursor.
 */
export function bindCursorFunctions(module: object): void {
  const exports = module as Partial<CursorBinding>;
  if (!CURSOR_FUNCTIONS.every((name) => typeof exports[name] === 'function') || !(exports.HEAP32 instanceof Int32Array)) return;
  // Called again after initialisation, ts_init only rewrites the two version numbers it reports.
  binding = { exports: exports as CursorBinding, transferBuffer: exports._ts_init!() };
}

/** A walk from `root`; `delete` it when done, and call nothing else of tree-sitter meanwhile. */
export function walk(root: TSNode, useLibraryCursor = false): Walk {
  const cursor = root.walk();
  const handles = (cursor as unknown as { handles?: number[] }).handles;
  if (!binding || useLibraryCursor || handles?.length !== 4) return cursor;
  return new DirectWalk(cursor, handles, treeAddress(root), binding.exports, binding.transferBuffer);
}

function treeAddress(node: TSNode): number {
  return (node.tree as unknown as { 0: number })[0];
}

/**
 * A cursor walk calling WebAssembly directly. The library's TreeCursor copies its four handles
 * into the transfer buffer before every call and back after every move: 24 stores and a
 * wasm call per node read, which cost more than parsing. Here the cursor lives in the transfer
 * buffer from `root.walk()` (which leaves it there) until `delete`, which copies it back.
 */
class DirectWalk implements Walk {
  constructor(
    private readonly cursor: TreeCursor,
    /** The library cursor's copy of the transfer buffer. */
    private readonly handles: number[],
    private readonly tree: number,
    private readonly exports: CursorBinding,
    private readonly transferBuffer: number,
  ) {}

  gotoFirstChild(): boolean {
    return this.exports._ts_tree_cursor_goto_first_child_wasm(this.tree) === 1;
  }

  gotoNextSibling(): boolean {
    return this.exports._ts_tree_cursor_goto_next_sibling_wasm(this.tree) === 1;
  }

  gotoParent(): boolean {
    return this.exports._ts_tree_cursor_goto_parent_wasm(this.tree) === 1;
  }

  get nodeTypeId(): number {
    return this.exports._ts_tree_cursor_current_node_type_id_wasm(this.tree);
  }

  get currentFieldId(): number {
    return this.exports._ts_tree_cursor_current_field_id_wasm(this.tree);
  }

  get startIndex(): number {
    return this.exports._ts_tree_cursor_start_index_wasm(this.tree);
  }

  get endIndex(): number {
    return this.exports._ts_tree_cursor_end_index_wasm(this.tree);
  }

  /** Moves may have reallocated the cursor's stack: the library must free the current one. */
  delete(): void {
    const first = this.transferBuffer >> 2;
    for (let i = 0; i < this.handles.length; i++) this.handles[i] = this.exports.HEAP32[first + i];
    this.cursor.delete();
  }
}
