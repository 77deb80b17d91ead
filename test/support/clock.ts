import { vi } from 'vitest';

/**
 * Runs `fn` with the process clock (Date only; timers keep running) moved to `at`: a digest may only seal
 * periods that have ended, so a test that seals the hour it just wrote runs the digest from a later moment.
 */
export async function runAt<T>(at: Date, fn: () => Promise<T>): Promise<T> {
  vi.useFakeTimers({ toFake: ['Date'], now: at, shouldAdvanceTime: true });
  try {
    return await fn();
  } finally {
    vi.useRealTimers();
  }
}

/** The end of the current hour plus the digest's settle time: from then on, this hour can be sealed. */
export const afterThisHour = (now = Date.now()): Date =>
  new Date(Math.ceil((now + 1) / 3_600_000) * 3_600_000 + 61_000);
