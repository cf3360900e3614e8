// A process that contends for a journal's lock, for the lock tests: told "lock" on its standard
// input it takes the lock of the journal named by its argument (its place checked as a run does)
// and says "won" or "busy: …"; told "release" it releases; at the end of its input it exits.
import { createInterface } from 'node:readline';
import { placeJournal } from '../../../../src/core/sectigo/bulk/journal-file';
import { lockJournal } from '../../../../src/core/sectigo/bulk/journal-lock';

const journal = process.argv[2] ?? '';
let release: (() => Promise<void>) | undefined;
const lines = createInterface({ input: process.stdin });
process.stdout.write('ready\n');
lines.on('line', (line) => {
  void (async () => {
    if (line === 'lock') {
      try {
        const place = await placeJournal(journal);
        release = await lockJournal(place.path, place.identity!);
        process.stdout.write('won\n');
      } catch (error) {
        process.stdout.write(`busy: ${(error as Error).message}\n`);
      }
    } else if (line === 'release') {
      await release?.();
      release = undefined;
      process.stdout.write('released\n');
    }
  })();
});
lines.on('close', () => {
  void (release?.() ?? Promise.resolve()).then(() => process.exit(0));
});
