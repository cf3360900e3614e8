// The demo's sample workspace: its README's steps can be followed in a fresh window (the orders
// view starts empty, so nothing may begin in it), with the commands named as the palette shows
// them and the password a person can type.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeSampleWorkspace, SAMPLE_FILES, SAMPLE_LIST_ORDERS } from '../../scripts/vscode/sample-workspace';
import { RECEIVED_CALLS_FILE } from '../../scripts/received-calls';
import { parseTargetList } from '../../src/core/sectigo/bulk/targets';
import { DEMO_ACCOUNT, ORDERS, TYPED_DEMO_ACCOUNT } from '../fake-sectigo/accounts';

const root = join(__dirname, '..', '..');
const strings = JSON.parse(readFileSync(join(root, 'package.nls.json'), 'utf8')) as Record<string, string>;

test('the sample README names palette commands that exist and starts no step in the empty orders view', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'sample-workspace-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const written = await makeSampleWorkspace(dir);
  for (const name of [SAMPLE_FILES.good, SAMPLE_FILES.goodEc, SAMPLE_FILES.weakKey])
    assert.ok(written.includes(name), name);
  const readme = readFileSync(join(dir, SAMPLE_FILES.readme), 'utf8');
  for (const command of ['setCredentials', 'revokeSsl']) {
    assert.ok(
      readme.includes(`**${strings['command.category']}: ${strings[`command.${command}.title`]}**`),
      `${command} is not named as the palette shows it`,
    );
  }
  const revokeStep = readme
    .split('\n')
    .findIndex((line) => line.includes(strings['command.revokeSsl.title'] as string));
  assert.ok(
    readme
      .split('\n')
      .slice(revokeStep, revokeStep + 2)
      .join(' ')
      .includes(ORDERS.issuedSpare),
    'the revoke step names the order to revoke',
  );
  assert.doesNotMatch(readme, /revoke order `\d+` in test mode from its context menu/);
  assert.ok(readme.includes(`\`${TYPED_DEMO_ACCOUNT.loginName}\``));
  // The fake server's fixed demo password is given to be typed; the tests' own never is.
  assert.ok(readme.includes(`password \`${TYPED_DEMO_ACCOUNT.loginPassword}\``));
  assert.ok(!readme.includes(DEMO_ACCOUNT.loginPassword), "the README prints the tests' password");
});

test('the demo password can be typed on any keyboard; the tests keep the hard one', () => {
  assert.match(TYPED_DEMO_ACCOUNT.loginPassword, /^[a-z0-9-]{8,32}$/);
  assert.equal(TYPED_DEMO_ACCOUNT.loginName, DEMO_ACCOUNT.loginName, 'same login, so the same orders');
  assert.match(DEMO_ACCOUNT.loginPassword, /[^\x20-\x7e]/, "the tests' password keeps its non-ASCII letters");
});

test('the sample README names the view as it is called, says Set Credentials asks four things, and tries a list', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'sample-workspace-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  await makeSampleWorkspace(dir);
  const readme = readFileSync(join(dir, SAMPLE_FILES.readme), 'utf8');
  const viewName = strings['view.sectigo.orders.name'] as string;
  assert.equal(viewName, 'Sectigo Orders');
  assert.doesNotMatch(readme, /the \*\*Sectigo\*\* view/, 'the view is called by another name than its own');
  assert.match(readme, new RegExp(`\\*\\*${viewName}\\*\\* view`));
  assert.match(readme, /Four steps/);
  assert.ok(
    readme.includes(`**${strings['command.category']}: ${strings['command.revokeFromList.title']}**`),
    'the list step names the palette command',
  );
  assert.ok(readme.includes(`\`${SAMPLE_FILES.list}\``));
  assert.ok(
    readme.includes(RECEIVED_CALLS_FILE),
    'the README says where the calls that reached the practice server are',
  );
  const list = parseTargetList(readFileSync(join(dir, SAMPLE_FILES.list), 'utf8'));
  assert.deepEqual(list.problems, []);
  assert.deepEqual(
    list.targets.map((target) => target.value),
    [...SAMPLE_LIST_ORDERS],
  );
});
