// `sectigo-csr revoke --from LIST`: AutoRevokeSSL for every certificate in a
// list, journalled so that running the same command again after a crash or
// Ctrl-C finishes the job without losing or repeating a target. The list is read
// as a stream and the results counted, so a 100,000-target run takes no more
// memory than a 10-target one beyond a number per target.
import { dirname, isAbsolute, resolve } from 'node:path';
import v8 from 'node:v8';
import { endpointUrl } from '../core/sectigo/call-plan';
import { createSectigoClient } from '../core/sectigo/client';
import { joinText, outside, words } from '../core/outside-text';
import { validateCodeReason, validateRevocationReason } from '../core/sectigo/validate';
import type { RevocationCode, SectigoApi } from '../core/sectigo/types';
import { isCertificateRefusal, readCertificateFile } from '../core/certificate-file';
import type { JournalRunFacts } from '../core/sectigo/bulk/journal';
import {
  BULK_DEFAULTS,
  JournalRefusal,
  runJournalledRevocation,
  type BulkRunReporter,
} from '../core/sectigo/bulk/journalled-run';
import { ListFile, ListFileRefusal, checkList, listTargets, type CheckedList } from '../core/sectigo/bulk/list-file';
import { formatSummary, summaryVerdict } from '../core/sectigo/bulk/summary';
import { MAX_LIST_BYTES, revokeParamsFor } from '../core/sectigo/bulk/targets';
import { listProblemsText, outcomeLine, previewLines, progressLine, refusalText } from './bulk-revoke-text';
import { ExitCode, type CliIo } from './io';
import {
  COMMON_FLAGS_HELP,
  REVOCATION_CODES_TEXT,
  UsageError,
  clientOptionsFrom,
  credentialsFromEnv,
  parseFlags,
  readInputFile,
  resolvePath,
  runVerb,
  stringFlag,
  jsonOutput,
  type FlagValues,
} from './api-common';

/**
 * V8's heap rules for a bulk run, which lives on ~20 MB while the HTTP client and the redaction of
 * every answer make garbage at the call rate. By default V8 lets the old space grow three or four
 * times past what a collection left alive and the young space grow to 32 MB, which put a 10,000-
 * target run at 159 MB of peak memory and a 100,000-target one at 160-190 MB on a busy machine.
 * With the old space growing at most 20% past what is alive and the young space kept at its first
 * size, 10,000 and 40,000 targets peaked at 137-141 MB for the same CPU time (bench:bulk has
 * 100,000). V8 reads both flags as it collects, so they can be set once the process runs; they
 * change when collections happen, nothing else. (--optimize-for-size saved a little more for a
 * third more CPU: not taken.) Only the command line sets them: the extension host is shared with
 * other extensions.
 */
const BULK_V8_FLAGS = ['--heap-growing-percent=20', '--semi-space-growth-factor=1'];

/** The client keeps at most 8 connections; more workers would only queue behind them. */
const MAX_CONCURRENCY = 8;
const MAX_RATE = 100;
const MAX_LIMIT_WAIT_SECONDS = 3600;
/** A terminal's progress line is redrawn at most this often. */
const PROGRESS_REDRAW_MS = 200;
/** Into a pipe or a file (a CI log), a progress line of its own this often, so a long run shows it is alive. */
const PLAIN_PROGRESS_EVERY_MS = 30_000;

const usage = words`Usage: sectigo-csr revoke --from LIST --reason TEXT [options]
Revokes every certificate in LIST (AutoRevokeSSL), journalled: run the same command again to resume.
  --from LIST            one target per line: a bare number (order number), order:N, serial:HEX,
                         certificate-id:N or certificate:PATH (path relative to the list); # comments.
                         Or a CSV with a header naming orderNumber, serialNumber or certificateID, and
                         optional revocationReason and codeReason columns (they override the flags).
  --reason TEXT          why (required unless every CSV row has a revocationReason)
  --reason-code C        ${outside(REVOCATION_CODES_TEXT)}
  --test                 test=Y: Sectigo checks each call but revokes nothing
  --journal FILE         the journal (default LIST.journal.jsonl; LIST.test.journal.jsonl with --test)
  --concurrency N        calls in flight at most (default ${BULK_DEFAULTS.concurrency}, at most ${MAX_CONCURRENCY})
  --rate PER_SECOND      calls started per second at most (default ${BULK_DEFAULTS.ratePerSecond}, at most ${MAX_RATE})
  --limit-wait SECONDS   pause after a -42 call-limit answer (default: Retry-After if sent, else 60)
  --retry-failed         send again the targets that failed with an API error in an earlier run
  --verbose              a line for every target as it ends (by default: on a terminal none, only the
                         progress line; into a pipe or file, one for each target that fails or is unknown)
Without --yes or --test nothing is sent: the count, the endpoint and the first targets are shown.
At the end every failed or unknown target is written to a list file (its name is printed) that
--from takes again.
Exit status: 0 every target revoked (0 or -21), 2 bad list or usage (nothing sent), 3 some failed with
an API error, 4 some outcome unknown or not sent (run again to finish; takes precedence over 3).
${COMMON_FLAGS_HELP}`;

function numberFlag(
  values: FlagValues,
  name: string,
  fallback: number,
  check: (value: number) => boolean,
  rule: string,
): number {
  const text = stringFlag(values, name);
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!/^[0-9]+(\.[0-9]+)?$/.test(text.trim()) || !check(value))
    throw new UsageError(`--${name} needs ${rule} (got "${text.slice(0, 20)}").`);
  return value;
}

/** The list, copied aside once (standard input spooled, a file copied) so every pass reads the same bytes. */
async function openList(io: CliIo, file: string): Promise<ListFile> {
  try {
    if (file === '-') {
      const bytes = await io.readStdin(MAX_LIST_BYTES);
      if (bytes.length > MAX_LIST_BYTES)
        throw new UsageError(`--from -: standard input is too large for a list (at most ${MAX_LIST_BYTES} bytes).`);
      return await ListFile.fromBytes(bytes);
    }
    // Regular files only, under the list cap: a FIFO or a device is refused before it is read.
    return await ListFile.fromFile(resolvePath(io, file), file);
  } catch (error) {
    if (error instanceof ListFileRefusal) throw new UsageError(`--from ${error.message}`);
    throw error;
  }
}

/**
 * The list of failed targets is named after the journal: LIST.journal.jsonl gives LIST.failed.txt
 * (a CSV when the list gave rows their own reasons, so they are kept); a name taken gets -2, -3….
 */
export function failedListPathFor(journalPath: string, csv: boolean): string {
  const suffix = csv ? '.failed.csv' : '.failed.txt';
  return journalPath.endsWith('.journal.jsonl')
    ? `${journalPath.slice(0, -'.journal.jsonl'.length)}${suffix}`
    : `${journalPath}${suffix}`;
}

/** The flags of a bulk run, checked: a bad one is a usage error before the list is read. */
interface BulkFlags {
  from: string;
  reason: string | undefined;
  codeReason: RevocationCode | undefined;
  concurrency: number;
  rate: number;
  limitWaitMs: number | undefined;
  testOnly: boolean;
  verbose: boolean;
  json: boolean;
  journalFlag: string | undefined;
}

function bulkFlagsOf(values: FlagValues): BulkFlags {
  const from = stringFlag(values, 'from') ?? '';
  const reason = stringFlag(values, 'reason');
  if (reason !== undefined) {
    const problem = validateRevocationReason(reason);
    if (problem) throw new UsageError(`--reason: ${problem}`);
  }
  const codeText = stringFlag(values, 'reason-code');
  if (codeText !== undefined) {
    const problem = validateCodeReason(codeText);
    if (problem) throw new UsageError(`--reason-code: ${problem}`);
  }
  const concurrency = numberFlag(
    values,
    'concurrency',
    BULK_DEFAULTS.concurrency,
    (value) => Number.isInteger(value) && value >= 1 && value <= MAX_CONCURRENCY,
    `a whole number from 1 to ${MAX_CONCURRENCY}`,
  );
  const rate = numberFlag(
    values,
    'rate',
    BULK_DEFAULTS.ratePerSecond,
    (value) => value > 0 && value <= MAX_RATE,
    `a number of calls per second above 0 and at most ${MAX_RATE}`,
  );
  const limitWaitText = stringFlag(values, 'limit-wait');
  const limitWaitMs =
    limitWaitText === undefined
      ? undefined
      : numberFlag(
          values,
          'limit-wait',
          0,
          (value) => value >= 0 && value <= MAX_LIMIT_WAIT_SECONDS,
          `a number of seconds from 0 to ${MAX_LIMIT_WAIT_SECONDS}`,
        ) * 1000;
  const journalFlag = stringFlag(values, 'journal');
  if (from === '-' && journalFlag === undefined)
    throw new UsageError(
      '--from - (standard input) needs --journal FILE: the journal is how a second run knows what is done.',
    );
  return {
    from,
    reason,
    codeReason: codeText === undefined ? undefined : (Number(codeText) as RevocationCode),
    concurrency,
    rate,
    limitWaitMs,
    testOnly: values.test === true,
    verbose: values.verbose === true,
    json: values.json === true,
    journalFlag,
  };
}

/**
 * The whole list read and checked before anything else: a bad list sends nothing. The checked
 * list, or the exit status when its problems were printed.
 */
async function checkedList(io: CliIo, list: ListFile, flags: BulkFlags): Promise<CheckedList | number> {
  const { from, reason } = flags;
  const listDirectory = from === '-' ? io.cwd : dirname(resolvePath(io, from));
  const checked = await checkList(
    list,
    async ({ path }) => {
      // '-' would mean standard input to readInputFile; in a list it can only be a file name.
      const full = isAbsolute(path) ? path : resolve(listDirectory, path === '-' ? './-' : path);
      try {
        const read = readCertificateFile(await readInputFile(io, full, 'certificate:'));
        if (isCertificateRefusal(read)) return { problem: read.problem };
        return { serial: read.serial };
      } catch (error) {
        return { problem: (error as Error).message.replace(`certificate: ${full}: `, '') };
      }
    },
    reason === undefined,
  );
  if (reason === undefined && checked.format === 'lines')
    throw new UsageError(
      '--reason is required (a note for your records; a CSV list may give one per row in a revocationReason column).',
    );
  if (checked.problemCount > 0) {
    io.stderr(listProblemsText(from, checked));
    return ExitCode.usage;
  }
  if (checked.targets === 0) throw new UsageError(`--from ${from}: the list names no certificate.`);
  return checked;
}

/**
 * What the person sees while the run goes: the preview instead of a real run without --yes, a
 * line per target that ends (into a pipe, or with --verbose), the progress line, and Ctrl-C (the
 * first stops new calls, the second aborts those in flight).
 */
function runView(
  io: CliIo,
  flags: BulkFlags,
  confirmed: boolean,
  shown: { facts: JournalRunFacts; journalPath: string },
): { events: BulkRunReporter; stop: AbortSignal; abort: AbortSignal; dispose(): void } {
  const { testOnly, json, verbose } = flags;
  const stop = new AbortController();
  const abort = new AbortController();
  let interrupts = 0;
  const onInterrupt = (): void => {
    interrupts++;
    if (interrupts === 1) {
      stop.abort();
      io.stderr(
        words`\nStopping: no new calls; the calls in flight may finish. Ctrl-C again to abort them (the journal keeps their outcome as unknown).\n`,
      );
    } else abort.abort();
  };
  // On a terminal one line redrawn in place; into a pipe or file, a line per failure and one for progress now and then.
  const terminal = io.stderrIsTerminal === true && !json;
  let lastProgress = Number.NEGATIVE_INFINITY;
  let progressShown = false;
  const clearProgress = (): void => {
    if (progressShown) io.statusLine?.(words``);
    progressShown = false;
  };
  const events: BulkRunReporter = {
    planned: (plan, notes) => {
      if (!testOnly && !confirmed) {
        io.stderr(words`${joinText(previewLines(plan, shown.facts, shown.journalPath, notes), words`\n`)}\n`);
        return false;
      }
      if (!json) for (const note of notes) io.stderr(words`Note: ${outside(note)}\n`);
      process.on('SIGINT', onInterrupt);
      return true;
    },
    outcome: (outcome) => {
      const shownLine = verbose || (!terminal && !json && outcome.outcome !== 'revoked');
      if (!shownLine) return;
      clearProgress();
      io.stderr(words`${outcomeLine(outcome, testOnly)}\n`);
    },
    progress: (progress, plan) => {
      if (json) return;
      const now = performance.now();
      const last = progress.finished >= progress.total;
      if (terminal) {
        if (now - lastProgress < PROGRESS_REDRAW_MS && !last) return;
        lastProgress = now;
        io.statusLine?.(progressLine(progress, plan, now));
        progressShown = true;
      } else if (lastProgress === Number.NEGATIVE_INFINITY) lastProgress = now;
      else if (now - lastProgress >= PLAIN_PROGRESS_EVERY_MS && !last) {
        lastProgress = now;
        io.stderr(words`${progressLine(progress, plan, now)}\n`);
      }
    },
  };
  return {
    events,
    stop: stop.signal,
    abort: abort.signal,
    dispose() {
      process.off('SIGINT', onInterrupt);
      clearProgress();
    },
  };
}

/** The run over a checked list: the journal, the calls, the summary and the exit status. */
async function runChecked(
  io: CliIo,
  values: FlagValues,
  flags: BulkFlags,
  list: ListFile,
  checked: CheckedList,
): Promise<number> {
  const { from, testOnly, json } = flags;
  const credentials = credentialsFromEnv(io);
  const secrets = [credentials.loginPassword];
  const options = await clientOptionsFrom(values, io);
  const facts: JournalRunFacts = {
    endpoint: endpointUrl(options.baseUrl ?? '', 'AutoRevokeSSL'),
    loginName: credentials.loginName,
    test: testOnly,
  };
  const journalPath = resolvePath(io, flags.journalFlag ?? `${from}${testOnly ? '.test' : ''}.journal.jsonl`);
  const defaults = { reason: flags.reason, ...(flags.codeReason !== undefined && { codeReason: flags.codeReason }) };
  const ownReasons = checked.format === 'csv' && checked.hasOwnReasons;
  // One client, created when the first call is sent, so the whole run reuses its kept-alive connections.
  let client: SectigoApi | undefined;
  const view = runView(io, flags, values.yes === true, { facts, journalPath });
  let ran;
  try {
    ran = await runJournalledRevocation(
      {
        targets: listTargets(list, checked),
        journalPath,
        facts,
        defaults,
        retryFailed: values['retry-failed'] === true,
        concurrency: flags.concurrency,
        ratePerSecond: flags.rate,
        ...(flags.limitWaitMs !== undefined && { limitWaitMs: flags.limitWaitMs }),
        stop: view.stop,
        abort: view.abort,
        secrets,
        failedList: {
          path: failedListPathFor(journalPath, ownReasons),
          format: ownReasons ? 'csv' : 'lines',
          source: from,
        },
        send: (target, signal) =>
          (client ??= createSectigoClient(options)).revokeSsl(
            credentials,
            revokeParamsFor(target, { ...defaults, test: testOnly }),
            { signal },
          ),
      },
      view.events,
    );
  } catch (error) {
    if (error instanceof JournalRefusal) throw new UsageError(refusalText(error));
    if (error instanceof ListFileRefusal) throw new UsageError(`--from ${from}: ${error.message}`);
    throw error;
  } finally {
    view.dispose();
    await client?.close();
  }
  if (ran.kind === 'not-started') return ExitCode.usage;
  const { summary } = ran;
  if (json) io.stdout(jsonOutput(summary, secrets));
  else io.stdout(words`${joinText(formatSummary(summary), words`\n`)}\n`);
  const verdict = summaryVerdict(summary);
  return verdict === 'done' ? ExitCode.ok : verdict === 'failed' ? ExitCode.apiError : ExitCode.transport;
}

export async function runBulkRevoke(args: string[], io: CliIo): Promise<number> {
  return runVerb('revoke', io, args, async () => {
    const values = parseFlags(args, {
      from: { type: 'string' },
      reason: { type: 'string' },
      'reason-code': { type: 'string' },
      test: { type: 'boolean' },
      journal: { type: 'string' },
      concurrency: { type: 'string' },
      rate: { type: 'string' },
      'limit-wait': { type: 'string' },
      'retry-failed': { type: 'boolean' },
      verbose: { type: 'boolean' },
    });
    if (values.help) {
      io.stdout(usage);
      return ExitCode.ok;
    }
    // Before the list is read: the young space must not have grown by then.
    for (const flag of BULK_V8_FLAGS) v8.setFlagsFromString(flag);
    const flags = bulkFlagsOf(values);
    const list = await openList(io, flags.from);
    try {
      const checked = await checkedList(io, list, flags);
      return typeof checked === 'number' ? checked : await runChecked(io, values, flags, list, checked);
    } finally {
      await list.dispose();
    }
  });
}
