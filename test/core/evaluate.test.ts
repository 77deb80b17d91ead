import { describe, expect, it } from 'vitest';
import type { AnyCollector } from '../../core/collector.ts';
import { evaluateArtifact, evaluateControls } from '../../core/evaluate.ts';
import type { ArtifactRef, Control, Finding } from '../../core/model.ts';

const control = (id: string, checks: string[]): Control => ({
  id,
  title: id,
  objective: '',
  owner: 'platform',
  type: 'automated',
  checks,
  soc2: ['CC6.1'],
  iso27001: ['A.8.5'],
  links: [],
});
const ref = (collector: string, scopeKey: string, status: 'ok' | 'error' = 'ok'): ArtifactRef => ({
  key: `evidence/${collector}/${scopeKey}`,
  sha256: '0'.repeat(64),
  size: 1,
  collector,
  source: 'aws',
  scopeKey,
  collectedAt: '2026-11-27T00:00:00.000Z',
  status,
});
const f = (check: string, resource: string, status: Finding['status']): Finding => ({
  check,
  resource,
  status,
  reason: '',
});
const collectorOf = new Map([
  ['c.a', 'col.one'],
  ['c.b', 'col.two'],
]);

describe('evaluateControls', () => {
  it('passes when every finding of its checks passes, counting only its own checks', () => {
    const [r] = evaluateControls([control('X-01', ['c.a'])], collectorOf, [
      { ref: ref('col.one', 's1'), findings: [f('c.a', 'r1', 'pass'), f('c.other', 'r2', 'fail')] },
    ]);
    expect(r).toMatchObject({ status: 'passing', failing: [], findingCount: 1, resourceCount: 1, gaps: [] });
  });

  it('fails when any finding fails, listing the failing findings and all evidence keys', () => {
    const [r] = evaluateControls([control('X-01', ['c.a', 'c.b'])], collectorOf, [
      { ref: ref('col.one', 's1'), findings: [f('c.a', 'r1', 'pass')] },
      { ref: ref('col.two', 's1'), findings: [f('c.b', 'r2', 'fail')] },
    ]);
    expect(r?.status).toBe('failing');
    expect(r?.failing.map((x) => x.resource)).toEqual(['r2']);
    expect(r?.evidence).toEqual(['evidence/col.one/s1', 'evidence/col.two/s1']);
  });

  it('has no evidence when a collector it needs never ran', () => {
    const [r] = evaluateControls([control('X-01', ['c.a', 'c.b'])], collectorOf, [
      { ref: ref('col.one', 's1'), findings: [f('c.a', 'r1', 'pass')] },
    ]);
    expect(r).toMatchObject({ status: 'no_evidence', gaps: ['col.two: never collected'] });
  });

  it('has no evidence when the latest collection of one scope failed, even if others pass', () => {
    const [r] = evaluateControls([control('X-01', ['c.a'])], collectorOf, [
      { ref: ref('col.one', 's1'), findings: [f('c.a', 'r1', 'pass')] },
      { ref: ref('col.one', 's2', 'error'), findings: [] },
    ]);
    expect(r?.status).toBe('no_evidence');
    expect(r?.gaps[0]).toMatch(/^col\.one s2: collection failed/);
  });

  it('reports failing over a gap: a known failure is the more urgent news', () => {
    const [r] = evaluateControls([control('X-01', ['c.a'])], collectorOf, [
      { ref: ref('col.one', 's1'), findings: [f('c.a', 'r1', 'fail')] },
      { ref: ref('col.one', 's2', 'error'), findings: [] },
    ]);
    expect(r?.status).toBe('failing');
    expect(r?.gaps).toHaveLength(1);
  });

  it('passes on evidence that there was nothing to judge (not applicable)', () => {
    const [r] = evaluateControls([control('X-01', ['c.a'])], collectorOf, [
      { ref: ref('col.one', 's1'), findings: [f('c.a', 's1', 'not_applicable')] },
    ]);
    expect(r).toMatchObject({ status: 'passing', resourceCount: 0 });
  });
});

describe('evaluateArtifact', () => {
  const collector = {
    id: 'col.one',
    checks: [
      { id: 'c.a', evaluate: (s: { n: number }) => [f('c.a', 'r', s.n > 0 ? 'pass' : 'fail')] },
      {
        id: 'c.b',
        evaluate: () => {
          throw new TypeError('cannot read properties of undefined');
        },
      },
    ],
  } as unknown as AnyCollector;
  const header = {
    collector: 'col.one',
    scope: { source: 'aws' as const, id: '1' },
    collectedAt: '2026-11-27T00:00:00.000Z',
    schemaVersion: 1,
  };

  it('runs every check; a check that cannot read the snapshot fails loudly instead of vanishing', () => {
    const findings = evaluateArtifact(collector, { ...header, status: 'ok', snapshot: { n: 1 } });
    expect(findings.map((x) => [x.check, x.status])).toEqual([
      ['c.a', 'pass'],
      ['c.b', 'fail'],
    ]);
    expect(findings[1]?.reason).toContain('check could not read the snapshot');
  });

  it('yields no findings for an error artifact', () => {
    expect(
      evaluateArtifact(collector, {
        ...header,
        status: 'error',
        error: { code: 'AccessDenied', message: 'no' },
      }),
    ).toEqual([]);
  });
});

describe('missed collections', () => {
  const fresh = { now: '2026-11-28T11:00:00.000Z', staleAfterMs: () => 36 * 3_600_000 };
  it('a latest artifact within the schedule (1 day + half a day of grace) is current', () => {
    const [r] = evaluateControls(
      [control('X-01', ['c.a'])],
      collectorOf,
      [{ ref: ref('col.one', 's1'), findings: [f('c.a', 'r1', 'pass')] }],
      fresh,
    );
    expect(r?.status).toBe('passing');
  });

  it('a scheduled slot that passed without a new artifact makes the control no_evidence', () => {
    const [r] = evaluateControls(
      [control('X-01', ['c.a'])],
      collectorOf,
      [{ ref: ref('col.one', 's1'), findings: [f('c.a', 'r1', 'pass')] }],
      {
        ...fresh,
        now: '2026-11-28T13:00:00.000Z',
      },
    );
    expect(r).toMatchObject({
      status: 'no_evidence',
      gaps: ['col.one s1: scheduled collection missed, latest is from 2026-11-27T00:00:00.000Z'],
    });
  });
});

describe('sources outside the deployment', () => {
  const inScope = (id: string) => id === 'col.one';
  it('a collector of a source not collected here is no gap for a control other sources feed', () => {
    const [r] = evaluateControls(
      [control('X-01', ['c.a', 'c.b'])],
      collectorOf,
      [{ ref: ref('col.one', 's1'), findings: [f('c.a', 'r1', 'pass')] }],
      { inScope },
    );
    expect(r).toMatchObject({ status: 'passing', gaps: [] });
  });

  it('a control none of whose sources are collected still has no evidence, naming what it needs', () => {
    const [r] = evaluateControls([control('X-02', ['c.b'])], collectorOf, [], { inScope });
    expect(r).toMatchObject({ status: 'no_evidence', gaps: ['col.two: never collected'] });
  });
});
