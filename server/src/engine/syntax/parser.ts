import { join } from 'node:path';
import { Edit, Language, Parser, type Tree } from 'web-tree-sitter';
import { bindCursorFunctions } from './walk';
import type { FileText } from './fileText';

/** Default per-parse time budget; a file that takes longer is skipped, not waited for. */
export const DEFAULT_PARSE_BUDGET_MS = 5_000;

/** A file given up on: drivers skip it and report the message. */
export class FileSkipped extends Error {}

export class ParseTimeout extends FileSkipped {
  constructor(readonly budgetMs: number) {
    super(`parsing took longer than ${budgetMs} ms`);
  }
}

let initialised: Promise<Language> | undefined;

/**
 * Loads web-tree-sitter and the Go grammar once per process (or worker). `wasmDir` holds
 * web-tree-sitter.wasm and tree-sitter-go.wasm: the bundles ship them next to themselves.
 */
function loadGo(wasmDir: string): Promise<Language> {
  // Emscripten turns the options object into the module itself, exports included.
  const module = { locateFile: (name: string) => join(wasmDir, name) };
  initialised ??= Parser.init(module).then(() => {
    bindCursorFunctions(module);
    return Language.load(join(wasmDir, 'tree-sitter-go.wasm'));
  });
  return initialised;
}

/** A Go parser. Not re-entrant: one parse at a time. */
export class GoParser {
  private constructor(
    readonly language: Language,
    private parser: Parser,
    /** The time budget of a parse when the caller gives none (drivers expose it as an option). */
    public budgetMs: number,
  ) {}

  static async create(wasmDir: string, options: { budgetMs?: number } = {}): Promise<GoParser> {
    const language = await loadGo(wasmDir);
    return new GoParser(language, new Parser().setLanguage(language), options.budgetMs ?? DEFAULT_PARSE_BUDGET_MS);
  }

  /**
   * Parses `text`, reusing `oldTree` (already edited to match) when given.
   * Throws ParseTimeout when the budget runs out; the parser is then reset.
   */
  parse(text: FileText, oldTree?: Tree, budgetMs = this.budgetMs): Tree {
    const deadline = performance.now() + budgetMs;
    // Returning true from the progress callback cancels the parse (the typings say void).
    const progressCallback = (() => performance.now() > deadline) as unknown as () => void;
    const input = typeof text === 'string' ? text : (index: number) => text.chunkFrom(index);
    const tree = this.parser.parse(input, oldTree ?? null, { progressCallback });
    if (!tree) {
      this.parser.reset();
      throw new ParseTimeout(budgetMs);
    }
    return tree;
  }
}

export { Edit };
export type { Tree };
