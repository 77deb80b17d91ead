import type { AnyCollector } from '../core/collector.ts';
import { ConfigError, type ScheduleGroupConfig } from '../core/config.ts';

export interface ScheduleGroup {
  readonly name: string;
  readonly expression: string;
  readonly collectors: readonly string[];
  /** Hours without a started run after which the missed-schedule alarm fires. */
  readonly missedAfterHours: number;
}

/** The longest window a CloudWatch alarm can evaluate with one-hour periods. */
export const MAX_ALARM_HOURS = 168;

const UNIT_HOURS: Record<string, number> = { minute: 1 / 60, hour: 1, day: 24 };

/** The cadence of a `rate(…)` expression in hours; undefined for `cron(…)`. */
export function rateHours(expression: string): number | undefined {
  const m = /^rate\((\d+) (minute|hour|day)s?\)$/.exec(expression);
  return m ? Number(m[1]) * UNIT_HOURS[m[2]!]! : undefined;
}

/** A name for a default group: `rate(1 day)` → `every-1-day`, anything else → `schedule-<n>`. */
function defaultGroupName(expression: string, index: number): string {
  const m = /^rate\((\d+) (minute|hour|day)s?\)$/.exec(expression);
  return m ? `every-${m[1]}-${m[2]}` : `schedule-${index + 1}`;
}

/**
 * The collector groups to schedule: the configured ones (collector ids checked against the registry, each
 * collector in one group at most), or one group per distinct `defaultSchedule` of the AWS collectors.
 */
export function resolveScheduleGroups(
  configured: Readonly<Record<string, ScheduleGroupConfig>> | undefined,
  collectors: readonly AnyCollector[],
): ScheduleGroup[] {
  const aws = collectors.filter((c) => c.source === 'aws');
  const groups: [string, ScheduleGroupConfig][] = configured
    ? Object.entries(configured)
    : [...new Set(aws.map((c) => c.defaultSchedule))].map((expression, i) => [
        defaultGroupName(expression, i),
        { expression, collectors: aws.filter((c) => c.defaultSchedule === expression).map((c) => c.id) },
      ]);
  const known = new Set(aws.map((c) => c.id));
  const owner = new Map<string, string>();
  const problems: string[] = [];
  for (const [name, group] of groups) {
    group.collectors.forEach((id, i) => {
      const field = `deploy.schedules.${name}.collectors.${i}`;
      if (!known.has(id))
        problems.push(`${field}: unknown AWS collector "${id}" (known: ${[...known].join(', ')})`);
      else if (owner.has(id)) problems.push(`${field}: "${id}" is already in group ${owner.get(id)}`);
      else owner.set(id, name);
    });
  }
  if (problems.length) throw new ConfigError(problems.join('; '));
  return groups.map(([name, group]) => {
    const rate = rateHours(group.expression);
    return {
      name,
      expression: group.expression,
      collectors: [...group.collectors],
      // CloudWatch evaluates an alarm over at most 7 days (168 one-hour periods).
      missedAfterHours:
        group.missedAfterHours ??
        (rate === undefined ? 26 : Math.min(MAX_ALARM_HOURS, Math.max(1, rate * 1.25))),
    };
  });
}
