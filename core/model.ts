/** The domain vocabulary shared by collectors, checks, stores and reports. Plain data only. */

export type Source = 'aws' | 'github' | 'okta' | 'entra' | 'google' | 'identity-center' | 'manual';

/** Where evidence comes from: an AWS account and region, a GitHub org, an IdP tenant. */
export interface Scope {
  readonly source: Source;
  readonly id: string;
  readonly region?: string;
}

export const scopeKey = (scope: Scope): string => `${scope.id}-${scope.region ?? 'global'}`;

export interface CollectionError {
  /** The error class or API error code, e.g. `AccessDenied`. */
  readonly code: string;
  readonly message: string;
  readonly httpStatus?: number;
  /** The API operation that failed, when known. */
  readonly operation?: string;
}

/**
 * One collection of one collector for one scope. A failed collection is an artifact too (`status: 'error'`),
 * so a gap is recorded, never silence.
 */
export type Artifact<S = unknown> = ArtifactHeader &
  (
    | { readonly status: 'ok'; readonly snapshot: S }
    | { readonly status: 'error'; readonly error: CollectionError }
  );

export interface ArtifactHeader {
  readonly collector: string;
  readonly scope: Scope;
  /** ISO 8601 UTC, millisecond precision. */
  readonly collectedAt: string;
  readonly schemaVersion: number;
}

/** What the index knows about a stored artifact, without reading it. */
export interface ArtifactRef {
  readonly key: string;
  readonly sha256: string;
  readonly size: number;
  readonly collector: string;
  readonly source: Source;
  readonly scopeKey: string;
  readonly collectedAt: string;
  readonly status: 'ok' | 'error';
}

export type Severity = 'low' | 'medium' | 'high' | 'critical';
/** Severities from the most to the least urgent. */
export const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low'];
/** The most severe of some severities (undefined when there are none). */
export const mostSevere = (severities: readonly (Severity | undefined)[]): Severity | undefined =>
  SEVERITIES.find((s) => severities.includes(s));
/** Sorts the most severe first (undefined last). */
export const bySeverity = (a: Severity | undefined, b: Severity | undefined): number =>
  (a ? SEVERITIES.indexOf(a) : SEVERITIES.length) - (b ? SEVERITIES.indexOf(b) : SEVERITIES.length);
export type FindingStatus = 'pass' | 'fail' | 'not_applicable';

/** One check's verdict on one resource. */
export interface Finding {
  readonly check: string;
  readonly resource: string;
  readonly status: FindingStatus;
  readonly reason: string;
  /** The active exception covering this failing finding; its status stays `fail`, shown as excepted. */
  readonly exception?: string;
}

export type ControlStatus = 'passing' | 'failing' | 'excepted' | 'no_evidence' | 'manual_due';

/** A control's evaluated state at one moment, with the evidence behind it. */
export interface ControlResult {
  readonly control: string;
  readonly status: ControlStatus;
  readonly failing: readonly Finding[];
  readonly findingCount: number;
  /** Distinct resources its checks judged (pass or fail). */
  readonly resourceCount: number;
  /** Artifacts the result was derived from (including error artifacts that caused `no_evidence`). */
  readonly evidence: readonly string[];
  /** Collector × scope pairs expected but absent or failed. */
  readonly gaps: readonly string[];
  readonly lastEvidenceAt?: string;
  /** Failing findings covered by an active exception (each names it); they are not in `failing`. */
  readonly excepted?: readonly Finding[];
  /** Exceptions of this control that have expired while a finding they would cover still fails. */
  readonly expiredExceptions?: readonly string[];
  /** For controls with a manual-evidence spec: the latest upload and when the next one is due. */
  readonly manualEvidence?: { readonly lastUploadAt: string | null; readonly dueBy: string | null };
}

export interface ControlState extends ControlResult {
  /** When the control entered its current status. */
  readonly since: string;
  readonly evaluatedAt: string;
}

/**
 * A change of a control's status, or of the set of resources failing it, kept in the store's outbox for
 * alerting. `newlyFailing` and `recovered` are per (control, resource): a control that stays failing while a
 * new resource fails still makes a transition.
 */
export interface Transition {
  readonly control: string;
  readonly from: ControlStatus | null;
  readonly to: ControlStatus;
  readonly at: string;
  /** Since when the control has had status `to` (earlier than `at` when only resources changed). */
  readonly since: string;
  readonly failing: readonly Finding[];
  readonly newlyFailing: readonly Finding[];
  readonly recovered: readonly Finding[];
  readonly evidence: readonly string[];
}

export type ControlType = 'automated' | 'manual' | 'hybrid';

/** An internal control: one set serves both frameworks. Loaded from data in controls/. */
export interface Control {
  readonly id: string;
  readonly title: string;
  readonly objective: string;
  /** A role, mapped to people in the owners file. */
  readonly owner: string;
  readonly type: ControlType;
  /** Automated evidence: ids of checks whose findings count toward this control. */
  readonly checks: readonly string[];
  /** Evidence a person uploads, and how often. */
  readonly manualEvidence?: { readonly description: string; readonly everyDays: number };
  /** Requirement ids this control maps to (the `requirement` of each link, per framework). */
  readonly soc2: readonly string[];
  readonly iso27001: readonly string[];
  /** One link per mapped requirement: what evidences it and why. */
  readonly links: readonly RequirementLink[];
}

/** The word in a link's `by` list that names the control's manual evidence rather than a check. */
export const MANUAL_EVIDENCE = 'manual';

/**
 * Why a control evidences one requirement. `by` names the control's checks that evidence it, and/or
 * `manual` for its manual evidence; a requirement counts as automated only through a link with a check.
 * `rationale` says, in one line, why that evidence meets the requirement.
 */
export interface RequirementLink {
  readonly framework: 'soc2' | 'iso27001';
  readonly requirement: string;
  readonly by: readonly string[];
  readonly rationale: string;
}
