// An Ed25519 or Ed448 public key that is not canonical (RFC 8032 5.1.3 and 5.2.3 refuse y ≥ p
// and x = 0 with its sign bit set), that is no point of the curve, or that is a point of small
// order, for which signatures prove nothing (any message verifies under many keys).
import { edwardsPointProblem } from '../curve-points';
import type { KeyRule } from './rule';

export const eddsaPointInvalid: KeyRule = {
  code: 'eddsa-point-invalid',
  keys: ['Ed25519', 'Ed448'],
  source: 'RFC 8032 5.1.3, 5.2.3 (decoding); small-order points as libsodium refuses them',
  check({ request }) {
    const algorithm = request.publicKey.algorithm;
    if (algorithm !== 'Ed25519' && algorithm !== 'Ed448') return null;
    const problem = edwardsPointProblem(algorithm, request.keyBits);
    return problem === null ? null : `The ${algorithm} public key is unusable: ${problem}.`;
  },
};
