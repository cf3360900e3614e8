// Issue 31: a window that holds only a certificate. Its workspace is one .crt file and nothing
// else (no request, no .pem), so no onLanguage:pkcs10 and no view can activate the extension:
// the certificate's own language (x509-certificate, package.json) must, when the file is opened,
// and then the lens "Revoke this certificate…" is drawn above it. Before the language there was
// no such activation event, and this window showed no lens at all.
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { makeCertificatePem } from '../fake-sectigo/csrs';
import { sessionSteps } from './session-steps';
import {
  UI_TIMEOUT,
  codeLens,
  codeLensTexts,
  openFile,
  openWorkbench,
  statusBarItem,
  type Workbench,
} from './workbench';

const FILE = 'server.crt';

let workbench: Workbench;
const step = sessionSteps(() => workbench, 'certificate-only-failed-');

before(async () => {
  workbench = await openWorkbench({ onlyFiles: { [FILE]: await makeCertificatePem('0A1B2C3D4E5F') } });
});
after(async () => {
  await workbench?.close();
});

step('before the certificate is opened, the extension has drawn nothing', async () => {
  const { page } = workbench;
  // The account's status bar item is drawn right after activation: none yet.
  assert.equal(await statusBarItem(page, /Sectigo/).count(), 0, 'the extension was active before a file was opened');
  await workbench.screenshot('certificate-only-01-window');
});

step('opening the .crt activates the extension and draws the certificate lens', async () => {
  const { page } = workbench;
  await openFile(page, FILE);
  await codeLens(page, 'Revoke this certificate').waitFor({ timeout: UI_TIMEOUT });
  assert.deepEqual(
    (await codeLensTexts(page)).filter((text) => /Revoke this certificate/.test(text)).length,
    1,
    'one lens, above the one certificate',
  );
  // The language the file got, in the status bar's language indicator.
  await page
    .locator('#status\\.editor\\.mode')
    .filter({ hasText: 'X.509 Certificate' })
    .waitFor({ timeout: UI_TIMEOUT });
  await statusBarItem(page, /Sectigo: not set/).waitFor({ timeout: UI_TIMEOUT });
  await workbench.screenshot('certificate-only-02-lens');
});
