import type { GoNode } from '../syntax/node';
import type { FileImports } from './imports';

/** What the engine knows about a value's type from syntax alone. */
/** sync and context types, recognised through the file's import names. */
export type WellKnownKind = 'WaitGroup' | 'Mutex' | 'RWMutex' | 'Context' | 'CancelFunc';

export type GoType =
  | { kind: WellKnownKind; pointer: boolean }
  /** A type declared in the analysed package: its fields come from the package index. */
  | { kind: 'named'; pointer: boolean; name: string }
  | { kind: 'slice' | 'array' | 'map' | 'chan'; pointer: boolean; elem: GoType | undefined };

export type SyncKind = 'WaitGroup' | 'Mutex' | 'RWMutex';
const SYNC_TYPES: readonly string[] = ['WaitGroup', 'Mutex', 'RWMutex'];
const MAX_TYPE_DEPTH = 100;

export function isLockType(t: GoType | undefined): boolean {
  return t?.kind === 'Mutex' || t?.kind === 'RWMutex';
}

/** The same type, whichever declaration's objects describe it. */
export function sameType(a: GoType | undefined, b: GoType | undefined): boolean {
  if (a === b) return true;
  if (!a || !b || a.kind !== b.kind || a.pointer !== b.pointer) return false;
  if ('name' in a) return 'name' in b && a.name === b.name;
  return 'elem' in a && 'elem' in b ? sameType(a.elem, b.elem) : true;
}

export function withPointer(t: GoType | undefined, pointer: boolean): GoType | undefined {
  return t && { ...t, pointer };
}

/** Resolves a type expression (`sync.WaitGroup`, `*Server`, `[]sync.WaitGroup`) written in a file. */
export function typeFromNode(node: GoNode | undefined, imports: FileImports, depth = 0): GoType | undefined {
  // Types nested deeper than any real code (`[][][]...T`) are unknown rather than a stack overflow.
  if (!node || depth > MAX_TYPE_DEPTH) return undefined;
  const elemOf = (n: GoNode | undefined) => typeFromNode(n, imports, depth + 1);
  switch (node.type) {
    case 'parenthesized_type':
      return elemOf(node.named[0]);
    case 'pointer_type': {
      const inner = elemOf(node.named[0]);
      return inner && !inner.pointer ? { ...inner, pointer: true } : undefined;
    }
    case 'qualified_type': {
      const pkg = imports.pathOf(node.child('package')?.text ?? '');
      const name = node.child('name')?.text ?? '';
      if (pkg === 'sync' && SYNC_TYPES.includes(name)) return { kind: name as SyncKind, pointer: false };
      if (pkg === 'context' && name === 'Context') return { kind: 'Context', pointer: false };
      if (pkg === 'context' && name === 'CancelFunc') return { kind: 'CancelFunc', pointer: false };
      return undefined;
    }
    case 'type_identifier': {
      const name = node.text;
      const dotted = imports.dotImportedTypeKind(name);
      return dotted ? { kind: dotted, pointer: false } : { kind: 'named', pointer: false, name };
    }
    case 'generic_type':
      return undefined;
    case 'slice_type':
    case 'array_type':
      return { kind: node.type === 'slice_type' ? 'slice' : 'array', pointer: false, elem: elemOf(node.child('element')) };
    case 'map_type':
      return { kind: 'map', pointer: false, elem: elemOf(node.child('value')) };
    case 'channel_type':
      return { kind: 'chan', pointer: false, elem: elemOf(node.child('value')) };
    default:
      return undefined;
  }
}
