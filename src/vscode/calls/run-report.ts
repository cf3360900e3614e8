// "Show What Was Sent": a bulk run as a read-only document a person can act on, in place of the
// raw journal: the list, account and endpoint, the test field every call carried, the counts, and
// every target the journal holds in groups (the unknown outcomes first: they may have reached
// Sectigo and are sent again by a resume), then what was never sent. The journal's path is given
// for the whole story. Opened from the resume confirmation, the Discard question and a run's row.
// The answers are read through core's one reader of a run's journal (run-outcomes.ts).
import { basename } from 'node:path';
import * as vscode from 'vscode';
import { accountLabel, isProductionBaseUrl } from '../../core/sectigo/call-plan';
import {
  journalNames,
  readRunOutcomes,
  type RunOutcome,
  type RunOutcomeKind,
} from '../../core/sectigo/bulk/run-outcomes';
import type { BulkRunManifest, StoredTargets } from '../../core/sectigo/bulk/run-store';
import { baseUrlOfRun, runCountsOf, testFieldOf } from '../../core/sectigo/bulk/stored-run';
import { describeTarget, targetKey } from '../../core/sectigo/bulk/targets';
import { ALREADY_REVOKED_WORDS, acceptedWords, countsLine, runWords } from '../../core/sectigo/outcome-words';
import type { BulkRunRecord } from '../../core/sectigo/orders-store';

export const RUN_REPORT_SCHEME = 'sectigo-run';

/** The most targets the document lists per outcome; the journal has the rest. */
const LISTED_PER_OUTCOME = 2_000;

/** The document's address: a readable name (the list, the kind of run, when), the run's id as its query. */
export function runReportUri(run: Pick<BulkRunManifest, 'id' | 'source' | 'test' | 'createdAt'>): vscode.Uri {
  const when = run.createdAt.slice(0, 16).replace('T', ' ').replace(':', '.');
  const name = `${basename(run.source).replace(/[\\/]/g, '_')} (${run.test ? 'test call' : 'revocation'}, ${when}).txt`;
  return vscode.Uri.from({ scheme: RUN_REPORT_SCHEME, path: `/${name}`, query: run.id });
}

const HEADINGS: Record<RunOutcomeKind, (test: boolean) => string> = {
  unknown: () =>
    vscode.l10n.t(
      'Outcome unknown: sent, no answer came back (these may have reached Sectigo; a resume sends them again)',
    ),
  failed: () => vscode.l10n.t('Failed: Sectigo answered an error'),
  accepted: (test) => `${acceptedWords(test).replace(/^./, (first) => first.toUpperCase())}`,
  'already-revoked': () => `${ALREADY_REVOKED_WORDS.replace(/^./, (first) => first.toUpperCase())}`,
  'not-sent': () => vscode.l10n.t('Not sent: certainly had no effect (a resume sends them)'),
};

const ORDER: readonly RunOutcomeKind[] = ['unknown', 'failed', 'accepted', 'already-revoked', 'not-sent'];

/**
 * One target's line. An accepted target is said in the run's own words (a test run's journal
 * records Sectigo's 0 as it came; a test call revoked nothing), a -21 as "already revoked".
 */
function outcomeLine(outcome: RunOutcome, test: boolean): string {
  const code = outcome.code !== undefined ? ` ${outcome.code}` : '';
  const said = outcome.message !== undefined ? ` Sectigo said: "${outcome.message}"` : '';
  const time = outcome.time !== undefined ? ` (${outcome.time})` : '';
  const meaning =
    outcome.outcome === 'accepted'
      ? acceptedWords(test)
      : outcome.outcome === 'already-revoked'
        ? ALREADY_REVOKED_WORDS
        : outcome.meaning;
  return `  ${vscode.l10n.t('line {0}', String(outcome.line))}: ${describeTarget(outcome)}${code}${meaning ? `: ${meaning}` : ''}${said}${time}`;
}

/**
 * The report's text, from the run's manifest (what was asked), its record (what the view shows),
 * its journal (what happened) and its targets (what was never sent), each read as a stream: what
 * the document lists is bounded (LISTED_PER_OUTCOME per group), whatever the size of the run.
 */
export async function runReportText(
  manifest: BulkRunManifest,
  record: BulkRunRecord | undefined,
  journalPath: string,
  targets: StoredTargets,
): Promise<string> {
  const baseUrl = record?.baseUrl ?? baseUrlOfRun(manifest);
  const production = isProductionBaseUrl(baseUrl);
  const { counts } = await readRunOutcomes(journalPath, { limit: 0 });
  const runCounts = runCountsOf(counts, manifest.total);
  const lines = [
    `${runWords(manifest.test)}: ${manifest.source}`,
    vscode.l10n.t(
      'Account: {0}{1}',
      accountLabel(manifest.loginName, baseUrl),
      production ? '' : ` ${vscode.l10n.t('(not production)')}`,
    ),
    vscode.l10n.t('Endpoint: {0}', manifest.endpoint),
    vscode.l10n.t('Every call sent {0}.', testFieldOf(manifest, manifest.test)),
    vscode.l10n.t('Started: {0}', new Date(manifest.createdAt).toLocaleString()),
    manifest.discarded
      ? vscode.l10n.t('Discarded: what was left was never sent.')
      : manifest.finished
        ? vscode.l10n.t('Finished.')
        : vscode.l10n.t('Unfinished: Resume sends what is left after a confirmation; Discard gives it up.'),
    `${countsLine({ test: manifest.test, total: manifest.total, ...runCounts })}.`,
    vscode.l10n.t('Journal (every call as sent and as answered, JSON Lines): {0}', journalPath),
    '',
  ];
  for (const outcome of ORDER) {
    if (counts[outcome] === 0) continue;
    const page = await readRunOutcomes(journalPath, { filter: [outcome], limit: LISTED_PER_OUTCOME });
    lines.push(`${HEADINGS[outcome](manifest.test)}: ${counts[outcome].toLocaleString()}`);
    for (const found of page.outcomes) lines.push(outcomeLine(found, manifest.test));
    if (page.matching > page.outcomes.length)
      lines.push(
        `  ${vscode.l10n.t('… and {0} more in the journal.', (page.matching - page.outcomes.length).toLocaleString())}`,
      );
    lines.push('');
  }
  // A target is in the journal once it was sent: the rest of the list was never sent.
  const journalled = Object.values(counts).reduce((sum, count) => sum + count, 0);
  const neverSent = manifest.total - journalled;
  if (neverSent > 0) {
    const sent = await journalNames(journalPath);
    lines.push(vscode.l10n.t('Never sent: {0}', neverSent.toLocaleString()));
    let listed = 0;
    for await (const target of targets.read()) {
      if (listed >= LISTED_PER_OUTCOME) break;
      if (sent(targetKey(target))) continue;
      lines.push(`  ${vscode.l10n.t('line {0}', String(target.line))}: ${describeTarget(target)}`);
      listed++;
    }
    if (neverSent > listed) lines.push(`  ${vscode.l10n.t('… and {0} more.', (neverSent - listed).toLocaleString())}`);
  }
  return lines.join('\n') + '\n';
}
