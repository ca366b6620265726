import type { GoNode } from '../syntax/node';
import type { WellKnownKind } from './types';

const DOT_IMPORTABLE: Record<string, Record<string, WellKnownKind>> = {
  sync: { WaitGroup: 'WaitGroup', Mutex: 'Mutex', RWMutex: 'RWMutex' },
  context: { Context: 'Context', CancelFunc: 'CancelFunc' },
};

/** The names under which a file imports packages: `s "sync"`, `. "context"`, plain imports. */
export class FileImports {
  private readonly byName = new Map<string, string>();
  private readonly dotted: string[] = [];

  /** `specs`: each import's local name as written (if any) and its quoted path. */
  constructor(specs: readonly { name?: string; path: string }[]) {
    for (const spec of specs) {
      const path = spec.path.replace(/^["`]|["`]$/g, '');
      if (spec.name === '.') this.dotted.push(path);
      else if (spec.name !== '_') this.byName.set(spec.name ?? path.slice(path.lastIndexOf('/') + 1), path);
    }
  }

  /** Import path for a package name used in this file (`s` → "sync"), if it is one. */
  pathOf(name: string): string | undefined {
    return this.byName.get(name);
  }

  isDotImported(path: string): boolean {
    return this.dotted.includes(path);
  }

  /** For a bare type name, the sync/context kind it denotes through a dot import. */
  dotImportedTypeKind(name: string): WellKnownKind | undefined {
    for (const path of this.dotted) {
      const kind = DOT_IMPORTABLE[path]?.[name];
      if (kind) return kind;
    }
    return undefined;
  }

  /**
   * Whether `callee` (an identifier or selector node) names function `fn` of package `path`:
   * `context.WithCancel`, `ctxpkg.WithCancel`, or `WithCancel` under a dot import.
   */
  isPackageFunc(callee: GoNode | undefined, path: string, fn: string | readonly string[]): boolean {
    if (!callee) return false;
    const names = typeof fn === 'string' ? [fn] : fn;
    if (callee.type === 'identifier') return this.isDotImported(path) && names.includes(callee.text);
    if (callee.type !== 'selector_expression') return false;
    const operand = callee.child('operand');
    return operand?.type === 'identifier' && this.pathOf(operand.text) === path && names.includes(callee.child('field')?.text ?? '');
  }

  private cachedSignature: string | undefined;

  /** A stable key that changes when anything a rule reads from the imports changes. */
  get signature(): string {
    this.cachedSignature ??= JSON.stringify([[...this.byName], this.dotted]);
    return this.cachedSignature;
  }
}
