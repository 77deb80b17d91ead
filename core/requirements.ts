import { type Control, type ControlStatus, MANUAL_EVIDENCE, type RequirementLink } from './model.ts';

/** The frameworks one set of internal controls serves. */
export type FrameworkId = 'soc2' | 'iso27001';
export const FRAMEWORK_IDS: readonly FrameworkId[] = ['soc2', 'iso27001'];

/** SOC 2 criteria are `criterion`; ISO 27001 has management-system `clause`s and Annex A `control`s. */
export type RequirementKind = 'criterion' | 'clause' | 'control';
export type Soc2Category =
  | 'security'
  | 'availability'
  | 'confidentiality'
  | 'processing-integrity'
  | 'privacy';
export type AnnexATheme = 'organizational' | 'people' | 'physical' | 'technological';

/** One requirement of a framework: its official id and our own short title. */
export interface Requirement {
  readonly id: string;
  readonly kind: RequirementKind;
  readonly title: string;
  /** SOC 2 only. */
  readonly category?: Soc2Category;
  /** ISO 27001 Annex A only. */
  readonly theme?: AnnexATheme;
}

export interface Framework {
  readonly id: FrameworkId;
  readonly name: string;
  readonly version: string;
  readonly requirements: readonly Requirement[];
}

export type Frameworks = Readonly<Record<FrameworkId, Framework>>;

/** The ids a control lists for a framework. */
export const mappedIds = (control: Control, framework: FrameworkId): readonly string[] =>
  framework === 'soc2' ? control.soc2 : control.iso27001;

/** A link counts as automated evidence only when it names at least one check (not only `manual`). */
export const isAutomatedLink = (link: Pick<RequirementLink, 'by'>): boolean =>
  link.by.some((by) => by !== MANUAL_EVIDENCE);

/** How a requirement is evidenced: by some check, by manual evidence only, or by no control at all. */
export type Evidence = 'automated' | 'manual' | 'none';

/** One control's link to a requirement, as reports show it: which control, what evidences it, and why. */
export interface MappedLink {
  readonly control: string;
  readonly by: readonly string[];
  readonly rationale: string;
}

/** The links of every control to each requirement id of a framework, in catalog order. */
export function linksByRequirement(
  controls: readonly Control[],
  framework: FrameworkId,
): Map<string, MappedLink[]> {
  const map = new Map<string, MappedLink[]>();
  for (const control of controls)
    for (const link of control.links)
      if (link.framework === framework)
        map.set(link.requirement, [
          ...(map.get(link.requirement) ?? []),
          { control: control.id, by: link.by, rationale: link.rationale },
        ]);
  return map;
}

/** One line per link for CSV cells and tables: `IAM-01 [aws.iam.root-mfa manual]: rationale`. */
export const formatLink = (link: MappedLink): string =>
  `${link.control} [${link.by.join(' ')}]: ${link.rationale}`;

export const evidenceOf = (links: readonly Pick<RequirementLink, 'by'>[]): Evidence =>
  links.length === 0 ? 'none' : links.some(isAutomatedLink) ? 'automated' : 'manual';

export interface CoverageRow {
  readonly id: string;
  readonly kind: RequirementKind;
  readonly title: string;
  readonly evidence: Evidence;
  readonly links: readonly MappedLink[];
}

export interface CoverageCount {
  readonly total: number;
  readonly automated: number;
  readonly manual: number;
  readonly none: number;
}

/**
 * Which requirements of a framework have automated evidence (a link naming a check), which rest on manual
 * evidence only, and which on nothing, with every link's rationale; counted per kind of requirement.
 */
export function coverage(
  framework: Framework,
  controls: readonly Control[],
): { rows: CoverageRow[]; counts: Partial<Record<RequirementKind, CoverageCount>> } {
  const byRequirement = linksByRequirement(controls, framework.id);
  const rows = framework.requirements.map((r): CoverageRow => {
    const links = byRequirement.get(r.id) ?? [];
    return { id: r.id, kind: r.kind, title: r.title, evidence: evidenceOf(links), links };
  });
  const counts: Partial<Record<RequirementKind, CoverageCount>> = {};
  for (const row of rows) {
    const c = counts[row.kind] ?? { total: 0, automated: 0, manual: 0, none: 0 };
    counts[row.kind] = { ...c, total: c.total + 1, [row.evidence]: c[row.evidence] + 1 };
  }
  return { rows, counts };
}

const KIND_LABEL: Record<RequirementKind, string> = {
  criterion: 'criteria',
  control: 'Annex A controls',
  clause: 'clauses',
};
const SHORT_NAME: Record<FrameworkId, string> = { soc2: 'SOC 2', iso27001: 'ISO 27001' };

/** The headline of a coverage report, e.g. "SOC 2: 11 of 61 criteria with automated evidence (50 manual only, 0 none)". */
export function coverageHeadline(
  framework: FrameworkId,
  counts: Partial<Record<RequirementKind, CoverageCount>>,
): string {
  const parts = (['criterion', 'control', 'clause'] as const).flatMap((kind) => {
    const c = counts[kind];
    return c
      ? [
          `${c.automated} of ${c.total} ${KIND_LABEL[kind]} with automated evidence (${c.manual} manual only, ${c.none} none)`,
        ]
      : [];
  });
  return `${SHORT_NAME[framework]}: ${parts.join('; ')}`;
}

/** The internal controls mapped to each requirement id of a framework. */
export function controlsByRequirement(
  controls: readonly Control[],
  framework: FrameworkId,
): Map<string, Control[]> {
  const map = new Map<string, Control[]>();
  for (const control of controls)
    for (const id of mappedIds(control, framework)) map.set(id, [...(map.get(id) ?? []), control]);
  return map;
}

/** Requirements that no internal control covers: each is a gap in the catalog. */
export function uncoveredRequirements(framework: Framework, controls: readonly Control[]): Requirement[] {
  const covered = controlsByRequirement(controls, framework.id);
  return framework.requirements.filter((r) => !covered.has(r.id));
}

/** A requirement's status: its worst control, `no_control` when nothing covers it. */
export type RequirementStatus = ControlStatus | 'no_control' | 'not_applicable';

const SEVERITY: Record<ControlStatus, number> = {
  failing: 4,
  no_evidence: 3,
  manual_due: 2,
  excepted: 1,
  passing: 0,
};

/** The worst of several control statuses: failing > no_evidence > manual_due > excepted > passing. */
export function worstStatus(statuses: readonly ControlStatus[]): ControlStatus | undefined {
  let worst: ControlStatus | undefined;
  for (const s of statuses) if (worst === undefined || SEVERITY[s] > SEVERITY[worst]) worst = s;
  return worst;
}

/** A requirement is implemented when every control mapped to it is passing (or its failures are excepted). */
export const isImplemented = (status: RequirementStatus): boolean =>
  status === 'passing' || status === 'excepted' || status === 'not_applicable';

export interface RequirementRow {
  readonly framework: FrameworkId;
  readonly id: string;
  readonly kind: RequirementKind;
  readonly title: string;
  readonly category?: Soc2Category;
  readonly theme?: AnnexATheme;
  readonly status: RequirementStatus;
  readonly controls: readonly {
    readonly id: string;
    readonly owner: string;
    readonly status: ControlStatus;
  }[];
  readonly owners: readonly string[];
  /** `automated` only when some link names a check; `manual` when every link rests on manual evidence. */
  readonly evidence: Evidence;
  /** Each control's link: what evidences the requirement, and why. */
  readonly links: readonly MappedLink[];
}

/**
 * Every requirement of a framework with the internal controls that meet it, their owners and the resulting
 * status. `statusOf` gives each control's current status (from the latest evidence). Requirements listed in
 * `notApplicable` (e.g. Annex A exclusions) are reported as such.
 */
export function requirementRows(
  framework: Framework,
  controls: readonly Control[],
  statusOf: (control: string) => ControlStatus,
  notApplicable: ReadonlySet<string> = new Set(),
): RequirementRow[] {
  const byRequirement = controlsByRequirement(controls, framework.id);
  const links = linksByRequirement(controls, framework.id);
  return framework.requirements.map((r) => {
    const mapped = (byRequirement.get(r.id) ?? []).map((c) => ({
      id: c.id,
      owner: c.owner,
      status: statusOf(c.id),
    }));
    const status: RequirementStatus = notApplicable.has(r.id)
      ? 'not_applicable'
      : (worstStatus(mapped.map((c) => c.status)) ?? 'no_control');
    return {
      framework: framework.id,
      id: r.id,
      kind: r.kind,
      title: r.title,
      ...(r.category ? { category: r.category } : {}),
      ...(r.theme ? { theme: r.theme } : {}),
      status,
      controls: mapped,
      owners: [...new Set(mapped.map((c) => c.owner))],
      evidence: evidenceOf(links.get(r.id) ?? []),
      links: links.get(r.id) ?? [],
    };
  });
}
