// "Sectigo: Revoke from List…" in a real VS Code against the fake server, driven
// with its programmatic argument (allowed only outside a production install): a
// list with mixed outcomes, a bad list that sends nothing, and the resume of a
// run interrupted mid-way (its manifest and journal as a crash leaves them).
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as vscode from 'vscode';
import { activateExtension, automation, connectToFake, disconnectFromFake, runCommand } from './extension-host';
import { DEMO_ACCOUNT, ORDERS, startFakeSectigo, type FakeSectigo } from '../fake-sectigo/server';
import { Commands } from '../../src/vscode/shared/ids';
import type { BulkRevokeReport, ResumeOfferReport } from '../../src/vscode/calls/bulk-resume-flow';
import type { CallReport } from '../../src/vscode/calls/run-call';
import { v1SendingLine, v1EndedLine } from '../../src/core/sectigo/bulk/journal';
import { parseTargetList } from '../../src/core/sectigo/bulk/targets';
import { OrdersStore, orderKeyOf } from '../../src/core/sectigo/orders-store';
import { readRunOutcomes } from '../../src/core/sectigo/bulk/run-outcomes';
import { BulkRunStore, type BulkRunManifest } from '../../src/core/sectigo/bulk/run-store';
import type { BulkTarget } from '../../src/core/sectigo/bulk/targets';

/** A manifest as the previous version wrote it (every target inside it): still read, and resumed. */
interface FirstFormatManifest extends Omit<BulkRunManifest, 'v' | 'total' | 'targetsDigest'> {
  v: 1;
  targets: BulkTarget[];
}

function passwordForms(password: string): string[] {
  const forms = [
    password,
    encodeURIComponent(password),
    new URLSearchParams({ p: password }).toString().slice(2),
    JSON.stringify(password).slice(1, -1),
    Buffer.from(password).toString('base64'),
  ];
  for (let start = 0; start + 6 <= password.length; start++) forms.push(password.slice(start, start + 6));
  return forms;
}

describe('calls: revoke from a list', function () {
  let fake: FakeSectigo;

  async function revokeFromList(args: Record<string, unknown>): Promise<BulkRevokeReport> {
    const report = await vscode.commands.executeCommand<BulkRevokeReport | undefined>(Commands.revokeFromList, {
      ...automation,
      ...args,
    });
    assert.ok(report, 'the command returned no report');
    return report;
  }

  /**
   * A run of 8 orders as a crash leaves it: three answered, the fourth sent (and revoked by the
   * server) but its answer never journalled, four never sent.
   */
  async function interruptedRun(
    id: string,
    firstOrder: number,
  ): Promise<{ manifest: FirstFormatManifest; orders: string[]; directory: string }> {
    // Where the extension keeps its runs: learnt from a small test run.
    const probe = await revokeFromList({ listText: ORDERS.issuedSpare, revocationReason: 'probe', test: true });
    const directory = probe.storageDirectory;
    const orders = Array.from(
      { length: 8 },
      (_, index) => fake.addOrder({ orderNumber: String(firstOrder + index), state: 'issued' }).orderNumber,
    );
    const targets = parseTargetList(orders.join('\n')).targets;
    const manifest: FirstFormatManifest = {
      v: 1,
      id,
      createdAt: new Date().toISOString(),
      source: 'incident.txt',
      endpoint: `${fake.url}!AutoRevokeSSL`,
      loginName: DEMO_ACCOUNT.loginName,
      test: false,
      reason: 'crash test',
      targets,
    };
    writeFileSync(join(directory, `${manifest.id}.run.json`), JSON.stringify(manifest));
    const facts = { endpoint: manifest.endpoint, loginName: manifest.loginName, test: false };
    const time = new Date();
    // Three answered; the fourth sent (and revoked by the server) but the window closed before its answer was journalled.
    const lines = targets
      .slice(0, 3)
      .flatMap((target) => [
        v1SendingLine(facts, target, 'crash test', undefined, time),
        v1EndedLine(facts, target, { outcome: 'revoked', code: 0, meaning: 'Revoked (0).' }, time),
      ]);
    lines.push(v1SendingLine(facts, targets[3]!, 'crash test', undefined, time));
    writeFileSync(
      join(directory, `${manifest.id}.journal.jsonl`),
      `${lines.map((line) => JSON.stringify(line)).join('\n')}\n{"v":1,"event":"end`,
    );
    fake.reset();
    for (const [index, order] of orders.entries())
      fake.addOrder({ orderNumber: order, state: index < 4 ? 'revoked' : 'issued' });
    return { manifest, orders, directory };
  }

  before(async function () {
    fake = await startFakeSectigo();
    await activateExtension();
    await connectToFake(fake);
  });

  after(async function () {
    await disconnectFromFake();
    await fake?.close();
  });

  beforeEach(() => fake.reset());

  it('revokes every target of a list, counts the outcomes, journals each call and records the results', async function () {
    const extra = fake.addOrder({ orderNumber: '3100001', state: 'issued' });
    const listText = [
      '# incident',
      ORDERS.issued,
      `serial:${extra.serialNumber}`,
      ORDERS.revoked,
      ORDERS.rejected,
      ORDERS.issued,
    ].join('\n');
    const report = await revokeFromList({
      listText,
      revocationReason: 'key compromise',
      codeReason: 1,
      test: false,
      rate: 50,
    });
    const { summary } = report;
    assert.deepEqual(
      [summary.total, summary.revoked, summary.alreadyRevoked, summary.failed, summary.unknown, summary.notSent],
      [4, 3, 1, 1, 0, 0],
    );
    assert.deepEqual(
      summary.failures.map((failure) => [failure.line, failure.code]),
      [[5, -20]],
    );
    assert.equal(fake.orders.get(ORDERS.issued)?.state, 'revoked');
    assert.equal(extra.state, 'revoked');
    assert.equal(fake.requests.length, 4, 'the duplicate was sent once');
    assert.ok(fake.requests.every((request) => request.params.codeReason === '1' && request.passwordMatched === true));
    // The compact journal: its header and the run's record, then a send and an end record per target.
    const journal = readFileSync(report.journalPath, 'utf8').trimEnd().split('\n');
    assert.match(journal[0] ?? '', /^\{"journal":"sectigo-csr bulk revocation journal","v":2,/);
    assert.equal(journal.filter((line) => line.startsWith('{"send":')).length, 4);
    assert.equal(journal.filter((line) => line.startsWith('{"end":')).length, 4);
    // A real run is one record of the audit record (every real call's record, never dropped to make
    // room); each target's answer is in its journal, read beneath the run, never rows of their own.
    const history = await OrdersStore.inDirectory(dirname(report.storageDirectory)).load();
    const run = history.runs.find((kept) => kept.id === report.manifestId);
    assert.deepEqual(run && [run.test, run.accepted, run.alreadyRevoked, run.failed, run.finished], [
      false,
      report.summary.revoked,
      1,
      report.summary.failed,
      true,
    ]);
    const audit = readFileSync(join(dirname(report.storageDirectory), 'audit.jsonl'), 'utf8');
    assert.ok(audit.includes(`"id":"${report.manifestId}"`), 'the real run is in the audit record');
    assert.ok(
      !history.entries.some((entry) => entry.identifier === ORDERS.rejected || entry.identifier === extra.serialNumber),
    );
    const failures = await readRunOutcomes(report.journalPath, { filter: ['failed'] });
    assert.deepEqual(
      failures.outcomes.map((outcome) => [outcome.value, outcome.code]),
      [[ORDERS.rejected, -20]],
    );
    // Every call of the real run said test=N, as its confirmation says.
    assert.ok(fake.requests.every((request) => request.params.test === 'N'));
    // A finished run is not offered for resuming.
    const manifest = JSON.parse(
      readFileSync(join(report.storageDirectory, `${report.manifestId}.run.json`), 'utf8'),
    ) as BulkRunManifest;
    assert.equal(manifest.finished, true);
  });

  it('refuses a bad list whole, naming the line, and sends nothing', async function () {
    await assert.rejects(
      runCommand(Commands.revokeFromList, {
        ...automation,
        listText: `${ORDERS.issued}\norder:12x\n`,
        revocationReason: 'x',
        test: true,
      }),
      /line 2/,
    );
    assert.equal(fake.requests.length, 0);
  });

  it('refuses a FIFO with no writer as the list, or as a certificate the list names, at once', async function () {
    const { execFileSync } = await import('node:child_process');
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const folder = mkdtempSync(join(tmpdir(), 'sectigo-list-fifo-'));
    const fifo = join(folder, 'incident.txt');
    execFileSync('mkfifo', [fifo]);
    try {
      await assert.rejects(
        runCommand(Commands.revokeFromList, {
          ...automation,
          listUri: vscode.Uri.file(fifo).toString(),
          revocationReason: 'x',
          test: true,
        }),
        /named pipe \(FIFO\), not a regular file/,
      );
      await assert.rejects(
        runCommand(Commands.revokeFromList, {
          ...automation,
          listText: `certificate:${fifo}`,
          revocationReason: 'x',
          test: true,
        }),
        /named pipe \(FIFO\), not a regular file/,
      );
      assert.equal(fake.requests.length, 0);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('resumes a run interrupted mid-way: only what is left is sent, the call in flight again', async function () {
    const { manifest, orders } = await interruptedRun('interrupted-test-run', 3_200_001);

    const report = await revokeFromList({ resumeInterrupted: true });
    assert.equal(report.manifestId, manifest.id);
    assert.deepEqual(
      fake.requests.map((request) => [request.params.orderNumber, request.answeredCode]),
      [[orders[3], -21], ...orders.slice(4).map((order) => [order, 0])],
    );
    assert.equal(report.summary.revoked, 8);
    assert.equal(report.summary.doneBefore, 3);
    assert.ok(orders.every((order) => fake.orders.get(order)?.state === 'revoked'));
  });

  it('keeps the password out of the journals, the manifests and the log', async function () {
    await revokeFromList({ listText: `${ORDERS.issued}\n${ORDERS.noPermission}`, revocationReason: 'x', test: true });
    const probe = await revokeFromList({
      listText: ORDERS.issuedSpare,
      revocationReason: 'password probe',
      test: true,
    });
    const single = await vscode.commands.executeCommand<CallReport | undefined>(Commands.revokeSsl, {
      ...automation,
      orderNumber: ORDERS.issued,
      revocationReason: 'x',
      test: true,
    });
    assert.ok(single);
    // The log channel writes its file a little later: wait (bounded) for the bulk summary to reach it.
    const deadline = Date.now() + 20_000;
    const logText = (): string => (existsSync(single.logFile) ? readFileSync(single.logFile, 'utf8') : '');
    while (!logText().includes(`${probe.manifestId}: `)) {
      assert.ok(Date.now() < deadline, `the log ${single.logFile} never showed the bulk run`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    // The runs' folder, and beside it the history and the audit record.
    const globalStorage = dirname(probe.storageDirectory);
    const stored = [
      ...readdirSync(probe.storageDirectory).map((file) => join(probe.storageDirectory, file)),
      ...['orders.json', 'audit.jsonl'].map((file) => join(globalStorage, file)).filter((file) => existsSync(file)),
    ].map((file) => readFileSync(file, 'utf8'));
    const everything = [...stored, logText()].join('\n');
    assert.ok(everything.includes(DEMO_ACCOUNT.loginName), 'the stored files were read');
    for (const form of passwordForms(DEMO_ACCOUNT.loginPassword))
      assert.ok(!everything.includes(form), `found a form of the password: ${form.slice(0, 3)}…`);
  });

  it('skips and names the orders of a list the history knows as S/MIME, and sends the rest', async function () {
    const probe = await revokeFromList({ listText: ORDERS.issuedSpare, revocationReason: 'probe', test: true });
    const orders = ['3600001', '3600002', '3600003'].map(
      (orderNumber) => fake.addOrder({ orderNumber, state: 'issued' }).orderNumber,
    );
    // 3600001 was replaced by 3600002 (both S/MIME orders): AutoRevokeSSL has no business with either.
    await OrdersStore.inDirectory(dirname(probe.storageDirectory)).add({
      id: 'smime-replaced',
      time: new Date().toISOString(),
      endpoint: 'AutoReplaceSMIME',
      identifierKind: 'orderNumber',
      identifier: orders[0]!,
      state: 'replaced',
      newOrderNumber: orders[1]!,
      baseUrl: fake.url,
      loginName: DEMO_ACCOUNT.loginName,
    });
    fake.requests.length = 0;
    const report = await revokeFromList({ listText: orders.join('\n'), revocationReason: 'skip test', test: true });
    assert.deepEqual(
      fake.requests.map((request) => request.params.orderNumber),
      [orders[2]],
    );
    assert.equal(report.summary.total, 1);
    await assert.rejects(
      runCommand(Commands.revokeFromList, {
        ...automation,
        listText: orders.slice(0, 2).join('\n'),
        revocationReason: 'x',
        test: true,
      }),
      /names no certificate AutoRevokeSSL can revoke\. Skipped line 1, order 3600001: an S\/MIME order/,
    );
  });

  describe('Revoke Selected… on the orders tree', function () {
    /** Two SSL orders in the history (each test-revoked once, so the tree offers them), and the history's file. */
    async function twoStoredOrders(): Promise<{ numbers: string[]; keys: string[]; ordersFile: string }> {
      const numbers = ['3300001', '3300002'].map(
        (orderNumber) => fake.addOrder({ orderNumber, state: 'issued' }).orderNumber,
      );
      const reports = [];
      for (const orderNumber of numbers) {
        const report = await vscode.commands.executeCommand<CallReport | undefined>(Commands.revokeSsl, {
          ...automation,
          orderNumber,
          revocationReason: 'seed',
          test: true,
        });
        assert.ok(report?.entry, `no history entry for ${orderNumber}`);
        reports.push(report);
      }
      fake.requests.length = 0;
      return { numbers, keys: reports.map((report) => orderKeyOf(report.entry!)), ordersFile: reports[0]!.ordersFile };
    }

    it('revokes two selected orders as one run, test=Y first from the focused button, and keeps the real revocation in reach', async function () {
      const { numbers, keys } = await twoStoredOrders();
      const report = await vscode.commands.executeCommand<BulkRevokeReport | undefined>(
        Commands.revokeSelectedOrders,
        { id: keys[0] },
        keys.map((id) => ({ id })),
        {
          ...automation,
          revocationReason: 'incident 42',
          codeReason: 1,
          dialog: 'enter',
        },
      );
      assert.ok(report, 'no report');
      const [dialog] = report.dialogs ?? [];
      assert.ok(dialog, 'no confirmation was shown');
      assert.equal(dialog.buttons[0]?.irreversible, false, 'Enter would revoke for real');
      // The first line names the account as every confirmation does: login @ host, marked off production.
      assert.equal(
        dialog.message,
        `${DEMO_ACCOUNT.loginName} @ ${new URL(fake.url).host} (not production): revoke 2 certificates?`,
      );
      assert.match(dialog.detail, /incident 42/);
      assert.deepEqual(
        fake.requests.map((request) => [request.params.orderNumber, request.params.test]).sort(),
        numbers.map((number) => [number, 'Y']),
      );
      assert.equal(report.summary.revoked, 2);
      assert.ok(
        numbers.every((number) => fake.orders.get(number)?.state === 'issued'),
        'a test revoked something',
      );

      // The notification with "Revoke for Real…" is gone; the passed test stays offered by Revoke from List….
      fake.requests.length = 0;
      const real = await revokeFromList({ revokeLastTested: true });
      assert.deepEqual(
        fake.requests
          .map((request) => [request.params.orderNumber, request.params.test ?? 'N', request.params.revocationReason])
          .sort(),
        numbers.map((number) => [number, 'N', 'incident 42']),
      );
      assert.ok(numbers.every((number) => fake.orders.get(number)?.state === 'revoked'));
      assert.equal(real.summary.revoked, 2);
      // Made once: it is no longer offered.
      await assert.rejects(
        runCommand(Commands.revokeFromList, { ...automation, revokeLastTested: true }),
        /No passed test/,
      );
    });

    it('refuses fabricated arguments and orders of another endpoint, sending nothing', async function () {
      const { keys, ordersFile } = await twoStoredOrders();
      const args = { ...automation, revocationReason: 'x', test: true };
      await assert.rejects(
        runCommand(Commands.revokeSelectedOrders, { id: 'fabricated' }, [{ id: 'fabricated' }], args),
        /not in the history/,
      );
      await assert.rejects(
        runCommand(Commands.revokeSelectedOrders, { id: keys[0] }, [{ id: keys[0] }, { orderNumber: '3300002' }], args),
        /not in the history/,
      );
      const elsewhere = {
        id: 'elsewhere-1',
        time: new Date().toISOString(),
        endpoint: 'AutoRevokeSSL' as const,
        identifierKind: 'orderNumber' as const,
        identifier: '3300009',
        state: 'failed' as const,
        baseUrl: 'https://elsewhere.example/',
      };
      await new OrdersStore(ordersFile).add(elsewhere);
      await assert.rejects(
        runCommand(
          Commands.revokeSelectedOrders,
          { id: keys[0] },
          [{ id: keys[0] }, { id: orderKeyOf(elsewhere) }],
          args,
        ),
        /elsewhere\.example/,
      );
      assert.equal(fake.requests.length, 0);
    });
  });

  it('offers, after activation, to resume an interrupted run, naming account, endpoint and what is left', async function () {
    const { manifest, orders } = await interruptedRun('interrupted-offer-run', 3_400_001);
    // Escape: nothing is sent and the offer stays.
    const dismissed = await vscode.commands.executeCommand<ResumeOfferReport>(Commands.revokeFromList, {
      ...automation,
      answerResumeOffer: 'escape',
    });
    assert.equal(
      dismissed.offered,
      `The revocation from incident.txt as ${DEMO_ACCOUNT.loginName} @ ${new URL(fake.url).host} to ${fake.url}!AutoRevokeSSL was interrupted (5 of 8 left). Resume it?`,
    );
    assert.equal(fake.requests.length, 0);
    const resumed = await vscode.commands.executeCommand<ResumeOfferReport>(Commands.revokeFromList, {
      ...automation,
      answerResumeOffer: 'Resume…',
    });
    assert.equal(resumed.offered, dismissed.offered);
    assert.equal(resumed.report?.manifestId, manifest.id);
    assert.deepEqual(
      fake.requests.map((request) => request.params.orderNumber),
      orders.slice(3),
    );
    // Finished: nothing is offered any more.
    const after = await vscode.commands.executeCommand<ResumeOfferReport>(Commands.revokeFromList, {
      ...automation,
      answerResumeOffer: 'escape',
    });
    assert.equal(after.offered, undefined);
  });

  it('resumes from the Orders view only after the confirmation of a new run; a fresh run of the same list is refused; Discard ends it', async function () {
    const { manifest, orders, directory } = await interruptedRun('interrupted-tree-run', 3_500_001);
    type Resumed = {
      dialogs: { message: string; detail: string; buttons: { label: string; irreversible: boolean }[] }[];
      summary?: unknown;
    };
    const escaped = await vscode.commands.executeCommand<Resumed>(
      Commands.resumeBulkRun,
      { id: `run:${manifest.id}` },
      { ...automation, dialog: 'escape' },
    );
    const [dialog] = escaped.dialogs;
    assert.ok(dialog, 'no confirmation was shown');
    const who = `${DEMO_ACCOUNT.loginName} @ ${new URL(fake.url).host} (not production)`;
    assert.equal(
      dialog.message,
      `${who}: resume the revocation from incident.txt: revoke the 5 certificates left for real?`,
    );
    assert.ok(dialog.detail.includes(`Endpoint: ${fake.url}!AutoRevokeSSL`), dialog.detail);
    assert.match(dialog.detail, /Mode: real revocation, every call sends test = N/);
    assert.match(dialog.detail, /Answered in the earlier run: 3 of 8/);
    assert.match(dialog.detail, /Left to send: 5, of which 1 may have reached Sectigo/);
    assert.deepEqual(
      dialog.buttons.map((button) => [button.label, button.irreversible]),
      [
        ['Show What Was Sent First', false],
        ['Revoke 5 Certificates Now', true],
      ],
    );
    assert.equal(fake.requests.length, 0, 'Escape sent something');
    // The same targets as a fresh run: refused, the unfinished run named.
    await assert.rejects(
      runCommand(Commands.revokeFromList, {
        ...automation,
        listText: orders.join('\n'),
        revocationReason: 'x',
        test: false,
      }),
      /unfinished run \(5 of 8 left\)/,
    );
    assert.equal(fake.requests.length, 0);
    // Enter on Discard shows what the run sent and gives nothing up.
    const entered = await vscode.commands.executeCommand<{ discarded: boolean; dialogs: Resumed['dialogs'] }>(
      Commands.discardBulkRun,
      { id: `run:${manifest.id}` },
      { ...automation, dialog: 'enter' },
    );
    assert.equal(entered.discarded, false);
    assert.deepEqual(
      entered.dialogs[0]?.buttons.map((button) => [button.label, button.irreversible]),
      [
        ['Show What Was Sent First', false],
        ['Discard the Rest', true],
      ],
    );
    const report = vscode.window.activeTextEditor?.document;
    assert.equal(report?.uri.scheme, 'sectigo-run');
    assert.match(report?.uri.path ?? '', /incident\.txt \(revocation, /);
    const text = report?.getText() ?? '';
    assert.match(text, /^Revocation from list: incident\.txt\n/);
    assert.match(text, /Every call sent test = N\./);
    assert.match(text, /Outcome unknown: sent, no answer came back .*: 1\n {2}line \d+: order 35000\d\d/);
    assert.match(text, /Never sent: 4\n/);
    assert.ok(!text.includes(DEMO_ACCOUNT.loginPassword));
    assert.ok(await new BulkRunStore(directory).unfinished(manifest.id), 'Enter discarded the run');
    // Discard: no longer offered; the record says so.
    assert.equal(
      await vscode.commands.executeCommand<boolean>(Commands.discardBulkRun, { id: `run:${manifest.id}` }, automation),
      true,
    );
    const offer = await vscode.commands.executeCommand<ResumeOfferReport>(Commands.revokeFromList, {
      ...automation,
      answerResumeOffer: 'escape',
    });
    assert.equal(offer.offered, undefined);
    await assert.rejects(
      runCommand(Commands.resumeBulkRun, { id: `run:${manifest.id}` }, { ...automation, dialog: 'enter' }),
      /finished or no longer kept/,
    );
    assert.equal(fake.requests.length, 0);
  });
});
