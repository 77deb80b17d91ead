import { describe, expect, it } from 'vitest';
import { parsePeriod, requirementsFromControls } from '../../../core/archive/period.ts';
import {
  controlPeriodStatus,
  dayRanges,
  failingLabels,
  formatGaps,
  slotIndex,
  slotsOf,
} from '../../../core/archive/period-status.ts';
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
const statuses = (s: { occurrences: readonly { status: string }[] }) => s.occurrences.map((o) => o.status);
/** The control over the period with these transitions: test.widgets collected every day unless `over` says otherwise. */
const widgetsStatus = (
  transitions: Transition[],
  over: Partial<Parameters<typeof controlPeriodStatus>[0]> = {},
) =>
  controlPeriodStatus({
    control,
    period,
    evidence: everyDay(),
    collectors: new Set(['test.widgets']),
    transitions,
    findingsOf: noFindings,
    ...over,
  });

describe('a control over a period, day by day', () => {
  it('counts a day failing when the control failed at any moment of it, passing once it recovered', async () => {
    const s = await widgetsStatus([
      transition('2026-05-20T10:05:00.000Z', null, 'passing'),
      transition('2026-06-02T10:05:00.000Z', 'passing', 'failing'),
      transition('2026-06-03T10:05:00.000Z', 'failing', 'passing'),
    ]);
    expect(statuses(s)).toEqual(['met', 'failing', 'failing', 'met', 'met']);
    expect(s).toMatchObject({
      expected: 5,
      met: 3,
      failing: 2,
      missed: 0,
      pctMet: 60,
      statusAtEnd: 'passing',
    });
    expect(failingLabels(s)).toBe('2026-06-02..2026-06-03');
    expect(s.feeds).toEqual([
      { kind: 'collection', cadence: 'daily (test.widgets rate(1 day))', frequency: 'daily', expected: 5 },
    ]);
    expect(s.gaps).toEqual([]);
  });

  it('counts excepted days apart from passing ones', async () => {
    const s = await widgetsStatus([
      transition('2026-05-20T10:05:00.000Z', null, 'passing'),
      transition('2026-06-04T10:05:00.000Z', 'passing', 'excepted'),
    ]);
    expect(statuses(s)).toEqual(['met', 'met', 'met', 'excepted', 'excepted']);
    expect(s).toMatchObject({ met: 3, excepted: 2, statusAtEnd: 'excepted' });
  });

  it('a day without a successful collection of every scope seen is a day without evidence, and the gap is named', async () => {
    const evidence = [
      ...everyDay('a-global'),
      ...['2026-06-01', '2026-06-02', '2026-06-05'].map((d) => ref(d, 'b-global')),
      ref('2026-06-03', 'b-global', 'error'),
    ];
    const s = await widgetsStatus([transition('2026-05-20T10:05:00.000Z', null, 'passing')], { evidence });
    expect(statuses(s)).toEqual(['met', 'met', 'missed', 'missed', 'met']);
    expect(s.occurrences[3]!.detail).toBe('test.widgets b-global: not collected');
    expect(s.gaps).toEqual([
      { source: 'test.widgets b-global', notCollected: ['2026-06-04'], collectionFailed: ['2026-06-03'] },
    ]);
    expect(formatGaps(s.gaps)).toBe(
      'test.widgets b-global: not collected 2026-06-04; collection failed 2026-06-03',
    );
  });

  it('names a few failing findings in a day, then counts them (each once across the day) and points to findings.csv', async () => {
    const finding = (resource: string): Finding => ({
      check: 'test.widgets.locked',
      resource,
      status: 'fail',
      reason: 'unlocked',
    });
    const failingFrom = (at: string, resources: string[]): Transition => ({
      ...transition(at, 'passing', 'failing'),
      failing: resources.map(finding),
    });
    const s = await widgetsStatus([
      failingFrom('2026-05-20T10:05:00.000Z', ['w1', 'w2']),
      failingFrom('2026-06-03T10:05:00.000Z', ['w2', 'w3', 'w4']),
      failingFrom('2026-06-04T10:05:00.000Z', ['w4']),
    ]);
    expect(s.occurrences.map((o) => o.detail)).toEqual([
      'w1: unlocked; w2: unlocked',
      'w1: unlocked; w2: unlocked',
      '4 failing findings, e.g. w1: unlocked; w2: unlocked; w3: unlocked (findings.csv names each)',
      'w2: unlocked; w3: unlocked; w4: unlocked',
      'w4: unlocked',
    ]);
  });

  it('a needed collector that never ran leaves every day without evidence', async () => {
    const s = await widgetsStatus([transition('2026-05-20T10:05:00.000Z', null, 'no_evidence')], {
      collectors: new Set(['test.widgets', 'test.gadgets']),
    });
    expect(s.missed).toBe(5);
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
    expect(statuses(s)).toEqual(['met', 'failing', 'met', 'met', 'met']);
    expect(s.occurrences[1]!.detail).toBe('w1: ');
  });

  it('writes consecutive days as ranges', () => {
    expect(dayRanges(['2026-02-27', '2026-02-28', '2026-03-01', '2026-03-03'])).toBe(
      '2026-02-27..2026-03-01, 2026-03-03',
    );
    expect(dayRanges([])).toBe('');
  });

  it("finds a time's slot: its start included, its end not, the shorter last one too, none outside the period", () => {
    const slots = slotsOf(period, 2); // 06-01..06-02, 06-03..06-04, 06-05
    const at = (iso: string) => slotIndex(slots, Date.parse(iso));
    expect(slots.map((s) => s.label)).toEqual([
      '2026-06-01..2026-06-02',
      '2026-06-03..2026-06-04',
      '2026-06-05',
    ]);
    expect(at('2026-06-01T00:00:00.000Z')).toBe(0);
    expect(at('2026-06-02T23:59:59.999Z')).toBe(0);
    expect(at('2026-06-03T00:00:00.000Z')).toBe(1);
    expect(at('2026-06-05T12:00:00.000Z')).toBe(2);
    expect(at('2026-05-31T23:59:59.999Z')).toBe(-1);
    expect(at('2026-06-06T00:00:00.000Z')).toBe(-1);
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
    const drawn = drawSample('WID-01', population, (r) => r.key, 2, 'seed-1');
    expect(drawSample('WID-01', [...population].reverse(), (r) => r.key, 2, 'seed-1')).toEqual(drawn);
    const ranks = population.map((r) => sampleRank('seed-1', 'WID-01', r.key)).sort();
    expect(drawn.map((d) => d.rank)).toEqual(ranks.slice(0, 2));
    expect(drawn.map((d) => d.draw)).toEqual([1, 2]);
  });
});

describe('each control judged at its own cadence', () => {
  const year = parsePeriod('2026-01-01', '2026-12-31');
  const upload = (day: string, controlId: string): ArtifactRef => ({
    ...ref(day, `${controlId}-global`),
    collector: 'proofline.manual-evidence',
    source: 'manual',
  });
  const manual = (everyDays: number) => ({
    ...control,
    id: 'GOV-12',
    type: 'manual' as const,
    checks: [],
    manualEvidence: { description: 'management review minutes', everyDays },
  });
  const judge = (c: typeof control, evidence: ArtifactRef[], p = year) =>
    controlPeriodStatus({
      control: c,
      period: p,
      evidence,
      collectors: new Set(),
      transitions: [],
      findingsOf: noFindings,
    });

  it('an annual control in a 12-month period is one occurrence, met by one upload', async () => {
    const met = await judge(manual(365), [upload('2026-06-15', 'GOV-12')]);
    expect(met).toMatchObject({ expected: 1, met: 1, missed: 0, pctMet: 100, frequency: 'annual' });
    expect(met.feeds[0]!.cadence).toBe('every 365 days (manual evidence: management review minutes)');
    const missed = await judge(manual(365), []);
    expect(missed).toMatchObject({ expected: 1, met: 0, missed: 1, pctMet: 0 });
    expect(formatGaps(missed.gaps)).toBe(
      'proofline.manual-evidence GOV-12: not collected 2026-01-01..2026-12-31',
    );
  });

  it('an annual control in a short period is met by an upload within the year before it ends', async () => {
    const december = parsePeriod('2026-12-01', '2026-12-10');
    // Uploaded 2026-01-20: within 365 days of 2026-12-10.
    expect(await judge(manual(365), [upload('2026-01-20', 'GOV-12')], december)).toMatchObject({
      expected: 1,
      met: 1,
    });
  });

  it('a quarterly control over a year is four occurrences, the last one 95 days; a quarter without an upload is missed', async () => {
    // 365 days / 90 = 4 slots: Jan 1–Mar 31, Apr 1–Jun 29, Jun 30–Sep 27, Sep 28–Dec 31 (95 days).
    const s = await judge(manual(90), [
      upload('2026-02-01', 'GOV-12'),
      upload('2026-05-01', 'GOV-12'),
      upload('2026-12-20', 'GOV-12'),
    ]);
    expect(s.occurrences.map((o) => `${o.label} ${o.status}`)).toEqual([
      '2026-01-01..2026-03-31 met',
      '2026-04-01..2026-06-29 met',
      '2026-06-30..2026-09-27 missed',
      '2026-09-28..2026-12-31 met',
    ]);
    expect(s).toMatchObject({ expected: 4, met: 3, missed: 1, pctMet: 75, frequency: 'quarterly' });
  });

  it('a weekly collector is expected once per 7-day slot, not every day', async () => {
    const twoWeeks = parsePeriod('2026-06-01', '2026-06-14');
    const s = await widgetsStatus([transition('2026-05-20T10:05:00.000Z', null, 'passing')], {
      period: twoWeeks,
      evidence: [ref('2026-06-03')],
      scheduleOf: () => 'rate(7 days)',
    });
    expect(s.occurrences.map((o) => `${o.label} ${o.status}`)).toEqual([
      '2026-06-01..2026-06-07 met',
      '2026-06-08..2026-06-14 missed',
    ]);
    expect(s).toMatchObject({ expected: 2, met: 1, missed: 1, frequency: 'weekly' });
  });

  it('an exception record is never an expected collection, so never a gap', async () => {
    const exception: ArtifactRef = {
      ...ref('2026-06-02', `${control.id}-global`),
      collector: 'proofline.exception',
      source: 'manual',
    };
    const s = await widgetsStatus([transition('2026-05-20T10:05:00.000Z', null, 'passing')], {
      evidence: [...everyDay(), exception],
    });
    expect(s).toMatchObject({ expected: 5, met: 5, missed: 0, gaps: [] });
  });

  it('an event population: each event is an occurrence; a stretch no collection read is a missed one', async () => {
    const s = await controlPeriodStatus({
      control: { ...control, checks: ['github.pr.independent-approval'] },
      period,
      evidence: [],
      collectors: new Set(),
      events: {
        items: [
          {
            check: 'c',
            resource: 'acme/api#41',
            at: '2026-06-01T09:00:00Z',
            status: 'pass',
            reason: 'approved by bob',
            evidence: 'k1',
          },
          {
            check: 'c',
            resource: 'acme/api#42',
            at: '2026-06-02T09:00:00Z',
            status: 'fail',
            reason: 'merged by carol without approval',
            evidence: 'k2',
          },
          {
            check: 'c',
            resource: 'acme/api#43',
            at: '2026-06-02T11:00:00Z',
            status: 'fail',
            reason: 'no approval',
            exception: 'EXC-1',
            evidence: 'k2',
          },
        ],
        holes: [
          {
            source: 'github.pull-requests acme-global',
            from: '2026-06-03T10:00:00.000Z',
            to: '2026-06-04T10:00:00.000Z',
          },
        ],
      },
      transitions: [],
      findingsOf: noFindings,
    });
    expect(s.occurrences.map((o) => `${o.label} ${o.status}`)).toEqual([
      'acme/api#41 met',
      'acme/api#42 failing',
      'acme/api#43 excepted',
      'github.pull-requests acme-global 2026-06-03T10:00:00.000Z..2026-06-04T10:00:00.000Z missed',
    ]);
    expect(s).toMatchObject({
      expected: 4,
      met: 1,
      failing: 1,
      excepted: 1,
      missed: 1,
      pctMet: 25,
      frequency: 'many_per_day',
    });
    expect(s.occurrences[1]!.detail).toBe('merged by carol without approval');
  });
});
