// S/MIME Baseline Requirements 7.1.3.1.1: a subscriber key is encoded as one of a closed list of
// AlgorithmIdentifiers, byte for byte (smime-spki-encodings.ts). pkilint refuses any other
// (cabf.smime.prohibited_spki_algorithm_encoding, an error); zlint too. A curve Sectigo does not
// take has its own error already (ec-curve-unsupported) and is not reported twice.
import { acceptedCurves } from '../limits';
import type { KeyRule } from './rule';
import { isAllowedSmimeEncoding, spkiAlgorithm } from './smime-spki-encodings';

/** rsaEncryption alone, as the SEQUENCE it is when the NULL parameters are left out. */
const rsaWithoutParametersLength = 13;

function described(algorithm: string, encoding: Uint8Array | null): string {
  if (algorithm === 'RSA')
    return encoding?.length === rsaWithoutParametersLength ? 'RSA without NULL parameters' : 'RSA, encoded unusually';
  if (algorithm === 'RSASSA-PSS') return 'an RSASSA-PSS key (id-RSASSA-PSS)';
  if (algorithm === 'DSA') return 'DSA';
  if (algorithm === 'Ed25519' || algorithm === 'Ed448') return `${algorithm} with parameters`;
  if (algorithm === 'EC') return 'EC, encoded unusually';
  return `the algorithm ${algorithm}`;
}

export const smimeKeyEncodingNotAllowed: KeyRule = {
  code: 'smime-key-encoding-not-allowed',
  keys: 'any',
  source: 'S/MIME Baseline Requirements 7.1.3.1.1; pkilint cabf.smime.prohibited_spki_algorithm_encoding',
  check({ request }) {
    const key = request.publicKey;
    if (key.algorithm === 'EC' && !acceptedCurves.includes(key.curve ?? '')) return null;
    const encoding = spkiAlgorithm(request.spki);
    if (encoding !== null && isAllowedSmimeEncoding(encoding)) return null;
    return `The public key is ${described(key.algorithm, encoding)}, not one of the key encodings the S/MIME Baseline Requirements (7.1.3.1.1) allow, so Sectigo's S/MIME linting refuses the certificate.`;
  },
};
