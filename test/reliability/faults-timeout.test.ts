import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AwsSession } from '../../collectors/aws/session.ts';
import { runnableCollectors as registry } from '../../collectors/collect.ts';
import { entraSession } from '../../collectors/identity/entra/session.ts';
import { googleSession } from '../../collectors/identity/google/session.ts';
import type { AnyRunnableCollector } from '../../core/collector.ts';
import type { Artifact, Scope } from '../../core/model.ts';
import { collectArtifact } from '../../core/pipeline.ts';
import { emulatorEnv } from '../../demo/moto.ts';
import { describeAws, motoEndpoint } from '../support/aws.ts';
import { type FaultProxy, startFaultProxy, type Vendor } from '../support/fault-proxy.ts';
import { startEntraStandIn, startGoogleStandIn } from '../support/identity.ts';

/**
 * A call that never answers: every request stalls at the proxy (for far longer than the test runs). Each
 * client abandons each attempt at its request timeout, retries, and gives up; the collection is recorded as an
 * error artifact naming the call, in bounded time.
 */
const AT = new Date('2026-11-27T12:00:00.000Z');
const STALL_MS = 600_000;
// Long enough for a request to reach the proxy on a loaded machine before the client gives it up: the proxy
// counts each stalled attempt, and an attempt abandoned before it arrived would not be counted.
const TIMEOUT_MS = 1_000;
const noWait = async () => {};

const collector = (id: string) => registry.find((c) => c.id === id) as AnyRunnableCollector;

async function stalled(upstream: string, vendor: Vendor): Promise<FaultProxy> {
  return startFaultProxy({
    upstream,
    vendor,
    rate: 1,
    seed: 1,
    kinds: ['timeout'],
    stallMs: STALL_MS,
    tls: upstream.startsWith('https:'),
  });
}

/** The artifact of one collection, and how long it took. */
async function timed(collectorId: string, scope: Scope, session: unknown) {
  const started = performance.now();
  const artifact: Artifact = await collectArtifact({ collector: collector(collectorId), scope, session }, AT);
  return { artifact, seconds: (performance.now() - started) / 1000 };
}

describeAws('a call that never answers (AWS)', () => {
  let proxy: FaultProxy;
  const saved = { ...process.env };
  beforeAll(async () => {
    proxy = await stalled(motoEndpoint(), 'aws');
    Object.assign(process.env, emulatorEnv(proxy.url));
  });
  afterAll(async () => {
    process.env = saved;
    await proxy.stop();
  });

  it('fails after six attempts, each abandoned at the request timeout, as an error artifact naming the call', async () => {
    const session = new AwsSession({ requestTimeoutMs: TIMEOUT_MS });
    const { artifact, seconds } = await timed(
      'aws.kms.keys',
      { source: 'aws', id: '123456789012', region: 'us-east-1' },
      session,
    );
    expect(artifact).toMatchObject({ status: 'error', error: { operation: 'KMS.ListKeys' } });
    expect(proxy.counts.faults.timeout).toBe(6);
    expect(seconds).toBeLessThan(30);
  }, 60_000);
});

describe('a call that never answers (identity providers)', () => {
  it('Entra ID: each attempt abandoned, six in all, an error artifact naming the call', async () => {
    const entra = await startEntraStandIn({
      tenantId: 'contoso.example',
      clientId: 'c',
      clientSecret: 's',
      users: [],
    });
    const proxy = await stalled(entra.url, 'graph');
    try {
      const session = entraSession({
        tenantId: 'contoso.example',
        clientId: 'c',
        clientSecret: 's',
        authorityHost: proxy.url,
        graphBaseUrl: proxy.url,
        ...(proxy.ca ? { ca: proxy.ca } : {}),
        requestTimeoutMs: TIMEOUT_MS,
        sleep: noWait,
      });
      const { artifact, seconds } = await timed(
        'entra.conditional-access',
        { source: 'entra', id: 'contoso.example' },
        session,
      );
      expect(artifact).toMatchObject({
        status: 'error',
        error: { operation: 'listConditionalAccessPolicies' },
      });
      expect(artifact.status === 'error' && artifact.error.httpStatus).toBeUndefined();
      // A token endpoint that never answers is no refused credential.
      expect(artifact.status === 'error' && artifact.error.message).not.toMatch(/credentials are wrong/);
      expect(proxy.counts.faults.timeout).toBe(6);
      expect(seconds).toBeLessThan(30);
    } finally {
      await proxy.stop();
      await entra.close();
    }
  }, 60_000);

  it('Google Workspace: the token exchange abandoned at the timeout, an error artifact naming the call', async () => {
    const google = await startGoogleStandIn({ adminEmail: 'admin@acme.example', users: [] });
    const proxy = await stalled(google.url, 'google');
    try {
      const session = googleSession({
        serviceAccount: google.serviceAccountKey,
        adminEmail: 'admin@acme.example',
        tokenUrl: `${proxy.url}/token`,
        apiRootUrl: proxy.url,
        requestTimeoutMs: TIMEOUT_MS,
      });
      const { artifact, seconds } = await timed(
        'google.users',
        { source: 'google', id: 'acme.example' },
        session,
      );
      expect(artifact).toMatchObject({ status: 'error', error: { operation: 'users.list' } });
      expect(proxy.counts.faults.timeout).toBeGreaterThanOrEqual(1);
      expect(seconds).toBeLessThan(40);
    } finally {
      await proxy.stop();
      await google.close();
    }
  }, 60_000);
});
