// Restricted Mode in a real untrusted window: code-server with workspace trust ON (the other
// UI tests turn it off), the startup prompt answered "No, I don't trust the authors", the
// packaged .vsix installed and the fake Sectigo server behind user settings. A person checks
// that the analysis still works, that nothing offers a call to Sectigo, and that a call reached
// anyway (through a key the user bound to it) explains why it is off and sends nothing.
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeCertificatePem, makeCsrPem } from '../fake-sectigo/csrs';
import { SAMPLE_FILES } from '../../scripts/vscode/sample-workspace';
import {
  UI_TIMEOUT,
  problemRow,
  codeLensLine,
  codeLens,
  codeLensTexts,
  explorerRow,
  notification,
  openFile,
  openWorkbench,
  quickInput,
  runCommand,
  showCommand,
  showOrdersView,
  statusBarItem,
  type Workbench,
} from './workbench';
import { sessionSteps } from './session-steps';
import { packageMemfsExtension } from './memfs-extension/package-extension';
import { invokeToolsFromTestExtension } from './tool-calls';

const CERTIFICATE_FILE = 'server.crt';

/** Keys a user bound to the call commands: a keybinding runs its command whatever the palette hides. */
const BOUND_CALLS = [
  { key: 'ctrl+alt+shift+f7', press: 'Control+Alt+Shift+F7', command: 'sectigo.replaceSmime', file: SAMPLE_FILES.good },
  { key: 'ctrl+alt+shift+f8', press: 'Control+Alt+Shift+F8', command: 'sectigo.revokeSsl', file: SAMPLE_FILES.good },
  {
    key: 'ctrl+alt+shift+f9',
    press: 'Control+Alt+Shift+F9',
    command: 'sectigo.revokeFromCertificate',
    file: CERTIFICATE_FILE,
  },
  {
    key: 'ctrl+alt+shift+f10',
    press: 'Control+Alt+Shift+F10',
    command: 'sectigo.revokeFromList',
    file: SAMPLE_FILES.good,
  },
] as const;

const EXPLANATION = /Calls to Sectigo are turned off in an untrusted workspace/;

let workbench: Workbench;
const scratch = mkdtempSync(join(tmpdir(), 'sectigo-restricted-tools-'));
const step = sessionSteps(() => workbench, 'restricted-failed-');

before(async () => {
  workbench = await openWorkbench({
    restricted: true,
    extraFiles: { [CERTIFICATE_FILE]: await makeCertificatePem('5EC7160ABCDEF2') },
    keybindings: BOUND_CALLS.map(({ key, command }) => ({ key, command })),
    // A browser-only test extension that calls the language model tools as agent mode does.
    extraExtensions: [
      packageMemfsExtension(scratch, {
        'memfs-weak.csr': await makeCsrPem({ kind: 'rsa', bits: 1024 }, 'memfs@example.com'),
      }),
    ],
  });
});

after(async () => {
  await workbench?.close();
  rmSync(scratch, { recursive: true, force: true });
});

step('the window is in Restricted Mode', async () => {
  const { page } = workbench;
  await statusBarItem(page, 'Restricted Mode').waitFor({ timeout: UI_TIMEOUT });
});

step('a 1024-bit request still gets its analysis CodeLens and Problems, without Replace', async () => {
  const { page } = workbench;
  await openFile(page, SAMPLE_FILES.weakKey);
  await codeLensLine(page, /refuse/).waitFor({ timeout: UI_TIMEOUT });
  await codeLens(page, 'Create a compliant key and CSR').waitFor({ timeout: UI_TIMEOUT });
  const lenses = await codeLensTexts(page);
  assert.ok(
    lenses.some((text) => /RSA 1024/.test(text)),
    `CodeLens texts: ${JSON.stringify(lenses)}`,
  );
  assert.ok(
    !lenses.some((text) => /Replace S\/MIME order/.test(text)),
    `no Replace lens untrusted: ${JSON.stringify(lenses)}`,
  );
  await runCommand(page, 'View: Focus Problems');
  const row = problemRow(page, /-13/);
  await row.waitFor({ timeout: UI_TIMEOUT });
  assert.match(await row.innerText(), /1024 bits/);
  await workbench.screenshot('restricted-mode');
});

/** The entries of the context menu a right-click on `target` opens; the menu is closed again. */
async function contextMenuEntries(
  page: Workbench['page'],
  target: ReturnType<Workbench['page']['locator']>,
  expected: string,
): Promise<string[]> {
  await target.click({ button: 'right' });
  const menu = page.locator('.context-view .monaco-menu');
  await menu.locator('.action-label').filter({ hasText: expected }).first().waitFor({ timeout: UI_TIMEOUT });
  const entries = await menu.locator('.action-label').allInnerTexts();
  await page.keyboard.press('Escape');
  await menu.waitFor({ state: 'hidden', timeout: UI_TIMEOUT });
  return entries;
}

step(
  'the language model tools answer in Restricted Mode: the analysis is local and reads, so it stays on',
  async () => {
    // Called from the page's web worker host into the extension in the remote Node host.
    const results = await invokeToolsFromTestExtension(workbench);
    assert.equal(results.hostHasNode, false);
    assert.deepEqual(workbench.fake.requests, [], 'nothing reached the Sectigo server');
  },
);

step('a good request offers no Replace, neither as a lens nor in its context menus', async () => {
  const { page } = workbench;
  await openFile(page, SAMPLE_FILES.good);
  await codeLensLine(page, /RSA 2048/).waitFor({ timeout: UI_TIMEOUT });
  await codeLens(page, 'Inspect').waitFor({ timeout: UI_TIMEOUT });
  const lenses = await codeLensTexts(page);
  assert.ok(!lenses.some((text) => /Replace/.test(text)), `no Replace lens untrusted: ${JSON.stringify(lenses)}`);
  // "Inspect CSR" is in both menus, so each menu is seen filled in before looking for what is missing.
  const inEditor = await contextMenuEntries(page, page.locator('.monaco-editor .view-lines').first(), 'Inspect CSR');
  assert.ok(!inEditor.some((text) => /Replace|Revoke/.test(text)), `editor menu: ${JSON.stringify(inEditor)}`);
  const inExplorer = await contextMenuEntries(page, explorerRow(page, SAMPLE_FILES.good), 'Inspect CSR');
  assert.ok(!inExplorer.some((text) => /Replace|Revoke/.test(text)), `explorer menu: ${JSON.stringify(inExplorer)}`);
});

step('a certificate file shows no "Revoke this certificate…" lens', async () => {
  const { page } = workbench;
  await openFile(page, CERTIFICATE_FILE);
  // The editor shows the certificate's text; the lens would sit above its first line.
  await page
    .locator('.monaco-editor .view-lines')
    .filter({ hasText: 'BEGIN CERTIFICATE' })
    .first()
    .waitFor({ timeout: UI_TIMEOUT });
  // Give the lens providers the same time they take for the CSR above: the CSR's lenses are
  // drawn by now, so the certificate provider has answered too (both run in the same host).
  await openFile(page, SAMPLE_FILES.goodEc);
  await codeLensLine(page, /EC P-256/).waitFor({ timeout: UI_TIMEOUT });
  await openFile(page, CERTIFICATE_FILE);
  await page
    .locator('.monaco-editor .view-lines')
    .filter({ hasText: 'BEGIN CERTIFICATE' })
    .first()
    .waitFor({ timeout: UI_TIMEOUT });
  assert.equal(
    await page
      .locator('.codelens-decoration')
      .filter({ hasText: /Revoke this certificate/ })
      .count(),
    0,
  );
  const inEditor = await contextMenuEntries(
    page,
    page.locator('.monaco-editor .view-lines').first(),
    'Command Palette',
  );
  assert.ok(!inEditor.some((text) => /Revoke/.test(text)), `editor menu: ${JSON.stringify(inEditor)}`);
  const inExplorer = await contextMenuEntries(page, explorerRow(page, CERTIFICATE_FILE), 'Copy Path');
  assert.ok(!inExplorer.some((text) => /Revoke/.test(text)), `explorer menu: ${JSON.stringify(inExplorer)}`);
});

step('the palette offers New CSR… but none of the calls', async () => {
  const { page } = workbench;
  // New CSR… shows: the palette holds the extension's commands.
  const widget = quickInput(page);
  const rows = widget.locator('.monaco-list-row');
  await showCommand(page, 'Sectigo: New CSR');
  for (const title of [
    'Sectigo: Replace S/MIME',
    'Sectigo: Revoke SSL Certificate',
    'Sectigo: Revoke from List',
    'Sectigo: Revoke from Certificate File',
  ]) {
    await widget.locator('input.input').fill(`>${title}`);
    // With nothing matching, the palette falls back to "similar commands" or says so.
    await rows.first().or(widget.getByText('No matching commands')).first().waitFor({ timeout: UI_TIMEOUT });
    assert.equal(await rows.filter({ hasText: title }).count(), 0, `${title} is offered in Restricted Mode`);
  }
  await widget.locator('input.input').fill('>Sectigo:');
  await rows.filter({ hasText: 'New CSR' }).first().waitFor({ timeout: UI_TIMEOUT });
  const offered = await rows.allInnerTexts();
  assert.ok(!offered.some((text) => /Replace|Revoke/.test(text)), `offered: ${JSON.stringify(offered)}`);
  await page.keyboard.press('Escape');
});

/** The Sectigo Orders view's title buttons, by their labels ("Refresh Orders" is always there). */
async function ordersTitleActions(page: Workbench['page']): Promise<string[]> {
  const sidebar = await showOrdersView(page);
  const actions = sidebar.locator('.title-actions .action-label');
  await sidebar
    .locator('.title-actions .action-label[aria-label*="Refresh Orders"]')
    .first()
    .waitFor({ timeout: UI_TIMEOUT });
  return Promise.all((await actions.all()).map(async (action) => (await action.getAttribute('aria-label')) ?? ''));
}

step('the Sectigo Orders view says calls are off and offers none', async () => {
  const { page } = workbench;
  const sidebar = await showOrdersView(page);
  await sidebar
    .getByText('This workspace is not trusted, so calls to Sectigo are turned off here')
    .first()
    .waitFor({ timeout: UI_TIMEOUT });
  const actions = await ordersTitleActions(page);
  assert.ok(!actions.some((label) => /Replace|Revoke/.test(label)), `title buttons: ${JSON.stringify(actions)}`);
  await workbench.screenshot('restricted-mode-orders-view');
  await runCommand(page, 'View: Show Explorer');
  await explorerRow(page, SAMPLE_FILES.good).waitFor({ timeout: UI_TIMEOUT });
});

step('a call reached anyway through a bound key explains why and sends nothing', async () => {
  const { page, fake } = workbench;
  for (const bound of BOUND_CALLS) {
    await openFile(page, bound.file);
    await page.locator('.monaco-editor .view-lines').first().click();
    await page.keyboard.press(bound.press);
    const toast = notification(page, EXPLANATION);
    await toast.waitFor({ timeout: UI_TIMEOUT });
    assert.match(
      await toast.innerText(),
      /Manage Workspace Trust/,
      `${bound.command}: the explanation offers Manage Workspace Trust`,
    );
    if (bound === BOUND_CALLS[0]) {
      // The toast slides in; the picture is taken once it has.
      await page.locator('.notification-toast.notification-fade-in-done').first().waitFor({ timeout: UI_TIMEOUT });
      await workbench.screenshot('restricted-mode-call-refused');
    }
    await runCommand(page, 'Notifications: Clear All Notifications');
    await toast.waitFor({ state: 'hidden', timeout: UI_TIMEOUT });
  }
  assert.deepEqual(
    fake.requests.map((request) => `${request.method} ${request.endpoint}`),
    [],
    'the fake Sectigo server received a request in Restricted Mode',
  );
});

step('once the folder is trusted, the same lenses and commands appear (the checks above could fail)', async () => {
  const { page, fake } = workbench;
  await runCommand(page, 'Workspaces: Manage Workspace Trust');
  await page
    .locator('.workspace-trust-editor .monaco-button')
    .filter({ hasText: /^Trust$/ })
    .first()
    .click({ timeout: UI_TIMEOUT });
  await statusBarItem(page, 'Restricted Mode').waitFor({ state: 'hidden', timeout: UI_TIMEOUT });
  await openFile(page, SAMPLE_FILES.good);
  await codeLens(page, 'Replace S/MIME order').waitFor({ timeout: UI_TIMEOUT });
  await contextMenuEntries(page, page.locator('.monaco-editor .view-lines').first(), 'Replace S/MIME');
  await contextMenuEntries(page, explorerRow(page, SAMPLE_FILES.good), 'Replace S/MIME');
  await openFile(page, CERTIFICATE_FILE);
  await codeLens(page, 'Revoke this certificate').waitFor({ timeout: UI_TIMEOUT });
  await contextMenuEntries(page, page.locator('.monaco-editor .view-lines').first(), 'Revoke from Certificate File');
  await contextMenuEntries(page, explorerRow(page, CERTIFICATE_FILE), 'Revoke from Certificate File');
  await showCommand(page, 'Sectigo: Revoke from List');
  await page.keyboard.press('Escape');
  const actions = await ordersTitleActions(page);
  assert.ok(
    actions.some((label) => /Replace S\/MIME/.test(label)),
    `title buttons once trusted: ${JSON.stringify(actions)}`,
  );
  await (await showOrdersView(page)).getByText('No Sectigo orders yet').first().waitFor({ timeout: UI_TIMEOUT });
  await workbench.screenshot('restricted-mode-trusted-after');
  assert.equal(fake.requests.length, 0, 'trusting the folder sends nothing by itself');
});
