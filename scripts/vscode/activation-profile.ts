// Where activation's time goes: a CPU profile of code-server's extension host while the probe
// activates the extension (V8's sampling profiler, started by the probe through the inspector
// protocol on its own thread: Node refuses --cpu-prof in NODE_OPTIONS), split by what the
// stack holds. Uses the development build (names and the `// src/…`
// markers esbuild leaves in it), so every sample is named by function and source module.
//   node --import tsx scripts/vscode/activation-profile.ts [--windows N] [--keep DIR] [--editor]
// With --editor it profiles, instead of activation, the opening of the benchmark's file of 500
// requests (bench/many-requests.ts) until the page drew its first CodeLens, counting the frames
// of every bundle of dist/ (the CSR analysis is its own).
// Prints figures only (ms of samples); fewer windows than the benchmark, since a profile is
// about the shares, not the medians.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { manyRequestsFile } from '../../bench/many-requests';
import {
  FIRST_CODELENS_SCRIPT,
  PROBE_CONFIG_NAME,
  settleFlag,
  type ActivationSample,
  type ProbeConfig,
} from './activation-probe-config';
import { onInterrupt, repoRoot, startCodeServer, type RunningCodeServer } from './code-server';
import { runInExtensionHost } from './extension-host';
import { PROBE_WINDOW_SETTINGS, buildProbe } from './probe-windows';

function flag(name: string): string | undefined {
  const at = process.argv.indexOf(name);
  return at === -1 ? undefined : process.argv[at + 1];
}
const windows = Number(flag('--windows') ?? 3) || 3;
const keep = flag('--keep');
const editor = process.argv.includes('--editor');
const settleMs = settleFlag(process.argv);
/** Sampling interval of the profiler, in microseconds (Node's default is 1,000). */
const INTERVAL_US = 100;
/** A profile of a few seconds is a few MB; anything far larger is not ours. */
const MAX_PROFILE_BYTES = 512 * 1024 * 1024;
/** How long after activate() returned its deferred work (promises it started) is still counted. */
const AFTER_MS = 3000;

interface CallFrame {
  readonly functionName: string;
  readonly url: string;
  readonly lineNumber: number;
}
interface ProfileNode {
  readonly id: number;
  readonly callFrame: CallFrame;
  readonly children?: readonly number[];
}
interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly startTime: number;
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** Which source module each line of the development bundle belongs to (esbuild marks each with a comment). */
function moduleLines(bundle: string): { readonly line: number; readonly module: string }[] {
  const marks: { line: number; module: string }[] = [];
  bundle.split('\n').forEach((text, line) => {
    const mark = /^\/\/ (src\/\S+|node_modules\/\S+)$/.exec(text);
    if (mark !== null) marks.push({ line, module: mark[1] as string });
  });
  return marks;
}

function moduleAt(marks: readonly { line: number; module: string }[], line: number): string {
  let found = '(bundle prelude)';
  for (const mark of marks) {
    if (mark.line > line) break;
    found = mark.module;
  }
  return found;
}

interface Tally {
  readonly byKey: Map<string, number>;
  add(key: string, us: number): void;
}
function tally(): Tally {
  const byKey = new Map<string, number>();
  return { byKey, add: (key, us) => byKey.set(key, (byKey.get(key) ?? 0) + us) };
}

function printTally(title: string, counts: Tally, totalUs: number, rows = 25): void {
  process.stdout.write(`\n${title}\n`);
  const sorted = [...counts.byKey].sort((a, b) => b[1] - a[1]).slice(0, rows);
  for (const [key, us] of sorted) {
    const share = totalUs > 0 ? ` ${((100 * us) / totalUs).toFixed(0).padStart(3)}%` : '';
    process.stdout.write(`  ${(us / 1000 / windows).toFixed(2).padStart(8)} ms${share}  ${key}\n`);
  }
}

async function main(): Promise<void> {
  const run = spawnSync('npm', ['run', '--silent', 'build'], { cwd: repoRoot, stdio: ['ignore', 2, 2] });
  if (run.status !== 0) throw new Error('npm run build failed');
  const extensionBundle = join(repoRoot, 'dist', 'extension.js');
  const marks = moduleLines(readFileSync(extensionBundle, 'utf8'));
  const bundleUrl = pathToFileURL(extensionBundle).href;
  const distUrl = pathToFileURL(join(repoRoot, 'dist')).href;
  /** The frames counted as ours: dist/extension.js's, or with --editor those of every bundle of dist/. */
  const isOurs = (url: string): boolean =>
    url === bundleUrl ||
    url === extensionBundle ||
    (editor && (url.startsWith(distUrl) || url.startsWith(join(repoRoot, 'dist'))));
  /** The source module of a frame of extension.js, or the bundle's name for another bundle. */
  const moduleOf = (frame: CallFrame): string =>
    frame.url === bundleUrl || frame.url === extensionBundle
      ? moduleAt(marks, frame.lineNumber)
      : `[${frame.url.replace(/^.*\//, '')}]`;
  const scratch = mkdtempSync(join(tmpdir(), 'sectigo-profile-'));
  const probe = await buildProbe(scratch);
  const workspace = join(scratch, 'workspace');
  mkdirSync(workspace);
  const many = manyRequestsFile();
  const csrFile = join(workspace, 'many.csr');
  if (editor) writeFileSync(csrFile, many.text);
  const codeLensFile = join(scratch, 'codelens-drawn');
  const profiles = join(scratch, 'profiles');
  mkdirSync(profiles);
  const reportFile = join(scratch, 'sample.json');
  let server: RunningCodeServer | undefined;
  const cleanup = async (): Promise<void> => {
    await server?.close();
    if (keep === undefined) rmSync(scratch, { recursive: true, force: true });
  };
  const stopListening = onInterrupt(cleanup);
  try {
    server = await startCodeServer({
      workspace,
      userSettings: PROBE_WINDOW_SETTINGS,
    });

    const phases = tally();
    const inActivate = tally();
    const byModule = tally();
    const leaves = tally();
    const after = tally();
    let windowUs = 0;
    let activationMs = 0;
    for (let index = 0; index <= windows; index += 1) {
      const profileFile = join(profiles, `window-${index}.cpuprofile`);
      const config: ProbeConfig = {
        reportFile,
        extensionId: 'sectigo-csr-tools.sectigo-csr-tools',
        profile: {
          file: profileFile,
          afterMs: AFTER_MS,
          intervalUs: INTERVAL_US,
          phase: editor ? 'editor' : 'activation',
        },
        ...(editor ? { csr: { file: csrFile, keystrokeLine: many.middleBodyLine, settleMs }, codeLensFile } : {}),
      };
      rmSync(codeLensFile, { force: true });
      writeFileSync(join(scratch, 'probe', PROBE_CONFIG_NAME), JSON.stringify(config));
      const { report } = await runInExtensionHost<ActivationSample>({
        server,
        extensionDevelopmentPaths: [repoRoot],
        extensionTestsPath: probe,
        workspace,
        reportFile,
        timeoutMs: 120_000,
        ...(editor
          ? {
              preparePage: async (page: Page) => {
                await page.exposeFunction('__sectigoCodeLensDrawn', (at: number) =>
                  writeFileSync(codeLensFile, String(at)),
                );
                await page.addInitScript(FIRST_CODELENS_SCRIPT);
              },
            }
          : {}),
      });
      if (report.error !== undefined) throw new Error(report.error);
      if (!existsSync(profileFile) || statSync(profileFile).size > MAX_PROFILE_BYTES)
        throw new Error(`the probe wrote no profile (or one over ${MAX_PROFILE_BYTES} bytes) to ${profileFile}`);
      const profiled = editor ? report.editorWindowUs : report.activationWindowUs;
      process.stderr.write(
        `  window ${index}/${windows}: activation ${report.activationMs.toFixed(1)} ms` +
          (editor && profiled ? `, open to first CodeLens ${((profiled[1] - profiled[0]) / 1000).toFixed(1)} ms` : '') +
          '\n',
      );
      if (index === 0 || profiled === undefined) continue; // warm-up
      activationMs += report.activationMs;
      const profile = JSON.parse(readFileSync(profileFile, 'utf8')) as CpuProfile;
      const [start, end] = profiled;
      windowUs += end - start;
      const byId = new Map(profile.nodes.map((node) => [node.id, node]));
      const parent = new Map<number, number>();
      for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
      let time = profile.startTime;
      profile.samples.forEach((id, sample) => {
        const delta = profile.timeDeltas[sample] ?? 0;
        time += delta;
        const stack: CallFrame[] = [];
        for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
          const node = byId.get(at);
          if (node !== undefined) stack.push(node.callFrame);
        }
        // Built-in extensions have a dist/extension.js too: only frames of this one count.
        const ours = stack.filter((frame) => isOurs(frame.url));
        const leaf = stack[0];
        const leafName =
          leaf === undefined
            ? '?'
            : `${leaf.functionName || '(anonymous)'} ${leaf.url.replace(/^.*\//, '')}${leaf.url === '' ? '' : `:${leaf.lineNumber + 1}`}`;
        if (time >= start && time <= end) {
          const activating = ours.some((frame) => frame.functionName === 'activate');
          phases.add(
            editor
              ? ours.length === 0
                ? `extension host: its own work (the document, IPC, ${leaf?.functionName === '(idle)' ? 'idle' : 'GC, compiling'})`
                : 'our code (every bundle of dist/)'
              : ours.length === 0
                ? 'extension host: loading and compiling the bundle, its own bookkeeping, GC'
                : activating
                  ? 'activate()'
                  : 'module evaluation of dist/extension.js (top-level code)',
            delta,
          );
          const seen = new Set<string>();
          for (const frame of ours) {
            const name = `${frame.functionName || '(top level)'}  [${moduleOf(frame)}]`;
            if (!seen.has(name)) inActivate.add(name, delta);
            seen.add(name);
          }
          const modules = new Set(ours.map((frame) => moduleOf(frame)));
          for (const module of modules) byModule.add(module, delta);
          if (ours.length > 0) leaves.add(leafName, delta);
        } else if (time > end && time <= end + AFTER_MS * 1000 && ours.length > 0) {
          const first = ours[0] as CallFrame;
          after.add(`${first.functionName || '(anonymous)'}  [${moduleOf(first)}] → ${leafName}`, delta);
        }
      });
    }
    process.stdout.write(
      `${editor ? 'Open-to-first-CodeLens' : 'Activation'} profile of ${repoRoot} (development build), ${windows} windows, sampled every ${INTERVAL_US} µs.\n` +
        `Figures are ms per window: activate() as the probe timed it ${(activationMs / windows).toFixed(1)} ms, ` +
        `profiled window ${(windowUs / 1000 / windows).toFixed(1)} ms.\n`,
    );
    printTally('Phases:', phases, windowUs);
    printTally('Inclusive time per function of dist/extension.js (its source module):', inActivate, windowUs, 40);
    printTally('Inclusive time per source module:', byModule, windowUs, 30);
    printTally('Self time at the leaf (under our frames):', leaves, windowUs, 30);
    printTally(`Deferred work of ours in the ${AFTER_MS / 1000} s after activate() returned:`, after, 0, 25);
    if (keep !== undefined) process.stderr.write(`profiles kept in ${profiles}\n`);
  } finally {
    stopListening();
    await cleanup();
  }
}

if (!existsSync(join(repoRoot, 'package.json'))) throw new Error(`no package.json in ${repoRoot}`);
main().catch((error: unknown) => {
  process.stderr.write(`[activation-profile] ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
