// An analysis thread of check and inspect over many files (dist/cli-analysis-thread.js, started by
// analysis-threads.ts): reads and analyses each block of files the main thread sends, and sends
// back every file's results in the order given, with the RSA moduli (a structured clone keeps no
// WeakMap entry, and the comparison for shared primes needs them) and, when asked, the bytes read.
import { parentPort, workerData } from 'node:worker_threads';
import { analyseCsrTextWith, rsaModulusOf } from '../core/csr/analyse';
import { isCsrReport } from '../core/csr/types';
import { nodeSignatureVerifier } from '../core/csr/verify-node';
import { THREAD_READY, type ThreadBlock, type ThreadInput, type ThreadSetup } from './analysis-threads';
import { readInputFile, unreadableResult } from './read-input';

const setup = workerData as ThreadSetup;

function analyseOne(file: string): { input: ThreadInput; transfer: ArrayBuffer | null } {
  const bytes = readInputFile(file, setup.cwd);
  if (!(bytes instanceof Uint8Array)) {
    return { input: { results: [unreadableResult(file, bytes)], moduli: [null], bytes: null }, transfer: null };
  }
  const results = analyseCsrTextWith(nodeSignatureVerifier, bytes, file);
  const moduli = results.map((result) => (isCsrReport(result) ? rsaModulusOf(result) : null));
  if (!setup.withBytes) return { input: { results, moduli, bytes: null }, transfer: null };
  // A copy of its own: a small Buffer is a view of Node's shared pool, which must not be moved.
  const own = new Uint8Array(bytes);
  return { input: { results, moduli, bytes: own }, transfer: own.buffer };
}

parentPort?.on('message', (block: ThreadBlock) => {
  const inputs: ThreadInput[] = [];
  const transfer: ArrayBuffer[] = [];
  for (const file of block.files) {
    const one = analyseOne(file);
    inputs.push(one.input);
    if (one.transfer !== null) transfer.push(one.transfer);
  }
  parentPort?.postMessage({ block: block.block, inputs }, transfer);
});
parentPort?.postMessage(THREAD_READY);
