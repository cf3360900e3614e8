// Part of npm run bench: how long one `sectigo-csr check one.csr` takes, process start included,
// against a bare `node -e 0` run side by side (interleaved, so both see the same machine load).
// The aim is at most 1.15× node's own start for check. Prints figures only.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..');
const cli = join(root, 'dist', 'cli.js');
const oneCsr = join(root, 'test', 'fixtures', 'csr', 'rsa-2048.csr');
const warmups = 3;
const rounds = 31;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

/** Wall time of one process, in milliseconds; a failed run stops the benchmark. */
function timed(args: string[], expectedStatus: number): number {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { encoding: 'utf8', timeout: 30_000 });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== expectedStatus)
    throw new Error(`node ${args.join(' ')} exited ${result.status}: ${(result.stderr ?? '').slice(0, 300)}`);
  return ms;
}

export function benchCliStartup(): void {
  if (!existsSync(cli)) throw new Error('dist/cli.js is missing: run `npm run build` first.');
  const commands: { label: string; args: string[] }[] = [
    { label: 'sectigo-csr check one.csr', args: [cli, 'check', oneCsr] },
    { label: 'sectigo-csr inspect one.csr', args: [cli, 'inspect', oneCsr] },
  ];
  const bare = ['-e', '0'];
  const times = new Map<string, number[]>([
    ['node -e 0', []],
    ...commands.map((command): [string, number[]] => [command.label, []]),
  ]);
  for (let round = 0; round < warmups + rounds; round += 1) {
    const measured = round >= warmups;
    const baseline = timed(bare, 0);
    if (measured) times.get('node -e 0')?.push(baseline);
    for (const command of commands) {
      const ms = timed(command.args, 0);
      if (measured) times.get(command.label)?.push(ms);
    }
  }
  const baseline = median(times.get('node -e 0') ?? []);
  process.stdout.write(`\nOne command, process start included (median of ${rounds} interleaved runs):\n`);
  process.stdout.write(`  ${'node -e 0'.padEnd(30)}${baseline.toFixed(1).padStart(8)} ms\n`);
  for (const command of commands) {
    const ms = median(times.get(command.label) ?? []);
    process.stdout.write(
      `  ${command.label.padEnd(30)}${ms.toFixed(1).padStart(8)} ms   ${(ms / baseline).toFixed(2)}× node -e 0 (aim for check: at most 1.15×)\n`,
    );
  }
}

if (require.main === module) benchCliStartup();
