/**
 * Driving the VS Code workbench in Debian's Chromium through playwright-core: the activity bar, the
 * command palette, tree items, context menus, dialogs, the terminal. Every wait is on a DOM condition.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';
import { ROOT } from '../support/server';

export const TIMEOUT = 20_000;

// The little of the DOM that the functions run inside the page use (the project compiles without lib "dom").
interface PageElement {
  textContent: string | null;
  querySelector(selector: string): PageElement | null;
}
declare const document: { querySelectorAll(selector: string): ArrayLike<PageElement> & Iterable<PageElement> };
declare function requestAnimationFrame(callback: () => void): number;

export interface Workbench {
  page: Page;
  close(): Promise<void>;
}

export async function openWorkbench(url: string, folder: string, profileDir: string): Promise<Workbench> {
  const context: BrowserContext = await chromium.launchPersistentContext(profileDir, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1400, height: 860 },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(TIMEOUT);
  await page.goto(`${url}/?folder=${encodeURIComponent(folder)}`);
  await page.locator('.monaco-workbench').waitFor();
  return { page, close: () => context.close() };
}

/** Runs a command from the palette by its full title, e.g. `Circuit: Peek`. */
export async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input.input');
  await input.waitFor();
  await input.fill(`>${title}`);
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
  await row.waitFor();
  await row.click();
}

/** The quick input's text box (palette, quick picks, input boxes). */
export function quickInput(page: Page): Locator {
  return page.locator('.quick-input-widget input.input');
}

/** A row of the open quick pick holding `text`. */
export function quickPickRow(page: Page, text: string | RegExp): Locator {
  return page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: text }).first();
}

/** The Circuit view in the activity bar. */
export async function openCircuitView(page: Page): Promise<void> {
  const entry = page.locator('.part.activitybar .action-item a[aria-label^="Circuit"]').first();
  await entry.waitFor();
  // With one view in the container, the sidebar's title reads "CIRCUIT: ANCHORS".
  const title = page.locator('#workbench\\.parts\\.sidebar .composite.title .title-label', { hasText: /circuit/i });
  if (!(await title.isVisible())) await entry.click();
  await title.waitFor();
}

/** A row of the Anchors tree, by the anchor's last name (the row's label). */
export function treeRow(page: Page, label: string): Locator {
  return page
    .locator('#workbench\\.parts\\.sidebar .monaco-list-row[role="treeitem"]')
    .filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${escapeRegExp(label)}$`) }) })
    .first();
}

/** The description text of a tree row (e.g. `running · circuit-busybox`). */
export async function rowDescription(row: Locator): Promise<string> {
  return (await row.locator('.label-description').textContent()) ?? '';
}

/** Waits until a row's description matches. */
export async function waitForDescription(page: Page, label: string, pattern: RegExp, timeout = TIMEOUT): Promise<void> {
  await page.waitForFunction(
    ({ label, source, flags }) => {
      const re = new RegExp(source, flags);
      const rows = document.querySelectorAll('#workbench\\.parts\\.sidebar .monaco-list-row[role="treeitem"]');
      return [...rows].some((r) => r.querySelector('.label-name')?.textContent === label && re.test(r.querySelector('.label-description')?.textContent ?? ''));
    },
    { label, source: pattern.source, flags: pattern.flags },
    { timeout },
  );
}

/** Right-clicks a row and picks a context-menu entry. */
export async function contextMenu(page: Page, row: Locator, entry: string): Promise<void> {
  await row.click({ button: 'right' });
  const item = page.locator('.context-view .monaco-menu .action-item:not(.disabled) .action-label', { hasText: new RegExp(`^${escapeRegExp(entry)}$`) }).first();
  await item.waitFor();
  // The menu runs an entry on its own mouse-up handling, which a synthetic click misses; hovering
  // focuses the entry and Enter runs it, as a keyboard user would.
  await item.hover();
  await page.keyboard.press('Enter');
  await page.locator('.context-view .monaco-menu').waitFor({ state: 'detached' });
}

/** Clicks a button of the modal dialog. */
export async function dialogButton(page: Page, label: string): Promise<void> {
  const button = page.locator('.monaco-dialog-box .dialog-buttons .monaco-button', { hasText: label }).first();
  await button.waitFor();
  await button.click();
  await page.locator('.monaco-dialog-box').waitFor({ state: 'detached' });
}

/** Waits until the active terminal has the keyboard (Open Terminal shows it with focus). */
export async function terminalFocused(page: Page): Promise<void> {
  await page.locator('.terminal-wrapper.active .xterm.focus').waitFor();
}

/** The text of the visible terminal (the DOM renderer; see terminal.integrated.gpuAcceleration). */
export async function terminalText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const rows = [...document.querySelectorAll('.terminal-wrapper.active .xterm-rows > div, .xterm-rows > div')];
    return rows.map((r) => r.textContent ?? '').join('\n');
  });
}

/** Waits until the visible terminal's text satisfies `test`; returns it. */
export async function waitForTerminal(page: Page, test: (text: string) => boolean, what: string, timeout = TIMEOUT): Promise<string> {
  const deadline = Date.now() + timeout;
  let text = '';
  // Polls the DOM (not a fixed sleep): each round waits for the next animation frame.
  while (Date.now() < deadline) {
    text = await terminalText(page);
    if (test(text)) return text;
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 20))));
  }
  throw new Error(`terminal never showed ${what}; it shows:\n${text}`);
}

/**
 * A screenshot of a main state. `npm run screenshots` (CIRCUIT_SCREENSHOTS=docs/images) writes the
 * README's pictures; other runs write them to $TMPDIR/circuit-e2e-screenshots, so a test run leaves the
 * work tree as it was.
 */
export async function screenshot(page: Page, name: string): Promise<void> {
  const target = process.env.CIRCUIT_SCREENSHOTS;
  const dir = target ? path.resolve(ROOT, target) : path.join(os.tmpdir(), 'circuit-e2e-screenshots');
  fs.mkdirSync(dir, { recursive: true });
  // Toasts (e.g. the workbench's one-time hint about keybindings in terminals) are not part of the state.
  await page.screenshot({ path: path.join(dir, `${name}.png`), style: '.notifications-toasts { visibility: hidden !important; }' });
}

export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
