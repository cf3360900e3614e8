// The list of certificates to revoke in bulk: one target per line, or a CSV a
// reseller exported from their own platform, read one line at a time. The whole list
// is checked before anything is sent; every problem names its line. Pure: reading the
// files a `certificate:PATH` line names is the caller's job.
import type { RevocationCode, RevokeSslParams } from '../types';
import {
  normalizeSerialNumber,
  validateCertificateId,
  validateCodeReason,
  validateOrderNumber,
  validateRevocationReason,
  validateSerialNumber,
} from '../validate';

/** A list file larger than this is refused before it is read (100,000 CSV rows with long reasons fit). */
export const MAX_LIST_BYTES = 64 * 1024 * 1024;
/** A line longer than this is a problem, never held whole (a CSV row with the longest reason fits). */
export const MAX_LIST_LINE_BYTES = 16 * 1024;
/** Lines in a list, comments and blanks included: room for 100,000 targets and their comments. */
export const MAX_LIST_LINES = 250_000;
/** Problems reported for one list; more are counted, not listed. */
export const MAX_REPORTED_PROBLEMS = 50;

export type TargetKind = 'order' | 'certificate-id' | 'serial';

/** One certificate to revoke, as the list names it. */
export interface BulkTarget {
  kind: TargetKind;
  /** The order number, certificate ID or serial number (bare uppercase hex). */
  value: string;
  /** 1-based line in the list. */
  line: number;
  /** For `certificate:PATH`: the file the serial was read from. */
  certificateFile?: string;
  /** From the CSV's revocationReason column; else the --reason flag applies. */
  reason?: string;
  /** From the CSV's codeReason column; else the --reason-code flag applies. */
  codeReason?: RevocationCode;
}

/** A `certificate:PATH` line whose serial number is still to be read. */
export interface PendingCertificate {
  path: string;
  line: number;
  reason?: string;
  codeReason?: RevocationCode;
}

export interface ListProblem {
  line: number;
  message: string;
}

export interface ParsedList {
  format: 'lines' | 'csv';
  /** In list order, duplicates merged. */
  targets: BulkTarget[];
  /** `certificate:PATH` lines, to be read by resolveCertificateTargets. */
  certificates: PendingCertificate[];
  problems: ListProblem[];
  /** Things the user should know that do not stop the run (duplicates merged). */
  notes: string[];
}

/** The identity of a target: the journal and duplicate detection use it. */
export function targetKey(target: Pick<BulkTarget, 'kind' | 'value'>): string {
  return `${target.kind}:${target.value}`;
}

/** How a person reads a target: "order 1000001". */
export function describeTarget(target: Pick<BulkTarget, 'kind' | 'value' | 'certificateFile'>): string {
  const noun =
    target.kind === 'order' ? 'order' : target.kind === 'certificate-id' ? 'certificate ID' : 'serial number';
  return `${noun} ${target.value}${target.certificateFile !== undefined ? ` (from ${target.certificateFile})` : ''}`;
}

/** Serial numbers as the API compares them: no leading zeros (DER adds one when the top bit is set). */
function canonicalSerial(value: string): string {
  return normalizeSerialNumber(value).replace(/^0+(?=.)/, '');
}

function checkValue(kind: TargetKind, raw: string): { value: string } | { problem: string } {
  const value = raw.trim();
  if (kind === 'order') {
    const problem = validateOrderNumber(value, 'AutoRevokeSSL');
    return problem ? { problem } : { value };
  }
  if (kind === 'certificate-id') {
    const problem = validateCertificateId(value);
    return problem ? { problem } : { value };
  }
  const problem = validateSerialNumber(value);
  return problem ? { problem } : { value: canonicalSerial(value) };
}

/** A serial number as a target holds it (checked, canonical: what the journal keys), or the problem with it. */
export function checkSerialTarget(raw: string): { value: string } | { problem: string } {
  return checkValue('serial', raw);
}

const PREFIXES: Record<string, TargetKind | 'certificate'> = {
  order: 'order',
  serial: 'serial',
  'certificate-id': 'certificate-id',
  certificate: 'certificate',
};

const CSV_IDENTIFIERS: Array<[column: string, kind: TargetKind]> = [
  ['orderNumber', 'order'],
  ['certificateID', 'certificate-id'],
  ['serialNumber', 'serial'],
];

/** Splits one CSV record (RFC 4180 quoting, no line breaks inside a field). */
function splitCsvLine(line: string): string[] | undefined {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const char = line[i];
    if (quoted) {
      if (char === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"' && field.trim() === '') {
      quoted = true;
      field = '';
    } else if (char === ',') {
      fields.push(field);
      field = '';
    } else field += char;
  }
  if (quoted) return undefined;
  fields.push(field);
  return fields.map((value) => value.trim());
}

function isCsvHeader(line: string): boolean {
  // A one-column export ("orderNumber" alone on the first line) is a CSV too.
  if (!line.includes(','))
    return CSV_IDENTIFIERS.some(([column]) => line.trim().replace(/^"|"$/g, '').toLowerCase() === column.toLowerCase());
  const columns = (splitCsvLine(line) ?? []).map((name) => name.toLowerCase());
  return CSV_IDENTIFIERS.some(([column]) => columns.includes(column.toLowerCase()));
}

/** One line of a list, read: a target, a certificate file still to read, a problem, or nothing to send. */
export type ListLine =
  | { kind: 'skip' }
  | { kind: 'target'; target: BulkTarget }
  | { kind: 'certificate'; certificate: PendingCertificate }
  | { kind: 'problem'; problem: ListProblem };

const SKIP: ListLine = { kind: 'skip' };

/**
 * Reads a list one line at a time, so a list of any length is never held: the format (one target
 * per line, or a CSV with its header) is decided by the first line that is not blank or a comment.
 * Duplicates are the caller's to merge (it keeps the index of what the list named).
 */
export class TargetListParser {
  format: 'lines' | 'csv' | undefined;
  private identifierColumns: Array<{ column: string; index: number; kind: TargetKind }> = [];
  private reasonColumn = -1;
  private codeColumn = -1;

  /** Whether the list gives rows their own reason or code (a CSV with those columns). */
  get hasOwnReasons(): boolean {
    return this.reasonColumn >= 0 || this.codeColumn >= 0;
  }

  /** One line of text (no line break; a CR before the LF already dropped), numbered from 1. */
  line(raw: string, line: number): ListLine {
    const text = line === 1 ? raw.replace(/^\uFEFF/, '') : raw;
    if (line > MAX_LIST_LINES)
      return {
        kind: 'problem',
        problem: {
          line,
          message: `The list has more than ${MAX_LIST_LINES} lines; at most ${MAX_LIST_LINES} are read. Split it into several lists.`,
        },
      };
    if (text.trim() === '' || text.trimStart().startsWith('#')) return SKIP;
    if (this.format === undefined) {
      if (isCsvHeader(text)) {
        this.readHeader(text);
        return SKIP;
      }
      this.format = 'lines';
    }
    return this.format === 'csv' ? this.row(text, line) : this.plainLine(text, line);
  }

  private readHeader(text: string): void {
    this.format = 'csv';
    const header = (splitCsvLine(text) ?? []).map((name) => name.toLowerCase());
    const columnOf = (name: string): number => header.indexOf(name);
    this.identifierColumns = CSV_IDENTIFIERS.map(([column, kind]) => ({
      column,
      index: columnOf(column.toLowerCase()),
      kind,
    })).filter(({ index }) => index >= 0);
    this.reasonColumn = columnOf('revocationreason');
    this.codeColumn = columnOf('codereason');
  }

  private plainLine(raw: string, line: number): ListLine {
    const text = raw.trim();
    const match = /^([a-z-]+):(.*)$/i.exec(text);
    let kind: TargetKind | 'certificate';
    let value: string;
    if (/^[0-9]+$/.test(text)) {
      kind = 'order';
      value = text;
    } else if (match && PREFIXES[(match[1] ?? '').toLowerCase()] !== undefined) {
      kind = PREFIXES[(match[1] ?? '').toLowerCase()] as TargetKind | 'certificate';
      value = (match[2] ?? '').trim();
    } else {
      return {
        kind: 'problem',
        problem: {
          line,
          message: `"${text.slice(0, 60)}" is not a target. Write an order number, or order:N, serial:HEX, certificate-id:N or certificate:PATH.`,
        },
      };
    }
    if (kind === 'certificate') {
      if (value === '')
        return { kind: 'problem', problem: { line, message: 'certificate: needs the path of a certificate file.' } };
      return { kind: 'certificate', certificate: { path: value, line } };
    }
    const checked = checkValue(kind, value);
    if ('problem' in checked) return { kind: 'problem', problem: { line, message: checked.problem } };
    return { kind: 'target', target: { kind, value: checked.value, line } };
  }

  private row(raw: string, line: number): ListLine {
    const fields = splitCsvLine(raw);
    if (!fields)
      return {
        kind: 'problem',
        problem: { line, message: 'A quoted field is not closed (a field cannot span lines).' },
      };
    // Where a row names the certificate more than one way, the order number wins, then the certificate ID.
    const identifier = this.identifierColumns.find(({ index: column }) => (fields[column] ?? '') !== '');
    if (!identifier)
      return {
        kind: 'problem',
        problem: {
          line,
          message: `This row has no ${this.identifierColumns.map(({ column }) => column).join(' or ')}.`,
        },
      };
    const checked = checkValue(identifier.kind, fields[identifier.index] ?? '');
    if ('problem' in checked)
      return { kind: 'problem', problem: { line, message: `${identifier.column}: ${checked.problem}` } };
    const target: BulkTarget = { kind: identifier.kind, value: checked.value, line };
    const reason = this.reasonColumn >= 0 ? (fields[this.reasonColumn] ?? '') : '';
    if (reason !== '') {
      const problem = validateRevocationReason(reason);
      if (problem) return { kind: 'problem', problem: { line, message: `revocationReason: ${problem}` } };
      target.reason = reason;
    }
    const code = this.codeColumn >= 0 ? (fields[this.codeColumn] ?? '') : '';
    if (code !== '') {
      const problem = validateCodeReason(code);
      if (problem) return { kind: 'problem', problem: { line, message: `codeReason: ${problem}` } };
      target.codeReason = Number(code) as RevocationCode;
    }
    return { kind: 'target', target };
  }
}

/** The note for a line that names a target an earlier line named: it is revoked once. */
export function duplicateNote(target: BulkTarget, firstLine: number): string {
  return `Line ${target.line} repeats line ${firstLine} (${describeTarget(target)}); it is revoked once.`;
}

/**
 * Reads a list held as text (the editor reads its file through VS Code). Never throws: every
 * problem is returned with its line, so the caller can refuse the whole list (and send nothing)
 * when there is any.
 */
export function parseTargetList(text: string): ParsedList {
  const parser = new TargetListParser();
  const problems: ListProblem[] = [];
  const notes: string[] = [];
  const targets: BulkTarget[] = [];
  const certificates: PendingCertificate[] = [];
  const firstLineOf = new Map<string, number>();
  const lines = text.split(/\r?\n/);
  if (lines.at(-1) === '') lines.pop();
  if (lines.length > MAX_LIST_LINES)
    return {
      format: 'lines',
      targets,
      certificates,
      notes,
      problems: [
        {
          line: MAX_LIST_LINES + 1,
          message: `The list has ${lines.length} lines; at most ${MAX_LIST_LINES} are read. Split it into several lists.`,
        },
      ],
    };
  for (let index = 0; index < lines.length; index++) {
    const read = parser.line(lines[index] ?? '', index + 1);
    if (read.kind === 'problem') problems.push(read.problem);
    else if (read.kind === 'certificate') certificates.push(read.certificate);
    else if (read.kind === 'target') {
      const key = targetKey(read.target);
      const first = firstLineOf.get(key);
      if (first !== undefined) notes.push(duplicateNote(read.target, first));
      else {
        firstLineOf.set(key, read.target.line);
        targets.push(read.target);
      }
    }
  }
  return { format: parser.format ?? 'lines', targets, certificates, problems, notes };
}

/**
 * Adds the `certificate:PATH` lines once their serial numbers have been read, in list order
 * and with the same duplicate merging. `readSerial` returns the serial or a problem.
 */
export async function resolveCertificateTargets(
  list: ParsedList,
  readSerial: (path: string) => Promise<{ serial: string } | { problem: string }>,
): Promise<ParsedList> {
  if (list.certificates.length === 0) return list;
  const problems = [...list.problems];
  const notes = [...list.notes];
  const all: BulkTarget[] = [...list.targets];
  for (const pending of list.certificates) {
    const read = await readSerial(pending.path);
    if ('problem' in read) {
      problems.push({ line: pending.line, message: `certificate:${pending.path}: ${read.problem}` });
      continue;
    }
    const checked = checkValue('serial', read.serial);
    if ('problem' in checked)
      problems.push({ line: pending.line, message: `certificate:${pending.path}: ${checked.problem}` });
    else
      all.push({
        kind: 'serial',
        value: checked.value,
        line: pending.line,
        certificateFile: pending.path,
        ...(pending.reason !== undefined && { reason: pending.reason }),
        ...(pending.codeReason !== undefined && { codeReason: pending.codeReason }),
      });
  }
  all.sort((a, b) => a.line - b.line);
  const seen = new Map<string, number>();
  const targets: BulkTarget[] = [];
  for (const target of all) {
    const first = seen.get(targetKey(target));
    if (first !== undefined) {
      // The first pass merged the other duplicates, so this one involves a certificate file.
      notes.push(duplicateNote(target, first));
      continue;
    }
    seen.set(targetKey(target), target.line);
    targets.push(target);
  }
  problems.sort((a, b) => a.line - b.line);
  return { ...list, targets, certificates: [], problems, notes };
}

/** The AutoRevokeSSL parameters for one target: its own reason and code where the CSV gave them, else the flags'. */
export function revokeParamsFor(
  target: BulkTarget,
  defaults: { reason: string | undefined; codeReason?: RevocationCode; test: boolean },
): RevokeSslParams {
  const params: RevokeSslParams = { revocationReason: target.reason ?? defaults.reason ?? '' };
  if (target.kind === 'order') params.orderNumber = target.value;
  else if (target.kind === 'certificate-id') params.certificateID = target.value;
  else params.serialNumber = target.value;
  const code = target.codeReason ?? defaults.codeReason;
  if (code !== undefined) params.codeReason = code;
  // Always said, as the single revocation says it: test=Y for a test run, test=N for a real one.
  params.test = defaults.test;
  return params;
}

/** One (revocationReason, codeReason) pair as the run sends it, and how many targets are sent with it. */
export interface ReasonAsSent {
  revocationReason: string;
  codeReason: RevocationCode | undefined;
  count: number;
  /** The list's lines sent with it, in order. */
  lines: number[];
}

/**
 * The distinct reasons a run sends, taken from each target's own parameters (revokeParamsFor), so a
 * confirmation shows what is sent, a CSV's per-row reasons included; the commonest first.
 */
export function reasonsAsSent(
  targets: readonly BulkTarget[],
  defaults: { reason: string | undefined; codeReason?: RevocationCode },
): ReasonAsSent[] {
  const pairs = new Map<string, ReasonAsSent>();
  for (const target of targets) {
    const { revocationReason, codeReason } = revokeParamsFor(target, { ...defaults, test: false });
    const key = JSON.stringify([revocationReason, codeReason ?? null]);
    const pair = pairs.get(key);
    if (pair) {
      pair.count++;
      pair.lines.push(target.line);
    } else pairs.set(key, { revocationReason, codeReason, count: 1, lines: [target.line] });
  }
  return [...pairs.values()].sort((a, b) => b.count - a.count);
}
