import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { type Browser, chromium } from 'playwright-core';
import { describe } from 'vitest';

/** Debian's Chromium (`apt-get install chromium`), driven by playwright-core; CI installs it (.ci/run). */
export const CHROMIUM = process.env.PROOFLINE_CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export const launchChromium = (): Promise<Browser> =>
  chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });

/** axe-core's browser build, injected into the page under test. */
export const AXE_SCRIPT = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

const available = existsSync(CHROMIUM);
if (!available && !process.env.CI)
  console.warn(`\n!!! ${CHROMIUM} not found: the browser tests are SKIPPED (apt-get install chromium) !!!\n`);

/** Runs browser tests where Chromium is installed; with CI set they always run (and fail without it). */
export const describeBrowser = describe.skipIf(!available && !process.env.CI);
