// The one generator of ids this product makes for its own records (a stored account, an order
// entry, a bulk run): the time in base 36, so they sort by creation, then 40 random bits, so two
// made in one millisecond (a run of calls, two windows) differ. Not a secret and not sent anywhere.
// Web Crypto's random source: the same in Node and in a browser's extension host.

/** A new id: `<milliseconds, base 36>-<8 base-36 random characters>`. */
export function newLocalId(): string {
  const random = crypto.getRandomValues(new Uint8Array(5));
  const bits = random.reduce((value, byte) => value * 256 + byte, 0);
  return `${Date.now().toString(36)}-${bits.toString(36).padStart(8, '0')}`;
}
