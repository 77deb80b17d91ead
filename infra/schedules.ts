import { connectors as allConnectors } from '../collectors/connectors.ts';
import type { AnyConnector } from '../collectors/sources.ts';
import type { AnyCollector } from '../core/collector.ts';
import { ConfigError, parseWith, type ScheduleGroupConfig } from '../core/config.ts';
import type { Scope, Source } from '../core/model.ts';
import { SOURCE_HANDLERS, type SourceHandlerSpec, UNDEPLOYABLE_SOURCES } from './handlers.ts';

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

/** The scope statement: `scope.<source>` sections of the config. */
export type ScopeStatement = Readonly<Record<string, unknown>>;

/** A source other than AWS the stack collects: its function and the config section passed to it. */
export interface DeployedSource {
  readonly source: Source;
  readonly handler: SourceHandlerSpec;
  readonly connector: AnyConnector;
  /** The validated `scope.<source>` section (secret ARNs, never secrets): the function's SOURCE_CONFIG. */
  readonly config: unknown;
  /** The Secrets Manager secrets the function may read: exactly these. */
  readonly secretArns: readonly string[];
}

/** The scopes of each deployed source, as the plan lists them (`region`: the stack's, unless configured). */
export function sourceScopes(sources: readonly DeployedSource[], region: string): Record<string, Scope[]> {
  return Object.fromEntries(
    sources.map((s) => [s.source, s.connector.scopes!(s.config, { env: { AWS_REGION: region } })]),
  );
}

/**
 * Why `source` cannot be collected by the stack with this scope statement, naming the config field, or the
 * validated section when it can. The function has no credentials but the secret, so a connector that would
 * need the environment is refused here, as is one whose scopes only its API can name.
 */
function deployable(
  source: Source,
  scope: ScopeStatement,
  connectors: readonly AnyConnector[],
): { problem: string } | { source: DeployedSource } {
  const undeployable = UNDEPLOYABLE_SOURCES[source];
  if (undeployable) return { problem: `scope.${source}: ${source} cannot be deployed yet: ${undeployable}` };
  const handler = SOURCE_HANDLERS.find((h) => h.source === source);
  const connector = connectors.find((c) => c.source === source);
  if (!handler || !connector) return { problem: `${source} has no collect function in the stack` };
  const section = scope[source];
  if (section === undefined)
    return {
      problem: `scope.${source}: missing: the ${source} collectors need their source's config section`,
    };
  let config: unknown;
  try {
    config = parseWith(connector.schema, section, 'config', ['scope', source]);
  } catch (error) {
    return { problem: (error as Error).message.replace(/^config: /, '') };
  }
  const missing = connector.missing(config, { env: {} });
  if (missing)
    return {
      problem: `scope.${source}.secretArn: required to deploy (the function reads its credentials from Secrets Manager only): ${missing}`,
    };
  try {
    connector.scopes?.(config, { env: {} });
  } catch (error) {
    return { problem: (error as Error).message };
  }
  if (!connector.scopes)
    return { problem: `${source} names no scopes to record a failed collection against` };
  const secretArn = (config as { secretArn?: unknown }).secretArn;
  return {
    source: {
      source,
      handler,
      connector,
      config,
      secretArns: typeof secretArn === 'string' ? [secretArn] : [],
    },
  };
}

/**
 * The collector groups to schedule: the configured ones (collector ids checked against the registry, each
 * collector in one group at most, every source other than AWS deployable with its `scope` section), or one
 * group per distinct `defaultSchedule` of the AWS collectors and of the sources the scope statement names.
 */
export function resolveScheduleGroups(
  configured: Readonly<Record<string, ScheduleGroupConfig>> | undefined,
  collectors: readonly AnyCollector[],
  scope: ScopeStatement = {},
  connectors: readonly AnyConnector[] = allConnectors,
): ScheduleGroup[] {
  const scheduled = collectors.filter(
    (c) => c.source === 'aws' || (c.source !== 'manual' && scope[c.source] !== undefined),
  );
  const groups: [string, ScheduleGroupConfig][] = configured
    ? Object.entries(configured)
    : [...new Set(scheduled.map((c) => c.defaultSchedule))].map((expression, i) => [
        defaultGroupName(expression, i),
        {
          expression,
          collectors: scheduled.filter((c) => c.defaultSchedule === expression).map((c) => c.id),
        },
      ]);
  const byId = new Map(collectors.map((c) => [c.id, c]));
  const owner = new Map<string, string>();
  const problems = new Set<string>();
  const checked = new Set<Source>(); // each source's section is reported once
  for (const [name, group] of groups) {
    group.collectors.forEach((id, i) => {
      const field = `deploy.schedules.${name}.collectors.${i}`;
      const collector = byId.get(id);
      if (!collector)
        problems.add(`${field}: unknown collector "${id}" (known: ${[...byId.keys()].join(', ')})`);
      else if (owner.has(id)) problems.add(`${field}: "${id}" is already in group ${owner.get(id)}`);
      else {
        owner.set(id, name);
        if (collector.source === 'manual')
          problems.add(
            `${field}: "${id}" is not scheduled by the stack: it derives from the stored evidence and the identity map (run \`proofline --store <StoreSpec> access-review\`)`,
          );
        else if (collector.source !== 'aws' && !checked.has(collector.source)) {
          checked.add(collector.source);
          const result = deployable(collector.source, scope, connectors);
          if ('problem' in result) problems.add(`${field} ("${id}"): ${result.problem}`);
        }
      }
    });
  }
  if (problems.size) throw new ConfigError([...problems].join('; '));
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

/** The sources other than AWS the (validated) groups collect, each once, with its function and config. */
export function deployedSources(
  groups: readonly ScheduleGroup[],
  collectors: readonly AnyCollector[],
  scope: ScopeStatement,
  connectors: readonly AnyConnector[] = allConnectors,
): DeployedSource[] {
  const ids = new Set(groups.flatMap((g) => g.collectors));
  const sources = new Set(
    collectors
      .filter((c) => ids.has(c.id) && c.source !== 'aws' && c.source !== 'manual')
      .map((c) => c.source),
  );
  return SOURCE_HANDLERS.filter((h) => sources.has(h.source)).map((h) => {
    const result = deployable(h.source, scope, connectors);
    if ('problem' in result) throw new ConfigError(result.problem);
    return result.source;
  });
}
