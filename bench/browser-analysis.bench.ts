// npm run bench:browser: the CSR analysis in the browser build against Node, on the same
// requests: the browser build's analysis (bundled with scripts/browser-build.mjs's options: no
// Node built-in) runs in a web worker of Debian's headless Chromium, as the web worker extension host
// runs it; Node runs the same module. Median per request, the ratio (aim: at most 3x), then the
// size of the browser entry as shipped (minified, aim: at most 300 KiB) and of its lazy chunk.
// Prints figures only.
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { launchChromium } from '../scripts/vscode/browser';
import { browserBuildOptions } from '../scripts/browser-build.mjs';
import { makeCsrPem } from '../test/fake-sectigo/csrs';
import * as nodeCore from '../src/core/csr/index';
import { blockByBlock, timeAnalysis, type AnalysisTiming } from './analysis-timing';

interface BrowserTimings {
  whole: AnalysisTiming;
  editor: AnalysisTiming;
  file: AnalysisTiming;
}

const root = join(__dirname, '..');
const rounds = Number(process.env.BENCH_ROUNDS ?? 15);

async function main(): Promise<void> {
  // The requests a repository of S/MIME requests holds: mostly RSA, some EC.
  const requests: string[] = [];
  for (let i = 0; i < 6; i += 1) requests.push(await makeCsrPem({ kind: 'rsa', bits: 2048 }, `rsa${i}@example.com`));
  for (let i = 0; i < 2; i += 1) requests.push(await makeCsrPem({ kind: 'rsa', bits: 3072 }, `big${i}@example.com`));
  for (let i = 0; i < 2; i += 1) requests.push(await makeCsrPem({ kind: 'ec', curve: 'P-256' }, `ec${i}@example.com`));
  requests.push(await makeCsrPem({ kind: 'ec', curve: 'P-384' }, 'ec384@example.com'));

  // The same requests as one file, as a repository keeps them: the editor analyses its blocks in turn.
  const file = requests.join('\n');

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
  });
  const workerCode = worker.outputFiles?.[0]?.text ?? '';

  const browser = await launchChromium();
  let inBrowser: BrowserTimings;
  try {
    const page = await browser.newPage();
    inBrowser = await page.evaluate(
      async ({ code, requests, file, rounds }) => {
        const url = URL.createObjectURL(new Blob([code], { type: 'text/javascript' }));
        const worker = new Worker(url);
        const answer = await new Promise<BrowserTimings | { error: string }>((resolve) => {
          worker.onmessage = (event) => resolve(event.data);
          worker.postMessage({ requests, file, rounds });
        });
        worker.terminate();
        if ('error' in answer) throw new Error(answer.error);
        return answer;
      },
      { code: workerCode, requests, file, rounds },
    );
  } finally {
    await browser.close();
  }
  // Node the same two ways, timed after the browser so that neither run shares the CPU with the other.
  const inNode = await timeAnalysis(nodeCore.analyseCsrText, requests, rounds);
  const nodeYield = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
  const nodeEditor = await timeAnalysis(blockByBlock(nodeCore, nodeYield), requests, rounds);
  const nodeFile = await timeAnalysis(blockByBlock(nodeCore, nodeYield), [file], rounds, requests.length);

  const same = [inBrowser.whole, inBrowser.editor, inBrowser.file, nodeEditor, nodeFile].every(
    (timing) =>
      timing.verdicts.length === inNode.verdicts.length &&
      inNode.verdicts.every((verdict, i) => verdict === timing.verdicts[i]),
  );
  const out = process.stdout;
  const row = (label: string, node: AnalysisTiming, browser: AnalysisTiming): void => {
    out.write(
      `  ${label.padEnd(34)} Node ${node.medianMs.toFixed(3)} ms   Chromium worker ${browser.medianMs.toFixed(3)} ms   ` +
        `browser / Node ${(browser.medianMs / node.medianMs).toFixed(2)}x (aim: at most 3x)\n`,
    );
  };
  out.write(
    `CSR analysis per request, ${requests.length} requests (RSA 2048/3072, EC P-256/P-384), median of ${rounds} rounds\n`,
  );
  row('whole text (analyseCsrText)', inNode, inBrowser.whole);
  row("block by block (the editor's way)", nodeEditor, inBrowser.editor);
  row('one file of all, block by block', nodeFile, inBrowser.file);
  out.write(
    `  signature verdicts equal           ${same ? 'yes' : `NO: node ${JSON.stringify(inNode.verdicts)}, browser ${JSON.stringify(inBrowser.whole.verdicts)}`}\n`,
  );

  // The browser entry as the .vsix ships it (the production build), beside the Node entry's.
  const bytesOf = async (build: esbuild.BuildOptions, name: string): Promise<number> =>
    (await esbuild.build({ ...build, absWorkingDir: root, write: false })).outputFiles?.find((file) =>
      file.path.endsWith(name),
    )?.contents.length ?? 0;
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
