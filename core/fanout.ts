import type { AnyCollector } from './collector.ts';
import type { Scope, Source } from './model.ts';

/** One unit of deployed collection: one collector over one scope, read through `roleArn` when given. */
export interface CollectRequest {
  readonly collectorId: string;
  readonly scope: Scope;
  /** The member role to assume; absent for the account the collector runs in (it reads with its own role). */
  readonly roleArn?: string;
}

export interface PlannedAccount {
  readonly id: string;
  readonly roleArn?: string;
}

/**
 * A scheduled run, compact enough for a Step Functions payload however many accounts it covers: the
 * accounts × regions × collectors product is expanded per account inside the state machine.
 */
export interface RunPlan {
  readonly group: string;
  readonly accounts: readonly PlannedAccount[];
  readonly regions: readonly string[];
  readonly collectors: readonly { readonly id: string; readonly regional: boolean }[];
  /** How many collections the run makes: per account, one per global collector plus one per region each. */
  readonly targetCount: number;
  /** Collectors of other sources (GitHub, IdPs) × the scopes their config names, for their source's function. */
  readonly sources: readonly SourceCollection[];
}

export interface SourceCollection {
  readonly source: Source;
  readonly collectorId: string;
  readonly scope: Scope;
}

export interface PlanInput {
  readonly group: string;
  readonly accounts: readonly string[];
  /** The account the collector runs in: read with its own role, never through a member role. */
  readonly homeAccount: string;
  readonly partition: string;
  readonly memberRoleName: string;
  readonly regions: readonly string[];
  readonly collectors: readonly AnyCollector[];
  /** The scopes of each source other than AWS the deployment collects (named by its config). */
  readonly sourceScopes?: Readonly<Partial<Record<Source, readonly Scope[]>>>;
}

export const memberRoleArn = (partition: string, account: string, roleName: string): string =>
  `arn:${partition}:iam::${account}:role/${roleName}`;

export function planRun(input: PlanInput): RunPlan {
  if (input.regions.length === 0) throw new Error('a run needs at least one region');
  const collectors = input.collectors
    .filter((c) => c.source === 'aws')
    .map((c) => ({ id: c.id, regional: c.regional }));
  // A group of other sources only reads no account.
  const accounts = collectors.length
    ? [...new Set(input.accounts.length ? input.accounts : [input.homeAccount])].sort()
    : [];
  const perAccount = collectors.reduce((n, c) => n + (c.regional ? input.regions.length : 1), 0);
  return {
    group: input.group,
    accounts: accounts.map((id) =>
      id === input.homeAccount
        ? { id }
        : { id, roleArn: memberRoleArn(input.partition, id, input.memberRoleName) },
    ),
    regions: [...input.regions],
    collectors,
    targetCount: perAccount * accounts.length,
    sources: input.collectors
      .filter((c) => c.source !== 'aws' && c.source !== 'manual')
      .flatMap((c) => {
        const scopes = input.sourceScopes?.[c.source];
        if (!scopes?.length) throw new Error(`${c.id}: the deployment names no ${c.source} scope`);
        return scopes.map((scope) => ({ source: c.source, collectorId: c.id, scope }));
      }),
  };
}

/** The collections of one planned account, global collectors first: what the state machine's JSONata yields. */
export function accountRequests(plan: RunPlan, account: PlannedAccount): CollectRequest[] {
  const role = account.roleArn ? { roleArn: account.roleArn } : {};
  const scope = (region?: string): Scope => ({
    source: 'aws',
    id: account.id,
    ...(region ? { region } : {}),
  });
  return [
    ...plan.collectors
      .filter((c) => !c.regional)
      .map((c) => ({ collectorId: c.id, scope: scope(), ...role })),
    ...plan.collectors
      .filter((c) => c.regional)
      .flatMap((c) => plan.regions.map((region) => ({ collectorId: c.id, scope: scope(region), ...role }))),
  ];
}
