// The multi-step questions of the real flows, in the real extension host: each quick input the
// flow creates is recorded (its "step n of m" and whether it offers Back) and answered by a
// script, Back included. The extension and these tests share the host's `vscode` API object, so
// the flows' own createQuickPick and createInputBox calls are the ones recorded. The confirmation
// at the end is answered Escape: nothing is sent.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Commands } from '../../src/vscode/shared/ids';
import { makeCertificatePem, makeCsrPem } from '../fake-sectigo/csrs';
import { activateExtension, writeWorkspaceFile } from './extension-host';

interface Shown {
  title: string | undefined;
  step: number | undefined;
  totalSteps: number | undefined;
  back: boolean;
}

/** How a shown quick input is answered: the first item, a text, or the Back button. */
type Answer = 'first' | 'back' | { text: string };

type Window = { -readonly [K in keyof typeof vscode.window]: (typeof vscode.window)[K] };

/** Replaces the window's quick inputs and notifications while `body` runs; returns what was shown. */
async function recordSteps(answers: Answer[], body: () => Thenable<unknown>): Promise<Shown[]> {
  const window = vscode.window as Window;
  const saved = {
    createQuickPick: window.createQuickPick,
    createInputBox: window.createInputBox,
    showWarningMessage: window.showWarningMessage,
    showInformationMessage: window.showInformationMessage,
  };
  const shown: Shown[] = [];
  let unanswered = '';
  const fake = (kind: 'pick' | 'box'): unknown => {
    const accept = new vscode.EventEmitter<void>();
    const hide = new vscode.EventEmitter<void>();
    const button = new vscode.EventEmitter<vscode.QuickInputButton>();
    const change = new vscode.EventEmitter<string>();
    const input: Record<string, unknown> = {
      items: [],
      activeItems: [],
      selectedItems: [],
      buttons: [],
      value: '',
      onDidAccept: accept.event,
      onDidHide: hide.event,
      onDidTriggerButton: button.event,
      onDidChangeValue: change.event,
      onDidChangeSelection: new vscode.EventEmitter().event,
      onDidChangeActive: new vscode.EventEmitter().event,
      dispose: () => undefined,
      hide: () => hide.fire(),
      show: () => {
        shown.push({
          title: input.title as string | undefined,
          step: input.step as number | undefined,
          totalSteps: input.totalSteps as number | undefined,
          back: (input.buttons as vscode.QuickInputButton[]).includes(vscode.QuickInputButtons.Back),
        });
        const answer = answers.shift();
        setImmediate(() => {
          if (answer === undefined) {
            unanswered = `no answer for ${JSON.stringify(shown.at(-1))}`;
            hide.fire();
          } else if (answer === 'back') button.fire(vscode.QuickInputButtons.Back);
          else if (answer === 'first') {
            if (kind !== 'pick') unanswered = `a pick answer for the input box ${JSON.stringify(shown.at(-1))}`;
            input.selectedItems = [(input.items as unknown[])[0]];
            accept.fire();
          } else {
            input.value = answer.text;
            change.fire(answer.text);
            accept.fire();
          }
        });
      },
    };
    return input;
  };
  window.createQuickPick = (() => fake('pick')) as typeof window.createQuickPick;
  window.createInputBox = (() => fake('box')) as typeof window.createInputBox;
  // The account prompt and the confirmation: Escape.
  window.showWarningMessage = (async () => undefined) as typeof window.showWarningMessage;
  window.showInformationMessage = (async () => undefined) as typeof window.showInformationMessage;
  try {
    await body();
  } finally {
    Object.assign(window, saved);
  }
  assert.equal(unanswered, '');
  assert.deepEqual(answers, [], 'the flow stopped before every answer was used');
  return shown;
}

const position = (shown: Shown[]): string[] =>
  shown.map((input) => `${input.step ?? '-'}/${input.totalSteps ?? '-'}${input.back ? ' back' : ''}`);

describe('multi-step questions count their steps and go back', function () {
  before(async function () {
    await activateExtension();
  });

  it('revoke from a file of two certificates counts 1 to 3, and Back returns to the reason code', async function () {
    const uri = await writeWorkspaceFile(
      'steps-chain.crt',
      (await makeCertificatePem('01F00D')) + (await makeCertificatePem('02F00D')),
    );
    const shown = await recordSteps(['first', 'first', 'back', 'first', { text: 'extension test' }], () =>
      vscode.commands.executeCommand(Commands.revokeFromCertificate, uri),
    );
    assert.deepEqual(position(shown), ['1/3', '2/3 back', '3/3 back', '2/3 back', '3/3 back']);
  });

  it('revoke from the palette counts 1 to 4', async function () {
    const shown = await recordSteps(['first', { text: '1000001' }, 'first', { text: 'extension test' }], () =>
      vscode.commands.executeCommand(Commands.revokeSsl),
    );
    assert.deepEqual(position(shown), ['1/4', '2/4 back', '3/4 back', '4/4 back']);
  });

  it('replace with a file of two requests counts the choice of request as step 1 of 8', async function () {
    const uri = await writeWorkspaceFile(
      'steps-two.csr',
      [
        await makeCsrPem({ kind: 'ec', curve: 'P-256' }, 'one@example.com'),
        await makeCsrPem({ kind: 'ec', curve: 'P-256' }, 'two@example.com'),
      ].join('\n'),
    );
    const shown = await recordSteps(
      [
        'first',
        { text: '1234567' },
        'back',
        { text: '1234567' },
        'first',
        'first',
        { text: '' },
        { text: '' },
        { text: '' },
        'first',
      ],
      () => vscode.commands.executeCommand(Commands.replaceSmime, uri),
    );
    assert.deepEqual(position(shown), [
      '1/8',
      // The refusal check stands between the choice of request and the parameters: no Back across it.
      '2/8',
      '3/8 back',
      '2/8',
      '3/8 back',
      '4/8 back',
      '5/8 back',
      '6/8 back',
      '7/8 back',
      '8/8 back',
    ]);
  });
});
