// A fresh code-server (a real VS Code served to a browser) and Debian's Chromium driven by
// playwright-core. Everything lives in one temporary folder: user data, extensions, XDG
// directories, the browser profile and the workspace copy. Facts behind the flags:
// /work/shared/notes/real-editor-tests.md (code-server 4.139.x on Node 24, from scripts/e2e-setup.sh).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const REPO = __REPO_ROOT__;
/** The extension folder built by scripts/build-e2e.mjs (package.json, dist/, suite bundles). */
export const STAGE = join(__dirname, 'stage');
export const CHROMIUM = process.env.WAITGUARD_CHROMIUM ?? '/usr/bin/chromium';

/** Quiet, deterministic editor settings: no trust prompt, no welcome page, no completion popups. */
export const USER_SETTINGS = {
  'security.workspace.trust.enabled': false,
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'update.mode': 'none',
  'telemetry.telemetryLevel': 'off',
  'chat.disableAIFeatures': true,
  'editor.hover.delay': 100,
  'editor.quickSuggestions': { other: false, comments: false, strings: false },
  'editor.suggestOnTriggerCharacters': false,
  'editor.wordBasedSuggestions': 'off',
  'editor.autoClosingBrackets': 'never',
  'editor.autoClosingQuotes': 'never',
  'editor.formatOnType': false,
  'editor.minimap.enabled': false,
  'files.autoSave': 'off',
  // The Problems list is virtual (only rows on screen exist): a maximized panel shows them all.
  'workbench.panel.opensMaximized': 'always',
};

export interface Installation {
  node: string;
  entry: string;
}

/** code-server and its Node 24, as installed by scripts/e2e-setup.sh (env vars override). */
export function findCodeServer(): Installation {
  if (process.env.WAITGUARD_CODE_SERVER && process.env.WAITGUARD_NODE24) return { entry: process.env.WAITGUARD_CODE_SERVER, node: process.env.WAITGUARD_NODE24 };
  const caches = [process.env.WAITGUARD_E2E_CACHE, '/var/cache/waitguard-e2e', join(homedir(), '.cache', 'waitguard-e2e')].filter((d): d is string => !!d);
  for (const dir of caches) {
    const envFile = join(dir, 'env');
    if (!existsSync(envFile)) continue;
    const vars = Object.fromEntries(readFileSync(envFile, 'utf8').split('\n').filter(Boolean).map((l) => l.split('=', 2) as [string, string]));
    if (existsSync(vars.WAITGUARD_CODE_SERVER) && existsSync(vars.WAITGUARD_NODE24)) return { entry: vars.WAITGUARD_CODE_SERVER, node: vars.WAITGUARD_NODE24 };
  }
  throw new Error(`code-server is not installed (looked in ${caches.join(', ')}): run scripts/e2e-setup.sh first`);
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export function elapsed(since: number): string {
  return `${((Date.now() - since) / 1000).toFixed(1)} s`;
}

/** Builds waitguard.vsix from the stage with the project's own `npm run package`. */
export function packageVsix(): string {
  const r = spawnSync('npm', ['run', 'package', '--silent'], { cwd: STAGE, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`npm run package failed in ${STAGE}:\n${r.stdout}\n${r.stderr}`);
  return join(STAGE, 'waitguard.vsix');
}

export interface CodeServerOptions {
  /** A .vsix to install into the fresh extensions directory before start. */
  vsix?: string;
  /** Extra code-server flags (e.g. `--vscode-option enable-smoke-test-driver`). */
  args?: string[];
  /** Extra environment for code-server, inherited by its extension host. */
  env?: Record<string, string>;
}

export class CodeServer {
  readonly dirs: { root: string; userData: string; extensions: string; workspace: string; profile: string };
  private process: ChildProcess | undefined;
  log = '';
  port = 0;

  constructor(readonly install: Installation = findCodeServer()) {
    const root = mkdtempSync(join(tmpdir(), 'waitguard-e2e-'));
    this.dirs = {
      root,
      userData: join(root, 'user-data'),
      extensions: join(root, 'extensions'),
      workspace: join(root, 'workspace'),
      profile: join(root, 'chromium-profile'),
    };
    for (const d of [this.dirs.userData, this.dirs.extensions, join(root, 'xdg-config'), join(root, 'xdg-data'), join(root, 'xdg-cache')]) mkdirSync(d, { recursive: true });
    mkdirSync(join(this.dirs.userData, 'User'), { recursive: true });
    writeFileSync(join(this.dirs.userData, 'User', 'settings.json'), JSON.stringify(USER_SETTINGS, null, 2));
  }

  /** Copies a folder of the checkout (e.g. examples/) into the workspace and returns its path. */
  copyIntoWorkspace(from: string): string {
    cpSync(from, this.dirs.workspace, { recursive: true });
    return this.dirs.workspace;
  }

  private get env(): NodeJS.ProcessEnv {
    const { root } = this.dirs;
    return { ...process.env, XDG_CONFIG_HOME: join(root, 'xdg-config'), XDG_DATA_HOME: join(root, 'xdg-data'), XDG_CACHE_HOME: join(root, 'xdg-cache') };
  }

  private get baseArgs(): string[] {
    return [this.install.entry, '--user-data-dir', this.dirs.userData, '--extensions-dir', this.dirs.extensions];
  }

  installExtension(vsix: string): void {
    const r = spawnSync(this.install.node, [...this.baseArgs, '--install-extension', vsix], { env: this.env, encoding: 'utf8' });
    if (r.status !== 0 || !/successfully installed/i.test(r.stdout + r.stderr)) throw new Error(`installing ${vsix} failed:\n${r.stdout}\n${r.stderr}`);
  }

  async start(options: CodeServerOptions = {}): Promise<void> {
    if (options.vsix) this.installExtension(options.vsix);
    this.port = await freePort();
    const args = [
      ...this.baseArgs,
      '--bind-addr', `127.0.0.1:${this.port}`,
      '--auth', 'none',
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      ...(options.args ?? []),
    ];
    const child = spawn(this.install.node, args, { env: { ...this.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    this.process = child;
    child.stdout!.on('data', (d) => (this.log += String(d)));
    child.stderr!.on('data', (d) => (this.log += String(d)));
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`code-server exited with ${child.exitCode}:\n${this.log}`);
      try {
        const res = await fetch(`http://127.0.0.1:${this.port}/healthz`);
        if (res.ok) return;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error(`code-server did not answer on port ${this.port} within 60 s:\n${this.log}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  /** `vscode-remote://` URI of a path on this server, as the URL payload wants it. */
  remoteUri(path: string): string {
    return `vscode-remote://127.0.0.1:${this.port}${path}`;
  }

  /** The workbench URL for a folder, with an optional payload (e.g. `[["openFile", uri]]`). */
  url(folder: string, payload?: [string, string][]): string {
    const query = `folder=${encodeURIComponent(folder)}`;
    return `http://127.0.0.1:${this.port}/?${query}${payload ? `&payload=${encodeURIComponent(JSON.stringify(payload))}` : ''}`;
  }

  /** Stops code-server and everything it spawned (its process group: extension host, language server). */
  async stop(): Promise<void> {
    const child = this.process;
    this.process = undefined;
    if (!child?.pid || child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      return;
    }
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // gone
      }
    }, 5_000);
    await exited;
    clearTimeout(timer);
    // Screenshots live in the artifacts directory; the rest goes unless WAITGUARD_E2E_KEEP is set.
    if (!process.env.WAITGUARD_E2E_KEEP) rmSync(this.dirs.root, { recursive: true, force: true });
    else console.log(`kept ${this.dirs.root} (code-server data, logs under user-data/logs)`);
  }
}

export async function launchChromium(profileDir: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    viewport: { width: 1400, height: 900 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return { context, page };
}
