// What the in-process benches of the analysis share (npm run bench's third figure and
// bench:key-checks): the requests they time, and the analysis bundled from this tree's src/ or a
// commit's, loaded anew so that no cache of verdicts or keys carries over.
import type { KeyObject } from 'node:crypto';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { buildRequest, emailOid, sanEmail, sanExtension, spkiOf, toPemText } from '../test/core/csr/build-csr';
import { repoRoot } from './cli-builds';
import { sourcesAt } from './sources-at';

export type Core = typeof import('../src/core/csr/index');

/** An S/MIME-shaped request of `key`, its subject and mailbox numbered `i`. */
export function requestPem(key: { publicKey: KeyObject; privateKey: KeyObject }, i: number): string {
  const mailbox = `user${i}@example.com`;
  return toPemText(
    buildRequest({
      subject: [
        ['2.5.4.6', 'GB'],
        ['2.5.4.10', 'Example Ltd'],
        ['2.5.4.3', `User ${i}`],
        [emailOid, mailbox],
      ],
      spki: spkiOf(key.publicKey),
      privateKey: key.privateKey,
      extensions: [sanExtension([sanEmail(mailbox)])],
    }),
  );
}

/** The analysis bundled into `file`, from this tree's src/ or from `commit`'s. */
export async function bundleCore(file: string, commit?: string): Promise<string> {
  await esbuild.build({
    entryPoints: [join(repoRoot, 'src', 'core', 'csr', 'index.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    minify: true,
    outfile: file,
    logLevel: 'silent',
    absWorkingDir: repoRoot,
    plugins: commit === undefined ? [] : [sourcesAt(repoRoot, commit)],
  });
  return file;
}

/** The bundle loaded anew: its caches (verdicts of moduli, loaded keys) start empty. */
export function loadFresh(file: string): Core {
  delete require.cache[require.resolve(file)];
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a bundle made just now, outside the sources
  return require(file) as Core;
}
