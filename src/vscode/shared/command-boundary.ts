// What every command of both wings shares: the one error boundary (guarded), the workspace-trust
// gate, and the one reader of command arguments (a file URI, a block index, the automation
// object last). Anything that arrives through executeCommand is untrusted input (another
// extension can call any command): its shape is checked here.
import * as vscode from 'vscode';
import { outsideError, plainText, words, type Text } from '../../core/outside-text';
import type { SectigoLog } from './log';
import { showError, showWarning } from './messages';
import { t } from './text';

let automationAllowed = false;

/**
 * Argument objects that skip the prompts are honoured only when the extension runs under
 * test or development: in an installed extension another extension must not be able to
 * revoke a certificate without the user seeing the confirmation.
 */
export function allowAutomation(mode: vscode.ExtensionMode): void {
  automationAllowed = mode !== vscode.ExtensionMode.Production;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof vscode.Uri);
}

/** A programmatic caller's `{ confirm: true, … }` (tests and development only). */
export function isAutomation(value: unknown): value is { confirm: true } & Record<string, unknown> {
  return automationAllowed && isPlainObject(value) && value.confirm === true;
}

export type FieldType = 'string' | 'number' | 'boolean';
export type Shape = Record<string, FieldType | `${FieldType}?`>;

/** The shape of a value for a log line, without its content: `{entry: {id: string}}`, `number`. */
export function describeShape(value: unknown, depth = 0): string {
  if (value === null) return 'null';
  if (Array.isArray(value))
    return depth > 1
      ? 'array'
      : `[${value
          .slice(0, 4)
          .map((item) => describeShape(item, depth + 1))
          .join(', ')}${value.length > 4 ? ', …' : ''}]`;
  if (value instanceof vscode.Uri) return 'Uri';
  if (typeof value !== 'object') return typeof value;
  if (depth > 1) return 'object';
  const keys = Object.keys(value).slice(0, 8);
  return `{${keys.map((key) => `${key}: ${describeShape((value as Record<string, unknown>)[key], depth + 1)}`).join(', ')}}`;
}

/**
 * The automation argument checked against a shape: undefined when the value is not an automation
 * object, otherwise the checked fields only (unknown fields dropped). A wrong type throws, naming it.
 */
export function automationArgs<T>(value: unknown, shape: Shape): (T & { confirm: true }) | undefined {
  if (!isAutomation(value)) return undefined;
  const checked: Record<string, unknown> = { confirm: true };
  for (const [name, type] of Object.entries(shape)) {
    const optional = type.endsWith('?');
    const expected = type.replace('?', '');
    const field = value[name];
    if (field === undefined) {
      if (optional) continue;
      throw new Error(`The automation argument needs ${name} (${expected}).`);
    }
    if (typeof field !== expected || (expected === 'number' && !Number.isFinite(field))) {
      throw new Error(`The automation argument's ${name} must be a ${expected}, not ${describeShape(field)}.`);
    }
    checked[name] = field;
  }
  return checked as T & { confirm: true };
}

const TRUST_MESSAGE = (): Text =>
  t(
    'Calls to Sectigo are turned off in an untrusted workspace, so that a cloned repository cannot make them on your behalf. The CSR analysis keeps working. Trust this workspace to replace or revoke certificates.',
  );

/** In an untrusted workspace calls are off: a cloned repository must not drive them. Menus and lenses hide them too (package.json). */
export function ensureTrusted(automation: boolean): boolean {
  if (vscode.workspace.isTrusted) return true;
  const message = TRUST_MESSAGE();
  if (automation) throw new Error(plainText(message));
  void showWarning(message, t('Manage Workspace Trust')).then((choice) => {
    if (choice) void vscode.commands.executeCommand('workbench.trust.manage');
  });
  return false;
}

/** The arguments a command was given, each read for its shape; nothing else of them is used. */
export interface CommandArguments {
  /** The first argument when it is a URI (the explorer, an editor menu, a CodeLens). */
  uri: vscode.Uri | undefined;
  /** The second argument when it is a block index (a CodeLens names the block of a file). */
  blockIndex: number | undefined;
  /** The last argument, where a test or script puts its automation object. */
  last: unknown;
  /** Whether the last argument is an automation object (honoured outside a production install only). */
  automated: boolean;
}

function commandArguments(args: readonly unknown[]): CommandArguments {
  const last = args[args.length - 1];
  const index = args[1];
  return {
    uri: args[0] instanceof vscode.Uri ? args[0] : undefined,
    blockIndex: typeof index === 'number' && Number.isSafeInteger(index) && index >= 0 ? index : undefined,
    last,
    automated: isAutomation(last),
  };
}

/** Registers `id` behind the one boundary; the body gets the arguments read for their shape and the raw ones. */
export function registerGuarded<T>(
  log: SectigoLog,
  id: string,
  what: Text,
  body: (args: CommandArguments, raw: readonly unknown[]) => Promise<T>,
): vscode.Disposable {
  return vscode.commands.registerCommand(id, (...raw: unknown[]) => {
    const args = commandArguments(raw);
    return guarded({ log }, what, args.automated, () => body(args, raw));
  });
}

/** The one command boundary: an unexpected error is logged with its causes and shown with a next step; automation gets it thrown. */
export async function guarded<T>(
  deps: { log: SectigoLog },
  what: Text,
  automation: boolean,
  body: () => Promise<T>,
): Promise<T | undefined> {
  try {
    return await body();
  } catch (error) {
    deps.log.error(words`${what} failed.`, error);
    if (automation) throw error;
    const showLog = t('Show Log');
    // The error's message may quote anything (a file name, a server's words): outside text.
    const choice = await showError(words`${what}: ${outsideError(error)}`, showLog);
    if (choice === showLog) deps.log.show();
    return undefined;
  }
}
