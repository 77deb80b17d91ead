import { describe, expect, it } from 'vitest';
import { loadFrameworks } from '../../controls/frameworks.ts';
import { parsePeriod } from '../../core/archive/period.ts';
import { storeReportData } from '../../core/report/html/index.ts';
import { describeAws } from '../support/aws.ts';
import { daysFrom, historyControls, widgetsCollector, writeHistory } from '../support/evidence-history.ts';
import { awsHarness, localHarness, type StoreHarness } from '../support/stores.ts';

/** The same history in each store gives the same report: strips, trend, failing resources. */
const DAYS = daysFrom('2026-05-01', 6);
const plan = (day: string) => (day === DAYS[2] ? 'error' : day >= DAYS[4]! ? 'fail' : 'pass');

function suite(harness: StoreHarness) {
  it(`reads the period and the current state from the ${harness.name}`, async () => {
    const store = await (await harness.create()).open();
    await writeHistory(store, DAYS, plan);
    const data = await storeReportData({
      store,
      controls: historyControls,
      collectors: [widgetsCollector(() => 'pass')],
      frameworks: await loadFrameworks(),
      owners: {},
      period: parsePeriod(DAYS[0]!, DAYS.at(-1)!),
      now: new Date(`${DAYS.at(-1)}T12:00:00.000Z`),
      generator: { name: 'proofline', version: 'test' },
    });
    const wid = data.controls.find((c) => c.id === 'WID-01')!;
    expect(wid.status).toBe('failing');
    expect(wid.strip?.runs.map((r) => [r.status, r.length])).toEqual([
      ['passing', 2],
      ['no_evidence', 1],
      ['passing', 1],
      ['failing', 2],
    ]);
    expect(data.trend).toEqual([1, 1, null, 1, 0, 0]);
    expect(data.resources.map((r) => [r.resource, r.items.map((i) => i.control)])).toEqual([
      ['111122223333/w2', ['WID-01', 'WID-02']],
    ]);
    await store.close();
  });
}

describe('report data from the embedded store', () => suite(localHarness));
describeAws('report data from the AWS store (S3 + DynamoDB on moto_server)', () => suite(awsHarness));
