// `npm run bench:vscode`: how long the extension takes to activate in a real extension host
// (code-server's, the same VS Code 1.100 the tests use), against an empty extension activated
// the same way, plus the size of what is shipped. Each sample is a fresh window, because an
// extension host activates an extension once. Figures only; nothing here passes or fails on time.
//   --samples N   windows per extension (default 7)
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';
import { onInterrupt, repoRoot, startCodeServer, type RunningCodeServer } from '../scripts/vscode/code-server';
import { runInExtensionHost } from '../scripts/vscode/extension-host';
import type { ActivationSample } from '../scripts/vscode/activation-probe';

const samples = Number(process.argv[process.argv.indexOf('--samples') + 1] ?? 7) || 7;

function run(command: string, args: string[]): void {
  const result = spawnSync(command, args, { cwd: repoRoot, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (exit ${result.status})`);
}

function stats(values: number[]): { median: number; min: number; max: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median =
    sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
  return { median, min: sorted[0] ?? 0, max: sorted[sorted.length - 1] ?? 0 };
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
  writeFileSync(
    join(dir, 'extension.js'),
    'exports.activate = function () {};\nexports.deactivate = function () {};\n',
  );
  return dir;
}

async function main(): Promise<void> {
  run('npm', ['run', '--silent', 'build:production']);
  const scratch = mkdtempSync(join(tmpdir(), 'sectigo-bench-'));
  const probe = join(scratch, 'activation-probe.js');
  await esbuild.build({
    entryPoints: [join(repoRoot, 'scripts', 'vscode', 'activation-probe.ts')],
    outfile: probe,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    logLevel: 'warning',
  });
  const baseline = emptyExtension(join(scratch, 'empty-extension'));
  const workspace = join(scratch, 'workspace');
  mkdirSync(workspace);
  const reportFile = join(scratch, 'sample.json');
  const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
    name: string;
    publisher: string;
  };

  let server: RunningCodeServer | undefined;
  const cleanup = async (): Promise<void> => {
    await server?.close();
    rmSync(scratch, { recursive: true, force: true });
  };
  const stopListening = onInterrupt(cleanup);
  try {
    const subjects = [
      { label: 'empty extension (baseline)', id: 'bench.empty-baseline', path: baseline },
      { label: `${manifest.publisher}.${manifest.name}`, id: `${manifest.publisher}.${manifest.name}`, path: repoRoot },
    ];
    const results: { label: string; times: number[]; void: number }[] = [];
    for (const subject of subjects) {
      await server?.close();
      server = await startCodeServer({
        workspace,
        env: { SECTIGO_VSCODE_TEST_REPORT: reportFile, SECTIGO_BENCH_EXTENSION_ID: subject.id },
      });
      const times: number[] = [];
      let voided = 0;
      // One window first to warm the server and the disk cache; it is not counted.
      for (let index = 0; index <= samples; index += 1) {
        const { report } = await runInExtensionHost<ActivationSample>({
          server,
          extensionDevelopmentPaths: [subject.path],
          extensionTestsPath: probe,
          workspace,
          reportFile,
          timeoutMs: 120_000,
        });
        if (report.error !== undefined) throw new Error(`${subject.label}: ${report.error}`);
        process.stderr.write(
          `  ${subject.label}: window ${index}/${samples}${index === 0 ? ' (warm-up, not counted)' : `: ${report.activationMs.toFixed(2)} ms`}\n`,
        );
        if (index === 0) continue;
        if (report.alreadyActive) voided += 1;
        else times.push(report.activationMs);
      }
      results.push({ label: subject.label, times, void: voided });
    }

    process.stdout.write(
      `\nActivation in code-server's extension host (VS Code 1.100.3), ${samples} fresh windows each:\n`,
    );
    for (const result of results) {
      const { median, min, max } = stats(result.times);
      process.stdout.write(
        `  ${result.label.padEnd(40)} median ${median.toFixed(2)} ms  (min ${min.toFixed(2)}, max ${max.toFixed(2)}, n=${result.times.length}` +
          `${result.void > 0 ? `, ${result.void} void: activated before the probe` : ''})\n`,
      );
    }
    const [base, ours] = results.map((result) => stats(result.times).median);
    process.stdout.write(
      `  extension cost over the baseline: ${((ours ?? 0) - (base ?? 0)).toFixed(2)} ms (medians)\n`,
    );

    process.stdout.write('\nBundle sizes (production build, dist/):\n');
    for (const name of readdirSync(join(repoRoot, 'dist'))
      .filter((file) => file.endsWith('.js'))
      .sort()) {
      const file = join(repoRoot, 'dist', name);
      const bytes = statSync(file).size;
      const gzipped = gzipSync(readFileSync(file)).length;
      process.stdout.write(
        `  ${name.padEnd(24)} ${(bytes / 1024).toFixed(1).padStart(8)} KiB  (gzip ${(gzipped / 1024).toFixed(1)} KiB)\n`,
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
