// The workbench as a person sees it: the packaged .vsix installed in code-server, the fake
// Sectigo server behind user settings, a sample workspace, and headless Chromium on the page.
// Helpers act through the UI only (keyboard, clicks, the quick input) and wait on DOM state.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { launchChromium } from '../../scripts/vscode/browser';
import {
  repoRoot,
  startCodeServer,
  type CodeServerOptions,
  type RunningCodeServer,
} from '../../scripts/vscode/code-server';
import { makeSampleWorkspace } from '../../scripts/vscode/sample-workspace';
import { packageExtension } from '../../scripts/package';
import { startFakeSectigo, type FakeSectigo, type FakeSectigoOptions } from '../fake-sectigo/server';

export const screenshotDir = join(repoRoot, 'test-results', 'ui');

/**
 * The README's screenshots are taken by named steps of the UI tests as `readme-NAME.png` in
 * screenshotDir; `npm run screenshots` runs those tests and copies them to media/screenshots/NAME.png.
 */
export const README_SHOT_PREFIX = 'readme-';

/** How long one UI state may take to appear; generous because two cores run everything. */
export const UI_TIMEOUT = Number(process.env.SECTIGO_UI_TIMEOUT_MS ?? 60_000);

export interface Workbench {
  readonly page: Page;
  readonly fake: FakeSectigo;
  readonly server: RunningCodeServer;
  readonly workspace: string;
  readonly url: string;
  /** Saves test-results/ui/NAME.png. */
  screenshot(name: string): Promise<string>;
  /** Saves test-results/ui/readme-NAME.png with no notification drawn and the pointer out of the way. */
  readmeScreenshot(name: string): Promise<string>;
  close(): Promise<void>;
}

export interface WorkbenchOptions {
  /**
   * Workspace trust on, and the startup prompt answered "No, I don't trust the authors", so the
   * window is in Restricted Mode as a user's would be after cloning a repository they do not know.
   */
  readonly restricted?: boolean;
  /** Extra files written into the sample workspace, by relative name. */
  readonly extraFiles?: Readonly<Record<string, string>>;
  /**
   * A workspace of these files only, by relative name, instead of the sample workspace (no request
   * in it, so nothing but these files can activate the extension). The first is waited for.
   */
  readonly onlyFiles?: Readonly<Record<string, string>>;
  /** Written to the user's keybindings.json. */
  readonly keybindings?: CodeServerOptions['userKeybindings'];
  /** How the fake Sectigo server answers (latency, call limits). */
  readonly fakeOptions?: FakeSectigoOptions;
  /**
   * Run the extension's `browser` entry in the browser's web worker extension host instead of its
   * `main` in Node: `remote.extensionKind` set to ["ui"] for it, in the User and the Machine tab.
   */
  readonly browserHost?: boolean;
  /** More .vsix files to install beside the extension (test extensions). */
  readonly extraExtensions?: readonly string[];
}

/** The extension's id, publisher.name, from package.json. */
export function extensionId(): string {
  const { publisher, name } = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
    publisher: string;
    name: string;
  };
  return `${publisher}.${name}`;
}

export async function openWorkbench(options: WorkbenchOptions = {}): Promise<Workbench> {
  mkdirSync(screenshotDir, { recursive: true });
  const scratch = mkdtempSync(join(tmpdir(), 'sectigo-ui-'));
  const vsix = packageExtension({ quiet: true, out: join(scratch, 'extension.vsix') });
  let fake: FakeSectigo | undefined;
  let server: RunningCodeServer | undefined;
  let browser: Browser | undefined;
  const close = async (): Promise<void> => {
    await browser?.close().catch(() => undefined);
    await server?.close();
    await fake?.close();
    rmSync(scratch, { recursive: true, force: true });
  };
  try {
    fake = await startFakeSectigo(options.fakeOptions);
    const workspace = join(scratch, 'workspace');
    if (options.onlyFiles === undefined) await makeSampleWorkspace(workspace);
    else mkdirSync(workspace, { recursive: true });
    for (const [name, text] of Object.entries({ ...options.extraFiles, ...options.onlyFiles }))
      writeFileSync(join(workspace, name), text);
    server = await startCodeServer({
      workspace,
      stateDir: join(scratch, 'code-server'),
      installExtensions: [vsix, ...(options.extraExtensions ?? [])],
      userSettings: { 'sectigo.baseUrl': fake.url, 'sectigo.caFile': fake.caFile },
      ...(options.browserHost === true
        ? { bothTabsSettings: { 'remote.extensionKind': { [extensionId()]: ['ui'] } } }
        : {}),
      ...(options.restricted === true ? { workspaceTrust: true } : {}),
      ...(options.keybindings !== undefined ? { userKeybindings: options.keybindings } : {}),
    });
    browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
    const url = `${server.url}/?folder=${encodeURIComponent(workspace)}`;
    await page.goto(url);
    if (options.restricted === true) {
      await dialogButton(page, "No, I don't trust the authors").click({ timeout: UI_TIMEOUT });
    }
    await explorerRow(page, Object.keys(options.onlyFiles ?? {})[0] ?? 'README.md').waitFor({ timeout: UI_TIMEOUT });
    const running = { page, fake, server, workspace, url };
    const screenshot = async (name: string): Promise<string> => {
      const path = join(screenshotDir, `${name}.png`);
      await page.screenshot({ path });
      return path;
    };
    return {
      ...running,
      screenshot,
      readmeScreenshot: async (name: string) => {
        await waitForNoNotifications(page);
        // Onto the empty middle of the title bar: no hover, no tooltip in the picture.
        await page.mouse.move(1000, 16);
        return screenshot(`${README_SHOT_PREFIX}${name}`);
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

export function explorerRow(page: Page, name: string): Locator {
  return page.locator('.explorer-folders-view .monaco-list-row').filter({ hasText: name }).first();
}

export function quickInput(page: Page): Locator {
  return page.locator('.quick-input-widget');
}

/** Opens the command palette showing the command `title`, and leaves it open. */
export async function showCommand(page: Page, title: string): Promise<void> {
  const widget = quickInput(page);
  const row = widget.locator('.monaco-list-row').filter({ hasText: title }).first();
  // Right after the window opens, the palette may still be filling in the extensions' commands:
  // close it and ask again until the command shows, within the usual limit.
  const deadline = Date.now() + UI_TIMEOUT;
  for (;;) {
    await page.keyboard.press('F1');
    const input = widget.locator('input.input');
    await input.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
    await input.fill(`>${title}`);
    try {
      await row.waitFor({ timeout: 5_000 });
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await page.keyboard.press('Escape');
    }
  }
}

/** Runs a command from the command palette by its title, as a person would. */
export async function runCommand(page: Page, title: string): Promise<void> {
  await showCommand(page, title);
  await page.keyboard.press('Enter');
}

/** Waits for the quick input to show text (a prompt, a placeholder or an item), then types an answer. */
export async function answerInput(page: Page, expected: string | RegExp, answer: string): Promise<void> {
  const widget = quickInput(page);
  await widget
    .filter({ hasText: expected })
    .or(widget.locator(`input[placeholder*="${String(expected).replace(/"/g, '')}"]`))
    .first()
    .waitFor({ state: 'visible', timeout: UI_TIMEOUT });
  const input = widget.locator('input.input');
  await input.fill(answer);
  await page.keyboard.press('Enter');
}

/** Waits for a quick pick whose placeholder or title says `expected`, then picks the row holding `label`. */
export async function pickItem(page: Page, expected: string, label: string): Promise<void> {
  const widget = quickInput(page);
  await widget
    .locator(`input[placeholder*="${expected.replace(/"/g, '')}"]`)
    .or(widget.filter({ hasText: expected }))
    .first()
    .waitFor({ state: 'visible', timeout: UI_TIMEOUT });
  await widget.locator('.monaco-list-row').filter({ hasText: label }).first().click();
}

/**
 * Answers the seven Replace S/MIME steps as a person keeping the defaults would: the order, no
 * signatureHash, languageName or template IDs, and whether to revoke the old certificate.
 */
export async function answerReplaceSteps(
  page: Page,
  orderNumber: string,
  oldCertificate: 'Keep the old certificate' | 'Revoke the old certificate',
): Promise<void> {
  await answerInput(page, 'order number', orderNumber);
  await pickItem(page, 'signatureHash', '(not sent)');
  await pickItem(page, 'languageName', '(not sent)');
  await answerInput(page, 'SMIMEVerificationTemplateID', '');
  await answerInput(page, 'SMIMERequestTemplateID', '');
  await answerInput(page, 'SMIMECollectionTemplateID', '');
  await pickItem(page, 'Revoke the certificate of order', oldCertificate);
}

/** Opens a workspace file through Quick Open. */
export async function openFile(page: Page, name: string): Promise<void> {
  await explorerRow(page, name).click();
  await page.locator('.tabs-container .tab').filter({ hasText: name }).first().waitFor({ timeout: UI_TIMEOUT });
}

/** A CodeLens entry; clickable ones are links, so this is what a click should target. */
export function codeLens(page: Page, text: string | RegExp): Locator {
  return page.locator('.codelens-decoration a').filter({ hasText: text }).first();
}

/** A whole CodeLens line, links or not (a refusal is plain text). */
export function codeLensLine(page: Page, text: string | RegExp): Locator {
  return page.locator('.codelens-decoration').filter({ hasText: text }).first();
}

/** Every CodeLens line's text in the visible editor. */
export async function codeLensTexts(page: Page): Promise<string[]> {
  return page.locator('.codelens-decoration').allInnerTexts();
}

/**
 * Clears every notification and waits until no toast is drawn. A screenshot taken while toasts
 * fade out shows them half-transparent over each other (issue 13), so README shots start here.
 */
export async function clearNotifications(page: Page): Promise<void> {
  await runCommand(page, 'Notifications: Clear All Notifications');
  await waitForNoNotifications(page);
}

async function waitForNoNotifications(page: Page): Promise<void> {
  await page
    .locator('.notifications-toasts .notification-toast')
    .first()
    .waitFor({ state: 'detached', timeout: UI_TIMEOUT });
  await page.locator('.notifications-center.visible').first().waitFor({ state: 'detached', timeout: UI_TIMEOUT });
}

export function notification(page: Page, text: string | RegExp): Locator {
  return page
    .locator('.notifications-toasts .notification-toast, .notifications-center .notification-list-item')
    .filter({ hasText: text })
    .first();
}

/** A modal dialog's button (VS Code's own dialogs in the web workbench). */
export function dialogButton(page: Page, label: string): Locator {
  return page
    .locator('.monaco-dialog-box .dialog-buttons a, .monaco-dialog-box .dialog-buttons .monaco-button')
    .filter({ hasText: label })
    .first();
}

/**
 * Shows the Sectigo Orders view in the side bar. It goes through the view's "Focus on … View"
 * command, which only ever opens: clicking the activity bar icon toggles, and right after a
 * reload the side bar may not be drawn yet when we look, so a click could hide it instead.
 */
export async function showOrdersView(page: Page): Promise<Locator> {
  const sidebar = page.locator('.part.sidebar');
  const title = sidebar.locator('.composite.title').filter({ hasText: /Sectigo/i });
  if (!(await title.isVisible().catch(() => false))) {
    await runCommand(page, 'Focus on Sectigo Orders View');
    await title.waitFor({ timeout: UI_TIMEOUT });
  }
  return sidebar;
}

/** A row of the Sectigo Orders tree. */
export function orderRow(page: Page, text: string): Locator {
  return page.locator('.part.sidebar .monaco-list-row').filter({ hasText: text }).first();
}

export function statusBarItem(page: Page, text: string | RegExp): Locator {
  return page.locator('.statusbar-item').filter({ hasText: text }).first();
}

/** A row of the Problems view. */
export function problemRow(page: Page, text: string | RegExp): Locator {
  return page.locator('.markers-panel .monaco-list-row').filter({ hasText: text }).first();
}

/**
 * Chooses a workspace file in the open dialog of a remote window (VS Code's simple file dialog, a
 * quick input titled `title`): once it has filled in the folder it starts from, the path is typed whole.
 */
export async function chooseFile(page: Page, workspace: string, title: string, name: string): Promise<void> {
  const widget = quickInput(page).filter({ hasText: title });
  await widget.waitFor({ timeout: UI_TIMEOUT });
  const input = widget.locator('input.input');
  const deadline = Date.now() + UI_TIMEOUT;
  while (!(await input.inputValue()).startsWith(workspace)) {
    if (Date.now() > deadline) throw new Error('the open dialog never showed its folder');
    await page.waitForTimeout(100);
  }
  const path = join(workspace, name);
  await input.fill(path);
  await page.keyboard.press('Enter');
}

/** The text of the modal dialog on screen, once there is one. */
export async function dialogText(page: Page): Promise<string> {
  const box = page.locator('.monaco-dialog-box').first();
  await box.waitFor({ timeout: UI_TIMEOUT });
  return box.innerText();
}

/**
 * Each row of the Sectigo Orders view as drawn: its text, what a screen reader says, whether its
 * text is cut (an ellipsis drawn), and whether its label and the first part of its description
 * (up to the first " · ") fit: measured with the description's own font.
 */
export async function orderRows(page: Page): Promise<
  Array<{
    text: string;
    ariaLabel: string;
    cut: boolean;
    firstPartFits: boolean;
    width: string;
    level: number;
    expanded: string | null;
  }>
> {
  return page.locator('.part.sidebar .monaco-list-row').evaluateAll((rows) => {
    const context = document.createElement('canvas').getContext('2d');
    return rows.map((row) => {
      const container = row.querySelector('.monaco-icon-label-container') as HTMLElement | null;
      const description = row.querySelector('.label-description') as HTMLElement | null;
      let firstPartFits = true;
      if (container !== null && description !== null && context !== null) {
        context.font = getComputedStyle(description).font;
        const first = (description.textContent ?? '').split(' · ')[0] ?? '';
        const start = description.getBoundingClientRect().left - container.getBoundingClientRect().left;
        firstPartFits = start + context.measureText(first).width <= container.clientWidth;
      }
      return {
        // The label, and its description after a space (as a reader takes them: two pieces of text).
        text: [
          row.querySelector('.label-name')?.textContent ?? (row as HTMLElement).innerText,
          description?.textContent,
        ]
          .filter((part) => part !== undefined && part !== null && part !== '')
          .join(' ')
          .replace(/\s+/g, ' ')
          .trim(),
        ariaLabel: row.getAttribute('aria-label') ?? '',
        // An ellipsis is drawn where the text needs more room than the row gives it.
        cut: container !== null && container.scrollWidth > container.clientWidth + 1,
        firstPartFits,
        width: container === null ? '' : `${container.scrollWidth} of ${container.clientWidth} px`,
        level: Number(row.getAttribute('aria-level') ?? 0),
        expanded: row.getAttribute('aria-expanded'),
      };
    });
  });
}
