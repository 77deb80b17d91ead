import type { Control, ControlStatus } from './model.ts';

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
    };
  });
}
