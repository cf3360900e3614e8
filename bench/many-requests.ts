// The file the editor benchmark opens: 500 distinct RSA-2048 requests in one PEM file of about
// 1 MB (each with a subject and fifteen e-mail addresses, about 2,000 characters), the largest
// file of requests the editor still analyses whole. Built in-process, deterministic in shape.
import { generateKeyPairSync } from 'node:crypto';
import { buildRequest, emailOid, sanEmail, sanExtension, spkiOf, toPemText } from '../test/core/csr/build-csr';

export const MANY_REQUESTS_COUNT = 500;
/** Addresses per request: what brings a request to about 2,000 characters of PEM. */
const ADDRESSES_PER_REQUEST = 15;

/** The text of the file, and the line of a Base64 body in the middle request (where the keystroke goes). */
export function manyRequestsFile(): { readonly text: string; readonly middleBodyLine: number } {
  // Ten keys are enough for distinct requests; generating 500 would take most of a minute.
  const keys = Array.from({ length: 10 }, () => generateKeyPairSync('rsa', { modulusLength: 2048 }));
  const blocks: string[] = [];
  let middleBodyLine = 0;
  let lines = 0;
  for (let index = 0; index < MANY_REQUESTS_COUNT; index += 1) {
    const key = keys[index % keys.length] as (typeof keys)[number];
    const mailboxes = Array.from(
      { length: ADDRESSES_PER_REQUEST },
      (_, n) => `person${index}.mailbox${n}@department${n}.example.com`,
    );
    const pem = toPemText(
      buildRequest({
        subject: [
          ['2.5.4.6', 'GB'],
          ['2.5.4.10', 'Example Ltd'],
          ['2.5.4.3', `Person ${index}`],
          [emailOid, mailboxes[0] as string],
        ],
        spki: spkiOf(key.publicKey),
        privateKey: key.privateKey,
        extensions: [sanExtension(mailboxes.map(sanEmail))],
      }),
    );
    // The BEGIN line, then the Base64: the fourth line of the middle block is Base64.
    if (index === MANY_REQUESTS_COUNT / 2) middleBodyLine = lines + 3;
    blocks.push(pem);
    lines += pem.split('\n').length - 1;
  }
  return { text: blocks.join(''), middleBodyLine };
}
