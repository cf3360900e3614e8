// `npm run bench:editor-bulk`: the editor's "Revoke from List…" at 100,000 targets, in code-server's
// real extension host (the VS Code 1.100 the tests use), beside a baseline build of another git
// ref, one after the other in one run. The practice server answers as fast as it can (every target
// is an unknown order: -4, so every one fails, as in issue 35); the run is a test call at an
// unlimited rate, 8 at once (--concurrency). For each build it prints, from editor-bulk-probe.ts inside the host:
// the run's time and the extension host's peak RSS growth during it (VmHWM reset before the step,
// less the RSS before it), the time from the command to the practice server's first answer (the
// first progress report follows that answer), then expanding the run's row in the Orders view, a
// page of 500 beneath it, the resume offer after the run is left as a crash leaves it (manifest
// unfinished, journal cut in half), and "Show What Was Sent" (the journal summary), each with its
// peak growth. Figures only; nothing here passes or fails on time.
//   --targets N      targets of the run (default 100000)
//   --baseline REF   the git ref to compare with (default: the merge base with main)
//   --only this      skip the baseline
//   --concurrency N  calls in flight (default 8, the most the client keeps connections for; the editor's default is 2)
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { buildBaseline, resolveBaselineRef } from '../scripts/vscode/baseline-build';
import { onInterrupt, repoRoot, startCodeServer, type RunningCodeServer } from '../scripts/vscode/code-server';
import { runInExtensionHost } from '../scripts/vscode/extension-host';
import { DEMO_ACCOUNT, startFakeSectigo, type FakeSectigo } from '../test/fake-sectigo/server';
import type { EditorBulkProbeConfig, EditorBulkProbeReport } from './editor-bulk-probe';

function flag(name: string): string | undefined {
  const at = process.argv.indexOf(name);
  return at === -1 ? undefined : process.argv[at + 1];
}
const TARGETS = Number(flag('--targets') ?? 100_000);
const onlyThis = flag('--only') === 'this';
const CONCURRENCY = Number(flag('--concurrency') ?? 8);
const FIRST_ORDER = 40_000_001;

const megabytes = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

/** The probe bundled from a tree's own sources (its Orders view provider, its ids). */
async function bundleProbe(tree: string, outdir: string): Promise<string> {
  const entry = join(tree, 'bench', 'editor-bulk-probe.ts');
  writeFileSync(entry, readFileSync(join(repoRoot, 'bench', 'editor-bulk-probe.ts')));
  mkdirSync(outdir, { recursive: true });
  const outfile = join(outdir, 'probe.js');
  await esbuild.build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    logLevel: 'warning',
  });
  return outfile;
}

interface Measured {
  report: EditorBulkProbeReport;
  firstAnswerMs: number | undefined;
}

async function measure(name: string, tree: string, fake: FakeSectigo, dir: string): Promise<Measured> {
  const outdir = join(dir, name.replace(/\W+/g, '-'));
  const probe = await bundleProbe(tree, outdir);
  const reportFile = join(outdir, 'report.json');
  const config: EditorBulkProbeConfig = {
    reportFile,
    fakeUrl: fake.url,
    caFile: fake.caFile,
    loginName: DEMO_ACCOUNT.loginName,
    loginPassword: DEMO_ACCOUNT.loginPassword,
    targets: TARGETS,
    firstOrder: FIRST_ORDER,
    concurrency: CONCURRENCY,
  };
  writeFileSync(join(outdir, 'probe-config.json'), JSON.stringify(config));
  const workspace = mkdtempSync(join(tmpdir(), 'bench-editor-bulk-ws-'));
  let server: RunningCodeServer | undefined;
  const stop = onInterrupt(async () => {
    await server?.close();
  });
  // The first answer to the big run: the first request for one of its orders.
  let firstAnswerAt: number | undefined;
  const watch = setInterval(() => {
    if (firstAnswerAt !== undefined) return;
    const first = fake.requests.find((request) => Number(request.params.orderNumber) >= FIRST_ORDER);
    if (first) firstAnswerAt = Date.now();
  }, 5);
  fake.requests.length = 0;
  try {
    server = await startCodeServer({ workspace });
    process.stderr.write(`[bench:editor-bulk] ${name}: code-server at ${server.url}\n`);
    const { report } = await runInExtensionHost<EditorBulkProbeReport>({
      server,
      extensionDevelopmentPaths: [tree],
      extensionTestsPath: probe,
      workspace,
      reportFile,
      timeoutMs: 60 * 60_000,
    });
    if (report.error !== undefined) throw new Error(`${name}: the probe failed: ${report.error}`);
    return {
      report,
      firstAnswerMs:
        firstAnswerAt !== undefined && report.runStartedAt !== undefined
          ? firstAnswerAt - report.runStartedAt
          : undefined,
    };
  } finally {
    clearInterval(watch);
    stop();
    await server?.close();
    rmSync(workspace, { recursive: true, force: true });
  }
}

function rows(name: string, measured: Measured): string[] {
  const { steps, journalBytes } = measured.report;
  const lines = [
    `${name}: first answer ${measured.firstAnswerMs !== undefined ? `${(measured.firstAnswerMs / 1000).toFixed(2)} s` : '?'} after the command; journal ${megabytes(journalBytes ?? 0)}`,
  ];
  for (const [step, figures] of Object.entries(steps)) {
    const growth = Math.max(0, figures.peakBytes - figures.rssBeforeBytes);
    lines.push(
      `  ${step.padEnd(16)} ${(figures.ms / 1000).toFixed(2).padStart(8)} s   host RSS ${megabytes(figures.rssBeforeBytes).padStart(7)} before, peak ${megabytes(figures.peakBytes).padStart(7)} (+${megabytes(growth)}), heap at most ${megabytes(figures.heapTotalBytes).padStart(7)}, live ${megabytes(figures.liveBeforeBytes)} → ${megabytes(figures.liveAfterBytes)}${figures.note !== undefined ? `   ${figures.note.slice(0, 140)}` : ''}`,
    );
  }
  return lines;
}

async function main(): Promise<void> {
  if (!Number.isInteger(TARGETS) || TARGETS < 10) throw new Error('--targets must be a whole number of 10 or more');
  const dir = mkdtempSync(join(tmpdir(), 'bench-editor-bulk-'));
  const baselineRef = onlyThis ? undefined : resolveBaselineRef(flag('--baseline'));
  const fake = await startFakeSectigo();
  let baseline: ReturnType<typeof buildBaseline> | undefined;
  try {
    process.stderr.write('[bench:editor-bulk] building this tree for production\n');
    const built = spawnSync(process.execPath, ['esbuild.mjs', '--production'], {
      cwd: repoRoot,
      stdio: ['ignore', 2, 2],
    });
    if (built.status !== 0) throw new Error('node esbuild.mjs --production failed');
    if (baselineRef) baseline = buildBaseline(baselineRef.commit, join(dir, 'baseline'));
    process.stdout.write(
      `"Revoke from List…" of ${TARGETS.toLocaleString('en-US')} targets in code-server's extension host, test=Y, every one answered -4 by the practice server at full speed, ${CONCURRENCY} at once (Node ${process.version})\n`,
    );
    if (baselineRef) process.stdout.write(`Baseline ${baselineRef.label}: ${baselineRef.subject}\n`);
    const subjects: Array<[string, string]> = [['this tree', repoRoot]];
    if (baseline) subjects.push(['baseline', baseline.path]);
    for (const [name, tree] of subjects) {
      const measured = await measure(name, tree, fake, dir);
      process.stdout.write(`${rows(name, measured).join('\n')}\n`);
    }
  } finally {
    await fake.close();
    baseline?.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:editor-bulk failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
