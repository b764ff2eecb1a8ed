// Debian's Chromium driven by playwright-core (which downloads no browser): the status
// page as a person sees it. Missing Chromium is a failure that says how to install it;
// CI (.ci/run) installs it.

import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** CHROMIUM_PATH, else Debian's binary. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(chromiumPath)) {
    throw new Error(`chromium is not installed at ${chromiumPath}: install it (Debian: sudo apt-get install -y chromium) or set CHROMIUM_PATH; the browser tests need it and CI installs it`);
  }
  return chromium.launch({ executablePath: chromiumPath, headless: true });
}
