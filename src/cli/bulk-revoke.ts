// `sectigo-csr revoke --from LIST`: AutoRevokeSSL for every certificate in a
// list, journalled so that running the same command again after a crash or
// Ctrl-C finishes the job without losing or repeating a target.
import { dirname, isAbsolute, resolve } from 'node:path';
import { readBoundedFile } from '../core/bounded-read';
import { endpointUrl } from '../core/sectigo/call-plan';
import { createSectigoClient } from '../core/sectigo/client';
import { redactOwnText } from '../core/sectigo/redact';
import { validateCodeReason, validateRevocationReason } from '../core/sectigo/validate';
import type { RevocationCode } from '../core/sectigo/types';
import { serialFromCertificateBytes } from '../core/sectigo/bulk/certificate-serial';
import { journalMismatch, planResume, type JournalRunFacts } from '../core/sectigo/bulk/journal';
import {
  JournalBusyError,
  JournalWriter,
  lockJournal,
  readJournalFile,
  runJournal,
} from '../core/sectigo/bulk/journal-file';
import { runBulkRevocation, type BulkProgress } from '../core/sectigo/bulk/run';
import { buildSummary, formatSummary, summaryVerdict } from '../core/sectigo/bulk/summary';
import {
  MAX_LIST_BYTES,
  MAX_REPORTED_PROBLEMS,
  describeTarget,
  parseTargetList,
  resolveCertificateTargets,
  revokeParamsFor,
  targetKey,
  type ListProblem,
} from '../core/sectigo/bulk/targets';
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
  jsonText,
} from './api-common';

const DEFAULTS = { concurrency: 2, rate: 5 } as const;
/** The client keeps at most 8 connections; more workers would only queue behind them. */
const MAX_CONCURRENCY = 8;
const MAX_RATE = 100;
const MAX_LIMIT_WAIT_SECONDS = 3600;
/** Targets shown before a run that needs --yes. */
const PREVIEW_TARGETS = 10;

const usage = `Usage: sectigo-csr revoke --from LIST --reason TEXT [options]
Revokes every certificate in LIST (AutoRevokeSSL), journalled: run the same command again to resume.
  --from LIST            one target per line: a bare number (order number), order:N, serial:HEX,
                         certificate-id:N or certificate:PATH (path relative to the list); # comments.
                         Or a CSV with a header naming orderNumber, serialNumber or certificateID, and
                         optional revocationReason and codeReason columns (they override the flags).
  --reason TEXT          why (required unless every CSV row has a revocationReason)
  --reason-code C        0 Unspecified, 1 Key compromise, 3 Affiliation changed, 4 Superseded, 5 Cessation of operation
  --test                 test=Y: Sectigo checks each call but revokes nothing
  --journal FILE         the journal (default LIST.journal.jsonl; LIST.test.journal.jsonl with --test)
  --concurrency N        calls in flight at most (default ${DEFAULTS.concurrency}, at most ${MAX_CONCURRENCY})
  --rate PER_SECOND      calls started per second at most (default ${DEFAULTS.rate})
  --limit-wait SECONDS   pause after a -42 call-limit answer (default: Retry-After if sent, else 60)
  --retry-failed         send again the targets that failed with an API error in an earlier run
Without --yes or --test nothing is sent: the count, the endpoint and the first targets are shown.
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

async function readList(io: CliIo, file: string): Promise<string> {
  if (file === '-') {
    const bytes = await io.readStdin(MAX_LIST_BYTES);
    if (bytes.length > MAX_LIST_BYTES)
      throw new UsageError(`--from -: standard input is too large for a list (at most ${MAX_LIST_BYTES} bytes).`);
    return bytes.toString('utf8');
  }
  // Regular files only, under the list cap: a FIFO or a device is refused before it is read.
  const read = await readBoundedFile(resolvePath(io, file), MAX_LIST_BYTES);
  if (read.kind === 'refused') throw new UsageError(`--from ${file}: ${read.reason}.`);
  return read.bytes.toString('utf8');
}

function listProblemsText(file: string, problems: readonly ListProblem[]): string {
  const shown = problems
    .slice(0, MAX_REPORTED_PROBLEMS)
    .map((problem) => `  ${file}:${problem.line}: ${problem.message}`);
  if (problems.length > shown.length) shown.push(`  … and ${problems.length - shown.length} more.`);
  return `sectigo-csr revoke: ${file} has ${problems.length} problem${problems.length === 1 ? '' : 's'}; nothing was sent.\n${shown.join('\n')}\n`;
}

function duration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m${String(seconds % 60).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`;
}

function progressLine(progress: BulkProgress, doneBefore: number, grandTotal: number, now: number): string {
  const paused =
    progress.pausedUntil !== undefined ? `, paused for the call limit (${duration(progress.pausedUntil - now)})` : '';
  const eta =
    progress.etaMs !== undefined && progress.finished < progress.total ? `, ~${duration(progress.etaMs)} left` : '';
  return `${doneBefore + progress.finished}/${grandTotal} done, ${progress.recentRate.toFixed(1)}/s (at most ${progress.allowedRate.toFixed(1)}/s), ${progress.failed} failed, ${progress.pauses} pause${progress.pauses === 1 ? '' : 's'}${paused}${eta}`;
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
    });
    if (values.help) {
      io.stdout(usage);
      return ExitCode.ok;
    }
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
      DEFAULTS.concurrency,
      (n) => Number.isInteger(n) && n >= 1 && n <= MAX_CONCURRENCY,
      `a whole number from 1 to ${MAX_CONCURRENCY}`,
    );
    const rate = numberFlag(
      values,
      'rate',
      DEFAULTS.rate,
      (n) => n > 0 && n <= MAX_RATE,
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
            (n) => n >= 0 && n <= MAX_LIMIT_WAIT_SECONDS,
            `a number of seconds from 0 to ${MAX_LIMIT_WAIT_SECONDS}`,
          ) * 1000;
    const testOnly = values.test === true;
    const journalFlag = stringFlag(values, 'journal');
    if (from === '-' && journalFlag === undefined)
      throw new UsageError(
        '--from - (standard input) needs --journal FILE: the journal is how a second run knows what is done.',
      );

    // The whole list is read and checked before anything else: a bad list sends nothing.
    const listDirectory = from === '-' ? io.cwd : dirname(resolvePath(io, from));
    const parsed = await resolveCertificateTargets(parseTargetList(await readList(io, from)), async (path) => {
      // '-' would mean standard input to readInputFile; in a list it can only be a file name.
      const full = isAbsolute(path) ? path : resolve(listDirectory, path === '-' ? './-' : path);
      try {
        const read = serialFromCertificateBytes(await readInputFile(io, full, 'certificate:'));
        return read;
      } catch (error) {
        return { problem: (error as Error).message.replace(`certificate: ${full}: `, '') };
      }
    });
    const problems = [...parsed.problems];
    if (reason === undefined && parsed.format === 'lines')
      throw new UsageError(
        '--reason is required (a note for your records; a CSV list may give one per row in a revocationReason column).',
      );
    if (reason === undefined) {
      for (const target of parsed.targets)
        if (target.reason === undefined)
          problems.push({ line: target.line, message: 'no revocationReason on this row and no --reason given.' });
    }
    if (problems.length > 0) {
      problems.sort((a, b) => a.line - b.line);
      io.stderr(listProblemsText(from, problems));
      return ExitCode.usage;
    }
    if (parsed.targets.length === 0) throw new UsageError(`--from ${from}: the list names no certificate.`);

    const credentials = credentialsFromEnv(io);
    const secrets = [credentials.loginPassword];
    const safe = (text: string): string => redactOwnText(text, secrets);
    const options = await clientOptionsFrom(values, io);
    const facts: JournalRunFacts = {
      endpoint: endpointUrl(options.baseUrl ?? '', 'AutoRevokeSSL'),
      loginName: credentials.loginName,
      test: testOnly,
    };
    const journalPath = resolvePath(io, journalFlag ?? `${from}${testOnly ? '.test' : ''}.journal.jsonl`);
    let journal;
    let unlock: () => Promise<void>;
    try {
      unlock = await lockJournal(journalPath);
    } catch (error) {
      throw new UsageError(
        `--journal ${journalPath}: ${error instanceof JournalBusyError ? error.message : `cannot be locked (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`} Nothing was sent.`,
      );
    }
    try {
      journal = await readJournalFile(journalPath);
    } catch (error) {
      await unlock();
      throw new UsageError(`--journal ${journalPath}: ${(error as Error).message}`);
    }
    // Held until the run ends: a second run on the same journal (another terminal) is refused, never interleaved.
    try {
      if (journal.state.problems.length > 0) {
        const first = journal.state.problems
          .slice(0, 5)
          .map((problem) => `  ${journalPath}:${problem.line} ${problem.message}`);
        throw new UsageError(
          `the journal cannot be used; nothing was sent.\n${first.join('\n')}\nStart a new journal with --journal FILE.`,
        );
      }
      const mismatch = journalMismatch(journal.state, facts);
      if (mismatch)
        throw new UsageError(
          `the journal ${journalPath} belongs to another run (${mismatch}); use another --journal. Nothing was sent.`,
        );
      const plan = planResume(parsed.targets, journal.state, values['retry-failed'] === true);
      const notes = [...parsed.notes];

      if (!testOnly && values.yes !== true) {
        const lines = [
          `sectigo-csr revoke: this revokes ${plan.toSend.length} certificate${plan.toSend.length === 1 ? '' : 's'} at ${facts.endpoint} as ${facts.loginName}, which cannot be undone.`,
          ...(plan.done.length > 0
            ? [`  ${plan.done.length} more are already done according to the journal ${journalPath}.`]
            : []),
          ...(plan.failedBefore.length > 0
            ? [
                `  ${plan.failedBefore.length} failed in an earlier run and are not sent again (--retry-failed sends them).`,
              ]
            : []),
          ...plan.toSend.slice(0, PREVIEW_TARGETS).map((target) => `  line ${target.line}: ${describeTarget(target)}`),
          ...(plan.toSend.length > PREVIEW_TARGETS ? [`  … and ${plan.toSend.length - PREVIEW_TARGETS} more.`] : []),
          ...notes.map((note) => `  Note: ${note}`),
          'Run it with --test first (Sectigo checks each call and revokes nothing), then with --yes. Nothing was sent.',
        ];
        io.stderr(`${safe(lines.join('\n'))}\n`);
        return ExitCode.usage;
      }

      const json = values.json === true;
      for (const note of notes) if (!json) io.stderr(`Note: ${safe(note)}\n`);
      const writer = await JournalWriter.open(journalPath, journal).catch((error: unknown) => {
        throw new UsageError(
          `--journal ${journalPath}: cannot be written (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}). Nothing was sent.`,
        );
      });
      // One client, so the whole run reuses its kept-alive connections.
      const client = createSectigoClient(options);
      const stop = new AbortController();
      const abort = new AbortController();
      let interrupts = 0;
      const onInterrupt = (): void => {
        interrupts++;
        if (interrupts === 1) {
          stop.abort();
          io.stderr(
            '\nStopping: no new calls; the calls in flight may finish. Ctrl-C again to abort them (the journal keeps their outcome as unknown).\n',
          );
        } else abort.abort();
      };
      process.on('SIGINT', onInterrupt);
      const terminal = io.stderrIsTerminal === true && !json;
      const grandTotal = plan.done.length + plan.failedBefore.length + plan.toSend.length;
      let lastProgress = 0;
      let progressShown = false;
      const clearProgress = (): void => {
        if (progressShown) io.statusLine?.('');
        progressShown = false;
      };
      let result;
      try {
        result = await runBulkRevocation({
          targets: plan.toSend,
          concurrency,
          ratePerSecond: rate,
          ...(limitWaitMs !== undefined && { limitWaitMs }),
          stop: stop.signal,
          abort: abort.signal,
          send: (target, signal) =>
            client.revokeSsl(
              credentials,
              revokeParamsFor(target, { reason, ...(codeReason !== undefined && { codeReason }), test: testOnly }),
              { signal },
            ),
          journal: runJournal({
            writer,
            facts,
            defaults: { reason, ...(codeReason !== undefined && { codeReason }) },
            redact: safe,
          }),
          onOutcome: (outcome) => {
            if (json || outcome.outcome === 'revoked') return;
            clearProgress();
            const answer = outcome.result;
            const what =
              answer.kind === 'api-error'
                ? `${answer.errorCode} ${answer.explanation.meaning}`
                : answer.kind === 'success'
                  ? 'revoked'
                  : answer.message;
            const label =
              outcome.outcome === 'failed' ? 'failed' : outcome.outcome === 'unknown' ? 'outcome unknown' : 'not sent';
            io.stderr(`${safe(`line ${outcome.target.line}, ${targetKey(outcome.target)}: ${label}: ${what}`)}\n`);
          },
          onProgress: (progress) => {
            if (!terminal) return;
            const now = performance.now();
            if (now - lastProgress < 200 && progress.finished < progress.total) return;
            lastProgress = now;
            io.statusLine?.(progressLine(progress, plan.done.length + plan.failedBefore.length, grandTotal, now));
            progressShown = true;
          },
        });
      } finally {
        process.off('SIGINT', onInterrupt);
        clearProgress();
        await writer.close().catch(() => undefined);
        await client.close();
      }
      const summary = buildSummary(
        { test: testOnly, endpoint: facts.endpoint, loginName: facts.loginName, journal: journalPath, notes },
        plan,
        result,
      );
      if (json) io.stdout(jsonText(summary, secrets));
      else io.stdout(`${safe(formatSummary(summary).join('\n'))}\n`);
      const verdict = summaryVerdict(summary);
      return verdict === 'done' ? ExitCode.ok : verdict === 'failed' ? ExitCode.apiError : ExitCode.transport;
    } finally {
      await unlock();
    }
  });
}
