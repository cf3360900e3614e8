// `npm run screenshots`: regenerates the README's pictures. Named steps of the browser tests
// (test/ui/person.test.ts, `workbench.readmeScreenshot(NAME)`) save test-results/ui/readme-NAME.png
// with no notification drawn and the account in the status bar; this runs those tests and copies
// each picture to media/screenshots/NAME.png. `--copy-only` copies the pictures of an earlier run
// (of `npm run test:ui`) without running the tests again. Fails when the README shows a picture
// that no step took, so a renamed step cannot leave a stale image behind.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './package';
import { README_SHOT_PREFIX, screenshotDir } from '../test/ui/workbench';

const mediaDir = join(repoRoot, 'media', 'screenshots');

function picturesTheReadmeShows(): string[] {
  const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
  return [...new Set([...readme.matchAll(/media\/screenshots\/([\w.-]+\.png)/g)].map((match) => match[1] ?? ''))];
}

function main(): number {
  if (!process.argv.includes('--copy-only')) {
    const run = spawnSync(
      process.execPath,
      ['--import', 'tsx', '--test', '--test-concurrency=1', '--test-reporter=spec', 'test/ui/person.test.ts'],
      {
        cwd: repoRoot,
        stdio: 'inherit',
      },
    );
    if (run.status !== 0) {
      console.error('screenshots: the UI tests failed; media/screenshots/ is left as it was.');
      return 1;
    }
  }
  const taken = existsSync(screenshotDir)
    ? readdirSync(screenshotDir).filter((name) => name.startsWith(README_SHOT_PREFIX) && name.endsWith('.png'))
    : [];
  const missing = picturesTheReadmeShows().filter((name) => !taken.includes(`${README_SHOT_PREFIX}${name}`));
  if (missing.length > 0) {
    console.error(
      `screenshots: no step of the UI tests took ${missing.join(', ')} (looked for ${README_SHOT_PREFIX}NAME.png in ${screenshotDir}).`,
    );
    return 1;
  }
  for (const name of taken) {
    const target = join(mediaDir, name.slice(README_SHOT_PREFIX.length));
    copyFileSync(join(screenshotDir, name), target);
    console.log(`${target} (${Math.round(statSync(target).size / 1024)} KB)`);
  }
  return 0;
}

process.exitCode = main();
