// Threads that read and analyse request files beside the main thread, for check and inspect over
// many files: the main thread hands each a block of files at a time, analyses blocks itself while
// it waits, and alone writes the output, in the order the files were given. One thread per core
// besides the main thread's, at most MAX_ANALYSIS_THREADS; SECTIGO_CSR_THREADS sets the count
// (0: none). A thread that fails or stops answering is stopped, and its blocks are analysed on the
// main thread: threads only ever save time.
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { CsrAnalysisResult } from '../core/csr/types';

/** What a thread is started with. */
export interface ThreadSetup {
  /** What relative file names are relative to. */
  cwd: string;
  /** Whether the bytes read come back (the SARIF and GitLab reports show the request's text). */
  withBytes: boolean;
}

/** One block of files to read and analyse. */
export interface ThreadBlock {
  block: number;
  files: string[];
}

/** One file's outcome: its results, their RSA moduli (null where none) and, when asked, its bytes. */
export interface ThreadInput {
  results: CsrAnalysisResult[];
  moduli: (bigint | null)[];
  bytes: Uint8Array | null;
}

interface ThreadReply {
  block: number;
  inputs: ThreadInput[];
}

/** What a thread posts once its bundle is loaded: from then on it is handed blocks. */
export const THREAD_READY = 'ready';

/** Blocks a thread is given at once: one to analyse while the reply to the other crosses. */
export const BLOCKS_PER_THREAD = 2;
/**
 * Fewer files than this are analysed on the main thread alone. A thread is ready about 50 ms after
 * it is started and analyses its first blocks with cold code, and on one thread the thread pool
 * already checks signatures beside the analysis: measured on 2 cores (inspect --json, medians of 9
 * interleaved runs), a thread made 512 files 6 % slower, 640 even, 768 files 8 % faster, 1,000
 * files 5 % and 10,000 files 13 %.
 */
export const MIN_FILES_FOR_THREADS = 768;
/** At most this many threads besides the main one: past it the main thread, writing the output, is the limit. */
export const MAX_ANALYSIS_THREADS = 3;

/** The thread's bundle, beside the command line's (dist/); absent when the command runs from its sources (the tests). */
function threadBundle(): string | null {
  const file = join(__dirname, 'cli-analysis-thread.js');
  return existsSync(file) ? file : null;
}

/** How many analysis threads a run over `fileCount` files gets: none for a few files or on one core. */
function analysisThreadCount(fileCount: number, env: Record<string, string | undefined>): number {
  const asked = env.SECTIGO_CSR_THREADS;
  if (asked !== undefined && /^\d{1,2}$/.test(asked.trim()))
    return Math.min(Number(asked.trim()), MAX_ANALYSIS_THREADS);
  if (fileCount < MIN_FILES_FOR_THREADS) return 0;
  return Math.max(0, Math.min(MAX_ANALYSIS_THREADS, availableParallelism() - 1));
}

/** What the scheduler hears from a thread: it can take a block (ready, or a reply came back), or it failed. */
export interface ThreadEvents {
  free(thread: AnalysisThread): void;
  failed(thread: AnalysisThread, error: Error): void;
}

/**
 * One analysis thread and the blocks it holds. Past its first block (handed at the start, which
 * waits for it) it is free for more only once it says it is ready (its bundle loaded): until then
 * the main thread does the work ahead.
 */
export class AnalysisThread {
  private readonly worker: Worker;
  private readonly waiting = new Map<number, { resolve(inputs: ThreadInput[]): void; reject(error: Error): void }>();
  private failure: Error | undefined;
  private ready = false;
  private stopping = false;

  private constructor(file: string, setup: ThreadSetup, events: ThreadEvents) {
    this.worker = new Worker(file, { workerData: setup });
    this.worker.on('message', (reply: ThreadReply | typeof THREAD_READY) => {
      if (reply === THREAD_READY) this.ready = true;
      else {
        const waiter = this.waiting.get(reply.block);
        this.waiting.delete(reply.block);
        waiter?.resolve(reply.inputs);
      }
      if (this.free) events.free(this);
    });
    const failed = (error: Error): void => {
      if (this.stopping || this.failure !== undefined) return;
      this.fail(error);
      events.failed(this, error);
    };
    this.worker.on('error', failed);
    this.worker.on('messageerror', failed);
    this.worker.on('exit', (code) => failed(new Error(`the analysis thread stopped (exit code ${code})`)));
  }

  /** The threads a run over `fileCount` files gets: none for a few files, on one core or without their bundle. */
  static start(
    fileCount: number,
    env: Record<string, string | undefined>,
    setup: ThreadSetup,
    events: ThreadEvents,
  ): AnalysisThread[] {
    const count = analysisThreadCount(fileCount, env);
    const file = count > 0 ? threadBundle() : null;
    if (file === null) return [];
    const threads: AnalysisThread[] = [];
    for (let i = 0; i < count; i += 1) {
      try {
        threads.push(new AnalysisThread(file, setup, events));
      } catch {
        // No thread could be made (resources): the main thread does the work.
        break;
      }
    }
    return threads;
  }

  /** Whether it can take another block now. */
  get free(): boolean {
    return this.ready && this.failure === undefined && this.waiting.size < BLOCKS_PER_THREAD;
  }

  /** The block's inputs, in order; rejects when the thread fails. */
  analyse(block: ThreadBlock): Promise<ThreadInput[]> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.waiting.set(block.block, { resolve, reject });
      this.worker.postMessage(block);
    });
  }

  /** Stops the thread, failing what it still holds (a late reply is no longer waited for). */
  stop(reason = new Error('the analysis thread was stopped')): void {
    this.stopping = true;
    this.fail(reason);
    void this.worker.terminate();
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const waiter of this.waiting.values()) waiter.reject(this.failure);
    this.waiting.clear();
  }
}
