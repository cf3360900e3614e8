// The sample workspace the demo and the UI tests open: good and bad requests a person can try
// the extension on. The requests are made fresh (throwaway keys, never saved), and the
// checked-in fixtures of test/fixtures/csr are added when they exist.
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeCsrPem } from '../../test/fake-sectigo/csrs';
import { ORDERS, TYPED_DEMO_ACCOUNT } from '../../test/fake-sectigo/accounts';
import { repoRoot } from './code-server';
import { RECEIVED_CALLS_FILE } from '../received-calls';

/** Names of the generated files, for tests that look for them in the workbench. */
export const SAMPLE_FILES = {
  good: 'alice-smime.csr',
  goodEc: 'bob-smime-p256.csr',
  weakKey: 'weak-rsa-1024.csr',
  /** A list for Revoke from List…: one accepted, one already revoked (-21), two refused. */
  list: 'revoke-list.txt',
  readme: 'README.md',
} as const;

/** The orders of the sample list, in its order. */
export const SAMPLE_LIST_ORDERS = [ORDERS.issuedSpare, ORDERS.revoked, ORDERS.rejected, ORDERS.beingIssued] as const;

// Fixtures worth showing beside the generated ones, if the CSR engineer's set is there.
const INTERESTING_FIXTURE = /(md5|sha1|broken|bad|1024|dsa|ed25519|secp256k1|multi|crlf|template)/i;

/** A command as the palette shows it, from package.nls.json, so the steps name what a person sees. */
function paletteTitle(command: string): string {
  const strings = JSON.parse(readFileSync(join(repoRoot, 'package.nls.json'), 'utf8')) as Record<string, string>;
  return `${strings['command.category']}: ${strings[`command.${command}.title`]}`;
}

export async function makeSampleWorkspace(dir: string): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, SAMPLE_FILES.good), await makeCsrPem({ kind: 'rsa', bits: 2048 }, 'alice@example.com'));
  writeFileSync(join(dir, SAMPLE_FILES.goodEc), await makeCsrPem({ kind: 'ec', curve: 'P-256' }, 'bob@example.com'));
  writeFileSync(join(dir, SAMPLE_FILES.weakKey), await makeCsrPem({ kind: 'rsa', bits: 1024 }, 'weak@example.com'));
  writeFileSync(
    join(dir, SAMPLE_FILES.list),
    [
      '# A list for "Revoke from List…": one certificate per line (an order number, or order:N,',
      '# serial:HEX, certificate-id:N, certificate:FILE), or a CSV export. # starts a comment.',
      ...SAMPLE_LIST_ORDERS,
      '',
    ].join('\n'),
  );
  const written: string[] = [SAMPLE_FILES.good, SAMPLE_FILES.goodEc, SAMPLE_FILES.weakKey, SAMPLE_FILES.list];
  const fixtures = join(repoRoot, 'test', 'fixtures', 'csr');
  if (existsSync(fixtures)) {
    mkdirSync(join(dir, 'fixtures'), { recursive: true });
    for (const name of readdirSync(fixtures)
      .filter((file) => /\.(csr|pem)$/i.test(file) && INTERESTING_FIXTURE.test(file))
      .slice(0, 12)) {
      copyFileSync(join(fixtures, name), join(dir, 'fixtures', name));
      written.push(join('fixtures', name));
    }
  }
  writeFileSync(
    join(dir, SAMPLE_FILES.readme),
    [
      '# Sectigo CSR Tools: demo workspace',
      '',
      "This window talks to a **local practice server** that answers like Sectigo's API, never to Sectigo.",
      '',
      `- \`${SAMPLE_FILES.good}\` and \`${SAMPLE_FILES.goodEc}\` are requests Sectigo would accept: see the CodeLens above each.`,
      `- \`${SAMPLE_FILES.weakKey}\` has a 1024-bit key: Sectigo would refuse it (error -13); see the Problems view.`,
      '',
      '## Try a call',
      '',
      `1. Run **${paletteTitle('setCredentials')}** (Ctrl+Shift+P / F1). Four steps: keep the API endpoint it offers (this practice server);`,
      `   login name \`${TYPED_DEMO_ACCOUNT.loginName}\`; password \`${TYPED_DEMO_ACCOUNT.loginPassword}\` (the practice server's fixed demo value, nobody's secret);`,
      "   then **Use These** to keep the practice server's CA file.",
      "   Credentials live in VS Code's secret storage (with code-server: this browser's storage, encrypted).",
      `2. Open \`${SAMPLE_FILES.good}\` and click **Replace S/MIME order…**; use order number \`${ORDERS.issued}\`.`,
      '   The replacement appears in the **Sectigo Orders** view (the shield in the activity bar).',
      // The orders view lists only calls made from this window, so the revocation starts from the palette.
      `3. Run **${paletteTitle('revokeSsl')}** from the palette, choose *Order number*, enter`,
      `   \`${ORDERS.issuedSpare}\` and a reason. Enter on the confirmation runs the harmless test (test=Y): Sectigo`,
      '   checks the request and revokes nothing. The order then appears in the **Sectigo Orders** view and offers **Revoke for Real…**.',
      `4. Run **${paletteTitle('revokeFromList')}** and choose \`${SAMPLE_FILES.list}\`: four orders, one reason for all.`,
      '   Enter runs the test of the whole list (test=Y): one is accepted, one is already revoked (-21), two are refused.',
      '   The run is one entry of the **Sectigo Orders** view; expand it for each certificate and its answer.',
      '',
      `Every call that reaches the practice server is listed in \`${RECEIVED_CALLS_FILE}\` (open it beside the`,
      'extension; the password is masked there) and on the terminal that runs the demo.',
      '',
      `Other orders of the demo account: being issued \`${ORDERS.beingIssued}\`, revoked \`${ORDERS.revoked}\`,`,
      `rejected \`${ORDERS.rejected}\`, not yours \`${ORDERS.noPermission}\`, awaiting validation \`${ORDERS.wrongState}\`.`,
      '',
    ].join('\n'),
  );
  return written;
}
