// Names for the object identifiers a certificate request carries.

export const Oid = {
  rsaEncryption: '1.2.840.113549.1.1.1',
  rsassaPss: '1.2.840.113549.1.1.10',
  mgf1: '1.2.840.113549.1.1.8',
  ecPublicKey: '1.2.840.10045.2.1',
  dsa: '1.2.840.10040.4.1',
  ed25519: '1.3.101.112',
  ed448: '1.3.101.113',
  extensionRequest: '1.2.840.113549.1.9.14',
  msExtensionRequest: '1.3.6.1.4.1.311.2.1.14',
  challengePassword: '1.2.840.113549.1.9.7',
  emailAddress: '1.2.840.113549.1.9.1',
  subjectAltName: '2.5.29.17',
  keyUsage: '2.5.29.15',
  basicConstraints: '2.5.29.19',
  msTemplateV1: '1.3.6.1.4.1.311.20.2',
  msTemplateV2: '1.3.6.1.4.1.311.21.7',
} as const;

/** Subject attribute types: short name used in RFC 4514 text and in SubjectPart.type. */
export const attributeNames: Record<string, string> = {
  '2.5.4.3': 'CN',
  '2.5.4.4': 'SN',
  '2.5.4.5': 'serialNumber',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.9': 'street',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.12': 'title',
  '2.5.4.17': 'postalCode',
  '2.5.4.18': 'postOfficeBox',
  '2.5.4.42': 'GN',
  '2.5.4.43': 'initials',
  '2.5.4.44': 'generationQualifier',
  '2.5.4.46': 'dnQualifier',
  '2.5.4.65': 'pseudonym',
  '2.5.4.97': 'organizationIdentifier',
  '1.2.840.113549.1.9.1': 'E',
  '0.9.2342.19200300.100.1.1': 'UID',
  '0.9.2342.19200300.100.1.25': 'DC',
};

export const extensionNames: Record<string, string> = {
  '2.5.29.14': 'subjectKeyIdentifier',
  '2.5.29.15': 'keyUsage',
  '2.5.29.17': 'subjectAltName',
  '2.5.29.18': 'issuerAltName',
  '2.5.29.19': 'basicConstraints',
  '2.5.29.30': 'nameConstraints',
  '2.5.29.31': 'cRLDistributionPoints',
  '2.5.29.32': 'certificatePolicies',
  '2.5.29.35': 'authorityKeyIdentifier',
  '2.5.29.37': 'extKeyUsage',
  '1.3.6.1.5.5.7.1.1': 'authorityInfoAccess',
  '1.3.6.1.5.5.7.1.3': 'qcStatements',
  '1.3.6.1.5.5.7.1.24': 'tlsFeature',
  '1.2.840.113549.1.9.15': 'smimeCapabilities',
  '2.16.840.1.113730.1.1': 'nsCertType',
  '2.16.840.1.113730.1.13': 'nsComment',
  '1.3.6.1.4.1.311.20.2': 'msCertificateTemplateName',
  '1.3.6.1.4.1.311.21.7': 'msCertificateTemplate',
  '1.3.6.1.4.1.311.21.10': 'msApplicationPolicies',
  '1.3.6.1.4.1.311.21.1': 'msCaVersion',
};

export const curves: Record<string, { name: string; bits: number }> = {
  '1.2.840.10045.3.1.7': { name: 'P-256', bits: 256 },
  '1.3.132.0.34': { name: 'P-384', bits: 384 },
  '1.3.132.0.35': { name: 'P-521', bits: 521 },
  '1.2.840.10045.3.1.1': { name: 'P-192', bits: 192 },
  '1.3.132.0.33': { name: 'P-224', bits: 224 },
  '1.3.132.0.10': { name: 'secp256k1', bits: 256 },
  '1.3.36.3.3.2.8.1.1.1': { name: 'brainpoolP160r1', bits: 160 },
  '1.3.36.3.3.2.8.1.1.3': { name: 'brainpoolP192r1', bits: 192 },
  '1.3.36.3.3.2.8.1.1.5': { name: 'brainpoolP224r1', bits: 224 },
  '1.3.36.3.3.2.8.1.1.7': { name: 'brainpoolP256r1', bits: 256 },
  '1.3.36.3.3.2.8.1.1.9': { name: 'brainpoolP320r1', bits: 320 },
  '1.3.36.3.3.2.8.1.1.11': { name: 'brainpoolP384r1', bits: 384 },
  '1.3.36.3.3.2.8.1.1.13': { name: 'brainpoolP512r1', bits: 512 },
  '1.2.156.10197.1.301': { name: 'SM2', bits: 256 },
};

/** PublicKeyInfo.curve of an EC key that carries its curve's parameters instead of a name (RFC 5480 forbids it). */
export const explicitParametersCurve = 'explicit parameters';

export type HashName = 'MD2' | 'MD4' | 'MD5' | 'SHA-1' | 'SHA-224' | 'SHA-256' | 'SHA-384' | 'SHA-512' | 'SM3';

export const hashes: Record<string, HashName> = {
  '1.2.840.113549.2.2': 'MD2',
  '1.2.840.113549.2.4': 'MD4',
  '1.2.840.113549.2.5': 'MD5',
  '1.3.14.3.2.26': 'SHA-1',
  '2.16.840.1.101.3.4.2.4': 'SHA-224',
  '2.16.840.1.101.3.4.2.1': 'SHA-256',
  '2.16.840.1.101.3.4.2.2': 'SHA-384',
  '2.16.840.1.101.3.4.2.3': 'SHA-512',
};

/** The digest name node:crypto expects. */
export const nodeHashNames: Record<HashName, string> = {
  MD2: 'md2',
  MD4: 'md4',
  MD5: 'md5',
  'SHA-1': 'sha1',
  'SHA-224': 'sha224',
  'SHA-256': 'sha256',
  'SHA-384': 'sha384',
  'SHA-512': 'sha512',
  SM3: 'sm3',
};

export type SignatureFamily = 'rsa-pkcs1' | 'rsa-pss' | 'ecdsa' | 'dsa' | 'eddsa' | 'sm2';

export const signatureAlgorithms: Record<string, { name: string; family: SignatureFamily; hash: HashName | null }> = {
  '1.2.840.113549.1.1.2': { name: 'md2WithRSAEncryption', family: 'rsa-pkcs1', hash: 'MD2' },
  '1.2.840.113549.1.1.3': { name: 'md4WithRSAEncryption', family: 'rsa-pkcs1', hash: 'MD4' },
  '1.2.840.113549.1.1.4': { name: 'md5WithRSAEncryption', family: 'rsa-pkcs1', hash: 'MD5' },
  '1.2.840.113549.1.1.5': { name: 'sha1WithRSAEncryption', family: 'rsa-pkcs1', hash: 'SHA-1' },
  '1.3.14.3.2.29': { name: 'sha1WithRSAEncryption', family: 'rsa-pkcs1', hash: 'SHA-1' },
  '1.2.840.113549.1.1.14': { name: 'sha224WithRSAEncryption', family: 'rsa-pkcs1', hash: 'SHA-224' },
  '1.2.840.113549.1.1.11': { name: 'sha256WithRSAEncryption', family: 'rsa-pkcs1', hash: 'SHA-256' },
  '1.2.840.113549.1.1.12': { name: 'sha384WithRSAEncryption', family: 'rsa-pkcs1', hash: 'SHA-384' },
  '1.2.840.113549.1.1.13': { name: 'sha512WithRSAEncryption', family: 'rsa-pkcs1', hash: 'SHA-512' },
  '1.2.840.113549.1.1.10': { name: 'RSASSA-PSS', family: 'rsa-pss', hash: 'SHA-1' },
  '1.2.840.10045.4.1': { name: 'ecdsa-with-SHA1', family: 'ecdsa', hash: 'SHA-1' },
  '1.2.840.10045.4.3.1': { name: 'ecdsa-with-SHA224', family: 'ecdsa', hash: 'SHA-224' },
  '1.2.840.10045.4.3.2': { name: 'ecdsa-with-SHA256', family: 'ecdsa', hash: 'SHA-256' },
  '1.2.840.10045.4.3.3': { name: 'ecdsa-with-SHA384', family: 'ecdsa', hash: 'SHA-384' },
  '1.2.840.10045.4.3.4': { name: 'ecdsa-with-SHA512', family: 'ecdsa', hash: 'SHA-512' },
  '1.2.840.10040.4.3': { name: 'dsa-with-SHA1', family: 'dsa', hash: 'SHA-1' },
  '2.16.840.1.101.3.4.3.1': { name: 'dsa-with-SHA224', family: 'dsa', hash: 'SHA-224' },
  '2.16.840.1.101.3.4.3.2': { name: 'dsa-with-SHA256', family: 'dsa', hash: 'SHA-256' },
  '1.3.101.112': { name: 'Ed25519', family: 'eddsa', hash: null },
  '1.3.101.113': { name: 'Ed448', family: 'eddsa', hash: null },
  // GB/T 32918 (RFC 8998): SM2 over SM3, with the default distinguishing ID 1234567812345678.
  '1.2.156.10197.1.501': { name: 'SM2-with-SM3', family: 'sm2', hash: 'SM3' },
};
