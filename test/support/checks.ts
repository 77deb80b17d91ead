import { AwsSession } from '../../collectors/aws/session.ts';
import type { AwsDataSettings } from '../../core/check-settings.ts';
import { DEFAULT_CHECK_SETTINGS } from '../../core/check-settings.ts';
import type { Check, CheckContext, Collector } from '../../core/collector.ts';

/** A check context for an AWS account and region, at a fixed instant, with `checks.aws.data` overrides. */
export function awsContext(
  data: Partial<AwsDataSettings> = {},
  asOf = new Date('2026-11-27T12:00:00Z'),
): CheckContext {
  return {
    asOf,
    scope: { source: 'aws', id: '111122223333', region: 'us-east-1' },
    settings: {
      ...DEFAULT_CHECK_SETTINGS,
      aws: { ...DEFAULT_CHECK_SETTINGS.aws, data: { ...DEFAULT_CHECK_SETTINGS.aws.data, ...data } },
    },
  };
}

/** Each finding as `resource → status`, the shape most check tests assert. */
export function verdicts<S>(check: Check<S>, snapshot: S, context: CheckContext): Record<string, string> {
  return Object.fromEntries(check.evaluate(snapshot, context).map((f) => [f.resource, f.status]));
}

/** Days before the context's instant, as ISO 8601. */
export const daysBefore = (context: CheckContext, days: number) =>
  new Date(context.asOf.getTime() - days * 86_400_000).toISOString();

/** The API calls a collection made that its collector does not declare (STS identity aside). */
export const undeclared = (calls: readonly string[], collector: { permissions: readonly string[] }) =>
  [...new Set(calls)].filter(
    (op) => op !== 'GetCallerIdentity' && !collector.permissions.some((p) => p.endsWith(`:${op}`)),
  );

/** Collects `collector` for the emulated account in us-east-1, recording the operations it calls. */
export async function collectCounting<S>(
  collector: Collector<S, AwsSession>,
): Promise<{ snapshot: S; calls: string[] }> {
  const calls: string[] = [];
  const session = new AwsSession({ onCall: (_, op) => calls.push(op) });
  const snapshot = await collector.collect(session, {
    source: 'aws',
    id: await session.accountId(),
    region: 'us-east-1',
  });
  return { snapshot, calls };
}
