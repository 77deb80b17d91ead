import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { describe, expect, it } from 'vitest';
import { runnableCollectors as collectors } from '../../../collectors/collect.ts';
import {
  credentialFromEnv,
  credentialFromSecret,
  githubConnector,
  parseSecret,
} from '../../../collectors/github/connector.ts';
import { orgSettings as orgSettingsDefinition } from '../../../collectors/github/org-settings/index.ts';
import type { GitHubSession } from '../../../collectors/github/session.ts';
import { ConfigError, parseWith } from '../../../core/config.ts';
import { awsConfig, describeAws } from '../../support/aws.ts';
import { emptyOrg, scopeOf, startGitHubStandIn } from '../../support/github/index.ts';
import { runnable } from '../../support/runnable.ts';

const orgSettings = runnable(orgSettingsDefinition);

const github = collectors.filter((c) => c.source === 'github');
const parse = (section: unknown) =>
  parseWith(githubConnector.schema, section, 'proofline.config.yaml', ['scope', 'github']);

describe('scope.github config', () => {
  it('applies the documented defaults', () => {
    expect(parse({ orgs: ['acme'] })).toEqual({
      orgs: ['acme'],
      requiredApprovals: 1,
      inactiveDays: 180,
      alertMaxAgeDays: 30,
      deployKeyMaxAgeDays: 365,
      lookbackDays: 30,
      approvedPublicRepos: [],
    });
  });

  it.each([
    [{ orgs: [] }, 'scope.github.orgs: name at least one organization'],
    [{ orgs: ['https://github.com/acme'] }, 'scope.github.orgs.0: must be an organization login like acme'],
    [{ orgs: ['acme'], baseUrl: 'github.example.com' }, 'scope.github.baseUrl: must be an http(s) URL'],
    [
      { orgs: ['acme'], secretArn: 'github-token' },
      'scope.github.secretArn: must be a Secrets Manager secret ARN',
    ],
    [
      { orgs: ['acme'], requiredApprovals: 0 },
      'scope.github.requiredApprovals: requiredApprovals must be at least 1',
    ],
    [
      { orgs: ['acme'], inactiveDays: -5 },
      'scope.github.inactiveDays: inactiveDays must be a positive whole number',
    ],
    [{ orgs: ['acme'], token: 'ghp_x' }, 'scope.github: Unrecognized key: "token"'],
  ])('rejects %j with a message naming the field', (section, message) => {
    expect(() => parse(section)).toThrow(ConfigError);
    expect(() => parse(section)).toThrow(message);
  });
});

describe('githubConnector.missing', () => {
  const config = parse({ orgs: ['acme'] });
  it('asks for an organization when there is no scope.github section', () => {
    expect(githubConnector.missing(undefined, { env: { GITHUB_TOKEN: 'x' } })).toMatch(
      /add scope\.github\.orgs/,
    );
  });
  it('asks for a credential when the environment has none', () => {
    expect(githubConnector.missing(config, { env: {} })).toMatch(
      /no GitHub credential: set GITHUB_APP_ID, GITHUB_APP_PRIVATE_KEY and GITHUB_APP_INSTALLATION_ID .* or GITHUB_TOKEN .* or scope\.github\.secretArn/,
    );
  });
  it('names the half-configured App variable', () => {
    expect(githubConnector.missing(config, { env: { GITHUB_APP_ID: '1', GITHUB_TOKEN: 't' } })).toMatch(
      /^GITHUB_APP_ID is set but GITHUB_APP_PRIVATE_KEY is not/,
    );
    expect(
      githubConnector.missing(config, {
        env: { GITHUB_APP_ID: '1', GITHUB_APP_PRIVATE_KEY: 'k', GITHUB_APP_INSTALLATION_ID: 'acme' },
      }),
    ).toMatch(/GITHUB_APP_INSTALLATION_ID must be a number, got "acme"/);
  });
  it('is satisfied by a token, an App, or a secret ARN', () => {
    expect(githubConnector.missing(config, { env: { GITHUB_TOKEN: 't' } })).toBeUndefined();
    expect(
      githubConnector.missing(config, { env: { GITHUB_APP_ID: '1', GITHUB_APP_PRIVATE_KEY: 'k' } }),
    ).toBeUndefined();
    const withSecret = parse({
      orgs: ['acme'],
      secretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:gh',
    });
    expect(githubConnector.missing(withSecret, { env: {} })).toBeUndefined();
  });
});

describe('GitHub credentials', () => {
  it('prefers a complete App in the environment over a token, unescaping the key', () => {
    expect(
      credentialFromEnv({
        GITHUB_TOKEN: 'ghp_t',
        GITHUB_APP_ID: '12',
        GITHUB_APP_PRIVATE_KEY: '-----BEGIN RSA PRIVATE KEY-----\\nabc\\n-----END RSA PRIVATE KEY-----',
        GITHUB_APP_INSTALLATION_ID: '99',
      }),
    ).toEqual({
      kind: 'app',
      appId: '12',
      privateKey: '-----BEGIN RSA PRIVATE KEY-----\nabc\n-----END RSA PRIVATE KEY-----',
      installationId: 99,
    });
    expect(credentialFromEnv({ GITHUB_TOKEN: 'ghp_t' })).toEqual({ kind: 'token', token: 'ghp_t' });
    expect(credentialFromEnv({})).toBeUndefined();
  });

  it('parses the stored forms of a secret and rejects others clearly', () => {
    const arn = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:gh';
    expect(parseSecret('ghp_plain\n', arn)).toEqual({ kind: 'token', token: 'ghp_plain' });
    expect(parseSecret('{"token":"ghs_x"}', arn)).toEqual({ kind: 'token', token: 'ghs_x' });
    expect(parseSecret('{"appId":7,"privateKey":"K","installationId":"8"}', arn)).toEqual({
      kind: 'app',
      appId: '7',
      privateKey: 'K',
      installationId: 8,
    });
    expect(() => parseSecret('{"user":"x"}', arn)).toThrow(`secret ${arn}: expected {"token": "…"}`);
    expect(() => parseSecret('{not json', arn)).toThrow('not valid JSON');
    expect(() => parseSecret('two words', arn)).toThrow('expected a token or JSON');
  });

  it('builds one target per organization and collector', async () => {
    const targets = await githubConnector.targets(github, parse({ orgs: ['acme', 'globex'] }), {
      env: { GITHUB_TOKEN: 't' },
    });
    expect(targets.map((t) => `${t.scope.id} ${t.collector.id}`)).toEqual(
      ['acme', 'globex'].flatMap((org) => github.map((c) => `${org} ${c.id}`)),
    );
    // One session per organization, shared by its collectors.
    expect(new Set(targets.map((t) => t.session)).size).toBe(2);
  });
});

describeAws('GitHub credential in AWS Secrets Manager', () => {
  const secret = async (name: string, value: string) => {
    const client = new SecretsManagerClient(awsConfig());
    const { ARN } = await client.send(new CreateSecretCommand({ Name: name, SecretString: value }));
    client.destroy();
    return ARN ?? '';
  };

  it('reads a token and an App credential from the secret ARN', async () => {
    const tokenArn = await secret('proofline/github-token', '{"token":"ghs_from_secret"}');
    const appArn = await secret(
      'proofline/github-app',
      JSON.stringify({ appId: '5', privateKey: 'PEM', installationId: 6 }),
    );
    expect(await credentialFromSecret(tokenArn, {})).toEqual({ kind: 'token', token: 'ghs_from_secret' });
    expect(await credentialFromSecret(appArn, {})).toEqual({
      kind: 'app',
      appId: '5',
      privateKey: 'PEM',
      installationId: 6,
    });
  });

  it('explains a secret that does not exist', async () => {
    const arn = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:proofline/missing-AbCdEf';
    await expect(credentialFromSecret(arn, {})).rejects.toThrow(
      `cannot read secret ${arn}: ResourceNotFoundException`,
    );
  });

  it('authenticates with the secret, not the environment, when scope.github.secretArn is set', async () => {
    const arn = await secret('proofline/github-targets', 'ghp_plain_secret');
    const standIn = await startGitHubStandIn({ orgs: [emptyOrg('acme')], tokens: ['ghp_plain_secret'] });
    try {
      const [target] = await githubConnector.targets(
        [orgSettings],
        parse({ orgs: ['acme'], secretArn: arn, baseUrl: standIn.url }),
        { env: { GITHUB_TOKEN: 'ghp_not_this_one' } },
      );
      const snapshot = await orgSettings.collect(target?.session as GitHubSession, scopeOf('acme'));
      expect(snapshot.org).toBe('acme');
    } finally {
      await standIn.stop();
    }
  });
});
