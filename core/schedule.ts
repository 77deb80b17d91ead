const UNIT_MS = { minute: 60_000, hour: 3_600_000, day: 86_400_000 } as const;

/** The interval of an EventBridge `rate(N unit)` expression in ms; undefined for cron or anything else. */
export function rateIntervalMs(expression: string): number | undefined {
  const m = /^rate\((\d+) (minute|hour|day)s?\)$/.exec(expression.trim());
  return m ? Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS] : undefined;
}

/**
 * How old the latest collection may be before a scheduled slot counts as missed: one interval plus half an
 * interval of grace (a run may start late or take a while).
 */
export function staleAfterMs(expression: string): number | undefined {
  const interval = rateIntervalMs(expression);
  return interval === undefined ? undefined : interval * 1.5;
}
