// Where the time to the first CodeLens on the benchmark's file of 500 requests goes, seen from
// both ends of the wire, one window at a time: what the extension host saw (the probe's marks:
// the document opened, its editor shown, VS Code asking for lenses, Problems changed) and what
// the page did (the messages it sent and received, by RPC method, and the first lens drawn),
// on one clock. With --profile, also a CPU profile of the page (the workbench's renderer) from
// opening to the first lens, named through the workbench's source map. The subjects are the
// benchmark's empty extension (the floor), variants of it that cost the extension host or the
// page one thing each (a busy extension host on open, this extension's grammar), and this
// build, interleaved.
//   node --import tsx scripts/vscode/lens-timeline.ts [--windows N] [--subjects a,b] [--open workbench] [--settle MS] [--profile]
// Subjects: floor, floor+busy (300 ms of work on opening), floor+grammar (this extension's
// language and grammar), floor+empty-grammar (the language with a grammar of no rules), ours (the
// development build of the working tree). Prints figures only.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CDPSession, Page } from 'playwright-core';
import { manyRequestsFile } from '../../bench/many-requests';
import {
  MARK_GLOBAL,
  PROBE_CONFIG_NAME,
  settleFlag,
  type ActivationSample,
  type ProbeConfig,
} from './activation-probe-config';
import { codeServerCacheDir, onInterrupt, repoRoot, type RunningCodeServer } from './code-server';
import { runInExtensionHost } from './extension-host';
import { PROBE_CSR_NAME, buildProbe, startProbeServer } from './probe-windows';

function flag(name: string): string | undefined {
  const at = process.argv.indexOf(name);
  return at === -1 ? undefined : process.argv[at + 1];
}
const windows = Number(flag('--windows') ?? 3) || 3;
const wanted = (flag('--subjects') ?? 'floor,floor+busy,floor+grammar,ours').split(',');
const openFrom = flag('--open') === 'workbench' ? 'workbench' : 'extension';
const settleMs = settleFlag(process.argv);
const profilePage = process.argv.includes('--profile');
/** The page's profiler samples every this many microseconds. */
const INTERVAL_US = 200;
/** How long the page may take to draw its first lens. */
const LENS_WAIT_MS = 30_000;
/** How long the extension host of the busy floor works when the document opens. */
const BUSY_MS = 300;
/** The workbench's source map, to name the frames of its minified bundle. */
const WORKBENCH_MAP = join(
  codeServerCacheDir,
  'node_modules/code-server/lib/vscode/out/vs/code/browser/workbench/workbench.js.map',
);
/** The source map is about 54 MB; anything far larger is not it. */
const MAX_MAP_BYTES = 256 * 1024 * 1024;

/**
 * Runs in the page before the workbench: marks the first lens drawn, and every message to and
 * from the extension host by the RPC methods named in it (a reply names none: its size shows).
 */
const PAGE_SCRIPT = `(() => {
  window.__marks = [];
  const mark = (name, at = Date.now()) => window.__marks.push([name, at]);
  const observer = new MutationObserver(() => {
    for (const link of document.querySelectorAll('.codelens-decoration a')) {
      if (link.textContent.trim() === '') continue;
      mark('page:first lens drawn');
      window.__sectigoCodeLensDrawn(Date.now());
      observer.disconnect();
      return;
    }
  });
  observer.observe(document, { childList: true, subtree: true, characterData: true });
  const methods = (bytes) => [...new Set(new TextDecoder('latin1').decode(bytes).match(/[$][a-zA-Z]{4,}/g) ?? [])].join(',');
  const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (data) {
    const bytes = data instanceof ArrayBuffer ? new Uint8Array(data) : ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : undefined;
    if (bytes !== undefined && bytes.length > 13) mark('page:sent ' + methods(bytes.subarray(0, 4000)) + ' (' + bytes.length + ' bytes)');
    return send.call(this, data);
  };
  const listen = WebSocket.prototype.addEventListener;
  WebSocket.prototype.addEventListener = function (type, listener, options) {
    if (type !== 'message') return listen.call(this, type, listener, options);
    return listen.call(this, type, (event) => {
      const data = event.data;
      if (data instanceof Blob && data.size > 13) {
        const at = Date.now();
        void data.slice(0, 4000).arrayBuffer().then((buffer) => mark('page:received ' + methods(new Uint8Array(buffer)) + ' (' + data.size + ' bytes)', at));
      }
      return typeof listener === 'function' ? listener.call(this, event) : listener.handleEvent(event);
    }, options);
  };
})();`;

interface CallFrame {
  readonly functionName: string;
  readonly url: string;
  readonly lineNumber: number;
  readonly columnNumber: number;
}
interface CpuProfile {
  readonly nodes: readonly { readonly id: number; readonly callFrame: CallFrame; readonly children?: number[] }[];
  readonly startTime: number;
  readonly endTime: number;
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** The bench's empty extension (one lens at once), with BUSY_MS of work on opening, or with this extension's grammar. */
function floorExtension(dir: string, variant: 'plain' | 'busy' | 'grammar' | 'empty-grammar'): string {
  mkdirSync(join(dir, 'syntaxes'), { recursive: true });
  const ours = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
    contributes: { languages: { icon?: unknown }[]; grammars: unknown[] };
  };
  let contributes = {};
  if (variant === 'grammar' || variant === 'empty-grammar') {
    if (variant === 'grammar')
      copyFileSync(
        join(repoRoot, 'syntaxes', 'pkcs10.tmLanguage.json'),
        join(dir, 'syntaxes', 'pkcs10.tmLanguage.json'),
      );
    else
      writeFileSync(
        join(dir, 'syntaxes', 'pkcs10.tmLanguage.json'),
        JSON.stringify({ scopeName: 'source.pkcs10', patterns: [] }),
      );
    copyFileSync(join(repoRoot, 'language-configuration.json'), join(dir, 'language-configuration.json'));
    contributes = {
      languages: ours.contributes.languages.map(({ icon: _icon, ...language }) => language),
      grammars: ours.contributes.grammars,
    };
  }
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({
      name: `floor-${variant}`,
      publisher: 'bench',
      version: '0.0.0',
      engines: { vscode: '^1.100.0' },
      main: './extension.js',
      activationEvents: [],
      contributes,
    }),
  );
  const busy = variant === 'busy' ? BUSY_MS : 0;
  writeFileSync(
    join(dir, 'extension.js'),
    [
      "const vscode = require('vscode');",
      `const mark = (name) => globalThis.${MARK_GLOBAL}?.(name);`,
      'exports.activate = function (context) {',
      `  context.subscriptions.push(vscode.workspace.onDidOpenTextDocument(() => { const until = Date.now() + ${busy}; while (Date.now() < until); if (${busy} > 0) mark('host:busy until now'); }));`,
      "  const lens = () => [new vscode.CodeLens(new vscode.Range(0, 0, 0, 0), { title: 'floor', command: 'bench.floor' })];",
      "  context.subscriptions.push(vscode.commands.registerCommand('bench.floor', () => undefined),",
      "    vscode.languages.registerCodeLensProvider({ pattern: '**/*.csr' }, { provideCodeLenses: lens }));",
      '};',
      '',
    ].join('\n'),
  );
  return dir;
}

/** Self and inclusive time per function (named through the source map) over a span of the page's profile. */
function pageShares(profile: CpuProfile, fromUs: number, toUs: number, name: (frame: CallFrame) => string) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let busy = 0;
  let time = profile.startTime;
  profile.samples.forEach((id, index) => {
    const delta = profile.timeDeltas[index] ?? 0;
    time += delta;
    if (time < fromUs || time > toUs) return;
    const leaf = byId.get(id);
    if (leaf !== undefined) self.set(name(leaf.callFrame), (self.get(name(leaf.callFrame)) ?? 0) + delta);
    if (leaf?.callFrame.functionName !== '(idle)') busy += delta;
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frame = byId.get(at)?.callFrame;
      if (frame === undefined || seen.has(name(frame))) continue;
      seen.add(name(frame));
      inclusive.set(name(frame), (inclusive.get(name(frame)) ?? 0) + delta);
    }
  });
  return { self, inclusive, busyMs: busy / 1000 };
}

function add(into: Map<string, number>, from: Map<string, number>): void {
  for (const [key, value] of from) into.set(key, (into.get(key) ?? 0) + value);
}

function top(map: Map<string, number>, rows: number, count: number): string {
  return [...map]
    .sort((a, b) => b[1] - a[1])
    .slice(0, rows)
    .map(([name, us]) => `    ${(us / 1000 / count).toFixed(1).padStart(8)} ms  ${name}`)
    .join('\n');
}

async function main(): Promise<void> {
  if (wanted.includes('ours')) {
    const built = spawnSync('npm', ['run', '--silent', 'build'], { cwd: repoRoot, stdio: ['ignore', 2, 2] });
    if (built.status !== 0) throw new Error('npm run build failed');
  }
  let frameName = (frame: CallFrame): string =>
    `${frame.functionName || '(anonymous)'} ${frame.url.replace(/^.*\//, '')}:${frame.lineNumber + 1}`;
  if (profilePage && existsSync(WORKBENCH_MAP) && readFileSync(WORKBENCH_MAP).length < MAX_MAP_BYTES) {
    const map = new SourceMap(JSON.parse(readFileSync(WORKBENCH_MAP, 'utf8')));
    const plain = frameName;
    const named = new Map<string, string>();
    frameName = (frame) => {
      if (!frame.url.endsWith('/workbench.js')) return plain(frame);
      const key = `${frame.lineNumber}:${frame.columnNumber}`;
      let found = named.get(key);
      if (found === undefined) {
        const entry = map.findEntry(frame.lineNumber, frame.columnNumber) as {
          originalSource?: string;
          originalLine?: number;
          name?: string;
        };
        found = `${entry.name ?? frame.functionName} ${(entry.originalSource ?? '?').replace(/^.*\/src\/vs\//, '')}:${(entry.originalLine ?? 0) + 1}`;
        named.set(key, found);
      }
      return found;
    };
  }
  const scratch = mkdtempSync(join(tmpdir(), 'sectigo-timeline-'));
  const probe = await buildProbe(scratch);
  const many = manyRequestsFile();
  const all = [
    { label: 'floor', id: 'bench.floor-plain', path: () => floorExtension(join(scratch, 'floor'), 'plain') },
    { label: 'floor+busy', id: 'bench.floor-busy', path: () => floorExtension(join(scratch, 'busy'), 'busy') },
    {
      label: 'floor+grammar',
      id: 'bench.floor-grammar',
      path: () => floorExtension(join(scratch, 'grammar'), 'grammar'),
    },
    {
      label: 'floor+empty-grammar',
      id: 'bench.floor-empty-grammar',
      path: () => floorExtension(join(scratch, 'empty-grammar'), 'empty-grammar'),
    },
    { label: 'ours', id: 'sectigo-csr-tools.sectigo-csr-tools', path: () => repoRoot },
  ];
  const subjects = all
    .filter((subject) => wanted.includes(subject.label))
    .map((subject, index) => ({
      ...subject,
      path: subject.path(),
      workspace: join(scratch, `workspace-${index}`),
      server: undefined as RunningCodeServer | undefined,
      drawn: [] as number[],
      asked: [] as number[],
      answered: [] as number[],
      self: new Map<string, number>(),
      inclusive: new Map<string, number>(),
      busy: [] as number[],
      profiled: 0,
    }));
  if (subjects.length === 0) throw new Error(`no subject among ${wanted.join(', ')}`);
  const cleanup = async (): Promise<void> => {
    for (const subject of subjects) await subject.server?.close();
    rmSync(scratch, { recursive: true, force: true });
  };
  const stopListening = onInterrupt(cleanup);
  try {
    for (const subject of subjects) subject.server = await startProbeServer(subject.workspace, many.text);
    const reportFile = join(scratch, 'sample.json');
    const releaseFile = join(scratch, 'release');
    const codeLensFile = join(scratch, 'codelens-drawn');
    for (let round = 0; round <= windows; round += 1) {
      for (let turn = 0; turn < subjects.length; turn += 1) {
        const subject = subjects[(round + turn) % subjects.length] as (typeof subjects)[number];
        const config: ProbeConfig = {
          reportFile,
          extensionId: subject.id,
          releaseFile,
          codeLensFile,
          timeline: true,
          csr: {
            file: join(subject.workspace, PROBE_CSR_NAME),
            keystrokeLine: many.middleBodyLine,
            openFrom,
            settleMs,
            ...(subject.label === 'ours' ? {} : { problems: false }),
          },
        };
        writeFileSync(join(scratch, 'probe', PROBE_CONFIG_NAME), JSON.stringify(config));
        rmSync(releaseFile, { force: true });
        rmSync(codeLensFile, { force: true });
        let cdp: CDPSession | undefined;
        let pageMarks: [string, number][] = [];
        let profile: CpuProfile | undefined;
        let stoppedAt = 0;
        const { report } = await runInExtensionHost<ActivationSample>({
          server: subject.server as RunningCodeServer,
          extensionDevelopmentPaths: [subject.path],
          extensionTestsPath: probe,
          workspace: subject.workspace,
          reportFile,
          timeoutMs: 180_000,
          preparePage: async (page: Page) => {
            await page.exposeFunction('__sectigoCodeLensDrawn', (at: number) =>
              writeFileSync(codeLensFile, String(at)),
            );
            await page.addInitScript(PAGE_SCRIPT);
            if (profilePage)
              page.once('load', () => {
                void (async () => {
                  cdp = await page.context().newCDPSession(page);
                  await cdp.send('Profiler.enable');
                  await cdp.send('Profiler.setSamplingInterval', { interval: INTERVAL_US });
                  await cdp.send('Profiler.start');
                })();
              });
          },
          beforeClose: async (page: Page) => {
            await page
              .waitForFunction(
                () =>
                  (window as { __marks?: [string, number][] }).__marks?.some(([name]) => name.includes('lens drawn')),
                undefined,
                { timeout: LENS_WAIT_MS },
              )
              .catch(() => undefined);
            stoppedAt = Date.now();
            if (cdp !== undefined) profile = ((await cdp.send('Profiler.stop')) as { profile: CpuProfile }).profile;
            pageMarks = await page.evaluate(() => (window as { __marks?: [string, number][] }).__marks ?? []);
            writeFileSync(releaseFile, '');
          },
        });
        if (report.error !== undefined) throw new Error(`${subject.label}: ${report.error}`);
        const opened = report.openedAt ?? 0;
        const drawn = pageMarks.find(([name]) => name.includes('lens drawn'))?.[1];
        const lensAsked = (report.marks ?? []).find(([name]) => name.startsWith('host:lenses asked'))?.[1];
        process.stdout.write(
          `\nwindow ${round}${round === 0 ? ' (warm-up)' : ''}, ${subject.label}: opened → first lens drawn ` +
            `${drawn === undefined ? 'n/a' : `${drawn - opened} ms`}\n`,
        );
        // From opening until the lenses were asked for a second time (or a second after the first was drawn).
        const until = (drawn ?? opened) + 1000;
        const shown = [...(report.marks ?? []), ...pageMarks]
          .filter(([name, at]) => at >= opened && (at <= until || name.startsWith('host:lenses asked')))
          .filter(
            ([name]) => !/^page:(sent|received) {2}\(\d+ bytes\)$/.test(name) || Number(/\d+/.exec(name)?.[0]) > 512,
          )
          .sort((a, b) => a[1] - b[1]);
        for (const [name, at] of shown.slice(0, 60))
          process.stdout.write(`  ${String(at - opened).padStart(6)} ms  ${name}\n`);
        if (round === 0 || drawn === undefined) continue;
        subject.drawn.push(drawn - opened);
        // The page asks for lenses when VS Code's CodeLens delay (its own timer) runs out.
        const pageAsked = pageMarks.find(
          ([name]) => name.startsWith('page:sent') && name.includes('$provideCodeLenses'),
        )?.[1];
        if (pageAsked !== undefined && pageAsked <= drawn) {
          subject.asked.push(pageAsked - opened);
          subject.answered.push(drawn - pageAsked);
        }
        if (lensAsked === undefined) process.stdout.write('  (the probe saw no lens request)\n');
        if (profile !== undefined) {
          // The profile's clock ends (µs, monotonic) when Profiler.stop answered, near stoppedAt.
          const endUs = profile.endTime;
          const toUs = (at: number): number => endUs - (stoppedAt - at) * 1000;
          const shares = pageShares(profile, toUs(opened), toUs(drawn), frameName);
          add(subject.self, shares.self);
          add(subject.inclusive, shares.inclusive);
          subject.busy.push(shares.busyMs);
          subject.profiled += 1;
        }
      }
    }
    process.stdout.write(
      `\nOpened by ${openFrom === 'workbench' ? 'the workbench (vscode.open)' : 'the probe (showTextDocument)'}, ${settleMs} ms after activation; medians of ${windows} windows:\n`,
    );
    const middle = (values: readonly number[]): string => {
      const sorted = [...values].sort((a, b) => a - b);
      return `${sorted[Math.floor(sorted.length / 2)] ?? 'n/a'} ms  (${sorted.join(', ')})`;
    };
    for (const subject of subjects) {
      process.stdout.write(
        `  ${subject.label.padEnd(14)} opened → first lens drawn ${middle(subject.drawn)}\n` +
          `  ${''.padEnd(14)}   opened → the page asks for lenses ${middle(subject.asked)}\n` +
          `  ${''.padEnd(14)}   the page asks → first lens drawn ${middle(subject.answered)}\n`,
      );
    }
    const profiled = subjects.filter((each) => each.profiled > 0);
    if (profiled.length > 0) {
      // Busy time is steadier than the wall clock on a shared machine: it counts the page's own work.
      process.stdout.write(`\nThe page's main thread busy (not idle) from opening to the first lens, medians:\n`);
      for (const subject of profiled) {
        const sorted = [...subject.busy].sort((a, b) => a - b);
        process.stdout.write(
          `  ${subject.label.padEnd(14)} ${(sorted[Math.floor(sorted.length / 2)] ?? 0).toFixed(0)} ms  (${sorted.map((each) => each.toFixed(0)).join(', ')})\n`,
        );
      }
    }
    const [reference, ...others] = profiled;
    for (const subject of others) {
      if (reference === undefined) break;
      // What this subject costs the page that the first one does not, function by function.
      const difference = new Map<string, number>();
      for (const [frame, us] of subject.inclusive) {
        const more = us / subject.profiled - (reference.inclusive.get(frame) ?? 0) / reference.profiled;
        if (more > 0) difference.set(frame, more);
      }
      process.stdout.write(
        `\nInclusive time per window that ${subject.label} costs the page beyond ${reference.label}:\n${top(difference, 40, 1)}\n`,
      );
    }
    for (const subject of profiled) {
      process.stdout.write(
        `\nThe page's main thread from opening to the first lens, ${subject.label}, ms per window:\n  self time:\n${top(subject.self, 20, subject.profiled)}\n` +
          `  inclusive:\n${top(subject.inclusive, 30, subject.profiled)}\n`,
      );
    }
  } finally {
    stopListening();
    await cleanup();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`[lens-timeline] ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
