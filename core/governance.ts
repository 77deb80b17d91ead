import type { ExceptionView } from './exceptions.ts';
import type { Control, ControlResult, ControlStatus } from './model.ts';
import { type RequestRow, requestList } from './request-list.ts';
import { FRAMEWORK_IDS, type FrameworkId, type Frameworks } from './requirements.ts';

/** Governance files are kept as artifacts of this collector (source `manual`, scope id `governance`). */
export const GOVERNANCE_COLLECTOR = 'proofline.governance';

export type Treatment = 'mitigate' | 'accept' | 'transfer' | 'avoid';

/** One entry of the risk register. Likelihood and impact are scored 1 (lowest) to 5 (highest). */
export interface Risk {
  readonly id: string;
  readonly description: string;
  readonly likelihood: number;
  readonly impact: number;
  readonly treatment: Treatment;
  /** A role from the owners file. */
  readonly owner: string;
  /** The internal controls that treat this risk. */
  readonly controls: readonly string[];
}

export interface Person {
  readonly name: string;
  readonly email: string;
}

/** An Annex A control left out of the Statement of Applicability, and why. */
export interface Exclusion {
  readonly control: string;
  readonly justification: string;
}

/** A claim about the scope of the ISMS that collected evidence can contradict (applicability.yaml `statements`). */
export interface ScopeStatement {
  readonly id: string;
  readonly statement: string;
  /** The only AWS regions that hold production data: a data store elsewhere contradicts it. */
  readonly dataRegions?: readonly string[];
}

export interface Applicability {
  readonly exclusions: readonly Exclusion[];
  /** Justifications for including an Annex A control, overriding the generated one. */
  readonly inclusions: readonly Exclusion[];
  readonly statements?: readonly ScopeStatement[];
}

/** One governance file as read: kept verbatim in the store so the evidence shows the governance of the time. */
export interface GovernanceFile {
  readonly name: string;
  readonly sha256: string;
  readonly text: string;
}

export interface Governance {
  readonly dir: string;
  readonly risks: readonly Risk[];
  /** Role → the people who hold it. */
  readonly owners: Readonly<Record<string, readonly Person[]>>;
  readonly applicability: Applicability;
  readonly files: readonly GovernanceFile[];
}

export const riskScore = (risk: Risk): number => risk.likelihood * risk.impact;

/** The risks each control treats. */
export function risksByControl(risks: readonly Risk[]): Map<string, Risk[]> {
  const map = new Map<string, Risk[]>();
  for (const risk of risks)
    for (const control of new Set(risk.controls)) map.set(control, [...(map.get(control) ?? []), risk]);
  return map;
}

export interface GovernanceReport {
  /** Risks naming no treating control (for `accept`, `transfer` and `avoid` that may be intended). */
  readonly risksWithoutControls: readonly Risk[];
  /** Controls no risk needs: either a risk is missing from the register or the control is not needed. */
  readonly controlsWithoutRisk: readonly Control[];
  /**
   * The request list of both frameworks: every requirement, what answers it and what is outstanding (a
   * control failing, without evidence or with manual evidence due, or no control); excluded Annex A controls
   * are not applicable.
   */
  readonly requestList: readonly RequestRow[];
  /** Controls whose owner role has no person in the owners file: nobody would get its alerts. */
  readonly unownedControls: readonly Control[];
  /** Controls waiting for manual evidence. */
  readonly manualDue: readonly Control[];
  /** Exceptions that expired while their control still fails (no longer applied). */
  readonly expiredExceptions: readonly ExceptionView[];
  readonly activeExceptions: readonly ExceptionView[];
}

/** The governance gaps an internal audit or management review must see. Pure: everything comes in. */
export function governanceReport(input: {
  readonly controls: readonly Control[];
  readonly frameworks: Frameworks;
  readonly governance: Governance;
  readonly results: readonly ControlResult[];
  readonly exceptions: readonly ExceptionView[];
}): GovernanceReport {
  const { controls, frameworks, governance, results, exceptions } = input;
  const treated = risksByControl(governance.risks);
  const statusById = new Map(results.map((r) => [r.control, r.status]));
  const statusOf = (id: string): ControlStatus => statusById.get(id) ?? 'no_evidence';
  const excluded = new Set(governance.applicability.exclusions.map((e) => e.control));
  const requests = FRAMEWORK_IDS.flatMap((id: FrameworkId) =>
    requestList({
      framework: frameworks[id],
      controls,
      statusOf,
      excluded: id === 'iso27001' ? excluded : new Set(),
    }),
  );
  const expiredIds = new Set(results.flatMap((r) => r.expiredExceptions ?? []));
  return {
    risksWithoutControls: governance.risks.filter((r) => r.controls.length === 0),
    controlsWithoutRisk: controls.filter((c) => !treated.has(c.id)),
    requestList: requests,
    unownedControls: controls.filter((c) => !(governance.owners[c.owner]?.length ?? 0)),
    manualDue: controls.filter((c) => statusOf(c.id) === 'manual_due'),
    expiredExceptions: exceptions.filter((e) => e.state === 'expired' && expiredIds.has(e.grant.id)),
    activeExceptions: exceptions.filter((e) => e.state === 'active'),
  };
}
