import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runnableCollectors } from '../../collectors/collect.ts';
import { entraSession } from '../../collectors/identity/entra/session.ts';
import { collectArtifact } from '../../core/pipeline.ts';
import { caPolicy, type EntraSeed, startEntraStandIn } from '../../demo/identity-stand-ins/entra.ts';
import { type FaultProxy, startFaultProxy } from '../support/fault-proxy.ts';
import { startMutatingProxy } from './mutating-proxy.ts';
import { expectSnapshotOrNamedFailure } from './outcome.ts';

/**
 * Each Entra ID collector on Graph answers shaped like the vendor's with random damage at any depth (a field
 * dropped, a value of another type), seeded: a collection ends in a snapshot or in an error artifact that says
 * what was malformed, never in a crash. Stricter than "no TypeError": apiCall records whatever the Graph client
 * throws as a failed request, so a crash inside it would pass as `RequestFailed`; here only a malformed answer,
 * or an HTTP answer to a request a damaged id led to, may end a collection.
 */
const AT = new Date('2026-11-27T12:00:00.000Z');
const TENANT = 'contoso.example';
const GLOBAL_ADMIN = '62e90394-69f5-4237-9190-012177145e10';
const daysAgo = (n: number) => new Date(AT.getTime() - n * 86_400_000).toISOString();

const seed: EntraSeed = {
  tenantId: TENANT,
  clientId: 'proofline-reader',
  clientSecret: 'fuzz-secret',
  // Two to a page: damage also lands on @odata.nextLink and on later pages.
  maxPageSize: 2,
  users: [
    {
      id: 'u1',
      userPrincipalName: 'adele@contoso.example',
      accountEnabled: true,
      createdDateTime: daysAgo(400),
      lastSignInDateTime: daysAgo(2),
      mfa: { capable: true, methods: ['microsoftAuthenticatorPush'] },
    },
    {
      id: 'u2',
      userPrincipalName: 'brian@contoso.example',
      accountEnabled: true,
      createdDateTime: daysAgo(300),
      lastSignInDateTime: daysAgo(120),
      mfa: { capable: false, methods: [] },
    },
    {
      id: 'u3',
      userPrincipalName: 'partner_x.example#EXT#@contoso.example',
      mail: 'pat@partner.example',
      userType: 'Guest',
      accountEnabled: true,
      createdDateTime: daysAgo(50),
      mfa: null,
    },
    {
      id: 'u4',
      userPrincipalName: 'old@contoso.example',
      accountEnabled: false,
      createdDateTime: daysAgo(900),
      mfa: null,
    },
  ],
  roles: [
    { id: 'r1', displayName: 'Global Administrator', roleTemplateId: GLOBAL_ADMIN, memberIds: ['u1', 'u3'] },
    {
      id: 'r2',
      displayName: 'Reports Reader',
      roleTemplateId: '4a5d8f65-41da-4de4-8968-e035b65339cf',
      memberIds: ['u2', 'sp1'],
    },
  ],
  policies: [
    caPolicy('p1', 'Require MFA for admins', { includeRoles: [GLOBAL_ADMIN] }),
    caPolicy('p2', 'Require MFA for everyone', { includeUsers: ['All'], excludeUsers: ['u4'] }),
    caPolicy('p3', 'Compliant device or MFA', {
      includeUsers: ['All'],
      builtInControls: ['mfa', 'compliantDevice'],
      state: 'enabledForReportingButNotEnforced',
    }),
  ],
};

describe('fuzz: Entra ID collectors on malformed Graph answers', () => {
  let standIn: Awaited<ReturnType<typeof startEntraStandIn>>;
  let graph: Awaited<ReturnType<typeof startMutatingProxy>>;
  let tls: FaultProxy;
  beforeAll(async () => {
    standIn = await startEntraStandIn(seed);
    graph = await startMutatingProxy(standIn.url, 0.3);
    // The Graph client sends its token over HTTPS only: a fault-free HTTPS relay in front of the mutating
    // proxy. Tokens come from the stand-in itself (MSAL refuses a plain-HTTP authority too).
    tls = await startFaultProxy({ upstream: graph.url, rate: 0, seed: 19, tls: true });
  });
  afterAll(async () => {
    await tls?.stop();
    await graph?.stop();
    await standIn?.close();
  });

  const session = () =>
    entraSession({
      tenantId: TENANT,
      clientId: seed.clientId,
      clientSecret: seed.clientSecret,
      authorityHost: standIn.url,
      graphBaseUrl: tls.url,
      ca: `${standIn.ca}${tls.ca}`,
      maxRetries: 0,
    });

  for (const collector of runnableCollectors.filter((c) => c.source === 'entra')) {
    it(`${collector.id}: a snapshot or an error naming what was malformed`, async () => {
      const damagedBefore = graph.mutated();
      await fc.assert(
        fc.asyncProperty(fc.integer(), async (run) => {
          graph.reseed(run);
          const artifact = await collectArtifact(
            { collector, scope: { source: 'entra', id: TENANT }, session: session() },
            AT,
          );
          expectSnapshotOrNamedFailure(artifact);
          if (artifact.status === 'error')
            expect(artifact.error.message).toMatch(
              /^entra \w+ (returned a malformed response|failed with HTTP \d+): /,
            );
        }),
        { seed: 19, numRuns: 25 },
      );
      // The collector read damaged answers: without them every run would pass.
      expect(graph.mutated()).toBeGreaterThan(damagedBefore);
    }, 120_000);
  }
});
