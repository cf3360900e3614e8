// Decodes a PKCS#10 CertificationRequest (RFC 2986) into plain data:
//
//   CertificationRequest ::= SEQUENCE { certificationRequestInfo, signatureAlgorithm, signature BIT STRING }
//   CertificationRequestInfo ::= SEQUENCE { version INTEGER, subject Name, subjectPKInfo, attributes [0] }
//
// Throws DerError when the outer structure is malformed; the caller turns that into a clean
// result. Inside the attributes, whatever is wrong with one attribute or extension becomes a
// DecodeProblem (a finding) and the rest of the request is still read, as openssl reads it.
import {
  DerError,
  Tag,
  bytesText,
  checkNested,
  children,
  content,
  decodeIa5,
  decodeBitString,
  decodeBitStringBytes,
  decodeBoolean,
  decodeInteger,
  decodeOid,
  decodeSmallInteger,
  decodeString,
  expectTag,
  firstNonAscii,
  firstNonMinimalInside,
  hasIndefiniteOuterLength,
  hasMinimalLength,
  lengthMismatch,
  readNode,
  toHex,
  whole,
  type DerNode,
} from './der';
import {
  Oid,
  attributeNames,
  curves,
  explicitParametersCurve,
  extensionNames,
  hashes,
  signatureAlgorithms,
  type HashName,
  type SignatureFamily,
} from './oids';
import { maxVerifiableDsaBits } from './limits';
import { outside, type Outside } from '../outside-text';
import { domainToAscii } from './idn';
import type { ExtensionInfo, MicrosoftTemplate, PublicKeyInfo, SubjectPart } from './types';
import { latin1Text } from './bytes';

export interface DecodedSignatureAlgorithm {
  oid: string;
  name: string;
  family: SignatureFamily | null;
  hash: HashName | null;
  /** RSASSA-PSS parameters. */
  pss?: { saltLength: number; mgfHash: HashName | null; trailerField: number };
  /** Why the parameters could not be understood, if they could not. */
  problem?: string;
}

/** Something wrong inside an attribute or extension: reported as a finding, the rest of the request is still read. */
export interface DecodeProblem {
  code:
    | 'extension-duplicate'
    | 'extension-value-invalid'
    | 'extension-value-malformed'
    | 'attribute-malformed'
    | 'der-not-strict'
    | 'ia5-string-not-ascii';
  message: string;
}

export interface DecodedRequest {
  version: number | null;
  /** The DER of certificationRequestInfo: the bytes that were signed. */
  signedBytes: Uint8Array;
  subjectRdns: SubjectPart[][];
  /** The DER SubjectPublicKeyInfo. */
  spki: Uint8Array;
  publicKey: PublicKeyInfo;
  rsaModulus: bigint | null;
  rsaExponent: bigint | null;
  /** The EC public point as encoded (0x04 || X || Y when uncompressed), null when not EC. */
  ecPoint: Uint8Array | null;
  /** The subjectPublicKey BIT STRING's bytes (the raw key for EdDSA). */
  keyBits: Uint8Array;
  /** DSA domain parameters and public value, when the key is DSA and they read. */
  dsaKey: { p: bigint; q: bigint; g: bigint; y: bigint } | null;
  signatureAlgorithm: DecodedSignatureAlgorithm;
  signature: Uint8Array;
  /** Bits of the signature's last octet that are not part of it (0 for every signature a signer makes). */
  signatureUnusedBits: number;
  extensions: ExtensionInfo[];
  subjectAltNames: Outside[];
  /** Emails found in the SAN (rfc822Name, SmtpUTF8Mailbox). */
  sanEmails: string[];
  microsoftTemplate: MicrosoftTemplate | null;
  challengePassword: boolean;
  otherAttributes: string[];
  /** What is wrong inside attributes and extension values, in order of appearance. */
  problems: DecodeProblem[];
}

/** What a DER structure is, when it is not a request. */
export function classifyNonRequest(der: Uint8Array): { code: string; error: string } | null {
  try {
    const top = readNode(der, 0);
    if (top.tag !== Tag.sequence) return null;
    const parts = children(der, top);
    const first = parts[0];
    if (
      parts.length === 3 &&
      first?.tag === Tag.sequence &&
      parts[1]?.tag === Tag.sequence &&
      parts[2]?.tag === Tag.bitString
    ) {
      const inner = children(der, first);
      if (inner[0]?.tag === 0xa0 || inner.length >= 6)
        return { code: 'not-a-csr-certificate', error: 'this is a certificate, not a certificate request' };
      return null;
    }
    if (parts.length === 2 && first?.tag === Tag.sequence && parts[1]?.tag === Tag.bitString) {
      return { code: 'not-a-csr-public-key', error: 'this is a public key, not a certificate request' };
    }
    if (
      first?.tag === Tag.integer &&
      (parts[1]?.tag === Tag.sequence || parts[1]?.tag === Tag.integer || parts[1]?.tag === Tag.octetString)
    ) {
      return {
        code: 'not-a-csr-private-key',
        error: 'this is a private key, not a certificate request (keep it secret: never send it anywhere)',
      };
    }
  } catch {
    return null;
  }
  return null;
}

function bitLength(magnitude: Uint8Array): number {
  let i = 0;
  while (i < magnitude.length && magnitude[i] === 0) i += 1;
  if (i === magnitude.length) return 0;
  return (magnitude.length - i - 1) * 8 + (32 - Math.clz32(magnitude[i] as number));
}

function decodeValue(bytes: Uint8Array, node: DerNode): string {
  const text = decodeString(bytes, node);
  return text ?? `#${toHex(whole(bytes, node))}`;
}

/** Parts whose value is not a string and is shown as RFC 4514 '#' + hex of its DER, which is not escaped. */
const hexEncodedParts = new WeakSet<SubjectPart>();

/** Shown in a message: quoted, and short. */
function quoted(text: string): string {
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text);
}

/** The problem an IA5String with non-ASCII bytes makes, or null when it is ASCII. */
function nonAsciiProblem(
  bytes: Uint8Array,
  node: DerNode,
  what: string,
  hint: (text: string) => string = () => '',
): DecodeProblem | null {
  const at = firstNonAscii(content(bytes, node));
  if (at === -1) return null;
  const text = decodeIa5(content(bytes, node));
  return {
    code: 'ia5-string-not-ascii',
    message: `${what} is an IA5String with a non-ASCII byte at byte ${node.contentStart + at}, most likely raw UTF-8 for ${quoted(text)}. IA5String is ASCII only, and Sectigo's validation refuses it.${hint(text)}`,
  };
}

const NO_IDN = ' It is not a valid internationalised domain name either (IDNA refuses it).';
const mailboxHint = (text: string): string => {
  const at = text.lastIndexOf('@');
  const local = text.slice(0, at);
  if (!/^[\x00-\x7f]*$/.test(local) || at <= 0)
    return ' A mailbox with a non-ASCII local part belongs in an SmtpUTF8Mailbox name (RFC 8398).';
  const domain = domainToAscii(text.slice(at + 1));
  return domain === null ? NO_IDN : ` Write its domain as an IDN: ${quoted(`${local}@${domain}`)}.`;
};
const domainHint = (text: string): string => {
  const domain = domainToAscii(text);
  return domain === null ? NO_IDN : ` Written as an IDN it is ${quoted(domain)}.`;
};
const uriHint = (): string => ' A URI writes other characters percent-encoded (RFC 3986).';

/** An IA5String name of the SAN as text; a non-ASCII byte in it is a problem. */
function ia5Name(
  bytes: Uint8Array,
  name: DerNode,
  data: Uint8Array,
  label: string,
  hint: (text: string) => string,
  problems: DecodeProblem[],
): string {
  if (firstNonAscii(data) === -1) return latin1Text(data);
  const problem = nonAsciiProblem(bytes, name, `The ${label} in the subject alternative names`, hint);
  if (problem !== null) problems.push(problem);
  return decodeIa5(data);
}

function decodeName(bytes: Uint8Array, name: DerNode, problems: DecodeProblem[], where = 'subject'): SubjectPart[][] {
  expectTag(name, Tag.sequence, 'the Name');
  return children(bytes, name).map((rdn) => {
    expectTag(rdn, Tag.set, 'a relative distinguished name');
    return children(bytes, rdn).map((pair) => {
      expectTag(pair, Tag.sequence, 'an attribute of the name');
      const [typeNode, valueNode] = children(bytes, pair);
      const oid = decodeOid(bytes, expectTag(typeNode, Tag.oid, 'an attribute type'));
      if (valueNode === undefined) throw new DerError('an attribute of the name has no value');
      const part: SubjectPart = {
        type: attributeNames[oid] ?? oid,
        oid,
        value: outside(decodeValue(bytes, valueNode)),
      };
      if (decodeString(bytes, valueNode) === null) hexEncodedParts.add(part);
      if (valueNode.tag === Tag.ia5String) {
        const problem = nonAsciiProblem(bytes, valueNode, `The ${where} ${part.type}`);
        if (problem !== null) problems.push(problem);
      }
      return part;
    });
  });
}

/** RFC 4514 escaping of one attribute value. */
const needsEscaping = /[\\",+;<>=\u0000]|^[ #]| $/;

export function escapeRfc4514(value: string): string {
  // Most values need nothing: one test instead of two replacements.
  if (!needsEscaping.test(value)) return value;
  let escaped = value.replace(/[\\",+;<>=]/g, (c) => `\\${c}`).replace(/\u0000/g, '\\00');
  if (escaped.startsWith(' ') || escaped.startsWith('#')) escaped = `\\${escaped}`;
  if (escaped.endsWith(' ') && escaped.length > 1) escaped = `${escaped.slice(0, -1)}\\ `;
  return escaped;
}

/** RFC 4514 string: the last RDN first. */
export function nameToRfc4514(rdns: SubjectPart[][]): string {
  return [...rdns]
    .reverse()
    .map((rdn) =>
      rdn.map((part) => `${part.type}=${hexEncodedParts.has(part) ? part.value : escapeRfc4514(part.value)}`).join('+'),
    )
    .join(',');
}

function decodeAlgorithmIdentifier(
  bytes: Uint8Array,
  node: DerNode | undefined,
  what: string,
): { oid: string; parameters: DerNode | undefined } {
  expectTag(node, Tag.sequence, what);
  const [oidNode, parameters, extra] = children(bytes, node as DerNode);
  if (extra !== undefined) throw new DerError(`${what} has more than two parts`);
  return { oid: decodeOid(bytes, expectTag(oidNode, Tag.oid, `${what} algorithm`)), parameters };
}

/** Hash and PKCS#1 algorithm identifiers carry NULL or nothing; anything else is a malformed request. */
function expectNullParameters(bytes: Uint8Array, parameters: DerNode | undefined, what: string): void {
  if (parameters !== undefined && (parameters.tag !== Tag.null || parameters.end !== parameters.contentStart)) {
    throw new DerError(`${what} has parameters where only NULL is allowed`);
  }
}

function decodeHashAlgorithm(bytes: Uint8Array, node: DerNode | undefined, what: string): string {
  const algorithm = decodeAlgorithmIdentifier(bytes, node, what);
  expectNullParameters(bytes, algorithm.parameters, what);
  return algorithm.oid;
}

/** Exponents up to 16,384 bits are shown in decimal. */
const maxDecimalExponentBytes = 2048;

interface DecodedKey {
  info: PublicKeyInfo;
  modulus: bigint | null;
  exponent: bigint | null;
  point?: Uint8Array;
  dsa?: { p: bigint; q: bigint; g: bigint; y: bigint };
  keyBits: Uint8Array;
  /** The offset of a length inside the key's BIT STRING that is not in DER's shortest form, or -1. */
  nonMinimalAt: number;
}

/**
 * The size of an EC key with explicit parameters: the bits of the group order, as openssl
 * counts them (a 661-bit curve has 661, although its coordinates take 83 bytes), or null.
 */
function explicitCurveBits(bytes: Uint8Array, parameters: DerNode): number | null {
  try {
    const order = children(bytes, parameters)[4];
    return order?.tag === Tag.integer ? bitLength(content(bytes, order)) : null;
  } catch {
    return null;
  }
}

function decodePublicKey(bytes: Uint8Array, spkiNode: DerNode): DecodedKey {
  const [algorithmNode, keyNode] = children(bytes, spkiNode);
  const algorithm = decodeAlgorithmIdentifier(bytes, algorithmNode, 'the public key algorithm');
  const keyBits = decodeBitStringBytes(bytes, expectTag(keyNode, Tag.bitString, 'the public key'));
  const keyOffset = (keyNode as DerNode).contentStart + 1;
  const plain = (info: PublicKeyInfo): DecodedKey => ({
    info,
    modulus: null,
    exponent: null,
    keyBits,
    nonMinimalAt: -1,
  });
  switch (algorithm.oid) {
    case Oid.rsaEncryption:
    case Oid.rsassaPss: {
      const sequence = expectTag(
        readNode(bytes, keyOffset, (keyNode as DerNode).end),
        Tag.sequence,
        'the RSA public key',
      );
      const [modulusNode, exponentNode] = children(bytes, sequence);
      expectTag(modulusNode, Tag.integer, 'the RSA modulus');
      expectTag(exponentNode, Tag.integer, 'the RSA public exponent');
      const modulus = decodeInteger(bytes, modulusNode as DerNode);
      const exponent = decodeInteger(bytes, exponentNode as DerNode);
      return {
        info: {
          algorithm: algorithm.oid === Oid.rsaEncryption ? 'RSA' : 'RSASSA-PSS',
          size: modulus > 0n ? bitLength(content(bytes, modulusNode as DerNode)) : 0,
          curve: null,
          // Decimal conversion is quadratic; an absurd exponent (a hostile or broken request) is shown in hex.
          exponent:
            exponent >= 0n && content(bytes, exponentNode as DerNode).length > maxDecimalExponentBytes
              ? `0x${exponent.toString(16)}`
              : exponent.toString(),
        },
        modulus,
        exponent,
        keyBits,
        // The RSAPublicKey is DER inside the BIT STRING: its lengths are held to the same rule.
        nonMinimalAt: checkNested(bytes, sequence, 2),
      };
    }
    case Oid.ecPublicKey: {
      let curve: string;
      let size: number | null;
      if (algorithm.parameters?.tag === Tag.oid) {
        const curveOid = decodeOid(bytes, algorithm.parameters);
        const known = curves[curveOid];
        curve = known?.name ?? curveOid;
        size = known?.bits ?? null;
      } else {
        curve = explicitParametersCurve;
        size = algorithm.parameters?.tag === Tag.sequence ? explicitCurveBits(bytes, algorithm.parameters) : null;
      }
      if (size === null && keyBits.length > 1) {
        size = keyBits[0] === 0x04 ? ((keyBits.length - 1) / 2) * 8 : (keyBits.length - 1) * 8;
      }
      return { ...plain({ algorithm: 'EC', size, curve, exponent: null }), point: keyBits };
    }
    case Oid.ed25519:
      return plain({ algorithm: 'Ed25519', size: 256, curve: null, exponent: null });
    case Oid.ed448:
      return plain({ algorithm: 'Ed448', size: 456, curve: null, exponent: null });
    case Oid.dsa: {
      let size: number | null = null;
      let dsa: DecodedKey['dsa'];
      if (algorithm.parameters?.tag === Tag.sequence) {
        const [p, q, g] = children(bytes, algorithm.parameters);
        if (p?.tag === Tag.integer) size = bitLength(content(bytes, p));
        // Only a key that can be verified is read further: a 4 MB p is never turned into a number.
        if (size !== null && size <= maxVerifiableDsaBits)
          try {
            const y = readNode(bytes, keyOffset, (keyNode as DerNode).end);
            if (p?.tag === Tag.integer && q?.tag === Tag.integer && g?.tag === Tag.integer && y.tag === Tag.integer)
              dsa = {
                p: decodeInteger(bytes, p),
                q: decodeInteger(bytes, q),
                g: decodeInteger(bytes, g),
                y: decodeInteger(bytes, y),
              };
          } catch {
            // A public value that does not read: the key cannot be loaded, which the check says.
          }
      }
      const decoded = plain({ algorithm: 'DSA', size, curve: null, exponent: null });
      if (dsa !== undefined) decoded.dsa = dsa;
      return decoded;
    }
    default:
      return plain({ algorithm: algorithm.oid, size: null, curve: null, exponent: null });
  }
}

function explicitChild(bytes: Uint8Array, node: DerNode): DerNode {
  const inner = children(bytes, node);
  if (inner.length !== 1) throw new DerError(`tagged element at byte ${node.start} must hold one element`);
  return inner[0] as DerNode;
}

function decodeSignatureAlgorithm(bytes: Uint8Array, node: DerNode | undefined): DecodedSignatureAlgorithm {
  const algorithm = decodeAlgorithmIdentifier(bytes, node, 'the signature algorithm');
  const known = signatureAlgorithms[algorithm.oid];
  if (!known) return { oid: algorithm.oid, name: algorithm.oid, family: null, hash: null };
  if (known.family === 'rsa-pkcs1') expectNullParameters(bytes, algorithm.parameters, 'the signature algorithm');
  else if (known.family !== 'rsa-pss' && algorithm.parameters !== undefined) {
    throw new DerError(`the ${known.name} signature algorithm must not have parameters`);
  }
  if (known.family !== 'rsa-pss')
    return { oid: algorithm.oid, name: known.name, family: known.family, hash: known.hash };
  // RSASSA-PSS-params: every field has a DEFAULT (SHA-1, MGF1 with SHA-1, salt 20, trailer 1).
  let hash: HashName | null = 'SHA-1';
  let mgfHash: HashName | null = 'SHA-1';
  let saltLength = 20;
  let trailerField = 1;
  let problem: string | undefined;
  if (algorithm.parameters?.tag === Tag.sequence) {
    for (const field of children(bytes, algorithm.parameters)) {
      const value = explicitChild(bytes, field);
      if (field.tag === 0xa0) {
        const hashOid = decodeHashAlgorithm(bytes, value, 'the PSS hash');
        hash = hashes[hashOid] ?? null;
        if (hash === null) problem = `unknown PSS hash ${hashOid}`;
      } else if (field.tag === 0xa1) {
        const mgf = decodeAlgorithmIdentifier(bytes, value, 'the PSS mask generation function');
        if (mgf.oid !== Oid.mgf1) {
          mgfHash = null;
          problem = `unknown PSS mask generation function ${mgf.oid}`;
        } else {
          const mgfHashOid = decodeHashAlgorithm(bytes, mgf.parameters, 'the MGF1 hash');
          mgfHash = hashes[mgfHashOid] ?? null;
          if (mgfHash === null) problem = `unknown MGF1 hash ${mgfHashOid}`;
        }
      } else if (field.tag === 0xa2) {
        saltLength = decodeSmallInteger(bytes, expectTag(value, Tag.integer, 'the PSS salt length')) ?? -1;
        // node:crypto gives negative salt lengths a meaning (auto-detect); the encoding gives them none.
        if (saltLength < 0 || saltLength > 1024)
          throw new DerError(`the PSS salt length ${saltLength} is out of range`);
      } else if (field.tag === 0xa3) {
        trailerField = decodeSmallInteger(bytes, expectTag(value, Tag.integer, 'the PSS trailer field')) ?? -1;
      } else {
        throw new DerError(`unknown RSASSA-PSS parameter [${field.tag & 0x1f}]`);
      }
    }
  } else if (algorithm.parameters !== undefined && algorithm.parameters.tag !== Tag.null) {
    problem = 'the RSASSA-PSS parameters are not a SEQUENCE';
  }
  const result: DecodedSignatureAlgorithm = {
    oid: algorithm.oid,
    name: known.name,
    family: 'rsa-pss',
    hash,
    pss: { saltLength, mgfHash, trailerField },
  };
  if (problem !== undefined) result.problem = problem;
  return result;
}

function formatIp(data: Uint8Array): string {
  if (data.length === 4) return Array.from(data).join('.');
  if (data.length !== 16) return `#${toHex(data)}`;
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((data[i] as number) << 8) | (data[i + 1] as number));
  // RFC 5952: compress the longest run (two or more) of zero groups.
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i += 1;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j += 1;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart === -1) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}

const smtpUtf8Mailbox = '1.3.6.1.5.5.7.8.9';

function decodeGeneralNames(
  bytes: Uint8Array,
  value: DerNode,
  names: string[],
  emails: string[],
  problems: DecodeProblem[],
): void {
  expectTag(value, Tag.sequence, 'the subject alternative names');
  for (const name of children(bytes, value)) {
    const data = content(bytes, name);
    switch (name.tag) {
      case 0x81: {
        const email = ia5Name(bytes, name, data, 'email address', mailboxHint, problems);
        names.push(`email:${email}`);
        emails.push(email);
        break;
      }
      case 0x82:
        names.push(`DNS:${ia5Name(bytes, name, data, 'DNS name', domainHint, problems)}`);
        break;
      case 0x86:
        names.push(`URI:${ia5Name(bytes, name, data, 'URI', uriHint, problems)}`);
        break;
      case 0x87:
        names.push(`IP:${formatIp(data)}`);
        break;
      case 0x88:
        names.push(`registeredID:${decodeOid(bytes, { ...name, tag: Tag.oid })}`);
        break;
      case 0xa0: {
        const [typeNode, wrapped] = children(bytes, name);
        const oid = decodeOid(bytes, expectTag(typeNode, Tag.oid, 'an otherName type'));
        const inner = wrapped?.tag === 0xa0 ? explicitChild(bytes, wrapped) : undefined;
        const text = inner ? decodeValue(bytes, inner) : '';
        names.push(`othername:${oid}:${text}`);
        if (oid === smtpUtf8Mailbox && text !== '') emails.push(text);
        break;
      }
      case 0xa4:
        names.push(
          `dirName:${nameToRfc4514(decodeName(bytes, explicitChild(bytes, name), problems, 'directory name attribute'))}`,
        );
        break;
      default:
        names.push(`other:[${name.tag & 0x1f}]#${toHex(data)}`);
    }
  }
}

function decodeTemplateV2(bytes: Uint8Array, value: DerNode): NonNullable<MicrosoftTemplate['v2']> {
  expectTag(value, Tag.sequence, 'the certificate template (v2)');
  const [idNode, majorNode, minorNode] = children(bytes, value);
  return {
    templateId: decodeOid(bytes, expectTag(idNode, Tag.oid, 'the template id')),
    majorVersion: majorNode?.tag === Tag.integer ? decodeSmallInteger(bytes, majorNode) : null,
    minorVersion: minorNode?.tag === Tag.integer ? decodeSmallInteger(bytes, minorNode) : null,
  };
}

type AttributeParts = Pick<
  DecodedRequest,
  | 'extensions'
  | 'subjectAltNames'
  | 'sanEmails'
  | 'microsoftTemplate'
  | 'challengePassword'
  | 'otherAttributes'
  | 'problems'
>;

/** The extensions whose value decides what the certificate says: a malformed one is an error, any other a warning. */
const essentialExtensions = new Set<string>([Oid.subjectAltName, Oid.keyUsage, Oid.basicConstraints]);

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function extensionLabel(oid: string): string {
  const name = extensionNames[oid];
  return name === undefined ? oid : `${name} (${oid})`;
}

/** The single element an OCTET STRING holds, which must fill it exactly. */
function wrappedValue(bytes: Uint8Array, wrapper: DerNode): DerNode {
  const value = readNode(bytes, wrapper.contentStart, wrapper.end);
  if (value.end !== wrapper.end)
    throw new DerError(
      `${bytesText(wrapper.end - value.end)} of unexpected data follow the value, from byte ${value.end}`,
    );
  return value;
}

/** keyUsage: a BIT STRING with at least one bit set (RFC 5280 4.2.1.3), trailing zero bits left out in DER. */
function checkKeyUsage(bytes: Uint8Array, value: DerNode, problems: DecodeProblem[], label: string): void {
  const data = content(bytes, expectTag(value, Tag.bitString, 'the key usage'));
  if (data.length === 0) throw new DerError('the key usage BIT STRING is empty');
  const unused = data[0] as number;
  if (unused > 7 || (data.length === 1 && unused !== 0))
    throw new DerError(`the key usage BIT STRING claims ${unused} unused bits`);
  const bits = data.subarray(1);
  if (bits.every((octet) => octet === 0)) throw new DerError('no key usage bit is set');
  const last = bits[bits.length - 1] as number;
  if ((last & ((1 << unused) - 1)) !== 0 || last === 0 || (last & (1 << unused)) === 0) {
    problems.push({
      code: 'der-not-strict',
      message: `The extension ${label} writes its bits with trailing zero or unused bits set. DER requires the shortest form, and a strict CA may refuse it.`,
    });
  }
}

/** basicConstraints: SEQUENCE { cA BOOLEAN DEFAULT FALSE, pathLenConstraint INTEGER (0..MAX) OPTIONAL }. */
function checkBasicConstraints(bytes: Uint8Array, value: DerNode, problems: DecodeProblem[], label: string): void {
  const fields = children(bytes, expectTag(value, Tag.sequence, 'the basic constraints'));
  let index = 0;
  if (fields[0]?.tag === Tag.boolean) {
    if (!decodeBoolean(bytes, fields[0])) {
      problems.push({
        code: 'der-not-strict',
        message: `The extension ${label} encodes cA FALSE. DER leaves a DEFAULT value out, and a strict CA may refuse it.`,
      });
    }
    index = 1;
  }
  const pathLength = fields[index];
  if (pathLength !== undefined) {
    const length = decodeInteger(bytes, expectTag(pathLength, Tag.integer, 'the path length constraint'));
    if (length < 0n) throw new DerError('the path length constraint is negative');
    index += 1;
  }
  if (fields.length > index) throw new DerError('the basic constraints have more than two parts');
}

/** How many times each extension OID was seen, in order of first appearance. */
type SeenExtensions = Map<string, number>;

function decodeExtension(bytes: Uint8Array, extension: DerNode, seen: SeenExtensions, parts: AttributeParts): void {
  let oid: string | undefined;
  try {
    expectTag(extension, Tag.sequence, 'the extension');
    // The id first: whatever is wrong after it, the finding names the extension.
    oid = decodeOid(
      bytes,
      expectTag(readNode(bytes, extension.contentStart, extension.end), Tag.oid, 'the extension id'),
    );
    const fields = children(bytes, extension);
    const label = extensionLabel(oid);
    let critical = false;
    let index = 1;
    if (fields[1]?.tag === Tag.boolean) {
      critical = decodeBoolean(bytes, fields[1]);
      const octet = bytes[fields[1].contentStart];
      if (!critical) {
        parts.problems.push({
          code: 'der-not-strict',
          message: `The extension ${label} encodes critical FALSE. DER leaves a DEFAULT value out, and a strict CA may refuse it.`,
        });
      } else if (octet !== 0xff) {
        parts.problems.push({
          code: 'der-not-strict',
          message: `The extension ${label} encodes TRUE as 0x${toHex(Uint8Array.of(octet as number))}. DER requires 0xff, and a strict CA may refuse it.`,
        });
      }
      index = 2;
    }
    const wrapper = expectTag(fields[index], Tag.octetString, 'the extension value');
    if (fields.length > index + 1) throw new DerError('the extension has more than three parts');
    seen.set(oid, (seen.get(oid) ?? 0) + 1);
    parts.extensions.push({ oid, name: extensionNames[oid] ?? oid, critical });
    const value = wrappedValue(bytes, wrapper);
    const longLength = checkNested(bytes, value);
    if (longLength !== -1) {
      parts.problems.push({
        code: 'der-not-strict',
        message: `The extension ${label} writes the length at byte ${longLength} in more octets than DER allows. A strict CA may refuse it.`,
      });
    }
    if (oid === Oid.subjectAltName) {
      // Kept only when the whole value reads: half a list of names would mislead.
      const names: string[] = [];
      const emails: string[] = [];
      const problems: DecodeProblem[] = [];
      decodeGeneralNames(bytes, value, names, emails, problems);
      parts.subjectAltNames.push(...names.map(outside));
      parts.sanEmails.push(...emails);
      parts.problems.push(...problems);
    } else if (oid === Oid.keyUsage) {
      checkKeyUsage(bytes, value, parts.problems, label);
    } else if (oid === Oid.basicConstraints) {
      checkBasicConstraints(bytes, value, parts.problems, label);
    } else if (oid === Oid.msTemplateV1) {
      const name = outside(decodeValue(bytes, value));
      parts.microsoftTemplate ??= { v1: null, v2: null };
      parts.microsoftTemplate.v1 = { name };
    } else if (oid === Oid.msTemplateV2) {
      const template = decodeTemplateV2(bytes, value);
      parts.microsoftTemplate ??= { v1: null, v2: null };
      parts.microsoftTemplate.v2 = template;
    }
  } catch (error) {
    if (oid !== undefined) parts.problems.push(extensionProblem(oid, error));
    else
      parts.problems.push({
        code: 'extension-value-malformed',
        message: `The extension at byte ${extension.start} is malformed: ${reason(error)}.`,
      });
  }
}

/** A malformed known extension whose value decides the certificate is an error, any other a warning. */
function extensionProblem(oid: string, error: unknown): DecodeProblem {
  return {
    code: essentialExtensions.has(oid) ? 'extension-value-invalid' : 'extension-value-malformed',
    message: `The extension ${extensionLabel(oid)} is malformed: ${reason(error)}.`,
  };
}

/** The id of the extension starting at `offset` when its header and id read, although its length does not fit. */
function extensionIdAt(bytes: Uint8Array, offset: number, limit: number): string | null {
  try {
    if (bytes[offset] !== Tag.sequence) return null;
    const first = bytes[offset + 1] as number;
    const contentStart = offset + 2 + (first < 0x80 ? 0 : first & 0x7f);
    return decodeOid(bytes, expectTag(readNode(bytes, contentStart, limit), Tag.oid, 'the extension id'));
  } catch {
    return null;
  }
}

function decodeAttribute(
  bytes: Uint8Array,
  attribute: DerNode,
  seen: SeenExtensions,
  parts: AttributeParts,
  judged: Set<number>,
): void {
  let oid: string | undefined;
  try {
    expectTag(attribute, Tag.sequence, 'the attribute');
    const [typeNode, valuesNode, extra] = children(bytes, attribute);
    oid = decodeOid(bytes, expectTag(typeNode, Tag.oid, 'the attribute type'));
    // Known present even when its value is broken: the warning about a readable password still applies.
    if (oid === Oid.challengePassword) parts.challengePassword = true;
    else if (oid !== Oid.extensionRequest && oid !== Oid.msExtensionRequest) parts.otherAttributes.push(oid);
    if (extra !== undefined) throw new DerError('the attribute has more than two parts');
    const values = children(bytes, expectTag(valuesNode, Tag.set, 'the attribute values'));
    if (oid !== Oid.extensionRequest && oid !== Oid.msExtensionRequest) {
      for (const value of values) {
        judged.add(value.start);
        const longLength = checkNested(bytes, value);
        if (longLength !== -1) {
          parts.problems.push({
            code: 'der-not-strict',
            message: `The attribute ${oid} writes the length at byte ${longLength} in more octets than DER allows. A strict CA may refuse it.`,
          });
          break;
        }
      }
      return;
    }
    if (values.length === 0) {
      parts.problems.push({
        code: 'der-not-strict',
        message: `The extensionRequest attribute (${oid}) has an empty set of values. PKCS#9 requires exactly one, and a strict CA may refuse it.`,
      });
      return;
    }
    if (values.length > 1) throw new DerError(`it holds ${values.length} lists of extensions where PKCS#9 allows one`);
    for (const list of values) {
      expectTag(list, Tag.sequence, 'the list of extensions');
      if (list.end === list.contentStart) {
        parts.problems.push({
          code: 'der-not-strict',
          message: `The extensionRequest attribute (${oid}) holds an empty list of extensions. The syntax requires at least one, and a strict CA may refuse it.`,
        });
      }
      for (let position = list.contentStart; position < list.end;) {
        let extension: DerNode;
        try {
          extension = readNode(bytes, position, list.end);
        } catch (error) {
          // An extension whose length runs past the list: its id may still read, and then it is named.
          const named = extensionIdAt(bytes, position, list.end);
          if (named === null) throw error;
          parts.problems.push(extensionProblem(named, error));
          break;
        }
        decodeExtension(bytes, extension, seen, parts);
        position = extension.end;
      }
    }
  } catch (error) {
    const label = oid === undefined ? `at byte ${attribute.start}` : oid;
    const note =
      oid === Oid.extensionRequest || oid === Oid.msExtensionRequest
        ? ' Its extensions may not all have been read.'
        : '';
    parts.problems.push({
      code: 'attribute-malformed',
      message: `The attribute ${label} is malformed: ${reason(error)}.${note}`,
    });
  }
}

/** The attributes: their outer list must be sound; whatever is wrong inside one is a problem, not a failure. */
function decodeAttributes(bytes: Uint8Array, attributesNode: DerNode | undefined, judged: Set<number>): AttributeParts {
  const parts: AttributeParts = {
    extensions: [],
    subjectAltNames: [],
    sanEmails: [],
    microsoftTemplate: null,
    challengePassword: false,
    otherAttributes: [],
    problems: [],
  };
  if (attributesNode === undefined) return parts;
  if (attributesNode.tag !== 0xa0) throw new DerError('the attributes field has the wrong tag');
  const seen: SeenExtensions = new Map();
  for (const attribute of children(bytes, attributesNode)) decodeAttribute(bytes, attribute, seen, parts, judged);
  // One finding per repeated extension, however often it repeats.
  for (const [oid, count] of seen) {
    if (count > 1) {
      parts.problems.push({
        code: 'extension-duplicate',
        message: `The extension ${extensionLabel(oid)} appears ${count} times. RFC 5280 forbids a repeated extension, and strict CAs refuse the request.`,
      });
    }
  }
  return parts;
}

/** The outer SEQUENCE: DER, or BER's indefinite length (named as a problem, read all the same, as openssl does). */
function readOuter(der: Uint8Array): { top: DerNode; indefinite: boolean } {
  if (hasIndefiniteOuterLength(der))
    return { top: { tag: Tag.sequence, start: 0, contentStart: 2, end: der.length - 2 }, indefinite: true };
  const mismatch = lengthMismatch(der);
  if (mismatch !== null) throw new DerError(mismatch);
  return { top: expectTag(readNode(der, 0), Tag.sequence, 'the request'), indefinite: false };
}

/**
 * One problem per part of the request (outside the attribute and extension values, judged
 * where they are read) whose lengths are not all in DER's shortest form: X.690 requires the
 * fewest length octets at every level.
 */
function lengthProblems(
  der: Uint8Array,
  top: DerNode,
  parts: [string, DerNode | undefined][],
  judged: Set<number>,
  keyNonMinimalAt: number,
  indefinite: boolean,
): DecodeProblem[] {
  const found: [number, string][] = [];
  if (!indefinite && !hasMinimalLength(der, top)) found.push([0, "the request's outer SEQUENCE"]);
  for (const [what, node] of parts) {
    if (node === undefined) continue;
    if (!hasMinimalLength(der, node)) {
      found.push([node.start, what]);
      continue;
    }
    try {
      const at = firstNonMinimalInside(der, node, judged);
      if (at !== -1) found.push([at, what]);
      else if (what === 'the public key' && keyNonMinimalAt !== -1) found.push([keyNonMinimalAt, what]);
    } catch {
      // A malformed attribute was reported where it was read.
    }
  }
  return found.map(([at, what]) => ({
    code: 'der-not-strict',
    message: `The request writes the length at byte ${at} (${what}) in more octets than DER allows. openssl reads it, but a strict CA may refuse it.`,
  }));
}

export function decodeRequest(der: Uint8Array): DecodedRequest {
  const { top, indefinite } = readOuter(der);
  const [infoNode, algorithmNode, signatureNode, extra] = children(der, top);
  if (extra !== undefined) throw new DerError('the request has more than three parts');
  expectTag(infoNode, Tag.sequence, 'the certificationRequestInfo');
  const [versionNode, subjectNode, spkiNode, attributesNode, infoExtra] = children(der, infoNode as DerNode);
  if (infoExtra !== undefined) throw new DerError('the certificationRequestInfo has more than four parts');
  const version = decodeSmallInteger(der, expectTag(versionNode, Tag.integer, 'the version'));
  const nameProblems: DecodeProblem[] = [];
  const subjectRdns = decodeName(der, expectTag(subjectNode, Tag.sequence, 'the subject'), nameProblems);
  expectTag(spkiNode, Tag.sequence, 'the subject public key info');
  const key = decodePublicKey(der, spkiNode as DerNode);
  const signatureAlgorithm = decodeSignatureAlgorithm(der, algorithmNode);
  // A signature of a partial last octet is still DER (openssl, pyca and .NET read it); only its check fails.
  const signatureBits = decodeBitString(der, expectTag(signatureNode, Tag.bitString, 'the signature'));
  const signature = signatureBits.data;

  const judged = new Set<number>();
  const attributes = decodeAttributes(der, attributesNode, judged);
  const info = infoNode as DerNode;
  const encodingProblems: DecodeProblem[] = [];
  if (indefinite)
    encodingProblems.push({
      code: 'der-not-strict',
      message:
        'The request is BER, not DER: its outer SEQUENCE has an indefinite length (byte 1) and ends with two zero octets. openssl reads it, but a strict CA may refuse it.',
    });
  encodingProblems.push(
    ...lengthProblems(
      der,
      top,
      [
        ['the certificationRequestInfo', hasMinimalLength(der, info) ? undefined : info],
        ['the version', versionNode],
        ['the subject', subjectNode],
        ['the public key', spkiNode],
        ['the attributes', attributesNode],
        ['the signature algorithm', algorithmNode],
        ['the signature', signatureNode],
      ],
      judged,
      key.nonMinimalAt,
      indefinite,
    ),
  );
  if (signatureBits.paddingSet)
    encodingProblems.push({
      code: 'der-not-strict',
      message: `The signature BIT STRING (byte ${(signatureNode as DerNode).start}) has ${signatureBits.unusedBits} unused bits that are not zero. openssl reads it, but DER requires them to be zero.`,
    });
  attributes.problems.unshift(...encodingProblems, ...nameProblems);
  return {
    version,
    signedBytes: whole(der, info),
    subjectRdns,
    spki: whole(der, spkiNode as DerNode),
    publicKey: key.info,
    rsaModulus: key.modulus,
    rsaExponent: key.exponent,
    ecPoint: key.point ?? null,
    keyBits: key.keyBits,
    dsaKey: key.dsa ?? null,
    signatureAlgorithm,
    signature,
    signatureUnusedBits: signatureBits.unusedBits,
    ...attributes,
  };
}
