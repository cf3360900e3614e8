// Trust in every call, in a real VS Code against the fake Sectigo server: an account keeps its
// endpoint whatever settings are written (user settings and the remote machine's), Enter on
// every confirmation sends nothing irreversible, revoke from the orders tree tests first, the
// confirmed preview is the request the server received, and tree commands refuse orders that
// are not in the history. Confirmations are answered through the commands' automation
// argument ({ dialog: 'enter' } picks what Enter would), which records each dialog shown.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as vscode from 'vscode';
import {
  EXTENSION_ID,
  activateExtension,
  automation,
  writeWorkspaceFile,
  runCommand,
  pinDemoAccountTo,
} from './extension-host';
import { DEMO_ACCOUNT, ORDERS, startFakeSectigo, type FakeSectigo } from '../fake-sectigo/server';
import { makeCsrPem } from '../fake-sectigo/csrs';
import { Commands, Settings } from '../../src/vscode/shared/ids';
import { OrdersStore, groupOrders, orderKeyOf } from '../../src/core/sectigo/orders-store';
import { orderContextValue } from '../../src/vscode/calls/orders-tree';
import type { CallReport } from '../../src/vscode/calls/run-call';

/** Resolves on the next configuration change touching `section`, or after a bound (some writes change nothing VS Code reports). */
function nextConfigurationChange(section: string): Promise<void> {
  return new Promise((resolve) => {
    const subscription = vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration(section)) finish();
    });
    // Not a timed assertion: a bound on waiting for an event that a host may not send.
    const bound = setTimeout(finish, 5000);
    function finish(): void {
      clearTimeout(bound);
      subscription.dispose();
      resolve();
    }
  });
}

/** Resolves once the file holds `needle`; re-checks on every change in its folder, within a bound. */
async function untilFileHolds(file: string, needle: string): Promise<string> {
  const { watch } = await import('node:fs');
  const read = (): string => (existsSync(file) ? readFileSync(file, 'utf8') : '');
  if (read().includes(needle)) return read();
  return new Promise((resolve, reject) => {
    const watcher = watch(dirname(file), () => {
      if (!read().includes(needle)) return;
      watcher.close();
      clearTimeout(bound);
      resolve(read());
    });
    // Not a timed assertion: a bound, so a missing line fails with a message instead of the suite timeout.
    const bound = setTimeout(() => {
      watcher.close();
      reject(new Error(`${file} never held ${JSON.stringify(needle)}`));
    }, 20_000);
  });
}

async function call(command: string, ...args: unknown[]): Promise<CallReport> {
  const report = await vscode.commands.executeCommand<CallReport | undefined>(command, ...args);
  assert.ok(report, `${command} returned no report`);
  return report;
}

describe('trust in every call', function () {
  let fake: FakeSectigo;
  let elsewhere: FakeSectigo;
  let csrUri: vscode.Uri;
  let weakCsrUri: vscode.Uri;
  let ordersFile = '';
  let logFile = '';

  before(async function () {
    fake = await startFakeSectigo();
    // Where a settings write would like the next call to go.
    elsewhere = await startFakeSectigo();
    await activateExtension();
    await pinDemoAccountTo(fake);
    csrUri = await writeWorkspaceFile(
      'trust-ec.csr',
      await makeCsrPem({ kind: 'ec', curve: 'P-256' }, 'dana@example.com'),
    );
    weakCsrUri = await writeWorkspaceFile(
      'trust-rsa-1024.csr',
      await makeCsrPem({ kind: 'rsa', bits: 1024 }, 'erin@example.com'),
    );
  });

  after(async function () {
    await vscode.commands.executeCommand(Commands.clearCredentials, automation);
    await fake?.close();
    await elsewhere?.close();
  });

  it("keeps the account's endpoint across a user-settings write and a machine-settings write", async function () {
    const first = await call(Commands.revokeSsl, {
      ...automation,
      orderNumber: ORDERS.issued,
      revocationReason: 'endpoint pinning',
      test: true,
    });
    assert.equal(first.result.kind, 'success', JSON.stringify(first.result));
    ordersFile = first.ordersFile;
    logFile = first.logFile;
    const before = fake.requests.length;

    // A user-settings write: the setting that used to decide the endpoint, and an unrelated one.
    const changed = nextConfigurationChange(Settings.section);
    await vscode.workspace
      .getConfiguration(Settings.section)
      .update(Settings.baseUrl, elsewhere.url, vscode.ConfigurationTarget.Global);
    await vscode.workspace
      .getConfiguration(Settings.section)
      .update(Settings.caFile, elsewhere.caFile, vscode.ConfigurationTarget.Global);
    await vscode.workspace.getConfiguration('editor').update('fontSize', 15, vscode.ConfigurationTarget.Global);
    await changed;
    // A write to the remote machine's settings (code-server's "Remote" tab: <user-data>/Machine/settings.json).
    const userData = dirname(dirname(dirname(dirname(ordersFile))));
    const machineSettings = join(userData, 'Machine', 'settings.json');
    const previous = existsSync(machineSettings) ? readFileSync(machineSettings, 'utf8') : undefined;
    mkdirSync(dirname(machineSettings), { recursive: true });
    const machineChanged = nextConfigurationChange(Settings.section);
    writeFileSync(
      machineSettings,
      JSON.stringify(
        {
          ...(previous ? (JSON.parse(previous) as object) : {}),
          'sectigo.baseUrl': elsewhere.url,
          'sectigo.caFile': elsewhere.caFile,
        },
        null,
        2,
      ),
    );
    await machineChanged;
    try {
      const second = await call(Commands.revokeSsl, {
        ...automation,
        orderNumber: ORDERS.issued,
        revocationReason: 'endpoint pinning',
        test: true,
      });
      assert.equal(second.result.kind, 'success', JSON.stringify(second.result));
      assert.equal(fake.requests.length, before + 1, "the second call did not reach the account's endpoint");
      assert.equal(elsewhere.requests.length, 0, 'a settings write redirected the password');
      assert.equal(second.entry?.baseUrl, fake.url, 'the history records the endpoint');
      assert.ok(
        second.logLines.some((line) => line.includes(`at ${fake.url} as ${DEMO_ACCOUNT.loginName}`)),
        second.logLines.join(' | '),
      );
    } finally {
      if (previous === undefined) rmSync(machineSettings, { force: true });
      else writeFileSync(machineSettings, previous);
      await vscode.workspace
        .getConfiguration(Settings.section)
        .update(Settings.baseUrl, undefined, vscode.ConfigurationTarget.Global);
      await vscode.workspace
        .getConfiguration(Settings.section)
        .update(Settings.caFile, undefined, vscode.ConfigurationTarget.Global);
      await vscode.workspace
        .getConfiguration('editor')
        .update('fontSize', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('Enter on every confirmation sends nothing irreversible', async function () {
    const host = new URL(fake.url).host;
    // Revoke from the palette: Enter is the test revocation.
    const revoke = await call(Commands.revokeSsl, {
      ...automation,
      orderNumber: ORDERS.issuedSpare,
      revocationReason: 'enter test',
      dialog: 'enter',
    });
    assert.equal(fake.requests.at(-1)?.params.test, 'Y');
    assert.equal(fake.orders.get(ORDERS.issuedSpare)?.state, 'issued');
    // Replace with revokeOldOrder: Enter replaces without revoking.
    const replace = await call(Commands.replaceSmime, csrUri, 0, {
      ...automation,
      orderNumber: ORDERS.issuedSpare,
      revokeOldOrder: true,
      dialog: 'enter',
    });
    assert.equal(replace.result.kind, 'success', JSON.stringify(replace.result));
    assert.equal(fake.requests.at(-1)?.params.revokeOldOrder, undefined, 'Enter sent revokeOldOrder');
    assert.notEqual(fake.orders.get(ORDERS.issuedSpare)?.state, 'revoked');
    // A CSR Sectigo will refuse: Enter opens the report, nothing is sent.
    const sent = fake.requests.length;
    const refused = await vscode.commands.executeCommand<CallReport | undefined>(Commands.replaceSmime, weakCsrUri, 0, {
      ...automation,
      orderNumber: ORDERS.issued,
      dialog: 'enter',
    });
    assert.equal(refused, undefined);
    assert.equal(fake.requests.length, sent, 'Enter sent a CSR predicted to be refused');
    for (const report of [revoke, replace]) {
      assert.ok(report.dialogs && report.dialogs.length > 0, 'the confirmation was not recorded');
      for (const dialog of report.dialogs) {
        assert.equal(dialog.buttons[0]?.irreversible, false, `"${dialog.message}" focuses ${dialog.buttons[0]?.label}`);
        assert.ok(
          dialog.message.startsWith(`${DEMO_ACCOUNT.loginName} @ ${host}`),
          `the first line names the account and endpoint: ${dialog.message}`,
        );
        assert.match(dialog.message, /not production/);
      }
    }
  });

  it('shows as preview exactly the request the server receives', async function () {
    // languageName with a template ID: the form drops it, so the preview must not list it.
    const report = await call(Commands.replaceSmime, csrUri, 0, {
      ...automation,
      orderNumber: ` ${ORDERS.issued} `,
      languageName: 'de',
      requestTemplateId: 12,
      dialog: 'enter',
    });
    assert.equal(report.result.kind, 'success', JSON.stringify(report.result));
    const received = fake.requests.at(-1);
    assert.ok(received && report.preview);
    const [first, ...lines] = report.preview.split('\n');
    assert.equal(first, `POST ${fake.url}!AutoReplaceSMIME`);
    const previewed = Object.fromEntries(lines.map((line) => line.split(' = ') as [string, string]));
    assert.deepEqual(
      Object.keys(previewed),
      Object.keys(received.params),
      'the preview names exactly the fields received',
    );
    for (const [name, value] of Object.entries(received.params)) {
      if (name === 'loginPassword') assert.match(previewed[name] ?? '', /^•+$/);
      else if (name === 'csr')
        assert.equal(/\((\d+) characters\)/.exec(previewed[name] ?? '')?.[1], /\[(\d+) characters\]/.exec(value)?.[1]);
      else assert.equal(previewed[name], value, name);
    }
    assert.equal(received.params.orderNumber, ORDERS.issued, 'a pasted space is trimmed');
    assert.equal(received.params.languageName, undefined);
    // One client per account, reused: its keep-alive connections carry more than one call.
    assert.ok(
      fake.connectionCount() < fake.requests.length,
      `${fake.connectionCount()} connections for ${fake.requests.length} requests`,
    );
  });

  it('revokes from the tree with the test first, and keeps Revoke for Real on the order', async function () {
    const orderNumber = '1000555';
    fake.addOrder({ orderNumber, state: 'issued' });
    // The order enters the history through a failed-free call: a test revocation from the palette.
    const seeded = await call(Commands.revokeSsl, { ...automation, orderNumber, revocationReason: 'tree', test: true });
    assert.ok(seeded.entry);
    const key = orderKeyOf(seeded.entry);
    const viaTree = await call(
      Commands.revokeOrder,
      { id: key },
      { ...automation, revocationReason: 'tree', dialog: 'enter' },
    );
    assert.equal(fake.requests.at(-1)?.params.test, 'Y', 'revoke from the tree did not test first');
    assert.equal(fake.orders.get(orderNumber)?.state, 'issued');
    assert.equal(viaTree.dialogs?.[0]?.buttons[0]?.irreversible, false);
    let order = groupOrders((await new OrdersStore(ordersFile).load()).entries).find(
      (candidate) => candidate.key === key,
    );
    assert.ok(
      order && orderContextValue(order).includes('revokeForReal'),
      'the test-revoked order does not offer Revoke for Real',
    );
    // Revoke for Real: Enter still tests; only the named button revokes.
    await call(Commands.revokeOrderForReal, { id: key }, { ...automation, dialog: 'enter' });
    assert.equal(fake.requests.at(-1)?.params.test, 'Y');
    await call(Commands.revokeOrderForReal, { id: key }, { ...automation, dialog: `Revoke ${orderNumber} Now` });
    assert.equal(fake.requests.at(-1)?.params.test, 'N');
    assert.equal(fake.orders.get(orderNumber)?.state, 'revoked');
    order = groupOrders((await new OrdersStore(ordersFile).load()).entries).find((candidate) => candidate.key === key);
    assert.ok(
      order && !/\brevocable\b|\brevokeForReal\b/.test(orderContextValue(order)),
      'a revoked order still offers Revoke',
    );
  });

  it("refuses tree commands for orders that are not in the history, and logs the argument's shape", async function () {
    const sent = fake.requests.length;
    const fabricated = { entry: { identifierKind: 'orderNumber', identifier: ORDERS.issued } };
    for (const command of [Commands.revokeOrder, Commands.revokeOrderForReal, Commands.replaceOrderAgain]) {
      await assert.rejects(
        runCommand(command, fabricated, {
          ...automation,
          revocationReason: 'x',
          dialog: 'enter',
        }),
        /not in the history/,
      );
      await assert.rejects(
        runCommand(
          command,
          { id: 'orderNumber:1000001@https://secure.trust-provider.com/products/' },
          { ...automation, dialog: 'enter' },
        ),
        /not in the history/,
      );
    }
    // No row at all (a keybinding, or a row the view forgot while redrawing): said as such.
    for (const command of [Commands.revokeOrder, Commands.revokeOrderForReal, Commands.revokeSelectedOrders])
      await assert.rejects(
        runCommand(command, undefined, { ...automation, revocationReason: 'x', dialog: 'enter' }),
        /No order came with this command: choose it from a row of the Sectigo Orders view/,
      );
    assert.equal(fake.requests.length, sent, 'a fabricated order reached the server');
    const log = await untilFileHolds(logFile, `${Commands.replaceOrderAgain} refused`);
    assert.ok(
      log.includes(
        `${Commands.revokeOrder} refused: its argument {entry: {identifierKind: string, identifier: string}} names no order`,
      ),
      "the log does not name the argument's shape",
    );
    // An S/MIME order from the history is never revoked through AutoRevokeSSL.
    const smime = groupOrders((await new OrdersStore(ordersFile).load()).entries).find(
      (order) => order.kind === 'smime',
    );
    assert.ok(smime);
    await assert.rejects(
      runCommand(Commands.revokeOrder, { id: smime.key }, { ...automation, revocationReason: 'x', dialog: 'enter' }),
      /S\/MIME/,
    );
    assert.equal(fake.requests.length, sent);
    // Automation arguments are checked for shape, not cast.
    await assert.rejects(
      runCommand(Commands.revokeSsl, {
        ...automation,
        orderNumber: 1000001,
        revocationReason: 'x',
        test: true,
      }),
      /orderNumber must be a string/,
    );
    assert.equal(fake.requests.length, sent);
  });

  it('in Restricted Mode hides the Replace lens like the Revoke lens, and refuses the command with the explanation', async function () {
    // The harness runs code-server with workspace trust off; the extension reads trust only through
    // vscode.workspace.isTrusted, so the untrusted state is simulated there (and restored after).
    const original = Object.getOwnPropertyDescriptor(vscode.workspace, 'isTrusted');
    const certificateUri = await writeWorkspaceFile(
      'trust-server.crt',
      '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n',
    );
    const lensTitles = async (uri: vscode.Uri): Promise<string[]> =>
      ((await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri)) ?? []).map(
        (lens) => lens.command?.title ?? '',
      );
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(csrUri));
    assert.ok(
      (await lensTitles(csrUri)).includes('Replace S/MIME order…'),
      'the trusted workspace lacks the Replace lens',
    );
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(certificateUri));
    assert.ok(
      (await lensTitles(certificateUri)).some((title) => /Revoke/.test(title)),
      'the trusted workspace lacks the Revoke lens',
    );
    Object.defineProperty(vscode.workspace, 'isTrusted', { configurable: true, get: () => false });
    try {
      assert.equal(vscode.workspace.isTrusted, false);
      const titles = await lensTitles(csrUri);
      assert.ok(
        !titles.includes('Replace S/MIME order…'),
        `Restricted Mode shows the Replace lens: ${JSON.stringify(titles)}`,
      );
      assert.ok(titles.includes('Inspect'), 'the analysis lenses stay');
      assert.ok(
        !(await lensTitles(certificateUri)).some((title) => /Revoke/.test(title)),
        'Restricted Mode shows the Revoke lens',
      );
      const sent = fake.requests.length;
      await assert.rejects(
        runCommand(Commands.replaceSmime, csrUri, 0, {
          ...automation,
          orderNumber: ORDERS.issued,
        }),
        /untrusted workspace/,
      );
      await assert.rejects(
        runCommand(Commands.revokeSsl, {
          ...automation,
          orderNumber: ORDERS.issued,
          revocationReason: 'x',
          test: true,
        }),
        /untrusted workspace/,
      );
      assert.equal(fake.requests.length, sent);
    } finally {
      if (original) Object.defineProperty(vscode.workspace, 'isTrusted', original);
      else delete (vscode.workspace as { isTrusted?: boolean }).isTrusted;
    }
    assert.equal(vscode.workspace.isTrusted, true);
  });

  it('keeps node commands, lenses and menus that call Sectigo behind workspace trust', function () {
    const contributes = (
      vscode.extensions.getExtension(EXTENSION_ID)?.packageJSON as {
        contributes: { menus: Record<string, { command: string; when?: string }[]> };
      }
    ).contributes;
    const calling: string[] = [
      Commands.replaceSmime,
      Commands.revokeSsl,
      Commands.revokeFromCertificate,
      Commands.revokeOrder,
      Commands.revokeOrderForReal,
      Commands.testRevokeOrder,
      Commands.replaceOrderAgain,
    ];
    for (const [menu, entries] of Object.entries(contributes.menus)) {
      for (const entry of entries) {
        if (!calling.includes(entry.command) || entry.when === 'false') continue;
        assert.match(entry.when ?? '', /isWorkspaceTrusted/, `${menu}: ${entry.command} shows in Restricted Mode`);
      }
    }
  });
});
