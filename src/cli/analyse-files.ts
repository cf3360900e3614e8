// Reading and analysing the inputs of check and inspect, handing each input's results on in the
// order given: on the main thread for a few files; for many, with analysis threads beside it
// (analysis-threads.ts), the main thread analysing too while it waits for them.
import { analyseCsrTextAsync, keepRsaModulus } from '../core/csr/analyse';
import { maxCsrCharacters } from '../core/csr/limits';
import { maxInputLength } from '../core/csr/input';
import { isCsrReport, type CsrAnalysisResult } from '../core/csr/types';
import type { SignatureVerifier } from '../core/csr/verifier';
import { JS_RSA_CHECKS_FIRST, lazyNodeVerifier } from '../core/csr/verify-node-lazy';
import { streamRefusal } from '../core/bounded-read';
import { formatCount } from '../core/format-count';
import { outside, words } from '../core/outside-text';
// Types only: the threads' module (and node:worker_threads, which loads Node's stream classes) is
// loaded when a run has more than one file; a check of one file never loads it (bench/cli-startup).
import type { AnalysisThread, ThreadInput } from './analysis-threads';
import type { CliIo } from './io';
import { readInputFile, unreadableResult, type InputRefusal } from './read-input';

/** What decides the exit status, counted as the results go by (a run over 100,000 files keeps none of them). */
export interface Tally {
  unreadable: boolean;
  errorFinding: boolean;
}

/** Takes one input's results (and its bytes, when asked for) as they come, in the order given. */
export type OnInput = (results: CsrAnalysisResult[], bytes: Uint8Array | null) => void;

export interface AnalyseOptions {
  /** The bytes of each input are handed on (for the snippets of the SARIF and GitLab reports). */
  withBytes?: boolean;
}

/** Reads one input, or says clearly why it cannot be read. Never throws. */
async function readInput(file: string, io: CliIo, stdin: { data?: Buffer }): Promise<Uint8Array | InputRefusal> {
  if (file !== '-') return readInputFile(file, io.cwd);
  stdin.data ??= await io.readStdin(maxInputLength);
  const refusal = streamRefusal(stdin.data, maxInputLength);
  if (refusal)
    return {
      code: 'input-too-large',
      error: `standard input ${refusal}; a request itself is at most ${formatCount(maxCsrCharacters)} characters`,
    };
  return stdin.data;
}

/**
 * Inputs read and decoded ahead while OpenSSL checks signatures in the thread pool: enough to keep
 * its thread busy, and few, since what is in flight survives the young generation's collections.
 * Measured over 1,000 files (check, output to a pipe, 7 interleaved runs): 2 ahead 0.63×, 4 ahead
 * 0.57×, 8 ahead 0.77×, 32 ahead 0.83× the time of the baseline's synchronous loop.
 */
const WINDOW_INPUTS = 4;
/** ...and at most this many of their bytes, so a window of 4 MiB files stays bounded. */
const WINDOW_BYTES = 16 * 1024 * 1024;
/** Files a block holds: one message each way for them, and the output waits for at most a few blocks. */
const FILES_PER_BLOCK = 32;
/** A block not back from its thread within this is analysed on the main thread instead, and the thread stopped. */
const BLOCK_DEADLINE_MS = 60_000;
/** Blocks the main thread analyses ahead of the one it waits for: held until written, so few. */
const BLOCKS_AHEAD_HERE = 2;

/**
 * Reads and analyses each input and hands its results (and its bytes, for snippets) to `onInput`,
 * in the order given. Over many inputs the next ones are read and decoded while others are
 * analysed (by threads, or by OpenSSL in the thread pool) and output is written, and the analysis
 * waits only when the reader of the output falls a megabyte behind.
 */
export async function analyseFiles(
  files: string[],
  io: CliIo,
  onInput: OnInput,
  options: AnalyseOptions = {},
): Promise<Tally> {
  const tally: Tally = { unreadable: false, errorFinding: false };
  const handOn = async (results: CsrAnalysisResult[], bytes: Uint8Array | null): Promise<void> => {
    for (const result of results) {
      if (!isCsrReport(result)) tally.unreadable = true;
      else if (result.findings.some((finding) => finding.severity === 'error')) tally.errorFinding = true;
    }
    onInput(results, bytes);
    const wait = io.ready?.();
    if (wait !== undefined) await wait;
  };
  if (files.length > 1) io.batchOutput?.();
  const threads =
    files.length > 1
      ? (await import('./analysis-threads')).AnalysisThread.start(files.length, io.env, {
          cwd: io.cwd,
          withBytes: options.withBytes === true,
        })
      : [];
  try {
    if (threads.length > 0) await analyseInBlocks(files, io, handOn, threads);
    else await analyseHere(files, io, handOn);
  } finally {
    for (const thread of threads) thread.stop();
  }
  return tally;
}

type HandOn = (results: CsrAnalysisResult[], bytes: Uint8Array | null) => Promise<void>;

/** Every input on this thread, signatures checked in the thread pool meanwhile when there are many. */
async function analyseHere(files: string[], io: CliIo, handOn: HandOn): Promise<void> {
  const stdin: { data?: Buffer } = {};
  const many = files.length > 1;
  // JavaScript for the first RSA checks only where they could be all there are: a run over more
  // inputs than that loads OpenSSL at once, which it needs anyway.
  const verifier = lazyNodeVerifier({
    threadPool: many,
    ...(files.length > JS_RSA_CHECKS_FIRST ? { jsFirst: 0 } : {}),
  });
  const inFlight: { analysed: Promise<CsrAnalysisResult[]>; bytes: Uint8Array | null }[] = [];
  let bytesInFlight = 0;
  const next = async (): Promise<void> => {
    const first = inFlight.shift();
    if (first === undefined) return;
    bytesInFlight -= first.bytes?.length ?? 0;
    await handOn(await first.analysed, first.bytes);
  };
  for (const file of files) {
    const name = file === '-' ? '<stdin>' : file;
    const input = await readInput(file, io, stdin);
    if (input instanceof Uint8Array) {
      inFlight.push({ analysed: analyseCsrTextAsync(verifier, input, name), bytes: input });
      bytesInFlight += input.length;
    } else inFlight.push({ analysed: Promise.resolve([unreadableResult(name, input)]), bytes: null });
    while (inFlight.length >= WINDOW_INPUTS || bytesInFlight > WINDOW_BYTES) await next();
  }
  while (inFlight.length > 0) await next();
}

/** A block's inputs from a thread, and whether they are back (or failed). */
interface FromThread {
  inputs: Promise<ThreadInput[]>;
  settled: boolean;
}

/**
 * The inputs in blocks of FILES_PER_BLOCK: each thread holds a few blocks, the main thread analyses
 * the next block itself while the one it must write next is not back (at most BLOCKS_AHEAD_HERE
 * ahead), and a block whose thread failed or passed BLOCK_DEADLINE_MS is analysed here instead.
 * Standard input is read here only: a block that holds `-` is never handed out.
 */
async function analyseInBlocks(files: string[], io: CliIo, handOn: HandOn, threads: AnalysisThread[]): Promise<void> {
  const stdin: { data?: Buffer } = {};
  // Signatures checked at once on this thread: the thread pool's thread would take a core from the threads.
  const verifier = lazyNodeVerifier({ threadPool: false, jsFirst: 0 });
  const blockCount = Math.ceil(files.length / FILES_PER_BLOCK);
  const filesOf = (block: number): string[] => files.slice(block * FILES_PER_BLOCK, (block + 1) * FILES_PER_BLOCK);
  const held = new Map<number, FromThread | ThreadInput[]>();
  let aheadHere = 0;
  let next = 0;
  const handOut = (): void => {
    for (const thread of threads) {
      while (thread.free && next < blockCount && !filesOf(next).includes('-')) {
        held.set(next, fromThread(thread, { block: next, files: filesOf(next) }));
        next += 1;
      }
    }
  };
  const here = (block: number): Promise<ThreadInput[]> => analyseBlockHere(filesOf(block), io, stdin, verifier);
  let told = false;
  const hereInstead = (block: number, error: unknown): Promise<ThreadInput[]> => {
    if (!told) {
      told = true;
      const reason = error instanceof Error ? error.message : String(error);
      io.stderr(
        words`sectigo-csr: an analysis thread failed (${outside(reason)}); its files are read and analysed on the main thread\n`,
      );
    }
    return here(block);
  };
  for (let block = 0; block < blockCount; block += 1) {
    handOut();
    let inputs = held.get(block);
    if (inputs === undefined) {
      next = Math.max(next, block + 1);
      inputs = await here(block);
    } else if (!Array.isArray(inputs)) {
      const waiting: FromThread = inputs;
      while (!waiting.settled && next < blockCount && aheadHere < BLOCKS_AHEAD_HERE) {
        const ahead = next;
        next += 1;
        held.set(ahead, await here(ahead));
        aheadHere += 1;
      }
      inputs = await waiting.inputs.catch((error: unknown) => hereInstead(block, error));
    } else aheadHere -= 1;
    held.delete(block);
    for (const input of inputs) {
      input.results.forEach((result, i) => {
        const modulus = input.moduli[i];
        if (isCsrReport(result) && modulus !== undefined && modulus !== null) keepRsaModulus(result, modulus);
      });
      await handOn(input.results, input.bytes);
    }
  }
}

/** The block handed to `thread`, with its deadline: past it the thread is stopped and the block fails. */
function fromThread(thread: AnalysisThread, block: { block: number; files: string[] }): FromThread {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const late = new Error(`the analysis thread did not answer within ${BLOCK_DEADLINE_MS / 1000} s`);
      thread.stop(late);
      reject(late);
    }, BLOCK_DEADLINE_MS);
  });
  const entry: FromThread = { inputs: Promise.race([thread.analyse(block), deadline]), settled: false };
  entry.inputs
    .then(
      () => undefined,
      () => undefined,
    )
    .finally(() => {
      entry.settled = true;
      clearTimeout(timer);
    });
  return entry;
}

/** One block's inputs analysed on this thread. */
async function analyseBlockHere(
  files: string[],
  io: CliIo,
  stdin: { data?: Buffer },
  verifier: SignatureVerifier,
): Promise<ThreadInput[]> {
  const inputs: ThreadInput[] = [];
  for (const file of files) {
    const name = file === '-' ? '<stdin>' : file;
    const input = await readInput(file, io, stdin);
    inputs.push(
      input instanceof Uint8Array
        ? { results: await analyseCsrTextAsync(verifier, input, name), moduli: [], bytes: input }
        : { results: [unreadableResult(name, input)], moduli: [], bytes: null },
    );
  }
  return inputs;
}
