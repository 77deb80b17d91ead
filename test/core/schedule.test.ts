import { expect, it } from 'vitest';
import { rateIntervalMs, staleAfterMs } from '../../core/schedule.ts';

it('reads EventBridge rate expressions, singular and plural', () => {
  expect(rateIntervalMs('rate(1 day)')).toBe(86_400_000);
  expect(rateIntervalMs('rate(12 hours)')).toBe(43_200_000);
  expect(rateIntervalMs('rate(30 minutes)')).toBe(1_800_000);
  expect(staleAfterMs('rate(1 day)')).toBe(129_600_000);
});

it('does not guess an interval for cron or malformed expressions', () => {
  expect(rateIntervalMs('cron(0 6 * * ? *)')).toBeUndefined();
  expect(rateIntervalMs('rate(1 fortnight)')).toBeUndefined();
});
