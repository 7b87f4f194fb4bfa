/**
 * End to end, in a real VS Code (code-server 4.100.3 = VS Code 1.100.3) driven by Debian's Chromium
 * through playwright-core, against the real language server and the real Docker Engine. The steps build
 * on each other, as a user's session would; every wait is on a DOM condition (or the engine's state).
 *
 * Screenshots of the main states: `npm run screenshots` writes them to docs/images/ (the README shows them).
 * Run by test/e2e/run.sh (part of `npm test`), which installs code-server when missing.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { ANCHOR_LABEL } from '../../server/anchor/labels';
import { docker, removeUnder } from '../support/engine';
import { ROOT, until } from '../support/server';
import { type CodeServer, codeServerExecutable, languageServerPids, packageExtension, startCodeServer } from './codeServer';
import {
  contextMenu,
  dialogButton,
  terminalFocused,
  openCircuitView,
  openWorkbench,
  quickInput,
  quickPickRow,
  runCommand,
  screenshot,
  TIMEOUT,
  treeRow,
  waitForDescription,
  waitForTerminal,
  type Workbench,
} from './workbench';

const prefix = `e2e-${randomBytes(4).toString('hex')}`;
const at = (name: string) => `/local/${prefix}/${name}`;
const failures = path.join(os.tmpdir(), 'circuit-e2e-failures');

/** One step of the session: on failure, a screenshot of the workbench goes to $TMPDIR/circuit-e2e-failures/. */
function step(name: string, fn: () => Promise<void>): void {
  it(name, { timeout: 90_000 }, async () => {
    try {
      await fn();
    } catch (err) {
      fs.mkdirSync(failures, { recursive: true });
      const file = path.join(failures, `${name.replace(/[^A-Za-z0-9]+/g, '-').slice(0, 60)}.png`);
      await page?.screenshot({ path: file }).catch(() => undefined);
      console.log(`# screenshot of the failure: ${file}`);
      throw err;
    }
  });
}

let server: CodeServer;
let workbench: Workbench;
let page: Page;
let workspace: string;

/** The container the engine holds for an anchor (below the host), by the server's label. */
async function containerAt(name: string): Promise<{ Id: string } | undefined> {
  const list = await docker.listContainers({ all: true, filters: { label: [`${ANCHOR_LABEL}=/${prefix}/${name}`] } });
  return list[0];
}

async function openFile(name: string): Promise<void> {
  await page.keyboard.press('Control+P');
  await quickInput(page).fill(name);
  await quickPickRow(page, name).waitFor();
  await page.keyboard.press('Enter');
  await page.locator('.tabs-container .tab.active', { hasText: name }).waitFor();
}

/** Circuit: Make Container… (palette or CodeLens) from a spec, at a typed path; waits for the element in the tree. */
async function makeAt(spec: string, name: string, options: { shot?: string; codeLens?: boolean } = {}): Promise<void> {
  await openFile(spec);
  if (options.codeLens) await page.locator('.monaco-editor .codelens-decoration a', { hasText: 'Make container…' }).click();
  else await runCommand(page, 'Circuit: Make Container…');
  await quickInput(page).fill(at(name));
  await quickPickRow(page, 'new anchor').waitFor();
  if (options.shot !== undefined) await screenshot(page, options.shot);
  await page.keyboard.press('Enter');
  await waitForDescription(page, name, /^running · circuit-busybox$/);
}

describe('the extension in a real VS Code', { timeout: 600_000 }, () => {
  before(async () => {
    const executable = codeServerExecutable();
    const vsix = process.env.CIRCUIT_VSIX ?? packageExtension();
    workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'circuit-e2e-ws-'));
    for (const f of fs.readdirSync(path.join(ROOT, 'examples'))) fs.copyFileSync(path.join(ROOT, 'examples', f), path.join(workspace, f));
    fs.writeFileSync(path.join(workspace, 'sleep.circuit.json'), JSON.stringify({ Image: 'circuit-busybox:latest', Path: '/bin/sleep', Args: ['3600'] }, null, 2));
    fs.writeFileSync(
      path.join(workspace, 'counter.circuit.json'),
      JSON.stringify({ Image: 'circuit-busybox:latest', Path: '/bin/sh', Args: ['-c', 'i=0; while true; do echo tick-$i; i=$((i+1)); sleep 0.2; done'] }, null, 2),
    );
    fs.writeFileSync(path.join(workspace, 'broken.circuit.json'), '{\n  "Image": "circuit-busybox:latest",\n  "Memory": "64m",\n  "Path": "/bin/true"\n}\n');
    server = await startCodeServer({ executable, vsix });
    workbench = await openWorkbench(server.url, workspace, path.join(server.dir, 'chromium'));
    page = workbench.page;
  });

  after(async () => {
    await workbench?.close().catch(() => undefined);
    const pids = server === undefined ? [] : languageServerPids(server);
    await server?.stop();
    await removeUnder(prefix);
    if (workspace !== undefined) fs.rmSync(workspace, { recursive: true, force: true });
    // Stopping code-server ends the language server it started.
    await until(() => pids.every((pid) => !fs.existsSync(`/proc/${pid}`)), 10_000, 'language servers gone');
  });

  step('shows the host in the Circuit view', async () => {
    await openCircuitView(page);
    await waitForDescription(page, 'local', /^connected/);
    await page.locator('.statusbar-item', { hasText: /1 host · \d+ running/ }).waitFor();
  });

  step('shows a spec mistake in the Problems panel and fixes it with the quick fix', async () => {
    await openFile('broken.circuit.json');
    await runCommand(page, 'View: Focus Problems (Errors, Warnings, Infos)');
    const problem = page.locator('.markers-panel .monaco-list-row', { hasText: /Memory|64m/ }).first();
    await problem.waitFor();
    await screenshot(page, 'problems');
    // Make refuses a spec with errors, and says why.
    await runCommand(page, 'Circuit: Make Container…');
    await page.locator('.notification-toast', { hasText: 'fix the spec first' }).waitFor();
    await runCommand(page, 'Notifications: Clear All Notifications');
    // The quick fix, at the value: go to line 3, column 14 (inside "64m"), Ctrl+., Enter.
    await page.keyboard.press('Control+G');
    await quickInput(page).fill(':3:14');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Control+.');
    await page.locator('.action-widget .monaco-list-row.focused', { hasText: /67108864/ }).waitFor();
    await page.keyboard.press('Enter');
    await page.locator('.monaco-editor .view-line', { hasText: '67108864' }).waitFor();
    await problem.waitFor({ state: 'detached' });
  });

  step('makes a container at a typed path and reveals it in the tree', async () => {
    await makeAt('cat.circuit.json', 'cat', { shot: 'make-path' });
    assert.ok(await containerAt('cat'), 'the engine holds the container');
    await treeRow(page, 'cat').locator('.codicon-vm-running').waitFor();
  });

  step('opens the terminal: a line typed comes back from cat, Ctrl-D ends it with its exit code', async () => {
    await contextMenu(page, treeRow(page, 'cat'), 'Open Terminal');
    await page.locator('.terminal-wrapper.active .xterm').waitFor();
    await terminalFocused(page);
    const token = `hello-${randomBytes(3).toString('hex')}`;
    await page.keyboard.type(token);
    await page.keyboard.press('Enter');
    // Once as the local echo, once as cat's output.
    await waitForTerminal(page, (t) => t.split(token).length - 1 === 2, `${token} twice`);
    await screenshot(page, 'terminal');
    await page.keyboard.press('Control+D');
    await waitForTerminal(page, (t) => t.includes('[container exited with code 0]'), 'the exit line');
    await waitForDescription(page, 'cat', /^exited \(0\)/);
  });

  step('closing a terminal detaches: the container keeps its stdin, a new terminal replays and is reused', async () => {
    await makeAt('cat.circuit.json', 'cat2');
    await contextMenu(page, treeRow(page, 'cat2'), 'Open Terminal');
    await terminalFocused(page);
    await page.keyboard.type('first-line');
    await page.keyboard.press('Enter');
    await waitForTerminal(page, (t) => t.split('first-line').length - 1 === 2, 'first-line twice');
    await runCommand(page, 'Terminal: Kill the Active Terminal Instance');
    await page.locator('.terminal-wrapper', { hasText: 'first-line' }).waitFor({ state: 'detached' });
    await waitForDescription(page, 'cat2', /^running/);

    // A new terminal: the replay shows cat's output (not the old local echo), and stdin is still open.
    await contextMenu(page, treeRow(page, 'cat2'), 'Open Terminal');
    await waitForTerminal(page, (t) => t.split('first-line').length - 1 === 1, 'first-line replayed once');
    const terminals = await page.locator('.terminal-wrapper').count();
    await contextMenu(page, treeRow(page, 'cat2'), 'Open Terminal');
    assert.equal(await page.locator('.terminal-wrapper').count(), terminals, 'the same terminal is reused');
    await terminalFocused(page);
    await page.keyboard.type('second-line');
    await page.keyboard.press('Enter');
    await waitForTerminal(page, (t) => t.split('second-line').length - 1 === 2, 'second-line twice');
  });

  step('Peek shows the inspect JSON in a read-only document', async () => {
    const container = await containerAt('cat');
    assert.ok(container);
    await contextMenu(page, treeRow(page, 'cat'), 'Peek');
    await page.locator('.tabs-container .tab.active', { hasText: 'cat.json' }).waitFor();
    await page.locator('.monaco-editor .view-line', { hasText: `"Id": "${container.Id}"` }).waitFor();
    await page.locator('.monaco-editor .view-line', { hasText: '"State": {' }).waitFor();
    await screenshot(page, 'peek');
  });

  step('Signal KILL turns a sleep container exited (137), with its icon', async () => {
    await makeAt('sleep.circuit.json', 'sleep', { codeLens: true });
    await contextMenu(page, treeRow(page, 'sleep'), 'Signal…');
    await quickPickRow(page, /^KILL/).click();
    await dialogButton(page, 'Send KILL');
    await waitForDescription(page, 'sleep', /^exited \(137\)/);
    await treeRow(page, 'sleep').locator('.codicon-error').waitFor();
  });

  step('an external docker kill shows in the tree in well under a second', async () => {
    await makeAt('sleep.circuit.json', 'sleep2');
    const container = await containerAt('sleep2');
    assert.ok(container);
    const started = Date.now();
    await docker.getContainer(container.Id).kill();
    await waitForDescription(page, 'sleep2', /^exited \(137\)/, 5000);
    const ms = Date.now() - started;
    console.log(`# docker kill → tree shows exited (137): ${ms} ms`);
    assert.ok(ms < 1000, `took ${ms} ms`);
  });

  step('Scrub removes the element from the tree and the engine', async () => {
    await contextMenu(page, treeRow(page, 'sleep2'), 'Scrub');
    await dialogButton(page, 'Scrub');
    await treeRow(page, 'sleep2').waitFor({ state: 'detached' });
    assert.equal(await containerAt('sleep2'), undefined);
  });

  step('survives a server crash: the tree reloads and an open terminal re-attaches without doubled output', async () => {
    await makeAt('counter.circuit.json', 'counter');
    await contextMenu(page, treeRow(page, 'counter'), 'Open Terminal');
    const ticks = (text: string) => [...text.matchAll(/tick-(\d+)/g)].map((m) => Number(m[1]));
    const before = ticks(await waitForTerminal(page, (t) => ticks(t).length >= 3, 'three ticks'));
    await screenshot(page, 'anchors');

    const [pid] = languageServerPids(server);
    assert.ok(pid, 'the language server runs');
    process.kill(pid, 'SIGKILL');
    await until(() => languageServerPids(server).some((p) => p !== pid), TIMEOUT, 'a new language server');
    // The tree is back from the new server.
    await waitForDescription(page, 'counter', /^running/);
    const last = Math.max(...before);
    const text = await waitForTerminal(page, (t) => ticks(t).some((n) => n > last + 2), 'ticks after the restart');
    // The replay after re-attaching skipped what was shown: no tick twice, none lost.
    const shown = ticks(text);
    for (let i = 1; i < shown.length; i++) assert.equal(shown[i], (shown[i - 1] ?? 0) + 1, `ticks shown: ${shown.join(' ')}`);
  });

  step('says why in the welcome view when no host is connected, and comes back when one is', async () => {
    // circuit.hosts is machine-scoped: in code-server it lives in the Remote settings. A change there
    // reaches the server as workspace/didChangeConfiguration.
    const remoteSettings = async (text: string) => {
      await runCommand(page, 'Preferences: Open Remote Settings (JSON)');
      await page.locator('.tabs-container .tab.active', { hasText: 'settings.json' }).waitFor();
      await page.locator('.monaco-editor .view-lines').first().click();
      await page.keyboard.press('Control+A');
      await page.keyboard.press('Delete');
      await page.keyboard.insertText(text);
      await page.keyboard.press('Control+S');
      await page.locator('.tabs-container .tab.active.dirty').waitFor({ state: 'detached' });
    };
    await remoteSettings(JSON.stringify({ 'circuit.hosts': [{ name: 'gone', docker: `unix://${path.join(server.dir, 'no-such-docker.sock')}` }] }));
    const welcome = page.locator('#workbench\\.parts\\.sidebar .welcome-view-content', { hasText: 'No Docker Engine answers' });
    await welcome.waitFor();
    await page.locator('.statusbar-item', { hasText: '0/1 host' }).waitFor();
    await runCommand(page, 'View: Close All Editors');
    await runCommand(page, 'View: Hide Panel');
    await screenshot(page, 'welcome');
    await remoteSettings('{}');
    await welcome.waitFor({ state: 'detached' });
    await waitForDescription(page, 'local', /^connected/);
  });
});
