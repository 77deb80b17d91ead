import fc from 'fast-check';
import jsonata from 'jsonata';
import { describe, expect, it } from 'vitest';
import { awsCollectors as collectors } from '../../collectors/aws/index.ts';
import { accountRequests, planRun, type RunPlan } from '../../core/fanout.ts';
import { ACCOUNT_TARGETS_JSONATA } from '../../infra/collection-run.ts';

const base = {
  group: 'daily',
  homeAccount: '123456789012',
  partition: 'aws',
  memberRoleName: 'ProoflineMember',
  regions: ['eu-west-1', 'us-east-1'],
  collectors,
};

describe('planRun', () => {
  it('plans each account once, sorted; the home account without a role', () => {
    const plan = planRun({ ...base, accounts: ['222222222222', '123456789012', '222222222222'] });
    expect(plan.accounts).toEqual([
      { id: '123456789012' },
      { id: '222222222222', roleArn: 'arn:aws:iam::222222222222:role/ProoflineMember' },
    ]);
  });

  it('counts one collection per global collector and one per region for each regional one, per account', () => {
    const regional = collectors.filter((c) => c.regional).length;
    const global = collectors.length - regional;
    const plan = planRun({ ...base, accounts: ['111111111111', '222222222222'] });
    expect(plan.targetCount).toBe(2 * (global + 2 * regional));
    expect(plan.accounts.flatMap((a) => accountRequests(plan, a))).toHaveLength(plan.targetCount);
  });

  it('with no account, plans the home account; with no region, refuses', () => {
    expect(planRun({ ...base, accounts: [] }).accounts).toEqual([{ id: '123456789012' }]);
    expect(() => planRun({ ...base, accounts: [], regions: [] })).toThrow('at least one region');
  });
});

describe('the state machine’s JSONata expansion', () => {
  const expression = jsonata(ACCOUNT_TARGETS_JSONATA);
  const expand = (plan: RunPlan, account: RunPlan['accounts'][number]) =>
    expression.evaluate(
      {},
      { states: { input: { account, regions: plan.regions, collectors: plan.collectors } } },
    );

  it('yields exactly the collections accountRequests lists, for any plan', async () => {
    const region = fc.constantFrom('eu-west-1', 'us-east-1', 'ap-south-1', 'sa-east-1');
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(region, { minLength: 1, maxLength: 4 }),
        fc.uniqueArray(fc.record({ id: fc.stringMatching(/^[a-z.]{1,12}$/), regional: fc.boolean() }), {
          minLength: 1,
          maxLength: 6,
          selector: (c) => c.id,
        }),
        fc.option(fc.constant('arn:aws:iam::111111111111:role/ProoflineMember'), { nil: undefined }),
        async (regions, planned, roleArn) => {
          const plan: RunPlan = {
            group: 'g',
            accounts: [],
            regions,
            collectors: planned,
            targetCount: 0,
            sources: [],
          };
          const account = { id: '111111111111', ...(roleArn ? { roleArn } : {}) };
          expect(await expand(plan, account)).toEqual(accountRequests(plan, account));
        },
      ),
      { numRuns: 200 },
    );
  });
});
