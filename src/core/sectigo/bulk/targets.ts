// The list of certificates to revoke in bulk: one target per line, or a CSV a
// reseller exported from their own platform. The whole list is read and checked
// before anything is sent; every problem names its line. Pure: reading the files
// a `certificate:PATH` line names is the caller's job (resolveCertificateTargets).
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

/**
 * Reads a list. Never throws: every problem is returned with its line, so the caller can
 * refuse the whole list (and send nothing) when there is any.
 */
export function parseTargetList(text: string): ParsedList {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  if (lines.at(-1) === '') lines.pop();
  const problems: ListProblem[] = [];
  const notes: string[] = [];
  const targets: BulkTarget[] = [];
  const certificates: PendingCertificate[] = [];
  const firstLineOf = new Map<string, number>();
  if (lines.length > MAX_LIST_LINES) {
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
  }
  const skip = (line: string): boolean => line.trim() === '' || line.trimStart().startsWith('#');
  const headerIndex = lines.findIndex((line) => !skip(line));
  const csv = headerIndex >= 0 && isCsvHeader(lines[headerIndex] ?? '');

  const add = (target: BulkTarget): void => {
    const key = targetKey(target);
    const first = firstLineOf.get(key);
    if (first !== undefined) {
      notes.push(`Line ${target.line} repeats line ${first} (${describeTarget(target)}); it is revoked once.`);
      return;
    }
    firstLineOf.set(key, target.line);
    targets.push(target);
  };

  if (!csv) {
    lines.forEach((raw, index) => {
      if (skip(raw)) return;
      const line = index + 1;
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
        problems.push({
          line,
          message: `"${text.slice(0, 60)}" is not a target. Write an order number, or order:N, serial:HEX, certificate-id:N or certificate:PATH.`,
        });
        return;
      }
      if (kind === 'certificate') {
        if (value === '') problems.push({ line, message: 'certificate: needs the path of a certificate file.' });
        else certificates.push({ path: value, line });
        return;
      }
      const checked = checkValue(kind, value);
      if ('problem' in checked) problems.push({ line, message: checked.problem });
      else add({ kind, value: checked.value, line });
    });
    return { format: 'lines', targets, certificates, problems, notes };
  }

  const header = (splitCsvLine(lines[headerIndex] ?? '') ?? []).map((name) => name.toLowerCase());
  const columnOf = (name: string): number => header.indexOf(name);
  const identifierColumns = CSV_IDENTIFIERS.map(([column, kind]) => ({
    column,
    index: columnOf(column.toLowerCase()),
    kind,
  })).filter(({ index }) => index >= 0);
  const reasonColumn = columnOf('revocationreason');
  const codeColumn = columnOf('codereason');
  for (let index = headerIndex + 1; index < lines.length; index++) {
    const raw = lines[index] ?? '';
    if (skip(raw)) continue;
    const line = index + 1;
    const fields = splitCsvLine(raw);
    if (!fields) {
      problems.push({ line, message: 'A quoted field is not closed (a field cannot span lines).' });
      continue;
    }
    // Where a row names the certificate more than one way, the order number wins, then the certificate ID.
    const identifier = identifierColumns.find(({ index: column }) => (fields[column] ?? '') !== '');
    if (!identifier) {
      problems.push({
        line,
        message: `This row has no ${identifierColumns.map(({ column }) => column).join(' or ')}.`,
      });
      continue;
    }
    const checked = checkValue(identifier.kind, fields[identifier.index] ?? '');
    if ('problem' in checked) {
      problems.push({ line, message: `${identifier.column}: ${checked.problem}` });
      continue;
    }
    const target: BulkTarget = { kind: identifier.kind, value: checked.value, line };
    const reason = reasonColumn >= 0 ? (fields[reasonColumn] ?? '') : '';
    if (reason !== '') {
      const problem = validateRevocationReason(reason);
      if (problem) {
        problems.push({ line, message: `revocationReason: ${problem}` });
        continue;
      }
      target.reason = reason;
    }
    const code = codeColumn >= 0 ? (fields[codeColumn] ?? '') : '';
    if (code !== '') {
      const problem = validateCodeReason(code);
      if (problem) {
        problems.push({ line, message: `codeReason: ${problem}` });
        continue;
      }
      target.codeReason = Number(code) as RevocationCode;
    }
    add(target);
  }
  return { format: 'csv', targets, certificates, problems, notes };
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
      notes.push(`Line ${target.line} repeats line ${first} (${describeTarget(target)}); it is revoked once.`);
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
