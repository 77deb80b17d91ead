import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runnableCollectors as collectors } from '../../../collectors/collect.ts';
import type { Finding } from '../../../core/model.ts';
import {
  findingsOf,
  type GitHubStandIn,
  scopeOf,
  startGitHubStandIn,
  TOKEN,
  tokenSession,
} from '../../support/github/index.ts';
import { BAD, badOrg, GOOD, goodOrg, POLICY } from '../../support/github/orgs.ts';

const github = collectors.filter((c) => c.source === 'github');

// Prepare: one stand-in serving a compliant and a non-compliant organization; every GitHub collector reads
// both with the real Octokit, and every check runs on the resulting snapshots.
let standIn: GitHubStandIn;
const findings: Record<string, Finding[]> = { [GOOD]: [], [BAD]: [] };
beforeAll(async () => {
  standIn = await startGitHubStandIn({ orgs: [goodOrg(), badOrg()], tokens: [TOKEN] });
  for (const org of [GOOD, BAD]) {
    const session = tokenSession(standIn, org, POLICY);
    for (const collector of github) {
      const snapshot = await collector.collect(session, scopeOf(org));
      findings[org]?.push(...findingsOf(collector, org, snapshot));
    }
  }
});
afterAll(() => standIn.stop());

describe('GitHub checks on seeded organizations', () => {
  it('cover at least 24 checks', () => {
    expect(github.flatMap((c) => c.checks).length).toBeGreaterThanOrEqual(24);
  });

  for (const check of github.flatMap((c) => c.checks)) {
    describe(check.id, () => {
      it('passes on the compliant organization', () => {
        const mine = findings[GOOD]?.filter((f) => f.check === check.id) ?? [];
        expect(mine.filter((f) => f.status === 'fail')).toEqual([]);
        expect(mine.some((f) => f.status === 'pass')).toBe(true);
      });
      it('fails on the non-compliant organization', () => {
        const failing = findings[BAD]?.filter((f) => f.check === check.id && f.status === 'fail') ?? [];
        expect(failing.length).toBeGreaterThan(0);
        for (const f of failing) expect(f.reason).not.toBe('');
      });
    });
  }

  it('names the non-compliant merges and the members without 2FA', () => {
    const failing = (check: string) =>
      findings[BAD]?.filter((f) => f.check === check && f.status === 'fail').map((f) => f.resource);
    expect(failing('github.pr.independent-approval')).toEqual(['bad/svc#9', 'bad/svc#10']);
    expect(failing('github.org.members-2fa')).toEqual(['bad/members/nofa']);
    expect(failing('github.repo.branch-protection')).toEqual(['bad/open']);
    const weakening = findings[BAD]?.filter((f) => f.check === 'github.audit-log.policy-weakening') ?? [];
    expect(weakening.map((f) => `${f.status} ${f.resource} ${f.reason.split(' ')[0]}`)).toEqual([
      'fail bad org.disable_two_factor_requirement',
      'fail bad/open repo.access',
    ]);
  });

  it('judges archived repositories not applicable, except for visibility and archiving', () => {
    const attic = findings[GOOD]?.filter((f) => f.resource === 'good/attic') ?? [];
    expect(
      attic
        .filter((f) => f.status === 'pass')
        .map((f) => f.check)
        .sort(),
    ).toEqual([
      'github.org.outside-collaborator-admin',
      'github.repo.inactive-archived',
      'github.repo.public-visibility',
    ]);
    expect(attic.filter((f) => f.status === 'fail')).toEqual([]);
  });
});
