// The sinks' adapter code in the real extension host (issue 29): what each sink hands to the
// VS Code API when it is given outside text. The window's raw calls are replaced while a test
// runs (the sinks look them up on vscode.window at each call), so what VS Code would have been
// given is read back here, from the same API object the extension uses.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { LINK_BREAK } from '../../src/core/message-text';
import { markup } from '../../src/core/markdown-text';
import { outside, words } from '../../src/core/outside-text';
import { codeLens, createStatusBarItem, setStatusBarItem, treeItem } from '../../src/vscode/shared/labels';
import { markdownString } from '../../src/vscode/shared/markdown-string';
import { showError, showInformation, showModal, withProgressNotification } from '../../src/vscode/shared/messages';
import { askOnce } from '../../src/vscode/shared/multi-step-input';
import { problemText, t } from '../../src/vscode/shared/text';
import { rememberSecret } from '../../src/vscode/shared/known-secrets';
import { problem } from '../../src/vscode/shared/problems';
import { secretForms } from '../secret-forms';

type Window = { -readonly [K in keyof typeof vscode.window]: (typeof vscode.window)[K] };

const FILE_NAME = '[Open the report](command:workbench.action.openSettingsJson).csr';
// VS Code's notification link grammar (linkedText.ts, 1.100), to show the sink's output has no match.
const VSCODE_LINK = /\[([^\]]+)\]\(((?:https?:\/\/|command:|file:)[^\)\s]+)(?: (["'])(.+?)(\3))?\)/i;

/** Replaces some of the window's functions while `body` runs. */
async function withWindow<T>(replaced: Partial<Window>, body: () => Promise<T>): Promise<T> {
  const window = vscode.window as Window;
  const saved = Object.fromEntries(Object.keys(replaced).map((key) => [key, window[key as keyof Window]]));
  Object.assign(window, replaced);
  try {
    return await body();
  } finally {
    Object.assign(window, saved);
  }
}

describe('the sinks hand VS Code only what is safe to show', function () {
  it('t() translates a literal template and keeps its holes for the sink', function () {
    const captured: string[] = [];
    return withWindow(
      {
        showInformationMessage: (async (message: string) => {
          captured.push(message);
          return undefined;
        }) as Window['showInformationMessage'],
      },
      async () => {
        await showInformation(t('Created {0} and the private key {1}.', outside(FILE_NAME), outside('a\nb.key')));
        assert.equal(captured.length, 1);
        const shown = captured[0] ?? '';
        assert.doesNotMatch(shown, VSCODE_LINK, shown);
        assert.equal(
          shown.split(LINK_BREAK).join(''),
          'Created [Open the report](command:workbench.action.openSettingsJson).csr and the private key a\\nb.key.',
        );
      },
    );
  });

  it('a notification returns the button chosen as the same Text, and a modal dialog gets its detail', async function () {
    const calls: unknown[][] = [];
    const showLog = t('Show Log');
    const copy = t('Copy New Order Number');
    await withWindow(
      {
        showWarningMessage: (async (...args: unknown[]) => {
          calls.push(args);
          return args[args.length - 1];
        }) as Window['showWarningMessage'],
      },
      async () => {
        const chosen = await showModal(
          'warning',
          words`Revoke ${outside(FILE_NAME)}?`,
          words`From: ${outside(FILE_NAME)}\nMode: test`,
          [copy, showLog],
        );
        assert.equal(chosen, showLog);
      },
    );
    const [message, options, ...labels] = calls[0] ?? [];
    assert.doesNotMatch(String(message), VSCODE_LINK);
    assert.equal((options as vscode.MessageOptions).modal, true);
    const detail = String((options as vscode.MessageOptions).detail);
    assert.doesNotMatch(detail, VSCODE_LINK);
    assert.equal(detail.split('\n').length, 2, 'the program’s line break stays');
    assert.deepEqual(labels, ['Copy New Order Number', 'Show Log']);
  });

  it('a progress notification’s title and messages pass the message sink', async function () {
    const seen: string[] = [];
    await withWindow(
      {
        withProgress: (async (
          options: vscode.ProgressOptions,
          task: (progress: vscode.Progress<{ message?: string }>, token: vscode.CancellationToken) => Thenable<unknown>,
        ) => {
          seen.push(options.title ?? '');
          return task(
            { report: ({ message }) => void seen.push(message ?? '') },
            new vscode.CancellationTokenSource().token,
          );
        }) as unknown as Window['withProgress'],
      },
      () =>
        Promise.resolve(
          withProgressNotification(words`Revoking ${outside(FILE_NAME)}`, true, async (progress) => {
            progress.report({ message: words`line 3: ${outside(FILE_NAME)}` });
          }),
        ),
    );
    assert.equal(seen.length, 2);
    for (const shown of seen) assert.doesNotMatch(shown, VSCODE_LINK, shown);
  });

  it('tree rows, CodeLens titles and the status bar show no icon, line break or link from outside', function () {
    const row = treeItem({
      label: words`${outside('$(alert) 1234\n5678')}`,
      description: words`replaced → ${outside('99$(zap)')}`,
      tooltip: words`${outside(FILE_NAME)}`,
    });
    // Tree rows draw plain text: the characters as they are, on one line.
    assert.equal(row.label, '$(alert) 1234\\n5678');
    assert.equal(row.description, 'replaced → 99$(zap)');
    assert.equal(row.tooltip, FILE_NAME);
    const markdownRow = treeItem({ label: words`x`, tooltip: markup`**State**: ${outside('alice@example.com')}` });
    assert.ok(markdownRow.tooltip instanceof vscode.MarkdownString);
    // CodeLens titles and the status bar draw icons: an outside "$(name)" is escaped, the program's is not.
    const lens = codeLens(new vscode.Range(0, 0, 0, 0), {
      title: words`$(warning) ${outside('$(zap) CN=x')}`,
      command: 'sectigo.inspectCsr',
    });
    assert.equal(lens.command?.title, '$(warning) \\$(zap) CN=x');
    const item = createStatusBarItem('sectigo.test', vscode.StatusBarAlignment.Right, 0);
    try {
      setStatusBarItem(item, {
        text: words`$(beaker) ${outside('$(key)login\r')} @ host`,
        tooltip: words`Login: ${outside('login\u202e')}`,
        accessibilityLabel: words`Sectigo login ${outside('login')}`,
      });
      assert.equal(item.text, '$(beaker) \\$(key)login\\r @ host');
      assert.equal(item.tooltip, 'Login: login\\u202e');
    } finally {
      item.dispose();
    }
  });

  it('Markdown is untrusted unless the caller names its commands, and holds no HTML', function () {
    const plain = markdownString(markup`Subject: ${outside('alice@example.com [x](command:y)')}`);
    assert.equal(plain.isTrusted, false);
    assert.equal(plain.supportHtml, false);
    assert.equal(plain.value, 'Subject: `alice@example.com [x](command:y)`');
    const hover = markdownString(markup`x`, ['sectigo.inspectCsr']);
    assert.deepEqual(hover.isTrusted, { enabledCommands: ['sectigo.inspectCsr'] });
  });

  it('quick-pick items, the title, the prompt and a validation message pass their sinks', async function () {
    const window = vscode.window as Window;
    let picked: Record<string, unknown> | undefined;
    const original = window.createQuickPick;
    window.createQuickPick = (() => {
      const accept = new vscode.EventEmitter<void>();
      const input: Record<string, unknown> = {
        items: [],
        activeItems: [],
        selectedItems: [],
        buttons: [],
        onDidAccept: accept.event,
        onDidHide: new vscode.EventEmitter<void>().event,
        onDidTriggerButton: new vscode.EventEmitter<vscode.QuickInputButton>().event,
        dispose: () => undefined,
        show: () => {
          picked = input;
          setImmediate(() => {
            input.selectedItems = [(input.items as unknown[])[0]];
            accept.fire();
          });
        },
      };
      return input;
    }) as unknown as Window['createQuickPick'];
    try {
      const value = await askOnce(words`Revoke ${outside('list\n.txt')}`, (ask) =>
        ask.pick({
          placeholder: words`${outside(FILE_NAME)}`,
          items: [
            {
              label: words`$(debug-continue) ${outside('$(zap) list.txt')}`,
              detail: words`${outside(FILE_NAME)}`,
              value: 7,
            },
          ],
        }),
      );
      assert.equal(value, 7);
    } finally {
      window.createQuickPick = original;
    }
    assert.ok(picked);
    assert.equal(picked.title, 'Revoke list\\n.txt');
    const [item] = picked.items as vscode.QuickPickItem[];
    assert.equal(item?.label, '$(debug-continue) \\$(zap) list.txt');
    assert.equal(item?.detail, FILE_NAME);
    // A validator's problem (core's words, which may quote the value) is outside text.
    assert.equal(problemText(undefined), undefined);
    assert.ok(problemText('bad [x](command:y)'));
  });
  it('every sink removes the passwords the extension knows (one registry), in the encodings a server echoes', async function () {
    const password = 'Registry-Pa55word!2026';
    rememberSecret(password);
    // What a server might echo: the password as itself, hex, base64 and percent-encoded.
    const echoes = [
      password,
      Buffer.from(password).toString('hex'),
      Buffer.from(password).toString('base64'),
      encodeURIComponent(password),
    ];
    const shown: string[] = [];
    await withWindow(
      {
        showErrorMessage: (async (message: string) => {
          shown.push(message);
          return undefined;
        }) as Window['showErrorMessage'],
      },
      async () => {
        for (const echo of echoes) {
          const said = outside(`Invalid value (${echo})`);
          await showError(words`Sectigo answered -16: ${said}`);
          const row = treeItem({ label: words`${said}`, description: words`${said}` });
          shown.push(String(row.label), String(row.description));
          shown.push(markdownString(markup`Sectigo said: ${said}`).value);
          shown.push(problem(new vscode.Range(0, 0, 0, 0), words`${said}`, vscode.DiagnosticSeverity.Error).message);
        }
      },
    );
    assert.equal(shown.length, echoes.length * 5);
    for (const text of shown) {
      assert.match(text, /\[redacted\]/, text);
      for (const form of secretForms(password)) assert.ok(!text.includes(form), `${form} in ${text}`);
    }
  });
});
