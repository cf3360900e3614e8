// The extension's log removes the whole password in every encoding, and leaves its own words
// intact when the password shares letters with them.
import assert from 'node:assert/strict';
import { outside, words } from '../../src/core/outside-text';
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
    assert.equal(log.info(words`${outside(own)}`), own.replace('"••••••••"', '"[redacted]"'));
    assert.equal(log.info(words`echo ${outside(encodeURIComponent('MySectigoAnswered!'))} end`), 'echo [redacted] end');
    assert.equal(lines.length, 2);
  });
});

describe('the Sectigo log and text from outside', function () {
  it('one line is one line: a carriage return, a separator or a format character cannot fake a log line', function () {
    const lines: string[] = [];
    const record = (line: string): void => void lines.push(line);
    const log = new SectigoLog({
      debug: record,
      info: record,
      warn: record,
      error: record,
      show: () => undefined,
    });
    log.info(
      words`Sectigo answered -16: ${outside('x\r2026-01-01 00:00:00.000 [info] revoked\u2028\u2029\u202e\u200f\u061c\ufeff\u2060\u009b')}`,
    );
    log.error('The call failed', new Error('first\n2026-01-01 00:00:00.000 [info] Order 1 replaced'));
    for (const line of lines) assert.doesNotMatch(line, /[\r\u2028\u2029\u0080-\u009f\p{Cf}]/u, line);
    assert.equal(
      lines[0],
      'Sectigo answered -16: x\\r2026-01-01 00:00:00.000 [info] revoked\\u2028\\u2029\\u202e\\u200f\\u061c\\ufeff\\u2060\\u009b',
    );
    // The error's own message stays on the line of the error; only the log's own line breaks remain.
    assert.equal(lines[1], 'The call failed\nError: first\\n2026-01-01 00:00:00.000 [info] Order 1 replaced');
  });
});
