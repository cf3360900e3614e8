// What reached the practice server, for the person trying the demo: one line per call (when,
// which endpoint, what it answered, every parameter as received, the password masked), appended
// to a file they can open beside the extension and said on the demo's terminal. The fake server
// already masks the password and shortens the CSR; each line is also scrubbed of the demo
// password in every encoding, in case a parameter carried it elsewhere.
import { appendFileSync, writeFileSync } from 'node:fs';
import { PASSWORD_MASK } from '../src/core/sectigo/call-plan';
import { redactOwnText } from '../src/core/sectigo/redact';
import { oneLine } from '../src/core/one-line';
import type { ReceivedRequest } from '../test/fake-sectigo/server';

/** The file's name in the demo workspace. */
export const RECEIVED_CALLS_FILE = 'practice-server-calls.log';

/** One received call on one line: time, endpoint, answer, then each parameter as received (quoted when it has a space). */
export function describeReceivedCall(request: ReceivedRequest, at: Date, secrets: readonly string[]): string {
  // Each value is scrubbed on its own (the line's `name=value` pairs are not a form for the redaction to read).
  const params = Object.entries(request.params).map(([name, value]) => {
    const shown = name.toLowerCase() === 'loginpassword' ? PASSWORD_MASK : oneLine(redactOwnText(value, secrets));
    return `${name}=${/[\s"]/.test(shown) || shown === '' ? JSON.stringify(shown) : shown}`;
  });
  return `${at.toISOString().replace('T', ' ').slice(0, 19)}  ${request.method} ${request.endpoint}  answered ${request.answeredCode}  ${params.join(' ')}`;
}

/** A recorder for the fake server's onRequest: appends each call to `file` and tells `say`. */
export function receivedCallsRecorder(
  file: string,
  secrets: readonly string[],
  say: (line: string) => void,
): (request: ReceivedRequest) => void {
  writeFileSync(
    file,
    `# Every call the practice server received, newest last (the password masked as ${PASSWORD_MASK}).\n`,
    { mode: 0o600 },
  );
  return (request) => {
    const line = describeReceivedCall(request, new Date(), secrets);
    appendFileSync(file, `${line}\n`);
    say(line);
  };
}
