import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runnableCollectors as collectors } from '../../collectors/collect.ts';
import { githubConnector, policyOf, sessionFor } from '../../collectors/github/connector.ts';
import { oktaSession } from '../../collectors/identity/okta/session.ts';
import { collectArtifact } from '../../core/pipeline.ts';
import { startGitHubStandIn } from '../../demo/github-stand-in.ts';
import { startOktaDemo } from '../../demo/identity-demo.ts';
import { acmeSeed, DEMO_GITHUB_ORG, DEMO_GITHUB_TOKEN } from '../../demo/seed-github.ts';
import { startMutatingProxy } from './mutating-proxy.ts';
import { expectSnapshotOrNamedFailure } from './outcome.ts';

/**
 * Each GitHub and Okta collector's response parsing on answers shaped like the vendor's with random damage
 * (a field dropped, a value of another type), seeded: a collection ends in a snapshot or in an error artifact
 * that says what was malformed, never in a crash (a TypeError out of the collector).
 */
const AT = new Date('2026-11-27T12:00:00.000Z');

describe('fuzz: collectors on malformed vendor answers', () => {
  let stop: (() => Promise<void>)[] = [];
  let github: Awaited<ReturnType<typeof startMutatingProxy>>;
  let okta: Awaited<ReturnType<typeof startMutatingProxy>>;
  let oktaToken: string;
  beforeAll(async () => {
    const gh = await startGitHubStandIn({ ...acmeSeed(AT), rateLimit: 1_000_000 });
    const ok = await startOktaDemo(AT);
    oktaToken = ok.env.OKTA_API_TOKEN;
    // Damage lands at any depth: the GitHub client refuses an answer not of the shape its plugins read, and
    // every collector reads the fields inside through a schema.
    github = await startMutatingProxy(gh.url, 0.3);
    okta = await startMutatingProxy(ok.url, 0.3);
    stop = [github.stop, okta.stop, gh.stop, ok.close];
  });
  afterAll(async () => {
    for (const s of stop) await s();
  });

  const sessionOf = (source: string) => {
    if (source === 'okta') return oktaSession(okta.url, { kind: 'token', token: oktaToken });
    const config = githubConnector.schema.parse({ orgs: [DEMO_GITHUB_ORG], baseUrl: github.url });
    return sessionFor(
      { credential: { kind: 'token', token: DEMO_GITHUB_TOKEN }, baseUrl: github.url },
      DEMO_GITHUB_ORG,
      policyOf(config),
      () => AT,
    );
  };

  for (const collector of collectors.filter((c) => c.source === 'github' || c.source === 'okta')) {
    it(`${collector.id}: a snapshot or an error naming what was malformed`, async () => {
      const proxy = collector.source === 'okta' ? okta : github;
      const damagedBefore = proxy.mutated();
      await fc.assert(
        fc.asyncProperty(fc.integer(), async (seed) => {
          proxy.reseed(seed);
          const scope = {
            source: collector.source,
            id: collector.source === 'okta' ? '127.0.0.1' : DEMO_GITHUB_ORG,
          };
          const artifact = await collectArtifact(
            { collector, scope, session: sessionOf(collector.source) },
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
