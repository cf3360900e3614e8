// Confirmations that are the request, in the real workbench (code-server + headless Chromium,
// the packaged .vsix, the fake Sectigo server): Set Credentials names the CA file and proxy the
// new account keeps (the proxy's password never on screen); the replace dialog's text, read back
// as a request (test/plan-text.ts), is what the fake server received, for each of its buttons;
// the plain palette title runs the plain command; Enter on Clear Credentials keeps the password.
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO_ACCOUNT, ORDERS } from '../fake-sectigo/server';
import { SAMPLE_FILES } from '../../scripts/vscode/sample-workspace';
import { applyDifference, asFakeServerRecords, readPreview } from '../plan-text';
import {
  UI_TIMEOUT,
  answerReplaceSteps,
  answerInput,
  clearNotifications,
  codeLens,
  dialogButton,
  notification,
  openFile,
  openWorkbench,
  orderRow,
  showOrdersView,
  pickItem,
  quickInput,
  runCommand,
  statusBarItem,
  type Workbench,
} from './workbench';
import { sessionSteps } from './session-steps';

let workbench: Workbench;
const step = sessionSteps(() => workbench, 'failed-confirmations-');

/** A proxy password that must never be drawn. */
const PROXY_SECRET = 'Pr0xy-S3cret-w19c';
/** Two issued orders of the demo account, one for each button of the replace dialog. */
const KEEP_ORDER = '1000201';
const REVOKE_ORDER = '1000202';

before(async () => {
  workbench = await openWorkbench();
  for (const orderNumber of [KEEP_ORDER, REVOKE_ORDER]) workbench.fake.addOrder({ orderNumber, state: 'issued' });
});

after(async () => {
  await workbench?.close();
});

/** Everything drawn on the page, for the search for the proxy's password. */
async function pageText(workbench: Workbench): Promise<string> {
  return workbench.page.evaluate(() => document.body.innerText);
}

step("a production endpoint never takes the practice server's CA file by Enter alone", async () => {
  const { page, fake } = workbench;
  await runCommand(page, 'Sectigo: Set Credentials');
  await answerInput(page, 'API endpoint', 'https://secure.trust-provider.com/products/');
  await answerInput(page, 'login name', 'prod-login');
  const widget = quickInput(page);
  await widget.filter({ hasText: 'secret storage' }).waitFor({ timeout: UI_TIMEOUT });
  await widget.locator('input.input').fill('not-a-real-password');
  await page.keyboard.press('Enter');
  const first = widget.locator('.monaco-list-row').first();
  await first.filter({ hasText: 'Use These' }).waitFor({ timeout: UI_TIMEOUT });
  // Enter keeps what the first row shows: no CA file; the settings' one is a choice of its own, named.
  assert.match(await first.innerText(), /CA file: none/);
  const rows = await widget.locator('.monaco-list-row').allInnerTexts();
  assert.ok(
    rows.some((row) => row.startsWith('Add the CA File of the Settings…') && row.includes(fake.caFile)),
    JSON.stringify(rows),
  );
  assert.ok(!(await first.innerText()).includes(fake.caFile), 'Enter would keep the test CA for production');
  await workbench.screenshot('confirmations-00-production-ca');
  // Use Neither clears the CA file and the proxy and goes on: it stores the account, never asks the same again.
  await pickItem(page, 'How calls to', 'Change the Proxy');
  await answerInput(page, 'The proxy for calls', 'http://127.0.0.1:9/');
  await pickItem(page, 'How calls to', 'Use Neither');
  const stored = notification(page, /prod-login @ secure\.trust-provider\.com is stored and active/);
  await stored.waitFor({ timeout: UI_TIMEOUT });
  assert.match(await stored.innerText(), /^Sectigo production: /);
  await quickInput(page).waitFor({ state: 'hidden', timeout: UI_TIMEOUT });
  await clearNotifications(page);
});

step('Set Credentials names the CA file and the proxy the account keeps, the proxy password hidden', async () => {
  const { page, fake } = workbench;
  await runCommand(page, 'Sectigo: Set Credentials');
  await answerInput(page, 'API endpoint', fake.url);
  const widget = quickInput(page);
  await answerInput(page, 'login name', DEMO_ACCOUNT.loginName);
  await widget.filter({ hasText: 'secret storage' }).waitFor({ timeout: UI_TIMEOUT });
  await widget.locator('input.input').fill(DEMO_ACCOUNT.loginPassword);
  await page.keyboard.press('Enter');
  // The CA file from the settings is named before it is kept.
  await pickItem(page, 'How calls to', 'Change the Proxy');
  await answerInput(page, 'The proxy for calls', `http://w19c:${PROXY_SECRET}@127.0.0.1:9/`);
  const shown = widget.locator('.monaco-list-row').filter({ hasText: 'Proxy: http://[redacted]@127.0.0.1:9/' });
  await shown.first().waitFor({ timeout: UI_TIMEOUT });
  const rows = await widget.locator('.monaco-list-row').allInnerTexts();
  assert.ok(
    rows.some((row) => row.includes(`CA file: ${fake.caFile}`)),
    `the step names the CA file from the settings: ${JSON.stringify(rows)}`,
  );
  await workbench.screenshot('confirmations-01-credentials-connection');
  assert.ok(!(await pageText(workbench)).includes(PROXY_SECRET), "the proxy's password is drawn");
  // The test server needs no proxy: clear it again, and keep the CA file.
  await pickItem(page, 'How calls to', 'Change the Proxy');
  await answerInput(page, 'The proxy for calls', '');
  await widget
    .locator('.monaco-list-row')
    .filter({ hasText: 'Proxy: none set' })
    .first()
    .waitFor({ timeout: UI_TIMEOUT });
  await pickItem(page, 'How calls to', 'Use These');
  await notification(page, /is stored and active/).waitFor({ timeout: UI_TIMEOUT });
  assert.ok(!(await pageText(workbench)).includes(PROXY_SECRET));
});

/** Answers the replace steps for `orderNumber` with "revoke the old certificate", and returns the dialog's detail. */
async function replaceDialog(orderNumber: string): Promise<string> {
  const { page } = workbench;
  await openFile(page, SAMPLE_FILES.good);
  await clearNotifications(page);
  await codeLens(page, 'Replace S/MIME order').click();
  await answerReplaceSteps(page, orderNumber, 'Revoke the old certificate');
  await dialogButton(page, 'Replace Only, Keep Old Certificate').waitFor({ timeout: UI_TIMEOUT });
  return page.locator('.monaco-dialog-box .dialog-message-detail').first().innerText();
}

/** The dialog's sentence for a button: `"LABEL" sends …` up to its full stop at the end of the line. */
function sentenceOf(detail: string, label: string, ending: string): string {
  const line = detail.split('\n').find((candidate) => candidate.startsWith(`"${label}"`));
  assert.ok(line, `the dialog says what "${label}" sends:\n${detail}`);
  assert.ok(line.endsWith(ending), line);
  return line;
}

step('replace dialog, Enter ("Replace Only, Keep Old Certificate"): what the dialog said is what arrived', async () => {
  const { page, fake } = workbench;
  fake.requests.length = 0;
  const detail = await replaceDialog(KEEP_ORDER);
  await workbench.screenshot('confirmations-02-replace-dialog');
  sentenceOf(detail, 'Replace Only, Keep Old Certificate', '(the default button) sends:');
  const said = readPreview(detail);
  await page.keyboard.press('Enter');
  await notification(page, /New order number \d+/).waitFor({ timeout: UI_TIMEOUT });
  assert.equal(fake.requests.length, 1, 'one replace arrived');
  const received = fake.requests[0];
  assert.equal(received?.endpoint, 'AutoReplaceSMIME');
  assert.equal(said.url, `${fake.url}!AutoReplaceSMIME`);
  assert.deepEqual(received?.params, asFakeServerRecords(said));
  assert.equal(received?.params.revokeOldOrder, undefined, 'the safe button revokes nothing');
  assert.equal(fake.orders.get(KEEP_ORDER)?.state, 'issued', 'the old certificate was kept');
});

step('Replace Again… on a replaced order offers the order that replaced it, and says why', async () => {
  const { page, fake } = workbench;
  const replacement =
    fake.requests.length > 0 ? [...fake.orders.values()].find((order) => order.replaces === KEEP_ORDER) : undefined;
  assert.ok(replacement, 'no order replaced the kept one');
  await clearNotifications(page);
  await showOrdersView(page);
  const row = orderRow(page, KEEP_ORDER);
  await row.waitFor({ timeout: UI_TIMEOUT });
  await row.click({ button: 'right' });
  const item = page.locator('.monaco-menu .action-item').filter({ hasText: 'Replace Again' }).first();
  await item.hover();
  await page
    .locator('.monaco-menu .action-item.focused')
    .filter({ hasText: 'Replace Again' })
    .waitFor({ timeout: UI_TIMEOUT });
  await page.keyboard.press('Enter');
  const widget = quickInput(page);
  const prompt = widget.filter({ hasText: `${replacement.orderNumber} is the order that replaced ${KEEP_ORDER}` });
  await prompt.waitFor({ timeout: UI_TIMEOUT });
  assert.equal(await widget.locator('input.input >> visible=true').inputValue(), replacement.orderNumber);
  await page.keyboard.press('Escape');
  await widget.waitFor({ state: 'hidden', timeout: UI_TIMEOUT });
  await runCommand(page, 'View: Show Explorer');
});

step('replace dialog, "Replace and Revoke Order N": the request shown plus its stated difference arrived', async () => {
  const { page, fake } = workbench;
  fake.requests.length = 0;
  const detail = await replaceDialog(REVOKE_ORDER);
  const label = `Replace and Revoke Order ${REVOKE_ORDER}`;
  const sentence = sentenceOf(detail, label, '.');
  const difference = sentence.slice(`"${label}" sends `.length, -1);
  const said = applyDifference(readPreview(detail), difference);
  await dialogButton(page, label).click();
  await notification(page, /New order number \d+/).waitFor({ timeout: UI_TIMEOUT });
  assert.equal(fake.requests.length, 1, 'one replace arrived');
  assert.deepEqual(fake.requests[0]?.params, asFakeServerRecords(said));
  assert.equal(fake.requests[0]?.params.revokeOldOrder, 'Y');
  assert.equal(fake.orders.get(REVOKE_ORDER)?.state, 'revoked', 'the old certificate was revoked');
});

step(
  'typing "Sectigo: Revoke SSL Certificate" and Enter runs the plain revocation, not the one from a file',
  async () => {
    const { page, fake } = workbench;
    await clearNotifications(page);
    await runCommand(page, 'Sectigo: Revoke SSL Certificate');
    const widget = quickInput(page);
    await widget
      .locator('input[placeholder*="How do you name the certificate to revoke"]')
      .waitFor({ timeout: UI_TIMEOUT });
    assert.equal(await page.locator('.monaco-dialog-box').count(), 0, 'no file dialog opened');
    // On to a test revocation, so the Orders view holds an SSL order beside the S/MIME ones.
    await pickItem(page, 'How do you name', 'Order number');
    await answerInput(page, 'order number of the certificate', ORDERS.issuedSpare);
    await pickItem(page, 'codeReason', '0:');
    await answerInput(page, 'revocationReason', 'UI test: confirmations');
    await dialogButton(page, 'Test Revoke First (test=Y)').waitFor({ timeout: UI_TIMEOUT });
    await page.keyboard.press('Enter');
    await notification(page, /accepted the test revocation/).waitFor({ timeout: UI_TIMEOUT });
    assert.equal(fake.requests.at(-1)?.params.test, 'Y');
  },
);

/** The labels of the context menu a right-click on `row` opens, once `expected` is among them. */
async function menuEntries(row: ReturnType<typeof orderRow>, expected: string): Promise<string[]> {
  const { page } = workbench;
  await row.click({ button: 'right' });
  const menu = page.locator('.context-view .monaco-menu');
  await menu.locator('.action-label').filter({ hasText: expected }).first().waitFor({ timeout: UI_TIMEOUT });
  return menu.locator('.action-label').allInnerTexts();
}

step('with two orders selected the menu offers only what applies to both, and says what it skipped', async () => {
  const { page, fake } = workbench;
  await showOrdersView(page);
  const smime = orderRow(page, KEEP_ORDER);
  const ssl = orderRow(page, ORDERS.issuedSpare);
  await smime.waitFor({ timeout: UI_TIMEOUT });
  await ssl.waitFor({ timeout: UI_TIMEOUT });
  // One row alone: its single-order actions are there.
  await ssl.click();
  const single = await menuEntries(ssl, 'Revoke for Real');
  await page.keyboard.press('Escape');
  assert.ok(
    single.some((label) => /Copy Order Number/.test(label)),
    JSON.stringify(single),
  );
  await smime.click();
  await ssl.click({ modifiers: ['Control'] });
  const entries = await menuEntries(ssl, 'Revoke Selected');
  await workbench.screenshot('confirmations-04-multi-selection-menu');
  for (const singleOnly of [
    /^Revoke…$/,
    /Test Revoke/,
    /Revoke for Real/,
    /Replace Again/,
    /Copy Order Number/,
    /Show Log Entry/,
  ])
    assert.ok(
      !entries.some((label) => singleOnly.test(label)),
      `${singleOnly} offered for a selection: ${JSON.stringify(entries)}`,
    );
  assert.ok(
    entries.some((label) => /Remove from History/.test(label)),
    JSON.stringify(entries),
  );
  const item = page.locator('.monaco-menu .action-item').filter({ hasText: 'Revoke Selected' }).first();
  await item.hover();
  await page
    .locator('.monaco-menu .action-item.focused')
    .filter({ hasText: 'Revoke Selected' })
    .waitFor({ timeout: UI_TIMEOUT });
  await page.keyboard.press('Enter');
  await pickItem(page, 'codeReason for every selected certificate', '0:');
  await answerInput(page, 'revocationReason', 'UI test: selection');
  await dialogButton(page, 'Test Revoke All First').waitFor({ timeout: UI_TIMEOUT });
  const detail = await page.locator('.monaco-dialog-box .dialog-message-detail').first().innerText();
  await workbench.screenshot('confirmations-05-selection-skipped');
  assert.match(detail, new RegExp(`Skipped orderNumber ${KEEP_ORDER}: an S/MIME order`), detail);
  assert.match(detail, /1 order selected/, detail);
  const sent = fake.requests.length;
  await page.keyboard.press('Escape');
  await dialogButton(page, 'Test Revoke All First').waitFor({ state: 'hidden', timeout: UI_TIMEOUT });
  assert.equal(fake.requests.length, sent, 'Escape sent nothing');
});

step('a -13 answer offers "Create a Compliant Key and CSR…", which opens the new-key steps', async () => {
  const { page, fake } = workbench;
  await runCommand(page, 'View: Show Explorer');
  await openFile(page, SAMPLE_FILES.weakKey);
  await clearNotifications(page);
  await runCommand(page, 'Sectigo: Replace S/MIME Certificate');
  // Before anything is sent: the fix is the focused button, beside the report; sending is last.
  await dialogButton(page, 'Send Anyway').waitFor({ timeout: UI_TIMEOUT });
  assert.equal(
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.innerText ?? ''),
    'Create a Compliant Key and CSR…',
  );
  assert.ok(await dialogButton(page, 'Show CSR Report').isVisible());
  await dialogButton(page, 'Send Anyway').click();
  await answerReplaceSteps(page, ORDERS.issued, 'Keep the old certificate');
  // The last confirmation still says what Sectigo will answer, and sending is not the default.
  const anyway = dialogButton(page, `Replace Order ${ORDERS.issued} Anyway`);
  await anyway.waitFor({ timeout: UI_TIMEOUT });
  const last = await page.locator('.monaco-dialog-box').first().innerText();
  assert.match(last, /Sectigo will refuse \(-13\)/);
  assert.match(last, /Sectigo will answer -13: /);
  assert.equal(
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.innerText ?? ''),
    'Show CSR Report',
  );
  await anyway.click();
  const refused = notification(page, /Sectigo answered -13/);
  await refused.waitFor({ timeout: UI_TIMEOUT });
  assert.equal(fake.requests.at(-1)?.answeredCode, -13);
  await workbench.screenshot('confirmations-06-key-size-refused');
  await refused.locator('.monaco-button').filter({ hasText: 'Create a Compliant Key and CSR' }).first().click();
  await quickInput(page).filter({ hasText: 'Key type' }).waitFor({ timeout: UI_TIMEOUT });
  await page.keyboard.press('Escape');
});

step(
  'Enter on Clear Credentials keeps the password (the safe choice is the first), with no Cancel beside it',
  async () => {
    const { page, fake } = workbench;
    const account = `${DEMO_ACCOUNT.loginName} @ ${new URL(fake.url).host}`;
    await runCommand(page, 'Sectigo: Clear Credentials');
    await pickItem(page, 'Which login should be forgotten', account);
    const keep = quickInput(page).locator('.monaco-list-row').first().filter({ hasText: 'Keep the Password' });
    await keep.waitFor({ timeout: UI_TIMEOUT });
    await workbench.screenshot('confirmations-03-clear-credentials');
    assert.equal(await page.locator('.monaco-dialog-box').count(), 0, 'a dialog with a Cancel beside the Keep');
    await page.keyboard.press('Enter');
    await quickInput(page).waitFor({ state: 'hidden', timeout: UI_TIMEOUT });
    // Still stored: the status bar names it, and Forget It removes it.
    await statusBarItem(page, account).waitFor({ timeout: UI_TIMEOUT });
    await runCommand(page, 'Sectigo: Clear Credentials');
    await pickItem(page, 'Which login should be forgotten', account);
    await pickItem(page, 'Forget the Sectigo password of', 'Forget It');
    await statusBarItem(page, account).waitFor({ state: 'detached', timeout: UI_TIMEOUT });
  },
);
