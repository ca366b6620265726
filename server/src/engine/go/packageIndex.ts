import type { Tree } from 'web-tree-sitter';
import type { FileText } from '../syntax/fileText';
import { lowerDeclaration, type GoNode } from '../syntax/node';
import { launches as launchCounts, mentions, type FileFacts, type FuncDecl, type StructField, type VarFact } from './facts';
import { sameType, type GoType, type SyncKind } from './types';

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
const FUNCS_BY_NAME = {};

/**
 * The top-level declarations of every file of one package directory, so that `s.wg` resolves
 * when the struct is declared in another file. Drivers keep it current file by file.
 */
export class PackageIndex {
  private readonly files = new Map<string, FileFacts>();
  /** Lookups made by the check being recorded (see `record`), one per distinct question. */
  private recorder: Map<string, Lookup> | undefined;
  private readonly parsedDecls = new Map<string, GoNode | undefined>();
  private readonly memos = new Map<object, unknown>();

  constructor(
    readonly dir: string,
    private version: GoVersion | undefined,
    /** Parses a sibling file when a rule needs the body of a function declared there. */
    private readonly parse: (text: FileText) => Tree | undefined,
  ) {}

  setFile(facts: FileFacts): void {
    this.files.set(facts.path, facts);
    this.changed();
  }

  removeFile(path: string): void {
    if (this.files.delete(path)) this.changed();
  }

  /** Returns whether the version changed. */
  setGoVersion(version: GoVersion | undefined): boolean {
    if (version?.major === this.version?.major && version?.minor === this.version?.minor) return false;
    this.version = version;
    this.changed();
    return true;
  }

  /** The nearest go.mod's Go version. */
  get goVersion(): GoVersion | undefined {
    return this.recorder ? this.recorded('goVersion', () => this.version) : this.version;
  }

  /**
   * Runs `check`, recording every answer the index gives it: findings cached for a declaration
   * stay valid exactly as long as `stillValid(lookups)`, whatever else changes in the package.
   */
  record<T>(check: () => T): { value: T; lookups: Lookup[] } {
    const outer = this.recorder;
    const lookups = new Map<string, Lookup>();
    this.recorder = lookups;
    try {
      return { value: check(), lookups: [...lookups.values()] };
    } finally {
      this.recorder = outer;
    }
  }

  /** Whether every recorded lookup still gives the same answer. */
  stillValid(lookups: readonly Lookup[]): boolean {
    const outer = this.recorder;
    this.recorder = undefined;
    try {
      return lookups.every((l) => l.replay());
    } finally {
      this.recorder = outer;
    }
  }

  /**
   * Answers a question and notes it for the check being recorded. Replaying compares the new
   * answer with the old one, by identity unless told otherwise: facts of unchanged declarations
   * keep their objects from version to version (see extractFacts). Callers compute the answer
   * directly when nothing is recorded: replays (every cached declaration's lookups, on every
   * keystroke) then build no question strings.
   */
  private recorded<T>(question: string, compute: () => T, same: (a: T, b: T) => boolean = Object.is): T {
    const value = compute();
    if (this.recorder && !this.recorder.has(question)) this.recorder.set(question, { replay: () => same(compute(), value) });
    return value;
  }

  get paths(): string[] {
    return [...this.files.keys()];
  }

  /**
   * Answers a question derived from the index as one lookup: findings cached by a check that
   * asked it stay valid while the answer is `same`, whatever changed in what it read. Editing
   * one field of a struct that hundreds of methods use re-checks only those reading that field.
   */
  ask<T>(question: string, compute: () => T, same: (a: T, b: T) => boolean = Object.is): T {
    if (!this.recorder) return compute();
    return this.recorded(question, () => {
      const outer = this.recorder;
      this.recorder = undefined;
      try {
        return compute();
      } finally {
        this.recorder = outer;
      }
    }, same);
  }

  /** The fields of a struct type declared in the package. */
  struct(name: string): StructField[] | undefined {
    return this.recorder ? this.recorded(`struct ${name}`, () => this.structNamed(name)) : this.structNamed(name);
  }

  private structNamed(name: string): StructField[] | undefined {
    for (const f of this.files.values()) {
      const s = f.structs.get(name);
      if (s) return s;
    }
    return undefined;
  }

  /** Type of field `field` of struct `structName`, including fields promoted from embedded structs. */
  fieldType(structName: string, field: string): GoType | undefined {
    return this.recorder ? this.recorded(`field ${structName}.${field}`, () => this.promotedField(structName, field, 0), sameType) : this.promotedField(structName, field, 0);
  }

  private promotedField(structName: string, field: string, depth: number): GoType | undefined {
    const fields = this.structNamed(structName);
    if (!fields || depth > MAX_EMBEDDING_DEPTH) return undefined;
    const direct = fields.find((f) => f.name === field);
    if (direct) return direct.type;
    for (const f of fields) {
      if (f.embedded && f.type?.kind === 'named') {
        const promoted = this.promotedField(f.type.name, field, depth + 1);
        if (promoted) return promoted;
      }
    }
    return undefined;
  }

  /**
   * The embedded sync field whose method `method` a value of struct `structName` promotes
   * (`s.Lock()` with `struct { sync.Mutex }`), as the path of field names to it.
   */
  embeddedSync(structName: string, method: string): { path: string[]; kind: SyncKind } | undefined {
    if (!this.recorder) return this.promotedSync(structName, method, 0);
    return this.recorded(`embedded ${structName}.${method}`, () => this.promotedSync(structName, method, 0), (a, b) => a?.kind === b?.kind && a?.path.join('.') === b?.path.join('.'));
  }

  private promotedSync(structName: string, method: string, depth: number): { path: string[]; kind: SyncKind } | undefined {
    const fields = this.structNamed(structName);
    if (!fields || depth > MAX_EMBEDDING_DEPTH) return undefined;
    for (const f of fields) {
      if (!f.embedded || !f.type) continue;
      if ((f.type.kind === 'WaitGroup' || f.type.kind === 'Mutex' || f.type.kind === 'RWMutex') && syncHasMethod(f.type.kind, method)) {
        return { path: [f.name], kind: f.type.kind };
      }
      if (f.type.kind === 'named') {
        const inner = this.promotedSync(f.type.name, method, depth + 1);
        if (inner) return { path: [f.name, ...inner.path], kind: inner.kind };
      }
    }
    return undefined;
  }

  func(name: string): FuncDecl | undefined {
    return this.recorder ? this.recorded(`func ${name}`, () => this.funcsByName().get(name), sameHeader) : this.funcsByName().get(name);
  }

  method(receiverType: string, name: string): FuncDecl | undefined {
    const key = `${receiverType}.${name}`;
    return this.recorder ? this.recorded(`method ${key}`, () => this.funcsByName().get(key), sameHeader) : this.funcsByName().get(key);
  }

  packageVar(name: string): { fact: VarFact; facts: FileFacts } | undefined {
    if (!this.recorder) return this.varNamed(name);
    return this.recorded(`var ${name}`, () => this.varNamed(name), (a, b) => a?.fact === b?.fact && a?.facts.imports.signature === b?.facts.imports.signature);
  }

  private varNamed(name: string): { fact: VarFact; facts: FileFacts } | undefined {
    for (const facts of this.files.values()) {
      const fact = facts.vars.get(name);
      if (fact) return { fact, facts };
    }
    return undefined;
  }

  /** A file's facts (its imports resolve the types written in it). */
  facts(path: string): FileFacts | undefined {
    if (!this.recorder) return this.files.get(path);
    return this.recorded(`facts ${path}`, () => this.files.get(path), (a, b) => a?.imports.signature === b?.imports.signature);
  }

  /** Functions by name and methods by `Receiver.name` (the first declaration wins), built once per package version. */
  private funcsByName(): Map<string, FuncDecl> {
    return this.memo(FUNCS_BY_NAME, () => {
      const byName = new Map<string, FuncDecl>();
      for (const f of this.files.values()) {
        for (const fn of f.funcs) {
          const key = fn.receiverType ? `${fn.receiverType}.${fn.name}` : fn.name;
          if (!byName.has(key)) byName.set(key, fn);
        }
      }
      return byName;
    });
  }

  /**
   * True when every mention of the function or method name in the package is its declaration
   * or a `go` launch: nothing calls it synchronously or passes it around.
   */
  onlyLaunched(name: string): boolean {
    return this.recorder ? this.recorded(`onlyLaunched ${name}`, () => this.launchedOnly(name)) : this.launchedOnly(name);
  }

  private launchedOnly(name: string): boolean {
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
    // The body lives in another file: cached findings that read it depend on its text.
    if (this.recorder) this.recorded(`body ${decl.path}:${decl.start}`, () => this.files.get(decl.path)?.text.slice(decl.start, decl.end));
    const key = `${decl.path}:${decl.start}`;
    if (!this.parsedDecls.has(key)) {
      const facts = this.files.get(decl.path);
      const tree = facts && this.parse(facts.text);
      try {
        const node = tree?.rootNode.descendantForIndex(decl.start, decl.start);
        let top = node;
        while (top && top.parent && top.parent.type !== 'source_file') top = top.parent;
        this.parsedDecls.set(key, top && facts && !top.hasError ? lowerDeclaration(top, facts.text, decl.path) : undefined);
      } finally {
        tree?.delete();
      }
    }
    return this.parsedDecls.get(key);
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
    this.parsedDecls.clear();
    this.memos.clear();
  }
}

function syncHasMethod(kind: SyncKind, method: string): boolean {
  if (kind === 'WaitGroup') return ['Add', 'Done', 'Wait', 'Go'].includes(method);
  if (kind === 'Mutex') return ['Lock', 'Unlock', 'TryLock'].includes(method);
  return ['Lock', 'Unlock', 'RLock', 'RUnlock', 'TryLock', 'TryRLock', 'RLocker'].includes(method);
}

/** A question the index answered during a check: replaying it tells whether the answer still holds. */
export interface Lookup {
  replay: () => boolean;
}

/** The same function to a rule: same file, name, receiver and result types, wherever it moved. */
function sameHeader(a: FuncDecl | undefined, b: FuncDecl | undefined): boolean {
  return a === b || (!!a && !!b && a.path === b.path && a.name === b.name && a.receiverType === b.receiverType && a.results === b.results);
}
