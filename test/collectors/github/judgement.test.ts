import { describe, expect, it } from 'vitest';
import { ok } from '../../../collectors/github/readable.ts';
import { enforced, pullRequestRule, ruleWith } from '../../../collectors/github/repos/branch-rules.ts';
import {
  dependabotOpenAlerts,
  enforceAdmins,
  requiredReviews,
} from '../../../collectors/github/repos/checks.ts';
import type {
  ClassicProtection,
  RepoDetails,
  RepoSnapshot,
  ReposSnapshot,
} from '../../../collectors/github/repos/snapshot.ts';
import { DEFAULT_POLICY } from '../../../collectors/github/session.ts';
import { toWebhook, webhookProblem } from '../../../collectors/github/webhook.ts';
import { ago, NOW, scopeOf } from '../../support/github/index.ts';

// Pure judgement on hand-written snapshots: the edges the seeded organizations do not reach.

const gap = {
  ok: false as const,
  gap: { endpoint: 'GET /x', status: 403, message: 'Resource not accessible by integration' },
};
const noProtection: ClassicProtection = {
  requiredApprovals: null,
  dismissStaleReviews: false,
  requireCodeOwnerReviews: false,
  requireLastPushApproval: false,
  statusChecks: null,
  enforceAdmins: false,
  requiredSignatures: false,
  linearHistory: false,
  allowForcePushes: true,
  allowDeletions: true,
  conversationResolution: false,
};

function details(overrides: Partial<RepoDetails>): RepoDetails {
  return {
    deleteBranchOnMerge: true,
    security: ok({ secretScanning: true, pushProtection: true, dependabotSecurityUpdates: true }),
    classicProtection: ok(null),
    branchRules: ok([]),
    rulesets: ok([]),
    codeowners: ok({ errors: 0 }),
    securityPolicy: null,
    dependabotAlerts: ok(true),
    openAlerts: ok([]),
    codeScanning: ok({ enabled: true, lastAnalysisAt: NOW.toISOString() }),
    deployKeys: ok([]),
    webhooks: ok([]),
    actions: ok({ enabled: true, allowedActions: 'selected' }),
    workflowPermissions: ok({ defaultWorkflowPermissions: 'read', canApprovePullRequestReviews: false }),
    immutableReleases: ok(true),
    ...overrides,
  };
}

const snapshotWith = (d: RepoDetails, policy = DEFAULT_POLICY): ReposSnapshot => {
  const repo: RepoSnapshot = {
    name: 'svc',
    visibility: 'private',
    archived: false,
    fork: false,
    defaultBranch: 'main',
    createdAt: ago(100),
    pushedAt: ago(1),
    details: d,
  };
  return { org: 'acme', policy, repositories: [repo] };
};
const context = { asOf: NOW, scope: scopeOf('acme') };

describe('default-branch settings from classic protection and rulesets', () => {
  const approvals = pullRequestRule(
    'required_approving_review_count',
    (v) => typeof v === 'number' && v >= 2,
  );
  const classicApprovals = (c: ClassicProtection) => ((c.requiredApprovals ?? 0) >= 2 ? 'classic' : false);
  const rule = (count: number) => ({
    type: 'pull_request',
    rulesetId: 3,
    source: 'acme',
    parameters: { required_approving_review_count: count },
  });

  it('passes when either source enforces the setting, even if the other is unreadable', () => {
    expect(
      enforced(
        details({ classicProtection: gap, branchRules: ok([rule(2)]) }),
        'reviews',
        classicApprovals,
        approvals,
      ),
    ).toEqual([true, 'reviews: enforced by ruleset 3 (acme)']);
  });

  it('fails, naming the unreadable source, when the readable one does not enforce it', () => {
    const [result, reason] = enforced(
      details({ classicProtection: gap, branchRules: ok([rule(1)]) }),
      'reviews',
      classicApprovals,
      approvals,
    );
    expect(result).toBe(false);
    expect(reason).toMatch(
      /not enforced by any ruleset, and classic branch protection could not be read .*403/,
    );
    const [r2, reason2] = enforced(
      details({ classicProtection: ok({ ...noProtection, requiredApprovals: 1 }), branchRules: gap }),
      'reviews',
      classicApprovals,
      approvals,
    );
    expect(r2).toBe(false);
    expect(reason2).toMatch(/not enforced by classic protection, and branch rulesets could not be read/);
  });

  it('matches rules by type and parameters', () => {
    expect(ruleWith('deletion')([{ type: 'deletion', rulesetId: 1, source: '', parameters: null }])).toBe(
      'ruleset 1 (repository)',
    );
    expect(ruleWith('deletion')([{ type: 'creation', rulesetId: 1, source: '', parameters: null }])).toBe(
      false,
    );
  });

  it('requires the configured number of approvals', () => {
    const d = details({ classicProtection: ok({ ...noProtection, requiredApprovals: 2 }) });
    expect(
      requiredReviews.evaluate(snapshotWith(d, { ...DEFAULT_POLICY, requiredApprovals: 2 }), context)[0]
        ?.status,
    ).toBe('pass');
    expect(
      requiredReviews.evaluate(snapshotWith(d, { ...DEFAULT_POLICY, requiredApprovals: 3 }), context)[0]
        ?.status,
    ).toBe('fail');
  });

  it('does not count a ruleset whose bypass list is hidden as enforced for admins', () => {
    const d = details({
      branchRules: ok([rule(2)]),
      rulesets: ok([{ id: 3, name: 'main', source: 'acme', enforcement: 'active', bypassActors: null }]),
    });
    const [f] = enforceAdmins.evaluate(snapshotWith(d), context);
    expect(f).toMatchObject({
      status: 'fail',
      reason: expect.stringMatching(/bypass list of ruleset "main" is not visible/),
    });
  });
});

describe('Dependabot alert age', () => {
  const alert = (days: number) => ({
    number: 1,
    severity: 'high',
    package: 'qs',
    advisory: 'GHSA-x',
    createdAt: ago(days),
  });
  it('allows an alert exactly at the limit and fails one a day older', () => {
    const at = dependabotOpenAlerts.evaluate(snapshotWith(details({ openAlerts: ok([alert(30)]) })), context);
    const over = dependabotOpenAlerts.evaluate(
      snapshotWith(details({ openAlerts: ok([alert(31)]) })),
      context,
    );
    expect(at[0]?.status).toBe('pass');
    expect(over[0]).toMatchObject({
      status: 'fail',
      reason: expect.stringMatching(/#1 high qs \(GHSA-x, 31 days\)/),
    });
  });
  it('fails when the alerts could not be read', () => {
    const [f] = dependabotOpenAlerts.evaluate(snapshotWith(details({ openAlerts: gap })), context);
    expect(f?.status).toBe('fail');
  });
});

describe('webhooks', () => {
  it('keeps neither query string nor credentials of the URL in evidence', () => {
    const hook = toWebhook({
      id: 1,
      active: true,
      config: {
        url: 'https://user:pass@hooks.example.com/in?token=s3cret',
        insecure_ssl: '0',
        secret: '********',
      },
    });
    expect(hook.url).toBe('https://hooks.example.com');
    expect(JSON.stringify(hook)).not.toMatch(/s3cret|pass|\/in/);
    expect(webhookProblem(hook)).toBeUndefined();
  });

  it.each([
    [
      'Slack',
      'https://hooks.slack.com/services/T0001/B0002/XXXXXXXXXXXXXXXXXXXXXXXX',
      'XXXXXXXXXXXXXXXXXXXXXXXX',
    ],
    ['Discord', 'https://discord.com/api/webhooks/123456789/abcDEF-secret_token', 'abcDEF-secret_token'],
    [
      'Teams',
      'https://acme.webhook.office.com/webhookb2/0000-1111@2222/IncomingWebhook/feedc0ffee/3333',
      'feedc0ffee',
    ],
  ])(
    'keeps a %s hook path (its secret) out of evidence: scheme, host and a hash of the path only',
    (_, url, secret) => {
      const hook = toWebhook({ id: 3, active: true, config: { url, insecure_ssl: '0', secret: '********' } });
      const origin = new URL(url).origin;
      expect(hook.url).toBe(origin);
      expect(hook.pathSha256).toMatch(/^[0-9a-f]{16}$/);
      expect(JSON.stringify(hook)).not.toContain(secret);
      expect(JSON.stringify(hook)).not.toContain(new URL(url).pathname);
      // Two hooks to the same host stay apart.
      const other = toWebhook({ id: 4, active: true, config: { url: `${url}0`, insecure_ssl: '0' } });
      expect(other.url).toBe(origin);
      expect(other.pathSha256).not.toBe(hook.pathSha256);
    },
  );

  it('keeps nothing of a hook URL that does not parse', () => {
    const hook = toWebhook({ id: 5, active: true, config: { url: 'hooks.slack.com/services/T/B/t0k3n' } });
    expect(hook).toMatchObject({ url: '(not a URL)', pathSha256: null, https: false });
    expect(JSON.stringify(hook)).not.toMatch(/t0k3n|services/);
  });

  it('names every problem of an unsafe webhook', () => {
    const hook = toWebhook({
      id: 2,
      active: true,
      config: { url: 'http://hooks.example.com/in', insecure_ssl: '1' },
    });
    expect(webhookProblem(hook)).toBe(
      'hook 2 → http://hooks.example.com: not https, TLS verification off, no secret',
    );
  });
});
