// Preloaded (node --import) into a sectigo-csr process by the scale tests and bench:bulk: the
// process's clock runs SECTIGO_FAST_CLOCK times faster (performance.now, setTimeout, setInterval),
// so `--rate 100`, the command line's documented ceiling, starts up to 100 × that many calls per
// real second while the code under test is unchanged (main's build runs under it the same way).
// With SECTIGO_RSS_REPORT=FILE it writes the process's peak resident memory and CPU time there at exit.
import { writeFileSync } from 'node:fs';

const factor = Number(process.env.SECTIGO_FAST_CLOCK ?? '1');
if (Number.isFinite(factor) && factor > 1) {
  const realNow = performance.now.bind(performance);
  const start = realNow();
  performance.now = () => start + (realNow() - start) * factor;
  const realSetTimeout = globalThis.setTimeout;
  const realSetInterval = globalThis.setInterval;
  globalThis.setTimeout = (callback, ms, ...args) =>
    realSetTimeout(callback, Math.max(0, Number(ms) || 0) / factor, ...args);
  globalThis.setInterval = (callback, ms, ...args) =>
    realSetInterval(callback, Math.max(1, (Number(ms) || 0) / factor), ...args);
}

const report = process.env.SECTIGO_RSS_REPORT;
if (report) {
  process.on('exit', () => {
    // maxRSS is in kilobytes: the high-water mark of the whole process, native memory included.
    const usage = process.resourceUsage();
    // CPU time as well as peak memory: on a shared machine the wall clock says more about the neighbours.
    writeFileSync(
      report,
      JSON.stringify({ maxRssBytes: usage.maxRSS * 1024, cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000 }),
    );
  });
}
