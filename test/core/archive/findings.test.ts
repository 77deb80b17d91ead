import { describe, expect, it } from 'vitest';
import { judgedFindings } from '../../../core/archive/findings.ts';
import type { SelectedArtifact } from '../../../core/archive/select.ts';
import type { ArchiveException } from '../../../core/archive/types.ts';
import type { ArtifactRef, Control, Finding } from '../../../core/model.ts';

const controls = [
  { id: 'C-1', checks: ['chk.a', 'chk.b'] },
  { id: 'C-2', checks: ['chk.a'] },
] as unknown as Control[];

const day = (d: number) => `2026-03-${String(d).padStart(2, '0')}T06:00:00.000Z`;

/** Two scopes of one collector: s1 collected daily for ten days, s2 for seven; both judge resource r1. */
function period() {
  const artifacts: SelectedArtifact[] = [];
  const lists = new Map<string, Finding[]>();
  for (let d = 1; d <= 10; d++) {
    for (const scope of d <= 7 ? ['s1', 's2'] : ['s1']) {
      const ref: ArtifactRef = {
        key: `evidence/col/${scope}/${d}.json`,
        sha256: '0'.repeat(64),
        size: 1,
        collector: 'col',
        source: 'aws',
        scopeKey: scope,
        collectedAt: day(d),
        status: scope === 's2' && d === 4 ? 'error' : 'ok',
      };
      artifacts.push({ ref, controls: ['C-1', 'C-2'], requirements: [] });
      const findings: Finding[] =
        scope === 's1'
          ? [
              { check: 'chk.a', resource: 'r1', status: 'pass', reason: 'fine' },
              d >= 3 && d <= 5
                ? { check: 'chk.a', resource: 'r2', status: 'fail', reason: d === 3 ? 'open' : 'still open' }
                : { check: 'chk.a', resource: 'r2', status: 'pass', reason: 'fine' },
              ...(d < 6
                ? [{ check: 'chk.b', resource: 'r3', status: 'not_applicable', reason: 'n/a' } as const]
                : []),
            ]
          : [
              d === 2 || d === 7
                ? { check: 'chk.a', resource: 'r1', status: 'fail', reason: `down on day ${d}` }
                : { check: 'chk.a', resource: 'r1', status: 'pass', reason: 'fine' },
            ];
      lists.set(ref.key, findings);
    }
  }
  return { artifacts, lists };
}

const exceptions: ArchiveException[] = [
  {
    id: 'EX-1',
    control: 'C-1',
    resource: 'r2',
    owner: 'o',
    approvedBy: 'a',
    reason: 'r',
    createdAt: day(5),
    expiresAt: day(6),
  },
];

/**
 * The judgement with findings handed out as fresh copies every read, as one object per distinct finding, or
 * also as one array per distinct list (as the embedded store does).
 */
function judge(shared: 'nothing' | 'findings' | 'lists' = 'lists') {
  const { artifacts, lists } = period();
  const interned = new Map<string, Finding>();
  const sameLists = new Map<string, Finding[]>();
  const intern = (f: Finding) => {
    const json = JSON.stringify(f);
    if (shared === 'nothing') return JSON.parse(json) as Finding;
    if (!interned.has(json)) interned.set(json, f);
    return interned.get(json)!;
  };
  const findingsOf = async (key: string) => {
    const list = lists.get(key)?.map(intern);
    if (!list || shared !== 'lists') return list;
    const json = JSON.stringify(list);
    if (!sameLists.has(json)) sameLists.set(json, list);
    return sameLists.get(json);
  };
  return judgedFindings({ controls, artifacts, findingsOf, severityOf: () => 'high', exceptions });
}

describe("the archive's findings judgement", () => {
  it('tallies runs of a finding held by consecutive collections as it tallies each collection alone', async () => {
    const alone = await judge('nothing');
    expect(await judge('findings')).toEqual(alone);
    expect(await judge('lists')).toEqual(alone);
  });

  it('counts verdicts, failing days, first and latest evidence and exceptions per control, check and resource', async () => {
    const { failed, judged } = await judge();
    const row = (
      rows: readonly { control: string; check: string; resource: string }[],
      c: string,
      r: string,
    ) =>
      rows.find((x) => x.control === c && x.check === (r === 'r3' ? 'chk.b' : 'chk.a') && x.resource === r);

    // r1 is judged by both scopes: ten passes from s1, from s2 four passes and two failures (day 4 failed to
    // collect). Its latest verdict is s1's on day 10, though s2's last run (day 7) is tallied after it.
    expect(row(judged, 'C-1', 'r1')).toMatchObject({
      pass: 14,
      fail: 2,
      notApplicable: 0,
      firstJudged: day(1),
      lastJudged: day(10),
      lastStatus: 'pass',
      firstEvidence: 'evidence/col/s1/1.json',
      latestEvidence: 'evidence/col/s1/10.json',
    });
    expect(row(failed, 'C-1', 'r1')).toMatchObject({
      daysFailing: 2,
      firstFailing: day(2),
      lastFailing: day(7),
      firstReason: 'down on day 2',
      latestReason: 'down on day 7',
      latestEvidence: 'evidence/col/s2/7.json',
    });
    expect(row(failed, 'C-1', 'r2')).toMatchObject({
      daysFailing: 3,
      firstReason: 'open',
      latestReason: 'still open',
      lastSeen: 'pass',
      exceptions: ['EX-1'],
    });
    // The exception covers C-1 only.
    expect(row(failed, 'C-2', 'r2')).toMatchObject({ daysFailing: 3, exceptions: [] });
    expect(row(judged, 'C-1', 'r3')).toMatchObject({
      notApplicable: 5,
      lastJudged: day(5),
      lastStatus: 'not_applicable',
    });
    expect(row(judged, 'C-2', 'r3')).toBeUndefined();
  });
});
