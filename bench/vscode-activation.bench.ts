// `npm run bench:vscode`: how long the extension takes to activate in a real extension host
// (code-server's, the same VS Code 1.100 the tests use), beside a baseline build of another git
// ref and an empty extension activated the same way, in the same run: the windows of the three
// are interleaved, so a busy machine slows all of them alike. Each sample is a fresh window,
// because an extension host activates an extension once. In every window it also opens a file
// of 500 requests (about 1 MB) and times the first CodeLens drawn in the page (the empty
// extension draws one lens at once: the workbench's own share, the floor), and in the builds'
// windows a keystroke in the middle of the file until its Problems are refreshed. Then the size
// of what is shipped, for both builds. Figures only; nothing here passes or fails on time.
//   --samples N      windows per subject (default 7), after one warm-up window each
//   --baseline REF   the git ref to compare with (default: the last tag, else the merge base with main)
//   --open FROM      who opens the file: 'extension' (default: the probe's showTextDocument, which
//                    goes through the extension host before the workbench opens the editor) or
//                    'workbench' (vscode.open, carried out by the workbench, as a click in the Explorer)
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import {
  FIRST_CODELENS_SCRIPT,
  PROBE_CONFIG_NAME,
  settleFlag,
  type ActivationSample,
  type ProbeConfig,
} from '../scripts/vscode/activation-probe-config';
import { buildBaseline, resolveBaselineRef, type BaselineBuild } from '../scripts/vscode/baseline-build';
import { onInterrupt, repoRoot, type RunningCodeServer } from '../scripts/vscode/code-server';
import { runInExtensionHost } from '../scripts/vscode/extension-host';
import { MANY_REQUESTS_COUNT, manyRequestsFile } from './many-requests';
import { PROBE_CSR_NAME, buildProbe, startProbeServer } from '../scripts/vscode/probe-windows';

function flag(name: string): string | undefined {
  const at = process.argv.indexOf(name);
  return at === -1 ? undefined : process.argv[at + 1];
}
const samples = Number(flag('--samples') ?? 7) || 7;
const requestedBaseline = flag('--baseline');
const openFrom = flag('--open') === 'workbench' ? 'workbench' : 'extension';
const settleMs = settleFlag(process.argv);

/** How long the page may take to draw the first CodeLens once the probe is done. */
const CODELENS_WAIT_MS = 30_000;

function run(command: string, args: string[]): void {
  const result = spawnSync(command, args, { cwd: repoRoot, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (exit ${result.status})`);
}

function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

function emptyExtension(dir: string): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({
      name: 'empty-baseline',
      publisher: 'bench',
      version: '0.0.0',
      engines: { vscode: '^1.100.0' },
      main: './extension.js',
      activationEvents: [],
    }),
  );
  // Its activation registers one CodeLens for *.csr files, at once and with a title: the time to
  // draw it is the workbench's own part of "first CodeLens" (opening 1 MB, its CodeLens delay).
  writeFileSync(
    join(dir, 'extension.js'),
    [
      "const vscode = require('vscode');",
      'exports.activate = function (context) {',
      "  const lens = () => [new vscode.CodeLens(new vscode.Range(0, 0, 0, 0), { title: 'floor', command: 'bench.floor' })];",
      "  context.subscriptions.push(vscode.commands.registerCommand('bench.floor', () => undefined),",
      "    vscode.languages.registerCodeLensProvider({ pattern: '**/*.csr' }, { provideCodeLenses: lens }));",
      '};',
      'exports.deactivate = function () {};',
      '',
    ].join('\n'),
  );
  return dir;
}

interface Subject {
  readonly label: string;
  readonly extensionId: string;
  readonly path: string;
  /** The builds open the CSR file and type in it; the empty extension opens it and draws its one lens. */
  readonly editor: boolean;
  server?: RunningCodeServer;
  workspace: string;
  readonly activation: number[];
  readonly firstCodeLens: number[];
  /** The same, by round: a busy machine slows a whole round, so each build is also compared with the floor of its own round. */
  readonly lensByRound: Map<number, number>;
  readonly keystroke: number[];
  voided: number;
  noCodeLens: number;
}

function shipped(dist: string): Map<string, { bytes: number; gzip: number }> {
  const sizes = new Map<string, { bytes: number; gzip: number }>();
  for (const name of readdirSync(dist).filter((file) => file.endsWith('.js'))) {
    const file = join(dist, name);
    sizes.set(name, { bytes: statSync(file).size, gzip: gzipSync(readFileSync(file)).length });
  }
  return sizes;
}

const ms = (value: number | undefined): string => (value === undefined ? 'n/a' : `${value.toFixed(1)} ms`);
const ratio = (ours: number | undefined, theirs: number | undefined): string =>
  ours === undefined || theirs === undefined || theirs <= 0 ? 'n/a' : `${(ours / theirs).toFixed(2)}x`;

async function main(): Promise<void> {
  const baselineRef = resolveBaselineRef(requestedBaseline);
  process.stderr.write(`[bench:vscode] baseline: ${baselineRef.label}: ${baselineRef.subject}\n`);
  run('npm', ['run', '--silent', 'build:production']);
  const scratch = mkdtempSync(join(tmpdir(), 'sectigo-bench-'));
  let baseline: BaselineBuild | undefined;
  const subjects: Subject[] = [];
  const cleanup = async (): Promise<void> => {
    for (const subject of subjects) await subject.server?.close();
    baseline?.close();
    rmSync(scratch, { recursive: true, force: true });
  };
  const stopListening = onInterrupt(cleanup);
  try {
    baseline = buildBaseline(baselineRef.commit, join(scratch, 'baseline'));
    const probe = await buildProbe(scratch);
    const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
      name: string;
      publisher: string;
    };
    const ours = `${manifest.publisher}.${manifest.name}`;
    const many = manyRequestsFile();
    const shortCommit = baselineRef.commit.slice(0, 7);
    const make = (label: string, extensionId: string, path: string, editor: boolean): Subject => ({
      label,
      extensionId,
      path,
      editor,
      workspace: '',
      activation: [],
      firstCodeLens: [],
      lensByRound: new Map(),
      keystroke: [],
      voided: 0,
      noCodeLens: 0,
    });
    subjects.push(
      make('empty extension', 'bench.empty-baseline', emptyExtension(join(scratch, 'empty-extension')), false),
      make(`baseline ${shortCommit}`, ours, baseline.path, true),
      make('this build (working tree)', ours, repoRoot, true),
    );
    // One server (its own user data and workspace) per subject: the builds share an extension
    // id, so their stored state must not mix.
    for (const [index, subject] of subjects.entries()) {
      subject.workspace = join(scratch, `workspace-${index}`);
      subject.server = await startProbeServer(subject.workspace, many.text);
    }

    const reportFile = join(scratch, 'sample.json');
    const releaseFile = join(scratch, 'release');
    const codeLensFile = join(scratch, 'codelens-drawn');
    // Round 0 warms each server and the disk cache and is not counted. The order of the
    // subjects turns every round, so none always runs right after another.
    for (let round = 0; round <= samples; round += 1) {
      for (let turn = 0; turn < subjects.length; turn += 1) {
        const subject = subjects[(round + turn) % subjects.length] as Subject;
        const config: ProbeConfig = {
          reportFile,
          extensionId: subject.extensionId,
          releaseFile,
          codeLensFile,
          csr: {
            file: join(subject.workspace, PROBE_CSR_NAME),
            keystrokeLine: many.middleBodyLine,
            openFrom,
            settleMs,
            ...(subject.editor ? {} : { problems: false }),
          },
        };
        writeFileSync(join(scratch, 'probe', PROBE_CONFIG_NAME), JSON.stringify(config));
        rmSync(releaseFile, { force: true });
        rmSync(codeLensFile, { force: true });
        let firstCodeLensAt: number | undefined;
        const { report } = await runInExtensionHost<ActivationSample>({
          server: subject.server as RunningCodeServer,
          extensionDevelopmentPaths: [subject.path],
          extensionTestsPath: probe,
          workspace: subject.workspace,
          reportFile,
          timeoutMs: 180_000,
          preparePage: async (page: Page) => {
            // The probe waits for this file before it types, so the lens is timed on the opened file.
            await page.exposeFunction('__sectigoCodeLensDrawn', (at: number) =>
              writeFileSync(codeLensFile, String(at)),
            );
            await page.addInitScript(FIRST_CODELENS_SCRIPT);
          },
          beforeClose: async (page: Page) => {
            firstCodeLensAt = await page
              .waitForFunction(() => (window as { __firstCodeLensAt?: number }).__firstCodeLensAt, undefined, {
                timeout: CODELENS_WAIT_MS,
              })
              .then((handle) => handle.jsonValue() as Promise<number>)
              .catch(() => undefined);
            writeFileSync(releaseFile, '');
          },
        });
        if (report.error !== undefined) throw new Error(`${subject.label}: ${report.error}`);
        const lensMs =
          firstCodeLensAt === undefined || report.openedAt === undefined
            ? undefined
            : firstCodeLensAt - report.openedAt;
        const parts = [`activation ${ms(report.activationMs)}`, `first CodeLens ${ms(lensMs)}`];
        if (subject.editor) parts.push(`keystroke → Problems ${ms(report.keystrokeToProblemsMs)}`);
        process.stderr.write(
          `  round ${round}/${samples}${round === 0 ? ' (warm-up, not counted)' : ''} ${subject.label}: ${parts.join(', ')}` +
            `${report.alreadyActive ? ' (void: active before the probe)' : ''}\n`,
        );
        if (round === 0) continue;
        if (report.alreadyActive) subject.voided += 1;
        else subject.activation.push(report.activationMs);
        if (lensMs === undefined) subject.noCodeLens += 1;
        else {
          subject.firstCodeLens.push(lensMs);
          subject.lensByRound.set(round, lensMs);
        }
        if (report.keystrokeToProblemsMs !== undefined) subject.keystroke.push(report.keystrokeToProblemsMs);
      }
    }

    const [empty, base, current] = subjects as [Subject, Subject, Subject];
    const emptyMedian = median(empty.activation);
    const over = (subject: Subject): number | undefined => {
      const value = median(subject.activation);
      return value === undefined || emptyMedian === undefined ? undefined : value - emptyMedian;
    };
    const out = (line: string): void => void process.stdout.write(`${line}\n`);
    out('');
    out(`Baseline: ${baselineRef.label}: ${baselineRef.subject}`);
    out(`  (node_modules ${baseline.reusedNodeModules ? 'shared: same lock file' : 'installed with npm ci'})`);
    out(
      `Activation in code-server's extension host (VS Code 1.100.3), medians of ${samples} fresh windows each, interleaved:`,
    );
    for (const subject of subjects) {
      const values = subject.activation;
      out(
        `  ${subject.label.padEnd(28)} ${ms(median(values)).padStart(10)}  (min ${ms(Math.min(...values))}, max ${ms(Math.max(...values))}, n=${values.length}` +
          `${subject.voided > 0 ? `, ${subject.voided} void` : ''})` +
          (subject === empty ? '' : `  over the empty extension: ${ms(over(subject))}`),
      );
    }
    out(
      `  this build / baseline: ${ratio(median(current.activation), median(base.activation))} (activation), ` +
        `${ratio(over(current), over(base))} (over the empty extension)`,
    );
    out(
      `Editor, ${MANY_REQUESTS_COUNT} requests in one file of ${(many.text.length / 1e6).toFixed(2)} MB, opened by ` +
        `${openFrom === 'workbench' ? 'the workbench (vscode.open)' : 'an extension (showTextDocument)'}, ${settleMs} ms after activation (medians):`,
    );
    const floor = median(empty.firstCodeLens);
    const overFloor = (subject: Subject): number | undefined => {
      const value = median(subject.firstCodeLens);
      return value === undefined || floor === undefined ? undefined : value - floor;
    };
    const noLens = (subject: Subject): string =>
      subject.noCodeLens > 0 ? ` (${subject.noCodeLens} windows drew none within ${CODELENS_WAIT_MS / 1000} s)` : '';
    // The empty extension's one lens, drawn as soon as asked: what the workbench itself takes.
    out(
      `  ${'workbench floor (one lens)'.padEnd(28)} first CodeLens after opening ${ms(floor).padStart(10)}${noLens(empty)}`,
    );
    /** The median over rounds of (this subject − the floor of the same round). */
    const pairedOverFloor = (subject: Subject): number | undefined =>
      median(
        [...subject.lensByRound].flatMap(([round, value]) => {
          const floorOfRound = empty.lensByRound.get(round);
          return floorOfRound === undefined ? [] : [value - floorOfRound];
        }),
      );
    for (const subject of [base, current]) {
      out(
        `  ${subject.label.padEnd(28)} first CodeLens after opening ${ms(median(subject.firstCodeLens)).padStart(10)}` +
          `  (over the floor ${ms(overFloor(subject))}; paired by round ${ms(pairedOverFloor(subject))})${noLens(subject)}` +
          `   keystroke → refreshed Problems ${ms(median(subject.keystroke)).padStart(10)}`,
      );
    }
    out(
      `  this build / baseline: ${ratio(median(current.firstCodeLens), median(base.firstCodeLens))} (first CodeLens), ` +
        `${ratio(overFloor(current), overFloor(base))} (over the floor), ` +
        `${ratio(pairedOverFloor(current), pairedOverFloor(base))} (over the floor, paired by round), ` +
        `${ratio(median(current.keystroke), median(base.keystroke))} (keystroke → Problems)`,
    );

    out('Bundle sizes (production builds, dist/*.js), baseline → this build:');
    const theirs = shipped(join(baseline.path, 'dist'));
    const oursSizes = shipped(join(repoRoot, 'dist'));
    const kib = (bytes: number | undefined): string => (bytes === undefined ? '-' : `${(bytes / 1024).toFixed(1)} KiB`);
    for (const name of [...new Set([...theirs.keys(), ...oursSizes.keys()])].sort()) {
      const before = theirs.get(name);
      const after = oursSizes.get(name);
      out(
        `  ${name.padEnd(26)} ${kib(before?.bytes).padStart(11)} → ${kib(after?.bytes).padStart(11)}` +
          `   (gzip ${kib(before?.gzip)} → ${kib(after?.gzip)})`,
      );
    }
  } finally {
    stopListening();
    await cleanup();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`[bench:vscode] ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
