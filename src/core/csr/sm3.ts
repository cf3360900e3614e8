// SM3 (GB/T 32905-2016), the hash SM2 signatures use. No JavaScript library the project trusts
// has it, and it is one page: a Merkle-Damgård hash over 512-bit blocks, like SHA-256.

const iv = [0x7380166f, 0x4914b2b9, 0x172442d7, 0xda8a0600, 0xa96f30bc, 0x163138aa, 0xe38dee4d, 0xb0fb0e4e];

const rotl = (x: number, n: number): number => ((x << (n & 31)) | (x >>> ((32 - (n & 31)) & 31))) >>> 0;
const p0 = (x: number): number => (x ^ rotl(x, 9) ^ rotl(x, 17)) >>> 0;
const p1 = (x: number): number => (x ^ rotl(x, 15) ^ rotl(x, 23)) >>> 0;

export function sm3(message: Uint8Array): Uint8Array {
  const bitLength = message.length * 8;
  const padded = new Uint8Array(Math.ceil((message.length + 9) / 64) * 64);
  padded.set(message);
  padded[message.length] = 0x80;
  const view = new DataView(padded.buffer);
  view.setUint32(padded.length - 8, Math.floor(bitLength / 2 ** 32));
  view.setUint32(padded.length - 4, bitLength >>> 0);
  const v = [...iv];
  const w = new Array<number>(68);
  const w1 = new Array<number>(64);
  for (let block = 0; block < padded.length; block += 64) {
    for (let j = 0; j < 16; j += 1) w[j] = view.getUint32(block + 4 * j);
    for (let j = 16; j < 68; j += 1) {
      const x = (w[j - 16] as number) ^ (w[j - 9] as number) ^ rotl(w[j - 3] as number, 15);
      w[j] = (p1(x) ^ rotl(w[j - 13] as number, 7) ^ (w[j - 6] as number)) >>> 0;
    }
    for (let j = 0; j < 64; j += 1) w1[j] = ((w[j] as number) ^ (w[j + 4] as number)) >>> 0;
    let [a, b, c, d, e, f, g, h] = v as [number, number, number, number, number, number, number, number];
    for (let j = 0; j < 64; j += 1) {
      const t = j < 16 ? 0x79cc4519 : 0x7a879d8a;
      const ss1 = rotl((rotl(a, 12) + e + rotl(t, j)) >>> 0, 7);
      const ss2 = (ss1 ^ rotl(a, 12)) >>> 0;
      const ff = j < 16 ? a ^ b ^ c : (a & b) | (a & c) | (b & c);
      const gg = j < 16 ? e ^ f ^ g : (e & f) | (~e & g);
      const tt1 = ((ff >>> 0) + d + ss2 + (w1[j] as number)) >>> 0;
      const tt2 = ((gg >>> 0) + h + ss1 + (w[j] as number)) >>> 0;
      d = c;
      c = rotl(b, 9);
      b = a;
      a = tt1;
      h = g;
      g = rotl(f, 19);
      f = e;
      e = p0(tt2);
    }
    const next = [a, b, c, d, e, f, g, h];
    for (let i = 0; i < 8; i += 1) v[i] = ((v[i] as number) ^ (next[i] as number)) >>> 0;
  }
  const out = new Uint8Array(32);
  const outView = new DataView(out.buffer);
  for (let i = 0; i < 8; i += 1) outView.setUint32(4 * i, v[i] as number);
  return out;
}
