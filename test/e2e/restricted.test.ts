/**
 * Restricted Mode in a real VS Code: an untrusted workspace gets the spec's validation, but no Make
 * (neither from the palette nor from the CodeLens). A code-server of its own, with workspace trust on.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { type CodeServer, codeServerExecutable, packageExtension, startCodeServer } from './codeServer';
import { openWorkbench, quickInput, quickPickRow, type Workbench } from './workbench';

let server: CodeServer;
let workbench: Workbench;
let page: Page;
let workspace: string;

describe('the extension in Restricted Mode', { timeout: 180_000 }, () => {
  before(async () => {
    const executable = codeServerExecutable();
    const vsix = process.env.CIRCUIT_VSIX ?? packageExtension();
    workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'circuit-e2e-untrusted-'));
    fs.writeFileSync(path.join(workspace, 'job.circuit.json'), '{\n  "Image": "circuit-busybox:latest",\n  "Memory": "64m",\n  "Path": "/bin/true"\n}\n');
    server = await startCodeServer({
      executable,
      vsix,
      workspaceTrust: true,
      settings: { 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'never', 'security.workspace.trust.banner': 'never' },
    });
    workbench = await openWorkbench(server.url, workspace, path.join(server.dir, 'chromium'));
    page = workbench.page;
  });

  after(async () => {
    await workbench?.close().catch(() => undefined);
    await server?.stop();
    if (workspace !== undefined) fs.rmSync(workspace, { recursive: true, force: true });
  });

  it('validates the spec but offers no Make', async () => {
    await page.locator('.statusbar-item', { hasText: /Restricted Mode/ }).waitFor();
    await page.keyboard.press('Control+P');
    await quickInput(page).fill('job.circuit.json');
    await quickPickRow(page, 'job.circuit.json').waitFor();
    await page.keyboard.press('Enter');
    // Validation still runs: the squiggle under "64m".
    await page.locator('.monaco-editor .squiggly-error').first().waitFor();
    // The palette has no enabled Make Container.
    await page.keyboard.press('F1');
    await quickInput(page).fill('>Circuit: ');
    await quickPickRow(page, 'Circuit: Peek').waitFor();
    await quickInput(page).fill('>Circuit: Make Container');
    await page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: 'Make Container' }).waitFor({ state: 'detached' });
    await page.keyboard.press('Escape');
  });
});
