// `sectigo-csr revoke --from LIST`: AutoRevokeSSL for every certificate in a
// list, journalled so that running the same command again after a crash or
// Ctrl-C finishes the job without losing or repeating a target. The list is read
// as a stream and the results counted, so a 100,000-target run takes no more
// memory than a 10-target one beyond a number per target.
import { dirname, isAbsolute, resolve } from 'node:path';
import v8 from 'node:v8';
import { endpointUrl } from '../core/sectigo/call-plan';
import { createSectigoClient } from '../core/sectigo/client';
import { countText, joinText, outside, pathText, tokenText, words, type Text } from '../core/outside-text';
import { validateCodeReason, validateRevocationReason } from '../core/sectigo/validate';
import type { RevocationCode, SectigoApi } from '../core/sectigo/types';
import { isCertificateRefusal, readCertificateFile } from '../core/certificate-file';
import type { JournalRunFacts } from '../core/sectigo/bulk/journal';
import { BULK_DEFAULTS, JournalRefusal, runJournalledRevocation } from '../core/sectigo/bulk/journalled-run';
import { ListFile, ListFileRefusal, checkList, listTargets, type CheckedList } from '../core/sectigo/bulk/list-file';
import type { ResumePlan } from '../core/sectigo/bulk/run-index';
import type { BulkProgress, TargetOutcome } from '../core/sectigo/bulk/run';
import { formatSummary, summaryVerdict } from '../core/sectigo/bulk/summary';
import { MAX_LIST_BYTES, describeTarget, revokeParamsFor, type BulkTarget } from '../core/sectigo/bulk/targets';
import { outcomeWords } from '../core/sectigo/outcome-words';
import { ExitCode, type CliIo } from './io';
import {
  COMMON_FLAGS_HELP,
  UsageError,
  clientOptionsFrom,
  credentialsFromEnv,
  parseFlags,
  readInputFile,
  resolvePath,
  runVerb,
  stringFlag,
  jsonOutput,
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
  --reason-code C        0 Unspecified, 1 Key compromise, 3 Affiliation changed, 4 Superseded, 5 Cessation of operation
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
  values: Record<string, string | boolean | undefined>,
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

function listProblemsText(file: string, checked: CheckedList): Text {
  // The list's name begins each line as a path ("list.txt:3: …"); a list line quoted in a message stays on its line.
  const shown = checked.problems.map(
    (problem) => words`  ${pathText(file)}:${problem.line}: ${outside(problem.message)}`,
  );
  if (checked.problemCount > shown.length)
    shown.push(words`  … and ${countText(checked.problemCount - shown.length)} more.`);
  const count = checked.problemCount;
  return words`sectigo-csr revoke: ${outside(file)} has ${countText(count)} problem${count === 1 ? words`` : words`s`}; nothing was sent.\n${joinText(shown, words`\n`)}\n`;
}

function duration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m${String(seconds % 60).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`;
}

/** "12,345/100,000 done · 98.2/s (at most 100.0/s) · 1,203 failed · 2 unknown · ~14m55s left". */
export function progressLine(progress: BulkProgress, plan: ResumePlan, now: number): Text {
  const before = plan.done + plan.failedBefore;
  const paused =
    progress.pausedUntil !== undefined
      ? words` · paused for the call limit (${outside(duration(progress.pausedUntil - now))})`
      : words``;
  const eta =
    progress.etaMs !== undefined && progress.finished < progress.total
      ? words` · ~${outside(duration(progress.etaMs))} left`
      : words``;
  const pauses =
    progress.pauses > 0
      ? words` · ${countText(progress.pauses)} pause${progress.pauses === 1 ? words`` : words`s`}`
      : words``;
  return words`${countText(before + progress.finished)}/${countText(plan.total)} done · ${outside(progress.recentRate.toFixed(1))}/s (at most ${outside(progress.allowedRate.toFixed(1))}/s) · ${countText(plan.failedBefore + progress.failed)} failed · ${countText(progress.unknown)} unknown${pauses}${paused}${eta}`;
}

/** Why the journal refused the run, as the command line says it (nothing was sent). */
function refusalText(refusal: JournalRefusal): Text {
  const path = outside(refusal.journalPath);
  const detail = outside(refusal.detail);
  switch (refusal.reason) {
    case 'busy':
      return words`--journal ${path}: ${detail} Nothing was sent.`;
    case 'unlockable':
      return words`--journal ${path}: cannot be locked (${detail}) Nothing was sent.`;
    case 'not-a-file':
    case 'not-a-journal':
    case 'unreadable':
      return words`--journal ${detail} Nothing was sent.`;
    case 'damaged': {
      const first = refusal.problems
        .slice(0, 5)
        .map((problem) => words`  ${pathText(refusal.journalPath)}:${problem.line} ${outside(problem.message)}`);
      return words`the journal cannot be used; nothing was sent.\n${joinText(first, words`\n`)}\nStart a new journal with --journal FILE.`;
    }
    case 'other-run':
      return words`the journal ${path} belongs to another run (${detail}); use another --journal. Nothing was sent.`;
    case 'unwritable':
      return words`--journal ${path}: cannot be written (${detail}). Nothing was sent.`;
  }
}

/** What a real run would do, shown instead of running it when --yes is missing. */
function previewLines(plan: ResumePlan, facts: JournalRunFacts, journalPath: string, notes: readonly string[]): Text[] {
  return [
    words`sectigo-csr revoke: this revokes ${countText(plan.toSend)} certificate${plan.toSend === 1 ? words`` : words`s`} at ${outside(facts.endpoint)} as ${outside(facts.loginName)}, which cannot be undone.`,
    ...(plan.done > 0
      ? [words`  ${countText(plan.done)} more are already done according to the journal ${outside(journalPath)}.`]
      : []),
    ...(plan.failedBefore > 0
      ? [
          words`  ${countText(plan.failedBefore)} failed in an earlier run and are not sent again (--retry-failed sends them).`,
        ]
      : []),
    ...plan.firstToSend.map((target) => words`  line ${target.line}: ${outside(describeTarget(target))}`),
    ...(plan.toSend > plan.firstToSend.length
      ? [words`  … and ${countText(plan.toSend - plan.firstToSend.length)} more.`]
      : []),
    ...notes.map((note) => words`  Note: ${outside(note)}`),
    words`Run it with --test first (Sectigo checks each call and revokes nothing), then with --yes. Nothing was sent.`,
  ];
}

/** A target as its key reads ("order:1000001"): the kind in the program's words, the value a checked token. */
function targetText(target: BulkTarget): Text {
  const kind =
    target.kind === 'order' ? words`order` : target.kind === 'serial' ? words`serial` : words`certificate-id`;
  return words`${kind}:${tokenText(target.value)}`;
}

/** A target's line as it ends (into a pipe, or with --verbose). */
function outcomeLine(outcome: TargetOutcome, test: boolean): Text {
  const answer = outcome.result;
  const what =
    answer.kind === 'api-error'
      ? words`${answer.errorCode} ${outside(answer.explanation.meaning)}`
      : answer.kind === 'success'
        ? words`0`
        : answer.kind === 'validation-error'
          ? words`${outside(answer.parameter)}: ${outside(answer.message)}`
          : words`${outside(answer.message)}`;
  return words`line ${outcome.target.line}, ${targetText(outcome.target)}: ${outside(outcomeWords(outcome.outcome, test))}: ${what}`;
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
    const codeReason = codeText === undefined ? undefined : (Number(codeText) as RevocationCode);
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
    const testOnly = values.test === true;
    const verbose = values.verbose === true;
    const journalFlag = stringFlag(values, 'journal');
    if (from === '-' && journalFlag === undefined)
      throw new UsageError(
        '--from - (standard input) needs --journal FILE: the journal is how a second run knows what is done.',
      );

    // The whole list is read and checked before anything else: a bad list sends nothing.
    const listDirectory = from === '-' ? io.cwd : dirname(resolvePath(io, from));
    const list = await openList(io, from);
    try {
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

      const credentials = credentialsFromEnv(io);
      const secrets = [credentials.loginPassword];
      const options = await clientOptionsFrom(values, io);
      const facts: JournalRunFacts = {
        endpoint: endpointUrl(options.baseUrl ?? '', 'AutoRevokeSSL'),
        loginName: credentials.loginName,
        test: testOnly,
      };
      const journalPath = resolvePath(io, journalFlag ?? `${from}${testOnly ? '.test' : ''}.journal.jsonl`);
      const json = values.json === true;
      const defaults = { reason, ...(codeReason !== undefined && { codeReason }) };
      // One client, created when the first call is sent, so the whole run reuses its kept-alive connections.
      let client: SectigoApi | undefined;
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
      let ran;
      try {
        ran = await runJournalledRevocation(
          {
            targets: listTargets(list, checked),
            journalPath,
            facts,
            defaults,
            retryFailed: values['retry-failed'] === true,
            concurrency,
            ratePerSecond: rate,
            ...(limitWaitMs !== undefined && { limitWaitMs }),
            stop: stop.signal,
            abort: abort.signal,
            secrets,
            failedList: {
              path: failedListPathFor(journalPath, checked.format === 'csv' && checked.hasOwnReasons),
              format: checked.format === 'csv' && checked.hasOwnReasons ? 'csv' : 'lines',
              source: from,
            },
            send: (target, signal) =>
              (client ??= createSectigoClient(options)).revokeSsl(
                credentials,
                revokeParamsFor(target, { ...defaults, test: testOnly }),
                { signal },
              ),
          },
          {
            planned: (plan, notes) => {
              if (!testOnly && values.yes !== true) {
                io.stderr(words`${joinText(previewLines(plan, facts, journalPath, notes), words`\n`)}\n`);
                return false;
              }
              if (!json) for (const note of notes) io.stderr(words`Note: ${outside(note)}\n`);
              process.on('SIGINT', onInterrupt);
              return true;
            },
            outcome: (outcome) => {
              const shown = verbose || (!terminal && !json && outcome.outcome !== 'revoked');
              if (!shown) return;
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
          },
        );
      } catch (error) {
        if (error instanceof JournalRefusal) throw new UsageError(refusalText(error));
        if (error instanceof ListFileRefusal) throw new UsageError(`--from ${from}: ${error.message}`);
        throw error;
      } finally {
        process.off('SIGINT', onInterrupt);
        clearProgress();
        await client?.close();
      }
      if (ran.kind === 'not-started') return ExitCode.usage;
      const { summary } = ran;
      if (json) io.stdout(jsonOutput(summary, secrets));
      else io.stdout(words`${joinText(formatSummary(summary), words`\n`)}\n`);
      const verdict = summaryVerdict(summary);
      return verdict === 'done' ? ExitCode.ok : verdict === 'failed' ? ExitCode.apiError : ExitCode.transport;
    } finally {
      await list.dispose();
    }
  });
}
