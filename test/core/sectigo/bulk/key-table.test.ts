// The key table of a run's index: every key packs without loss (two keys differ, so do their
// slots), the table grows past its first size, and a key that does not pack is kept all the same.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KeyTable } from '../../../../src/core/sectigo/bulk/key-table';

test('100,000 keys of every kind, including near neighbours, each keep their own number', () => {
  const table = new KeyTable();
  const keys: string[] = [];
  for (let index = 0; index < 40_000; index++) {
    keys.push(`order:${1_000_000 + index}`, `certificate-id:${1_000_000 + index}`);
    keys.push(`serial:${(0xfa4e00000000 + index).toString(16).toUpperCase()}`);
  }
  // Keys that differ only by a leading zero, by length or by kind are different targets.
  keys.push('order:7', 'order:07', 'order:007', 'serial:7', 'certificate-id:7', `serial:${'F'.repeat(34)}`);
  keys.push(`order:${'9'.repeat(38)}`, `order:${'9'.repeat(37)}`);
  keys.forEach((key, index) => table.set(key, index + 1));
  assert.equal(table.size, keys.length);
  keys.forEach((key, index) => assert.equal(table.get(key), index + 1, key));
  assert.equal(table.get('order:0007'), undefined);
  assert.equal(table.get('order:1999999'), undefined);
  table.set('order:7', 42);
  assert.equal(table.get('order:7'), 42);
  assert.equal(table.get('order:07'), keys.indexOf('order:07') + 1);
  assert.equal([...table.numbers()].length, keys.length);
});

test('a key that does not pack (a very long order number, an unknown kind) is kept all the same', () => {
  const table = new KeyTable();
  const long = `order:${'1'.repeat(200)}`;
  table.set(long, 5);
  table.set('something:else', 6);
  assert.equal(table.get(long), 5);
  assert.equal(table.get(`order:${'1'.repeat(199)}`), undefined);
  assert.equal(table.get('something:else'), 6);
  assert.equal(table.size, 2);
  assert.throws(() => table.set('order:1', 0), RangeError);
});
