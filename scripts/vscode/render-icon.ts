// Renders media/icon.svg to the 128x128 media/icon.png the Marketplace wants (vsce refuses
// SVG icons), with the same Chromium the UI tests use. Run after editing the SVG:
//   node --import tsx scripts/vscode/render-icon.ts
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { launchChromium } from './browser';
import { repoRoot } from './code-server';

async function main(): Promise<void> {
  const svg = readFileSync(join(repoRoot, 'media', 'icon.svg'), 'utf8');
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 128, height: 128 }, deviceScaleFactor: 1 });
    await page.setContent(`<html><body style="margin:0;background:transparent">${svg}</body></html>`);
    await page.locator('svg').screenshot({ path: join(repoRoot, 'media', 'icon.png'), omitBackground: true });
  } finally {
    await browser.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
