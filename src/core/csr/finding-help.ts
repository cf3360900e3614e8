// Where each finding code is explained: its own anchor in the project's README. Used by the
// SARIF output (helpUri); the repository URL is package.json's "repository" (a test keeps them equal).

export const projectHomepage = 'https://github.com/sectigo-csr-tools/sectigo-csr-tools';

export function findingHelpUri(code: string): string {
  return `${projectHomepage}#finding-${code}`;
}
