// The extension in the browser's web worker extension host, as vscode.dev and github.dev run it:
// the same packaged .vsix, with `remote.extensionKind` set to ["ui"] for it in both settings tabs,
// so code-server's workbench runs its `browser` entry in the page's worker instead of its `main`
// in Node. A person's path through every local feature (CodeLens, Problems with their links,
// hover, the report, New CSR from the quick fix and from a compliant request), the calls absent,
// and a request on a virtual file system (a memfs: provider from a test extension).
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { createPrivateKey } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SAMPLE_FILES } from '../../scripts/vscode/sample-workspace';
import { findingHelpUri } from '../../src/core/csr/finding-help';
import { makeCsrPem } from '../fake-sectigo/csrs';
import { packageMemfsExtension } from './memfs-extension/package-extension';
import { sessionSteps } from './session-steps';
import { invokeToolsFromTestExtension } from './tool-calls';
import {
  UI_TIMEOUT,
  codeLens,
  codeLensLine,
  codeLensTexts,
  notification,
  openFile,
  openWorkbench,
  pickItem,
  problemRow,
  quickInput,
  runCommand,
  showOrdersView,
  type Workbench,
} from './workbench';

const passphrase = 'Browser-w20 passphrase ✓';
const MEMFS_REQUEST = 'memfs-weak.csr';
/** A key bound to a call command: a keybinding runs its command whatever the palette hides. */
const BOUND_CALL = { key: 'ctrl+alt+shift+f8', press: 'Control+Alt+Shift+F8', command: 'sectigo.revokeSsl' };
/** The titles of the commands that call Sectigo or handle what calls need, as the palette names them (Show Log stays: the editor's commands log there). */
const CALL_TITLES = [
  'Replace S/MIME Certificate',
  'Revoke SSL Certificate',
  'Revoke from Certificate',
  'Revoke a List',
  'Set Credentials',
  'Clear Credentials',
  'Select Account',
];

let workbench: Workbench;
let scratch: string;
const step = sessionSteps(() => workbench, 'browser-failed-');

before(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'sectigo-memfs-'));
  const memfs = packageMemfsExtension(scratch, {
    [MEMFS_REQUEST]: await makeCsrPem({ kind: 'rsa', bits: 1024 }, 'memfs@example.com'),
  });
  workbench = await openWorkbench({
    browserHost: true,
    extraExtensions: [memfs],
    keybindings: [{ key: BOUND_CALL.key, command: BOUND_CALL.command }],
  });
});

after(async () => {
  await workbench?.close();
  rmSync(scratch, { recursive: true, force: true });
});

/** The palette's rows for `filter`, the palette closed again. */
async function paletteRows(page: Workbench['page'], filter: string, expected: string): Promise<string[]> {
  await page.keyboard.press('F1');
  const widget = quickInput(page);
  const input = widget.locator('input.input');
  await input.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
  await input.fill(`>${filter}`);
  await widget.locator('.monaco-list-row').filter({ hasText: expected }).first().waitFor({ timeout: UI_TIMEOUT });
  const rows = await widget.locator('.monaco-list-row').allInnerTexts();
  await page.keyboard.press('Escape');
  return rows;
}

// First, before any request is opened: the tool call itself must activate the extension.
step(
  'the language model tools answer vscode.lm.invokeTool in the web worker host, activating the extension',
  async () => {
    const results = await invokeToolsFromTestExtension(workbench);
    assert.equal(results.hostHasNode, false, 'the calls came from the web worker host');
    assert.equal(results.activeBefore, false, 'the extension was not active before the first tool call');
  },
);

step('a good request gets its CodeLens from the browser build: the summary and Inspect, no Replace', async () => {
  const { page } = workbench;
  await openFile(page, SAMPLE_FILES.good);
  await codeLens(page, 'Inspect').waitFor({ timeout: UI_TIMEOUT });
  await codeLensLine(page, /RSA 2048 · SHA-256 · signature OK/).waitFor({ timeout: UI_TIMEOUT });
  const lenses = await codeLensTexts(page);
  assert.ok(!lenses.some((text) => /Replace/.test(text)), `no call lens in the browser: ${JSON.stringify(lenses)}`);
  await workbench.screenshot('browser-01-codelens-good');
});

step('the call commands are absent from the palette, the local ones present', async () => {
  const { page } = workbench;
  const rows = await paletteRows(page, 'Sectigo', 'Inspect CSR');
  assert.ok(
    rows.some((row) => /New CSR/.test(row)),
    `New CSR is offered: ${JSON.stringify(rows)}`,
  );
  const calls = rows.filter((row) => CALL_TITLES.some((title) => row.includes(title)));
  assert.deepEqual(calls, [], 'no call command in the browser palette');
  assert.ok(
    rows.some((row) => /Show Log/.test(row)),
    `the log of the editor's commands is offered: ${JSON.stringify(rows)}`,
  );
});

step(
  'a call run anyway (a keybinding) explains that calls need desktop or a remote window, and sends nothing',
  async () => {
    const { page, fake } = workbench;
    await page.locator('.monaco-editor .view-lines').first().click();
    await page.keyboard.press(BOUND_CALL.press);
    await notification(page, /Calls to Sectigo need VS Code desktop or a remote window/).waitFor({
      timeout: UI_TIMEOUT,
    });
    assert.equal(await quickInput(page).isVisible(), false, 'no prompt (no credentials asked for)');
    assert.deepEqual(fake.requests, [], 'nothing reached the Sectigo server');
    await workbench.screenshot('browser-02-call-explained');
  },
);

step('the orders view is read-only and says why', async () => {
  const { page } = workbench;
  const sidebar = await showOrdersView(page);
  await sidebar
    .locator('.welcome-view-content')
    .filter({ hasText: 'no call to Sectigo is made' })
    .waitFor({ timeout: UI_TIMEOUT });
  const text = await sidebar.locator('.welcome-view-content').innerText();
  assert.doesNotMatch(text, /Set Credentials|Revoke SSL/);
  await workbench.screenshot('browser-03-orders-view');
  await runCommand(page, 'View: Show Explorer');
  await page.locator('.explorer-folders-view').waitFor({ timeout: UI_TIMEOUT });
});

step('a 1024-bit request: the refusal lens, and its problem in Problems linked to its README entry', async () => {
  const { page } = workbench;
  await openFile(page, SAMPLE_FILES.weakKey);
  await codeLensLine(page, /RSA 1024 bits: Sectigo refuses/).waitFor({ timeout: UI_TIMEOUT });
  await codeLens(page, 'Create a compliant key and CSR').waitFor({ timeout: UI_TIMEOUT });
  await runCommand(page, 'View: Focus Problems');
  const row = problemRow(page, /-13/);
  await row.waitFor({ timeout: UI_TIMEOUT });
  assert.match(await row.innerText(), /1024 bits/);
  const link = row.locator('a.monaco-link').first();
  await link.waitFor({ timeout: UI_TIMEOUT });
  // The code links to its own entry of the README, as on the desktop.
  assert.equal(await link.getAttribute('href'), findingHelpUri(await link.innerText()));
  assert.match(await link.innerText(), /^rsa-key-too-small$/);
  await workbench.screenshot('browser-04-problems');
});

step('hovering the request shows it decoded', async () => {
  const { page } = workbench;
  await page.locator('.monaco-editor .view-line').nth(3).hover();
  const hover = page.locator('.monaco-hover').filter({ hasText: 'Subject' }).first();
  await hover.waitFor({ timeout: UI_TIMEOUT });
  assert.match(await hover.innerText(), /weak@example\.com[\s\S]*Key/);
  await workbench.screenshot('browser-05-hover');
  await page.mouse.move(1000, 16);
});

step('the refusal lens opens the report beside the editor', async () => {
  const { page } = workbench;
  // A refused request's row is short: the refusal itself is the report's link (no Inspect lens there).
  const lenses = await codeLensTexts(page);
  assert.ok(!lenses.some((text) => /Inspect|Replace/.test(text)), `a short row: ${JSON.stringify(lenses)}`);
  await codeLens(page, /RSA 1024 bits: Sectigo refuses/).click();
  await page
    .locator('.tabs-container .tab')
    .filter({ hasText: `CSR report - ${SAMPLE_FILES.weakKey}` })
    .first()
    .waitFor({ timeout: UI_TIMEOUT });
  // The markdown preview is a webview: its text lives two frames down.
  const preview = page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
  await preview
    .locator('h1')
    .filter({ hasText: `CSR report: ${SAMPLE_FILES.weakKey}` })
    .waitFor({ timeout: UI_TIMEOUT });
  assert.match(await preview.locator('body').innerText(), /1024/);
  await workbench.screenshot('browser-06-report');
});

step('the quick fix on the 1024-bit request makes a new key and CSR beside it through workspace.fs', async () => {
  const { page, workspace } = workbench;
  await runCommand(page, 'View: Close All Editors');
  await openFile(page, SAMPLE_FILES.weakKey);
  await codeLensLine(page, /RSA 1024 bits/).waitFor({ timeout: UI_TIMEOUT });
  // The cursor onto the problem (the request's first line), then the quick fix menu (Ctrl+.).
  await page.locator('.monaco-editor .view-line').first().click();
  await page.keyboard.press('Control+.');
  const fix = page.locator('.action-widget .monaco-list-row').filter({ hasText: 'Create a compliant key and CSR' });
  await fix.first().waitFor({ timeout: UI_TIMEOUT });
  await workbench.screenshot('browser-07-quick-fix');
  // The only fix, focused as the menu opens: Enter applies it, as a keyboard user would.
  assert.match((await fix.first().getAttribute('class')) ?? '', /\bfocused\b/);
  await page.keyboard.press('Enter');
  await pickItem(page, 'Key type', 'EC P-256');
  await pickItem(page, 'Files to write', 'Beside the old request');
  await pickItem(page, 'Encrypt the private key', 'Protect the key with a passphrase');
  const widget = quickInput(page);
  const input = widget.locator('input.input');
  await widget.filter({ hasText: 'Passphrase for the new private key' }).waitFor({ timeout: UI_TIMEOUT });
  assert.equal(await input.getAttribute('type'), 'password');
  await input.fill(passphrase);
  await page.keyboard.press('Enter');
  await widget.filter({ hasText: 'The same passphrase again' }).waitFor({ timeout: UI_TIMEOUT });
  await input.fill(passphrase);
  await page.keyboard.press('Enter');

  const stem = SAMPLE_FILES.weakKey.replace(/\.csr$/, '');
  // The browser cannot set permission bits, so the message does not claim owner-only.
  const created = notification(page, `Created ${stem}.new.csr`);
  await created.waitFor({ timeout: UI_TIMEOUT });
  assert.match(await created.innerText(), /encrypted with your passphrase/);
  assert.doesNotMatch(await created.innerText(), /owner-only|Replace/);
  // Passphrase or not, it says the key is readable by others where the folder lets them: it is.
  assert.match(await created.innerText(), /this folder cannot make it readable by you only/);
  await codeLensLine(page, /EC P-256 · SHA-256 · signature OK/).waitFor({ timeout: UI_TIMEOUT });
  const lenses = await codeLensTexts(page);
  assert.ok(!lenses.some((text) => /-13|compliant key|Replace/.test(text)), `clean lenses: ${JSON.stringify(lenses)}`);
  await workbench.screenshot('browser-08-new-request');

  const keyPem = readFileSync(join(workspace, `${stem}.new.key`), 'utf8');
  assert.match(keyPem, /^-----BEGIN ENCRYPTED PRIVATE KEY-----\n/);
  assert.equal(createPrivateKey({ key: keyPem, passphrase }).asymmetricKeyDetails?.namedCurve, 'prime256v1');
  assert.equal(existsSync(join(workspace, `${stem}.new.csr`)), true);
  assert.notEqual(statSync(join(workspace, `${stem}.new.key`)).mode & 0o077, 0, 'the browser made the key owner-only');
  assert.ok(!(await page.content()).includes(passphrase), 'the passphrase is nowhere on the page');
});

step('from a compliant request: a new pair with its subject, and a second run never overwrites it', async () => {
  const { page, workspace } = workbench;
  await openFile(page, SAMPLE_FILES.good);
  await codeLensLine(page, /RSA 2048/).waitFor({ timeout: UI_TIMEOUT });
  await runCommand(page, 'Sectigo: Create a Compliant Key and CSR…');
  await pickItem(page, 'Key type', 'EC P-256');
  await pickItem(page, 'Files to write', 'Beside the old request');
  await pickItem(page, 'Encrypt the private key', 'No passphrase');
  const stem = SAMPLE_FILES.good.replace(/\.csr$/, '');
  await notification(page, `Created ${stem}.new.csr`).waitFor({ timeout: UI_TIMEOUT });
  await codeLensLine(page, /EC P-256 · SHA-256 · signature OK · alice@example\.com/).waitFor({ timeout: UI_TIMEOUT });
  const keyPath = join(workspace, `${stem}.new.key`);
  const firstKey = readFileSync(keyPath, 'utf8');
  assert.match(firstKey, /^-----BEGIN PRIVATE KEY-----\n/);

  // Again from the same request: the .new names are taken, so "beside" offers the next free ones
  // and says why, before any passphrase is asked; the first pair is left alone.
  await openFile(page, SAMPLE_FILES.good);
  await runCommand(page, 'Sectigo: Create a Compliant Key and CSR…');
  await pickItem(page, 'Key type', 'EC P-256');
  const widget = quickInput(page);
  await widget.filter({ hasText: 'Files to write' }).waitFor({ timeout: UI_TIMEOUT });
  const beside = widget.locator('.monaco-list-row').filter({ hasText: 'Beside the old request' }).first();
  await beside.waitFor({ timeout: UI_TIMEOUT });
  const besideText = await beside.innerText();
  assert.match(besideText, new RegExp(`${stem}\\.new-2\\.csr, ${stem}\\.new-2\\.key`));
  assert.match(
    besideText,
    new RegExp(`${stem}\\.new\\.csr and ${stem}\\.new\\.key already exist and are never overwritten`),
  );
  await beside.click();
  await pickItem(page, 'Encrypt the private key', 'No passphrase');
  await notification(page, `Created ${stem}.new-2.csr`).waitFor({ timeout: UI_TIMEOUT });
  assert.equal(readFileSync(keyPath, 'utf8'), firstKey, 'the first key is untouched');
  assert.match(readFileSync(join(workspace, `${stem}.new-2.key`), 'utf8'), /^-----BEGIN PRIVATE KEY-----\n/);
  await workbench.screenshot('browser-09-never-overwritten');
});

step('a request on a virtual file system (memfs:) gets its CodeLens and Problems', async () => {
  const { page } = workbench;
  await runCommand(page, 'Memfs Test: Open Request');
  await pickItem(page, 'memory file system', MEMFS_REQUEST);
  await page
    .locator('.tabs-container .tab')
    .filter({ hasText: MEMFS_REQUEST })
    .first()
    .waitFor({ timeout: UI_TIMEOUT });
  await codeLensLine(page, /RSA 1024 bits: Sectigo refuses/).waitFor({ timeout: UI_TIMEOUT });
  await codeLens(page, 'Create a compliant key and CSR').waitFor({ timeout: UI_TIMEOUT });
  await runCommand(page, 'View: Focus Problems');
  const file = page.locator('.markers-panel .monaco-list-row').filter({ hasText: MEMFS_REQUEST }).first();
  await file.waitFor({ timeout: UI_TIMEOUT });
  await problemRow(page, /-13/).waitFor({ timeout: UI_TIMEOUT });
  await workbench.screenshot('browser-10-memfs');
});
