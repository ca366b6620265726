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

export function isLockType(t: GoType | undefined): boolean {
  return t?.kind === 'Mutex' || t?.kind === 'RWMutex';
}

export function withPointer(t: GoType | undefined, pointer: boolean): GoType | undefined {
  return t && { ...t, pointer };
}

/** Resolves a type expression (`sync.WaitGroup`, `*Server`, `[]sync.WaitGroup`) written in a file. */
export function typeFromNode(node: GoNode | undefined, imports: FileImports): GoType | undefined {
  if (!node) return undefined;
  switch (node.type) {
    case 'parenthesized_type':
      return typeFromNode(node.named[0], imports);
    case 'pointer_type': {
      const inner = typeFromNode(node.named[0], imports);
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
      return { kind: node.type === 'slice_type' ? 'slice' : 'array', pointer: false, elem: typeFromNode(node.child('element'), imports) };
    case 'map_type':
      return { kind: 'map', pointer: false, elem: typeFromNode(node.child('value'), imports) };
    case 'channel_type':
      return { kind: 'chan', pointer: false, elem: typeFromNode(node.child('value'), imports) };
    default:
      return undefined;
  }
}
