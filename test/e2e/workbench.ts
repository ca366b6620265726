// Reading and driving the VS Code workbench DOM in the browser. These selectors are VS Code
// internals (not API) that held on VS Code 1.100 and 1.139; keep them all here.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';

export const SEL = {
  editor: '.monaco-editor[data-uri$=".go"]',
  squiggle: '.squiggly-warning, .squiggly-error, .squiggly-info',
  hover: '.monaco-hover:not(.hidden)',
  actionWidget: '.action-widget:not(.action-list-submenu-panel)',
  /** An entry of the quick-fix menu (headers are rows too, without the `action` class). */
  actionRow: '.monaco-list-row.action',
  problemsPanel: '.markers-panel',
  /** Rows of the Problems tree: aria-level 1 a file, 2 a problem, 3 its related information. */
  problemsRow: '.markers-panel .monaco-list-row',
  quickInput: '.quick-input-widget',
  notification: '.notifications-toasts .notification-toast',
} as const;

/** The little of the DOM the page functions below use (the project compiles without lib "dom"). */
interface El {
  className: string;
  textContent: string | null;
  parentElement: El | null;
  getAttribute(name: string): string | null;
  style: { top: string };
  querySelector(selector: string): El | null;
  querySelectorAll(selector: string): Iterable<El> & ArrayLike<El>;
  getBoundingClientRect(): { x: number; y: number; width: number; height: number };
}

export interface Squiggle {
  /** 1-based editor line. */
  line: number;
  className: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * Squiggles of the visible editor with their 1-based line numbers: each decoration sits in a
 * `.view-overlays` line box whose `top` equals the gutter line box of the same line.
 */
export async function squiggles(page: Page): Promise<Squiggle[]> {
  return page.evaluate((sel) => {
    // Runs in the page: only what is written inline here exists there.
    const editor = (globalThis as unknown as { document: El }).document.querySelector(sel.editor);
    if (!editor) return [];
    const lineByTop = new Map<string, number>();
    for (const n of editor.querySelectorAll('.margin-view-overlays .line-numbers')) {
      const box = n.parentElement!;
      lineByTop.set(box.style.top, Number(n.textContent?.trim()));
    }
    const out: { line: number; className: string; x: number; y: number; width: number; height: number }[] = [];
    for (const s of editor.querySelectorAll(sel.squiggle)) {
      const box = s.parentElement!;
      const r = s.getBoundingClientRect();
      const line = lineByTop.get(box.style.top);
      if (line !== undefined && r.width > 0) out.push({ line, className: s.className, x: r.x, y: r.y, width: r.width, height: r.height });
    }
    return out.sort((a, b) => a.line - b.line);
  }, SEL);
}

/** Waits until every line in `lines` carries a squiggle; returns them. */
export async function waitForSquiggles(page: Page, lines: number[], timeoutMs: number, pollMs = 100): Promise<Squiggle[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await squiggles(page);
    if (lines.every((l) => found.some((s) => s.line === l))) return found;
    if (Date.now() > deadline) throw new Error(`no squiggle on line(s) ${lines.filter((l) => !found.some((s) => s.line === l)).join(', ')} within ${timeoutMs} ms (squiggles on: ${found.map((s) => s.line).join(', ') || 'none'})`);
    await page.waitForTimeout(pollMs);
  }
}

/** Screen box of the first token of a 1-based line whose text is `token` (e.g. a `defer` keyword). */
export async function tokenBox(page: Page, line: number, token: string): Promise<{ x: number; y: number; width: number; height: number }> {
  const box = await page.evaluate(
    ({ sel, line, token }) => {
      // Runs in the page: only what is written inline here exists there.
      const editor = (globalThis as unknown as { document: El }).document.querySelector(sel.editor);
      if (!editor) return undefined;
      let top: string | undefined;
      for (const n of editor.querySelectorAll('.margin-view-overlays .line-numbers')) if (Number(n.textContent?.trim()) === line) top = n.parentElement!.style.top;
      for (const l of editor.querySelectorAll('.view-lines .view-line')) {
        if (l.style.top !== top) continue;
        for (const span of l.querySelectorAll('span span')) if (span.textContent?.trim() === token) return span.getBoundingClientRect();
      }
      return undefined;
    },
    { sel: SEL, line, token },
  );
  if (!box) throw new Error(`no "${token}" token visible on line ${line}`);
  return { x: box.x, y: box.y, width: box.width, height: box.height };
}

/** Waits until none of the 1-based `lines` carries a squiggle. */
export async function waitForNoSquiggle(page: Page, lines: number[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const left = (await squiggles(page)).filter((s) => lines.includes(s.line));
    if (left.length === 0) return;
    if (Date.now() > deadline) throw new Error(`squiggles still on line(s) ${left.map((s) => s.line).join(', ')} after ${timeoutMs} ms`);
    await page.waitForTimeout(100);
  }
}

/** Moves the mouse onto a squiggle and returns the text of the hover that opens. */
export async function hoverText(page: Page, target: { x: number; y: number; width: number; height: number }, timeoutMs = 15_000): Promise<string> {
  await page.mouse.move(5, 5);
  const hover = page.locator(SEL.hover).first();
  await hover.waitFor({ state: 'hidden', timeout: 5_000 }).catch(() => undefined);
  await page.mouse.move(target.x + Math.min(target.width / 2, 30), target.y + target.height / 2 - 2, { steps: 3 });
  await hover.waitFor({ state: 'visible', timeout: timeoutMs });
  return (await hover.innerText()).replace(/\u00a0/g, ' ');
}

/** Opens a file of the workspace with Quick Open (Ctrl+P) and waits for its editor. */
export async function openWithQuickOpen(page: Page, fileName: string): Promise<Locator> {
  await page.keyboard.press('Control+P');
  const input = page.locator(`${SEL.quickInput} input`);
  await input.waitFor({ state: 'visible', timeout: 30_000 });
  await input.fill(fileName);
  await page.locator(`${SEL.quickInput} .monaco-list-row`).first().waitFor({ timeout: 30_000 });
  await page.keyboard.press('Enter');
  const editor = page.locator(`.monaco-editor[data-uri$="/${fileName}"]`);
  await editor.waitFor({ state: 'visible', timeout: 60_000 });
  return editor;
}

/** Puts the cursor at the end of a 1-based line with "Go to Line" (Ctrl+G). */
export async function goToLineEnd(page: Page, line: number): Promise<void> {
  await page.keyboard.press('Control+G');
  const input = page.locator(`${SEL.quickInput} input`);
  await input.waitFor({ state: 'visible', timeout: 15_000 });
  await input.fill(`:${line}`);
  await page.keyboard.press('Enter');
  await input.waitFor({ state: 'hidden', timeout: 15_000 });
  await page.keyboard.press('End');
}

/** Runs a command from the command palette (F1) by its title, e.g. "WaitGuard: Scan Workspace". */
export async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator(`${SEL.quickInput} input`);
  await input.waitFor({ state: 'visible', timeout: 15_000 });
  await page.keyboard.type(title);
  const row = page.locator(`${SEL.quickInput} .monaco-list-row`, { hasText: title }).first();
  await row.waitFor({ state: 'visible', timeout: 30_000 });
  await row.click();
  await input.waitFor({ state: 'hidden', timeout: 15_000 });
}

/** Opens the Problems panel (Ctrl+Shift+M). */
export async function openProblems(page: Page): Promise<void> {
  await page.keyboard.press('Control+Shift+M');
  await page.locator(SEL.problemsPanel).waitFor({ state: 'visible', timeout: 15_000 });
}

/** Closes the bottom panel (the editor gets its height back). */
export async function closePanel(page: Page): Promise<void> {
  await runCommand(page, 'View: Hide Panel');
  await page.locator(SEL.problemsPanel).waitFor({ state: 'hidden', timeout: 15_000 });
}

/**
 * The Problems panel as rendered: file name → the text of each of its problems (message, source
 * and code, `[Ln L, Col C]`). Only rendered rows count: the list is virtual, so the panel must be
 * tall enough (USER_SETTINGS opens it maximized).
 */
export async function problems(page: Page): Promise<Map<string, string[]>> {
  const rows = await page.evaluate((sel) => {
    // Runs in the page: only what is written inline here exists there.
    const doc = (globalThis as unknown as { document: El }).document;
    const out: { level: number; top: number; name: string; text: string }[] = [];
    for (const row of doc.querySelectorAll(sel.problemsRow)) {
      const label = row.querySelector('.label-name');
      out.push({
        level: Number(row.getAttribute('aria-level')),
        top: parseFloat(row.style.top),
        name: (label?.textContent ?? '').trim(),
        text: (row.textContent ?? '').replace(/\u00a0/g, ' ').replace(/\s+/g, ' ').trim(),
      });
    }
    return out.sort((a, b) => a.top - b.top);
  }, SEL);
  const byFile = new Map<string, string[]>();
  let file: string | undefined;
  for (const row of rows) {
    if (row.level === 1) byFile.set((file = row.name || row.text), []);
    else if (row.level === 2 && file !== undefined) byFile.get(file)!.push(row.text);
  }
  return byFile;
}

/** The editor's text as rendered, lines ordered by their position (Monaco reuses line nodes). */
export async function visibleLines(page: Page): Promise<string[]> {
  return page.evaluate((sel) => {
    // Runs in the page: only what is written inline here exists there.
    const editor = (globalThis as unknown as { document: El }).document.querySelector(sel.editor);
    if (!editor) return [];
    const lines = [...editor.querySelectorAll('.view-lines .view-line')];
    return lines.sort((a, b) => parseFloat(a.style.top) - parseFloat(b.style.top)).map((l) => (l.textContent ?? '').replace(/\u00a0/g, ' '));
  }, SEL);
}

/** One screenshot per step, numbered in order, in the artifacts directory; prints the path. */
export class Artifacts {
  private n = 0;
  constructor(readonly dir: string) {}

  async shot(page: Page, name: string): Promise<string> {
    mkdirSync(this.dir, { recursive: true });
    const path = join(this.dir, `${String(++this.n).padStart(2, '0')}-${name}.png`);
    await page.screenshot({ path });
    console.log(`screenshot: ${path}`);
    return path;
  }
}
