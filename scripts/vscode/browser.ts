// Debian's Chromium driven by playwright-core. Playwright's own browser download cannot work
// here (no access to its CDN), so the system browser is required and its absence is an error.
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM_PATH = process.env.SECTIGO_CHROMIUM ?? '/usr/bin/chromium';

/** The flags that keep Chromium quiet and offline in a container without a GPU. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-dev-shm-usage',
];

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM_PATH}. Run: bash scripts/install-system-packages.sh ` +
        '(or point SECTIGO_CHROMIUM at a Chromium binary). Never `npx playwright install`: it cannot download here.',
    );
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
}
