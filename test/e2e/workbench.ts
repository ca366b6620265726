// Reading and driving the VS Code workbench DOM in the browser. These selectors are VS Code
// internals (not API) that held on VS Code 1.100 and 1.139; keep them all here.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';

export const SEL = {
  editor: '.monaco-editor[data-uri$=".go"]',
  squiggle: '.squiggly-warning, .squiggly-error, .squiggly-info',
  hover: '.monaco-hover:not(.hidden)',
  actionWidget: '.action-widget',
  problemsRow: '.markers-panel .monaco-list-row',
  quickInput: '.quick-input-widget',
} as const;

/** The little of the DOM the page functions below use (the project compiles without lib "dom"). */
interface El {
  className: string;
  textContent: string | null;
  parentElement: El | null;
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
