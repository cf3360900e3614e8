// Revocation from a list as a person meets it in the real workbench (code-server + headless
// Chromium, the packaged .vsix, the fake Sectigo server): a test run of 150 certificates whose
// every visible string (progress, notification, tree, log) says nothing was revoked; the CSV's
// per-row reasons in its confirmation; a real run of the same list cut by a reload, whose resume
// stays in reach after its notification is gone and is confirmed like a new run; and, after the
// two runs of 150, the single test-revoked order and the replace still in the Orders tree.
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO_ACCOUNT, ORDERS } from '../fake-sectigo/server';
import { SAMPLE_FILES } from '../../scripts/vscode/sample-workspace';
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
  pickItem,
  quickInput,
  runCommand,
  showOrdersView,
  type Workbench,
} from './workbench';
import type { Locator } from 'playwright-core';
import { sessionSteps } from './session-steps';

let workbench: Workbench;
const step = sessionSteps(() => workbench, 'failed-bulk-');

const COUNT = 150;
const FIRST_ORDER = 3_700_001;
const LIST = 'incident.csv';
const ordersOfList = Array.from({ length: COUNT }, (_, index) => String(FIRST_ORDER + index));
// Two thirds with their own reason and code, the rest with the reason asked for the whole list.
const OWN_REASON = 'key on a stolen laptop';
const ASKED_REASON = 'UI bulk test';
const listCsv = [
  'orderNumber,revocationReason,codeReason',
  ...ordersOfList.map((order, index) => (index < 100 ? `${order},${OWN_REASON},1` : `${order},,`)),
].join('\n');

/** Where "revoked" may stand in a test run's words: only where they say nothing was revoked. */
function claimsRevoked(text: string): string[] {
  // The editor draws spaces as no-break spaces.
  const cleared = text.replace(/\u00a0/g, ' ').replace(/\b(nothing (is |was )?|not )revoked\b/gi, '');
  return [...cleared.matchAll(/.{0,60}revoked.{0,20}/gi)].map((match) => match[0]);
}

/** The extension's log channel as written by the workbench (every line, not only those on screen). */
function logChannelText(): string {
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.log') && name.includes('Sectigo')) found.push(path);
    }
  };
  walk(join(workbench.server.userDataDir, 'logs'));
  assert.ok(found.length > 0, 'no log file of the Sectigo channel');
  return found.map((path) => readFileSync(path, 'utf8')).join('\n');
}

const host = (): string => new URL(workbench.fake.url).host;
const accountLabel = (): string => `${DEMO_ACCOUNT.loginName} @ ${host()}`;
const realRevocations = (): number =>
  workbench.fake.requests.filter((request) => request.endpoint === 'AutoRevokeSSL' && request.params.test !== 'Y')
    .length;

/** A run's row in the Orders view: the list's name, and what kind of run it was. */
const TEST_RUN = /^Test call from list /;
const REAL_RUN = /^Revocation from list: /;
/** A run's row by what a screen reader says of it: the kind of run first, then the list. */
const runRow = (kind: RegExp): Locator =>
  workbench.page
    .locator('.part.sidebar .monaco-list-row')
    .filter({ hasText: LIST })
    .and(
      workbench.page.locator(`[aria-label^="${kind === TEST_RUN ? 'Test call from list' : 'Revocation from list'}"]`),
    )
    .first();

/**
 * Chooses the list in the open dialog of a remote window (VS Code's simple file dialog, a quick
 * input): once it has filled in the folder it starts from, the list's path is typed whole.
 */
async function chooseList(): Promise<void> {
  const { page } = workbench;
  const widget = quickInput(page).filter({ hasText: 'A list of certificates to revoke' });
  await widget.waitFor({ timeout: UI_TIMEOUT });
  const input = widget.locator('input.input');
  const deadline = Date.now() + UI_TIMEOUT;
  while (!(await input.inputValue()).startsWith(workbench.workspace)) {
    assert.ok(Date.now() < deadline, 'the open dialog never showed its folder');
    await page.waitForTimeout(100);
  }
  const path = join(workbench.workspace, LIST);
  await input.fill(path);
  assert.equal(await input.inputValue(), path);
  await page.keyboard.press('Enter');
}

/** The text of the modal dialog on screen. */
async function dialogText(): Promise<string> {
  const box = workbench.page.locator('.monaco-dialog-box').first();
  await box.waitFor({ timeout: UI_TIMEOUT });
  return box.innerText();
}

before(async () => {
  workbench = await openWorkbench({ extraFiles: { [LIST]: `${listCsv}\n` } });
  for (const order of ordersOfList) workbench.fake.addOrder({ orderNumber: order, state: 'issued' });
});

after(async () => {
  await workbench?.close();
});

step('credentials are set', async () => {
  const { page, fake } = workbench;
  await runCommand(page, 'Sectigo: Set Credentials');
  await answerInput(page, 'API endpoint', fake.url);
  await answerInput(page, 'login name', DEMO_ACCOUNT.loginName);
  const widget = quickInput(page);
  await widget.filter({ hasText: 'secret storage' }).waitFor({ timeout: UI_TIMEOUT });
  await widget.locator('input.input').fill(DEMO_ACCOUNT.loginPassword);
  await page.keyboard.press('Enter');
  await pickItem(page, 'How calls to', 'Use These');
  await notification(page, /is stored and active/).waitFor({ timeout: UI_TIMEOUT });
  await clearNotifications(page);
});

step(
  'a test run of 150 from a CSV: its confirmation shows the reasons as sent, and nothing on screen or in the log says revoked',
  async () => {
    const { page, fake } = workbench;
    await runCommand(page, 'Sectigo: Revoke from List…');
    await chooseList();
    await pickItem(page, 'codeReason for every certificate', '0:');
    await answerInput(page, 'revocationReason', ASKED_REASON);
    const text = await dialogText();
    assert.ok(text.includes(`${accountLabel()} (not production): revoke 150 certificates?`), text);
    assert.match(text, /Reasons as sent: 2 distinct pairs/);
    // Each pair with the lines it goes with, and the columns said to override the answers.
    assert.ok(text.includes(`100 certificates (lines 2–101): "${OWN_REASON}" (codeReason 1: Key compromise)`), text);
    assert.ok(text.includes(`50 certificates (lines 102–151): "${ASKED_REASON}" (codeReason 0: Unspecified)`), text);
    assert.match(
      text,
      /The list's revocationReason and codeReason columns override codeReason 0 and the reason text asked for on the lines that fill them\./,
    );
    await workbench.screenshot('bulk-01-csv-confirmation');
    // Enter: the focused button is the test run.
    await page.keyboard.press('Enter');
    // Every progress line drawn while it runs, until the result.
    const seen = new Set<string>();
    const toasts = page.locator('.notifications-toasts .notification-toast');
    const result = notification(page, /accepted the test call for all/);
    const deadline = Date.now() + 5 * UI_TIMEOUT;
    while (!(await result.isVisible().catch(() => false))) {
      assert.ok(Date.now() < deadline, 'the test run did not finish');
      for (const toast of await toasts.allInnerTexts().catch(() => [])) seen.add(toast);
      await page.waitForTimeout(250);
    }
    assert.ok(
      [...seen].some((toast) => /Test call from list \(test=Y, nothing is revoked\)/.test(toast)),
      [...seen].join('\n'),
    );
    assert.ok(
      [...seen].some((toast) => /\d+ of 150 answered/.test(toast)),
      [...seen].join('\n'),
    );
    seen.add(await result.innerText());
    await workbench.screenshot('bulk-02-test-run-done');
    const tests = fake.requests.filter((request) => request.endpoint === 'AutoRevokeSSL');
    assert.equal(tests.length, COUNT);
    assert.ok(tests.every((request) => request.params.test === 'Y'));
    // Each row sent with its own reason and code, the rest with the asked ones.
    const sent = new Map(tests.map((request) => [request.params.orderNumber, request.params]));
    assert.equal(sent.get(ordersOfList[0])?.revocationReason, OWN_REASON);
    assert.equal(sent.get(ordersOfList[0])?.codeReason, '1');
    assert.equal(sent.get(ordersOfList[COUNT - 1])?.revocationReason, ASKED_REASON);
    assert.equal(sent.get(ordersOfList[COUNT - 1])?.codeReason, '0');
    assert.ok(
      ordersOfList.every((order) => fake.orders.get(order)?.state === 'issued'),
      'a test revoked something',
    );

    await showOrdersView(page);
    const run = runRow(TEST_RUN);
    await run.waitFor({ timeout: UI_TIMEOUT });
    seen.add(await run.innerText());
    seen.add((await run.getAttribute('aria-label')) ?? '');
    await runCommand(page, 'Sectigo: Show Log');
    const output = page.locator('.panel .monaco-editor .view-lines').first();
    await output.filter({ hasText: 'Test call' }).waitFor({ timeout: UI_TIMEOUT });
    seen.add(await output.innerText());
    const log = logChannelText();
    assert.match(log, /Bulk test call \(test=Y, nothing is revoked\)/);
    assert.match(log, /150 accepted by the test call \(nothing revoked\)/);
    seen.add(log);
    assert.deepEqual(
      [...seen].flatMap(claimsRevoked),
      [],
      'a string of the test run says "revoked" where nothing was revoked',
    );
    await clearNotifications(page);
  },
);

step('a replace and a single test revocation, one by one, are in the history too', async () => {
  const { page } = workbench;
  await runCommand(page, 'View: Show Explorer');
  await openFile(page, SAMPLE_FILES.good);
  await codeLens(page, 'Replace S/MIME order').click();
  await answerReplaceSteps(page, ORDERS.issued, 'Keep the old certificate');
  await dialogButton(page, `Replace Order ${ORDERS.issued}`).click({ timeout: UI_TIMEOUT });
  await notification(page, /New order number \d+/).waitFor({ timeout: UI_TIMEOUT });
  await runCommand(page, 'Sectigo: Revoke SSL Certificate…');
  await pickItem(page, 'How do you name', 'Order number');
  await answerInput(page, 'order number of the certificate', ORDERS.issuedSpare);
  await pickItem(page, 'codeReason', '0:');
  await answerInput(page, 'revocationReason', 'UI test: single test revocation');
  await dialogButton(page, 'Test Revoke First (test=Y)').waitFor({ timeout: UI_TIMEOUT });
  await page.keyboard.press('Enter');
  // The toast can be gone before it is looked for (the log shows the answer at once): the center keeps it.
  await runCommand(page, 'Notifications: Show Notifications');
  await notification(page, /accepted the test revocation/).waitFor({ timeout: UI_TIMEOUT });
  await clearNotifications(page);
});

let leftAtReload = 0;

step('the real run of the tested list, cut by a reload mid-run, is marked unfinished with what is left', async () => {
  const { page, fake } = workbench;
  await runCommand(page, 'Sectigo: Revoke from List…');
  await pickItem(page, 'revoke those for real, or choose a list', 'Revoke for real the 150 certificates tested at');
  const text = await dialogText();
  assert.ok(text.includes(`${accountLabel()} (not production): revoke 150 certificates for real?`), text);
  // One way to do nothing (VS Code's Cancel); the focused button is the test again.
  assert.equal(await dialogButton(page, 'Not Now').count(), 0, 'a second do-nothing button');
  await dialogButton(page, 'Test Again (test=Y)').waitFor({ timeout: UI_TIMEOUT });
  await dialogButton(page, 'Revoke 150 Certificates Now').click();
  const deadline = Date.now() + UI_TIMEOUT;
  while (realRevocations() < 45) {
    assert.ok(Date.now() < deadline, `only ${realRevocations()} real revocations arrived`);
    await page.waitForTimeout(100);
  }
  await page.reload();
  await page.locator('.part.activitybar').waitFor({ timeout: UI_TIMEOUT });
  await showOrdersView(page);
  const offer = notification(page, /was interrupted/);
  await offer.waitFor({ timeout: UI_TIMEOUT });
  const offered = await offer.innerText();
  // The old window's run is gone with it: nothing more arrives.
  const sentBeforeReload = realRevocations();
  leftAtReload = COUNT - sentBeforeReload;
  assert.ok(offered.includes(`The revocation from ${LIST} as ${accountLabel()} to ${fake.url}!AutoRevokeSSL`), offered);
  assert.match(offered, / of 150 left\)/);
  const run = runRow(REAL_RUN);
  await run.waitFor({ timeout: UI_TIMEOUT });
  // The record was brought in line with the journal: the offer's count, not the 150 of the run's start.
  const left = /\((\d+) of 150 left\)/.exec(offered)?.[1];
  assert.ok(left, offered);
  // The tree redraws on the store's change event, a moment after the offer: wait for the count.
  await run.filter({ hasText: new RegExp(`unfinished: ${left} of 150 left`) }).waitFor({ timeout: UI_TIMEOUT });
  const badge = page.locator('.part.activitybar .action-item .badge-content').filter({ hasText: /^1$/ }).first();
  await badge.waitFor({ timeout: UI_TIMEOUT });
  await workbench.screenshot('bulk-03-unfinished-after-reload');
  // Gone from screen and from the notification centre: the resume must stay in reach all the same.
  await clearNotifications(page);
  assert.equal(realRevocations(), sentBeforeReload, 'the run went on after the reload');
});

step(
  'Revoke from List… on the same list offers the resume first; Resume shows the confirmation of a new run',
  async () => {
    const { page } = workbench;
    const sent = realRevocations();
    await runCommand(page, 'Sectigo: Revoke from List…');
    const first = quickInput(page).locator('.monaco-list-row').first();
    await first.filter({ hasText: `Resume ${LIST} (` }).waitFor({ timeout: UI_TIMEOUT });
    await pickItem(page, 'resume it, or choose a list', 'Choose a List File…');
    await chooseList();
    // The same list: the resume first, a new run only after an explicit discard.
    const rows = quickInput(page).locator('.monaco-list-row');
    await rows
      .first()
      .filter({ hasText: /Resume \(\d+ of 150 left\)/ })
      .waitFor({ timeout: UI_TIMEOUT });
    assert.match(await rows.nth(1).innerText(), /Discard the Unfinished Run/);
    const left = Number(/Resume \((\d+) of 150 left\)/.exec(await rows.first().innerText())?.[1]);
    assert.ok(left > 0 && left <= leftAtReload + 2, `left ${left}, sent before the reload ${COUNT - leftAtReload}`);
    await rows.first().click();
    const text = await dialogText();
    assert.ok(
      text.includes(
        `${accountLabel()} (not production): resume the revocation from ${LIST}: revoke the ${left} certificates left for real?`,
      ),
      text,
    );
    assert.match(text, /Mode: real revocation/);
    assert.match(text, /Answered in the earlier run: \d+ of 150/);
    await workbench.screenshot('bulk-04-resume-confirmation');
    // Enter takes the safe button: what the earlier run sent opens, named after the list; nothing is sent.
    await page.keyboard.press('Enter');
    await page
      .locator('.tabs-container .tab')
      .filter({ hasText: `${LIST} (revocation, ` })
      .first()
      .waitFor({ timeout: UI_TIMEOUT });
    assert.equal(realRevocations(), sent, 'Enter on the resume confirmation sent something');

    // Resume from the tree's inline action: the same confirmation, then the rest is sent.
    await showOrdersView(page);
    const run = runRow(REAL_RUN);
    await run.hover();
    await run.locator('.action-label[aria-label^="Resume"]').click({ timeout: UI_TIMEOUT });
    await dialogButton(page, `Revoke ${left} Certificates Now`).click({ timeout: UI_TIMEOUT });
    // Progress counts what the earlier run answered: never fewer than that.
    const done = notification(page, /Revocation from list: \d+ revoked, \d+ failed/);
    const counts: number[] = [];
    const deadline = Date.now() + 3 * UI_TIMEOUT;
    while (!(await done.isVisible().catch(() => false))) {
      assert.ok(Date.now() < deadline, 'the resumed run did not finish');
      for (const toast of await page
        .locator('.notifications-toasts .notification-toast')
        .allInnerTexts()
        .catch(() => []))
        for (const match of toast.matchAll(/(\d+) of 150 answered/g)) counts.push(Number(match[1]));
      await page.waitForTimeout(250);
    }
    assert.ok(counts.length > 0, 'no progress was drawn');
    assert.ok(
      Math.min(...counts) >= COUNT - left,
      `progress counted ${Math.min(...counts)} with ${COUNT - left} done before`,
    );
    assert.match(await done.innerText(), /150 revoked, 0 failed, 0 outcome unknown, 0 not sent of 150 certificates/);
    assert.ok(ordersOfList.every((order) => workbench.fake.orders.get(order)?.state === 'revoked'));
    await workbench.screenshot('bulk-05-resumed-done');
  },
);

step('after the two runs of 150, the Orders tree still holds the test-revoked order and the replace', async () => {
  const { page } = workbench;
  await clearNotifications(page);
  await showOrdersView(page);
  const tested = orderRow(page, ORDERS.issuedSpare);
  await tested.waitFor({ timeout: UI_TIMEOUT });
  assert.match(await tested.innerText(), /test accepted/);
  assert.match((await tested.getAttribute('aria-label')) ?? '', /: accepted by the test call \(nothing revoked\)/);
  const replaced = orderRow(page, ORDERS.issued);
  await replaced.waitFor({ timeout: UI_TIMEOUT });
  assert.match(await replaced.innerText(), /replaced/);
  await runRow(TEST_RUN).waitFor({ timeout: UI_TIMEOUT });
  const real = runRow(REAL_RUN);
  await real.waitFor({ timeout: UI_TIMEOUT });
  assert.doesNotMatch(await real.innerText(), /unfinished/);
  assert.equal(
    await page.locator('.part.activitybar .action-item .badge-content').filter({ hasText: /^\d+$/ }).count(),
    0,
    'the badge stays after the run finished',
  );
  await workbench.screenshot('bulk-06-tree-after-two-runs');
});
