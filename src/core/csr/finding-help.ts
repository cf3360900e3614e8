// Where a finding code is explained. One anchor scheme for every surface that links a code
// (the Problems view, SARIF's helpUri): the README gives each code its own anchor.

/** The project's README; the repository URL is the project's placeholder until it is published. */
export const readmeUrl = 'https://github.com/sectigo-csr-tools/sectigo-csr-tools';

/** The README's table of finding codes. */
export const findingCodesUrl = `${readmeUrl}#finding-codes`;

/** The README anchor of one finding or input-error code: `<README>#finding-<code>`. */
export function findingHelpUri(code: string): string {
  return `${readmeUrl}#finding-${encodeURIComponent(code)}`;
}
