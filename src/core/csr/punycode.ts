// RFC 3492 Punycode, to show an internationalised domain name found as raw UTF-8 in the
// ASCII form (A-label, "xn--...") it should have been written in. Encoding only.

const base = 36;
const tMin = 1;
const tMax = 26;
const skew = 38;
const damp = 700;

function adapt(delta: number, points: number, first: boolean): number {
  let value = first ? Math.floor(delta / damp) : delta >> 1;
  value += Math.floor(value / points);
  let k = 0;
  while (value > ((base - tMin) * tMax) >> 1) {
    value = Math.floor(value / (base - tMin));
    k += base;
  }
  return k + Math.floor(((base - tMin + 1) * value) / (value + skew));
}

/** 0-25 are a-z, 26-35 are 0-9. */
function digit(value: number): string {
  return String.fromCharCode(value < 26 ? 97 + value : 22 + value);
}

export function punycodeEncode(label: string): string {
  const points = Array.from(label, (character) => character.codePointAt(0) as number);
  let output = points
    .filter((point) => point < 0x80)
    .map((point) => String.fromCharCode(point))
    .join('');
  const basic = output.length;
  let handled = basic;
  if (basic > 0) output += '-';
  let n = 0x80;
  let delta = 0;
  let bias = 72;
  while (handled < points.length) {
    let next = Infinity;
    for (const point of points) if (point >= n && point < next) next = point;
    delta += (next - n) * (handled + 1);
    n = next;
    for (const point of points) {
      if (point < n) delta += 1;
      if (point !== n) continue;
      let q = delta;
      for (let k = base; ; k += base) {
        const t = k <= bias ? tMin : k >= bias + tMax ? tMax : k - bias;
        if (q < t) break;
        output += digit(t + ((q - t) % (base - t)));
        q = Math.floor((q - t) / (base - t));
      }
      output += digit(q);
      bias = adapt(delta, handled + 1, handled === basic);
      delta = 0;
      handled += 1;
    }
    delta += 1;
    n += 1;
  }
  return output;
}

/** A domain name with every non-ASCII label as its A-label (NFC and lower case first, as IDNA maps them). */
export function domainToAscii(domain: string): string {
  return domain
    .split('.')
    .map((label) =>
      /^[\x00-\x7f]*$/.test(label) ? label : `xn--${punycodeEncode(label.normalize('NFC').toLowerCase())}`,
    )
    .join('.');
}
