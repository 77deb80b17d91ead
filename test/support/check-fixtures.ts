import { expect, it } from 'vitest';
import { collectorById } from '../../collectors/index.ts';
import type { Check, CheckContext } from '../../core/collector.ts';

export const awsContext = (asOf = new Date('2026-11-27T12:00:00Z'), region = 'us-east-1'): CheckContext => ({
  asOf,
  scope: { source: 'aws', id: '111122223333', region },
});

/**
 * One test per check of a collector: on the compliant fixture every finding passes, on the other every finding
 * fails with a reason. Iterating the registered collector's checks means a new check without fixtures fails here.
 */
export function everyCheckOnFixtures<S>(
  collectorId: string,
  good: S,
  bad: S,
  context = awsContext(),
  /** A misconfigured fixture of its own for a check the common one cannot fail (by check id). */
  badFor: Record<string, S> = {},
): void {
  const checks = (collectorById(collectorId)?.checks ?? []) as readonly Check<S>[];
  it(`${collectorId} is registered with checks`, () => expect(checks.length).toBeGreaterThan(0));
  it.each(checks.map((check) => ({ id: check.id, check })))(
    '$id passes the compliant fixture and fails the misconfigured one',
    ({ check }) => {
      expect(check.procedure?.length ?? 0, 'states its test procedure').toBeGreaterThan(40);
      const passed = check.evaluate(good, context);
      const failed = check.evaluate(badFor[check.id] ?? bad, context);
      expect(passed.length).toBeGreaterThan(0);
      expect(passed.filter((f) => f.status !== 'pass')).toEqual([]);
      expect(failed.length).toBeGreaterThan(0);
      expect(failed.filter((f) => f.status !== 'fail')).toEqual([]);
      for (const f of failed) expect(f.reason.length).toBeGreaterThan(5);
    },
  );
}
