// An EC public key that is no point of its curve, or is the point at infinity: no private key
// belongs to it (an invalid-curve key, a corrupted one, a test vector). No checker of CSRs tests
// this; OpenSSL refuses to load such a key, so its signature cannot be checked either. Every
// named curve here has cofactor 1, so infinity is its only point of small order.
// Sources: SEC 1 3.2.2.1 (public key validation), NIST SP 800-56A 5.6.2.3.3, RFC 5480 2.2.
import { weierstrassCurves, weierstrassPointProblem } from '../curve-points';
import type { KeyRule } from './rule';

export const ecPointInvalid: KeyRule = {
  code: 'ec-point-invalid',
  keys: ['EC'],
  source: 'SEC 1 3.2.2.1, NIST SP 800-56A 5.6.2.3.3 (public key validation)',
  check({ request }) {
    const key = request.publicKey;
    const curve = key.algorithm === 'EC' ? weierstrassCurves[key.curve ?? ''] : undefined;
    if (curve === undefined || request.ecPoint === null) return null;
    const problem = weierstrassPointProblem(curve, request.ecPoint);
    return problem === null
      ? null
      : `The EC public key is not a usable point of ${key.curve}: ${problem}, so no private key belongs to it.`;
  },
};
