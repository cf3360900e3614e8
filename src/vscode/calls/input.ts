// Multi-step input: an InputBox or QuickPick with "step n of m" in its title, validation as
// the user types (the client's own validators), and Escape meaning "stop" (undefined).
import * as vscode from 'vscode';

export interface StepPosition {
  title: string;
  step: number;
  totalSteps: number;
}

export interface TextStep extends StepPosition {
  prompt: string;
  value?: string;
  placeholder?: string;
  password?: boolean;
  /** A message when the value cannot be used; runs on every keystroke. */
  validate?: (value: string) => string | undefined;
}

export function askText(options: TextStep): Promise<string | undefined> {
  return new Promise((resolve) => {
    const box = vscode.window.createInputBox();
    box.title = options.title;
    box.step = options.step;
    box.totalSteps = options.totalSteps;
    box.prompt = options.prompt;
    box.value = options.value ?? '';
    box.placeholder = options.placeholder;
    box.password = options.password ?? false;
    box.ignoreFocusOut = true;
    const check = (value: string): string | undefined => options.validate?.(value);
    box.validationMessage = box.value === '' ? undefined : check(box.value);
    let settled = false;
    const finish = (value: string | undefined): void => {
      if (settled) return;
      settled = true;
      resolve(value);
      box.dispose();
    };
    box.onDidChangeValue((value) => {
      box.validationMessage = check(value);
    });
    box.onDidAccept(() => {
      const problem = check(box.value);
      if (problem) {
        box.validationMessage = problem;
        return;
      }
      finish(box.value);
    });
    box.onDidHide(() => finish(undefined));
    box.show();
  });
}

export interface PickItem<T> extends vscode.QuickPickItem {
  value: T;
}

export interface PickStep<T> extends StepPosition {
  placeholder: string;
  items: PickItem<T>[];
  /** The item selected first (the default from settings). */
  active?: T;
}

export function askPick<T>(options: PickStep<T>): Promise<T | undefined> {
  return new Promise((resolve) => {
    const pick = vscode.window.createQuickPick<PickItem<T>>();
    pick.title = options.title;
    pick.step = options.step;
    pick.totalSteps = options.totalSteps;
    pick.placeholder = options.placeholder;
    pick.items = options.items;
    pick.ignoreFocusOut = true;
    const active = options.items.find((item) => item.value === options.active);
    if (active) pick.activeItems = [active];
    let settled = false;
    const finish = (value: T | undefined): void => {
      if (settled) return;
      settled = true;
      resolve(value);
      pick.dispose();
    };
    pick.onDidAccept(() => finish(pick.selectedItems[0]?.value));
    pick.onDidHide(() => finish(undefined));
    pick.show();
  });
}
