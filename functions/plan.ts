import type { Context } from 'aws-lambda';
import * as z from 'zod';
import { activeOrganizationAccounts } from '../collectors/aws/organization.ts';
import { AwsSession } from '../collectors/aws/session.ts';
import { collectors } from '../collectors/index.ts';
import { ENV, TELEMETRY } from '../core/deployed.ts';
import { type PlanInput, planRun, type RunPlan } from '../core/fanout.ts';
import { parseWith } from '../core/validate.ts';
import { logger, MetricUnit, metrics, withMetrics } from './shared/observability.ts';

/** What a schedule sends: its group and the collectors it runs. */
const runSchema = z.strictObject({
  group: z.string().min(1),
  collectors: z.array(z.string().min(1)).min(1),
});

/** The scopes of each deployed source other than AWS, from the stack (`{ "<source>": [Scope…] }`). */
const sourceScopesSchema = z.record(
  z.string(),
  z.array(
    z.strictObject({
      source: z.string().min(1),
      id: z.string().min(1),
      region: z.string().min(1).optional(),
    }),
  ),
);

function sourceScopes(text: string | undefined): PlanInput['sourceScopes'] {
  if (!text) return {};
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new Error(`environment variable ${ENV.sourceScopes} is not JSON`);
  }
  const parsed = sourceScopesSchema.safeParse(data);
  if (!parsed.success) throw new Error(`environment variable ${ENV.sourceScopes}: ${parsed.error.message}`);
  return parsed.data as PlanInput['sourceScopes'];
}

const list = (value: string | undefined): string[] =>
  (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/** `arn:<partition>:lambda:<region>:<account>:function:<name>` → the account and partition we run in. */
function whereWeRun(context: Pick<Context, 'invokedFunctionArn'>): { account: string; partition: string } {
  const [, partition, , , account] = context.invokedFunctionArn.split(':');
  if (!partition || !account || !/^\d{12}$/.test(account)) {
    throw new Error(`cannot read the account from the function ARN ${context.invokedFunctionArn}`);
  }
  return { account, partition };
}

/**
 * Lists a run's targets: the configured accounts, or every ACTIVE account of the organization, × the regions ×
 * the group's AWS collectors, and the group's collectors of other sources. Returns the compact plan the state
 * machine expands per account (and routes per source).
 */
export async function handler(event: unknown, context: Context): Promise<RunPlan> {
  logger.addContext(context);
  return withMetrics(async () => {
    const run = parseWith(runSchema, event, 'bad run input', [], { root: '(event)', error: Error });
    const { group } = run;
    const unknown = run.collectors.filter((id) => !collectors.find((c) => c.id === id));
    if (unknown.length) throw new Error(`bad run input: unknown collector ${unknown.join(', ')}`);
    const selected = run.collectors.map((id) => collectors.find((c) => c.id === id)!);
    const home = whereWeRun(context);
    const env = process.env;
    const readsAccounts = selected.some((c) => c.source === 'aws');
    const accounts = !readsAccounts
      ? []
      : env[ENV.organization] === 'true'
        ? await activeOrganizationAccounts(new AwsSession({ homeRegion: env.AWS_REGION ?? 'us-east-1' }))
        : list(env[ENV.accounts]);
    const plan = planRun({
      group,
      accounts,
      homeAccount: home.account,
      partition: home.partition,
      memberRoleName: env[ENV.memberRoleName] ?? 'ProoflineMember',
      regions: list(env[ENV.regions]).length ? list(env[ENV.regions]) : [env.AWS_REGION ?? 'us-east-1'],
      collectors: selected,
      sourceScopes: sourceScopes(env[ENV.sourceScopes]),
    });
    metrics.addDimension(TELEMETRY.groupDimension, group);
    metrics.addMetric(TELEMETRY.metrics.runsStarted, MetricUnit.Count, 1);
    logger.info('run planned', {
      group,
      accounts: plan.accounts.length,
      regions: plan.regions.length,
      collectors: plan.collectors.length,
      targets: plan.targetCount,
      sourceCollections: plan.sources.length,
    });
    return plan;
  });
}
