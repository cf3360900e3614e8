// The record of what happened, as a person meets it in the real workbench (code-server + headless
// Chromium, the packaged .vsix, the fake Sectigo server): Set Credentials typed ahead without the
// password ever drawn; a single test revocation, then a real list run that revokes order 1000007
// (and a certificate ID), then two test runs of 150 (one answers -21 for 1000007) and a reload:
// the Orders view still shows every real revocation, 1000007 as revoked with no Revoke for Real,
// each run expanding to its targets by outcome without an id clash, rows whose words fit the
// default sidebar width and whose screen-reader labels are sentences; and Enter on every
// destructive-looking question (Discard, Clear Order History, removing a real call's record, Clear
// Credentials) keeps what it would destroy.
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO_ACCOUNT, ORDERS } from '../fake-sectigo/server';
import { SAMPLE_FILES } from '../../scripts/vscode/sample-workspace';
import {
  UI_TIMEOUT,
  answerInput,
  chooseFile,
  clearNotifications,
  codeLens,
  dialogButton,
  dialogText,
  notification,
  openFile,
  openWorkbench,
  orderRow,
  orderRows,
  pickItem,
  quickInput,
  runCommand,
  showOrdersView,
  statusBarItem,
  type Workbench,
} from './workbench';
import { sessionSteps } from './session-steps';

let workbench: Workbench;
const step = sessionSteps(() => workbench, 'failed-audit-');

const REAL_LIST = 'list7.txt';
const BIG_A = 'big-a.txt';
const BIG_B = 'big-b.txt';
const CUT_LIST = 'cut.txt';
const REVOKED_FOR_REAL = ['3800001', '3800002', '3800003'];
/** An order revoked for real through its certificate ID (the issue's "never listed" one). */
const BY_CERTIFICATE_ID = '3800004';
const MISSING = Array.from({ length: 5 }, (_, index) => String(9_100_001 + index));
const bigA = Array.from({ length: 109 }, (_, index) => String(3_810_001 + index));
const missingA = Array.from({ length: 40 }, (_, index) => String(9_200_001 + index));
const bigB = Array.from({ length: 150 }, (_, index) => String(3_820_001 + index));
const cut = Array.from({ length: 40 }, (_, index) => String(3_830_001 + index));
let certificateId = '';

const host = (): string => new URL(workbench.fake.url).host;
const account = (): string => `${DEMO_ACCOUNT.loginName} @ ${host()}`;

/** A row of the Orders view by its label exactly (a run's description may hold the same words as a group's label). */
const rowLabelled = (label: string) =>
  workbench.page
    .locator('.part.sidebar .monaco-list-row')
    .filter({
      has: workbench.page.locator('.label-name', { hasText: new RegExp(`^${label.replace(/[.()]/g, '\\$&')}$`) }),
    })
    .first();

/** A run's row in the Orders view, by its list. */
const runRow = (list: string) =>
  workbench.page.locator('.part.sidebar .monaco-list-row').filter({ hasText: list }).first();

before(async () => {
  workbench = await openWorkbench({
    extraFiles: {
      [REAL_LIST]: '',
      [BIG_A]: `${[ORDERS.issuedSpare, ...bigA, ...missingA].join('\n')}\n`,
      [BIG_B]: `${bigB.join('\n')}\n`,
      [CUT_LIST]: `${cut.join('\n')}\n`,
    },
  });
  const { fake } = workbench;
  for (const order of [...REVOKED_FOR_REAL, BY_CERTIFICATE_ID, ...bigA, ...bigB, ...cut])
    fake.addOrder({ orderNumber: order, state: 'issued' });
  certificateId = fake.orders.get(BY_CERTIFICATE_ID)?.certificateId ?? '';
  const { writeFileSync } = await import('node:fs');
  const { join } = await import('node:path');
  writeFileSync(
    join(workbench.workspace, REAL_LIST),
    `${[ORDERS.issuedSpare, ...REVOKED_FOR_REAL, `certificate-id:${certificateId}`, ...MISSING].join('\n')}\n`,
  );
});

after(async () => {
  await workbench?.close();
});

/**
 * Starts watching the page: every frame, every text drawn and every input's value (but a password
 * box's), for any 6 characters of the secret. Plain script text: the test runner's transform would
 * name the page's functions with a helper the page does not have.
 */
async function watchForSecret(secret: string): Promise<void> {
  await workbench.page.evaluate(`(() => {
    const password = ${JSON.stringify(secret)};
    const fragments = [];
    for (let index = 0; index + 6 <= password.length; index++) fragments.push(password.slice(index, index + 6));
    const seen = [];
    window.secretSeen = seen;
    const tick = () => {
      const texts = [document.body.innerText];
      for (const input of document.querySelectorAll('input')) if (input.type !== 'password') texts.push(input.value);
      for (const text of texts) for (const fragment of fragments) if (text.includes(fragment)) seen.push(text.slice(0, 200));
      if (window.secretSeen === seen) requestAnimationFrame(tick);
    };
    tick();
  })()`);
}

async function secretSightings(): Promise<string[]> {
  return workbench.page.evaluate(`(() => {
    const seen = window.secretSeen;
    window.secretSeen = undefined;
    return seen;
  })()`);
}

step(
  'Set Credentials: login and password right after the endpoint, the password never drawn, nothing typed ahead in a list',
  async () => {
    const { page } = workbench;
    await runCommand(page, 'Sectigo: Set Credentials');
    const widget = quickInput(page);
    const input = widget.locator('input.input >> visible=true');
    await widget.filter({ hasText: 'API endpoint' }).waitFor({ timeout: UI_TIMEOUT });
    await watchForSecret(DEMO_ACCOUNT.loginPassword);
    // As the README says: the endpoint offered (the fake server's), then the login, then the password.
    await page.keyboard.press('Enter');
    await widget.filter({ hasText: 'reseller API login name' }).waitFor({ timeout: UI_TIMEOUT });
    assert.equal(await widget.locator('.quick-input-title').innerText(), 'Sectigo credentials (2/4)');
    await page.keyboard.type(DEMO_ACCOUNT.loginName);
    await page.keyboard.press('Enter');
    await widget.filter({ hasText: "kept in VS Code's secret storage only" }).waitFor({ timeout: UI_TIMEOUT });
    assert.equal(await input.getAttribute('type'), 'password', 'the password box shows what is typed');
    await page.keyboard.type(DEMO_ACCOUNT.loginPassword);
    // The password's Enter, and the next step's Enter typed ahead without looking up.
    await page.keyboard.press('Enter');
    await page.keyboard.press('Enter');
    // An Enter typed while the next step was not yet shown is dropped (the answered box is held,
    // disabled), never delivered to the editor or a list: the last step then waits for its own Enter,
    // its filter box empty.
    const last = widget.locator('.monaco-list-row').filter({ hasText: 'Use These' });
    const stored = statusBarItem(page, account());
    const deadline = Date.now() + UI_TIMEOUT;
    for (;;) {
      if (await last.isVisible().catch(() => false)) {
        assert.equal(await input.inputValue(), '', 'keys typed ahead landed in the filter box');
        await page.keyboard.press('Enter');
        break;
      }
      if (await stored.isVisible().catch(() => false)) break;
      assert.ok(Date.now() < deadline, 'neither the last step nor the stored account showed');
      await page.waitForTimeout(100);
    }
    await stored.waitFor({ timeout: UI_TIMEOUT });
    assert.deepEqual(await secretSightings(), [], 'the password was drawn in clear');
    // What matters first, so a narrow toast still says it (the center keeps it once the toast is gone).
    await runCommand(page, 'Notifications: Show Notifications');
    const told = notification(page, /is stored and active/);
    await told.waitFor({ timeout: UI_TIMEOUT });
    assert.match(await told.innerText(), /^Not production: /);
    await clearNotifications(page);
  },
);

step('the account picker reads each account as its name, not its icon', async () => {
  const { page } = workbench;
  await runCommand(page, 'Sectigo: Select Account');
  const row = quickInput(page).locator('.monaco-list-row').filter({ hasText: account() }).first();
  await row.waitFor({ timeout: UI_TIMEOUT });
  const label = (await row.getAttribute('aria-label')) ?? '';
  assert.ok(label.startsWith(`${account()} (not production)`), label);
  assert.doesNotMatch(label, /beaker|\$\(/);
  await page.keyboard.press('Escape');
});

step('a single test revocation of order 1000007 puts it in the Orders view', async () => {
  const { page } = workbench;
  await runCommand(page, 'Sectigo: Revoke SSL Certificate…');
  await pickItem(page, 'How do you name', 'Order number');
  await answerInput(page, 'order number of the certificate', ORDERS.issuedSpare);
  await pickItem(page, 'codeReason', '0:');
  await answerInput(page, 'revocationReason', 'audit test: single');
  await dialogButton(page, 'Test Revoke First (test=Y)').waitFor({ timeout: UI_TIMEOUT });
  await page.keyboard.press('Enter');
  await runCommand(page, 'Notifications: Show Notifications');
  await notification(page, /accepted the test revocation/).waitFor({ timeout: UI_TIMEOUT });
  await clearNotifications(page);
});

/** Revoke from List… on a workspace list: the reason, then the confirmation's text. */
async function listConfirmation(list: string, codeReason: string, reason: string): Promise<string> {
  const { page, workspace } = workbench;
  await runCommand(page, 'Sectigo: Revoke from List…');
  const chooser = quickInput(page).locator('.monaco-list-row').filter({ hasText: 'Choose a List File…' });
  const dialog = quickInput(page).filter({ hasText: 'A list of certificates to revoke' });
  // After a passed test or with a run unfinished, Revoke from List… asks what to start with first.
  const deadline = Date.now() + UI_TIMEOUT;
  while (!(await dialog.isVisible().catch(() => false))) {
    if (await chooser.isVisible().catch(() => false)) await chooser.click();
    assert.ok(Date.now() < deadline, 'neither the open dialog nor the first choice showed');
    await page.waitForTimeout(100);
  }
  await chooseFile(page, workspace, 'A list of certificates to revoke', list);
  await pickItem(page, 'codeReason for every certificate', codeReason);
  await answerInput(page, 'revocationReason', reason);
  return dialogText(page);
}

step(
  'a real run of a list revokes 1000007, three orders and a certificate ID, and says test=N as it sends it',
  async () => {
    const { page, fake } = workbench;
    const text = await listConfirmation(REAL_LIST, '1:', 'audit test: real list');
    assert.match(
      text,
      /Mode: the test call first \(every call sends test = Y\), or the real revocation \(every call sends test = N\)/,
    );
    await dialogButton(page, 'Revoke 10 Certificates Now').click();
    const done = notification(page, /Revocation from list: 5 revoked, 5 failed, 0 outcome unknown, 0 not sent of 10/);
    await done.waitFor({ timeout: 3 * UI_TIMEOUT });
    const sent = fake.requests.filter((request) => request.params.revocationReason === 'audit test: real list');
    assert.equal(sent.length, 10);
    assert.ok(
      sent.every((request) => request.params.test === 'N'),
      'a real call without test=N',
    );
    assert.equal(fake.orders.get(ORDERS.issuedSpare)?.state, 'revoked');
    assert.equal(fake.orders.get(BY_CERTIFICATE_ID)?.state, 'revoked');
    await clearNotifications(page);
  },
);

/** What a test run of a list shows while it runs and when it ends, toasts and notification center alike. */
async function testRun(list: string, ended: RegExp): Promise<string[]> {
  const { page } = workbench;
  await listConfirmation(list, '0:', `audit test: ${list}`);
  await page.keyboard.press('Enter');
  const seen = new Set<string>();
  const result = notification(page, ended);
  const deadline = Date.now() + 5 * UI_TIMEOUT;
  while (!(await result.isVisible().catch(() => false))) {
    assert.ok(Date.now() < deadline, `the test run of ${list} did not end`);
    for (const toast of await page
      .locator('.notifications-toasts .notification-toast')
      .allInnerTexts()
      .catch(() => []))
      seen.add(toast);
    await page.waitForTimeout(250);
  }
  seen.add(await result.innerText());
  await clearNotifications(page);
  return [...seen];
}

step('a test run of 150 answers -21 for 1000007: "already revoked" in its progress and its result', async () => {
  const seen = await testRun(BIG_A, /Test call from list \(test=Y, nothing is revoked\): 109 accepted/);
  const words = seen.join('\n');
  assert.match(words, /109 accepted by the test call \(nothing revoked\), 1 already revoked \(-21\), 40 failed/);
  assert.match(words, /· 1 already revoked · /, 'the progress counts the -21 apart');
  assert.doesNotMatch(words, /110 accepted|110 test accepted/, 'a -21 counted as accepted by the test call');
});

step('a second test run of 150', async () => {
  await testRun(BIG_B, /Sectigo accepted the test call for all 150 certificates \(test=Y\)/);
});

step(
  'after a reload, the Orders view keeps every real revocation, 1000007 revoked with no Revoke for Real',
  async () => {
    const { page } = workbench;
    await page.reload();
    await page.locator('.part.activitybar').waitFor({ timeout: UI_TIMEOUT });
    await showOrdersView(page);
    const order = orderRow(page, ORDERS.issuedSpare);
    await order.waitFor({ timeout: UI_TIMEOUT });
    await runRow(BIG_B).waitFor({ timeout: UI_TIMEOUT });
    const top = (await orderRows(page)).filter((row) => row.level === 1);
    // Newest event first, runs among orders: big-b ended last, then big-a, whose -21 is 1000007's latest call, then the real list.
    assert.deepEqual(
      top.map((row) => [BIG_B, BIG_A, ORDERS.issuedSpare, REAL_LIST].find((name) => row.text.startsWith(name))),
      [BIG_B, BIG_A, ORDERS.issuedSpare, REAL_LIST],
      JSON.stringify(top),
    );
    assert.match(await order.innerText(), /revoked/);
    assert.doesNotMatch(await order.innerText(), /test accepted/);
    assert.equal(await order.getAttribute('aria-label'), `SSL order ${ORDERS.issuedSpare}: revoked, at ${host()}`);
    await order.click({ button: 'right' });
    const menu = page.locator('.context-view .monaco-menu');
    await menu
      .locator('.action-label')
      .filter({ hasText: 'Copy Order Number' })
      .first()
      .waitFor({ timeout: UI_TIMEOUT });
    const entries = await menu.locator('.action-label').allInnerTexts();
    assert.ok(!entries.some((label) => /Revoke/.test(label)), `a revoked order offers ${JSON.stringify(entries)}`);
    await page.keyboard.press('Escape');
    await workbench.screenshot('audit-01-after-reload');
  },
);

step(
  'each run expands to its targets by outcome, a certificate ID revoked for real among them, with no id clash',
  async () => {
    const { page } = workbench;
    const expand = async (label: string): Promise<void> => {
      const row = rowLabelled(label);
      await row.waitFor({ timeout: UI_TIMEOUT });
      // A row's hover (its tooltip) would take the click: the pointer rests off the view first.
      await page.mouse.move(1000, 16);
      await page
        .locator('.context-view')
        .first()
        .waitFor({ state: 'hidden', timeout: UI_TIMEOUT })
        .catch(() => undefined);
      if ((await row.getAttribute('aria-expanded')) !== 'true') await row.click();
      await page
        .locator('.part.sidebar .monaco-list-row[aria-expanded="true"]')
        .filter({ has: page.locator('.label-name', { hasText: label }) })
        .first()
        .waitFor({ timeout: UI_TIMEOUT });
    };
    await expand(REAL_LIST);
    await orderRow(page, '5 failed').waitFor({ timeout: UI_TIMEOUT });
    await expand('5 revoked');
    await orderRow(page, `Cert. ID ${certificateId}`).waitFor({ timeout: UI_TIMEOUT });
    const targets = (await orderRows(page)).filter((row) => row.level === 3);
    assert.deepEqual(
      targets.map((row) => row.text),
      [ORDERS.issuedSpare, ...REVOKED_FOR_REAL, `Cert. ID ${certificateId}`],
    );
    assert.match(
      targets.find((row) => row.text.startsWith('Cert. ID'))?.ariaLabel ?? '',
      new RegExp(`^certificate ID ${certificateId}: revoked, line 5 of ${REAL_LIST.replace('.', '\\.')}$`),
    );
    await expand(BIG_A);
    await orderRow(page, '40 failed').waitFor({ timeout: UI_TIMEOUT });
    await rowLabelled('109 accepted').waitFor({ timeout: UI_TIMEOUT });
    await rowLabelled('1 already revoked').waitFor({ timeout: UI_TIMEOUT });
    await expand(BIG_B);
    const accepted = rowLabelled('150 accepted');
    await accepted.waitFor({ timeout: UI_TIMEOUT });
    assert.match(await accepted.innerText(), /test=Y · nothing revoked/);
    assert.match(
      (await accepted.getAttribute('aria-label')) ?? '',
      /: 150 accepted by the test call \(nothing revoked\)$/,
    );
    // The order's own calls, as a screen reader reads them: sentences, no internal id.
    await expand(ORDERS.issuedSpare);
    await rowLabelled('Test: already revoked').waitFor({ timeout: UI_TIMEOUT });
    const calls = (await orderRows(page)).filter((row) => /^(Test|Revoke): /.test(row.text));
    assert.deepEqual(
      calls.map((row) => row.text.replace(/ \d.*$/, '')),
      ['Test: already revoked', 'Revoke: revoked', 'Test: test accepted'],
    );
    assert.match(
      calls[0]?.ariaLabel ?? '',
      /^Test revoke order 1000007: already revoked \(-21\) \(Sectigo said: The certificate has been revoked!\), /,
    );
    for (const call of calls) {
      assert.doesNotMatch(call.ariaLabel, /\[entry|entry [a-z0-9]+-/);
      assert.match(call.ariaLabel, new RegExp(`^(Test revoke|Revoke) order ${ORDERS.issuedSpare}: `));
    }
    assert.equal(await notification(page, /already registered/).count(), 0, 'a tree id was registered twice');
    await workbench.screenshot('audit-02-runs-expanded');
  },
);

step('every row of the Orders view fits the default sidebar width', async () => {
  const { page } = workbench;
  // No row hovered or focused: their inline actions would take room a resting row does not give up.
  await page.locator('.part.editor').click({ position: { x: 300, y: 300 } });
  await page.mouse.move(1000, 16);
  const rows = await orderRows(page);
  assert.ok(rows.length >= 12, JSON.stringify(rows));
  // A row fits, or (a run's counts) what matters comes first and fits: a cut may only take the last counts.
  assert.deepEqual(
    rows.filter((row) => row.cut && !row.firstPartFits).map((row) => `${row.text} (${row.width})`),
    [],
    'rows whose first words are cut at the default sidebar width',
  );
  assert.deepEqual(
    rows.filter((row) => row.cut && !/ · /.test(row.text)).map((row) => row.text),
    [],
    'a row of one state is cut',
  );
  await workbench.screenshot('audit-03-rows-fit');
});

/** The quick pick's rows, top first, once `question` is its placeholder. */
async function pickRows(question: string): Promise<string[]> {
  const widget = quickInput(workbench.page);
  await widget.locator(`input[placeholder*="${question}"]`).waitFor({ state: 'attached', timeout: UI_TIMEOUT });
  await widget.locator('.monaco-list-row').first().waitFor({ timeout: UI_TIMEOUT });
  return widget.locator('.monaco-list-row').allInnerTexts();
}

step('Enter on Clear Order History keeps everything', async () => {
  const { page } = workbench;
  await runCommand(page, 'Sectigo: Clear Order History…');
  const rows = await pickRows('Clear the Sectigo Orders history?');
  assert.match(rows[0] ?? '', /^Keep Everything/);
  assert.ok(
    rows.some(
      (row) => /Clear the Test Calls/.test(row) && /the audit record of \d+ real calls and runs stays/.test(row),
    ),
  );
  await page.keyboard.press('Enter');
  await quickInput(page).waitFor({ state: 'hidden', timeout: UI_TIMEOUT });
  await showOrdersView(page);
  await orderRow(page, REAL_LIST).waitFor({ timeout: UI_TIMEOUT });
  await orderRow(page, BIG_B).waitFor({ timeout: UI_TIMEOUT });
});

step("Enter on removing a real call's record keeps it", async () => {
  const { page } = workbench;
  const order = orderRow(page, ORDERS.issuedSpare);
  await order.click({ button: 'right' });
  // A menu item is chosen as a keyboard user does: the pointer on it, then Enter.
  const item = page.locator('.monaco-menu .action-item').filter({ hasText: 'Remove from History' }).first();
  await item.hover();
  await page
    .locator('.monaco-menu .action-item.focused')
    .filter({ hasText: 'Remove from History' })
    .waitFor({ timeout: UI_TIMEOUT });
  await page.keyboard.press('Enter');
  const rows = await pickRows('Remove the audit record of');
  assert.match(rows[0] ?? '', /^Keep the Record/);
  await page.keyboard.press('Enter');
  await quickInput(page).waitFor({ state: 'hidden', timeout: UI_TIMEOUT });
  await order.waitFor({ timeout: UI_TIMEOUT });
  assert.match(await order.innerText(), /revoked/);
});

step('Enter on Discard of an unfinished run shows what it sent and keeps the resume', async () => {
  const { page, fake } = workbench;
  await listConfirmation(CUT_LIST, '0:', 'audit test: cut');
  await page.keyboard.press('Enter');
  // Stopped part-way, as a person would: the progress notification's Cancel.
  const deadline = Date.now() + UI_TIMEOUT;
  while (fake.requests.filter((request) => request.params.revocationReason === 'audit test: cut').length < 5) {
    assert.ok(Date.now() < deadline, 'the run did not start');
    await page.waitForTimeout(100);
  }
  await page
    .locator('.notifications-toasts .notification-toast')
    .filter({ hasText: 'Test call from list' })
    .locator('.monaco-button')
    .filter({ hasText: 'Cancel' })
    .first()
    .click();
  await notification(page, /stopped/).waitFor({ timeout: UI_TIMEOUT });
  await clearNotifications(page);
  await showOrdersView(page);
  const run = runRow(CUT_LIST).filter({ hasText: /unfinished: \d+ of 40 left/ });
  await run.waitFor({ timeout: UI_TIMEOUT });
  await run.hover();
  await run.locator('.action-label[aria-label^="Discard"]').click({ timeout: UI_TIMEOUT });
  await dialogButton(page, 'Discard the Rest').waitFor({ timeout: UI_TIMEOUT });
  const focused = await page.evaluate(() => (document.activeElement as HTMLElement | null)?.innerText ?? '');
  assert.equal(focused, 'Show What Was Sent First', 'Enter is not on the safe button');
  await page.keyboard.press('Enter');
  const tab = page
    .locator('.tabs-container .tab')
    .filter({ hasText: `${CUT_LIST} (test call,` })
    .first();
  await tab.waitFor({ timeout: UI_TIMEOUT });
  const shown = await page.locator('.editor-instance .view-lines').first().innerText();
  assert.match(shown.replace(/\u00a0/g, ' '), /Test call from list \(test=Y, nothing is revoked\): cut\.txt/);
  assert.match(shown.replace(/\u00a0/g, ' '), /Every call sent test = Y\./);
  await showOrdersView(page);
  await run.waitFor({ timeout: UI_TIMEOUT });
  await workbench.screenshot('audit-04-discard-enter');
});

step('Enter on Clear Credentials keeps the password, and there is no Cancel beside a Keep', async () => {
  const { page } = workbench;
  await runCommand(page, 'Sectigo: Clear Credentials');
  await pickItem(page, 'Which login should be forgotten', account());
  const rows = await pickRows('Forget the Sectigo password of');
  assert.deepEqual(
    rows.map((row) => row.split('\n')[0]),
    ['Keep the Password', 'Forget It'],
  );
  assert.equal(await page.locator('.monaco-dialog-box').count(), 0, 'a dialog with a Cancel beside the Keep');
  await page.keyboard.press('Enter');
  await quickInput(page).waitFor({ state: 'hidden', timeout: UI_TIMEOUT });
  await statusBarItem(page, account()).waitFor({ timeout: UI_TIMEOUT });
});

step('with the report open beside the editor, the Replace lens of a good request is still on screen', async () => {
  const { page } = workbench;
  await runCommand(page, 'View: Show Explorer');
  await openFile(page, SAMPLE_FILES.good);
  const replace = codeLens(page, 'Replace S/MIME order');
  await replace.waitFor({ timeout: UI_TIMEOUT });
  await runCommand(page, 'Sectigo: Inspect CSR');
  await page.locator('.tabs-container .tab').filter({ hasText: 'CSR report' }).first().waitFor({ timeout: UI_TIMEOUT });
  // The request's editor is the left half now: its lens row is cut at its right edge. Measured in
  // one look at the page, on a lens that is drawn (VS Code redraws the row as the editor narrows,
  // and a row being replaced measures 0 with no editor around it): the first drawn one, within the deadline.
  const measured = await page.waitForFunction(
    () => {
      for (const lens of Array.from(document.querySelectorAll('.codelens-decoration a'))) {
        if (!(lens.textContent ?? '').includes('Replace S/MIME order')) continue;
        const editor = lens.closest('.editor-instance') ?? lens.closest('.monaco-editor');
        const box = lens.getBoundingClientRect();
        if (editor === null || box.width === 0) continue;
        return { lens: box.right, editor: editor.getBoundingClientRect().right };
      }
      return undefined;
    },
    undefined,
    { timeout: UI_TIMEOUT },
  );
  const edges = (await measured.jsonValue()) as { lens: number; editor: number };
  assert.ok(edges.lens <= edges.editor, `the Replace lens ends at ${edges.lens}, its editor at ${edges.editor}`);
  await workbench.screenshot('audit-05-report-beside');
});
