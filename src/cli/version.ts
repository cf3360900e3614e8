// The version `sectigo-csr --version` prints: package.json's "version", the one place it is written.
// esbuild.mjs defines SECTIGO_CSR_VERSION from it when it bundles dist/cli.js, so the installed
// command reads nothing at run time; run from the sources (tests, tsx) it reads package.json.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

declare const SECTIGO_CSR_VERSION: string | undefined;

export function cliVersion(): string {
  if (typeof SECTIGO_CSR_VERSION === 'string') return SECTIGO_CSR_VERSION;
  try {
    const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as {
      version?: unknown;
    };
    return typeof manifest.version === 'string' ? manifest.version : 'unknown';
  } catch {
    return 'unknown';
  }
}
