// How the program writes a count for a person: grouped by thousands with commas, as
// toLocaleString('en-US') would, without Intl. The first Intl call of a process loads ICU's locale
// data: about 14 ms of a one-file `sectigo-csr check` (a process of about 80 ms, bench/cli-startup)
// and about 9 MB of a bulk run's memory, for commas.

/** "12,345": a count with its thousands grouped; a number that is not a safe integer as String() writes it. */
export function formatCount(count: number): string {
  if (!Number.isSafeInteger(count)) return String(count);
  const digits = String(Math.abs(count));
  let grouped = '';
  for (let end = digits.length; end > 0; end -= 3)
    grouped = `${digits.slice(Math.max(0, end - 3), end)}${grouped === '' ? '' : ','}${grouped}`;
  return count < 0 ? `-${grouped}` : grouped;
}
