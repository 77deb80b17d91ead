import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { contradictionsCsv, contradictionsMarkdown, findContradictions } from '../../core/contradictions.ts';
import type { EvidenceView } from '../../core/evidence-view.ts';
import type { Applicability } from '../../core/governance.ts';
import type { ArtifactRef, ControlStatus, Source } from '../../core/model.ts';
import { control } from '../support/catalog.ts';

const AT = '2026-11-27T12:00:00.000Z';
const ref = (collector: string, source: Source, scopeKey: string): ArtifactRef => ({
  key: `evidence/source=${source}/collector=${collector}/scope=${scopeKey}/dt=2026-11-27/x.json`,
  sha256: '0'.repeat(64),
  size: 1,
  collector,
  source,
  scopeKey,
  collectedAt: AT,
  status: 'ok',
});
/** Evidence held in memory: each ref with its snapshot. */
const view = (items: readonly [ArtifactRef, unknown][]): EvidenceView => {
  const snapshots = new Map(items.map(([r, s]) => [r.key, s]));
  return {
    refs: items.map(([r]) => r),
    snapshot: async (r) => snapshots.get(r.key),
    findings: async () => [],
  };
};
const collaborators = (list: { login: string; permission: string }[] | 'unreadable') => ({
  org: 'acme',
  members: [],
  withoutTwoFactor: { ok: true, value: [] },
  outsideCollaborators: { ok: true, value: [] },
  pendingInvitations: { ok: true, value: [] },
  repositories: [
    {
      name: 'api',
      archived: false,
      outsideCollaborators:
        list === 'unreadable'
          ? { ok: false, gap: { status: 403, message: 'Forbidden' } }
          : { ok: true, value: list },
    },
  ],
});
const members = (list: Parameters<typeof collaborators>[0]) =>
  [ref('github.org.members', 'github', 'acme-global'), collaborators(list)] as [ArtifactRef, unknown];

const A830: Applicability = {
  exclusions: [{ control: 'A.8.30', justification: 'No software development is outsourced.' }],
  inclusions: [],
};
const controls = [
  control({ id: 'SDLC-04', iso27001: ['A.8.30'] }),
  control({ id: 'PHY-05', iso27001: ['A.7.12'] }),
];
const statusOf =
  (statuses: Record<string, ControlStatus> = {}) =>
  (id: string): ControlStatus =>
    statuses[id] ?? 'manual_due';
const find = (
  applicability: Applicability,
  evidence: EvidenceView,
  statuses?: Record<string, ControlStatus>,
) => findContradictions({ applicability, evidence, controls, statusOf: statusOf(statuses) });

describe('contradiction checks', () => {
  it('flags the A.8.30 exclusion when outside collaborators can push code (demo-like: write and admin)', async () => {
    const found = await find(
      A830,
      view([
        members([
          { login: 'contractor-erin', permission: 'write' },
          { login: 'agency-frank', permission: 'admin' },
          { login: 'auditor-gail', permission: 'read' },
        ]),
      ]),
    );
    expect(found.map((c) => [c.rule, c.statement, c.resource, c.detail])).toEqual([
      [
        'outsourced-development',
        'exclusion A.8.30',
        'acme/api',
        'outside collaborator contractor-erin (write)',
      ],
      ['outsourced-development', 'exclusion A.8.30', 'acme/api', 'outside collaborator agency-frank (admin)'],
    ]);
    expect(found[0]).toMatchObject({
      claim: 'No software development is outsourced.',
      evidence: expect.stringContaining('collector=github.org.members'),
      collectedAt: AT,
    });
  });

  it('finds nothing when the evidence agrees: read-only collaborators, an unread list (a gap, not a fact), no exclusion', async () => {
    expect(await find(A830, view([members([{ login: 'auditor-gail', permission: 'read' }])]))).toEqual([]);
    expect(await find(A830, view([members('unreadable')]))).toEqual([]);
    const notExcluded = { exclusions: [], inclusions: [] };
    expect(await find(notExcluded, view([members([{ login: 'erin', permission: 'write' }])]))).toEqual([]);
  });

  it('flags an excluded Annex A control whose mapped internal control fails, and not when it passes', async () => {
    const excluded: Applicability = {
      exclusions: [{ control: 'A.7.12', justification: 'No office cabling.' }],
      inclusions: [],
    };
    const failing = await find(excluded, view([]), { 'PHY-05': 'failing' });
    expect(failing.map((c) => [c.rule, c.statement, c.resource])).toEqual([
      ['excluded-control-failing', 'exclusion A.7.12', 'PHY-05'],
    ]);
    expect(failing[0]!.evidence).toBe('');
    expect(await find(excluded, view([]), { 'PHY-05': 'passing' })).toEqual([]);
  });

  it('flags data stores outside the regions a scope statement allows: S3 by its bucket region, others by scope', async () => {
    const statement: Applicability = {
      exclusions: [],
      inclusions: [],
      statements: [
        { id: 'S-01', statement: 'Production data stays in us-east-1.', dataRegions: ['us-east-1'] },
      ],
    };
    const evidence = view([
      [
        ref('aws.s3.buckets', 'aws', '111122223333-global'),
        {
          buckets: [
            { name: 'home', region: 'us-east-1' },
            { name: 'sydney-copy', region: 'ap-southeast-2' },
          ],
        },
      ],
      [ref('aws.dynamodb', 'aws', '111122223333-us-east-1'), { tables: [{ name: 'orders' }] }],
      [ref('aws.dynamodb', 'aws', '111122223333-eu-central-1'), { tables: [{ name: 'orders-eu' }] }],
      [ref('aws.rds', 'aws', '111122223333-eu-central-1'), { databases: [] }],
    ]);
    const found = await find(statement, evidence);
    expect(found.map((c) => [c.statement, c.resource, c.detail])).toEqual([
      ['statement S-01', '111122223333/sydney-copy', 'aws.s3.buckets in ap-southeast-2'],
      ['statement S-01', '111122223333/orders-eu', 'aws.dynamodb in eu-central-1'],
    ]);
    const agrees = {
      ...statement,
      statements: [
        { ...statement.statements![0]!, dataRegions: ['us-east-1', 'ap-southeast-2', 'eu-central-1'] },
      ],
    };
    expect(await find(agrees, evidence)).toEqual([]);
  });

  it('writes the CSV with one row per fact and Markdown that escapes source values', async () => {
    const found = await find(A830, view([members([{ login: 'evil|*x*', permission: 'write' }])]));
    const rows = parse(contradictionsCsv(found), { columns: true }) as Record<string, string>[];
    expect(rows).toEqual([expect.objectContaining({ statement: 'exclusion A.8.30', resource: 'acme/api' })]);
    expect(Object.keys(rows[0]!)).toEqual([
      'rule',
      'statement',
      'claim',
      'contradiction',
      'resource',
      'detail',
      'evidence_file',
      'collected_at',
    ]);
    const md = contradictionsMarkdown(found, A830);
    expect(md).toContain('1 statements checked');
    expect(md).toContain('outside collaborator evil\\|\\*x\\* \\(write\\)');
    expect(contradictionsMarkdown([], A830)).toContain('No statement is contradicted by the evidence.');
    // A collected value cannot drive the terminal the Markdown is printed to.
    const terminal = await find(A830, view([members([{ login: 'x\u001b[2Jy\u0007', permission: 'write' }])]));
    expect(contradictionsMarkdown(terminal, A830)).toContain(
      'outside collaborator x\uFFFD\\[2Jy\uFFFD \\(write\\)',
    );
  });
});
