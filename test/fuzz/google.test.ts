import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { googleRunnableCollectors as collectors } from '../../collectors/identity/google/collect.ts';
import { googleSession } from '../../collectors/identity/google/session.ts';
import { collectArtifact } from '../../core/pipeline.ts';
import { type GoogleStandIn, startGoogleStandIn } from '../../demo/identity-stand-ins/google.ts';
import { startMutatingProxy } from './mutating-proxy.ts';
import { expectSnapshotOrNamedFailure } from './outcome.ts';

/**
 * Each Google Workspace collector on Directory API (and token) answers with random damage at any depth, seeded:
 * a collection ends in a snapshot or in an error artifact that says what was malformed, never in a crash.
 */
const AT = new Date('2026-11-27T12:00:00.000Z');
const ADMIN = 'admin@acme.example';
const daysBefore = (days: number) => new Date(AT.getTime() - days * 86_400_000).toISOString();

describe('fuzz: Google Workspace collectors on malformed answers', () => {
  let google: GoogleStandIn;
  let proxy: Awaited<ReturnType<typeof startMutatingProxy>>;
  beforeAll(async () => {
    // Two users a page: damage lands on the token, on a page's envelope and on any user of any page.
    google = await startGoogleStandIn({
      adminEmail: ADMIN,
      maxPageSize: 2,
      users: ['admin', 'bea', 'cal', 'dee', 'eve'].map((name, i) => ({
        id: String(i + 1),
        primaryEmail: `${name}@acme.example`,
        isAdmin: i === 0 || i === 4,
        suspended: i === 3,
        isEnrolledIn2Sv: i !== 2,
        isEnforcedIn2Sv: i < 2,
        lastLoginTime: i === 2 ? null : daysBefore(i * 40 + 1),
        creationTime: '2025-01-01T00:00:00.000Z',
      })),
    });
    proxy = await startMutatingProxy(google.url, 0.3);
  });
  afterAll(async () => {
    await proxy?.stop();
    await google?.close();
  });

  for (const collector of collectors) {
    it(`${collector.id}: a snapshot or an error naming what was malformed`, async () => {
      const damagedBefore = proxy.mutated();
      await fc.assert(
        fc.asyncProperty(fc.integer(), async (seed) => {
          proxy.reseed(seed);
          const session = googleSession({
            serviceAccount: google.serviceAccountKey,
            adminEmail: ADMIN,
            tokenUrl: `${proxy.url}/token`,
            apiRootUrl: proxy.url,
          });
          const artifact = await collectArtifact(
            { collector, scope: { source: 'google', id: 'acme.example' }, session },
            AT,
          );
          expectSnapshotOrNamedFailure(artifact);
        }),
        { seed: 19, numRuns: 25 },
      );
      // The collector read damaged answers: without them every run would pass.
      expect(proxy.mutated()).toBeGreaterThan(damagedBefore);
    }, 120_000);
  }
});
