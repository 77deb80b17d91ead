import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { storeReportHtml } from '../../core/report/html/index.ts';
import { AXE_SCRIPT, describeBrowser, launchChromium } from '../support/browser.ts';
import { reportStore } from './store-fixture.ts';

/** Screenshots land here (gitignored) for a person to look at. */
const OUTPUT = join(import.meta.dirname, '..', '..', 'test-results', 'report');

describeBrowser('the HTML report in headless Chromium, opened from file://', { timeout: 120_000 }, () => {
  let browser: Browser;
  let url: string;
  let controlIds: string[];

  beforeAll(async () => {
    const { dir, store, controls, input } = await reportStore();
    controlIds = controls.map((c) => c.id);
    const file = join(dir, 'report.html');
    await writeFile(file, await storeReportHtml(input));
    await store.close();
    url = pathToFileURL(file).href;
    await mkdir(OUTPUT, { recursive: true });
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => browser?.close());

  /** Opens the report, recording every request and every console error. */
  async function open(width = 1280) {
    const page = await browser.newPage({ viewport: { width, height: 900 } });
    const requests: string[] = [];
    const errors: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(url, { waitUntil: 'load' });
    return { page, requests, errors };
  }
  const visibleControls = (page: Page) => page.locator('details.control:visible');

  it('makes no request besides its own file and logs no error', async () => {
    const { page, requests, errors } = await open();
    await page.locator('#control-WID-01 > summary').click();
    await page.locator('#q').fill('widget');
    expect(requests).toEqual([url]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('renders every control of the catalog', async () => {
    const { page } = await open();
    const ids = await page.locator('details.control').evaluateAll((els) => els.map((e) => e.id));
    expect(ids).toEqual(controlIds.map((id) => `control-${id}`));
    await expect(visibleControls(page).count()).resolves.toBe(controlIds.length);
    await page.close();
  });

  it('narrows the list with a filter and with the search box, and clears again', async () => {
    const { page } = await open();
    await page.locator('select[data-filter=status]').selectOption('failing');
    const failing = await visibleControls(page).evaluateAll((els) => els.map((e) => e.id));
    expect(failing).toEqual(['control-WID-01', 'control-WID-02']);
    await expect(page.locator('#shown').textContent()).resolves.toBe(`2 of ${controlIds.length} controls`);
    await page.locator('select[data-filter=owner]').selectOption('security');
    await expect(visibleControls(page).evaluateAll((els) => els.map((e) => e.id))).resolves.toEqual([
      'control-WID-02',
    ]);
    await page.getByRole('button', { name: 'Clear' }).click();
    await page.locator('#q').fill('root account');
    await expect(visibleControls(page).evaluateAll((els) => els.map((e) => e.id))).resolves.toEqual([
      'control-IAM-01',
    ]);
    await page.close();
  });

  it('shows the reason and remediation when a failing resource is clicked', async () => {
    const { page } = await open();
    const control = page.locator('#control-WID-01');
    await control.locator('> summary').click();
    const finding = control.locator('details.finding').filter({ hasText: '444455556666/w2' });
    const reason = finding.getByText('unlocked', { exact: true });
    await expect(reason.isVisible()).resolves.toBe(false);
    await finding.locator('summary').click();
    await expect(reason.isVisible()).resolves.toBe(true);
    await expect(finding.getByText('Lock the widget.').isVisible()).resolves.toBe(true);
    await page.close();
  });

  it('is operable from the keyboard: Tab reaches a control, Enter opens it', async () => {
    const { page } = await open();
    await page.keyboard.press('/');
    await expect(page.locator('#q').evaluate((el) => el === el.ownerDocument.activeElement)).resolves.toBe(
      true,
    );
    await page.locator('#control-WID-01 > summary').focus();
    await page.keyboard.press('Enter');
    await expect(page.locator('#control-WID-01').getAttribute('open')).resolves.toBe('');
    await page.close();
  });

  it('has no serious or critical axe-core violation, everything expanded', async () => {
    const { page } = await open();
    await page.locator('details').evaluateAll((els) => {
      for (const el of els) el.setAttribute('open', '');
    });
    await page.addScriptTag({ path: AXE_SCRIPT });
    // Evaluated in the page, where axe is a global.
    const violations = (await page.evaluate(
      `axe.run(document, { resultTypes: ['violations'] }).then((r) =>
        r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.length })))`,
    )) as { id: string; impact: string; help: string; nodes: number }[];
    expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
    await page.close();
  }, 240_000);

  it('prints everything expanded, without the filters (PDF in test-results/report)', async () => {
    const { page } = await open();
    const reason = page
      .locator('#control-WID-01 details.finding')
      .first()
      .getByText('unlocked', { exact: true });
    await expect(reason.isVisible()).resolves.toBe(false);
    await page.emulateMedia({ media: 'print' });
    await expect(reason.isVisible()).resolves.toBe(true);
    await expect(page.locator('.filters').isVisible()).resolves.toBe(false);
    const pdf = await page.pdf({ format: 'A4', path: join(OUTPUT, 'report.pdf') });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    await page.close();
  });

  it('reads at 1280 px and at 390 px (screenshots in test-results/report)', async () => {
    for (const width of [1280, 390]) {
      const { page } = await open(width);
      const overflow = await page.evaluate('document.documentElement.scrollWidth - window.innerWidth');
      expect(overflow).toBeLessThanOrEqual(0);
      await page.screenshot({ path: join(OUTPUT, `overview-${width}.png`) });
      await page.locator('#control-WID-01 > summary').click();
      await page.locator('#control-WID-01 details.finding > summary').first().click();
      await page.locator('#control-WID-01').scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(OUTPUT, `control-${width}.png`) });
      await page.close();
    }
  });
});
