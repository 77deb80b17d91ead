import jsonata from 'jsonata';
import { beforeAll, describe, expect, it } from 'vitest';
import { githubConnector } from '../../collectors/github/connector.ts';
import { collectors } from '../../collectors/index.ts';
import { buildApp } from '../../infra/app.ts';
import { resolveScheduleGroups } from '../../infra/schedules.ts';
import {
  actionsOf,
  type Cfn,
  exampleConfig,
  identityStatements,
  resource,
  resourcesOf,
  SKIP_BUNDLING,
  type Synthesized,
  stateMachineDefinition,
  synth,
} from './support.ts';

const arn = (name: string) => `arn:aws:secretsmanager:eu-west-1:111111111111:secret:proofline/${name}-AbCdEf`;
const GITHUB_SECRET = arn('github');
const ENTRA_SECRET = arn('entra');
const GOOGLE_SECRET = arn('google');
const OKTA_SECRET = arn('okta');
const INSTANCE = 'arn:aws:sso:::instance/ssoins-72230e2b5d3d4b1c';

const SCOPE = {
  aws: { regions: ['eu-west-1'] },
  github: { orgs: ['acme', 'acme-labs'], secretArn: GITHUB_SECRET },
  entra: { tenantId: '00000000-0000-0000-0000-000000000001', secretArn: ENTRA_SECRET },
  google: { domain: 'acme.example', adminEmail: 'admin@acme.example', secretArn: GOOGLE_SECRET },
  okta: { orgUrl: 'https://acme.okta.com', secretArn: OKTA_SECRET },
  'identity-center': { instanceArn: INSTANCE, region: 'eu-west-1' },
};
const SCHEDULES = {
  daily: { expression: 'rate(1 day)', collectors: ['aws.s3.buckets', 'github.repos', 'github.org.settings'] },
  identity: {
    expression: 'cron(0 6 * * ? *)',
    collectors: ['entra.users', 'google.users', 'okta.users', 'okta.policies', 'identity-center.access'],
  },
};

/** The example config with every deployable source in scope and scheduled. */
const sourcesConfig = (scope: Record<string, unknown> = SCOPE, schedules: unknown = SCHEDULES) => {
  const config = exampleConfig();
  return { ...config, scope, deploy: { ...(config.deploy as object), schedules } };
};

const fnId = (name: string) => `ProoflineCollect${name}Function`;

/** The definition with each token replaced by the logical id it references (which function a task invokes). */
function definitionWithIds(template: Synthesized['mainTemplate']): Cfn {
  const sm = resource(template, 'AWS::StepFunctions::StateMachine', 'ProoflineCollectionRun');
  const parts = sm.Properties.DefinitionString['Fn::Join'][1] as unknown[];
  return JSON.parse(
    parts
      .map((p) => (typeof p === 'string' ? p : `<${((p as Cfn)['Fn::GetAtt'] ?? [(p as Cfn).Ref])[0]}>`))
      .join(''),
  );
}

describe('a stack that collects GitHub and the identity providers', () => {
  let stack: Synthesized;
  beforeAll(async () => {
    stack = await synth(sourcesConfig());
  });

  it('creates one function per scheduled source, told its validated config section and no secret', () => {
    for (const name of ['Github', 'Entra', 'Google', 'Okta', 'IdentityCenter']) {
      const fn = resource(stack.mainTemplate, 'AWS::Lambda::Function', fnId(name)).Properties;
      expect(fn.Runtime).toBe('nodejs24.x');
      expect(fn.Timeout).toBe(900);
      expect(fn.LoggingConfig.LogGroup).toEqual({
        Ref: expect.stringMatching(new RegExp(`^ProoflineCollect${name}Logs`)),
      });
    }
    const github = resource(stack.mainTemplate, 'AWS::Lambda::Function', fnId('Github')).Properties;
    expect(JSON.parse(github.Environment.Variables.SOURCE_CONFIG)).toEqual(
      githubConnector.schema.parse(SCOPE.github),
    );
    const google = resource(stack.mainTemplate, 'AWS::Lambda::Function', fnId('Google')).Properties;
    expect(JSON.parse(google.Environment.Variables.SOURCE_CONFIG)).toMatchObject({
      secretArn: GOOGLE_SECRET,
    });
    const okta = resource(stack.mainTemplate, 'AWS::Lambda::Function', fnId('Okta')).Properties;
    expect(JSON.parse(okta.Environment.Variables.SOURCE_CONFIG)).toEqual(SCOPE.okta);
    expect(JSON.stringify(okta.Environment.Variables)).not.toMatch(/OKTA_(API_TOKEN|PRIVATE_KEY)/);
  });

  it('the plan function is told the scopes each source collector runs over', () => {
    const plan = resource(stack.mainTemplate, 'AWS::Lambda::Function', 'ProoflinePlanFunction').Properties;
    expect(JSON.parse(plan.Environment.Variables.SOURCE_SCOPES)).toEqual({
      github: [
        { source: 'github', id: 'acme' },
        { source: 'github', id: 'acme-labs' },
      ],
      entra: [{ source: 'entra', id: SCOPE.entra.tenantId }],
      google: [{ source: 'google', id: 'acme.example' }],
      okta: [{ source: 'okta', id: 'acme.okta.com' }],
      'identity-center': [{ source: 'identity-center', id: 'ssoins-72230e2b5d3d4b1c', region: 'eu-west-1' }],
    });
  });

  it('each source function reads exactly its own secret, and no other role reads any', () => {
    // Reading a secret's value; the AWS collectors' role may list and describe secrets (their metadata only).
    const reads = identityStatements(stack.mainTemplate).filter((s) =>
      actionsOf(s).some((a) => a === 'secretsmanager:GetSecretValue' || a === 'secretsmanager:*'),
    );
    expect(reads).toHaveLength(4);
    for (const s of reads) expect(actionsOf(s)).toEqual(['secretsmanager:GetSecretValue']);
    const owners = reads.map((s) => [s.owner.match(/^ProoflineCollect([A-Z][a-z]+)/)?.[1], resourcesOf(s)]);
    expect(Object.fromEntries(owners)).toEqual({
      Github: [GITHUB_SECRET],
      Entra: [ENTRA_SECRET],
      Google: [GOOGLE_SECRET],
      Okta: [OKTA_SECRET],
    });
  });

  it('source functions write the store like the collect function; only Identity Center reads AWS APIs, read-only', () => {
    const statements = identityStatements(stack.mainTemplate);
    const of = (name: string) => statements.filter((s) => s.owner.startsWith(`ProoflineCollect${name}Role`));
    for (const name of ['Github', 'Entra', 'Google', 'Okta', 'IdentityCenter']) {
      const sids = of(name).map((s) => s.Sid);
      expect(sids, name).toEqual(expect.arrayContaining(['WriteEvidence', 'LockEvidence', 'UseIndex']));
      expect(sids, name).not.toContain('AssumeMemberRoles');
    }
    for (const name of ['Github', 'Okta'])
      expect(
        of(name).map((s) => s.Sid),
        name,
      ).not.toContain('ReadOnlyCollection');
    const reads = of('IdentityCenter').find((s) => s.Sid === 'ReadOnlyCollection')!;
    expect(actionsOf(reads).length).toBeGreaterThan(3);
    for (const action of actionsOf(reads))
      expect(action).toMatch(/^(sso|identitystore|iam|organizations):(Get|List|Describe)/);
    // The AWS collector role does not get Identity Center's reads.
    const collector = statements.filter((s) => s.owner.startsWith('ProoflineCollectorRole'));
    expect(collector.flatMap(actionsOf).filter((a) => a.startsWith('sso:'))).toEqual([]);
  });

  it('schedules start runs holding the source collectors', () => {
    const inputs = Object.values(stack.mainTemplate.findResources('AWS::Scheduler::Schedule'))
      .map((s: Cfn) => s.Properties.Target.Input)
      .filter(Boolean)
      .map((i: string) => JSON.parse(i));
    expect(inputs).toEqual(
      expect.arrayContaining([
        { group: 'daily', collectors: SCHEDULES.daily.collectors },
        { group: 'identity', collectors: SCHEDULES.identity.collectors },
      ]),
    );
  });

  it('the run routes each source collector to its function, retries throttling with jitter and records failures', () => {
    const definition = definitionWithIds(stack.mainTemplate);
    // Accounts and sources run side by side, then one evaluation.
    const collections = definition.States.Collections;
    expect(definition.States.Plan.Next).toBe('Collections');
    expect(collections).toMatchObject({ Type: 'Parallel', Next: 'Evaluate' });
    expect(collections.Branches.map((b: Cfn) => b.StartAt)).toEqual(['Accounts', 'Sources']);
    // The distributed map inside a branch still gets its child-execution permissions (an old CDK bug left
    // them out for maps under Parallel).
    const runActions = identityStatements(stack.mainTemplate)
      .filter((s) => s.owner.startsWith('ProoflineCollectionRunStateMachineDistributedMapPolicy'))
      .flatMap(actionsOf);
    expect(runActions).toEqual(expect.arrayContaining(['states:StartExecution', 'states:DescribeExecution']));
    const sources = collections.Branches[1].States.Sources;
    expect(sources.End).toBe(true);
    expect(sources.Items).toBe('{% $states.input.sources %}');
    expect(sources.MaxConcurrency).toBe(4);
    const states = sources.ItemProcessor.States;
    expect(sources.ItemProcessor.StartAt).toBe('BySource');
    const routes = Object.fromEntries(
      states.BySource.Choices.map((c: Cfn) => [/'([\w-]+)'/.exec(c.Condition)![1], c.Next]),
    );
    expect(routes).toEqual({
      github: 'Collect-github',
      entra: 'Collect-entra',
      google: 'Collect-google',
      okta: 'Collect-okta',
      'identity-center': 'Collect-identity-center',
    });
    for (const [source, name] of [
      ['github', 'Github'],
      ['okta', 'Okta'],
      ['identity-center', 'IdentityCenter'],
    ] as const) {
      const task = states[`Collect-${source}`];
      expect(task.Arguments.FunctionName).toMatch(new RegExp(`^<${fnId(name)}`));
      expect(task.Retry.find((r: Cfn) => r.ErrorEquals.includes('CollectorThrottled'))).toMatchObject({
        BackoffRate: 2,
        JitterStrategy: 'FULL',
      });
      expect(task.Catch[0]).toMatchObject({ ErrorEquals: ['States.ALL'], Next: `RecordFailure-${source}` });
      expect(states[`RecordFailure-${source}`].Arguments.FunctionName).toMatch(new RegExp(`^<${fnId(name)}`));
    }
  });

  it('the run summary adds the accounts’ and the sources’ collections up', async () => {
    const definition = stateMachineDefinition(stack.mainTemplate);
    const summarize = (output: Cfn, states: unknown) =>
      Promise.all(
        Object.entries(output).map(async ([k, v]) => [
          k,
          await jsonata(/^\{%(.*)%\}$/s.exec(v as string)![1]!).evaluate({}, { states }),
        ]),
      ).then(Object.fromEntries);
    const collections = definition.States.Collections;
    const fromSources = await summarize(collections.Branches[1].States.Sources.Output, {
      input: { group: 'daily' },
      result: ['ok', 'error', 'unrecorded', 'ok'],
    });
    expect(fromSources).toEqual({ ok: 2, failed: 2 });
    const fromAccounts = { group: 'daily', accounts: 2, ok: 5, failed: 1 };
    expect(
      await summarize(collections.Output, { input: { group: 'daily' }, result: [fromAccounts, fromSources] }),
    ).toEqual({ group: 'daily', accounts: 2, ok: 7, failed: 3 });
  });

  it('concurrency.sources bounds the source collections', async () => {
    const config = sourcesConfig();
    const tuned = await synth({
      ...config,
      deploy: { ...(config.deploy as object), concurrency: { accounts: 10, perAccount: 4, sources: 2 } },
    });
    expect(
      stateMachineDefinition(tuned.mainTemplate).States.Collections.Branches[1].States.Sources.MaxConcurrency,
    ).toBe(2);
  });

  it('cdk-nag finds nothing unacknowledged', async () => {
    const { app } = await buildApp({ config: sourcesConfig(), appProps: SKIP_BUNDLING });
    expect(() => app.synth()).not.toThrow();
  });

  it('an AWS-only deployment has no source function and no Sources or Collections state', async () => {
    const example = await synth(exampleConfig());
    expect(
      Object.keys(example.mainTemplate.findResources('AWS::Lambda::Function')).filter((id) =>
        /^ProoflineCollect(?!Function)[A-Z]/.test(id),
      ),
    ).toEqual([]);
    const states = stateMachineDefinition(example.mainTemplate).States;
    expect(states.Sources).toBeUndefined();
    expect(states.Collections).toBeUndefined();
    expect(states.Accounts.Next).toBe('Evaluate');
  });

  it('without deploy.schedules, the default groups hold the sources the scope statement configures', async () => {
    const config = sourcesConfig();
    const { schedules: _, ...deploy } = config.deploy as Record<string, unknown>;
    const defaults = await synth({ ...config, deploy });
    const input = JSON.parse(
      Object.values(defaults.mainTemplate.findResources('AWS::Scheduler::Schedule')).find(
        (s: Cfn) => s.Properties.Target.Input,
      )!.Properties.Target.Input,
    );
    expect(input.group).toBe('every-1-day');
    expect(input.collectors).toEqual(collectors.filter((c) => c.source !== 'manual').map((c) => c.id));
  });
});

describe('schedules of sources other than AWS (resolveScheduleGroups)', () => {
  const group = (...ids: string[]) => ({ daily: { expression: 'rate(1 day)', collectors: ids } });
  const resolve = (ids: string[], scope: Record<string, unknown> = SCOPE) =>
    resolveScheduleGroups(group(...ids), collectors, scope);

  it('accepts any registered collector whose source is configured for deployment', () => {
    expect(resolve(['aws.kms.keys', 'github.repos', 'identity-center.access'])[0]!.collectors).toEqual([
      'aws.kms.keys',
      'github.repos',
      'identity-center.access',
    ]);
  });

  it('refuses a collector whose scope section is missing, naming the field', () => {
    const { github: _, ...noGithub } = SCOPE;
    expect(() => resolve(['aws.kms.keys', 'github.repos'], noGithub)).toThrow(
      /^deploy\.schedules\.daily\.collectors\.1 \("github\.repos"\): scope\.github: missing/,
    );
  });

  it('refuses a source without a secret ARN: the function has no other credentials', () => {
    expect(() =>
      resolve(['google.users'], { google: { domain: 'acme.example', adminEmail: 'a@acme.example' } }),
    ).toThrow(/scope\.google\.secretArn: required to deploy/);
  });

  it('refuses an invalid section with the field and the problem, once per source', () => {
    let message = '';
    try {
      resolve(['github.repos', 'github.audit-log'], { github: { orgs: ['https://github.com/acme'] } });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/scope\.github\.orgs\.0: must be an organization login/);
    expect(message.match(/scope\.github\.orgs\.0/g)).toHaveLength(1);
  });

  it('refuses Identity Center without the instance ARN (a failure must be recorded against the instance)', () => {
    expect(() => resolve(['identity-center.access'], { 'identity-center': {} })).toThrow(
      /scope\.identity-center\.instanceArn: name the instance/,
    );
  });

  it('accepts Okta with the secret holding its credentials, and refuses it without one', () => {
    expect(resolve(['okta.users', 'okta.policies'])[0]!.collectors).toEqual(['okta.users', 'okta.policies']);
    expect(() => resolve(['okta.users'], { okta: { orgUrl: 'https://acme.okta.com' } })).toThrow(
      /scope\.okta\.secretArn: required to deploy .*OKTA_API_TOKEN/,
    );
    expect(() =>
      resolve(['okta.users'], { okta: { orgUrl: 'acme.okta.com', secretArn: OKTA_SECRET } }),
    ).toThrow(/scope\.okta\.orgUrl: must be the org URL/);
  });

  it('refuses the access review: it is run against the store, not scheduled', () => {
    expect(() => resolve(['proofline.access-review'])).toThrow(
      /"proofline\.access-review" is not scheduled by the stack: .*proofline --store <StoreSpec> access-review/,
    );
  });

  it('synth fails with the config file and the field', async () => {
    const config = sourcesConfig({ aws: {} }, group('github.repos'));
    await expect(buildApp({ config, appProps: SKIP_BUNDLING, nag: false })).rejects.toThrow(
      /^\(inline config\): deploy\.schedules\.daily\.collectors\.0 \("github\.repos"\): scope\.github: missing/,
    );
  });
});
