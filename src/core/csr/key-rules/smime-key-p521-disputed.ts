// P-521: the S/MIME Baseline Requirements 7.1.3.1.1 list its encoding and zlint accepts it, but
// pkilint's S/MIME list of key encodings leaves it out (cabf.smime.prohibited_spki_algorithm_encoding).
// Sectigo's pre-issuance linting runs both, and its API documents P-521 as accepted: the
// linters disagree, so this is said, as a warning, rather than decided here.
import type { KeyRule } from './rule';
import { isDisputedSmimeEncoding, spkiAlgorithm } from './smime-spki-encodings';

export const smimeKeyP521Disputed: KeyRule = {
  code: 'smime-key-p521-disputed',
  keys: ['EC'],
  source:
    'S/MIME Baseline Requirements 7.1.3.1.1 (allowed); zlint (allowed); pkilint cabf.smime.prohibited_spki_algorithm_encoding (refused)',
  check({ request }) {
    if (request.publicKey.algorithm !== 'EC' || request.publicKey.curve !== 'P-521') return null;
    const encoding = spkiAlgorithm(request.spki);
    if (encoding === null || !isDisputedSmimeEncoding(encoding)) return null;
    return 'The key is on P-521, which the S/MIME Baseline Requirements (7.1.3.1.1) and zlint allow but pkilint, one of the linters Sectigo runs before issuing, refuses; P-256 or P-384 avoids the question.';
  },
};
