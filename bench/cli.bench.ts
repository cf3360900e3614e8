// npm run bench [-- --baseline REF]: the command line's three figures in one run, each against its
// own baseline and against the baseline's build (default: the last tag, else the merge base with
// main), built once for all three:
// 1. one `check one.csr`, process start included, against `node -e 0` (aim: at most 1.10×);
// 2. one `inspect --json` and one `check` over 1,000 files against a shell loop of `openssl req
//    -noout -text -verify` (aim: at least 45×), and the memory of a run over 100,000 files;
// 3. the analysis in process, per request, against pyca/cryptography (aim: at most 1.0×).
// The machine's load (uptime) before and after is printed too: on a shared machine the figures
// mean something only beside it. Prints figures only; asserts nothing.
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { buildBoth } from './cli-builds';
import { STARTUP_AIM, benchCliStartup } from './cli-startup.bench';
import { BATCH_AIM, benchCsrInspect } from './csr-inspect.bench';

function load(): string {
  try {
    return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  } catch {
    return 'unknown';
  }
}

async function main(): Promise<void> {
  const before = load();
  const builds = buildBoth();
  try {
    process.stdout.write(
      `sectigo-csr: ${builds.current.label} against ${builds.baselineRef.label} (${builds.baselineRef.subject}); ${cpus().length} cores, load ${before}\n`,
    );
    const startup = benchCliStartup(builds.current, builds.baseline);
    process.stdout.write('\n');
    const batch = await benchCsrInspect(builds.current, builds.baseline, builds.baselineRef.commit);
    const x = (value: number): string => `${value.toFixed(2)}×`;
    const pyca = batch.inProcess.pyca;
    process.stdout.write(
      [
        '',
        `Summary (load ${before} before, ${load()} after):`,
        `  1. check one.csr / node -e 0:          this tree ${x(startup.current / startup.node)}, baseline ${x(startup.baseline / startup.node)} (aim at most ${x(STARTUP_AIM)}); CPU time: this tree ${x(startup.cpu.current)}, baseline ${x(startup.cpu.baseline)}`,
        `  2. openssl loop / inspect --json:      this tree ${batch.inspect.current.toFixed(1)}× (one thread ${batch.inspect.oneThread.toFixed(1)}×), baseline ${batch.inspect.baseline.toFixed(1)}× (aim at least ${BATCH_AIM}×)`,
        `     openssl loop / check:               this tree ${batch.check.current.toFixed(1)}× (one thread ${batch.check.oneThread.toFixed(1)}×), baseline ${batch.check.baseline.toFixed(1)}×`,
        `     peak memory, ${batch.memory.files.toLocaleString('en-US')} files, inspect --json: this tree ${batch.memory.current[1].toFixed(0)} MiB (1,000 files: ${batch.memory.current[0].toFixed(0)} MiB), baseline ${Number.isNaN(batch.memory.baseline[1]) ? 'failed' : `${batch.memory.baseline[1].toFixed(0)} MiB`} (1,000 files: ${batch.memory.baseline[0].toFixed(0)} MiB)`,
        `  3. in process / pyca/cryptography:     ${typeof pyca === 'string' ? `skipped (${pyca})` : `this tree ${x(batch.inProcess.current / pyca)}, baseline ${x(batch.inProcess.baseline / pyca)} (aim at most 1.00×)`}`,
        '',
      ].join('\n'),
    );
  } finally {
    builds.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
