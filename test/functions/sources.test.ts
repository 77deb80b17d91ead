import { generateKeyPairSync } from 'node:crypto';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ListInstancesCommand, SSOAdminClient } from '@aws-sdk/client-sso-admin';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { OrgSettingsSnapshot } from '../../collectors/github/org-settings/snapshot.ts';
import type { GoogleUsersSnapshot } from '../../collectors/identity/google/users/snapshot.ts';
import type { OktaPoliciesSnapshot } from '../../collectors/identity/okta/policies/snapshot.ts';
import type { OktaUsersSnapshot } from '../../collectors/identity/okta/users/snapshot.ts';
import { ENV } from '../../core/deployed.ts';
import type { Artifact } from '../../core/model.ts';
import { handler as evaluate } from '../../functions/evaluate.ts';
import { evidenceStore } from '../../functions/shared/store.ts';
import { handler as github } from '../../functions/sources/github.ts';
import { handler as google } from '../../functions/sources/google.ts';
import { handler as identityCenter } from '../../functions/sources/identity-center.ts';
import { handler as okta } from '../../functions/sources/okta.ts';
import { awsConfig, describeAws } from '../support/aws.ts';
import { emptyOrg, type GitHubStandIn, startGitHubStandIn, TOKEN } from '../support/github/index.ts';
import { goodOrg } from '../support/github/orgs.ts';
import {
  type GoogleStandIn,
  type StandIn,
  signOnRule,
  startGoogleStandIn,
  startOktaStandIn,
} from '../support/identity.ts';
import { capturePrinted, emfRecords, lambdaContext, useEmbeddedStore } from './support.ts';

vi.hoisted(() => {
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
});

const printed = capturePrinted();

useEmbeddedStore('proofline-sources-');
afterAll(() => {
  delete process.env[ENV.sourceConfig];
});

const useConfig = (section: unknown) => {
  process.env[ENV.sourceConfig] = JSON.stringify(section);
};

/** The newest artifact of a collector × scope in the function's store. */
async function latest(collector: string, scopeKey: string): Promise<Artifact> {
  const store = await evidenceStore();
  const ref = (await store.latestArtifacts(collector)).find((r) => r.scopeKey === scopeKey);
  if (!ref) throw new Error(`no artifact of ${collector} ${scopeKey}`);
  return (await store.getArtifact(ref.key)).artifact;
}

const metricNames = () =>
  emfRecords(printed()).flatMap((r) => r._aws.CloudWatchMetrics.flatMap((m) => m.Metrics.map((x) => x.Name)));

describe('source function input', () => {
  it('refuses collectors of other sources and unknown ones, naming the known ones', async () => {
    useConfig({ orgs: ['acme'] });
    await expect(github({ collectorId: 'google.users' })).rejects.toThrow(
      /unknown github collector google\.users \(known: github\.org\.settings, /,
    );
    await expect(github({ source: 'google', collectorId: 'github.repos' })).rejects.toThrow(
      'source google is not github',
    );
    await expect(github({ collectorId: 'github.repos', extra: 1 })).rejects.toThrow(
      /bad github collect request/,
    );
  });

  it('refuses a missing or invalid config section, naming the field', async () => {
    delete process.env[ENV.sourceConfig];
    await expect(github({ collectorId: 'github.repos' })).rejects.toThrow(
      `environment variable ${ENV.sourceConfig} is not set`,
    );
    useConfig({ orgs: ['acme/x'] });
    await expect(github({ collectorId: 'github.repos' })).rejects.toThrow(
      /scope\.github\.orgs\.0: must be an organization login/,
    );
  });
});

describeAws('source functions (credentials in moto Secrets Manager, embedded store)', () => {
  const secret = async (name: string, value: string) => {
    const client = new SecretsManagerClient(awsConfig());
    const { ARN } = await client.send(new CreateSecretCommand({ Name: name, SecretString: value }));
    client.destroy();
    return ARN ?? '';
  };

  describe('GitHub', () => {
    let standIn: GitHubStandIn;
    beforeAll(async () => {
      standIn = await startGitHubStandIn({
        orgs: [goodOrg(), emptyOrg('beta'), emptyOrg('gamma')],
        tokens: [TOKEN],
        secondaryRateLimit: { path: /^\/orgs\/gamma(\/|$)/, retryAfterSeconds: 3600 },
      });
    });
    afterAll(() => standIn.stop());

    it('collects one collector over every configured organization with the token from the secret', async () => {
      const secretArn = await secret('proofline/github', JSON.stringify({ token: TOKEN }));
      useConfig({ orgs: [goodOrg().org.login, 'beta'], baseUrl: standIn.url, secretArn });
      const result = await github(
        { source: 'github', collectorId: 'github.org.settings' },
        lambdaContext('123456789012', 'collect-github'),
      );
      expect(result).toMatchObject({ collector: 'github.org.settings', status: 'ok', errors: 0 });
      expect(result.keys).toHaveLength(2);
      expect(result.findings).toBeGreaterThan(0);
      for (const org of [goodOrg().org.login, 'beta']) {
        const artifact = await latest('github.org.settings', `${org}-global`);
        expect(artifact.status).toBe('ok');
        expect((artifact as Artifact & { snapshot: OrgSettingsSnapshot }).snapshot.org).toBe(org);
      }
      const store = await evidenceStore();
      expect(await store.getFindings(result.keys[0]!)).not.toBeNull();
      expect(metricNames()).toContain('Collections');
      expect(metricNames()).not.toContain('CollectionErrors');

      // The evaluate function judges the GitHub controls on it (GH-04 reads github.org.settings alone).
      const evaluated = await evaluate({}, lambdaContext());
      const gh04 = evaluated.transitions.find((t) => t.control === 'GH-04');
      expect(gh04?.from).toBeNull();
      expect(['passing', 'failing']).toContain(gh04?.to);
    });

    it('a secret that holds no credential is recorded as an error artifact for every organization, naming the problem', async () => {
      const secretArn = await secret('proofline/github-broken', '{"password": "hunter2"}');
      useConfig({ orgs: ['acme', 'beta'], baseUrl: standIn.url, secretArn });
      const result = await github({ collectorId: 'github.repos' });
      expect(result).toMatchObject({ status: 'error', errors: 2, findings: 0 });
      for (const org of ['acme', 'beta']) {
        const artifact = await latest('github.repos', `${org}-global`);
        expect(artifact.status).toBe('error');
        if (artifact.status !== 'error') throw new Error('unreachable');
        expect(artifact.error.message).toContain(`secret ${secretArn}: expected {"token": "…"}`);
        expect(artifact.error.message).not.toContain('hunter2');
      }
      expect(metricNames()).toContain('CollectionErrors');
    });

    it('a secret that does not exist is recorded too', async () => {
      const secretArn = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:proofline/none-AbCdEf';
      useConfig({ orgs: ['acme'], baseUrl: standIn.url, secretArn });
      const result = await github({ collectorId: 'github.audit-log' });
      expect(result.status).toBe('error');
      const artifact = await latest('github.audit-log', 'acme-global');
      expect(artifact.status === 'error' && artifact.error.message).toContain(
        `cannot read secret ${secretArn}: ResourceNotFoundException`,
      );
    });

    it('a rate limit that outlasts the client’s waits is recorded, then thrown as CollectorThrottled for the state machine to retry', async () => {
      const secretArn = await secret('proofline/github-throttled', TOKEN);
      useConfig({ orgs: ['gamma'], baseUrl: standIn.url, secretArn });
      await expect(github({ collectorId: 'github.org.members' })).rejects.toMatchObject({
        name: 'CollectorThrottled',
        message: expect.stringContaining('secondary rate limit'),
      });
      expect((await latest('github.org.members', 'gamma-global')).status).toBe('error');
      expect(metricNames()).toContain('CollectionThrottled');
    });

    it('with a scope in the request, collects and records that organization only', async () => {
      const secretArn = await secret('proofline/github-one', JSON.stringify({ token: TOKEN }));
      useConfig({ orgs: ['beta', 'acme-unknown'], baseUrl: standIn.url, secretArn });
      const result = await github({
        source: 'github',
        collectorId: 'github.repos',
        scope: { source: 'github', id: 'beta' },
      });
      expect(result).toMatchObject({ status: 'ok', errors: 0 });
      expect(result.keys).toHaveLength(1);
      expect(result.keys[0]).toMatch(/collector=github\.repos\/scope=beta-global\//);
      await expect(
        github({ collectorId: 'github.repos', scope: { source: 'github', id: 'other' } }),
      ).rejects.toThrow('scope other-global is not in the config (beta-global, acme-unknown-global)');
      const caught = await github({
        collectorId: 'github.repos',
        scope: { source: 'github', id: 'acme-unknown' },
        failure: { Error: 'Sandbox.Timedout', Cause: 'timed out' },
      });
      expect(caught).toMatchObject({ status: 'error', errors: 1 });
      expect((await latest('github.repos', 'beta-global')).status).toBe('ok'); // untouched
    });

    it('a failure the state machine caught is recorded against every configured organization', async () => {
      useConfig({
        orgs: ['acme', 'beta'],
        secretArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:x',
      });
      const cause = JSON.stringify({
        errorType: 'Error',
        errorMessage: 'Task timed out after 900.00 seconds',
      });
      const result = await github({
        source: 'github',
        collectorId: 'github.pull-requests',
        failure: { Error: 'Sandbox.Timedout', Cause: cause },
      });
      expect(result).toMatchObject({ status: 'error', errors: 2 });
      const artifact = await latest('github.pull-requests', 'beta-global');
      expect(artifact.status === 'error' && [artifact.error.code, artifact.error.message]).toEqual([
        'Sandbox.Timedout',
        'Task timed out after 900.00 seconds',
      ]);
    });
  });

  describe('IAM Identity Center', () => {
    it('reads the configured instance with the function’s own AWS credentials (no secret)', async () => {
      const sso = new SSOAdminClient(awsConfig());
      const instanceArn = (await sso.send(new ListInstancesCommand({}))).Instances?.[0]?.InstanceArn ?? '';
      sso.destroy();
      const id = instanceArn.split('/').at(-1);
      useConfig({ instanceArn, region: 'us-east-1' });
      const result = await identityCenter({
        source: 'identity-center',
        collectorId: 'identity-center.access',
        scope: { source: 'identity-center', id, region: 'us-east-1' },
      });
      expect(result).toMatchObject({ status: 'ok', errors: 0 });
      const artifact = await latest('identity-center.access', `${id}-us-east-1`);
      expect(artifact.status).toBe('ok');
    });
  });

  describe('Google Workspace', () => {
    let standIn: GoogleStandIn;
    const ADMIN = 'admin@acme.example';
    beforeAll(async () => {
      standIn = await startGoogleStandIn({
        adminEmail: ADMIN,
        users: [
          {
            id: '1',
            primaryEmail: ADMIN,
            isAdmin: true,
            isEnrolledIn2Sv: true,
            isEnforcedIn2Sv: true,
            creationTime: '2025-01-01T00:00:00.000Z',
            lastLoginTime: new Date(Date.now() - 7 * 86_400_000).toISOString(),
          },
        ],
      });
    });
    afterAll(() => standIn.close());

    const config = (secretArn: string) => ({
      domain: 'acme.example',
      adminEmail: ADMIN,
      tokenUrl: `${standIn.url}/token`,
      apiRootUrl: standIn.url,
      secretArn,
    });

    it('collects the directory with the service account key from the secret', async () => {
      const secretArn = await secret(
        'proofline/google',
        JSON.stringify({ GOOGLE_SERVICE_ACCOUNT_KEY: JSON.stringify(standIn.serviceAccountKey) }),
      );
      useConfig(config(secretArn));
      const result = await google({ source: 'google', collectorId: 'google.users' });
      expect(result).toMatchObject({ status: 'ok', errors: 0 });
      const artifact = await latest('google.users', 'acme.example-global');
      expect(artifact.status).toBe('ok');
      const snapshot = (artifact as Artifact & { snapshot: GoogleUsersSnapshot }).snapshot;
      expect(snapshot.users.map((u) => u.primaryEmail)).toEqual([ADMIN]);
    });

    it('a secret that is not a JSON object of credentials is recorded as an error artifact', async () => {
      const secretArn = await secret('proofline/google-broken', 'not json');
      useConfig(config(secretArn));
      const result = await google({ collectorId: 'google.users' });
      expect(result.status).toBe('error');
      const artifact = await latest('google.users', 'acme.example-global');
      expect(artifact.status === 'error' && artifact.error.message).toBe(
        `secret ${secretArn} is not a JSON object of credential names to values`,
      );
    });
  });

  describe('Okta', () => {
    let standIn: StandIn;
    const OKTA_TOKEN = 'okta-ssws-token';
    const serviceKey = generateKeyPairSync('rsa', { modulusLength: 2048 });
    beforeAll(async () => {
      standIn = await startOktaStandIn({
        token: OKTA_TOKEN,
        serviceApp: {
          clientId: '0oaproofline',
          publicKeyPem: serviceKey.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
        },
        users: [
          {
            id: '00ua',
            login: 'alice@acme.example',
            status: 'ACTIVE',
            created: '2025-01-01T00:00:00.000Z',
            // The function judges with the real clock: a sign-in a week before it.
            lastLogin: new Date(Date.now() - 7 * 86_400_000).toISOString(),
            factors: [{ factorType: 'token:software:totp', provider: 'GOOGLE', status: 'ACTIVE' }],
            roles: ['SUPER_ADMIN'],
          },
        ],
        policies: [
          {
            id: '00p1',
            type: 'OKTA_SIGN_ON',
            name: 'Default Policy',
            status: 'ACTIVE',
            rules: [signOnRule('0pr1', 'Default Rule', true)],
          },
        ],
      });
    });
    afterAll(() => standIn.close());
    afterEach(() => standIn.requests.splice(0));
    const scopeKey = () => `${new URL(standIn.url).hostname}-global`;

    it('collects the org with the API token from the secret', async () => {
      const secretArn = await secret('proofline/okta', JSON.stringify({ OKTA_API_TOKEN: OKTA_TOKEN }));
      useConfig({ orgUrl: standIn.url, secretArn });
      const result = await okta({ source: 'okta', collectorId: 'okta.users' }, lambdaContext());
      expect(result).toMatchObject({ collector: 'okta.users', status: 'ok', errors: 0, failing: 0 });
      const artifact = await latest('okta.users', scopeKey());
      expect(artifact.status).toBe('ok');
      const snapshot = (artifact as Artifact & { snapshot: OktaUsersSnapshot }).snapshot;
      expect(snapshot.users.map((u) => [u.login, u.adminRoles, u.factors.length])).toEqual([
        ['alice@acme.example', ['SUPER_ADMIN'], 1],
      ]);
    });

    it('collects with an API service app’s private key from the secret (one token for the collection)', async () => {
      const secretArn = await secret(
        'proofline/okta-service-app',
        JSON.stringify({
          OKTA_CLIENT_ID: '0oaproofline',
          OKTA_PRIVATE_KEY: serviceKey.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
        }),
      );
      useConfig({ orgUrl: standIn.url, secretArn });
      const result = await okta({ collectorId: 'okta.policies' });
      expect(result).toMatchObject({ status: 'ok', errors: 0 });
      const artifact = await latest('okta.policies', scopeKey());
      const snapshot = (artifact as Artifact & { snapshot: OktaPoliciesSnapshot }).snapshot;
      expect(snapshot.signOnPolicies.map((p) => [p.name, p.rules.map((r) => r.requiresMfa)])).toEqual([
        ['Default Policy', [true]],
      ]);
      expect(standIn.requests.filter((r) => r.path === '/oauth2/v1/token')).toHaveLength(1);
    });

    it('a refused token is recorded as an error artifact with the HTTP status and the operation', async () => {
      const secretArn = await secret(
        'proofline/okta-refused',
        JSON.stringify({ OKTA_API_TOKEN: 'ssws-revoked-value' }),
      );
      useConfig({ orgUrl: standIn.url, secretArn });
      const result = await okta({ collectorId: 'okta.users' });
      expect(result).toMatchObject({ status: 'error', errors: 1 });
      const artifact = await latest('okta.users', scopeKey());
      expect(artifact).toMatchObject({
        status: 'error',
        error: { code: 'Unauthorized', httpStatus: 401, operation: 'listUsers' },
      });
      expect(JSON.stringify(artifact)).not.toContain('ssws-revoked-value');
    });
  });
});
