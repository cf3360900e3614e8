// package.json's settings say what core accepts: the enums and defaults there are checked against
// core's own lists, so a value added in one place and not the other fails here, not at a user.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { PRODUCTION_BASE_URL } from '../../src/core/sectigo/call-plan';
import { DEFAULT_RESPONSE_FORMAT } from '../../src/core/sectigo/request';
import { DEFAULT_TIMEOUT_SECONDS, MAX_TIMEOUT_SECONDS } from '../../src/core/sectigo/types';
import { LANGUAGE_NAMES, SIGNATURE_HASHES } from '../../src/core/sectigo/validate';

interface SettingSchema {
  default?: unknown;
  enum?: unknown[];
  enumItemLabels?: string[];
  maximum?: number;
}

const manifest = JSON.parse(readFileSync('package.json', 'utf8')) as {
  contributes: { configuration: { properties: Record<string, SettingSchema> } };
};
const setting = (id: string): SettingSchema => {
  const schema = manifest.contributes.configuration.properties[`sectigo.${id}`];
  assert.ok(schema, `package.json declares no sectigo.${id}`);
  return schema;
};

test('sectigo.defaultSignatureHash offers "not sent" and exactly the signatureHash values core sends', () => {
  const schema = setting('defaultSignatureHash');
  assert.deepEqual(schema.enum, ['', ...SIGNATURE_HASHES]);
  assert.equal(schema.default, '');
  assert.deepEqual(schema.enumItemLabels?.slice(1), [...SIGNATURE_HASHES]);
});

test('sectigo.defaultLanguageName offers exactly core languageName values, labelled with their names', () => {
  const schema = setting('defaultLanguageName');
  assert.deepEqual(schema.enum, ['', ...Object.keys(LANGUAGE_NAMES)]);
  assert.deepEqual(schema.enumItemLabels?.slice(1), Object.values(LANGUAGE_NAMES));
});

test('sectigo.defaultResponseFormat defaults to the response format core sends', () => {
  const schema = setting('defaultResponseFormat');
  assert.deepEqual(schema.enum, [0, 1, 2]);
  assert.equal(schema.default, DEFAULT_RESPONSE_FORMAT);
});

test('the connection settings default to core values: the production endpoint and the call timeout', () => {
  assert.equal(setting('baseUrl').default, PRODUCTION_BASE_URL);
  assert.equal(setting('timeoutSeconds').default, DEFAULT_TIMEOUT_SECONDS);
  assert.equal(setting('timeoutSeconds').maximum, MAX_TIMEOUT_SECONDS);
  assert.equal(setting('codeLens.enabled').default, true);
});

test('every machine-scoped setting says where a remote window reads it (the Remote tab), not "User settings only"', () => {
  const nls = JSON.parse(readFileSync('package.nls.json', 'utf8')) as Record<string, string>;
  const machine = Object.entries(manifest.contributes.configuration.properties).filter(
    ([, schema]) => (schema as { scope?: string }).scope === 'machine',
  );
  assert.ok(machine.length >= 4, 'the connection settings are machine-scoped');
  for (const [id, schema] of machine) {
    const key = /^%(.+)%$/.exec(String((schema as { markdownDescription?: string }).markdownDescription))?.[1];
    const text = key === undefined ? '' : (nls[key] ?? '');
    assert.match(text, /in a remote window: the Remote tab/, id);
    assert.doesNotMatch(text, /User settings only\./, id);
  }
});
