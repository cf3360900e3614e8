// The attack in the real workbench (code-server + headless Chromium, the packaged .vsix):
// a request file named as a Markdown command link, then "Create a compliant key and CSR…". The
// result notification names the new files by their names: before issue 29 its toast drew a link
// there, and clicking it opened settings.json. Now the toast shows the name as the characters it
// is, holds no link element, and a click on the name opens nothing.
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { makeCsrPem } from '../fake-sectigo/csrs';
import { sessionSteps } from './session-steps';
import {
  UI_TIMEOUT,
  codeLens,
  explorerRow,
  notification,
  openFile,
  pickItem,
  openWorkbench,
  type Workbench,
} from './workbench';

const STEM = '[Open the report](command:workbench.action.openSettingsJson)';
const FILE = `${STEM}.csr`;
const NEW_CSR = `${STEM}.new.csr`;
/** The invisible character the message sink puts between "]" and "(" (core/message-text.ts). */
const LINK_BREAK = '\u2060';

let workbench: Workbench;
const step = sessionSteps(() => workbench, 'hostile-file-name-failed-');

before(async () => {
  // A 1024-bit key: Sectigo refuses it (-13), so the CodeLens offers the compliant key and CSR.
  workbench = await openWorkbench({
    extraFiles: { [FILE]: await makeCsrPem({ kind: 'rsa', bits: 1024 }, 'hostile@example.com') },
  });
});
after(async () => {
  await workbench?.close();
});

step('a request named as a command link gets its compliant key and CSR', async () => {
  const { page, workspace } = workbench;
  await openFile(page, FILE);
  await codeLens(page, 'Create a compliant key and CSR').click({ timeout: UI_TIMEOUT });
  await pickItem(page, 'Key type', 'EC P-256');
  await pickItem(page, 'Files to write', 'Beside the old request');
  await pickItem(page, 'Encrypt the private key', 'No passphrase');
  await notification(page, 'Created').waitFor({ timeout: UI_TIMEOUT });
  assert.ok(existsSync(join(workspace, NEW_CSR)), 'the new request is beside the old one, under its own name');
  await workbench.screenshot('hostile-file-name-01-result');
});

step('the result notification shows the file name as text, with no link element', async () => {
  const { page } = workbench;
  const toast = notification(page, 'Created');
  const message = toast.locator('.notification-list-item-message').first();
  const shown = (await message.innerText()).split(LINK_BREAK).join('');
  assert.ok(shown.includes(`Created ${NEW_CSR}`), JSON.stringify(shown));
  const links = await message
    .locator('a')
    .evaluateAll((anchors) =>
      anchors.map((anchor) => `${anchor.textContent ?? ''} -> ${anchor.getAttribute('href') ?? ''}`),
    );
  assert.deepEqual(links, [], 'no link in the message');
  // Nothing in the whole toast (its buttons are buttons) points to a command.
  assert.equal(await toast.locator('a[href^="command:"], [href*="openSettingsJson"]').count(), 0);
});

step('a click where the link was opens nothing', async () => {
  const { page } = workbench;
  const message = notification(page, 'Created').locator('.notification-list-item-message').first();
  await message.click({ position: { x: 80, y: 8 } });
  // Something that surely opens, after the click: had the click run a command, its editor would be
  // open before this one.
  await explorerRow(page, 'README.md').click();
  await page.locator('.tabs-container .tab').filter({ hasText: 'README.md' }).first().waitFor({ timeout: UI_TIMEOUT });
  const tabs = await page.locator('.tabs-container .tab').allInnerTexts();
  assert.ok(!tabs.some((tab) => /settings\.json/i.test(tab)), `no settings.json was opened: ${JSON.stringify(tabs)}`);
  await workbench.screenshot('hostile-file-name-02-after-click');
});
