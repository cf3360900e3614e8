// The bulk revocation list: every target form, CSV exports, duplicates, and bad
// lists refused whole with the line of each problem.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  MAX_LIST_LINES,
  parseTargetList,
  reasonsAsSent,
  resolveCertificateTargets,
  revokeParamsFor,
  targetKey,
} from '../../../../src/core/sectigo/bulk/targets';

test('every line form, comments and blank lines', () => {
  const list = parseTargetList(
    [
      '# incident 42',
      '',
      '1000001',
      '  order:1000002  ',
      'serial:0a:bc:de',
      'certificate-id:4000000001000003',
      'SERIAL:00FF',
      'certificate:certs/site.pem',
      '\t# indented comment',
    ].join('\r\n'),
  );
  assert.deepEqual(list.problems, []);
  assert.equal(list.format, 'lines');
  assert.deepEqual(
    list.targets.map((target) => [targetKey(target), target.line]),
    [
      ['order:1000001', 3],
      ['order:1000002', 4],
      ['serial:ABCDE', 5],
      ['certificate-id:4000000001000003', 6],
      ['serial:FF', 7],
    ],
  );
  assert.deepEqual(list.certificates, [{ path: 'certs/site.pem', line: 8 }]);
});

test('duplicates are merged with a note naming both lines', () => {
  const list = parseTargetList('1000001\norder:1000001\nserial:00AB\nserial:ab\n');
  assert.equal(list.targets.length, 2);
  assert.deepEqual(list.notes, [
    'Line 2 repeats line 1 (order 1000001); it is revoked once.',
    'Line 4 repeats line 3 (serial number AB); it is revoked once.',
  ]);
});

test('a certificate file read to a serial already listed is merged too', async () => {
  const list = await resolveCertificateTargets(
    parseTargetList('serial:AB\ncertificate:a.pem\ncertificate:b.pem\n'),
    async (path) => (path === 'a.pem' ? { serial: '00AB' } : { problem: 'not a PEM or DER X.509 certificate.' }),
  );
  assert.deepEqual(list.targets.map(targetKey), ['serial:AB']);
  assert.match(list.notes[0] ?? '', /Line 2 repeats line 1/);
  assert.deepEqual(list.problems, [{ line: 3, message: 'certificate:b.pem: not a PEM or DER X.509 certificate.' }]);
});

test('bad lines are each reported with their line, none dropped silently', () => {
  const list = parseTargetList(
    [
      '1000001',
      'order:12a',
      'serial:XYZ',
      'certificate-id:12345678901234567',
      'fingerprint:AB',
      'certificate:',
      'hello world',
      'order:',
    ].join('\n'),
  );
  assert.deepEqual(
    list.problems.map((problem) => problem.line),
    [2, 3, 4, 5, 6, 7, 8],
  );
  assert.match(list.problems[1]?.message ?? '', /hexadecimal/);
  assert.match(list.problems[3]?.message ?? '', /not a target/);
});

test('a CSV export: header columns in any order and case, reason columns override the flags', () => {
  const csv = [
    '\uFEFFcommonName,SerialNumber,orderNumber,revocationReason,codeReason',
    'a.example,,1000001,"key leaked, see ticket ""77""",1',
    'b.example,0a:0b,,,',
    'c.example,FF,1000003,,',
    '',
    'd.example,,,,',
    'e.example,,1000005,,2',
    'f.example,,"1000006',
  ].join('\n');
  const list = parseTargetList(csv);
  assert.equal(list.format, 'csv');
  assert.deepEqual(list.targets.map(targetKey), ['order:1000001', 'serial:A0B', 'order:1000003']);
  assert.equal(list.targets[0]?.reason, 'key leaked, see ticket "77"');
  assert.equal(list.targets[0]?.codeReason, 1);
  assert.deepEqual(
    list.problems.map((problem) => problem.line),
    [6, 7, 8],
  );
  assert.match(list.problems[0]?.message ?? '', /no orderNumber or serialNumber/);
  assert.match(list.problems[1]?.message ?? '', /codeReason/);
  assert.match(list.problems[2]?.message ?? '', /quoted field/);
  const params = revokeParamsFor(list.targets[0]!, { reason: 'flag reason', codeReason: 4, test: true });
  assert.deepEqual(params, {
    revocationReason: 'key leaked, see ticket "77"',
    orderNumber: '1000001',
    codeReason: 1,
    test: true,
  });
  // A real run says test=N, as the single revocation does (and as its confirmation says).
  assert.deepEqual(revokeParamsFor(list.targets[1]!, { reason: 'flag reason', test: false }), {
    revocationReason: 'flag reason',
    serialNumber: 'A0B',
    test: false,
  });
});

test('the reasons a CSV run sends: each distinct (reason, code) pair with its count, as each row is sent', () => {
  const csv = [
    'orderNumber,revocationReason,codeReason',
    '1000001,key leaked,1',
    '1000002,,',
    '1000003,key leaked,1',
    '1000004,key leaked,',
    '1000005,,4',
    '1000006,,',
  ].join('\n');
  const { targets } = parseTargetList(csv);
  assert.deepEqual(reasonsAsSent(targets, { reason: 'incident 7', codeReason: 0 }), [
    { revocationReason: 'key leaked', codeReason: 1, count: 2, lines: [2, 4] },
    { revocationReason: 'incident 7', codeReason: 0, count: 2, lines: [3, 7] },
    { revocationReason: 'key leaked', codeReason: 0, count: 1, lines: [5] },
    { revocationReason: 'incident 7', codeReason: 4, count: 1, lines: [6] },
  ]);
  // Without a code from the flags, a row without one sends none.
  assert.deepEqual(reasonsAsSent(targets.slice(1, 2), { reason: 'x' }), [
    { revocationReason: 'x', codeReason: undefined, count: 1, lines: [3] },
  ]);
});

test('a one-column CSV export', () => {
  const list = parseTargetList('SerialNumber\n0A0B\n"FF"\n');
  assert.equal(list.format, 'csv');
  assert.deepEqual(list.targets.map(targetKey), ['serial:A0B', 'serial:FF']);
});

test('a list with too many lines is refused, naming where the limit is', () => {
  const list = parseTargetList('1\n'.repeat(MAX_LIST_LINES + 1));
  assert.equal(list.targets.length, 0);
  assert.match(list.problems[0]?.message ?? '', /at most 250000/);
});

test('100,000 targets parse', () => {
  const text = Array.from({ length: 100_000 }, (_, index) => String(1_000_000 + index)).join('\n');
  const list = parseTargetList(text);
  assert.equal(list.targets.length, 100_000);
  assert.equal(list.problems.length, 0);
});
