/**
 * The HTML report of a 365-day period over the whole catalog: file size and time to the `load` event in headless
 * Chromium from file:// (goals ≤ 5 MB, ≤ 1 s), against a static HTML file of the same size loaded in the same run.
 * The period's statuses and the failing findings are generated (seeded), shaped like a year of daily evaluations.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { collectors } from '../collectors/index.ts';
import { DEFAULT_CONTROLS_PATH, loadControls } from '../controls/catalog.ts';
import { loadFrameworks } from '../controls/frameworks.ts';
import { DEFAULT_GOVERNANCE_DIR, loadGovernance } from '../controls/governance.ts';
import { parsePeriod } from '../core/archive/period.ts';
import type { ControlPeriodStatus } from '../core/archive/period-status.ts';
import type { ControlState, Finding } from '../core/model.ts';
import { checkIndex } from '../core/pipeline.ts';
import { reportData } from '../core/report/html/data.ts';
import { renderReport } from '../core/report/html/render.ts';
import { launchChromium } from '../test/support/browser.ts';
import { dailyPeriodStatus } from '../test/support/period-status.ts';
import { fmt, random } from './timing.ts';

const DAYS = 365;
const RESOURCES_PER_FAILING_CONTROL = 8;
const END = '2026-12-31';

async function yearReport(): Promise<{ page: string; renderMs: number; controls: number }> {
  const checks = checkIndex(collectors);
  const catalog = await loadControls(DEFAULT_CONTROLS_PATH, new Set(checks.keys()));
  const frameworks = await loadFrameworks();
  const governance = await loadGovernance(DEFAULT_GOVERNANCE_DIR, { controls: catalog, frameworks });
  const period = parsePeriod('2026-01-01', END);
  const next = random(2026);
  const statuses = new Map<string, ControlPeriodStatus>();
  const states: ControlState[] = [];
  const at = `${END}T10:05:00.000Z`;
  for (const control of catalog) {
    if (control.checks.length === 0) {
      states.push(state(control.id, 'manual_due', at, []));
      continue;
    }
    // Status changes every 5 to 40 days; a day without evidence now and then.
    const days: ('met' | 'failing' | 'missed')[] = [];
    let current: 'met' | 'failing' = 'met';
    while (days.length < DAYS) {
      const run = 5 + Math.floor(next() * 35);
      for (let i = 0; i < run && days.length < DAYS; i++) days.push(next() < 0.03 ? 'missed' : current);
      current = next() < 0.6 ? 'met' : 'failing';
    }
    const atEnd = current === 'met' ? 'passing' : 'failing';
    statuses.set(control.id, dailyPeriodStatus(control.id, period, days, atEnd));
    const failing: Finding[] =
      days.at(-1) === 'failing'
        ? Array.from({ length: RESOURCES_PER_FAILING_CONTROL }, (_, i) => ({
            check: control.checks[i % control.checks.length]!,
            resource: `arn:aws:s3:::bucket-${control.id.toLowerCase()}-${i}`,
            status: 'fail',
            reason: `resource ${i} of ${control.id} does not meet ${control.checks[0]}`,
          }))
        : [];
    states.push(state(control.id, failing.length ? 'failing' : 'passing', at, failing));
  }
  const start = performance.now();
  const page = renderReport(
    reportData({
      controls: catalog,
      states,
      collectors,
      frameworks,
      owners: governance.owners,
      period,
      periodStatus: statuses,
      generatedAt: `${END}T12:00:00.000Z`,
      generator: 'proofline bench',
      store: 'bench',
    }),
  );
  return { page, renderMs: performance.now() - start, controls: catalog.length };
}

function state(
  control: string,
  status: ControlState['status'],
  at: string,
  failing: Finding[],
): ControlState {
  const evidence = [
    `evidence/source=aws/collector=aws.s3.buckets/scope=123456789012-global/dt=${END}/x.json`,
  ];
  return {
    control,
    status,
    failing,
    findingCount: failing.length,
    resourceCount: failing.length,
    evidence,
    gaps: [],
    since: at,
    evaluatedAt: at,
  };
}

/**
 * Time from navigation start to the end of the load event, for each URL: the pages are loaded in turns in one
 * browser (after a warm-up of each), so both see the same machine load; the median of `runs` per URL.
 */
async function loadMs(urls: readonly string[], runs = 7): Promise<number[]> {
  const browser = await launchChromium();
  try {
    const times = urls.map(() => [] as number[]);
    for (let round = 0; round <= runs; round++)
      for (const [i, url] of urls.entries()) {
        const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
        await page.goto(url, { waitUntil: 'load' });
        const ms = (await page.evaluate(
          `(() => { const [nav] = performance.getEntriesByType('navigation'); return nav.loadEventEnd - nav.startTime; })()`,
        )) as number;
        if (round > 0) times[i]!.push(ms);
        await page.close();
      }
    return times.map((t) => t.sort((a, b) => a - b)[Math.floor(t.length / 2)]!);
  } finally {
    await browser.close();
  }
}

export async function runReportBench(): Promise<string[]> {
  const dir = await mkdtemp(join(tmpdir(), 'proofline-report-bench-'));
  try {
    const { page, renderMs, controls } = await yearReport();
    const report = join(dir, 'report.html');
    await writeFile(report, page);
    const size = Buffer.byteLength(page);
    // Baseline: a static page of the same size (paragraphs of text, no script).
    const paragraph = `<p>${'Evidence is collected, hashed and kept. '.repeat(20)}</p>\n`;
    const baseline = join(dir, 'static.html');
    await writeFile(
      baseline,
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>static</title></head><body>${paragraph.repeat(Math.ceil(size / paragraph.length))}</body></html>`,
    );
    const [reportMs, baselineMs] = (await loadMs([
      pathToFileURL(report).href,
      pathToFileURL(baseline).href,
    ])) as [number, number];
    return [
      `report of ${controls} controls over ${DAYS} days: ${fmt(size / 1e6, 2)} MB (goal ≤ 5 MB), rendered in ${fmt(renderMs, 0)} ms`,
      `time to load in Chromium: ${fmt(reportMs, 0)} ms (goal ≤ 1000 ms); a static HTML file of the same size: ${fmt(baselineMs, 0)} ms (${fmt(reportMs / baselineMs, 2)}×)`,
    ];
  } catch (error) {
    if ((error as Error).message.includes('Executable') || (error as NodeJS.ErrnoException).code === 'ENOENT')
      return [`skipped: Chromium is not installed (${(error as Error).message.split('\n')[0]})`];
    throw error;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href)
  for (const line of await runReportBench()) console.log(line);
