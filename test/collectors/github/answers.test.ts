import { afterEach, describe, expect, it } from 'vitest';
import { runnableCollectors as collectors } from '../../../collectors/collect.ts';
import type { Artifact } from '../../../core/model.ts';
import { collectArtifact } from '../../../core/pipeline.ts';
import {
  collaborator,
  deployKey,
  emptyOrg,
  type GitHubStandIn,
  NOW,
  organization,
  pull,
  repoHook,
  repository,
  type StandInOrg,
  scopeOf,
  startGitHubStandIn,
  TOKEN,
  tokenSession,
} from '../../support/github/index.ts';

/**
 * A field of another type than GitHub documents is a malformed answer: an error artifact naming the request and
 * the field, never a value stored as if GitHub had said it, and never a guessed permission.
 */
let standIn: GitHubStandIn | undefined;
afterEach(async () => {
  await standIn?.stop();
  standIn = undefined;
});

async function collectFrom(org: StandInOrg, collectorId: string) {
  standIn = await startGitHubStandIn({ orgs: [org], tokens: [TOKEN] });
  const collector = collectors.find((c) => c.id === collectorId);
  if (!collector) throw new Error(`no collector ${collectorId}`);
  const login = org.org.login;
  return collectArtifact({ collector, scope: scopeOf(login), session: tokenSession(standIn, login) }, NOW);
}

const errorOf = (artifact: Artifact) => (artifact.status === 'error' ? artifact.error.message : undefined);
const snapshotOf = (artifact: Artifact) => (artifact.status === 'ok' ? artifact.snapshot : undefined);

describe('GitHub answers read through their schema', () => {
  it('org settings: 2FA required given as a string is an error naming GET /orgs/{org}, not a stored value', async () => {
    const damaged = organization('acme', { two_factor_requirement_enabled: 'yes' as unknown as boolean });
    const artifact = await collectFrom(emptyOrg('acme', { org: damaged }), 'github.org.settings');
    expect(artifact.status).toBe('error');
    expect(errorOf(artifact)).toContain('GET /orgs/acme');
    expect(errorOf(artifact)).toContain('two_factor_requirement_enabled');
  });

  it('org settings: the same organization well-formed is a snapshot', async () => {
    const artifact = await collectFrom(
      emptyOrg('acme', { org: organization('acme', { two_factor_requirement_enabled: true }) }),
      'github.org.settings',
    );
    expect(artifact.status).toBe('ok');
    expect((snapshotOf(artifact) as { twoFactorRequired: boolean | null }).twoFactorRequired).toBe(true);
  });

  it('org members: a collaborator with no permission flag and an unknown role is an error, not "read"', async () => {
    // `permissions` is optional in GitHub's collaborator schema; a custom role names no built-in permission.
    const { permissions: _, ...custom } = {
      ...collaborator('vendor-vic', 'read'),
      role_name: 'auditor-custom',
    };
    const org = emptyOrg('acme', {
      repos: [{ repo: repository('acme', 'svc'), outsideCollaborators: [custom] }],
    });
    const artifact = await collectFrom(org, 'github.org.members');
    expect(artifact.status).toBe('error');
    expect(errorOf(artifact)).toContain('GET /repos/acme/svc/collaborators?affiliation=outside');
    expect(errorOf(artifact)).toContain('vendor-vic');
  });

  it('org members: a collaborator whose flags name the permission is read as it', async () => {
    const org = emptyOrg('acme', {
      repos: [
        { repo: repository('acme', 'svc'), outsideCollaborators: [collaborator('vendor-vic', 'write')] },
      ],
    });
    const artifact = await collectFrom(org, 'github.org.members');
    expect(artifact.status).toBe('ok');
    const snapshot = snapshotOf(artifact) as {
      repositories: {
        outsideCollaborators: { ok: boolean; value?: { login: string; permission: string }[] };
      }[];
    };
    expect(snapshot.repositories[0]?.outsideCollaborators).toEqual({
      ok: true,
      value: [{ login: 'vendor-vic', permission: 'write' }],
    });
  });

  it('pull requests: a merge time that is not a date is an error naming the pulls request, not a pull left out', async () => {
    const damaged = {
      ...pull('acme', 'svc', { number: 7, title: 'Fix', author: 'max', mergedAt: NOW.toISOString() }),
    };
    const org = emptyOrg('acme', {
      repos: [{ repo: repository('acme', 'svc'), pulls: [{ ...damaged, merged_at: 'yesterday' }] }],
    });
    const artifact = await collectFrom(org, 'github.pull-requests');
    expect(artifact.status).toBe('error');
    expect(errorOf(artifact)).toContain('GET /repos/acme/svc/pulls?state=closed&base=main');
    expect(errorOf(artifact)).toContain('merged_at');
  });

  it('repos: a deploy key whose read_only is text is an error naming GET /repos/{org}/{repo}/keys', async () => {
    const key = deployKey('ci key', true, NOW.toISOString(), 'acme/svc');
    const org = emptyOrg('acme', {
      repos: [
        { repo: repository('acme', 'svc'), deployKeys: [{ ...key, read_only: 'yes' as unknown as boolean }] },
      ],
    });
    const artifact = await collectFrom(org, 'github.repos');
    expect(artifact.status).toBe('error');
    expect(errorOf(artifact)).toContain('GET /repos/acme/svc/keys');
    expect(errorOf(artifact)).toContain('read_only');
  });

  it('repos: a webhook whose insecure_ssl is null is an error naming GET /repos/{org}/{repo}/hooks, not TLS verified', async () => {
    const hook = repoHook('acme/svc', { url: 'https://ci.example.com/hook', secret: true });
    const damaged = { ...hook, config: { ...hook.config, insecure_ssl: null as unknown as string } };
    const org = emptyOrg('acme', { repos: [{ repo: repository('acme', 'svc'), hooks: [damaged] }] });
    const artifact = await collectFrom(org, 'github.repos');
    expect(artifact.status).toBe('error');
    expect(errorOf(artifact)).toContain('GET /repos/acme/svc/hooks');
    expect(errorOf(artifact)).toContain('insecure_ssl');
  });

  it('repos: a CODEOWNERS error that is an empty object is an error naming the request, not one error counted', async () => {
    const org = emptyOrg('acme', {
      repos: [{ repo: repository('acme', 'svc'), codeowners: { errors: [{} as never] } }],
    });
    const artifact = await collectFrom(org, 'github.repos');
    expect(artifact.status).toBe('error');
    expect(errorOf(artifact)).toContain('GET /repos/acme/svc/codeowners/errors');
  });
});
