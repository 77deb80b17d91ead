import { type EvidenceView, scopeParts } from './evidence-view.ts';
import type { Person } from './governance.ts';
import { mdTable, mdText } from './markdown.ts';
import type { Control, ControlStatus, ControlType, Source } from './model.ts';

/** A control a subservice organisation or the customer must operate for ours to work, and ours that assume it. */
export interface ComplementaryControl {
  readonly id: string;
  readonly control: string;
  readonly reliedOnBy: readonly string[];
}

export interface Subservice {
  readonly source: Source;
  readonly name: string;
  readonly services: string;
  /** Complementary subservice-organisation controls. */
  readonly csocs: readonly ComplementaryControl[];
}

/** controls/subservices.yaml: the subservice organisations per source, and the complementary user entity controls. */
export interface SubserviceCatalog {
  readonly subservices: readonly Subservice[];
  readonly cuecs: readonly ComplementaryControl[];
}

export type Component = 'infrastructure' | 'software' | 'data' | 'people';

const DATA = [
  'aws.s3.buckets',
  'aws.rds',
  'aws.dynamodb',
  'aws.efs',
  'aws.backup',
  'aws.kms.keys',
  'aws.secretsmanager',
];
const SOFTWARE = ['aws.lambda.functions', 'aws.ecr', 'aws.apigateway.rest-apis'];
const PEOPLE = ['aws.iam.credential-report', 'github.org.members'];

/** Which component of the system a collector's resources are (the DC 200 headings). */
function componentOf(collector: string, source: Source): Component {
  if (DATA.includes(collector)) return 'data';
  if (PEOPLE.includes(collector) || !['aws', 'github'].includes(source)) return 'people';
  if (SOFTWARE.includes(collector) || source === 'github') return 'software';
  return 'infrastructure';
}

export interface SystemDescription {
  /** Each account, organization or tenant in the evidence, with its regions. */
  readonly scopes: readonly {
    readonly source: Source;
    readonly id: string;
    readonly regions: readonly string[];
  }[];
  /** Per component and collector: the distinct resources its checks judged, and in how many scopes. */
  readonly components: readonly {
    readonly component: Component;
    readonly collector: string;
    readonly resources: number;
    readonly scopes: number;
  }[];
  readonly people: readonly {
    readonly role: string;
    readonly people: readonly Person[];
    readonly controls: number;
  }[];
  readonly procedures: {
    readonly total: number;
    readonly byType: Readonly<Partial<Record<ControlType, number>>>;
    readonly byStatus: Readonly<Partial<Record<ControlStatus, number>>>;
  };
  /** The subservice organisations whose source is in the evidence; undefined when no catalog was given. */
  readonly subservices: readonly Subservice[] | undefined;
  readonly cuecs: readonly ComplementaryControl[] | undefined;
}

const count = <K extends string>(keys: readonly K[]) => {
  const counts: Partial<Record<K, number>> = {};
  for (const k of keys) counts[k] = (counts[k] ?? 0) + 1;
  return counts;
};

/** The facts of the system description, from the latest evidence, the catalog and the owners file. */
export async function systemDescription(input: {
  readonly evidence: EvidenceView;
  readonly controls: readonly Control[];
  readonly statusOf: (control: string) => ControlStatus;
  readonly owners: Readonly<Record<string, readonly Person[]>>;
  readonly subservices?: SubserviceCatalog;
}): Promise<SystemDescription> {
  const { evidence, controls, statusOf, owners, subservices } = input;
  const refs = evidence.refs.filter((r) => r.source !== 'manual');
  const scopes = new Map<string, { source: Source; id: string; regions: Set<string> }>();
  const byCollector = new Map<string, { source: Source; resources: Set<string>; scopes: Set<string> }>();
  for (const ref of refs) {
    const { id, region } = scopeParts(ref);
    const scope = scopes.get(`${ref.source}\n${id}`) ?? { source: ref.source, id, regions: new Set() };
    if (region) scope.regions.add(region);
    scopes.set(`${ref.source}\n${id}`, scope);
    const c = byCollector.get(ref.collector) ?? {
      source: ref.source,
      resources: new Set(),
      scopes: new Set(),
    };
    c.scopes.add(ref.scopeKey);
    for (const f of await evidence.findings(ref))
      if (f.status !== 'not_applicable') c.resources.add(`${ref.scopeKey}\n${f.resource}`);
    byCollector.set(ref.collector, c);
  }
  const sources = new Set(refs.map((r) => r.source));
  const order: Component[] = ['infrastructure', 'software', 'people', 'data'];
  return {
    scopes: [...scopes.values()]
      .map((s) => ({ source: s.source, id: s.id, regions: [...s.regions].sort() }))
      .sort((a, b) => a.source.localeCompare(b.source) || a.id.localeCompare(b.id)),
    components: [...byCollector]
      .map(([collector, c]) => ({
        component: componentOf(collector, c.source),
        collector,
        resources: c.resources.size,
        scopes: c.scopes.size,
      }))
      .sort(
        (a, b) =>
          order.indexOf(a.component) - order.indexOf(b.component) || a.collector.localeCompare(b.collector),
      ),
    people: Object.entries(owners).map(([role, people]) => ({
      role,
      people,
      controls: controls.filter((c) => c.owner === role).length,
    })),
    procedures: {
      total: controls.length,
      byType: count(controls.map((c) => c.type)),
      byStatus: count(controls.map((c) => statusOf(c.id))),
    },
    subservices: subservices?.subservices.filter((s) => sources.has(s.source)),
    cuecs: subservices?.cuecs,
  };
}

const TO_WRITE = '_To be written by management: this section is not generated._';

const listCounts = (counts: Readonly<Record<string, number | undefined>>) =>
  Object.entries(counts)
    .map(([k, n]) => `${n} ${k.replace('_', ' ')}`)
    .join(', ');

/** The SOC 2 system description skeleton (DC 200 headings) as Markdown; the narrative sections are left to write. */
export function systemDescriptionMarkdown(d: SystemDescription, title: string): string {
  const bySource = (source: string) => d.scopes.filter((s) => s.source === source);
  const aws = bySource('aws');
  const regions = new Set(aws.flatMap((s) => s.regions));
  const complementary = (rows: readonly ComplementaryControl[], owner?: string) =>
    rows.map((c) => [...(owner ? [owner] : []), c.id, c.control, c.reliedOnBy.join(' ')]);
  return [
    `# System description (skeleton): ${mdText(title)}`,
    '',
    'Generated from the configuration and the latest evidence. Sections marked to be written are narrative',
    'the standard asks management to give; the rest states what the evidence shows.',
    '',
    '## Services provided, commitments and system requirements',
    '',
    TO_WRITE,
    '',
    '## Scope: accounts, regions, organizations and tenants',
    '',
    `${aws.length} AWS accounts in ${regions.size} regions; ${bySource('github').length} GitHub organizations; ` +
      `${d.scopes.filter((s) => s.source !== 'aws' && s.source !== 'github').length} identity-provider tenants.`,
    '',
    mdTable(
      ['Source', 'Account, organization or tenant', 'Regions'],
      d.scopes.map((s) => [s.source, s.id, s.regions.join(' ') || 'global']),
      'No collected evidence: nothing is in scope yet.',
    ),
    '## Components',
    '',
    'Resources judged by the checks in the latest collection of each collector, per component.',
    '',
    mdTable(
      ['Component', 'Collector', 'Resources', 'Scopes'],
      d.components.map((c) => [c.component, c.collector, c.resources, c.scopes]),
    ),
    '### People (control owners)',
    '',
    mdTable(
      ['Role', 'People', 'Controls owned'],
      d.people.map((p) => [p.role, p.people.map((x) => x.name).join(', '), p.controls]),
      'No owners file given.',
    ),
    '### Procedures (internal controls)',
    '',
    `${d.procedures.total} controls (${listCounts(d.procedures.byType)}); now: ${listCounts(d.procedures.byStatus)}. ` +
      'Each control and its status over the period: controls.csv.',
    '',
    '## Subservice organisations and their complementary controls (CSOCs)',
    '',
    d.subservices
      ? mdTable(
          ['Subservice organisation', 'Services', 'CSOCs'],
          d.subservices.map((s) => [s.name, s.services, s.csocs.map((c) => c.id).join(' ')]),
          'No subservice organisation in the evidence.',
        ) +
        '\n' +
        mdTable(
          ['Organisation', 'CSOC', 'Control expected of it', 'Our controls relying on it'],
          d.subservices.flatMap((s) => complementary(s.csocs, s.name)),
          '',
        )
      : 'No subservice catalog given.\n',
    '## Complementary user entity controls (CUECs)',
    '',
    d.cuecs
      ? mdTable(
          ['CUEC', 'Control expected of the customer', 'Our controls relying on it'],
          complementary(d.cuecs),
        )
      : 'No subservice catalog given.\n',
    '## Incidents and significant changes in the period',
    '',
    TO_WRITE,
    '',
  ].join('\n');
}
