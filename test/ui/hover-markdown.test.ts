// A crafted request in a real hover: code-server's workbench renders the extension's hover for a
// CSR whose subject and names are Markdown links, images, HTML, autolinks and command: URIs. A
// person hovering over it sees that text as text: the hover's only link is the extension's own
// "Open the full report", and no image or element comes from the request.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { webcrypto } from 'node:crypto';
import { UI_TIMEOUT, openFile, openWorkbench, type Workbench } from './workbench';
import { sessionSteps } from './session-steps';

const FILE = 'hostile-subject.csr';
const HOSTILE_CN = '`` ` ``[run](command:workbench.action.terminal.new)` ![i](https://evil.example/i.png)';
const HOSTILE_O = '<img src=x onerror=alert(1)> <command:workbench.action.terminal.new> www.evil-site.com';

async function hostileCsr(): Promise<string> {
  x509.cryptoProvider.set(webcrypto as unknown as Crypto);
  const algorithm = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
  const keys = (await webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify'])) as CryptoKeyPair;
  const request = await x509.Pkcs10CertificateRequestGenerator.create({
    name: [{ CN: [HOSTILE_CN] }, { O: [HOSTILE_O] }],
    keys,
    signingAlgorithm: algorithm,
    extensions: [
      new x509.SubjectAlternativeNameExtension([
        { type: 'email', value: '[mail](command:workbench.action.terminal.new)@evil-site.com' },
        { type: 'url', value: 'command:workbench.action.terminal.new' },
      ]),
    ],
  });
  return `${request.toString('pem')}\n`;
}

let workbench: Workbench;
const step = sessionSteps(() => workbench, 'hover-markdown-failed-');

before(async () => {
  workbench = await openWorkbench({ extraFiles: { [FILE]: await hostileCsr() } });
});
after(async () => {
  await workbench?.close();
});

step('the hover of a hostile request shows its subject as text, with no link or image from it', async () => {
  const { page } = workbench;
  await openFile(page, FILE);
  const hover = page.locator('.monaco-hover .hover-contents').filter({ hasText: 'Open the full report' }).first();
  // Hover over a line inside the block, as a person would, until the extension's hover shows.
  const deadline = Date.now() + UI_TIMEOUT;
  for (let line = 2; ; line = line === 2 ? 3 : 2) {
    await page
      .locator('.view-lines .view-line')
      .nth(line)
      .hover({ position: { x: 40, y: 5 } });
    try {
      await hover.waitFor({ state: 'visible', timeout: 5_000 });
      break;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await page.mouse.move(700, 800);
    }
  }
  const text = await hover.innerText();
  assert.ok(text.includes('[run](command:workbench.action.terminal.new)'), text);
  // The subject is shown as its RFC 4514 text (which escapes = and <), the names as they are.
  assert.ok(text.includes('\\<img src\\=x onerror\\=alert(1)\\>'), text);
  assert.ok(text.includes('![i](https://evil.example/i.png)'), text);
  assert.ok(text.includes('email:[mail](command:workbench.action.terminal.new)@evil-site.com'), text);
  assert.ok(text.includes('URI:command:workbench.action.terminal.new'), text);
  const links = await hover
    .locator('a')
    .evaluateAll((anchors) =>
      anchors.map(
        (anchor) =>
          `${anchor.textContent ?? ''} -> ${anchor.getAttribute('data-href') ?? anchor.getAttribute('href') ?? ''}`,
      ),
    );
  assert.equal(links.length, 1, JSON.stringify(links));
  assert.match(links[0] ?? '', /^Open the full report -> command:sectigo\./, JSON.stringify(links));
  assert.equal(await hover.locator('img').count(), 0);
  await workbench.screenshot('hover-hostile-subject');
});
