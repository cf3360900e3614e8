// The extension-host half of `npm run bench:editor-bulk`: loaded by code-server's extension host
// (as a tests file is) beside the extension under test, it runs a large "Revoke from List…" through
// the command's automation argument against the practice server, then opens what a person opens
// after it, timing each and reading the host's peak RSS (VmHWM, reset before each step through
// /proc/self/clear_refs) against its RSS before the step. It is bundled from each tree's own
// sources (the Orders view's provider is the tree's), so it only uses what both trees have.
// It writes its figures to the report file the bench polls. Asserts nothing.
import { readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import * as vscode from 'vscode';
import { Commands, Settings } from '../src/vscode/shared/ids';
import { OrdersStore } from '../src/core/sectigo/orders-store';
import { OrdersTreeProvider } from '../src/vscode/calls/orders-tree';
import { capturingLog } from '../test/vscode/capturing-log';

export interface EditorBulkProbeConfig {
  reportFile: string;
  fakeUrl: string;
  caFile: string;
  loginName: string;
  loginPassword: string;
  targets: number;
  firstOrder: number;
  concurrency: number;
}

/** One step's figures: wall time, and the host's RSS before it and its peak during it. */
export interface StepFigures {
  ms: number;
  rssBeforeBytes: number;
  peakBytes: number;
  /** The JavaScript heap's largest size seen during the step (sampled every 250 ms). */
  heapTotalBytes: number;
  /** The heap in use after a full collection, before and after the step: what the step left behind. */
  liveBeforeBytes: number;
  liveAfterBytes: number;
  note?: string;
}

export interface EditorBulkProbeReport {
  state: 'started' | 'done';
  passed: number;
  failed: number;
  pending: number;
  error?: string;
  /** Date.now() when the run's command was executed (the bench times the first answer against it). */
  runStartedAt?: number;
  steps: Record<string, StepFigures>;
  journalBytes?: number;
}

const automation = { confirm: true } as const;
const EXTENSION_ID = 'sectigo-csr-tools.sectigo-csr-tools';

/** The JavaScript heap in use after a full collection (the bench's probe only: it asks V8 for gc()). */
function liveHeap(): number {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

function status(field: 'VmHWM' | 'VmRSS'): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync('/proc/self/status', 'utf8'));
  return Number(match?.[1] ?? NaN) * 1024;
}

async function step<T>(
  steps: Record<string, StepFigures>,
  name: string,
  work: () => Thenable<T> | Promise<T>,
): Promise<T> {
  const liveBeforeBytes = liveHeap();
  const rssBeforeBytes = status('VmRSS');
  // The peak from here on: the kernel's high-water mark, reset to the current RSS.
  writeFileSync('/proc/self/clear_refs', '5');
  // What the peak was made of: the JavaScript heap's largest size while the step ran, sampled.
  let heapTotal = 0;
  const sample = setInterval(() => (heapTotal = Math.max(heapTotal, process.memoryUsage().heapTotal)), 250);
  const started = performance.now();
  try {
    return await work();
  } finally {
    clearInterval(sample);
    steps[name] = {
      ms: performance.now() - started,
      rssBeforeBytes,
      peakBytes: status('VmHWM'),
      heapTotalBytes: Math.max(heapTotal, process.memoryUsage().heapTotal),
      liveBeforeBytes,
      liveAfterBytes: liveHeap(),
    };
  }
}

export async function run(): Promise<void> {
  const config = JSON.parse(readFileSync(join(__dirname, 'probe-config.json'), 'utf8')) as EditorBulkProbeConfig;
  const report: EditorBulkProbeReport = { state: 'started', passed: 0, failed: 0, pending: 0, steps: {} };
  const write = (): void => writeFileSync(config.reportFile, JSON.stringify(report));
  write();
  try {
    await vscode.extensions.getExtension(EXTENSION_ID)?.activate();
    const settings = vscode.workspace.getConfiguration(Settings.section);
    await settings.update(Settings.baseUrl, config.fakeUrl, vscode.ConfigurationTarget.Global);
    await settings.update(Settings.caFile, config.caFile, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand(Commands.setCredentials, {
      ...automation,
      loginName: config.loginName,
      loginPassword: config.loginPassword,
    });
    // A small run first: the bulk code loaded, and where the runs are kept learnt.
    const warm = await vscode.commands.executeCommand<{ storageDirectory: string } | undefined>(
      Commands.revokeFromList,
      { ...automation, listText: '1000001\n1000002\n', revocationReason: 'warm-up', test: true },
    );
    if (!warm) throw new Error('the warm-up run returned no report');
    const listText = Array.from({ length: config.targets }, (_, index) => String(config.firstOrder + index)).join('\n');
    report.runStartedAt = Date.now();
    const ran = await step(report.steps, 'run', () =>
      vscode.commands.executeCommand<{ manifestId: string; journalPath: string; summary: { total: number } }>(
        Commands.revokeFromList,
        {
          ...automation,
          listText,
          revocationReason: 'benchmark',
          test: true,
          rate: 1_000_000,
          concurrency: config.concurrency,
        },
      ),
    );
    if (!ran) throw new Error('the run returned no report');
    report.journalBytes = statSync(ran.journalPath).size;
    write();

    // The Orders view, as the extension's provider reads it: the run's row, its outcomes, a page of 500.
    const { log } = capturingLog();
    const tree = new OrdersTreeProvider(OrdersStore.inDirectory(dirname(warm.storageDirectory)), log);
    const rows = await tree.getChildren();
    const runRow = rows.find((row) => (row as { id?: string }).id === `run:${ran.manifestId}`);
    if (!runRow) throw new Error('the run has no row in the Orders view');
    const parts = await step(report.steps, 'expand', () => tree.getChildren(runRow));
    const part = parts[0];
    if (!part) throw new Error('the run has no outcomes beneath it');
    const pages = await tree.getChildren(part);
    const page = pages[Math.floor(pages.length / 2)] ?? part;
    const targets = await step(report.steps, 'page', () => tree.getChildren(page));
    report.steps.page!.note = `${targets.length} targets`;
    tree.dispose();
    write();

    // The run as a crash leaves it: its manifest unfinished, its journal cut in the middle of a line.
    const manifestPath = join(warm.storageDirectory, `${ran.manifestId}.run.json`);
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { finished?: boolean };
    delete manifest.finished;
    writeFileSync(manifestPath, JSON.stringify(manifest));
    truncateSync(ran.journalPath, Math.floor(statSync(ran.journalPath).size / 2) + 7);
    const offer = await step(report.steps, 'resume offer', () =>
      vscode.commands.executeCommand<{ offered?: string }>(Commands.revokeFromList, {
        ...automation,
        answerResumeOffer: 'escape',
      }),
    );
    report.steps['resume offer']!.note = offer?.offered ?? 'no offer';
    write();

    const uri = await step(report.steps, 'journal summary', async () => {
      const shown = await vscode.commands.executeCommand<string>(Commands.showRunReport, {
        id: `run:${ran.manifestId}`,
      });
      return shown;
    });
    const document = vscode.workspace.textDocuments.find((open) => open.uri.toString() === uri);
    report.steps['journal summary']!.note = `${document?.lineCount ?? 0} lines`;
    report.passed = 1;
  } catch (error) {
    report.failed = 1;
    report.error = error instanceof Error ? (error.stack ?? error.message) : String(error);
  }
  report.state = 'done';
  write();
}
