import { csvText } from './csv.ts';
import { type EvidenceView, scopeParts } from './evidence-view.ts';
import type { Applicability } from './governance.ts';
import { mdTable } from './markdown.ts';
import type { ArtifactRef, Control, ControlStatus } from './model.ts';

/** What a statement of the SoA or the scope claims, and what in the evidence says otherwise. */
export interface Contradiction {
  readonly rule: string;
  /** `exclusion A.8.30` or `statement S-01`. */
  readonly statement: string;
  /** The claim as written (the exclusion's justification, the scope statement). */
  readonly claim: string;
  /** What the rule says the evidence shows, in words. */
  readonly contradiction: string;
  readonly resource: string;
  readonly detail: string;
  /** The evidence file (artifact key) that shows it; empty when it comes from a control's status. */
  readonly evidence: string;
  readonly collectedAt: string;
}

/** One fact found in the evidence, before it is tied to the statement it contradicts. */
interface Fact {
  readonly resource: string;
  readonly detail: string;
  readonly ref?: ArtifactRef;
}

interface ProbeInput {
  readonly evidence: EvidenceView;
  readonly controls: readonly Control[];
  readonly statusOf: (control: string) => ControlStatus;
  /** The Annex A control excluded, for exclusion rules. */
  readonly control?: string;
  /** The regions a scope statement allows, for statement rules. */
  readonly dataRegions?: readonly string[];
}

type Probe = (input: ProbeInput) => Promise<Fact[]>;

/** Each snapshot of a collector that was read, with its ref. */
async function* snapshotsOf(evidence: EvidenceView, collector: string) {
  for (const ref of evidence.refs.filter((r) => r.collector === collector)) {
    const snapshot = await evidence.snapshot(ref);
    if (snapshot !== undefined) yield { ref, snapshot };
  }
}

const CAN_PUSH = new Set(['admin', 'maintain', 'write']);

interface CollaboratorsSnapshot {
  readonly org: string;
  readonly repositories: readonly {
    readonly name: string;
    readonly outsideCollaborators: { ok: boolean; value?: readonly { login: string; permission: string }[] };
  }[];
}

/** Outside collaborators who can push to a repository: people outside the organisation changing its code. */
const outsideCollaboratorsWhoCanPush: Probe = async ({ evidence }) => {
  const facts: Fact[] = [];
  for await (const { ref, snapshot } of snapshotsOf(evidence, 'github.org.members')) {
    const s = snapshot as CollaboratorsSnapshot;
    for (const repo of s.repositories ?? [])
      for (const c of repo.outsideCollaborators?.ok ? (repo.outsideCollaborators.value ?? []) : [])
        if (CAN_PUSH.has(c.permission))
          facts.push({
            resource: `${s.org}/${repo.name}`,
            detail: `outside collaborator ${c.login} (${c.permission})`,
            ref,
          });
  }
  return facts;
};

/** The data stores of each collector, each with its region (S3 names its own; the others their scope's). */
const DATA_STORES: Readonly<
  Record<string, (snapshot: never) => readonly { name: string; region?: string }[]>
> = {
  'aws.s3.buckets': (s: { buckets?: { name: string; region: string }[] }) => s.buckets ?? [],
  'aws.rds': (s: { databases?: { id: string }[] }) => (s.databases ?? []).map((d) => ({ name: d.id })),
  'aws.dynamodb': (s: { tables?: { name: string }[] }) => s.tables ?? [],
  'aws.efs': (s: { fileSystems?: { id: string; name: string | null }[] }) =>
    (s.fileSystems ?? []).map((f) => ({ name: f.name ? `${f.id} (${f.name})` : f.id })),
};

/** Data stores in a region the scope statement leaves out. */
const dataStoresOutsideRegions: Probe = async ({ evidence, dataRegions = [] }) => {
  const allowed = new Set(dataRegions);
  const facts: Fact[] = [];
  for (const [collector, storesOf] of Object.entries(DATA_STORES))
    for await (const { ref, snapshot } of snapshotsOf(evidence, collector)) {
      const { id, region: scopeRegion } = scopeParts(ref);
      for (const store of storesOf(snapshot as never)) {
        const region = store.region ?? scopeRegion;
        if (region && !allowed.has(region))
          facts.push({ resource: `${id}/${store.name}`, detail: `${collector} in ${region}`, ref });
      }
    }
  return facts;
};

/** Internal controls mapped to the excluded Annex A control that fail: the control is operated, and failing. */
const mappedControlsFailing: Probe = async ({ controls, statusOf, control }) =>
  controls
    .filter((c) => control && c.iso27001.includes(control) && statusOf(c.id) === 'failing')
    .map((c) => ({ resource: c.id, detail: `${c.id} (${c.title}) is failing` }));

/**
 * The contradiction rules: which statement (an exclusion of an Annex A control, `*` for any, or a kind of
 * scope statement) and which evidence contradicts it. Adding a rule is adding a row and, if new, a probe.
 */
export const CONTRADICTION_RULES: readonly {
  readonly id: string;
  readonly when: { readonly exclusion: string } | { readonly statement: 'dataRegions' };
  readonly probe: Probe;
  readonly contradiction: string;
}[] = [
  {
    id: 'outsourced-development',
    when: { exclusion: 'A.8.30' },
    probe: outsideCollaboratorsWhoCanPush,
    contradiction:
      'people outside the organisation can change its code (outside collaborators with write access)',
  },
  {
    id: 'excluded-control-failing',
    when: { exclusion: '*' },
    probe: mappedControlsFailing,
    contradiction: 'an internal control mapped to the excluded Annex A control is in use and failing',
  },
  {
    id: 'data-outside-stated-regions',
    when: { statement: 'dataRegions' },
    probe: dataStoresOutsideRegions,
    contradiction: 'a data store holds data in a region the scope statement leaves out',
  },
];

/**
 * Every SoA exclusion and scope statement checked against the evidence by the rules above. Pure but for
 * reading the evidence; an unread collection states nothing, so it contradicts nothing.
 */
export async function findContradictions(input: {
  readonly applicability: Applicability;
  readonly evidence: EvidenceView;
  readonly controls: readonly Control[];
  readonly statusOf: (control: string) => ControlStatus;
}): Promise<Contradiction[]> {
  const { applicability, evidence, controls, statusOf } = input;
  const found: Contradiction[] = [];
  const add = (rule: (typeof CONTRADICTION_RULES)[number], statement: string, claim: string, facts: Fact[]) =>
    found.push(
      ...facts.map((f) => ({
        rule: rule.id,
        statement,
        claim,
        contradiction: rule.contradiction,
        resource: f.resource,
        detail: f.detail,
        evidence: f.ref?.key ?? '',
        collectedAt: f.ref?.collectedAt ?? '',
      })),
    );
  for (const rule of CONTRADICTION_RULES) {
    if ('exclusion' in rule.when) {
      const { exclusion } = rule.when;
      for (const e of applicability.exclusions.filter((x) => exclusion === '*' || x.control === exclusion))
        add(
          rule,
          `exclusion ${e.control}`,
          e.justification.trim(),
          await rule.probe({ evidence, controls, statusOf, control: e.control }),
        );
    } else
      for (const s of (applicability.statements ?? []).filter((x) => x.dataRegions))
        add(
          rule,
          `statement ${s.id}`,
          s.statement.trim(),
          await rule.probe({ evidence, controls, statusOf, dataRegions: s.dataRegions! }),
        );
  }
  return found;
}

const COLUMNS = [
  'rule',
  'statement',
  'claim',
  'contradiction',
  'resource',
  'detail',
  'evidence_file',
  'collected_at',
] as const;

/** contradictions.csv: one row per fact contradicting a statement. */
export const contradictionsCsv = (rows: readonly Contradiction[]): string =>
  csvText(
    COLUMNS,
    rows.map((c) => [
      c.rule,
      c.statement,
      c.claim,
      c.contradiction,
      c.resource,
      c.detail,
      c.evidence,
      c.collectedAt,
    ]),
  );

/** contradictions.md: the same, grouped for reading, with the statements checked. */
export function contradictionsMarkdown(rows: readonly Contradiction[], checked: Applicability): string {
  const statements =
    checked.exclusions.length + (checked.statements?.filter((s) => s.dataRegions).length ?? 0);
  const head = [
    '# Statements contradicted by the evidence',
    '',
    `${statements} statements checked (SoA exclusions and scope statements); ${rows.length} contradicting facts.`,
    'Each row is a statement the ISMS makes and a fact from the evidence that says otherwise: correct the',
    'statement or the practice. Rules: docs/auditor-guide.md.',
    '',
  ];
  return [
    ...head,
    mdTable(
      ['Statement', 'Claim', 'Evidence shows', 'Resource', 'Evidence file'],
      rows.map((c) => [c.statement, c.claim, c.detail, c.resource, c.evidence]),
      'No statement is contradicted by the evidence.',
    ),
  ].join('\n');
}
