import type { Tree } from 'web-tree-sitter';
import { lowerDeclaration, type GoNode } from '../syntax/node';
import { launches as launchCounts, mentions, type FileFacts, type FuncDecl, type StructField, type VarFact } from './facts';
import type { GoType, SyncKind } from './types';

/** A `go` directive of go.mod: `go 1.22` or `go 1.22.3`. */
export interface GoVersion {
  major: number;
  minor: number;
}

export function parseGoVersion(goMod: string): GoVersion | undefined {
  const m = /^\s*go\s+(\d+)\.(\d+)/m.exec(goMod);
  return m ? { major: Number(m[1]), minor: Number(m[2]) } : undefined;
}

export function atLeast(version: GoVersion | undefined, major: number, minor: number): boolean {
  return !!version && (version.major > major || (version.major === major && version.minor >= minor));
}

const MAX_EMBEDDING_DEPTH = 4;

/**
 * The top-level declarations of every file of one package directory, so that `s.wg` resolves
 * when the struct is declared in another file. Drivers keep it current file by file.
 */
export class PackageIndex {
  private readonly files = new Map<string, FileFacts>();
  private cachedSignature: string | undefined;
  private readonly parsedDecls = new Map<string, GoNode | undefined>();
  private readonly memos = new Map<object, unknown>();

  constructor(
    readonly dir: string,
    public goVersion: GoVersion | undefined,
    /** Parses a sibling file when a rule needs the body of a function declared there. */
    private readonly parse: (text: string) => Tree | undefined,
  ) {}

  setFile(facts: FileFacts): void {
    this.files.set(facts.path, facts);
    this.changed();
  }

  removeFile(path: string): void {
    if (this.files.delete(path)) this.changed();
  }

  setGoVersion(version: GoVersion | undefined): void {
    this.goVersion = version;
    this.changed();
  }

  get paths(): string[] {
    return [...this.files.keys()];
  }

  /**
   * Changes whenever something that rules analysing file `path` may read from the index
   * changes: the shapes of all files, and the whole text of the other files (rules read the
   * bodies of functions declared there). Edits that only change `path`'s function bodies keep
   * it, so findings cached per declaration of `path` stay valid.
   */
  signatureFor(path: string): string {
    this.cachedSignature ??= JSON.stringify([this.goVersion, ...[...this.files.values()].map(shape), this.launchDigest()]);
    let others = '';
    for (const f of this.files.values()) if (f.path !== path) others += `${textHash(f)},`;
    return this.cachedSignature + others;
  }

  struct(name: string): StructField[] | undefined {
    for (const f of this.files.values()) {
      const s = f.structs.get(name);
      if (s) return s;
    }
    return undefined;
  }

  /** Type of field `field` of struct `structName`, including fields promoted from embedded structs. */
  fieldType(structName: string, field: string, depth = 0): GoType | undefined {
    const fields = this.struct(structName);
    if (!fields || depth > MAX_EMBEDDING_DEPTH) return undefined;
    const direct = fields.find((f) => f.name === field);
    if (direct) return direct.type;
    for (const f of fields) {
      if (f.embedded && f.type?.kind === 'named') {
        const promoted = this.fieldType(f.type.name, field, depth + 1);
        if (promoted) return promoted;
      }
    }
    return undefined;
  }

  /**
   * The embedded sync field whose method `method` a value of struct `structName` promotes
   * (`s.Lock()` with `struct { sync.Mutex }`), as the path of field names to it.
   */
  embeddedSync(structName: string, method: string, depth = 0): { path: string[]; kind: SyncKind } | undefined {
    const fields = this.struct(structName);
    if (!fields || depth > MAX_EMBEDDING_DEPTH) return undefined;
    for (const f of fields) {
      if (!f.embedded || !f.type) continue;
      if ((f.type.kind === 'WaitGroup' || f.type.kind === 'Mutex' || f.type.kind === 'RWMutex') && syncHasMethod(f.type.kind, method)) {
        return { path: [f.name], kind: f.type.kind };
      }
      if (f.type.kind === 'named') {
        const inner = this.embeddedSync(f.type.name, method, depth + 1);
        if (inner) return { path: [f.name, ...inner.path], kind: inner.kind };
      }
    }
    return undefined;
  }

  func(name: string): FuncDecl | undefined {
    for (const f of this.files.values()) {
      const d = f.funcs.find((fn) => fn.name === name && !fn.receiverType);
      if (d) return d;
    }
    return undefined;
  }

  method(receiverType: string, name: string): FuncDecl | undefined {
    for (const f of this.files.values()) {
      const d = f.funcs.find((fn) => fn.name === name && fn.receiverType === receiverType);
      if (d) return d;
    }
    return undefined;
  }

  packageVar(name: string): { fact: VarFact; facts: FileFacts } | undefined {
    for (const facts of this.files.values()) {
      const fact = facts.vars.get(name);
      if (fact) return { fact, facts };
    }
    return undefined;
  }

  /** The imports of the file that declares `path`'s facts, for resolving its types. */
  facts(path: string): FileFacts | undefined {
    return this.files.get(path);
  }

  /**
   * True when every mention of the function or method name in the package is its declaration
   * or a `go` launch: nothing calls it synchronously or passes it around.
   */
  onlyLaunched(name: string): boolean {
    let launches = 0;
    let declarations = 0;
    let total = 0;
    for (const f of this.files.values()) {
      launches += launchCounts(f).get(name) ?? 0;
      declarations += f.funcs.filter((fn) => fn.name === name).length;
      total += mentions(f, name);
    }
    return launches > 0 && total === launches + declarations;
  }

  /** The lowered declaration (with body) of a function, parsing its file when it is not at hand. */
  declaration(decl: FuncDecl, current?: { path: string; lowered: (start: number) => GoNode | undefined }): GoNode | undefined {
    if (current && decl.path === current.path) return current.lowered(decl.start);
    const key = `${decl.path}:${decl.start}`;
    if (!this.parsedDecls.has(key)) {
      const facts = this.files.get(decl.path);
      const tree = facts && this.parse(facts.text);
      const node = tree?.rootNode.descendantForIndex(decl.start, decl.start);
      let top = node;
      while (top && top.parent && top.parent.type !== 'source_file') top = top.parent;
      this.parsedDecls.set(key, top && facts ? lowerDeclaration(top, facts.text, decl.path) : undefined);
      tree?.delete();
    }
    return this.parsedDecls.get(key);
  }

  private launchDigest(): [string, boolean][] {
    const names = new Set<string>();
    for (const f of this.files.values()) for (const name of launchCounts(f).keys()) names.add(name);
    return [...names].sort().map((name) => [name, this.onlyLaunched(name)]);
  }

  /** A value derived from the package's declarations, computed once until a file changes. */
  memo<T>(key: object, compute: () => T): T {
    if (!this.memos.has(key)) this.memos.set(key, compute());
    return this.memos.get(key) as T;
  }

  /** Names of the package's struct types and package variables, with what they hold. */
  *declaredNames(): Generator<{ name: string; kind: 'struct' | 'var'; type?: GoType }> {
    for (const f of this.files.values()) {
      for (const name of f.structs.keys()) yield { name, kind: 'struct', type: { kind: 'named', pointer: false, name } };
      for (const [name, fact] of f.vars) yield { name, kind: 'var', type: fact.type };
    }
  }

  private changed(): void {
    this.cachedSignature = undefined;
    this.parsedDecls.clear();
    this.memos.clear();
  }
}

function syncHasMethod(kind: SyncKind, method: string): boolean {
  if (kind === 'WaitGroup') return ['Add', 'Done', 'Wait', 'Go'].includes(method);
  if (kind === 'Mutex') return ['Lock', 'Unlock', 'TryLock'].includes(method);
  return ['Lock', 'Unlock', 'RLock', 'RUnlock', 'TryLock', 'TryRLock', 'RLocker'].includes(method);
}

/** The parts of a file's facts that rules depend on, without positions. */
function shape(f: FileFacts): unknown {
  return [f.path, f.imports.signature, [...f.structs], f.funcs.map((fn) => [fn.name, fn.receiverType, fn.results]), [...f.vars].map(([k, v]) => [k, v.type, v.value?.text])];
}

const textHashes = new WeakMap<FileFacts, number>();

/** FNV-1a over the file text, memoised per facts object. */
function textHash(f: FileFacts): number {
  let h = textHashes.get(f);
  if (h === undefined) {
    h = 0x811c9dc5;
    for (let i = 0; i < f.text.length; i++) h = Math.imul(h ^ f.text.charCodeAt(i), 0x01000193);
    textHashes.set(f, h);
  }
  return h;
}
