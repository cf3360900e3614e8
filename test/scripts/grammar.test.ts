// syntaxes/pkcs10.tmLanguage.json: the Base64 body of a request gets a neutral scope. A string
// scope is drawn in #a31515 by Light+ / Light Modern, the colour people read as error text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

interface Rule {
  match?: string;
  name?: string;
}

const grammar = JSON.parse(readFileSync(join(__dirname, '..', '..', 'syntaxes', 'pkcs10.tmLanguage.json'), 'utf8')) as {
  repository: { base64: { patterns: Rule[] } };
};

/** The scope the grammar's first matching Base64 rule gives a whole line of Base64 text. */
function scopeOfBody(line: string): string | undefined {
  for (const rule of grammar.repository.base64.patterns) {
    if (rule.match === undefined) continue;
    const found = new RegExp(rule.match).exec(line);
    if (found && found.index === 0 && found[0] === line) return rule.name;
  }
  return undefined;
}

test('the Base64 body is markup.raw, not a string', () => {
  const scope = scopeOfBody('MIICijCCAXICAQAwRTELMAkGA1UEBhMCQVUxEzARBgNVBAgMClNvbWUtU3RhdGUx');
  assert.equal(scope, 'markup.raw.base64.pkcs10');
  for (const rule of grammar.repository.base64.patterns)
    assert.ok(!rule.name?.startsWith('string.'), `${rule.name} colours Base64 as a string`);
});
