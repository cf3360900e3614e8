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
import type { AnalysisThread, ThreadEvents, ThreadInput } from './analysis-threads';
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
/**
 * Blocks the main thread analyses ahead of the one it waits for, held until written: enough to
 * cover a thread's first block, which takes about ten times a warm one (its code not yet compiled).
 */
const BLOCKS_AHEAD_HERE = 8;

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
  if (files.length > 1) {
    io.batchOutput?.();
    const { AnalysisThread } = await import('./analysis-threads');
    const run = new BlockRun(files, io, handOn);
    const setup = { cwd: io.cwd, withBytes: options.withBytes === true };
    const threads = AnalysisThread.start(files.length, io.env, setup, run);
    if (threads.length > 0) {
      try {
        await run.analyse(threads);
      } finally {
        for (const thread of threads) thread.stop();
      }
      return tally;
    }
  }
  await analyseHere(files, io, handOn);
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
 * A run over the inputs in blocks of FILES_PER_BLOCK, written in order. A thread is handed its
 * first block at the start, then blocks as it can take them (once ready, at most a few at a time);
 * the main thread analyses the next block itself whenever the one it must write next is not back
 * (at most BLOCKS_AHEAD_HERE ahead), and a block whose thread failed or passed BLOCK_DEADLINE_MS
 * is analysed here instead. Standard input is read here only: a block that holds `-` is never
 * handed out.
 */
class BlockRun implements ThreadEvents {
  private readonly stdin: { data?: Buffer } = {};
  // Signatures checked at once on this thread: the thread pool's thread would take a core from the threads.
  private readonly verifier = lazyNodeVerifier({ threadPool: false, jsFirst: 0 });
  private readonly blockCount: number;
  private readonly held = new Map<number, FromThread | ThreadInput[]>();
  /** The first block neither handed out nor analysed. */
  private next = 0;
  private told = false;

  constructor(
    private readonly files: string[],
    private readonly io: CliIo,
    private readonly handOn: HandOn,
  ) {
    this.blockCount = Math.ceil(files.length / FILES_PER_BLOCK);
  }

  free(thread: AnalysisThread): void {
    while (thread.free && this.next < this.blockCount && !this.filesOf(this.next).includes('-')) {
      this.held.set(this.next, this.fromThread(thread, this.next));
      this.next += 1;
    }
  }

  /** Standard error says once that a thread failed: the run goes on, slower. */
  failed(_thread: AnalysisThread, error: Error): void {
    if (this.told) return;
    this.told = true;
    this.io.stderr(
      words`sectigo-csr: an analysis thread failed (${outside(error.message)}); its files are read and analysed on the main thread\n`,
    );
  }

  async analyse(threads: AnalysisThread[]): Promise<void> {
    // Each thread gets its first block at once, before it is ready (the message waits for it): so
    // every thread takes part however long it takes to start, while this thread works ahead.
    for (const thread of threads) {
      if (this.next >= this.blockCount || this.filesOf(this.next).includes('-')) break;
      this.held.set(this.next, this.fromThread(thread, this.next));
      this.next += 1;
    }
    let aheadHere = 0;
    for (let block = 0; block < this.blockCount; block += 1) {
      // The analysis here never waits on the event loop: a thread's word (ready, a reply) is heard here.
      await new Promise<void>((resolve) => setImmediate(resolve));
      for (const thread of threads) this.free(thread);
      let inputs = this.held.get(block);
      if (inputs === undefined) {
        this.next = Math.max(this.next, block + 1);
        inputs = await this.here(block);
      } else if (!Array.isArray(inputs)) {
        const waiting: FromThread = inputs;
        while (!waiting.settled && this.next < this.blockCount && aheadHere < BLOCKS_AHEAD_HERE) {
          const ahead = this.next;
          this.next += 1;
          this.held.set(ahead, await this.here(ahead));
          aheadHere += 1;
          await new Promise<void>((resolve) => setImmediate(resolve));
        }
        inputs = await waiting.inputs.catch(() => this.here(block));
      } else aheadHere -= 1;
      this.held.delete(block);
      for (const input of inputs) {
        input.results.forEach((result, i) => {
          const modulus = input.moduli[i];
          if (isCsrReport(result) && modulus !== undefined && modulus !== null) keepRsaModulus(result, modulus);
        });
        await this.handOn(input.results, input.bytes);
      }
    }
  }

  private filesOf(block: number): string[] {
    return this.files.slice(block * FILES_PER_BLOCK, (block + 1) * FILES_PER_BLOCK);
  }

  private here(block: number): Promise<ThreadInput[]> {
    return analyseBlockHere(this.filesOf(block), this.io, this.stdin, this.verifier);
  }

  /** The block handed to `thread`, with its deadline: past it the thread is stopped and the block fails. */
  private fromThread(thread: AnalysisThread, block: number): FromThread {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const late = new Error(`the analysis thread did not answer within ${BLOCK_DEADLINE_MS / 1000} s`);
        thread.stop(late);
        this.failed(thread, late);
        reject(late);
      }, BLOCK_DEADLINE_MS);
    });
    const entry: FromThread = {
      inputs: Promise.race([thread.analyse({ block, files: this.filesOf(block) }), deadline]),
      settled: false,
    };
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
