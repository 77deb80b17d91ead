import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runCollect } from '../../../cli/collect.ts';
import { openContext } from '../../../cli/context.ts';
import { resolveCredentials } from '../../../collectors/identity/credentials.ts';
import { oktaConnector } from '../../../collectors/identity/okta/connector.ts';
import { oktaUsers as oktaUsersDefinition } from '../../../collectors/identity/okta/users/index.ts';
import { collectTargets } from '../../../core/pipeline.ts';
import { awsConfig, describeAws } from '../../support/aws.ts';
import { type StandIn, startOktaStandIn, tempStore } from '../../support/identity.ts';
import { runnable } from '../../support/runnable.ts';

const oktaUsers = runnable(oktaUsersDefinition);

describeAws('identity credentials from Secrets Manager (moto_server)', () => {
  let okta: StandIn;
  let secretArn: string;
  let badArn: string;
  beforeAll(async () => {
    okta = await startOktaStandIn({
      token: 'from-the-secret',
      users: [
        { id: '00u1', login: 'alice@acme.example', status: 'ACTIVE', created: '2026-01-01T00:00:00.000Z' },
      ],
    });
    const sm = new SecretsManagerClient(awsConfig());
    secretArn =
      (
        await sm.send(
          new CreateSecretCommand({
            Name: 'proofline/okta',
            SecretString: JSON.stringify({ OKTA_API_TOKEN: 'from-the-secret' }),
          }),
        )
      ).ARN ?? '';
    badArn =
      (await sm.send(new CreateSecretCommand({ Name: 'proofline/bad', SecretString: 'token=abc' }))).ARN ??
      '';
  });
  afterAll(() => okta.close());

  it('reads the named keys from the secret and ignores the environment', async () => {
    const values = await resolveCredentials(['OKTA_API_TOKEN', 'OKTA_CLIENT_ID'], secretArn, {
      env: { OKTA_API_TOKEN: 'from-env' },
    });
    expect(values).toEqual({ OKTA_API_TOKEN: 'from-the-secret' });
  });

  it('collects with the credentials of the secret the config names', async () => {
    const config = { orgUrl: okta.url, secretArn };
    expect(oktaConnector.missing(config, { env: {} })).toBeUndefined();
    const targets = await oktaConnector.targets([oktaUsers], config, { env: {} });
    const { store, dispose } = await tempStore();
    try {
      const [outcome] = await collectTargets(store, targets);
      expect(outcome?.ref.status).toBe('ok');
    } finally {
      await dispose();
    }
  });

  it('says which secret is unusable and why', async () => {
    await expect(resolveCredentials(['OKTA_API_TOKEN'], badArn, { env: {} })).rejects.toThrow(
      /secret arn:aws:secretsmanager:us-east-1:\d{12}:secret:proofline\/bad-\w+ is not a JSON object/,
    );
    const missing = secretArn.replace('proofline/okta', 'proofline/missing');
    await expect(resolveCredentials(['OKTA_API_TOKEN'], missing, { env: {} })).rejects.toThrow(
      /cannot read secret .*ResourceNotFoundException/,
    );
    await expect(
      oktaConnector.targets([oktaUsers], { orgUrl: okta.url, secretArn: badArn }, { env: {} }),
    ).rejects.toThrow(/not a JSON object/);
  });
});

it('proofline collect reads scope.okta from the config file and the token from the environment', async () => {
  const okta = await startOktaStandIn({
    token: 'env-token',
    users: [
      { id: '00u1', login: 'alice@acme.example', status: 'ACTIVE', created: '2026-01-01T00:00:00.000Z' },
    ],
  });
  const { dir, dispose } = await tempStore();
  const saved = process.env.OKTA_API_TOKEN;
  try {
    await writeFile(join(dir, 'proofline.config.yaml'), `scope:\n  okta:\n    orgUrl: ${okta.url}\n`);
    process.env.OKTA_API_TOKEN = 'env-token';
    const ctx = await openContext({
      store: join(dir, 'other-store'),
      config: join(dir, 'proofline.config.yaml'),
    });
    try {
      const log: string[] = [];
      const run = await runCollect(ctx, {
        collector: ['okta.users', 'okta.policies'],
        log: (l) => log.push(l),
      });
      expect(run.outcomes.map((o) => [o.target.collector.id, o.ref.scopeKey, o.ref.status])).toEqual([
        ['okta.users', '127.0.0.1-global', 'ok'],
        ['okta.policies', '127.0.0.1-global', 'ok'],
      ]);
      // No password policy and no sign-on policy in this org: recorded as failures, not silence.
      expect(run.outcomes[1]?.findings.map((f) => `${f.check} ${f.status}`)).toEqual([
        'okta.password-policy.strength fail',
        'okta.sign-on.mfa-required fail',
      ]);
    } finally {
      await ctx.store.close();
    }
  } finally {
    if (saved === undefined) delete process.env.OKTA_API_TOKEN;
    else process.env.OKTA_API_TOKEN = saved;
    await okta.close();
    await dispose();
  }
});
