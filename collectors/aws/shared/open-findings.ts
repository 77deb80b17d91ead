import { type Check, type CheckContext, type CheckMeta, DAY_MS } from '../../../core/collector.ts';
import type { Finding } from '../../../core/model.ts';
import { isUnknown, type Known } from '../unknown.ts';
import { detectionSettings } from './settings.ts';

/** One open finding of a detection service, kept as evidence without its body: id, severity, first seen. */
export interface OpenFinding {
  readonly id: string;
  readonly severity: string;
  readonly createdAt: string;
}

/** How many ids a finding reason lists before it says "and N more". */
const LISTED = 10;

/**
 * A check that fails a region while the service holds an open finding (of the severities the collector
 * selected) older than `checks.aws.detection.findingMaxAgeDays` at the collection time. Not applicable where
 * the service is off (another check judges that); a failed read of the findings is a failing gap.
 */
export function openFindingsAge<S>(
  meta: CheckMeta,
  service: string,
  read: (snapshot: S) => { readonly enabled: boolean; readonly findings: Known<readonly OpenFinding[]> },
  resource: (context: CheckContext) => string,
): Check<S> {
  return {
    ...meta,
    evaluate(snapshot, context): Finding[] {
      const { enabled, findings } = read(snapshot);
      const where = resource(context);
      const maxAge = detectionSettings(context).findingMaxAgeDays;
      const verdict = (status: Finding['status'], reason: string): Finding[] => [
        { check: meta.id, resource: where, status, reason },
      ];
      if (!enabled) return verdict('not_applicable', `${service} is not enabled in ${context.scope.region}`);
      if (isUnknown(findings))
        return verdict('fail', `${service} findings could not be read: ${findings.unknown}`);
      const cutoff = context.asOf.getTime() - maxAge * DAY_MS;
      const old = findings.filter((f) => Date.parse(f.createdAt) < cutoff);
      if (old.length === 0) {
        return verdict('pass', `${findings.length} open finding(s), none older than ${maxAge} days`);
      }
      const ids = old.slice(0, LISTED).map((f) => f.id);
      const more = old.length > LISTED ? ` and ${old.length - LISTED} more` : '';
      return verdict(
        'fail',
        `${old.length} ${service} finding(s) open longer than ${maxAge} days: ${ids.join(', ')}${more}`,
      );
    },
  };
}

/** The per-region resource name of an account-level service setting, e.g. arn:aws:guardduty:eu-west-1:123…:account. */
export const regionalAccount =
  (service: string) =>
  ({ scope }: CheckContext): string =>
    `arn:aws:${service}:${scope.region ?? ''}:${scope.id}:account`;
