// A person fixing a refused request in the real workbench (code-server + headless Chromium, the
// packaged .vsix installed): the CodeLens beside the -13 refusal, the key type, the files beside
// the old request, the passphrase typed twice into masked boxes, then the new request open with
// a clean CodeLens. Each step saves a screenshot to test-results/ui/.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createPrivateKey } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { SAMPLE_FILES } from '../../scripts/vscode/sample-workspace';
import {
  UI_TIMEOUT,
  codeLensLine,
  codeLens,
  codeLensTexts,
  notification,
  openFile,
  openWorkbench,
  pickItem,
  quickInput,
  type Workbench,
} from './workbench';

const passphrase = 'Ui-w12 passphrase ✓';
let workbench: Workbench;

before(async () => {
  workbench = await openWorkbench();
});

after(async () => {
  await workbench?.close();
});

test('the -13 CodeLens leads to a new key and CSR beside the old request, the passphrase asked twice and masked', async () => {
  const { page, workspace } = workbench;
  try {
    await openFile(page, SAMPLE_FILES.weakKey);
    await codeLens(page, 'Create a compliant key and CSR').waitFor({ timeout: UI_TIMEOUT });
    await workbench.screenshot('new-csr-01-lens-beside-refusal');
    await codeLens(page, 'Create a compliant key and CSR').click();

    // The recommended key type comes first.
    const widget = quickInput(page);
    await widget.filter({ hasText: 'Key type' }).waitFor({ timeout: UI_TIMEOUT });
    const firstRow = widget.locator('.monaco-list-row').first();
    assert.match(await firstRow.innerText(), /RSA 3072[\s\S]*recommended/);
    await pickItem(page, 'Key type', 'EC P-256');
    await pickItem(page, 'Files to write', 'Beside the old request');
    await pickItem(page, 'Encrypt the private key', 'Protect the key with a passphrase');

    const input = widget.locator('input.input');
    await widget.filter({ hasText: 'Passphrase for the new private key' }).waitFor({ timeout: UI_TIMEOUT });
    assert.equal(await input.getAttribute('type'), 'password', 'the passphrase box must mask what is typed');
    await input.fill(passphrase);
    await page.keyboard.press('Enter');
    await widget.filter({ hasText: 'The same passphrase again' }).waitFor({ timeout: UI_TIMEOUT });
    assert.equal(await input.getAttribute('type'), 'password');
    await input.fill(`${passphrase}x`);
    await widget.filter({ hasText: 'The passphrases differ' }).waitFor({ timeout: UI_TIMEOUT });
    await workbench.screenshot('new-csr-02-passphrases-differ');
    await input.fill(passphrase);
    await page.keyboard.press('Enter');

    const stem = SAMPLE_FILES.weakKey.replace(/\.csr$/, '');
    await notification(page, `Created ${stem}.new.csr`).waitFor({ timeout: UI_TIMEOUT });
    await page
      .locator('.tabs-container .tab')
      .filter({ hasText: `${stem}.new.csr` })
      .first()
      .waitFor({ timeout: UI_TIMEOUT });
    await codeLensLine(page, /EC P-256 · SHA-256 · signature OK/).waitFor({ timeout: UI_TIMEOUT });
    const lenses = await codeLensTexts(page);
    assert.ok(
      !lenses.some((text) => /-13|compliant key/.test(text)),
      `the new request's CodeLens is clean: ${JSON.stringify(lenses)}`,
    );
    await workbench.screenshot('new-csr-03-new-request-open');

    const keyPath = join(workspace, `${stem}.new.key`);
    assert.ok(existsSync(join(workspace, `${stem}.new.csr`)));
    assert.equal(statSync(keyPath).mode & 0o777, 0o600);
    const keyPem = readFileSync(keyPath, 'utf8');
    assert.match(keyPem, /^-----BEGIN ENCRYPTED PRIVATE KEY-----\n/);
    assert.equal(createPrivateKey({ key: keyPem, passphrase }).asymmetricKeyDetails?.namedCurve, 'prime256v1');
    assert.ok(!(await page.content()).includes(passphrase), 'the passphrase is nowhere on the page');
  } catch (error) {
    await workbench.screenshot('new-csr-failed').catch(() => undefined);
    throw error;
  }
});
