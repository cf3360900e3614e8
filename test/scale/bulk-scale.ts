// A `sectigo-csr revoke --from` of many targets against the fake server, the command line in a
// process of its own (a build's dist/cli.js) so that its peak memory is its own: the scale tests
// and bench:bulk. The fake answers as fast as it can; the command line keeps its documented
// `--rate 100` ceiling, and runs under a clock made faster (fast-clock.mjs) so that a 100,000-target
// run takes minutes, not the 17 that 100 per second would. Output goes to files, not to memory.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DEMO_ACCOUNT, type FakeSectigo } from '../fake-sectigo/server';

export const FAST_CLOCK = pathToFileURL(resolve(__dirname, 'fast-clock.mjs')).href;
/** The clock's speed-up: `--rate 100` becomes at most 10,000 calls started per real second. */
export const CLOCK_FACTOR = 100;
/** A run of 100,000 answered at full speed ends well within this (a deadline, not a measurement). */
const RUN_DEADLINE_MS = 30 * 60_000;

export interface ScaleRun {
  /** Targets in the list. */
  targets: number;
  code: number | null;
  seconds: number;
  /** The command line's peak resident memory (the process's high-water mark). */
  maxRssBytes: number;
  /** The command line's CPU time (user and system), ms. */
  cpuMs: number;
  journalBytes: number;
  stdoutPath: string;
  stderrPath: string;
  journalPath: string;
}

export interface ScaleOptions {
  /** The command line to run: a build's dist/cli.js. */
  cli: string;
  fake: FakeSectigo;
  dir: string;
  /** A name for the files of this run. */
  label: string;
  targets: number;
  /** Order numbers from this one on (orders the fake does not hold are answered -4). */
  firstOrder?: number;
  flags?: string[];
  /** node's --max-old-space-size, to cap a build that would take too much. */
  heapCapMb?: number;
  /** Reuse this list file (a resume of the same run). */
  listPath?: string;
  /** The clock's speed-up (default CLOCK_FACTOR; 1: the real clock, `--rate 100` as a user gets it). */
  clockFactor?: number;
}

/** The list of `count` order numbers, written once. */
export function writeOrderList(path: string, count: number, firstOrder: number): string {
  const lines: string[] = [];
  for (let index = 0; index < count; index++) lines.push(String(firstOrder + index));
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

export async function runAtScale(options: ScaleOptions): Promise<ScaleRun> {
  const { dir, label, fake } = options;
  if (!existsSync(options.cli)) throw new Error(`${options.cli} does not exist: build it first (node esbuild.mjs)`);
  const listPath =
    options.listPath ?? writeOrderList(join(dir, `${label}.txt`), options.targets, options.firstOrder ?? 20_000_001);
  const journalPath = `${listPath}.journal.jsonl`;
  const stdoutPath = join(dir, `${label}.stdout`);
  const stderrPath = join(dir, `${label}.stderr`);
  const rssPath = join(dir, `${label}.rss.json`);
  rmSync(rssPath, { force: true });
  const out = openSync(stdoutPath, 'w');
  const err = openSync(stderrPath, 'w');
  const started = performance.now();
  let code: number | null;
  try {
    const child = spawn(
      process.execPath,
      [
        ...(options.heapCapMb !== undefined ? [`--max-old-space-size=${options.heapCapMb}`] : []),
        '--import',
        FAST_CLOCK,
        options.cli,
        'revoke',
        '--from',
        listPath,
        '--reason',
        'scale',
        '--yes',
        '--rate',
        '100',
        '--concurrency',
        '8',
        // Under a clock 100 times faster the client's 60 s would be 0.6 s of real time.
        '--timeout',
        '3600',
        '--base-url',
        fake.url,
        '--ca-file',
        fake.caFile,
        ...(options.flags ?? []),
      ],
      {
        env: {
          ...process.env,
          SECTIGO_LOGIN_NAME: DEMO_ACCOUNT.loginName,
          SECTIGO_LOGIN_PASSWORD: DEMO_ACCOUNT.loginPassword,
          SECTIGO_FAST_CLOCK: String(options.clockFactor ?? CLOCK_FACTOR),
          SECTIGO_RSS_REPORT: rssPath,
        },
        stdio: ['ignore', out, err],
      },
    );
    code = await new Promise<number | null>((done, fail) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        fail(new Error(`${label}: no end after ${RUN_DEADLINE_MS / 60_000} minutes`));
      }, RUN_DEADLINE_MS);
      child.on('exit', (exitCode) => {
        clearTimeout(timer);
        done(exitCode);
      });
    });
  } finally {
    closeSync(out);
    closeSync(err);
  }
  const seconds = (performance.now() - started) / 1000;
  const report = existsSync(rssPath)
    ? (JSON.parse(readFileSync(rssPath, 'utf8')) as { maxRssBytes: number; cpuMs: number })
    : { maxRssBytes: Number.NaN, cpuMs: Number.NaN };
  return {
    targets: options.targets,
    code,
    seconds,
    maxRssBytes: report.maxRssBytes,
    cpuMs: report.cpuMs,
    journalBytes: existsSync(journalPath) ? statSync(journalPath).size : 0,
    stdoutPath,
    stderrPath,
    journalPath,
  };
}

export const megabytes = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
