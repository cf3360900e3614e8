// A public key whose private key is printed in a standard (RFC 9500's test keys and the examples
// of other RFCs): anyone can sign as its holder. Sectigo's pre-issuance linting (pkimetal) runs
// badkeys with its blocklists, which hold these keys. The data: known-keys-data.ts, rebuilt from
// data/known-keys/ by scripts/make-known-keys.ts. Not shipped, because they cannot be had from a
// source this project may take data from: the Debian 2008 weak keys (dwklint, CA/Browser Forum
// ballot SC-73) and badkeys' downloadable blocklists (README, "Known-bad keys").
import { sha256 } from '@noble/hashes/sha2.js';
import { hexOf, keyMaterial, requestKeyTail } from '../known-key-material';
import { knownKeys } from '../known-keys-data';
import type { KeyRule } from './rule';

/** By tail, the hash and the name of each known key: one look-up a request. */
const byTail = new Map<string, [sha256: string, name: string][]>();
for (const [tail, hash, name] of knownKeys) byTail.set(tail, [...(byTail.get(tail) ?? []), [hash, name]]);

/** The name of the published key the request's key is, or null. */
export function knownCompromisedKey(request: Parameters<KeyRule['check']>[0]['request']): string | null {
  const tail = requestKeyTail(request);
  const candidates = tail === null ? undefined : byTail.get(tail);
  if (candidates === undefined) return null;
  const material = keyMaterial(request);
  if (material === null) return null;
  const hash = hexOf(sha256(material)).slice(0, (candidates[0]?.[0] ?? '').length);
  return candidates.find(([known]) => known === hash)?.[1] ?? null;
}

export const keyKnownCompromised: KeyRule = {
  code: 'key-known-compromised',
  keys: 'any',
  source: 'badkeys blocklist; RFC 9500 and the RFCs that print example keys',
  check({ request }) {
    const name = knownCompromisedKey(request);
    return name === null
      ? null
      : `The public key is a published example key (${name}) whose private key anyone can read, so the request proves nothing and Sectigo's key checks refuse it.`;
  },
};
