// Issue 31: one reader of every command's arguments (src/vscode/shared/command-boundary.ts), and
// results that return the person's choice to the flow, which loops (src/vscode/calls/result-ui.ts),
// in the real extension host: the real vscode.Uri, the real notification API (answered here by a
// stand-in for the person, who picks a button by its label).
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { allowAutomation, commandArguments } from '../../src/vscode/shared/command-boundary';
import { showResult, type ShownCall } from '../../src/vscode/calls/result-ui';
import type { SectigoLog } from '../../src/vscode/shared/log';
import { words } from '../../src/core/outside-text';

const SHAPE = { orderNumber: 'string', test: 'boolean?', passphrase: 'string|null?' } as const;

describe('the one reader of command arguments', function () {
  before(() => allowAutomation(vscode.ExtensionMode.Test));

  it('reads a file and a block index, a linked URI string, and nothing else as either', function () {
    const uri = vscode.Uri.file('/tmp/a.csr');
    const lens = commandArguments([uri, 2]);
    assert.equal(lens.uri, uri);
    assert.equal(lens.blockIndex, 2);
    assert.equal(lens.linkedUri, undefined);
    // The explorer passes (uri, selectedUris): an array is no block index.
    assert.equal(commandArguments([uri, [uri]]).blockIndex, undefined);
    assert.equal(commandArguments([uri, -1]).blockIndex, undefined);
    assert.equal(commandArguments([uri, 1.5]).blockIndex, undefined);
    const link = commandArguments([uri.toString(), 0]);
    assert.equal(link.uri, undefined);
    assert.equal(link.linkedUri?.toString(), uri.toString());
    assert.equal(commandArguments(['x'.repeat(10_000)]).linkedUri, undefined, 'a URI string is bounded');
  });

  it('reads a tree row and the selection by id, and a row without one as naming nothing', function () {
    class Row {
      constructor(readonly id: string) {}
    }
    const args = commandArguments([new Row('order:1'), [new Row('order:1'), { id: 'call:2' }, { name: 'x' }]]);
    assert.equal(args.node?.id, 'order:1');
    assert.deepEqual(
      args.selection.map((row) => row.id),
      ['order:1', 'call:2', undefined],
    );
    assert.equal(args.selection[2]?.shape, '{name: string}');
    assert.equal(commandArguments([]).node, undefined);
    assert.equal(commandArguments([{ id: 7 }]).node?.id, undefined);
    assert.equal(commandArguments([{ id: 'x'.repeat(1001) }]).node?.id, undefined, 'an id is bounded');
  });

  it('takes the automation object last, never the row itself, and types its fields by the shape', function () {
    const lone = commandArguments([{ id: 'order:1', confirm: true, orderNumber: '1' }]);
    assert.equal(lone.automated, false, 'a lone row is the row, not an automation object');
    assert.equal(lone.automation(SHAPE), undefined);
    const after = commandArguments([{ id: 'order:1' }, undefined, { confirm: true, orderNumber: '1', extra: 'x' }]);
    assert.equal(after.automated, true);
    assert.deepEqual(after.automation(SHAPE), { confirm: true, orderNumber: '1' }, 'unknown fields are dropped');
    assert.deepEqual(commandArguments([{ confirm: true, orderNumber: '2', passphrase: null }]).automation(SHAPE), {
      confirm: true,
      orderNumber: '2',
      passphrase: null,
    });
    assert.throws(
      () => commandArguments([{ confirm: true, orderNumber: 3 }]).automation(SHAPE),
      /orderNumber must be a string, not number/,
    );
    assert.throws(() => commandArguments([{ confirm: true }]).automation(SHAPE), /needs orderNumber/);
    assert.equal(commandArguments([{ confirm: 'yes', orderNumber: '1' }]).automation(SHAPE), undefined);
  });

  it('reads an extra argument only as a bounded string', function () {
    const args = commandArguments([vscode.Uri.file('/tmp/a.csr'), 0, '1000001']);
    assert.equal(args.textAt(2, 20), '1000001');
    assert.equal(args.textAt(2, 3), undefined);
    assert.equal(commandArguments([undefined, 0, 1000001]).textAt(2, 20), undefined);
  });
});

describe('a call result returns the choice to its flow', function () {
  const log = { show: () => undefined } as unknown as SectigoLog;
  const window = vscode.window as { -readonly [K in keyof typeof vscode.window]: (typeof vscode.window)[K] };
  const commands = vscode.commands as { -readonly [K in keyof typeof vscode.commands]: (typeof vscode.commands)[K] };
  const originals = {
    info: window.showInformationMessage,
    warning: window.showWarningMessage,
    execute: commands.executeCommand,
  };
  let offered: string[] = [];
  let executed: string[] = [];
  /** The person: reads the buttons offered and picks the one labelled `label` (undefined: closes it). */
  const person = (label: string | undefined) =>
    ((_message: string, _options: unknown, ...items: string[]) => {
      offered = items;
      return Promise.resolve(items.find((item) => item === label));
    }) as typeof vscode.window.showInformationMessage;

  beforeEach(() => {
    offered = [];
    executed = [];
    commands.executeCommand = ((command: string) => {
      executed.push(command);
      return Promise.resolve(undefined);
    }) as typeof vscode.commands.executeCommand;
  });
  afterEach(() => {
    window.showInformationMessage = originals.info;
    window.showWarningMessage = originals.warning;
    commands.executeCommand = originals.execute;
  });

  const unknownOutcome: ShownCall = {
    result: { kind: 'transport-error', endpoint: 'AutoRevokeSSL', outcome: 'unknown', message: 'reset', durationMs: 1 },
    entry: undefined,
  };
  const what = words`Revocation of 1000001`;

  it('"Send Again" on an outcome unknown returns "again", and starts nothing itself', async function () {
    window.showWarningMessage = person('Send Again');
    const choice = await showResult({ log }, unknownOutcome, what, {
      repeatIsSafe: true,
      again: true,
      revokeForReal: false,
    });
    assert.equal(choice, 'again');
    assert.deepEqual(executed, [], 'the result ran no command: the flow loops');
  });

  it('a replace, whose repeat is not safe, is not offered again', async function () {
    window.showWarningMessage = person('Send Again');
    const choice = await showResult({ log }, unknownOutcome, what, {
      repeatIsSafe: false,
      again: true,
      revokeForReal: false,
    });
    assert.equal(choice, undefined);
    assert.deepEqual(offered, ['Show Log']);
  });

  it('"Revoke for Real…" after a passed test returns "revoke-for-real"; closing returns nothing', async function () {
    const passed: ShownCall = {
      result: {
        kind: 'success',
        endpoint: 'AutoRevokeSSL',
        errorCode: 0,
        responseFormat: 1,
        httpStatus: 200,
        durationMs: 1,
      },
      entry: { state: 'test-revoked' },
    };
    window.showInformationMessage = person('Revoke for Real…');
    assert.equal(
      await showResult({ log }, passed, what, { repeatIsSafe: true, again: true, revokeForReal: true }),
      'revoke-for-real',
    );
    window.showInformationMessage = person(undefined);
    assert.equal(
      await showResult({ log }, passed, what, { repeatIsSafe: true, again: true, revokeForReal: true }),
      undefined,
    );
    assert.deepEqual(executed, []);
  });
});
