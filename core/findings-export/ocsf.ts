import type { CheckCatalog } from '../collector.ts';
import type { Control, FindingStatus, Severity } from '../model.ts';
import { asffId, relatedRequirements } from './asff.ts';
import type { FindingRow } from './rows.ts';

/** The OCSF version the events follow (the one AWS Security Lake ingests for custom sources). */
export const OCSF_VERSION = '1.1.0';
/** Compliance Finding: category Findings (2) × 1000 + 3. */
export const COMPLIANCE_FINDING_CLASS = 2003;
const CREATE = 1;

/** OCSF severity_id: 1 Informational, 2 Low, 3 Medium, 4 High, 5 Critical. */
const SEVERITY: Record<Severity, [id: number, caption: string]> = {
  low: [2, 'Low'],
  medium: [3, 'Medium'],
  high: [4, 'High'],
  critical: [5, 'Critical'],
};
/** compliance.status_id: 1 Pass, 2 Warning (no result for want of something to judge), 3 Fail. */
const COMPLIANCE: Record<FindingStatus, [id: number, caption: string]> = {
  pass: [1, 'Pass'],
  not_applicable: [2, 'Warning'],
  fail: [3, 'Fail'],
};
const STANDARD: Record<string, string> = { soc2: 'SOC 2', iso27001: 'ISO/IEC 27001:2022' };

/** One OCSF 1.1.0 Compliance Finding event (plain JSON). */
export type OcsfEvent = Record<string, unknown>;

/**
 * Findings as OCSF 1.1.0 Compliance Finding events (class 2003, activity Create): the check's verdict in
 * `compliance` (status, the control, its SOC 2 / ISO requirements), the reason as `message`, the fix in
 * `remediation`, the resource, and the evidence file and exceptions in `unmapped`. A failing finding is
 * New, or Suppressed while an exception covers it.
 */
export function ocsfFindings(
  rows: readonly FindingRow[],
  context: {
    readonly controls: readonly Control[];
    readonly checks: CheckCatalog;
    readonly product: { readonly name: string; readonly version: string };
  },
): OcsfEvent[] {
  const controls = new Map(context.controls.map((c) => [c.id, c]));
  return rows.map((r) => {
    const [severityId, severity] =
      r.lastSeen === 'fail' && r.severity ? SEVERITY[r.severity] : [1, 'Informational'];
    const [statusId, status] = COMPLIANCE[r.lastSeen];
    const time = Date.parse(r.lastSeenAt);
    const standards = [...new Set(r.requirements.map((q) => STANDARD[q.split(':')[0]!] ?? q.split(':')[0]!))];
    const title = context.checks.get(r.check)?.title ?? r.check;
    return {
      activity_id: CREATE,
      activity_name: 'Create',
      category_uid: 2,
      category_name: 'Findings',
      class_uid: COMPLIANCE_FINDING_CLASS,
      class_name: 'Compliance Finding',
      type_uid: COMPLIANCE_FINDING_CLASS * 100 + CREATE,
      type_name: 'Compliance Finding: Create',
      time,
      severity_id: severityId,
      severity,
      ...(r.lastSeen === 'fail'
        ? r.exceptions.length
          ? { status_id: 3, status: 'Suppressed' }
          : { status_id: 1, status: 'New' }
        : {}),
      message: r.latestReason,
      metadata: {
        version: OCSF_VERSION,
        product: {
          name: context.product.name,
          vendor_name: context.product.name,
          version: context.product.version,
        },
      },
      finding_info: {
        uid: asffId(r.control, r.check, r.resource),
        title: `${r.control} ${title}`,
        desc: r.latestReason,
        types: ['Compliance'],
        last_seen_time: time,
        ...(r.history ? { first_seen_time: Date.parse(r.history.firstFailing) } : {}),
      },
      compliance: {
        standards: standards.length ? standards : ['Proofline internal controls'],
        requirements: relatedRequirements(r.requirements),
        control: r.control,
        status_id: statusId,
        status,
        status_detail: r.latestReason,
      },
      ...(r.remediation ? { remediation: { desc: r.remediation } } : {}),
      resource: { uid: r.resource },
      unmapped: {
        check: r.check,
        evidence: r.latestEvidence,
        owner: controls.get(r.control)?.owner ?? '',
        exceptions: r.exceptions,
      },
    };
  });
}
