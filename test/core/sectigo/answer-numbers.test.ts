// An errorCode is a number the API uses or the answer is no API answer: a run of digits too long
// for a safe integer (which would become another number, or Infinity and then null in --json) is
// refused in every answer format, with the start of the body shown, bounded.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { BODY_EXCERPT_LENGTH, parseAnswer, readAnswer } from '../../../src/core/sectigo/response';
import { propertyOptions } from '../../support/secret-views';

const LONG = '9'.repeat(401);

test('a 401-digit errorCode is no API answer, in each format, with a bounded excerpt', () => {
  for (const [body, type] of [
    [`${LONG}\nToo many digits\n`, 'text/plain'],
    [`-${LONG}\n`, 'text/plain'],
    [`errorCode=${LONG}&errorMessage=x`, 'application/x-www-form-urlencoded'],
    [`{"errorCode": ${LONG}, "errorMessage": "x"}`, 'application/json'],
    [`{"errorCode": "${LONG}"}`, 'application/json'],
    ['{"errorCode": 12345678901234567890}', 'application/json'],
    ['9007199254740993\n', 'text/plain'],
  ] as const) {
    const parsed = parseAnswer(body, type);
    assert.equal(parsed.kind, 'unexpected', body.slice(0, 40));
    const read = readAnswer('AutoRevokeSSL', Buffer.from(body), type, ['secret-password']);
    assert.equal(read.kind, 'unexpected');
    if (read.kind === 'unexpected') {
      assert.ok(read.excerpt.length <= BODY_EXCERPT_LENGTH, `${read.excerpt.length}`);
      assert.match(read.reason, /errorCode|status code/);
    }
  }
});

test('errorCodes that are safe integers are read as numbers, -0 as 0', () => {
  assert.deepEqual(parseAnswer('-0\n', 'text/plain'), { kind: 'answer', format: 0, errorCode: 0, extra: {} });
  assert.ok(Object.is((parseAnswer('-0\n', 'text/plain') as { errorCode: number }).errorCode, 0));
  fc.assert(
    fc.property(fc.maxSafeInteger(), fc.constantFrom(0, 1, 2), (code, format) => {
      const body =
        format === 0
          ? `${code}\nmessage\n`
          : format === 1
            ? `errorCode=${code}&errorMessage=m`
            : JSON.stringify({ errorCode: code });
      const parsed = parseAnswer(body, format === 2 ? 'application/json' : 'text/plain');
      assert.equal(parsed.kind, 'answer');
      if (parsed.kind === 'answer') assert.equal(parsed.errorCode, code === 0 ? 0 : code);
    }),
    propertyOptions(200),
  );
});

test('a run of digits beyond a safe integer, of any length, is never an answer', () => {
  fc.assert(
    fc.property(fc.bigInt({ min: 2n ** 53n, max: 10n ** 500n }), fc.boolean(), (code, negative) => {
      const text = `${negative ? '-' : ''}${code}`;
      assert.equal(parseAnswer(`${text}\n`, 'text/plain').kind, 'unexpected', text);
      assert.equal(parseAnswer(`errorCode=${text}`, 'text/plain').kind, 'unexpected', text);
    }),
    propertyOptions(100),
  );
});
