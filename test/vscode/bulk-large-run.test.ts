// A large "Revoke from List…" in the real extension host, against the fake server: 3,000 targets
// (every one an order the server does not know, answered -4). What a person opens after it reads
// the run from its files, a page at a time: the Orders view's run row expands to its outcomes, a
// page of 500 from the middle loads with the targets of its lines, the run's targets are kept in
// their own file (not in its manifest), the log names the first 1,000 answers and says where the
// rest are, and "Show What Was Sent" lists a bounded number of them.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as vscode from 'vscode';
import { activateExtension, automation, connectToFake, disconnectFromFake } from './extension-host';
import { ORDERS, startFakeSectigo, type FakeSectigo } from '../fake-sectigo/server';
import type { CallReport } from '../../src/vscode/calls/run-call';
import { Commands } from '../../src/vscode/shared/ids';
import type { BulkRevokeReport } from '../../src/vscode/calls/bulk-revoke-flow';
import { OrdersStore } from '../../src/core/sectigo/orders-store';
import { OrdersTreeProvider, RunPartNode, RunTargetNode } from '../../src/vscode/calls/orders-tree';
import { capturingLog } from './capturing-log';

const TARGETS = 3_000;
const FIRST_ORDER = 7_100_001;

describe('calls: a large revocation from a list', function () {
  let fake: FakeSectigo;

  before(async function () {
    fake = await startFakeSectigo();
    await activateExtension();
    await connectToFake(fake);
  });

  after(async function () {
    await disconnectFromFake();
    await fake?.close();
  });

  it('runs 3,000 targets; the Orders view pages them from the journal and the report lists a bounded part', async function () {
    this.timeout(180_000);
    const listText = Array.from({ length: TARGETS }, (_, index) => String(FIRST_ORDER + index)).join('\n');
    const report = await vscode.commands.executeCommand<BulkRevokeReport | undefined>(Commands.revokeFromList, {
      ...automation,
      listText,
      revocationReason: 'large run',
      test: true,
      rate: 100_000,
      concurrency: 8,
    });
    assert.ok(report, 'the command returned no report');
    assert.equal(report.summary.failed, TARGETS);
    assert.equal(fake.requests.length, TARGETS);

    // The manifest is small: the targets are in their own file beside it.
    const manifestPath = join(report.storageDirectory, `${report.manifestId}.run.json`);
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Record<string, unknown>;
    assert.equal(manifest.targets, undefined);
    assert.equal(manifest.total, TARGETS);
    assert.ok(statSync(manifestPath).size < 2_048, `the manifest holds ${statSync(manifestPath).size} bytes`);
    assert.ok(existsSync(join(report.storageDirectory, `${report.manifestId}.targets.jsonl`)));

    // The Orders view: the run's row, its one outcome (3,000 failed) in pages of 500, a page from the middle.
    const { log } = capturingLog();
    const tree = new OrdersTreeProvider(OrdersStore.inDirectory(dirname(report.storageDirectory)), log);
    try {
      const rows = await tree.getChildren();
      const runRow = rows.find((row) => row.id === `run:${report.manifestId}`);
      assert.ok(runRow, 'the run has a row');
      const parts = await tree.getChildren(runRow);
      assert.deepEqual(
        parts.map((part) => (part instanceof RunPartNode ? [part.outcome, part.count] : part.id)),
        [['failed', TARGETS]],
      );
      const pages = await tree.getChildren(parts[0]);
      assert.equal(pages.length, TARGETS / 500);
      const page = await tree.getChildren(pages[3]);
      assert.equal(page.length, 500);
      const lines = page.map((node) => (node instanceof RunTargetNode ? node.outcome.line : 0));
      assert.deepEqual([lines[0], lines[499]], [1_501, 2_000]);
      const first = page[0] as RunTargetNode;
      assert.deepEqual([first.outcome.value, first.outcome.code], [String(FIRST_ORDER + 1_500), -4]);
      const item = tree.getTreeItem(first);
      assert.match(String(typeof item.label === 'object' ? item.label.label : item.label), /7101501/);
    } finally {
      tree.dispose();
    }

    // The log: the first 1,000 answers one by one, then where the rest are (the log's file, learnt from one call).
    const single = await vscode.commands.executeCommand<CallReport | undefined>(Commands.revokeSsl, {
      ...automation,
      orderNumber: ORDERS.issued,
      revocationReason: 'x',
      test: true,
    });
    assert.ok(single);
    const deadline = Date.now() + 20_000;
    const logText = (): string => (existsSync(single.logFile) ? readFileSync(single.logFile, 'utf8') : '');
    const rest = new RegExp(`${report.manifestId}: the answers after the first 1,?000 are not logged one by one`);
    while (!rest.test(logText())) {
      assert.ok(Date.now() < deadline, `the log ${single.logFile} never said where the rest are`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const perTarget = logText()
      .split('\n')
      .filter((line) => line.includes(`Bulk ${report.manifestId}: line `));
    assert.equal(perTarget.length, 1_000);

    // The report of the run: a bounded list of the failures, the rest counted.
    const uri = await vscode.commands.executeCommand<string>(Commands.showRunReport, {
      id: `run:${report.manifestId}`,
    });
    const document = vscode.workspace.textDocuments.find((open) => open.uri.toString() === uri);
    assert.ok(document, 'the report was opened');
    const text = document.getText();
    assert.match(text, /: 3,000\n/);
    assert.match(text, /… and 1,000 more in the journal\./);
    assert.ok(document.lineCount < 2_100, `${document.lineCount} lines`);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });
});
