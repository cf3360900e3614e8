// `sectigo-csr revoke --from LIST`: AutoRevokeSSL for every certificate in a
// list, journalled so that running the same command again after a crash or
// Ctrl-C finishes the job without losing or repeating a target.
import { dirname, isAbsolute, resolve } from 'node:path';
import { readBoundedFile } from '../core/bounded-read';
import { endpointUrl } from '../core/sectigo/call-plan';
import { createSectigoClient } from '../core/sectigo/client';
import { joinText, outside, pathText, words, type Text } from '../core/outside-text';
import { validateCodeReason, validateRevocationReason } from '../core/sectigo/validate';
import type { RevocationCode, SectigoApi } from '../core/sectigo/types';
import { isCertificateRefusal, readCertificateFile } from '../core/certificate-file';
import type { JournalRunFacts, ResumePlan } from '../core/sectigo/bulk/journal';
import { BULK_DEFAULTS, JournalRefusal, runJournalledRevocation } from '../core/sectigo/bulk/journalled-run';
import type { BulkProgress, TargetOutcome } from '../core/sectigo/bulk/run';
import { formatSummary, summaryVerdict } from '../core/sectigo/bulk/summary';
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
  jsonOutput,
} from './api-common';

/** The client keeps at most 8 connections; more workers would only queue behind them. */
const MAX_CONCURRENCY = 8;
const MAX_RATE = 100;
const MAX_LIMIT_WAIT_SECONDS = 3600;
/** Targets shown before a run that needs --yes. */
const PREVIEW_TARGETS = 10;

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
  --rate PER_SECOND      calls started per second at most (default ${BULK_DEFAULTS.ratePerSecond})
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

function listProblemsText(file: string, problems: readonly ListProblem[]): Text {
  // The list's name begins each line as a path ("list.txt:3: …"); a list line quoted in a message stays on its line.
  const shown = problems
    .slice(0, MAX_REPORTED_PROBLEMS)
    .map((problem) => words`  ${pathText(file)}:${problem.line}: ${outside(problem.message)}`);
  if (problems.length > shown.length) shown.push(words`  … and ${problems.length - shown.length} more.`);
  return words`sectigo-csr revoke: ${outside(file)} has ${problems.length} problem${problems.length === 1 ? words`` : words`s`}; nothing was sent.\n${joinText(shown, words`\n`)}\n`;
}

function duration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m${String(seconds % 60).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`;
}

function progressLine(progress: BulkProgress, doneBefore: number, grandTotal: number, now: number): Text {
  const paused =
    progress.pausedUntil !== undefined
      ? words`, paused for the call limit (${outside(duration(progress.pausedUntil - now))})`
      : words``;
  const eta =
    progress.etaMs !== undefined && progress.finished < progress.total
      ? words`, ~${outside(duration(progress.etaMs))} left`
      : words``;
  return words`${doneBefore + progress.finished}/${grandTotal} done, ${outside(progress.recentRate.toFixed(1))}/s (at most ${outside(progress.allowedRate.toFixed(1))}/s), ${progress.failed} failed, ${progress.pauses} pause${progress.pauses === 1 ? words`` : words`s`}${paused}${eta}`;
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
    case 'unreadable':
      return words`--journal ${path}: ${detail}`;
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
    words`sectigo-csr revoke: this revokes ${plan.toSend.length} certificate${plan.toSend.length === 1 ? words`` : words`s`} at ${outside(facts.endpoint)} as ${outside(facts.loginName)}, which cannot be undone.`,
    ...(plan.done.length > 0
      ? [words`  ${plan.done.length} more are already done according to the journal ${outside(journalPath)}.`]
      : []),
    ...(plan.failedBefore.length > 0
      ? [
          words`  ${plan.failedBefore.length} failed in an earlier run and are not sent again (--retry-failed sends them).`,
        ]
      : []),
    ...plan.toSend
      .slice(0, PREVIEW_TARGETS)
      .map((target) => words`  line ${target.line}: ${outside(describeTarget(target))}`),
    ...(plan.toSend.length > PREVIEW_TARGETS ? [words`  … and ${plan.toSend.length - PREVIEW_TARGETS} more.`] : []),
    ...notes.map((note) => words`  Note: ${outside(note)}`),
    words`Run it with --test first (Sectigo checks each call and revokes nothing), then with --yes. Nothing was sent.`,
  ];
}

function outcomeLine(outcome: TargetOutcome): Text {
  const answer = outcome.result;
  const what =
    answer.kind === 'api-error'
      ? words`${answer.errorCode} ${outside(answer.explanation.meaning)}`
      : answer.kind === 'success'
        ? words`revoked`
        : words`${outside(answer.message)}`;
  const label =
    outcome.outcome === 'failed'
      ? words`failed`
      : outcome.outcome === 'unknown'
        ? words`outcome unknown`
        : words`not sent`;
  return words`line ${outcome.target.line}, ${outside(targetKey(outcome.target))}: ${label}: ${what}`;
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
      BULK_DEFAULTS.concurrency,
      (n) => Number.isInteger(n) && n >= 1 && n <= MAX_CONCURRENCY,
      `a whole number from 1 to ${MAX_CONCURRENCY}`,
    );
    const rate = numberFlag(
      values,
      'rate',
      BULK_DEFAULTS.ratePerSecond,
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
        const read = readCertificateFile(await readInputFile(io, full, 'certificate:'));
        if (isCertificateRefusal(read)) return { problem: read.problem };
        return read.certificates > 1
          ? {
              serial: read.serial,
              note: `holds ${read.certificates} certificates; the first (${read.subject}) is revoked.`,
            }
          : { serial: read.serial };
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
    const options = await clientOptionsFrom(values, io);
    const facts: JournalRunFacts = {
      endpoint: endpointUrl(options.baseUrl ?? '', 'AutoRevokeSSL'),
      loginName: credentials.loginName,
      test: testOnly,
    };
    const journalPath = resolvePath(io, journalFlag ?? `${from}${testOnly ? '.test' : ''}.journal.jsonl`);
    const notes = [...parsed.notes];
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
    const terminal = io.stderrIsTerminal === true && !json;
    let lastProgress = 0;
    let progressShown = false;
    const clearProgress = (): void => {
      if (progressShown) io.statusLine?.(words``);
      progressShown = false;
    };
    let ran;
    try {
      ran = await runJournalledRevocation(
        {
          targets: parsed.targets,
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
          notes,
          send: (target, signal) =>
            (client ??= createSectigoClient(options)).revokeSsl(
              credentials,
              revokeParamsFor(target, { ...defaults, test: testOnly }),
              { signal },
            ),
        },
        {
          planned: (plan) => {
            if (!testOnly && values.yes !== true) {
              io.stderr(words`${joinText(previewLines(plan, facts, journalPath, notes), words`\n`)}\n`);
              return false;
            }
            for (const note of notes) if (!json) io.stderr(words`Note: ${outside(note)}\n`);
            process.on('SIGINT', onInterrupt);
            return true;
          },
          outcome: (outcome) => {
            if (json || outcome.outcome === 'revoked') return;
            clearProgress();
            io.stderr(words`${outcomeLine(outcome)}\n`);
          },
          progress: (progress, plan) => {
            if (!terminal) return;
            const now = performance.now();
            if (now - lastProgress < 200 && progress.finished < progress.total) return;
            lastProgress = now;
            const before = plan.done.length + plan.failedBefore.length;
            io.statusLine?.(progressLine(progress, before, before + plan.toSend.length, now));
            progressShown = true;
          },
        },
      );
    } catch (error) {
      if (error instanceof JournalRefusal) throw new UsageError(refusalText(error));
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
  });
}
