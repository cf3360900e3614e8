// What a new request says about its holder: the subject name and the e-mail addresses, built
// from the user's options or copied from an old request (through the project's analysis).
// Pure data, no X.509 library: the command line parses its options before it loads one.
import type { CsrReport } from '../csr/index';

/** The key types Sectigo accepts that we generate; nothing else is offered. */
export const keyTypes = ['rsa-2048', 'rsa-3072', 'rsa-4096', 'ec-p256', 'ec-p384'] as const;
export type KeyType = (typeof keyTypes)[number];

/**
 * RSA because S/MIME clients handle it most widely (EC S/MIME is still missing or partial in
 * several mail clients and on older phones); 3072 bits because it is the smallest RSA size
 * with 128-bit security (NIST SP 800-57), which stays acceptable after 2030 when 2048-bit
 * RSA (112-bit) is retired, at a cost only at generation (about a second).
 */
export const recommendedKeyType: KeyType = 'rsa-3072';

export function isKeyType(value: string): value is KeyType {
  return (keyTypes as readonly string[]).includes(value);
}

/** One attribute of the name; `hexDer` is the DER value of an attribute that is not a string, kept as it was. */
export interface SubjectAttribute {
  oid: string;
  value: string;
  hexDer?: boolean;
}

export interface RequestSubject {
  /** Relative distinguished names in DER order (the first is the most significant, RFC 4514 text shows it last). */
  rdns: SubjectAttribute[][];
  /** The mailboxes, for the SAN rfc822Names. */
  emails: string[];
}

export const emailAddressOid = '1.2.840.113549.1.9.1';

/** RFC 4514 short names (and the common long forms) to OIDs, matched without regard to case. */
const attributeTypes: Record<string, string> = {
  cn: '2.5.4.3',
  commonname: '2.5.4.3',
  sn: '2.5.4.4',
  surname: '2.5.4.4',
  serialnumber: '2.5.4.5',
  c: '2.5.4.6',
  l: '2.5.4.7',
  st: '2.5.4.8',
  street: '2.5.4.9',
  o: '2.5.4.10',
  ou: '2.5.4.11',
  title: '2.5.4.12',
  postalcode: '2.5.4.17',
  postofficebox: '2.5.4.18',
  gn: '2.5.4.42',
  givenname: '2.5.4.42',
  initials: '2.5.4.43',
  pseudonym: '2.5.4.65',
  organizationidentifier: '2.5.4.97',
  e: emailAddressOid,
  emailaddress: emailAddressOid,
  uid: '0.9.2342.19200300.100.1.1',
  dc: '0.9.2342.19200300.100.1.25',
};

const specialCharacters = new Set([',', '+', '"', '\\', '<', '>', ';', '=', '#', ' ']);

/** Splits at unescaped `separator`, keeping escapes in the pieces. */
function splitUnescaped(text: string, separator: string): string[] {
  const pieces: string[] = [];
  let current = '';
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i] as string;
    if (c === '\\') {
      current += c + (text[i + 1] ?? '');
      i += 1;
    } else if (c === separator) {
      pieces.push(current);
      current = '';
    } else current += c;
  }
  pieces.push(current);
  return pieces;
}

/** The value of one attribute, escapes resolved (`\,` and `\2C` alike, hex pairs as UTF-8). */
function unescapeValue(raw: string): string {
  // Unescaped spaces around the value are the separator's, not the value's ("CN=a, O=b").
  let start = 0;
  while (raw[start] === ' ') start += 1;
  let end = raw.length;
  while (end > start && raw[end - 1] === ' ' && !isEscaped(raw, end - 1)) end -= 1;
  const bytes: number[] = [];
  const encoder = new TextEncoder();
  for (let i = start; i < end; i += 1) {
    const c = raw[i] as string;
    if (c !== '\\') {
      const code = raw.codePointAt(i) as number;
      bytes.push(...encoder.encode(String.fromCodePoint(code)));
      if (code > 0xffff) i += 1;
      continue;
    }
    const next = raw.slice(i + 1, i + 3);
    if (/^[0-9A-Fa-f]{2}$/.test(next)) {
      bytes.push(parseInt(next, 16));
      i += 2;
    } else if (specialCharacters.has(raw[i + 1] ?? '')) {
      bytes.push((raw[i + 1] as string).charCodeAt(0));
      i += 1;
    } else throw new Error(`'\\${raw[i + 1] ?? ''}' is not an escape RFC 4514 allows`);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(new Uint8Array(bytes));
  } catch {
    throw new Error('a hex escape does not form valid UTF-8');
  }
}

function isEscaped(text: string, index: number): boolean {
  let backslashes = 0;
  for (let i = index - 1; i >= 0 && text[i] === '\\'; i -= 1) backslashes += 1;
  return backslashes % 2 === 1;
}

/**
 * Parses an RFC 4514 distinguished name ("CN=Alice,O=Example,C=DE": the most significant RDN
 * last) into DER order. `extraTypes` adds names (lower case) to OIDs. Throws an Error saying
 * what is wrong.
 */
export function parseRfc4514(text: string, extraTypes: Record<string, string> = {}): SubjectAttribute[][] {
  if (text.trim() === '') throw new Error('the subject is empty');
  const rdns = splitUnescaped(text, ',').map((rdnText) =>
    splitUnescaped(rdnText, '+').map((attributeText): SubjectAttribute => {
      const equals = attributeText.indexOf('=');
      if (equals <= 0) throw new Error(`'${attributeText.trim()}' is not TYPE=value`);
      const type = attributeText.slice(0, equals).trim();
      const oid = /^(oid\.)?\d+(\.\d+)+$/i.test(type)
        ? type.replace(/^oid\./i, '')
        : (extraTypes[type.toLowerCase()] ?? attributeTypes[type.toLowerCase()]);
      if (oid === undefined)
        throw new Error(`'${type}' is not an attribute type this tool knows (use its OID, e.g. 2.5.4.3=...)`);
      const rawValue = attributeText.slice(equals + 1).trim();
      if (rawValue.startsWith('#')) {
        const hex = rawValue.slice(1);
        if (!/^([0-9A-Fa-f]{2})+$/.test(hex))
          throw new Error(`the value of ${type} starts with '#' but is not hex-encoded DER`);
        return { oid, value: hex.toLowerCase(), hexDer: true };
      }
      return { oid, value: unescapeValue(attributeText.slice(equals + 1)) };
    }),
  );
  return rdns.reverse();
}

/** A mailbox that fits an rfc822Name (IA5String): ASCII, one '@', a domain of labels. */
export function emailProblem(email: string): string | null {
  if (email.length > 254) return `'${email.slice(0, 40)}…' is longer than 254 characters`;
  if (/[^\x21-\x7e]/.test(email))
    return `'${email}' holds characters other than printable ASCII (an rfc822Name cannot carry them)`;
  const at = email.lastIndexOf('@');
  const local = email.slice(0, at);
  const domain = email.slice(at + 1);
  if (at <= 0 || local.includes('@') || !/^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*$/.test(domain))
    return `'${email}' is not an e-mail address`;
  return null;
}

export interface SubjectOptions {
  email: string;
  cn?: string;
  /** RFC 4514. */
  subject?: string;
}

/** The subject from --email with --cn or --subject; the e-mail is added as emailAddress if the subject lacks it. */
export function subjectFromOptions(options: SubjectOptions): RequestSubject {
  const problem = emailProblem(options.email);
  if (problem !== null) throw new Error(problem);
  if (options.cn !== undefined && options.subject !== undefined) throw new Error('give --cn or --subject, not both');
  let rdns: SubjectAttribute[][];
  if (options.subject !== undefined) rdns = parseRfc4514(options.subject);
  else {
    const cn = options.cn ?? options.email;
    if (cn.trim() === '') throw new Error('the common name is empty');
    rdns = [[{ oid: '2.5.4.3', value: cn }]];
  }
  const hasEmail = rdns
    .flat()
    .some(
      (part) =>
        part.oid === emailAddressOid && !part.hexDer && part.value.toLowerCase() === options.email.toLowerCase(),
    );
  if (!hasEmail) rdns.push([{ oid: emailAddressOid, value: options.email }]);
  return { rdns, emails: [options.email] };
}

/**
 * The subject and mailboxes of an old request (typically one Sectigo would refuse): the subject
 * as it reads, the SAN rfc822Names and the subject's emailAddress values, in that order.
 */
export function subjectFromReport(report: CsrReport): RequestSubject {
  // The report names each attribute type; its own names map back to the OIDs it read.
  const types: Record<string, string> = {};
  for (const part of report.subject.parts) types[part.type.toLowerCase()] = part.oid;
  const rdns = report.subject.text === '' ? [] : parseRfc4514(report.subject.text, types);
  const candidates = [
    ...report.subjectAltNames.filter((name) => name.startsWith('email:')).map((name) => name.slice('email:'.length)),
    ...report.subject.parts.filter((part) => part.oid === emailAddressOid).map((part) => part.value),
  ];
  const emails: string[] = [];
  for (const email of candidates) {
    if (emailProblem(email) !== null) continue;
    if (!emails.some((known) => known.toLowerCase() === email.toLowerCase())) emails.push(email);
  }
  if (emails.length === 0) throw new Error('the old request holds no usable e-mail address; use --email instead');
  if (rdns.length === 0) rdns.push([{ oid: '2.5.4.3', value: emails[0] as string }]);
  return { rdns, emails };
}
