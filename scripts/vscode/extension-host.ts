// Runs a tests file inside code-server's Node extension host. The web workbench takes a
// `payload` query parameter; with extensionDevelopmentPath and extensionTestsPath given as
// vscode-remote:// URIs (plain paths would be taken as browser-local and fail with "No extension
// host found that can launch the test runner") it loads the extension from source and calls the
// tests file's run(). That code cannot print to us, so it writes a JSON report that we poll.
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, ConsoleMessage, Page } from 'playwright-core';
import { launchChromium } from './browser';
import type { RunningCodeServer } from './code-server';

export interface HostReport {
  readonly state: 'started' | 'done';
  readonly passed: number;
  readonly failed: number;
  readonly pending: number;
}

export interface ExtensionHostRun<Report extends HostReport> {
  readonly report: Report;
  /** The browser console, for diagnosing a run that went wrong. */
  readonly browserConsole: readonly string[];
}

export interface ExtensionHostRunOptions {
  readonly server: RunningCodeServer;
  /** Absolute folder(s) holding the extension(s) under development (their package.json). */
  readonly extensionDevelopmentPaths: readonly string[];
  /** Absolute path of the compiled tests file exporting run(). */
  readonly extensionTestsPath: string;
  /** Absolute folder the window opens. */
  readonly workspace: string;
  /** The file the tests file writes its report to (it learns the name from its own config). */
  readonly reportFile: string;
  /** How long the tests file may take to say it started (the extension host boots first). */
  readonly startTimeoutMs?: number;
  /** How long the whole run may take. */
  readonly timeoutMs?: number;
  /**
   * How long the report may stay unchanged once the tests started before the run is declared
   * dead (the extension host crashed or hangs). Only for tests files that report progress.
   */
  readonly stallTimeoutMs?: number;
  /** A screenshot of the workbench is saved here when the run fails or times out. */
  readonly failureScreenshot?: string;
  /** Called with every console line of the workbench page. */
  readonly onConsole?: (line: string) => void;
  /** Called with the page before the workbench loads (a benchmark adds its init script here). */
  readonly preparePage?: (page: Page) => Promise<void>;
  /** Called with the page and the final report, before the browser closes (a benchmark reads the page here). */
  readonly beforeClose?: (page: Page, report: HostReport) => Promise<void>;
}

export function payloadUrl(
  server: RunningCodeServer,
  options: Pick<ExtensionHostRunOptions, 'extensionDevelopmentPaths' | 'extensionTestsPath' | 'workspace'>,
): string {
  const remote = (path: string): string => `vscode-remote://127.0.0.1:${server.port}${path}`;
  const payload: [string, string][] = [
    ...options.extensionDevelopmentPaths.map((path): [string, string] => ['extensionDevelopmentPath', remote(path)]),
    ['extensionTestsPath', remote(options.extensionTestsPath)],
  ];
  return `${server.url}/?folder=${encodeURIComponent(options.workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

function readReport<Report extends HostReport>(file: string): Report | undefined {
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Report;
  } catch {
    return undefined; // Being written right now; read again on the next poll.
  }
}

/** Opens the payload URL in headless Chromium and waits for the tests file's final report. */
export async function runInExtensionHost<Report extends HostReport>(
  options: ExtensionHostRunOptions,
): Promise<ExtensionHostRun<Report>> {
  const startTimeoutMs = options.startTimeoutMs ?? 120_000;
  const timeoutMs = options.timeoutMs ?? 15 * 60_000;
  rmSync(options.reportFile, { force: true });
  const browserConsole: string[] = [];
  let browser: Browser | undefined;
  try {
    browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.on('console', (message: ConsoleMessage) => {
      const line = `[${message.type()}] ${message.text()}`;
      browserConsole.push(line);
      options.onConsole?.(line);
    });
    page.on('pageerror', (error) => browserConsole.push(`[pageerror] ${error.message}`));
    await options.preparePage?.(page);
    await page.goto(payloadUrl(options.server, options), { waitUntil: 'domcontentloaded' });

    const began = Date.now();
    let sawStart = false;
    let lastProgress = '';
    let lastProgressAt = Date.now();
    for (;;) {
      const report = readReport<Report>(options.reportFile);
      if (report?.state === 'done') {
        await options.beforeClose?.(page, report);
        return { report, browserConsole };
      }
      if (report !== undefined) {
        sawStart = true;
        const progress = `${report.passed}/${report.failed}/${report.pending}`;
        if (progress !== lastProgress) {
          lastProgress = progress;
          lastProgressAt = Date.now();
        }
        if (options.stallTimeoutMs !== undefined && Date.now() - lastProgressAt > options.stallTimeoutMs) {
          throw new HarnessError(
            `No test finished for ${options.stallTimeoutMs / 1000} s (so far ${report.passed} passed, ${report.failed} failed): ` +
              'the extension host crashed or a test hangs past its own timeout.',
            browserConsole,
          );
        }
      }
      const elapsed = Date.now() - began;
      if (!sawStart && elapsed > startTimeoutMs) {
        throw new HarnessError(
          `The tests file never started within ${startTimeoutMs / 1000} s: the extension host did not load ${options.extensionTestsPath} ` +
            '(look for activation or load errors in the browser console below).',
          browserConsole,
        );
      }
      if (elapsed > timeoutMs) {
        throw new HarnessError(
          `The tests did not finish within ${timeoutMs / 1000} s (no final report in ${options.reportFile}).`,
          browserConsole,
        );
      }
      await new Promise((wait) => setTimeout(wait, 250));
    }
  } catch (error) {
    if (options.failureScreenshot !== undefined && browser !== undefined) {
      const page = browser.contexts()[0]?.pages()[0];
      if (page !== undefined) {
        mkdirSync(join(options.failureScreenshot, '..'), { recursive: true });
        await page.screenshot({ path: options.failureScreenshot }).catch(() => undefined);
      }
    }
    throw error;
  } finally {
    await browser?.close().catch(() => undefined);
  }
}

/** An error from the harness itself (not a failed test), carrying the browser console. */
export class HarnessError extends Error {
  constructor(
    message: string,
    readonly browserConsole: readonly string[],
  ) {
    super(message);
    this.name = 'HarnessError';
  }
}
