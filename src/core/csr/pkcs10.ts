// Decodes a PKCS#10 CertificationRequest (RFC 2986) into plain data:
//
//   CertificationRequest ::= SEQUENCE { certificationRequestInfo, signatureAlgorithm, signature BIT STRING }
//   CertificationRequestInfo ::= SEQUENCE { version INTEGER, subject Name, subjectPKInfo, attributes [0] }
//
// Throws DerError on malformed input; the caller turns that into a clean result.
import {
  DerError, Tag, children, content, decodeBitStringBytes, decodeBoolean, decodeInteger, decodeOid,
  decodeSmallInteger, decodeString, expectTag, readNode, toHex, whole, type DerNode,
} from './der';
import { Oid, attributeNames, curves, extensionNames, hashes, signatureAlgorithms, type HashName, type SignatureFamily } from './oids';
import type { ExtensionInfo, MicrosoftTemplate, PublicKeyInfo, SubjectPart } from './types';

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
  signatureAlgorithm: DecodedSignatureAlgorithm;
  signature: Uint8Array;
  extensions: ExtensionInfo[];
  subjectAltNames: string[];
  /** Emails found in the SAN (rfc822Name, SmtpUTF8Mailbox). */
  sanEmails: string[];
  microsoftTemplate: MicrosoftTemplate | null;
  challengePassword: boolean;
  otherAttributes: string[];
}

/** What a DER structure is, when it is not a request. */
export function classifyNonRequest(der: Uint8Array): { code: string; error: string } | null {
  try {
    const top = readNode(der, 0);
    if (top.tag !== Tag.sequence) return null;
    const parts = children(der, top);
    const first = parts[0];
    if (parts.length === 3 && first?.tag === Tag.sequence && parts[1]?.tag === Tag.sequence && parts[2]?.tag === Tag.bitString) {
      const inner = children(der, first);
      if (inner[0]?.tag === 0xa0 || inner.length >= 6) return { code: 'not-a-csr-certificate', error: 'this is a certificate, not a certificate request' };
      return null;
    }
    if (parts.length === 2 && first?.tag === Tag.sequence && parts[1]?.tag === Tag.bitString) {
      return { code: 'not-a-csr-public-key', error: 'this is a public key, not a certificate request' };
    }
    if (first?.tag === Tag.integer && (parts[1]?.tag === Tag.sequence || parts[1]?.tag === Tag.integer || parts[1]?.tag === Tag.octetString)) {
      return { code: 'not-a-csr-private-key', error: 'this is a private key, not a certificate request (keep it secret: never send it anywhere)' };
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

function decodeName(bytes: Uint8Array, name: DerNode): SubjectPart[][] {
  expectTag(name, Tag.sequence, 'the Name');
  return children(bytes, name).map((rdn) => {
    expectTag(rdn, Tag.set, 'a relative distinguished name');
    return children(bytes, rdn).map((pair) => {
      expectTag(pair, Tag.sequence, 'an attribute of the name');
      const [typeNode, valueNode] = children(bytes, pair);
      const oid = decodeOid(bytes, expectTag(typeNode, Tag.oid, 'an attribute type'));
      if (valueNode === undefined) throw new DerError('an attribute of the name has no value');
      const part: SubjectPart = { type: attributeNames[oid] ?? oid, oid, value: decodeValue(bytes, valueNode) };
      if (decodeString(bytes, valueNode) === null) hexEncodedParts.add(part);
      return part;
    });
  });
}

/** RFC 4514 escaping of one attribute value. */
export function escapeRfc4514(value: string): string {
  let escaped = value.replace(/[\\",+;<>=]/g, (c) => `\\${c}`).replace(/\u0000/g, '\\00');
  if (escaped.startsWith(' ') || escaped.startsWith('#')) escaped = `\\${escaped}`;
  if (escaped.endsWith(' ') && escaped.length > 1) escaped = `${escaped.slice(0, -1)}\\ `;
  return escaped;
}

/** RFC 4514 string: the last RDN first. */
export function nameToRfc4514(rdns: SubjectPart[][]): string {
  return [...rdns]
    .reverse()
    .map((rdn) => rdn.map((part) => `${part.type}=${hexEncodedParts.has(part) ? part.value : escapeRfc4514(part.value)}`).join('+'))
    .join(',');
}

function decodeAlgorithmIdentifier(bytes: Uint8Array, node: DerNode | undefined, what: string): { oid: string; parameters: DerNode | undefined } {
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

function decodePublicKey(bytes: Uint8Array, spkiNode: DerNode): { info: PublicKeyInfo; modulus: bigint | null; exponent: bigint | null; point?: Uint8Array } {
  const [algorithmNode, keyNode] = children(bytes, spkiNode);
  const algorithm = decodeAlgorithmIdentifier(bytes, algorithmNode, 'the public key algorithm');
  const keyBytes = decodeBitStringBytes(bytes, expectTag(keyNode, Tag.bitString, 'the public key'));
  const keyOffset = (keyNode as DerNode).contentStart + 1;
  switch (algorithm.oid) {
    case Oid.rsaEncryption:
    case Oid.rsassaPss: {
      const sequence = expectTag(readNode(bytes, keyOffset, (keyNode as DerNode).end), Tag.sequence, 'the RSA public key');
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
          exponent: exponent >= 0n && content(bytes, exponentNode as DerNode).length > maxDecimalExponentBytes ? `0x${exponent.toString(16)}` : exponent.toString(),
        },
        modulus,
        exponent,
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
        curve = 'explicit parameters';
        size = null;
      }
      if (size === null && keyBytes.length > 1) {
        size = keyBytes[0] === 0x04 ? ((keyBytes.length - 1) / 2) * 8 : (keyBytes.length - 1) * 8;
      }
      return { info: { algorithm: 'EC', size, curve, exponent: null }, modulus: null, exponent: null, point: keyBytes };
    }
    case Oid.ed25519:
      return { info: { algorithm: 'Ed25519', size: 256, curve: null, exponent: null }, modulus: null, exponent: null };
    case Oid.ed448:
      return { info: { algorithm: 'Ed448', size: 456, curve: null, exponent: null }, modulus: null, exponent: null };
    case Oid.dsa: {
      let size: number | null = null;
      if (algorithm.parameters?.tag === Tag.sequence) {
        const [p] = children(bytes, algorithm.parameters);
        if (p?.tag === Tag.integer) size = bitLength(content(bytes, p));
      }
      return { info: { algorithm: 'DSA', size, curve: null, exponent: null }, modulus: null, exponent: null };
    }
    default:
      return { info: { algorithm: algorithm.oid, size: null, curve: null, exponent: null }, modulus: null, exponent: null };
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
  if (known.family !== 'rsa-pss') return { oid: algorithm.oid, name: known.name, family: known.family, hash: known.hash };
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
        if (saltLength < 0 || saltLength > 1024) throw new DerError(`the PSS salt length ${saltLength} is out of range`);
      } else if (field.tag === 0xa3) {
        trailerField = decodeSmallInteger(bytes, expectTag(value, Tag.integer, 'the PSS trailer field')) ?? -1;
      } else {
        throw new DerError(`unknown RSASSA-PSS parameter [${field.tag & 0x1f}]`);
      }
    }
  } else if (algorithm.parameters !== undefined && algorithm.parameters.tag !== Tag.null) {
    problem = 'the RSASSA-PSS parameters are not a SEQUENCE';
  }
  const result: DecodedSignatureAlgorithm = { oid: algorithm.oid, name: known.name, family: 'rsa-pss', hash, pss: { saltLength, mgfHash, trailerField } };
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
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) { i += 1; continue; }
    let j = i;
    while (j < 8 && groups[j] === 0) j += 1;
    if (j - i > bestLength) { bestStart = i; bestLength = j - i; }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart === -1) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}

const smtpUtf8Mailbox = '1.3.6.1.5.5.7.8.9';

function decodeGeneralNames(bytes: Uint8Array, value: DerNode, names: string[], emails: string[]): void {
  expectTag(value, Tag.sequence, 'the subject alternative names');
  for (const name of children(bytes, value)) {
    const data = content(bytes, name);
    switch (name.tag) {
      case 0x81: {
        const email = new TextDecoder('latin1').decode(data);
        names.push(`email:${email}`);
        emails.push(email);
        break;
      }
      case 0x82:
        names.push(`DNS:${new TextDecoder('latin1').decode(data)}`);
        break;
      case 0x86:
        names.push(`URI:${new TextDecoder('latin1').decode(data)}`);
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
        names.push(`dirName:${nameToRfc4514(decodeName(bytes, explicitChild(bytes, name)))}`);
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

export function decodeRequest(der: Uint8Array): DecodedRequest {
  const top = expectTag(readNode(der, 0), Tag.sequence, 'the request');
  if (top.end !== der.length) throw new DerError(`${der.length - top.end} unexpected bytes follow the request`);
  const [infoNode, algorithmNode, signatureNode, extra] = children(der, top);
  if (extra !== undefined) throw new DerError('the request has more than three parts');
  expectTag(infoNode, Tag.sequence, 'the certificationRequestInfo');
  const [versionNode, subjectNode, spkiNode, attributesNode, infoExtra] = children(der, infoNode as DerNode);
  if (infoExtra !== undefined) throw new DerError('the certificationRequestInfo has more than four parts');
  const version = decodeSmallInteger(der, expectTag(versionNode, Tag.integer, 'the version'));
  const subjectRdns = decodeName(der, expectTag(subjectNode, Tag.sequence, 'the subject'));
  expectTag(spkiNode, Tag.sequence, 'the subject public key info');
  const key = decodePublicKey(der, spkiNode as DerNode);
  const signatureAlgorithm = decodeSignatureAlgorithm(der, algorithmNode);
  const signature = decodeBitStringBytes(der, expectTag(signatureNode, Tag.bitString, 'the signature'));

  const extensions: ExtensionInfo[] = [];
  const subjectAltNames: string[] = [];
  const sanEmails: string[] = [];
  let microsoftTemplate: MicrosoftTemplate | null = null;
  let challengePassword = false;
  const otherAttributes: string[] = [];
  if (attributesNode !== undefined) {
    if (attributesNode.tag !== 0xa0) throw new DerError('the attributes field has the wrong tag');
    for (const attribute of children(der, attributesNode)) {
      expectTag(attribute, Tag.sequence, 'an attribute');
      const [typeNode, valuesNode] = children(der, attribute);
      const oid = decodeOid(der, expectTag(typeNode, Tag.oid, 'an attribute type'));
      const values = children(der, expectTag(valuesNode, Tag.set, 'the attribute values'));
      if (oid === Oid.challengePassword) {
        challengePassword = true;
        continue;
      }
      if (oid !== Oid.extensionRequest && oid !== Oid.msExtensionRequest) {
        otherAttributes.push(oid);
        continue;
      }
      for (const extensionList of values) {
        expectTag(extensionList, Tag.sequence, 'the requested extensions');
        for (const extension of children(der, extensionList)) {
          expectTag(extension, Tag.sequence, 'an extension');
          const fields = children(der, extension);
          const extensionOid = decodeOid(der, expectTag(fields[0], Tag.oid, 'an extension id'));
          const critical = fields[1]?.tag === Tag.boolean ? decodeBoolean(der, fields[1]) : false;
          const valueWrapper = expectTag(fields[fields[1]?.tag === Tag.boolean ? 2 : 1], Tag.octetString, 'an extension value');
          extensions.push({ oid: extensionOid, name: extensionNames[extensionOid] ?? extensionOid, critical });
          if (extensionOid === Oid.subjectAltName) {
            decodeGeneralNames(der, readNode(der, valueWrapper.contentStart, valueWrapper.end), subjectAltNames, sanEmails);
          } else if (extensionOid === Oid.msTemplateV1) {
            const value = readNode(der, valueWrapper.contentStart, valueWrapper.end);
            microsoftTemplate ??= { v1: null, v2: null };
            microsoftTemplate.v1 = { name: decodeValue(der, value) };
          } else if (extensionOid === Oid.msTemplateV2) {
            microsoftTemplate ??= { v1: null, v2: null };
            microsoftTemplate.v2 = decodeTemplateV2(der, readNode(der, valueWrapper.contentStart, valueWrapper.end));
          }
        }
      }
    }
  }

  return {
    version,
    signedBytes: whole(der, infoNode as DerNode),
    subjectRdns,
    spki: whole(der, spkiNode as DerNode),
    publicKey: key.info,
    rsaModulus: key.modulus,
    rsaExponent: key.exponent,
    ecPoint: key.point ?? null,
    signatureAlgorithm,
    signature,
    extensions,
    subjectAltNames,
    sanEmails,
    microsoftTemplate,
    challengePassword,
    otherAttributes,
  };
}
