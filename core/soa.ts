import { csvText } from './csv.ts';
import { ProoflineError } from './errors.ts';
import { type Applicability, type Risk, risksByControl } from './governance.ts';
import type { Control, ControlStatus } from './model.ts';
import {
  type AnnexATheme,
  controlsByRequirement,
  type Evidence,
  evidenceOf,
  type Framework,
  formatLink,
  linksByRequirement,
  type MappedLink,
  type RequirementStatus,
  worstStatus,
} from './requirements.ts';

/** One line of the Statement of Applicability: an Annex A control. */
export interface SoaRow {
  readonly control: string;
  readonly theme: AnnexATheme;
  readonly title: string;
  readonly applicable: boolean;
  readonly justification: string;
  /** The internal controls that implement it. */
  readonly implementedBy: readonly string[];
  /** From the latest evidence: the worst status of its internal controls; `not_applicable` when excluded. */
  readonly status: RequirementStatus;
  /** Risks treated by the implementing controls. */
  readonly risks: readonly string[];
  /** `automated` only when some implementing control's link names a check. */
  readonly evidence: Evidence;
  /** Each implementing control's link: what evidences the Annex A control, and why. */
  readonly links: readonly MappedLink[];
}

export class ApplicabilityError extends ProoflineError {
  override name = 'ApplicabilityError';
}

/**
 * Generates the Statement of Applicability: every Annex A control of the framework, in order. An exclusion
 * must carry a justification (an error otherwise). An included control's justification is the one given in
 * the applicability file, or else the risks its internal controls treat, or else its place in the baseline.
 */
export function statementOfApplicability(input: {
  readonly iso27001: Framework;
  readonly controls: readonly Control[];
  readonly applicability: Applicability;
  readonly risks: readonly Risk[];
  readonly statusOf: (control: string) => ControlStatus;
}): SoaRow[] {
  const { iso27001, controls, applicability, risks, statusOf } = input;
  const missing = applicability.exclusions.filter((e) => !e.justification?.trim());
  if (missing.length > 0)
    throw new ApplicabilityError(
      `exclusion without a justification: ${missing.map((e) => e.control).join(', ')} (an excluded Annex A control must say why)`,
    );
  const exclusions = new Map(applicability.exclusions.map((e) => [e.control, e.justification.trim()]));
  const inclusions = new Map(applicability.inclusions.map((e) => [e.control, e.justification.trim()]));
  const byRequirement = controlsByRequirement(controls, 'iso27001');
  const links = linksByRequirement(controls, 'iso27001');
  const treats = risksByControl(risks);
  return iso27001.requirements
    .filter((r) => r.kind === 'control')
    .map((r) => {
      const implementedBy = (byRequirement.get(r.id) ?? []).map((c) => c.id);
      const riskIds = [...new Set(implementedBy.flatMap((c) => (treats.get(c) ?? []).map((k) => k.id)))].sort(
        (a, b) => a.localeCompare(b, 'en', { numeric: true }),
      );
      const exclusion = exclusions.get(r.id);
      const applicable = exclusion === undefined;
      const justification =
        exclusion ??
        inclusions.get(r.id) ??
        (riskIds.length > 0
          ? `Selected to treat risks ${riskIds.join(', ')}`
          : implementedBy.length > 0
            ? 'Selected as part of the baseline control set'
            : 'Applicable, but no internal control implements it yet');
      const status: RequirementStatus = !applicable
        ? 'not_applicable'
        : (worstStatus(implementedBy.map(statusOf)) ?? 'no_control');
      return {
        control: r.id,
        theme: r.theme!,
        title: r.title,
        applicable,
        justification,
        implementedBy,
        status,
        risks: riskIds,
        evidence: evidenceOf(links.get(r.id) ?? []),
        links: links.get(r.id) ?? [],
      };
    });
}

/** soa.csv: one row per Annex A control, the same file from `proofline soa --csv` and in auditor archives. */
const SOA_COLUMNS = [
  'annex_a_control',
  'theme',
  'title',
  'applicable',
  'justification',
  'implemented_by',
  'status',
  'risks',
  'evidence',
  'evidenced_by',
] as const;

export function soaCsv(rows: readonly SoaRow[]): string {
  return csvText(
    SOA_COLUMNS,
    rows.map((r) => [
      r.control,
      r.theme,
      r.title,
      r.applicable ? 'yes' : 'no',
      r.justification,
      r.implementedBy.join(' '),
      r.status,
      r.risks.join(' '),
      r.evidence,
      r.links.map(formatLink).join(' | '),
    ]),
  );
}
