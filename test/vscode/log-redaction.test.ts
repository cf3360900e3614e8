// The extension's log removes the whole password in every encoding, and leaves its own words
// intact when the password shares letters with them.
import assert from 'node:assert/strict';
import { SectigoLog, type LogSink } from '../../src/vscode/shared/log';

describe('the Sectigo log and passwords that share words with it', function () {
  it('keeps its own wording whole and removes the whole password', function () {
    const lines: string[] = [];
    const record = (line: string): void => void lines.push(line);
    const sink: LogSink = {
      debug: record,
      info: record,
      warn: record,
      error: record,
      show: () => undefined,
    };
    const log = new SectigoLog(sink);
    for (const password of ['MySectigoAnswered!', 'demo-password-2026', 'my certificate 1']) log.addSecret(password);
    const own =
      'sectigo-csr revoke: Sectigo answered -16 for the certificate; {"loginPassword": "••••••••"} (password masked)';
    assert.equal(log.info(own), own.replace('"••••••••"', '"[redacted]"'));
    assert.equal(log.info(`echo ${encodeURIComponent('MySectigoAnswered!')} end`), 'echo [redacted] end');
    assert.equal(lines.length, 2);
  });
});
