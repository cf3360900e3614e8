// Where each finding code is explained: its own anchor in the project's README. Used by the
// SARIF output (helpUri); the repository URL is package.json's "repository" (a test keeps them equal).

export const projectHomepage = 'https://github.com/sectigo-csr-tools/sectigo-csr-tools';

export function findingHelpUri(code: string): string {
  return `${projectHomepage}#finding-${code}`;
}

/**
 * The findings only a new key fixes beyond Sectigo's -13 refusals: weak keys Sectigo's checks
 * before issuing refuse (issue 32). The editor offers *Create a compliant key and CSR…* on each
 * (src/vscode/csr-editor/new-key-fix.ts). Their meaning and what to do are the guide's
 * (finding-guide.ts); a test holds the two together. No imports: the editor reads this without
 * loading the analysis.
 */
export const brokenKeyFindingCodes: ReadonlySet<string> = new Set([
  'rsa-small-factor',
  'rsa-roca-vulnerable',
  'rsa-close-primes',
  'key-known-compromised',
  'rsa-exponent-not-below-modulus',
  'rsa-small-private-exponent',
  'rsa-modulus-polynomial-pattern',
  'rsa-shared-prime',
  'dsa-sparse-prime',
  'ec-point-invalid',
  'eddsa-point-invalid',
  'smime-key-encoding-not-allowed',
]);
