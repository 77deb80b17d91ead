import { readFile } from 'node:fs/promises';
import { Ajv } from 'ajv';
import { afterEach, describe, expect, it } from 'vitest';
import { runnableCollectors as collectors } from '../../../collectors/collect.ts';
import { acmeSeed, DEMO_GITHUB_ORG, DEMO_GITHUB_TOKEN } from '../../../demo/seed-github.ts';
import {
  findingsOf,
  type GitHubStandIn,
  NOW,
  scopeOf,
  startGitHubStandIn,
  TOKEN,
  tokenSession,
} from '../../support/github/index.ts';
import { badOrg, goodOrg } from '../../support/github/orgs.ts';

let standIn: GitHubStandIn | undefined;
afterEach(async () => {
  await standIn?.stop();
  standIn = undefined;
});

describe('GitHub stand-in', () => {
  it('serves audit-log events that match the audit-log-event schema of the GHEC description', async () => {
    // The other endpoints are typed at compile time; the audit log is only in ghec.json, so check it here.
    const schema = JSON.parse(
      await readFile(new URL('../../fixtures/github/audit-log-event.schema.json', import.meta.url), 'utf8'),
    );
    const validate = new Ajv({ strict: false }).compile({ type: 'array', items: schema });
    standIn = await startGitHubStandIn({
      orgs: [...acmeSeed(NOW).orgs, goodOrg(), badOrg()],
      tokens: [TOKEN],
    });
    for (const org of ['acme', 'good', 'bad']) {
      const response = await fetch(`${standIn.url}/orgs/${org}/audit-log?per_page=100`, {
        headers: { authorization: `token ${TOKEN}` },
      });
      const events = (await response.json()) as unknown[];
      expect(events.length).toBeGreaterThan(0);
      expect(validate(events), JSON.stringify(validate.errors)).toBe(true);
    }
    // And the schema has teeth: a wrongly typed field is rejected.
    expect(validate([{ action: 'org.update_member', '@timestamp': 'yesterday' }])).toBe(false);
  });

  it("answers 401 without a known token and 404 for an unknown path, in GitHub's error shape", async () => {
    standIn = await startGitHubStandIn({ orgs: [goodOrg()], tokens: [TOKEN] });
    const unauthenticated = await fetch(`${standIn.url}/orgs/good`);
    expect(unauthenticated.status).toBe(401);
    expect(await unauthenticated.json()).toEqual({
      message: 'Bad credentials',
      documentation_url: 'https://docs.github.com/rest',
      status: '401',
    });
    const unknown = await fetch(`${standIn.url}/orgs/good/nothing-here`, {
      headers: { authorization: `token ${TOKEN}` },
    });
    expect(unknown.status).toBe(404);
  });
});

describe('the demo organization "acme"', () => {
  it('shows unprotected repositories, a member without 2FA and a self-merged change', async () => {
    standIn = await startGitHubStandIn(acmeSeed(NOW));
    const failing = new Map<string, string[]>();
    for (const collector of collectors.filter((c) => c.source === 'github')) {
      const snapshot = await collector.collect(
        tokenSession(standIn, DEMO_GITHUB_ORG, { approvedPublicRepos: ['docs'] }, DEMO_GITHUB_TOKEN),
        scopeOf(DEMO_GITHUB_ORG),
      );
      for (const f of findingsOf(collector, DEMO_GITHUB_ORG, snapshot))
        if (f.status === 'fail') failing.set(f.check, [...(failing.get(f.check) ?? []), f.resource]);
    }
    expect(failing.get('github.repo.branch-protection')).toEqual(['acme/legacy', 'acme/web']);
    expect(failing.get('github.org.members-2fa')).toEqual(['acme/members/carol']);
    expect(failing.get('github.pr.independent-approval')).toEqual(['acme/api#42']);
    expect(failing.has('github.org.base-permission')).toBe(false);
  });
});
