// Calls to Sectigo in a real VS Code, against the fake Sectigo server started here. The
// commands are driven with their programmatic argument object (allowed only outside a
// production install), so everything from the real SecretStorage to the history file and the
// log file is the extension's own. Waits are on events or on a file reaching an expected
// content, never a fixed sleep.
import 'reflect-metadata';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import * as vscode from 'vscode';
import {
  EXTENSION_ID,
  activateExtension,
  automation,
  connectToFake,
  disconnectFromFake,
  workspaceUri,
  writeWorkspaceFile,
  runCommand,
  pinDemoAccountTo,
} from './extension-host';
import {
  DEMO_ACCOUNT,
  LIMITED_ACCOUNT,
  LIMITED_ACCOUNT_CALLS,
  ORDERS,
  startFakeSectigo,
  type FakeSectigo,
} from '../fake-sectigo/server';
import { makeCertificatePem, makeCsrPem } from '../fake-sectigo/csrs';
import { startEchoServer } from '../fake-sectigo/echo-server';
import { findLeaks } from '../fake-sectigo/leaks';
import { Commands, Settings } from '../../src/vscode/shared/ids';
import { OrdersStore, groupOrders, type BulkRunRecord, type OrderEntry } from '../../src/core/sectigo/orders-store';
import { OrdersTreeProvider, RunNode, orderContextValue } from '../../src/vscode/calls/orders-tree';
import { capturingLog } from './capturing-log';
import { knownSecrets } from '../../src/vscode/shared/known-secrets';
import type { CallReport } from '../../src/vscode/calls/run-call';

/** Resolves once `read()` returns something `done` accepts; re-checks on every change of the file's folder. */
async function untilFile(file: string, done: (text: string) => boolean, what: string): Promise<string> {
  const { watch } = await import('node:fs');
  const read = (): string => (existsSync(file) ? readFileSync(file, 'utf8') : '');
  if (done(read())) return read();
  return new Promise((resolve, reject) => {
    const watcher = watch(dirname(file), () => {
      if (done(read())) {
        watcher.close();
        clearTimeout(limit);
        resolve(read());
      }
    });
    // Not a timed assertion: a bound on waiting, so a missing write fails with a message instead of the suite timeout.
    const limit = setTimeout(() => {
      watcher.close();
      const present = existsSync(dirname(file)) ? readdirSync(dirname(file)).join(', ') : '(folder missing)';
      reject(new Error(`${what}: ${file} never reached the expected content; the folder holds: ${present}`));
    }, 20_000);
  });
}

function passwordForms(password: string): string[] {
  return [
    password,
    encodeURIComponent(password),
    new URLSearchParams({ p: password }).toString().slice(2),
    JSON.stringify(password).slice(1, -1),
  ];
}

function assertNoPassword(text: string, where: string): void {
  for (const form of passwordForms(DEMO_ACCOUNT.loginPassword)) {
    assert.ok(!text.includes(form), `${where} contains the password (as ${JSON.stringify(form)})`);
  }
}

describe('calls: replace and revoke against the fake Sectigo server', function () {
  let fake: FakeSectigo;
  let elsewhere: FakeSectigo;
  let csrUri: vscode.Uri;
  let smallKeyCsrUri: vscode.Uri;
  const reports: CallReport[] = [];

  async function replace(
    uri: vscode.Uri,
    orderNumber: string,
    extra: Record<string, unknown> = {},
  ): Promise<CallReport> {
    const report = await vscode.commands.executeCommand<CallReport | undefined>(Commands.replaceSmime, uri, 0, {
      ...automation,
      orderNumber,
      ...extra,
    });
    assert.ok(report, 'the replace command returned no report');
    reports.push(report);
    return report;
  }

  async function revoke(args: Record<string, unknown>): Promise<CallReport> {
    const report = await vscode.commands.executeCommand<CallReport | undefined>(Commands.revokeSsl, {
      ...automation,
      revocationReason: 'extension test',
      ...args,
    });
    assert.ok(report, 'the revoke command returned no report');
    reports.push(report);
    return report;
  }

  before(async function () {
    fake = await startFakeSectigo();
    // A second server standing for "somewhere a cloned repository would like the password sent".
    elsewhere = await startFakeSectigo();
    await activateExtension();
    await connectToFake(fake);
    csrUri = await writeWorkspaceFile(
      'calls-rsa-2048.csr',
      await makeCsrPem({ kind: 'rsa', bits: 2048 }, 'alice@example.com'),
    );
    smallKeyCsrUri = await writeWorkspaceFile(
      'calls-rsa-1024.csr',
      await makeCsrPem({ kind: 'rsa', bits: 1024 }, 'bob@example.com'),
    );
  });

  after(async function () {
    await disconnectFromFake();
    const workspaceSettings = join(workspaceUri().fsPath, '.vscode', 'settings.json');
    if (existsSync(workspaceSettings)) rmSync(workspaceSettings);
    await fake?.close();
    await elsewhere?.close();
  });

  it('replaces an S/MIME order end to end with the credentials from SecretStorage', async function () {
    const report = await replace(csrUri, ORDERS.issued);
    assert.equal(report.result.kind, 'success', JSON.stringify(report.result));
    assert.ok(report.result.kind === 'success' && report.result.newOrderNumber, 'no new order number');
    const request = fake.requests.at(-1);
    assert.equal(request?.endpoint, 'AutoReplaceSMIME');
    assert.equal(request?.params.orderNumber, ORDERS.issued);
    assert.equal(request?.passwordMatched, true, 'the password from SecretStorage did not arrive intact');
    assert.equal(report.entry?.state, 'replaced');
    assert.equal(report.entry?.newOrderNumber, report.result.newOrderNumber);
    assert.equal(report.entry?.csrUri, csrUri.toString());
    assert.equal(fake.orders.get(report.result.newOrderNumber)?.replaces, ORDERS.issued);
  });

  it('test-revokes with test=Y, and nothing is revoked', async function () {
    const report = await revoke({ orderNumber: ORDERS.issuedSpare, test: true, codeReason: 4 });
    assert.equal(report.result.kind, 'success', JSON.stringify(report.result));
    assert.equal(report.entry?.state, 'test-revoked');
    const request = fake.requests.at(-1);
    assert.equal(request?.endpoint, 'AutoRevokeSSL');
    assert.equal(request?.params.test, 'Y');
    assert.equal(request?.params.codeReason, '4');
    assert.equal(fake.orders.get(ORDERS.issuedSpare)?.state, 'issued');
  });

  it('reports an API error with its code and records it as failed', async function () {
    const report = await replace(csrUri, ORDERS.revoked);
    assert.equal(report.result.kind, 'api-error');
    assert.ok(report.result.kind === 'api-error');
    assert.equal(report.result.errorCode, -20);
    assert.match(report.result.explanation.meaning, /revoked/i);
    assert.equal(report.entry?.state, 'failed');
    assert.equal(report.entry?.errorCode, -20);
    assert.ok(
      report.logLines.some((line) => line.includes('errorCode -20')),
      `no log line names -20: ${report.logLines.join(' | ')}`,
    );
  });

  it('stops before sending a CSR that Sectigo would refuse with -13', async function () {
    const before = fake.requests.length;
    await assert.rejects(
      runCommand(Commands.replaceSmime, smallKeyCsrUri, 0, {
        ...automation,
        orderNumber: ORDERS.issued,
      }),
      /-13/,
    );
    assert.equal(fake.requests.length, before, 'a request was sent although -13 was predicted');
  });

  it('revokes from a certificate file by its serial number', async function () {
    const serial = '5EC7160ABCDEF1';
    fake.addOrder({ orderNumber: '1000777', state: 'issued', serialNumber: serial });
    const certificateUri = await writeWorkspaceFile('calls-server.crt', await makeCertificatePem(serial));
    const report = await vscode.commands.executeCommand<CallReport | undefined>(
      Commands.revokeFromCertificate,
      certificateUri,
      0,
      {
        ...automation,
        revocationReason: 'extension test',
        test: false,
        codeReason: 5,
      },
    );
    assert.ok(report);
    reports.push(report);
    assert.equal(report.result.kind, 'success', JSON.stringify(report.result));
    assert.equal(fake.requests.at(-1)?.params.serialNumber, serial);
    assert.equal(fake.requests.at(-1)?.params.test, 'N');
    assert.equal(fake.orders.get('1000777')?.state, 'revoked');
    assert.equal(report.entry?.state, 'revoked');
    assert.equal(report.entry?.certificateUri, certificateUri.toString());
  });

  it('refuses a device or a FIFO with no writer as a certificate file at once, without reading it', async function () {
    const { execFileSync } = await import('node:child_process');
    const fifo = join(mkdtempSync(join(tmpdir(), 'sectigo-fifo-')), 'certificate.pem');
    execFileSync('mkfifo', [fifo]);
    const before = fake.requests.length;
    for (const [file, message] of [
      [fifo, /named pipe \(FIFO\), not a regular file/],
      ['/dev/zero', /is a device, not a regular file/],
    ] as const) {
      await assert.rejects(
        runCommand(Commands.revokeFromCertificate, vscode.Uri.file(file), 0, {
          ...automation,
          revocationReason: 'x',
          test: true,
        }),
        message,
      );
    }
    assert.equal(fake.requests.length, before);
    rmSync(dirname(fifo), { recursive: true, force: true });
  });

  it('refuses a FIFO with no writer, or a symbolic link to /dev/zero, as the CSR file of a replacement at once', async function () {
    const { execFileSync } = await import('node:child_process');
    const { symlinkSync } = await import('node:fs');
    const folder = mkdtempSync(join(tmpdir(), 'sectigo-csr-fifo-'));
    const fifo = join(folder, 'request.csr');
    const zero = join(folder, 'zero.csr');
    execFileSync('mkfifo', [fifo]);
    symlinkSync('/dev/zero', zero);
    const before = fake.requests.length;
    for (const [file, message] of [
      [fifo, /named pipe \(FIFO\), not a regular file/],
      [zero, /is a device, not a regular file/],
    ] as const) {
      await assert.rejects(
        runCommand(Commands.replaceSmime, vscode.Uri.file(file), 0, {
          ...automation,
          orderNumber: ORDERS.issued,
        }),
        message,
      );
    }
    assert.equal(fake.requests.length, before);
    rmSync(folder, { recursive: true, force: true });
  });

  it('sends the block the CSR CodeLens names, counting every PEM block of the file as the analysis does', async function () {
    const mixed = [
      await makeCertificatePem('0A0B0C'),
      await makeCsrPem({ kind: 'rsa', bits: 1024 }, 'weak@example.com'),
      await makeCsrPem({ kind: 'ec', curve: 'P-256' }, 'carol@example.com'),
    ].join('\n');
    const uri = await writeWorkspaceFile('calls-mixed.pem', mixed);
    const sent = fake.requests.length;
    await assert.rejects(
      runCommand(Commands.replaceSmime, uri, 0, { ...automation, orderNumber: ORDERS.issued }),
      /cannot be sent/,
    );
    await assert.rejects(
      runCommand(Commands.replaceSmime, uri, 1, { ...automation, orderNumber: ORDERS.issued }),
      /-13/,
    );
    assert.equal(fake.requests.length, sent, 'a refused block was sent');
    const third = await vscode.commands.executeCommand<CallReport | undefined>(Commands.replaceSmime, uri, 2, {
      ...automation,
      orderNumber: ORDERS.issued,
    });
    assert.ok(third);
    reports.push(third);
    assert.equal(third.result.kind, 'success', JSON.stringify(third.result));
    assert.equal(third.entry?.csrBlockIndex, 2);
  });

  it('acts on tree nodes: copy the order number, show the log entry, remove from history', async function () {
    const replaced = reports.find((report) => report.entry?.state === 'replaced');
    assert.ok(replaced?.entry?.newOrderNumber);
    const node = { id: replaced.entry.id };
    await vscode.commands.executeCommand(Commands.copyOrderNumber, node);
    assert.equal(await vscode.env.clipboard.readText(), replaced.entry.newOrderNumber);
    await vscode.commands.executeCommand(Commands.showOrderLogEntry, node);
    const shown = vscode.window.activeTextEditor?.document;
    assert.equal(shown?.uri.scheme, 'sectigo-log');
    assert.ok(
      shown?.getText().includes(`entry ${replaced.entry.id}`),
      `the log entry document lacks the call's line: ${shown?.getText()}`,
    );
    assertNoPassword(shown?.getText() ?? '', 'the log entry document');
    const failed = reports.find((report) => report.entry?.state === 'failed');
    assert.ok(failed?.entry);
    // A replace is in the audit record: removing it asks first, unless automation confirms.
    await vscode.commands.executeCommand(Commands.removeOrder, { id: failed.entry.id }, undefined, automation);
    const ids = (await new OrdersStore(failed.ordersFile).load()).entries.map((entry) => entry.id);
    assert.ok(!ids.includes(failed.entry.id), 'the removed entry is still in the history file');
    assert.ok(ids.includes(replaced.entry.id), 'remove took another entry with it');
    reports.splice(reports.indexOf(failed), 1);
  });

  it('knows the proxy password of an account as a secret: every sink removes it in any encoding', async function () {
    const proxyPassword = 'Pr0xy-S3cret-w0rd';
    try {
      await vscode.commands.executeCommand(Commands.setCredentials, {
        ...automation,
        ...DEMO_ACCOUNT,
        baseUrl: fake.url,
        caFile: fake.caFile,
        proxy: `http://proxy-user:${proxyPassword}@127.0.0.1:9/`,
      });
      // Whether the proxy is used for a loopback endpoint or not, the call builds the account's client.
      const report = await revoke({ orderNumber: ORDERS.issued, test: true });
      assert.ok(report.entry, JSON.stringify(report.result));
      assert.ok(knownSecrets().includes(proxyPassword), 'the proxy password is not in the registry of secrets');
      assert.deepEqual(findLeaks(report.logLines.join('\n'), proxyPassword), []);
    } finally {
      await pinDemoAccountTo(fake);
    }
  });

  it('reports OUTCOME UNKNOWN when the connection drops after the request was sent, and does not offer a blind replace', async function () {
    // A loopback server that reads the whole request, then hangs up without answering.
    const dropper: Server = createServer((request) => {
      request.resume();
      request.on('end', () => request.socket.destroy());
    });
    await new Promise<void>((resolve) => dropper.listen(0, '127.0.0.1', resolve));
    const { port } = dropper.address() as AddressInfo;
    try {
      // An account pinned to that endpoint (settings no longer move an account).
      await vscode.commands.executeCommand(Commands.setCredentials, {
        ...automation,
        ...DEMO_ACCOUNT,
        baseUrl: `http://127.0.0.1:${port}/products/`,
        caFile: '',
      });
      const report = await replace(csrUri, ORDERS.issued);
      assert.equal(report.result.kind, 'transport-error', JSON.stringify(report.result));
      assert.ok(report.result.kind === 'transport-error' && report.result.outcome === 'unknown');
      assert.equal(report.entry?.state, 'outcome-unknown');
      assert.ok(
        report.logLines.some((line) => line.includes('OUTCOME UNKNOWN')),
        report.logLines.join(' | '),
      );
      assert.ok(
        report.entry && !orderContextValue(groupOrders([report.entry])[0] as never).includes('replaceable'),
        'a replace with a lost answer is offered again',
      );
      assert.equal(
        report.entry?.baseUrl,
        `http://127.0.0.1:${port}/products/`,
        'the history records the endpoint of the call',
      );
    } finally {
      await pinDemoAccountTo(fake);
      await new Promise<void>((resolve) => dropper.close(() => resolve()));
    }
  });

  it('puts a Revoke lens above each certificate of a .crt file, with the file and the block index', async function () {
    const uri = await writeWorkspaceFile(
      'calls-chain.crt',
      (await makeCertificatePem('01F00D')) + (await makeCertificatePem('02F00D')),
    );
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const lenses =
      (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri)) ?? [];
    const revokeLenses = lenses.filter((lens) => lens.command?.command === Commands.revokeFromCertificate);
    assert.equal(revokeLenses.length, 2, `lenses: ${JSON.stringify(lenses.map((lens) => lens.command?.title))}`);
    assert.deepEqual(
      revokeLenses.map((lens) => (lens.command?.arguments ?? [])[1]),
      [0, 1],
    );
    assert.equal(String((revokeLenses[0]?.command?.arguments ?? [])[0]), uri.toString());
    assert.ok(
      revokeLenses[1] && revokeLenses[0] && revokeLenses[1].range.start.line > revokeLenses[0].range.start.line,
    );
  });

  it('keeps the history in a file that a new store reads back (as after a reload)', async function () {
    const last = reports.at(-1);
    assert.ok(last);
    const reread = await new OrdersStore(last.ordersFile).load();
    const ids = new Set(reread.entries.map((entry) => entry.id));
    for (const report of reports)
      if (report.entry)
        assert.ok(ids.has(report.entry.id), `entry ${report.entry.id} missing after re-reading ${last.ordersFile}`);
    assert.deepEqual(
      reread.entries.map((entry) => entry.time),
      [...reread.entries.map((entry) => entry.time)].sort().reverse(),
      'entries are not newest first',
    );
  });

  it('ignores a workspace sectigo.baseUrl: the call still goes to the user-level URL', async function () {
    const applied = new Promise<void>((resolve) => {
      const subscription = vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration(`${Settings.section}.${Settings.defaultLanguageName}`)) {
          subscription.dispose();
          resolve();
        }
      });
    });
    // What a cloned repository would ship: a redirect of the machine settings, plus an ordinary setting.
    await writeWorkspaceFile(
      '.vscode/settings.json',
      JSON.stringify(
        {
          'sectigo.baseUrl': elsewhere.url,
          'sectigo.caFile': elsewhere.caFile,
          'sectigo.proxy': 'http://127.0.0.1:9/',
          'sectigo.defaultLanguageName': 'de',
        },
        null,
        2,
      ),
    );
    await applied;
    const inspected = vscode.workspace.getConfiguration(Settings.section).inspect<string>(Settings.baseUrl);
    assert.equal(inspected?.globalValue, fake.url);
    const report = await replace(csrUri, ORDERS.issuedSpare, { languageName: 'de' });
    assert.equal(report.result.kind, 'success', JSON.stringify(report.result));
    assert.equal(elsewhere.requests.length, 0, 'the workspace base URL received a request');
    assert.equal(fake.requests.at(-1)?.params.languageName, 'de');
    assert.equal(report.entry?.baseUrl, fake.url);
  });

  it('never writes the password to the log, the log file, the orders file or the audit record', async function () {
    const last = reports.at(-1);
    assert.ok(last?.entry);
    for (const report of reports)
      assertNoPassword(report.logLines.join('\n'), `log lines of entry ${report.entry?.id ?? '?'}`);
    const entryId = last.entry.id;
    const logText = await untilFile(last.logFile, (text) => text.includes(entryId), 'the Sectigo log file');
    assert.match(logText, /AutoReplaceSMIME orderNumber \d+ .*errorCode 0/);
    assertNoPassword(logText, `the log file ${last.logFile}`);
    assertNoPassword(readFileSync(last.ordersFile, 'utf8'), `the orders file ${last.ordersFile}`);
    const audit = readFileSync(last.auditFile, 'utf8');
    assert.match(audit, /"event":"call"/, 'the real calls are in the audit record');
    assertNoPassword(audit, `the audit record ${last.auditFile}`);
  });

  it('keeps the password out of the log, the log file and the orders file when a server echoes it in every encoding', async function () {
    const echo = await startEchoServer();
    try {
      const echoed: CallReport[] = [];
      for (const mode of ['all-answer', 'split_at_300-page', 'base64_whole_body-page', 'HTML_hex_entities-page']) {
        // An account pinned to the echoing endpoint (settings no longer move an account).
        await vscode.commands.executeCommand(Commands.setCredentials, {
          ...automation,
          ...DEMO_ACCOUNT,
          baseUrl: `${echo.origin}/${mode}/`,
          caFile: '',
        });
        echoed.push(await revoke({ orderNumber: ORDERS.issued, test: true }));
      }
      const last = echoed.at(-1);
      assert.ok(last?.entry);
      assert.equal(echoed[0]?.result.kind, 'api-error', JSON.stringify(echoed[0]?.result));
      const logText = await untilFile(
        last.logFile,
        (text) => text.includes(last.entry?.id ?? '?'),
        'the Sectigo log file',
      );
      const leaks = [
        ...echoed.flatMap((report) => findLeaks(report.logLines.join('\n'), DEMO_ACCOUNT.loginPassword)),
        ...findLeaks(logText, DEMO_ACCOUNT.loginPassword),
        ...findLeaks(readFileSync(last.ordersFile, 'utf8'), DEMO_ACCOUNT.loginPassword),
        ...(existsSync(last.auditFile)
          ? findLeaks(readFileSync(last.auditFile, 'utf8'), DEMO_ACCOUNT.loginPassword)
          : []),
      ];
      assert.deepEqual(leaks, []);
    } finally {
      await pinDemoAccountTo(fake);
      await echo.close();
    }
  });

  it('switches between stored accounts and records -42 with the time a retry makes sense', async function () {
    await vscode.commands.executeCommand(Commands.setCredentials, {
      ...automation,
      loginName: LIMITED_ACCOUNT.loginName,
      loginPassword: LIMITED_ACCOUNT.loginPassword,
    });
    try {
      let last: CallReport | undefined;
      for (let call = 0; call <= LIMITED_ACCOUNT_CALLS; call += 1)
        last = await revoke({ orderNumber: ORDERS.issued, test: true });
      assert.ok(last);
      assert.equal(
        fake.requests.at(-1)?.params.loginName,
        LIMITED_ACCOUNT.loginName,
        'the newly set account is not the active one',
      );
      assert.equal(last.result.kind, 'api-error');
      assert.ok(last.result.kind === 'api-error' && last.result.errorCode === -42);
      assert.equal(last.entry?.state, 'failed');
      assert.equal(last.entry?.errorCode, -42);
      assert.ok(
        last.entry?.retryAfter && Date.parse(last.entry.retryAfter) > Date.parse(last.entry.time),
        'no sensible retry time recorded',
      );
    } finally {
      // Setting an already stored login again makes it the active one.
      await vscode.commands.executeCommand(Commands.setCredentials, {
        ...automation,
        loginName: DEMO_ACCOUNT.loginName,
        loginPassword: DEMO_ACCOUNT.loginPassword,
      });
    }
    const report = await revoke({ orderNumber: ORDERS.issued, test: true });
    assert.equal(fake.requests.at(-1)?.params.loginName, DEMO_ACCOUNT.loginName);
    assert.equal(report.result.kind, 'success');
  });

  it('refuses calls without credentials, with a message naming the fix', async function () {
    await vscode.commands.executeCommand(Commands.clearCredentials, automation);
    const before = fake.requests.length;
    await assert.rejects(
      runCommand(Commands.revokeSsl, {
        ...automation,
        orderNumber: ORDERS.issued,
        revocationReason: 'x',
        test: true,
      }),
      /Set Credentials/,
    );
    assert.equal(fake.requests.length, before);
    await vscode.commands.executeCommand(Commands.setCredentials, {
      ...automation,
      loginName: DEMO_ACCOUNT.loginName,
      loginPassword: DEMO_ACCOUNT.loginPassword,
    });
  });
});

describe('calls: the orders tree redraws only what changed', function () {
  // A whole-tree redraw makes the extension host forget every row until the workbench asks again;
  // a context-menu command chosen meanwhile arrives without its row. So echoes must not redraw,
  // and a change to some rows redraws those rows, as the objects VS Code already holds.
  it('redraws a new row whole, a changed row alone (the same object), and nothing for an echo', async function () {
    const directory = mkdtempSync(join(tmpdir(), 'sectigo-orders-'));
    const { log, lines } = capturingLog();
    const store = OrdersStore.inDirectory(directory);
    const tree = new OrdersTreeProvider(store, log);
    const redraws: Array<readonly unknown[] | 'whole'> = [];
    const subscription = tree.onDidChangeTreeData((nodes) => redraws.push(nodes === undefined ? 'whole' : [...nodes]));
    try {
      const entry = (id: string, identifier: string, state: OrderEntry['state']): OrderEntry => ({
        id,
        time: new Date().toISOString(),
        endpoint: 'AutoRevokeSSL',
        identifierKind: 'orderNumber',
        identifier,
        state,
        baseUrl: 'https://x/',
      });
      assert.deepEqual(await tree.getChildren(), []);
      await tree.refreshIfChanged();
      assert.deepEqual(redraws, [], 'an unchanged (empty) history was redrawn');
      await store.add(entry('a', '1', 'test-revoked'));
      await tree.refreshIfChanged();
      assert.deepEqual(redraws, ['whole'], 'a new row is a new tree');
      const first = await tree.getChildren();
      assert.equal(first.length, 1);
      // The file watcher's echo of the same write, and the window regaining focus.
      await tree.refreshIfChanged();
      await tree.refreshIfChanged();
      assert.equal(redraws.length, 1, 'an echo of the drawn history redrew the tree');
      // Another window's write of the same file adds a second order: the rows differ.
      await OrdersStore.inDirectory(directory).add(entry('b', '2', 'failed'));
      await tree.refreshIfChanged();
      assert.equal(redraws[1], 'whole');
      const [newer, older] = await tree.getChildren();
      assert.equal(older, first[0], 'the row drawn before kept its object');
      // A bulk run starts (a new row), then answers targets: its row alone is redrawn, the same
      // object with the new counts, and the orders' rows are left as VS Code holds them.
      const run: BulkRunRecord = {
        id: 'r1',
        time: new Date().toISOString(),
        updated: new Date().toISOString(),
        source: 'incident.txt',
        endpoint: 'https://x/!AutoRevokeSSL',
        baseUrl: 'https://x/',
        loginName: 'reseller',
        test: true,
        total: 3,
        accepted: 0,
        failed: 0,
        unknown: 0,
        notSent: 3,
        journal: join(directory, 'r1.journal'),
        finished: false,
      };
      await store.recordRun(run);
      await tree.refreshIfChanged();
      assert.equal(redraws[2], 'whole');
      const [runRow, ...orderRows] = await tree.getChildren();
      assert.ok(runRow instanceof RunNode);
      assert.deepEqual(orderRows, [newer, older]);
      await store.recordRun({ ...run, accepted: 2, notSent: 1 });
      await tree.refreshIfChanged();
      assert.deepEqual(redraws[3], [runRow], 'only the run row is redrawn, as the object VS Code holds');
      assert.equal(runRow.run.accepted, 2, 'the row object has the new counts');
      assert.equal(redraws.length, 4);
      assert.deepEqual(await tree.getChildren(), [runRow, newer, older]);
      // The Refresh button always redraws the whole tree.
      tree.refresh();
      assert.equal(redraws.at(-1), 'whole');
      assert.deepEqual(lines, []);
    } finally {
      subscription.dispose();
      tree.dispose();
      rmSync(directory, { recursive: true, force: true });
    }
  });
});

describe('calls: the order history file', function () {
  it('keeps a corrupt file aside and starts a new history', async function () {
    const directory = mkdtempSync(join(tmpdir(), 'sectigo-orders-'));
    try {
      const store = OrdersStore.inDirectory(directory);
      writeFileSync(store.file, '{ "version": 1, "entries": [ {"id": "x", ');
      const loaded = await store.load();
      assert.deepEqual(loaded.entries, []);
      assert.ok(loaded.corruptFileMovedTo, 'the corrupt file was not reported');
      assert.equal(readFileSync(loaded.corruptFileMovedTo, 'utf8'), '{ "version": 1, "entries": [ {"id": "x", ');
      // The one notice the tree shows, whoever's read found the corrupt file; given once.
      assert.equal(store.takeCorruptFileNotice(), loaded.corruptFileMovedTo);
      assert.equal(store.takeCorruptFileNotice(), undefined);
      await store.add({
        id: 'a',
        time: new Date().toISOString(),
        endpoint: 'AutoRevokeSSL',
        identifierKind: 'orderNumber',
        identifier: '1',
        state: 'revoked',
        baseUrl: 'https://x/',
      });
      assert.equal((await OrdersStore.inDirectory(directory).load()).entries.length, 1);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('is bounded: the oldest finished test calls go first; the real calls stay in the audit record', async function () {
    const directory = mkdtempSync(join(tmpdir(), 'sectigo-orders-'));
    try {
      const store = OrdersStore.inDirectory(directory, 5);
      // Eight test calls on one order: only the latest is pending work; the older ones are finished.
      // Between them, eight real revocations of other orders: never dropped to make room.
      for (let index = 0; index < 8; index += 1) {
        const time = new Date(Date.UTC(2026, 0, 1, 0, index)).toISOString();
        await store.add({
          id: `e${index}`,
          time,
          endpoint: 'AutoRevokeSSL',
          identifierKind: 'orderNumber',
          identifier: '1000001',
          state: 'failed',
          test: true,
          baseUrl: 'https://x/',
        });
        await store.add({
          id: `real${index}`,
          time,
          endpoint: 'AutoRevokeSSL',
          identifierKind: 'orderNumber',
          identifier: `200000${index}`,
          state: 'revoked',
          test: false,
          baseUrl: 'https://x/',
        });
      }
      const { entries, dropped } = await OrdersStore.inDirectory(directory).load();
      assert.deepEqual(
        entries.filter((entry) => entry.test === true).map((entry) => entry.id),
        ['e7', 'e6', 'e5', 'e4', 'e3'],
      );
      assert.equal(entries.filter((entry) => entry.test === false).length, 8);
      assert.equal(dropped, 3);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('gives each order the context words its menus match: only the actions that fit its state', function () {
    const base: OrderEntry = {
      id: 'n',
      time: new Date().toISOString(),
      endpoint: 'AutoReplaceSMIME',
      identifierKind: 'orderNumber',
      identifier: '1000001',
      state: 'replaced',
      baseUrl: 'https://x/',
      csrUri: 'file:///w/a.csr',
    };
    const words = (...entries: OrderEntry[]): string[] => {
      const [order, ...others] = groupOrders(entries);
      assert.ok(order && others.length === 0, 'the calls form one order');
      return orderContextValue(order).split(' ').sort();
    };
    // An S/MIME order: replace again, never AutoRevokeSSL (it revokes SSL certificates).
    assert.deepEqual(words(base), ['hasCsr', 'kind-smime', 'replaceable', 'sectigoOrder', 'state-replaced']);
    // A replace whose answer was lost must not be offered again blindly.
    assert.ok(!words({ ...base, state: 'outcome-unknown' }).includes('replaceable'));
    const revoke: OrderEntry = { ...base, endpoint: 'AutoRevokeSSL', state: 'test-revoked', csrUri: undefined };
    // After a test the real revocation stays in reach, on the order itself.
    assert.deepEqual(words(revoke), ['kind-ssl', 'revokeForReal', 'sectigoOrder', 'state-test-revoked']);
    assert.deepEqual(words({ ...revoke, state: 'failed' }), ['kind-ssl', 'revocable', 'sectigoOrder', 'state-failed']);
    // A revoked order offers no revoke, even when a later call failed.
    const later = new Date(Date.now() + 1000).toISOString();
    assert.deepEqual(words({ ...revoke, id: 'b', time: later, state: 'failed' }, { ...revoke, state: 'revoked' }), [
      'kind-ssl',
      'sectigoOrder',
      'state-revoked',
    ]);
    // The same number at another endpoint is another order.
    assert.equal(groupOrders([revoke, { ...revoke, id: 'c', baseUrl: 'https://y/' }]).length, 2);
  });

  it("two stores on one file (two windows) keep each other's entries", async function () {
    const directory = mkdtempSync(join(tmpdir(), 'sectigo-orders-'));
    try {
      const first = OrdersStore.inDirectory(directory);
      const second = OrdersStore.inDirectory(directory);
      const entry = (id: string, minute: number) => ({
        id,
        time: new Date(Date.UTC(2026, 0, 1, 0, minute)).toISOString(),
        endpoint: 'AutoRevokeSSL' as const,
        identifierKind: 'orderNumber' as const,
        identifier: id,
        state: 'test-revoked' as const,
        baseUrl: 'https://x/',
      });
      await first.add(entry('one', 1));
      await second.add(entry('two', 2));
      await first.add(entry('three', 3));
      assert.deepEqual(
        (await second.load()).entries.map((e) => e.id),
        ['three', 'two', 'one'],
      );
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});

describe('calls: what package.json promises', function () {
  interface Contributions {
    configuration?: { properties?: Record<string, { scope?: string; markdownDescription?: string }> };
    menus?: Record<string, { command?: string; when?: string }[]>;
    viewsWelcome?: { view: string; contents: string; when?: string }[];
  }
  const packageJson = (): {
    contributes: Contributions;
    capabilities?: { untrustedWorkspaces?: { supported: unknown; restrictedConfigurations?: string[] } };
  } => vscode.extensions.getExtension(EXTENSION_ID)?.packageJSON as never;

  it('keeps the connection settings machine-scoped and restricted in untrusted workspaces', function () {
    const properties = packageJson().contributes.configuration?.properties ?? {};
    const connection = [Settings.baseUrl, Settings.proxy, Settings.caFile, Settings.timeoutSeconds].map(
      (name) => `${Settings.section}.${name}`,
    );
    for (const name of connection) assert.equal(properties[name]?.scope, 'machine', `${name} is not machine-scoped`);
    const trust = packageJson().capabilities?.untrustedWorkspaces;
    assert.equal(trust?.supported, 'limited');
    assert.deepEqual([...(trust?.restrictedConfigurations ?? [])].sort(), [...connection].sort());
    for (const [name, property] of Object.entries(properties))
      assert.ok((property.markdownDescription ?? '').length > 40, `${name} lacks a real description`);
  });

  it('keeps node-only commands out of the palette and network commands behind workspace trust', function () {
    const palette = packageJson().contributes.menus?.commandPalette ?? [];
    const when = (command: string): string | undefined => palette.find((entry) => entry.command === command)?.when;
    for (const command of [
      Commands.copyOrderNumber,
      Commands.openOrderCsr,
      Commands.showOrderLogEntry,
      Commands.removeOrder,
      Commands.revokeOrder,
      Commands.testRevokeOrder,
      Commands.revokeOrderForReal,
      Commands.replaceOrderAgain,
    ]) {
      assert.equal(when(command), 'false', `${command} appears in the palette`);
    }
    for (const command of [Commands.replaceSmime, Commands.revokeSsl, Commands.revokeFromCertificate])
      assert.match(when(command) ?? '', /isWorkspaceTrusted/);
    const welcome = packageJson().contributes.viewsWelcome ?? [];
    // The browser build's welcome (no calls there) stands apart from the two of the Node build.
    assert.deepEqual(welcome.map((entry) => entry.when).sort(), [
      '!isWorkspaceTrusted && !sectigo.callsUnavailable',
      'isWorkspaceTrusted && !sectigo.callsUnavailable',
      'sectigo.callsUnavailable',
    ]);
    assert.ok(welcome.some((entry) => entry.contents.includes(`command:${Commands.replaceSmime}`)));
  });
});
