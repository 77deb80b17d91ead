import { describe, expect, it } from 'vitest';
import { parsePeriod, requirementsFromControls } from '../../../core/archive/period.ts';
import { controlPeriodStatus, dayRanges, formatGaps } from '../../../core/archive/period-status.ts';
import { drawSample, sampleRank } from '../../../core/archive/sample.ts';
import type { ArtifactRef, ControlStatus, Finding, Transition } from '../../../core/model.ts';
import { historyControls } from '../../support/evidence-history.ts';

const control = historyControls[0]!;
const period = parsePeriod('2026-06-01', '2026-06-05');

let n = 0;
const ref = (day: string, scope = 'a-global', status: 'ok' | 'error' = 'ok'): ArtifactRef => ({
  key: `evidence/source=aws/collector=test.widgets/scope=${scope}/dt=${day}/k${n++}.json`,
  sha256: 'a'.repeat(64),
  size: 1,
  collector: 'test.widgets',
  source: 'aws',
  scopeKey: scope,
  collectedAt: `${day}T10:00:00.000Z`,
  status,
});
const transition = (at: string, from: ControlStatus | null, to: ControlStatus): Transition => ({
  control: control.id,
  from,
  to,
  since: at,
  newlyFailing: [],
  recovered: [],
  at,
  failing: [],
  evidence: [],
});
const everyDay = (scope?: string) => period.days.map((d) => ref(d, scope));
const noFindings = async () => undefined;

describe('a control over a period, day by day', () => {
  it('counts a day failing when the control failed at any moment of it, passing once it recovered', async () => {
    const s = await controlPeriodStatus({
      control,
      period,
      evidence: everyDay(),
      collectors: new Set(['test.widgets']),
      transitions: [
        transition('2026-05-20T10:05:00.000Z', null, 'passing'),
        transition('2026-06-02T10:05:00.000Z', 'passing', 'failing'),
        transition('2026-06-03T10:05:00.000Z', 'failing', 'passing'),
      ],
      findingsOf: noFindings,
    });
    expect(s.days).toEqual(['passing', 'failing', 'failing', 'passing', 'passing']);
    expect(s).toMatchObject({
      passing: 3,
      failing: 2,
      withoutEvidence: 0,
      pctPassing: 60,
      statusAtEnd: 'passing',
    });
    expect(s.failingDays).toEqual(['2026-06-02', '2026-06-03']);
    expect(s.gaps).toEqual([]);
  });

  it('counts excepted days apart from passing ones', async () => {
    const s = await controlPeriodStatus({
      control,
      period,
      evidence: everyDay(),
      collectors: new Set(['test.widgets']),
      transitions: [
        transition('2026-05-20T10:05:00.000Z', null, 'passing'),
        transition('2026-06-04T10:05:00.000Z', 'passing', 'excepted'),
      ],
      findingsOf: noFindings,
    });
    expect(s.days).toEqual(['passing', 'passing', 'passing', 'excepted', 'excepted']);
    expect(s).toMatchObject({ passing: 3, excepted: 2, statusAtEnd: 'excepted' });
  });

  it('a day without a successful collection of every scope seen is a day without evidence, and the gap is named', async () => {
    const evidence = [
      ...everyDay('a-global'),
      ...['2026-06-01', '2026-06-02', '2026-06-05'].map((d) => ref(d, 'b-global')),
      ref('2026-06-03', 'b-global', 'error'),
    ];
    const s = await controlPeriodStatus({
      control,
      period,
      evidence,
      collectors: new Set(['test.widgets']),
      transitions: [transition('2026-05-20T10:05:00.000Z', null, 'passing')],
      findingsOf: noFindings,
    });
    expect(s.days).toEqual(['passing', 'passing', 'no_evidence', 'no_evidence', 'passing']);
    expect(s.gaps).toEqual([
      { source: 'test.widgets b-global', notCollected: ['2026-06-04'], collectionFailed: ['2026-06-03'] },
    ]);
    expect(formatGaps(s.gaps)).toBe(
      'test.widgets b-global: not collected 2026-06-04; collection failed 2026-06-03',
    );
  });

  it('a needed collector that never ran leaves every day without evidence', async () => {
    const s = await controlPeriodStatus({
      control,
      period,
      evidence: everyDay(),
      collectors: new Set(['test.widgets', 'test.gadgets']),
      transitions: [transition('2026-05-20T10:05:00.000Z', null, 'no_evidence')],
      findingsOf: noFindings,
    });
    expect(s.withoutEvidence).toBe(5);
    expect(formatGaps(s.gaps)).toBe('test.gadgets: not collected 2026-06-01..2026-06-05');
  });

  it('before the control was ever evaluated, judges the day by the findings stored with its evidence', async () => {
    const evidence = everyDay();
    const failing = new Set([evidence[1]!.key]);
    const findingsOf = async (key: string): Promise<Finding[]> => [
      {
        check: 'test.widgets.locked',
        resource: 'w1',
        status: failing.has(key) ? 'fail' : 'pass',
        reason: '',
      },
      { check: 'another.check', resource: 'w1', status: 'fail', reason: 'not this control' },
    ];
    const s = await controlPeriodStatus({
      control,
      period,
      evidence,
      collectors: new Set(['test.widgets']),
      transitions: [transition('2026-06-04T10:05:00.000Z', null, 'passing')],
      findingsOf,
    });
    expect(s.days).toEqual(['passing', 'failing', 'passing', 'passing', 'passing']);
  });

  it('writes consecutive days as ranges', () => {
    expect(dayRanges(['2026-02-27', '2026-02-28', '2026-03-01', '2026-03-03'])).toBe(
      '2026-02-27..2026-03-01, 2026-03-03',
    );
    expect(dayRanges([])).toBe('');
  });
});

describe('periods, requirements and samples', () => {
  it('a period is whole UTC days, both ends included', () => {
    expect(parsePeriod('2024-02-28', '2024-03-01')).toEqual({
      from: '2024-02-28',
      to: '2024-03-01',
      start: '2024-02-28T00:00:00.000Z',
      end: '2024-03-02T00:00:00.000Z',
      days: ['2024-02-28', '2024-02-29', '2024-03-01'],
    });
    expect(() => parsePeriod('2026-1-1', '2026-01-02')).toThrow(
      '--from "2026-1-1" is not a date: use YYYY-MM-DD',
    );
  });

  it('derives requirement ids from the controls, sorted naturally', () => {
    const controls = [
      { ...control, soc2: ['CC6.10', 'CC6.2'] },
      { ...control, soc2: ['CC6.2', 'A1.1'] },
    ];
    expect(requirementsFromControls(controls, 'soc2').map((r) => r.id)).toEqual(['A1.1', 'CC6.2', 'CC6.10']);
  });

  it('draws by keyed rank: independent of order, reproducible by hand', () => {
    const population = everyDay();
    const drawn = drawSample('WID-01', population, 2, 'seed-1');
    expect(drawSample('WID-01', [...population].reverse(), 2, 'seed-1')).toEqual(drawn);
    const ranks = population.map((r) => sampleRank('seed-1', 'WID-01', r.key)).sort();
    expect(drawn.map((d) => d.rank)).toEqual(ranks.slice(0, 2));
    expect(drawn.map((d) => d.draw)).toEqual([1, 2]);
  });
});
