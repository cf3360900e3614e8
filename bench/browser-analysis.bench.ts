// npm run bench:browser: the CSR analysis in the browser build against Node, on the same
// requests: the browser build's analysis (bundled with scripts/browser-build.mjs's options: no
// Node built-in) runs in a web worker of Debian's headless Chromium, as the web worker extension host
// runs it; Node runs the same module. Median per request, the ratio (aim: at most 3x), then the
// size of the browser entry as shipped (minified, aim: at most 300 KiB) and of its lazy chunk.
//
// The worker runs twice: in a secure context (a page from a loopback server: crypto.subtle is
// there, as in vscode.dev or a code-server on https:// or localhost) and in an insecure one
// (about:blank: no crypto.subtle, as a code-server on plain http:// from another host), where
// every signature goes through the JavaScript fallbacks. Each time beside the same worker built
// from another git ref's src/ (`-- --baseline REF`; default the last tag, else the merge base with
// main), the two interleaved pass by pass in one page, so a change is measured against a baseline
// that shared the machine with it. Prints figures only.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { launchChromium } from '../scripts/vscode/browser';
import { browserBuildOptions } from '../scripts/browser-build.mjs';
import { resolveBaselineRef } from '../scripts/vscode/baseline-build';
import { sourcesAt } from './sources-at';
import { makeCsrPem } from '../test/fake-sectigo/csrs';
import * as nodeCore from '../src/core/csr/index';
import { blockByBlock, timeAnalysis, type AnalysisTiming } from './analysis-timing';

/** One timing in the worker, and whether that worker had crypto.subtle. */
type BrowserTiming = AnalysisTiming & { webCrypto: boolean };

type Row = 'whole' | 'editor' | 'file';
const ROWS: Row[] = ['whole', 'editor', 'file'];
/** Per worker and way of analysing: the timings of each pass. */
type Runs = Record<Row, BrowserTiming[]>;

const root = join(__dirname, '..');
/** Rounds of every request in one timing, after its warm-up round. */
const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
/** Timings of each worker and way, interleaved: the two builds alternate timing by timing. */
const passes = Number(process.env.BENCH_PASSES ?? 15);
const baselineFlag = process.argv.indexOf('--baseline');
const requestedBaseline = baselineFlag >= 0 ? process.argv[baselineFlag + 1] : undefined;

async function workerCode(plugins: esbuild.Plugin[]): Promise<string> {
  const options = browserBuildOptions({ production: true });
  const worker = await esbuild.build({
    ...options,
    entryPoints: [join(root, 'bench', 'browser-analysis-worker.ts')],
    outdir: undefined,
    format: 'iife',
    write: false,
    sourcemap: false,
    legalComments: 'none',
    absWorkingDir: root,
    plugins: [...(options.plugins ?? []), ...plugins],
  });
  return worker.outputFiles?.[0]?.text ?? '';
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
};

async function main(): Promise<void> {
  // The requests a repository of S/MIME requests holds: mostly RSA, some EC.
  const requests: string[] = [];
  for (let i = 0; i < 6; i += 1) requests.push(await makeCsrPem({ kind: 'rsa', bits: 2048 }, `rsa${i}@example.com`));
  for (let i = 0; i < 2; i += 1) requests.push(await makeCsrPem({ kind: 'rsa', bits: 3072 }, `big${i}@example.com`));
  for (let i = 0; i < 2; i += 1) requests.push(await makeCsrPem({ kind: 'ec', curve: 'P-256' }, `ec${i}@example.com`));
  requests.push(await makeCsrPem({ kind: 'ec', curve: 'P-384' }, 'ec384@example.com'));

  // The same requests as one file, as a repository keeps them: the editor analyses its blocks in turn.
  const file = requests.join('\n');

  const baseline = resolveBaselineRef(requestedBaseline);
  process.stderr.write(`[bench:browser] baseline: ${baseline.label}: ${baseline.subject}\n`);
  const codes = [await workerCode([]), await workerCode([sourcesAt(root, baseline.commit)])];

  // A loopback origin is a secure context: the page's workers have crypto.subtle. Cross-origin
  // isolated too, as vscode.dev is: its clock ticks in 5 µs, not 100 µs (a round of 11 requests
  // takes about 2 ms, so 100 µs steps would be 5% of it).
  const server = createServer((_, response) => {
    response.writeHead(200, {
      'content-type': 'text/html',
      'cross-origin-opener-policy': 'same-origin',
      'cross-origin-embedder-policy': 'require-corp',
    });
    response.end('<!doctype html><title>bench</title>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const secureUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;

  const browser = await launchChromium();
  const contexts: Array<{ label: string; secure: boolean; runs: Runs[] }> = [
    {
      label: 'with WebCrypto (a secure context: vscode.dev, code-server on https:// or localhost)',
      secure: true,
      runs: [],
    },
    {
      label: 'without WebCrypto (an insecure context: code-server on plain http:// from another host)',
      secure: false,
      runs: [],
    },
  ];
  // Node the same ways, timed between the browser's timings (never at the same time), so that all
  // three share the same moments of a shared machine.
  const nodeYield = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
  const editorInNode = blockByBlock(nodeCore, nodeYield);
  const nodeWays: Record<Row, () => Promise<AnalysisTiming>> = {
    whole: () => timeAnalysis(nodeCore.analyseCsrText, requests, rounds),
    editor: () => timeAnalysis(editorInNode, requests, rounds),
    file: () => timeAnalysis(editorInNode, [file], rounds, requests.length),
  };
  const nodeRuns: Record<Row, AnalysisTiming[]> = { whole: [], editor: [], file: [] };
  try {
    for (const context of contexts) {
      const page = await browser.newPage();
      if (context.secure) await page.goto(secureUrl);
      await page.evaluate(
        ({ codes, requests, file }) => {
          const scope = globalThis as unknown as { bench: { workers: Worker[]; requests: string[]; file: string } };
          const workers = codes.map(
            (code) => new Worker(URL.createObjectURL(new Blob([code], { type: 'text/javascript' }))),
          );
          scope.bench = { workers, requests, file };
        },
        { codes, requests, file },
      );
      context.runs = codes.map(() => ({ whole: [], editor: [], file: [] }));
      // One timing at a time, the builds' order swapped each pass: neither always runs first or warmer.
      for (let pass = 0; pass < passes; pass += 1) {
        for (const row of ROWS) {
          for (const index of pass % 2 === 0 ? [0, 1] : [1, 0]) {
            // (No named function in here: the bundler's name helper does not exist in the page.)
            const answer = await page.evaluate(
              ({ index, row, rounds }) => {
                const { bench } = globalThis as unknown as {
                  bench: { workers: Worker[]; requests: string[]; file: string };
                };
                const worker = bench.workers[index] as Worker;
                return new Promise<BrowserTiming | { error: string }>((resolve) => {
                  worker.onmessage = (event) => resolve(event.data);
                  worker.postMessage({ requests: bench.requests, file: bench.file, rounds, row });
                });
              },
              { index, row, rounds },
            );
            if ('error' in answer) throw new Error(answer.error);
            context.runs[index]?.[row].push(answer);
          }
          nodeRuns[row].push(await nodeWays[row]());
        }
      }
      await page.close();
      const hadWebCrypto = context.runs.flatMap((runs) => ROWS.flatMap((row) => runs[row].map((run) => run.webCrypto)));
      if (hadWebCrypto.some((had) => had !== context.secure))
        throw new Error(`expected crypto.subtle ${context.secure ? 'in' : 'not in'} the worker of ${context.label}`);
    }
  } finally {
    await browser.close();
    server.close();
  }
  const node = Object.fromEntries(ROWS.map((row) => [row, median(nodeRuns[row].map((run) => run.medianMs))])) as Record<
    Row,
    number
  >;
  const inNode = nodeRuns.whole[0] as AnalysisTiming;

  const browserTimings = contexts.flatMap((context) =>
    context.runs.flatMap((runs) => ROWS.flatMap((row) => runs[row])),
  );
  const same = [...browserTimings, ...ROWS.flatMap((row) => nodeRuns[row])].every(
    (timing) =>
      timing.verdicts.length === inNode.verdicts.length &&
      inNode.verdicts.every((verdict, i) => verdict === timing.verdicts[i]),
  );
  const out = process.stdout;
  const labels: Record<Row, string> = {
    whole: 'whole text (analyseCsrText)',
    editor: "block by block (the editor's way)",
    file: 'one file of all, block by block',
  };
  const shortCommit = baseline.commit.slice(0, 7);
  out.write(
    `CSR analysis per request, ${requests.length} requests (RSA 2048/3072, EC P-256/P-384): the median of ${passes} timings, each the median of ${rounds} rounds; Node timed between the browser's timings\n`,
  );
  out.write(
    `Baseline ${baseline.label}: ${baseline.subject.length > 90 ? `${baseline.subject.slice(0, 89)}…` : baseline.subject}\n` +
      `  (src/ as at ${shortCommit}, the same worker otherwise), timed in turn with this tree in the same page\n`,
  );
  for (const context of contexts) {
    out.write(`\nChromium worker ${context.label}\n`);
    for (const row of ROWS) {
      const [ours, theirs] = context.runs.map((runs) => median(runs[row].map((run) => run.medianMs))) as [
        number,
        number,
      ];
      out.write(
        `  ${labels[row].padEnd(34)} Node ${node[row].toFixed(3)} ms   this tree ${ours.toFixed(3)} ms ` +
          `(${(ours / node[row]).toFixed(2)}x Node; aim: at most 3x)   baseline ${theirs.toFixed(3)} ms ` +
          `(${(theirs / node[row]).toFixed(2)}x)   this / baseline ${(ours / theirs).toFixed(2)}x\n`,
      );
    }
  }
  out.write(
    `  signature verdicts equal           ${same ? 'yes (Node, both builds, both contexts)' : `NO: node ${JSON.stringify(inNode.verdicts)}`}\n`,
  );

  // The browser entry as the .vsix ships it (the production build), beside the Node entry's.
  const bytesOf = async (build: esbuild.BuildOptions, name: string): Promise<number> =>
    (await esbuild.build({ ...build, absWorkingDir: root, write: false })).outputFiles?.find((file) =>
      file.path.endsWith(name),
    )?.contents.length ?? 0;
  const options = browserBuildOptions({ production: true });
  const browserBytes = await bytesOf(options, 'browser.js');
  const chunkBytes = await bytesOf(options, 'browser-csr-new.js');
  const nodeBytes = await bytesOf(
    {
      ...options,
      platform: 'node',
      target: 'node20',
      entryPoints: { extension: 'src/extension.ts' },
      plugins: [],
    },
    'extension.js',
  );
  out.write(`\nBundles, minified\n`);
  out.write(
    `  dist/browser.js           ${(browserBytes / 1024).toFixed(1)} KiB (the browser entry with the analysis; aim: at most 300 KiB)\n`,
  );
  out.write(
    `  dist/browser-csr-new.js   ${(chunkBytes / 1024).toFixed(1)} KiB (its lazy chunk, read on the first New CSR: the key generator, @peculiar/x509)\n`,
  );
  out.write(
    `  dist/extension.js         ${(nodeBytes / 1024).toFixed(1)} KiB (the Node entry; its generator and worker are separate files)\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
