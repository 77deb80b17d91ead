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

const HOUR_MS = UNIT_MS.hour;
const single = (field: string) => /^\d+$/.test(field);
const any = (field: string) => field === '*' || field === '?';

/** The longest gap between the hours a cron hours field names (`5`, `*`, `*\/6`, `0/12`, `1,13`). */
function hoursGap(field: string): number | undefined {
  if (single(field)) return 24;
  if (field === '*') return 1;
  const step = /^(\*|\d+)\/(\d+)$/.exec(field);
  if (step) {
    const every = Number(step[2]);
    const start = step[1] === '*' ? 0 : Number(step[1]);
    const last = start + Math.floor((23 - start) / every) * every;
    return Math.max(every, 24 - last + start);
  }
  if (/^\d+(,\d+)+$/.test(field)) {
    const hours = [...new Set(field.split(',').map(Number))].sort((a, b) => a - b);
    const first = hours[0] ?? 0;
    return Math.max(...hours.map((h, i) => (hours[i + 1] ?? first + 24) - h));
  }
  return undefined;
}

/**
 * The longest time between two runs of a schedule expression in ms: `rate(…)`, or a six-field `cron(…)` that
 * runs hourly, daily, weekly (one weekday) or monthly (one day of the month); undefined for other shapes.
 */
export function scheduleIntervalMs(expression: string): number | undefined {
  const rate = rateIntervalMs(expression);
  if (rate !== undefined) return rate;
  const m = /^cron\((\S+) (\S+) (\S+) (\S+) (\S+)(?: (\S+))?\)$/.exec(expression.trim());
  if (!m) return undefined;
  const [, minutes = '', hours = '', dayOfMonth = '', month = '', dayOfWeek = '', year = '*'] = m;
  if (!single(minutes) || month !== '*' || year !== '*') return undefined;
  if (any(dayOfMonth) && any(dayOfWeek)) {
    const gap = hoursGap(hours);
    return gap === undefined ? undefined : gap * HOUR_MS;
  }
  if (!single(hours)) return undefined;
  if (dayOfMonth === '?' && /^([1-7]|SUN|MON|TUE|WED|THU|FRI|SAT)$/i.test(dayOfWeek)) return 7 * 24 * HOUR_MS;
  if (dayOfWeek === '?' && (single(dayOfMonth) || dayOfMonth === 'L')) return 31 * 24 * HOUR_MS;
  return undefined;
}
