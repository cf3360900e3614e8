// The command line's signature check: Node's (OpenSSL), loaded only when a request needs it. The
// first few RSA requests signed with SHA-256 (nearly all) are checked in JavaScript
// (verify-rsa.ts, sha256.ts): loading node:crypto costs about 4 ms of CPU (OpenSSL and the stream
// classes it brings; bench/cli-startup.bench.ts), and `sectigo-csr check one.csr` needs one check
// of about 0.6 ms. Past those, or for any other key or hash, OpenSSL checks, in the thread pool
// when asked, so that a run over many files reads and decodes the next ones meanwhile. Both give
// OpenSSL's verdict (test/core/csr/verifiers.test.ts compares them over the fixtures and the fuzz corpus).
import type { SignatureVerifier, VerificationJob } from './verifier';
import { sha256 } from './sha256';
import { verifyRsaJob } from './verify-rsa';

/** RSA checks made in JavaScript before OpenSSL is loaded: one JavaScript check costs a few percent of loading it. */
export const JS_RSA_CHECKS_FIRST = 8;
/** Keys up to this size only: the JavaScript RSA operation grows with the cube of it. */
const maxJsRsaBits = 4096;

/** An RSA job JavaScript checks in well under a millisecond: SHA-256, a key of at most 4,096 bits, an exponent under 2^32. */
function isQuickRsaJob(job: VerificationJob): job is VerificationJob & { family: 'rsa-pkcs1' | 'rsa-pss' } {
  if ((job.family !== 'rsa-pkcs1' && job.family !== 'rsa-pss') || job.hash !== 'SHA-256') return false;
  const { request } = job;
  return (
    (request.publicKey.size ?? Infinity) <= maxJsRsaBits &&
    request.rsaExponent !== null &&
    request.rsaExponent < 1n << 32n
  );
}

const onlySha256 = (hash: string, data: Uint8Array): Uint8Array => {
  if (hash !== 'SHA-256') throw new Error(`${hash} is not computed here`);
  return sha256(data);
};

export function lazyNodeVerifier(options: { threadPool: boolean; jsFirst?: number }): SignatureVerifier {
  let jsLeft = options.jsFirst ?? JS_RSA_CHECKS_FIRST;
  let openSsl: Promise<SignatureVerifier> | undefined;
  let loaded: SignatureVerifier | undefined;
  return {
    verify(job) {
      if (jsLeft > 0 && isQuickRsaJob(job)) {
        jsLeft -= 1;
        return verifyRsaJob(job, onlySha256);
      }
      if (loaded !== undefined) return loaded.verify(job);
      openSsl ??= import('./verify-node').then((node) => {
        loaded = options.threadPool ? node.nodeThreadPoolVerifier : node.nodeSignatureVerifier;
        return loaded;
      });
      return openSsl.then((verifier) => verifier.verify(job));
    },
  };
}
