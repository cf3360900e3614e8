// Multi-step input, shaped like VS Code's quick-input sample (multiStepInput.ts): a flow lists
// its steps, and the one runner shows them as a QuickPick or an InputBox with "step n of m" in
// the title, a Back button from the second step on, validation as the user types (the client's
// own validators) and Escape meaning "stop". The count is computed from the steps that apply;
// steps of another run before or after these come from the caller (`around`), which may type
// its count by hand (the replace flow's PARAMETER_STEPS does). Between two steps the answered
// input stays on screen, disabled and busy, until the next one is shown: keys typed ahead
// meanwhile are dropped by it, never delivered to the editor or to whatever had the focus before
// (a password typed ahead must land in its password box or nowhere).
//
// It is also the sink of quick picks and input boxes: the only module that calls
// vscode.window.createQuickPick, createInputBox or showQuickPick. Every shown string is a Text:
// an item's label, description and detail (which VS Code draws with "$(name)" icons) and the
// title and placeholder go through the label sink's rendering (core/label-text.ts), the prompt
// and a validation message (which VS Code also parses for [label](command:…) links) through the
// message rendering (core/message-text.ts). The value typed is the person's own, never rendered.
import * as vscode from 'vscode';
import { renderLabel } from '../../core/label-text';
import { renderMessage } from '../../core/message-text';
import { knownSecrets } from './known-secrets';
import type { Text } from '../../core/outside-text';

export interface PickItem<T> {
  label: Text;
  description?: Text;
  detail?: Text;
  /** An icon as an icon, never `$(name)` in a label, which a screen reader reads out as a word. */
  iconPath?: vscode.ThemeIcon;
  value: T;
}

export interface PickOptions<T> {
  placeholder: Text;
  items: PickItem<T>[];
  /** The item selected first (the default from settings, or the answer given before Back). */
  active?: T;
}

export interface TextOptions {
  prompt: Text;
  value?: string;
  placeholder?: Text;
  password?: boolean;
  /** A message when the value cannot be used; runs on every keystroke. */
  validate?: (value: string) => Text | undefined;
}

/** A pick item as VS Code is given it, with its place in the list. */
interface ShownItem extends vscode.QuickPickItem {
  index: number;
}

function shownItems<T>(items: readonly PickItem<T>[]): ShownItem[] {
  return items.map((item, index) => ({
    label: renderLabel(item.label, true, knownSecrets()),
    ...(item.description !== undefined && { description: renderLabel(item.description, true, knownSecrets()) }),
    ...(item.detail !== undefined && { detail: renderLabel(item.detail, true, knownSecrets()) }),
    ...(item.iconPath !== undefined && { iconPath: item.iconPath }),
    index,
  }));
}

/** One choice from a list, outside a flow of steps (VS Code's showQuickPick); undefined when dismissed. */
export async function pickOne<T>(title: Text, items: readonly PickItem<T>[]): Promise<T | undefined> {
  const picked = await vscode.window.showQuickPick(shownItems(items), {
    title: renderLabel(title, false, knownSecrets()),
  });
  return picked === undefined ? undefined : items[picked.index]?.value;
}

/** What a step asks with; the answer, or a Back or a stop that the runner handles. */
export interface StepInput {
  pick<T>(options: PickOptions<T>): Promise<T>;
  text(options: TextOptions): Promise<string>;
  /** Ends the flow here, as Escape does (an answer that means "stop", a dialog the user closed). */
  stop(): never;
}

export interface Step<S> {
  /** Whether the step applies to this state; a step that does not is neither shown nor counted. */
  when?(state: S): boolean;
  /** The step's own title, when it says more than the flow's. */
  title?: Text;
  /** False for a step that shows no quick input (a save dialog): it keeps its place for Back but takes no number. */
  counted?: boolean;
  /** Asks, and writes the answer into `state`. */
  ask(input: StepInput, state: S): Promise<void>;
}

/** Thrown out of a step's question by the Back button and by Escape; caught by the runner. */
class StepAction {
  constructor(readonly action: 'back' | 'stop') {}
}

/**
 * Runs the steps in order with Back (to the steps of this run); the state when the last step
 * is answered, or undefined when the user stopped. `state` is filled in place; a step shown again after Back finds its
 * earlier answer there, to offer it as the default.
 */
export async function runSteps<S>(
  title: Text,
  steps: readonly Step<S>[],
  state: S,
  /** Steps of the same flow shown before and after these (a flow that stops between its steps for a dialog). */
  around: { before: number; after: number } = { before: 0, after: 0 },
): Promise<S | undefined> {
  const held = new HeldInput();
  try {
    return await stepThrough(title, steps, state, around, held);
  } finally {
    held.release();
  }
}

/** The input answered last, kept on screen (disabled, busy) until the next one shows or the flow ends. */
class HeldInput {
  private input: vscode.QuickInput | undefined;
  hold(input: vscode.QuickInput): void {
    this.release();
    input.enabled = false;
    input.busy = true;
    this.input = input;
  }
  release(): void {
    this.input?.dispose();
    this.input = undefined;
  }
}

async function stepThrough<S>(
  title: Text,
  steps: readonly Step<S>[],
  state: S,
  around: { before: number; after: number },
  held: HeldInput,
): Promise<S | undefined> {
  const shown: number[] = [];
  let index = 0;
  while (index < steps.length) {
    const step = steps[index] as Step<S>;
    if (step.when && !step.when(state)) {
      index++;
      continue;
    }
    const applying = steps.filter(
      (candidate) => candidate.counted !== false && (!candidate.when || candidate.when(state)),
    );
    const position = {
      title: step.title ?? title,
      step: applying.includes(step) ? around.before + applying.indexOf(step) + 1 : undefined,
      totalSteps: applying.includes(step) ? around.before + applying.length + around.after : undefined,
    };
    try {
      // A step without a quick input (a save dialog) shows its own window: the held input goes first.
      if (step.counted === false) held.release();
      await step.ask(inputAt(position, shown.length > 0, held), state);
      shown.push(index);
      index++;
    } catch (error) {
      if (!(error instanceof StepAction)) throw error;
      if (error.action === 'stop') return undefined;
      const previous = shown.pop();
      if (previous === undefined) return undefined;
      index = previous;
    }
  }
  return state;
}

/** One question outside a flow of steps (step 1 of 1, no Back); undefined when the user stopped. */
export async function askOnce<T>(title: Text, ask: (input: StepInput) => Promise<T>): Promise<T | undefined> {
  let answer: T | undefined;
  const done = await runSteps(title, [{ ask: async (input) => void (answer = await ask(input)) }], {});
  return done === undefined ? undefined : answer;
}

interface Position {
  title: Text;
  /** Undefined for a step that takes no number. */
  step: number | undefined;
  totalSteps: number | undefined;
}

function inputAt(position: Position, canGoBack: boolean, held: HeldInput): StepInput {
  const place = (input: vscode.QuickInput & { buttons: readonly vscode.QuickInputButton[] }): void => {
    input.title = renderLabel(position.title, false, knownSecrets());
    input.step = position.step;
    input.totalSteps = position.totalSteps;
    input.ignoreFocusOut = true;
    input.buttons = canGoBack ? [vscode.QuickInputButtons.Back] : [];
  };
  return {
    stop: () => {
      throw new StepAction('stop');
    },
    pick: <T>(options: PickOptions<T>) =>
      new Promise<T>((resolve, reject) => {
        const pick = vscode.window.createQuickPick<ShownItem>();
        place(pick);
        pick.placeholder = renderLabel(options.placeholder, false, knownSecrets());
        const shown = shownItems(options.items);
        pick.items = shown;
        const active = shown[options.items.findIndex((item) => item.value === options.active)];
        if (active) pick.activeItems = [active];
        settle(pick, held, resolve, reject, () => {
          const chosen = pick.selectedItems[0];
          const item = chosen === undefined ? undefined : options.items[chosen.index];
          return item === undefined ? { ok: false } : { ok: true, value: item.value };
        });
      }),
    text: (options: TextOptions) =>
      new Promise<string>((resolve, reject) => {
        const box = vscode.window.createInputBox();
        place(box);
        box.prompt = renderMessage(options.prompt, { icons: true, secrets: knownSecrets() });
        box.value = options.value ?? '';
        if (options.placeholder !== undefined)
          box.placeholder = renderLabel(options.placeholder, false, knownSecrets());
        box.password = options.password ?? false;
        const check = (value: string): string | undefined => {
          const problem = options.validate?.(value);
          return problem === undefined ? undefined : renderMessage(problem, { icons: true, secrets: knownSecrets() });
        };
        box.validationMessage = box.value === '' ? undefined : check(box.value);
        box.onDidChangeValue((value) => {
          box.validationMessage = check(value);
        });
        settle(box, held, resolve, reject, () => {
          const problem = check(box.value);
          if (problem) {
            box.validationMessage = problem;
            return { ok: false };
          }
          return { ok: true, value: box.value };
        });
      }),
  };
}

/**
 * Wires accept, Back and hide of one quick input to the promise of its answer. Once shown it takes
 * the place of the input held from the step before; once answered it is held itself (disabled,
 * busy) until the next input shows, and disposed on Back or a stop.
 */
function settle<T>(
  input: vscode.QuickPick<ShownItem> | vscode.InputBox,
  held: HeldInput,
  resolve: (value: T) => void,
  reject: (action: StepAction) => void,
  accepted: () => { ok: true; value: T } | { ok: false },
): void {
  let settled = false;
  const finish = (body: () => void, keep: boolean): void => {
    if (settled) return;
    settled = true;
    body();
    if (keep) held.hold(input);
    else input.dispose();
  };
  input.onDidAccept(() => {
    const answer = accepted();
    if (answer.ok) finish(() => resolve(answer.value), true);
  });
  input.onDidTriggerButton((button) => {
    if (button === vscode.QuickInputButtons.Back) finish(() => reject(new StepAction('back')), false);
  });
  input.onDidHide(() => finish(() => reject(new StepAction('stop')), false));
  input.show();
  held.release();
}
