// What every command of both wings shares: the one error boundary (guarded), the workspace-trust
// gate, and the one reader of command arguments (a file URI and a block index, a tree node by its
// id and the tree's selection, an extra argument, the automation object last). Anything that
// arrives through executeCommand is untrusted input (another extension can call any command): its
// shape is checked here, and no command reads its raw arguments.
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

/** A field's type: `string|null` for a field where null means "none" (New CSR's passphrase). */
export type FieldType = 'string' | 'number' | 'boolean' | 'string|null';
export type Shape = Record<string, FieldType | `${FieldType}?`>;

type FieldValue<F> = F extends `string|null${string}`
  ? string | null
  : F extends `string${string}`
    ? string
    : F extends `number${string}`
      ? number
      : boolean;
/** The automation object a shape describes: its required fields, its optional ones, and `confirm`. */
export type Automation<S extends Shape> = { confirm: true } & {
  -readonly [K in keyof S as S[K] extends `${string}?` ? never : K]: FieldValue<S[K]>;
} & { -readonly [K in keyof S as S[K] extends `${string}?` ? K : never]?: FieldValue<S[K]> };

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
  const entries = Object.entries(value).slice(0, 8);
  return `{${entries.map(([key, field]) => `${key}: ${describeShape(field, depth + 1)}`).join(', ')}}`;
}

/** Whether `value` has every field of `shape` with its type (optional ones may be absent). A wrong type throws, naming it. */
function matchesShape<S extends Shape>(value: Record<string, unknown>, shape: S): value is Automation<S> {
  for (const [name, type] of Object.entries(shape)) {
    const optional = type.endsWith('?');
    const expected = type.replace('?', '');
    const field = value[name];
    if (field === undefined) {
      if (optional) continue;
      throw new Error(`The automation argument needs ${name} (${expected}).`);
    }
    if (expected === 'string|null' && (field === null || typeof field === 'string')) continue;
    if (typeof field !== expected || (expected === 'number' && !Number.isFinite(field))) {
      throw new Error(`The automation argument's ${name} must be a ${expected}, not ${describeShape(field)}.`);
    }
  }
  return true;
}

/**
 * The automation argument checked against a shape: undefined when the value is not an automation
 * object, otherwise the checked fields only (unknown fields dropped), typed by the shape. A wrong
 * type throws, naming it.
 */
export function automationArgs<S extends Shape>(value: unknown, shape: S): Automation<S> | undefined {
  if (!isAutomation(value)) return undefined;
  const checked: Record<string, unknown> = { confirm: true };
  for (const name of Object.keys(shape)) if (value[name] !== undefined) checked[name] = value[name];
  return matchesShape(checked, shape) ? checked : undefined;
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

/** Longest node id read from an argument: the tree's ids are far shorter. */
const MAX_NODE_ID = 1000;

/** A tree node (of the Orders view) or `{ id }` as an argument: what it names, by id. */
export interface NodeArgument {
  /** The node's id; undefined when the argument has none (then it names nothing). */
  readonly id: string | undefined;
  /** Its shape for a log line, without its content. */
  readonly shape: string;
}

function nodeArgument(value: unknown): NodeArgument {
  return { id: idOf(value), shape: describeShape(value) };
}

function idOf(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || !('id' in value)) return undefined;
  const id = value.id;
  return typeof id === 'string' && id.length > 0 && id.length <= MAX_NODE_ID ? id : undefined;
}

/** The arguments a command was given, each read for its shape; nothing else of them is used. */
export interface CommandArguments {
  /** The first argument when it is a URI (the explorer, an editor menu, a CodeLens). */
  readonly uri: vscode.Uri | undefined;
  /** The first argument when it is a URI string: a Markdown command link carries its arguments as JSON. */
  readonly linkedUri: vscode.Uri | undefined;
  /** The second argument when it is a block index (a CodeLens names the block of a file). */
  readonly blockIndex: number | undefined;
  /** The first argument as a tree node (the row a tree command was run on); undefined when none came. */
  readonly node: NodeArgument | undefined;
  /** The second argument as the tree's selection (VS Code passes it beside the clicked row); empty when none. */
  readonly selection: readonly NodeArgument[];
  /** Whether the last argument is an automation object (honoured outside a production install only). */
  readonly automated: boolean;
  /** The automation object checked against `shape`; undefined when none came. A wrong field type throws. */
  automation<S extends Shape>(shape: S): Automation<S> | undefined;
  /** The argument at `position` when it is a string of at most `maxLength` characters (an extra argument). */
  textAt(position: number, maxLength: number): string | undefined;
}

/** Longest URI string read from a command link. */
const MAX_LINKED_URI = 8192;

/** More selected rows than this are not read (the tree shows fewer). */
const MAX_SELECTION = 10_000;

export function commandArguments(args: readonly unknown[]): CommandArguments {
  const [first, second] = args;
  // The automation object comes last, after the row of a tree command: a lone node is never one.
  const last = args.length > 1 || idOf(first) === undefined ? args.at(-1) : undefined;
  const automated = isAutomation(last);
  return {
    uri: first instanceof vscode.Uri ? first : undefined,
    linkedUri:
      typeof first === 'string' && first !== '' && first.length <= MAX_LINKED_URI ? vscode.Uri.parse(first) : undefined,
    blockIndex: typeof second === 'number' && Number.isSafeInteger(second) && second >= 0 ? second : undefined,
    node: first === undefined || first === null ? undefined : nodeArgument(first),
    selection: Array.isArray(second) ? second.slice(0, MAX_SELECTION + 1).map(nodeArgument) : [],
    automated,
    automation: (shape) => (automated ? automationArgs(last, shape) : undefined),
    textAt: (position, maxLength) => {
      const value = args[position];
      return typeof value === 'string' && value.length <= maxLength ? value : undefined;
    },
  };
}

/** Registers `id` behind the one boundary; the body gets the arguments read for their shape. */
export function registerGuarded<T>(
  log: SectigoLog,
  id: string,
  what: Text,
  body: (args: CommandArguments) => Promise<T>,
): vscode.Disposable {
  return vscode.commands.registerCommand(id, (...raw: unknown[]) => {
    const args = commandArguments(raw);
    return guarded({ log }, what, args.automated, () => body(args));
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
