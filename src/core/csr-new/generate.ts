// The new key and request, checked by Node's analysis (Node's crypto verifies the signature):
// what the command line's `new` and the Node extension host's generator bundle use. The browser
// build calls make-pair.ts with its own analysis instead.
import { analyseCsrText } from '../csr/index';
import { makeRequestPair, type NewRequest } from './make-pair';
import type { KeyType, RequestSubject } from './subject';

export { NonCompliantRequestError, type NewRequest } from './make-pair';

/** makeRequestPair with Node's analysis; see there. */
export function generateRequest(
  subject: RequestSubject,
  keyType: KeyType,
  passphrase: string | null,
  file = '<new>',
): Promise<NewRequest> {
  return makeRequestPair((der, name) => analyseCsrText(der, name), subject, keyType, passphrase, file);
}
