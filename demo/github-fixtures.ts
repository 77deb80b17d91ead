/**
 * Builders for GitHub REST objects, typed with `@octokit/openapi-types` (generated from GitHub's official
 * OpenAPI description): the compiler checks that every fixture the stand-in serves has the documented shape.
 * The builders fill in the many URL fields; callers give what matters and override the rest.
 */
import type { components } from '@octokit/openapi-types';

export type Schema<Name extends keyof components['schemas']> = components['schemas'][Name];

export const API = 'https://api.github.com';
const WEB = 'https://github.com';
const EPOCH = '2024-01-01T00:00:00Z';

let nextId = 1000;
const id = () => nextId++;

export function user(login: string, userId = id()): Schema<'simple-user'> {
  const url = `${API}/users/${login}`;
  return {
    login,
    id: userId,
    node_id: `U_${userId}`,
    avatar_url: `https://avatars.githubusercontent.com/u/${userId}`,
    gravatar_id: '',
    url,
    html_url: `${WEB}/${login}`,
    followers_url: `${url}/followers`,
    following_url: `${url}/following{/other_user}`,
    gists_url: `${url}/gists{/gist_id}`,
    starred_url: `${url}/starred{/owner}{/repo}`,
    subscriptions_url: `${url}/subscriptions`,
    organizations_url: `${url}/orgs`,
    repos_url: `${url}/repos`,
    events_url: `${url}/events{/privacy}`,
    received_events_url: `${url}/received_events`,
    type: 'User',
    site_admin: false,
  };
}

export function organization(
  login: string,
  settings: Partial<Schema<'organization-full'>> = {},
): Schema<'organization-full'> {
  const url = `${API}/orgs/${login}`;
  return {
    login,
    id: id(),
    node_id: `O_${login}`,
    url,
    repos_url: `${url}/repos`,
    events_url: `${url}/events`,
    hooks_url: `${url}/hooks`,
    issues_url: `${url}/issues`,
    members_url: `${url}/members{/member}`,
    public_members_url: `${url}/public_members{/member}`,
    avatar_url: `https://avatars.githubusercontent.com/o/${login}`,
    description: null,
    has_organization_projects: true,
    has_repository_projects: true,
    public_repos: 0,
    public_gists: 0,
    followers: 0,
    following: 0,
    html_url: `${WEB}/${login}`,
    type: 'Organization',
    created_at: EPOCH,
    updated_at: EPOCH,
    archived_at: null,
    plan: { name: 'enterprise', space: 976562499, private_repos: 999999, filled_seats: 3, seats: 50 },
    ...settings,
  };
}

/** The URL fields every repository representation carries. */
function repositoryUrls(fullName: string) {
  const url = `${API}/repos/${fullName}`;
  return {
    url,
    html_url: `${WEB}/${fullName}`,
    archive_url: `${url}/{archive_format}{/ref}`,
    assignees_url: `${url}/assignees{/user}`,
    blobs_url: `${url}/git/blobs{/sha}`,
    branches_url: `${url}/branches{/branch}`,
    collaborators_url: `${url}/collaborators{/collaborator}`,
    comments_url: `${url}/comments{/number}`,
    commits_url: `${url}/commits{/sha}`,
    compare_url: `${url}/compare/{base}...{head}`,
    contents_url: `${url}/contents/{+path}`,
    contributors_url: `${url}/contributors`,
    deployments_url: `${url}/deployments`,
    downloads_url: `${url}/downloads`,
    events_url: `${url}/events`,
    forks_url: `${url}/forks`,
    git_commits_url: `${url}/git/commits{/sha}`,
    git_refs_url: `${url}/git/refs{/sha}`,
    git_tags_url: `${url}/git/tags{/sha}`,
    git_url: `git://github.com/${fullName}.git`,
    hooks_url: `${url}/hooks`,
    issue_comment_url: `${url}/issues/comments{/number}`,
    issue_events_url: `${url}/issues/events{/number}`,
    issues_url: `${url}/issues{/number}`,
    keys_url: `${url}/keys{/key_id}`,
    labels_url: `${url}/labels{/name}`,
    languages_url: `${url}/languages`,
    merges_url: `${url}/merges`,
    milestones_url: `${url}/milestones{/number}`,
    notifications_url: `${url}/notifications{?since,all,participating}`,
    pulls_url: `${url}/pulls{/number}`,
    releases_url: `${url}/releases{/id}`,
    ssh_url: `git@github.com:${fullName}.git`,
    stargazers_url: `${url}/stargazers`,
    statuses_url: `${url}/statuses/{sha}`,
    subscribers_url: `${url}/subscribers`,
    subscription_url: `${url}/subscription`,
    tags_url: `${url}/tags`,
    teams_url: `${url}/teams`,
    trees_url: `${url}/git/trees{/sha}`,
    clone_url: `${WEB}/${fullName}.git`,
    svn_url: `${WEB}/${fullName}`,
    mirror_url: null,
  };
}

export interface RepositoryOptions {
  readonly visibility?: 'public' | 'private' | 'internal';
  readonly archived?: boolean;
  readonly defaultBranch?: string;
  readonly pushedAt?: string;
  readonly createdAt?: string;
  readonly deleteBranchOnMerge?: boolean;
  /** Secret scanning / push protection / Dependabot security updates; omitted = not shown (non-admin). */
  readonly security?: {
    secretScanning: boolean;
    pushProtection: boolean;
    dependabotSecurityUpdates?: boolean;
  };
}

const status = (on: boolean) => ({ status: on ? ('enabled' as const) : ('disabled' as const) });

export function repository(org: string, name: string, o: RepositoryOptions = {}): Schema<'full-repository'> {
  const visibility = o.visibility ?? 'private';
  return {
    ...repositoryUrls(`${org}/${name}`),
    id: id(),
    node_id: `R_${org}_${name}`,
    name,
    full_name: `${org}/${name}`,
    owner: user(org),
    private: visibility !== 'public',
    visibility,
    description: null,
    fork: false,
    homepage: null,
    language: 'TypeScript',
    forks: 0,
    forks_count: 0,
    stargazers_count: 0,
    watchers: 0,
    watchers_count: 0,
    size: 100,
    default_branch: o.defaultBranch ?? 'main',
    open_issues: 0,
    open_issues_count: 0,
    has_issues: true,
    has_projects: false,
    has_wiki: false,
    has_pages: false,
    has_discussions: false,
    archived: o.archived ?? false,
    disabled: false,
    license: null,
    pushed_at: o.pushedAt ?? EPOCH,
    created_at: o.createdAt ?? EPOCH,
    updated_at: o.pushedAt ?? EPOCH,
    network_count: 0,
    subscribers_count: 0,
    ...(o.deleteBranchOnMerge !== undefined ? { delete_branch_on_merge: o.deleteBranchOnMerge } : {}),
    ...(o.security
      ? {
          security_and_analysis: {
            secret_scanning: status(o.security.secretScanning),
            secret_scanning_push_protection: status(o.security.pushProtection),
            dependabot_security_updates: status(o.security.dependabotSecurityUpdates ?? false),
          },
        }
      : {}),
  };
}

export interface ProtectionOptions {
  readonly approvals?: number;
  readonly dismissStale?: boolean;
  readonly codeOwners?: boolean;
  readonly statusChecks?: string[];
  readonly enforceAdmins?: boolean;
  readonly signatures?: boolean;
  readonly linearHistory?: boolean;
  readonly allowForcePushes?: boolean;
  readonly allowDeletions?: boolean;
  readonly conversationResolution?: boolean;
}

/** Classic branch protection as GET /repos/{owner}/{repo}/branches/{branch}/protection returns it. */
export function protection(
  fullName: string,
  branch: string,
  o: ProtectionOptions = {},
): Schema<'branch-protection'> {
  const url = `${API}/repos/${fullName}/branches/${branch}/protection`;
  const flag = (enabled: boolean) => ({ enabled });
  return {
    url,
    ...(o.approvals !== undefined
      ? {
          required_pull_request_reviews: {
            url: `${url}/required_pull_request_reviews`,
            dismiss_stale_reviews: o.dismissStale ?? false,
            require_code_owner_reviews: o.codeOwners ?? false,
            required_approving_review_count: o.approvals,
            require_last_push_approval: false,
          },
        }
      : {}),
    ...(o.statusChecks
      ? {
          required_status_checks: {
            url: `${url}/required_status_checks`,
            strict: true,
            contexts: o.statusChecks,
            checks: o.statusChecks.map((context) => ({ context, app_id: null })),
            contexts_url: `${url}/required_status_checks/contexts`,
          },
        }
      : {}),
    enforce_admins: { url: `${url}/enforce_admins`, enabled: o.enforceAdmins ?? false },
    required_signatures: { url: `${url}/required_signatures`, enabled: o.signatures ?? false },
    required_linear_history: flag(o.linearHistory ?? false),
    allow_force_pushes: flag(o.allowForcePushes ?? false),
    allow_deletions: flag(o.allowDeletions ?? false),
    required_conversation_resolution: flag(o.conversationResolution ?? false),
    block_creations: flag(false),
    lock_branch: flag(false),
    allow_fork_syncing: flag(false),
  };
}

export type RuleDetail = Schema<'repository-rule-detailed'>;

const rulesetInfo = (rulesetId: number, source: string) => ({
  ruleset_source_type: 'Repository' as const,
  ruleset_source: source,
  ruleset_id: rulesetId,
});

/** The rules of a ruleset that "protects everything" on the default branch. */
export function strictRules(rulesetId: number, source: string, approvals: number): RuleDetail[] {
  return [
    { type: 'deletion', ...rulesetInfo(rulesetId, source) },
    { type: 'non_fast_forward', ...rulesetInfo(rulesetId, source) },
    { type: 'required_linear_history', ...rulesetInfo(rulesetId, source) },
    { type: 'required_signatures', ...rulesetInfo(rulesetId, source) },
    {
      type: 'pull_request',
      parameters: {
        required_approving_review_count: approvals,
        dismiss_stale_reviews_on_push: true,
        require_code_owner_review: true,
        require_last_push_approval: true,
        required_review_thread_resolution: true,
      },
      ...rulesetInfo(rulesetId, source),
    },
    {
      type: 'required_status_checks',
      parameters: {
        strict_required_status_checks_policy: true,
        required_status_checks: [{ context: 'ci/test' }],
      },
      ...rulesetInfo(rulesetId, source),
    },
  ];
}

export function ruleset(
  rulesetId: number,
  name: string,
  source: string,
  bypassActors: Schema<'repository-ruleset-bypass-actor'>[] | undefined,
): Schema<'repository-ruleset'> {
  return {
    id: rulesetId,
    name,
    target: 'branch',
    source_type: 'Repository',
    source,
    enforcement: 'active',
    ...(bypassActors ? { bypass_actors: bypassActors } : {}),
    node_id: `RRS_${rulesetId}`,
    created_at: EPOCH,
    updated_at: EPOCH,
  };
}

export function contentFile(fullName: string, path: string, text: string): Schema<'content-file'> {
  const url = `${API}/repos/${fullName}/contents/${path}`;
  return {
    type: 'file',
    encoding: 'base64',
    size: text.length,
    name: path.split('/').pop() ?? path,
    path,
    content: Buffer.from(text).toString('base64'),
    sha: '3d21ec53a331a6f037a91c368710b99387d012c1',
    url,
    git_url: null,
    html_url: null,
    download_url: null,
    _links: { self: url, git: null, html: null },
  };
}

export function analysis(fullName: string, createdAt: string): Schema<'code-scanning-analysis'> {
  const analysisId = id();
  return {
    ref: 'refs/heads/main',
    commit_sha: 'd99612c3e1f2970085cfbaeadf8f010ef69bad83',
    analysis_key: '.github/workflows/codeql.yml:analyze',
    environment: '{"language":"javascript"}',
    category: '.github/workflows/codeql.yml:analyze/language:javascript',
    error: '',
    created_at: createdAt,
    results_count: 0,
    rules_count: 120,
    id: analysisId,
    url: `${API}/repos/${fullName}/code-scanning/analyses/${analysisId}`,
    sarif_id: '6c81cd8e-b078-4ac3-a3be-1dad7dbd0b53',
    tool: { name: 'CodeQL', guid: null, version: '2.19.0' },
    deletable: true,
    warning: '',
  };
}

export function deployKey(
  title: string,
  readOnly: boolean,
  createdAt: string,
  fullName = 'acme/repo',
): Schema<'deploy-key'> {
  const keyId = id();
  return {
    id: keyId,
    key: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl',
    url: `${API}/repos/${fullName}/keys/${keyId}`,
    title,
    verified: true,
    created_at: createdAt,
    read_only: readOnly,
    added_by: 'alice',
    last_used: null,
    enabled: true,
  };
}

export interface HookOptions {
  readonly url: string;
  readonly secret?: boolean;
  readonly insecureSsl?: boolean;
  readonly active?: boolean;
}

const hookConfig = (o: HookOptions) => ({
  url: o.url,
  content_type: 'json',
  insecure_ssl: o.insecureSsl ? '1' : '0',
  ...(o.secret ? { secret: '********' } : {}),
});

export function repoHook(fullName: string, o: HookOptions): Schema<'hook'> {
  const hookId = id();
  const url = `${API}/repos/${fullName}/hooks/${hookId}`;
  return {
    type: 'Repository',
    id: hookId,
    name: 'web',
    active: o.active ?? true,
    events: ['push', 'pull_request'],
    config: hookConfig(o),
    updated_at: EPOCH,
    created_at: EPOCH,
    url,
    test_url: `${url}/test`,
    ping_url: `${url}/pings`,
    deliveries_url: `${url}/deliveries`,
    last_response: { code: 200, status: 'active', message: 'OK' },
  };
}

export function orgHook(org: string, o: HookOptions): Schema<'org-hook'> {
  const hookId = id();
  const url = `${API}/orgs/${org}/hooks/${hookId}`;
  return {
    id: hookId,
    url,
    ping_url: `${url}/pings`,
    deliveries_url: `${url}/deliveries`,
    name: 'web',
    events: ['repository', 'member'],
    active: o.active ?? true,
    config: hookConfig(o),
    updated_at: EPOCH,
    created_at: EPOCH,
    type: 'Organization',
  };
}

export function collaborator(
  login: string,
  permission: 'admin' | 'maintain' | 'write' | 'triage' | 'read',
): Schema<'collaborator'> {
  const order = ['read', 'triage', 'write', 'maintain', 'admin'];
  const at = order.indexOf(permission);
  return {
    ...user(login),
    permissions: { pull: at >= 0, triage: at >= 1, push: at >= 2, maintain: at >= 3, admin: at >= 4 },
    role_name: permission,
  };
}

export function invitation(
  login: string,
  createdAt: string,
  inviter: string,
): Schema<'organization-invitation'> {
  const invitationId = id();
  return {
    id: invitationId,
    login,
    email: null,
    role: 'direct_member',
    created_at: createdAt,
    inviter: user(inviter),
    team_count: 0,
    node_id: `OI_${invitationId}`,
    invitation_teams_url: `${API}/organizations/1/invitations/${invitationId}/teams`,
  };
}

export interface PullOptions {
  readonly number: number;
  readonly title: string;
  readonly author: string;
  readonly base?: string;
  readonly mergedAt: string | null;
  readonly closedAt?: string;
}

export function pull(org: string, name: string, o: PullOptions): Schema<'pull-request-simple'> {
  const fullName = `${org}/${name}`;
  const url = `${API}/repos/${fullName}/pulls/${o.number}`;
  const closedAt = o.closedAt ?? o.mergedAt ?? EPOCH;
  const repoRef: Schema<'repository'> = {
    ...repository(org, name),
    has_downloads: true,
    allow_forking: true,
    is_template: false,
    web_commit_signoff_required: false,
    temp_clone_token: '',
    topics: [],
  };
  const ref = (branch: string) => ({
    label: `${org}:${branch}`,
    ref: branch,
    repo: repoRef,
    sha: 'e5bd3914e2e596debea16f433f57875b5b90bcd6',
    user: user(o.author),
  });
  const link = (href: string) => ({ href });
  return {
    url,
    id: id(),
    node_id: `PR_${o.number}`,
    html_url: `${WEB}/${fullName}/pull/${o.number}`,
    diff_url: `${WEB}/${fullName}/pull/${o.number}.diff`,
    patch_url: `${WEB}/${fullName}/pull/${o.number}.patch`,
    issue_url: `${API}/repos/${fullName}/issues/${o.number}`,
    commits_url: `${url}/commits`,
    review_comments_url: `${url}/comments`,
    review_comment_url: `${API}/repos/${fullName}/pulls/comments{/number}`,
    comments_url: `${API}/repos/${fullName}/issues/${o.number}/comments`,
    statuses_url: `${API}/repos/${fullName}/statuses/e5bd3914e2e596debea16f433f57875b5b90bcd6`,
    number: o.number,
    state: 'closed',
    locked: false,
    title: o.title,
    user: user(o.author),
    body: null,
    labels: [],
    milestone: null,
    created_at: closedAt,
    updated_at: closedAt,
    closed_at: closedAt,
    merged_at: o.mergedAt,
    merge_commit_sha: o.mergedAt ? 'e5bd3914e2e596debea16f433f57875b5b90bcd6' : null,
    assignee: null,
    head: ref(`feature-${o.number}`),
    base: ref(o.base ?? 'main'),
    _links: {
      comments: link(`${url}/comments`),
      commits: link(`${url}/commits`),
      statuses: link(`${url}/statuses`),
      html: link(`${WEB}/${fullName}/pull/${o.number}`),
      issue: link(`${API}/repos/${fullName}/issues/${o.number}`),
      review_comments: link(`${url}/comments`),
      review_comment: link(`${API}/repos/${fullName}/pulls/comments{/number}`),
      self: link(url),
    },
    author_association: 'MEMBER',
    auto_merge: null,
  };
}

export function review(
  fullName: string,
  pullNumber: number,
  reviewer: string,
  state: 'APPROVED' | 'CHANGES_REQUESTED' | 'COMMENTED' | 'DISMISSED',
  submittedAt: string,
): Schema<'pull-request-review'> {
  const reviewId = id();
  const html = `${WEB}/${fullName}/pull/${pullNumber}#pullrequestreview-${reviewId}`;
  return {
    id: reviewId,
    node_id: `PRR_${reviewId}`,
    user: user(reviewer),
    body: '',
    state,
    html_url: html,
    pull_request_url: `${API}/repos/${fullName}/pulls/${pullNumber}`,
    _links: { html: { href: html }, pull_request: { href: `${API}/repos/${fullName}/pulls/${pullNumber}` } },
    submitted_at: submittedAt,
    commit_id: 'e5bd3914e2e596debea16f433f57875b5b90bcd6',
    author_association: 'MEMBER',
  };
}

export function dependabotAlert(
  org: string,
  name: string,
  alertNumber: number,
  severity: 'critical' | 'high' | 'medium' | 'low',
  createdAt: string,
  packageName = 'lodash',
): Schema<'dependabot-alert-with-repository'> {
  const pkg = { ecosystem: 'npm', name: packageName };
  const ghsa = `GHSA-${String(alertNumber).padStart(4, '0')}-abcd-efgh`;
  const repo = repository(org, name);
  return {
    number: alertNumber,
    state: 'open',
    dependency: {
      package: pkg,
      manifest_path: 'package-lock.json',
      scope: 'runtime',
      relationship: 'transitive',
    },
    security_advisory: {
      ghsa_id: ghsa,
      cve_id: null,
      summary: `${packageName} vulnerability`,
      description: `A ${severity} vulnerability in ${packageName}.`,
      vulnerabilities: [
        {
          package: pkg,
          severity,
          vulnerable_version_range: '< 4.17.21',
          first_patched_version: { identifier: '4.17.21' },
        },
      ],
      severity,
      cvss: { vector_string: null, score: 0 },
      cwes: [],
      identifiers: [{ type: 'GHSA', value: ghsa }],
      references: [],
      published_at: createdAt,
      updated_at: createdAt,
      withdrawn_at: null,
    },
    security_vulnerability: {
      package: pkg,
      severity,
      vulnerable_version_range: '< 4.17.21',
      first_patched_version: { identifier: '4.17.21' },
    },
    url: `${API}/repos/${org}/${name}/dependabot/alerts/${alertNumber}`,
    html_url: `${WEB}/${org}/${name}/security/dependabot/${alertNumber}`,
    created_at: createdAt,
    updated_at: createdAt,
    dismissed_at: null,
    dismissed_by: null,
    dismissed_reason: null,
    dismissed_comment: null,
    fixed_at: null,
    repository: repo,
  };
}

export function installation(installationId: number, appId: number, org: string): Schema<'installation'> {
  return {
    id: installationId,
    account: user(org),
    repository_selection: 'all',
    access_tokens_url: `${API}/app/installations/${installationId}/access_tokens`,
    repositories_url: `${API}/installation/repositories`,
    html_url: `${WEB}/organizations/${org}/settings/installations/${installationId}`,
    app_id: appId,
    target_id: 1,
    target_type: 'Organization',
    permissions: { administration: 'read', members: 'read', organization_administration: 'read' },
    events: [],
    created_at: EPOCH,
    updated_at: EPOCH,
    single_file_name: null,
    app_slug: 'proofline',
    suspended_by: null,
    suspended_at: null,
  };
}

/**
 * An audit-log event, per the `audit-log-event` schema of GitHub's Enterprise Cloud description (ghec.json).
 * The small openapi-types package describes api.github.com only, so this type is written out here and the
 * stand-in's events are checked against that schema (test/fixtures/github) in a test.
 */
export interface AuditLogEvent {
  '@timestamp'?: number;
  _document_id?: string;
  action?: string;
  actor?: string;
  actor_id?: number;
  created_at?: number;
  org?: string;
  org_id?: number;
  repo?: string;
  repository?: string;
  repository_public?: boolean;
  previous_visibility?: string;
  visibility?: string;
  name?: string;
  user?: string;
  team?: string;
  [field: string]: unknown;
}

export function auditEvent(
  action: string,
  actor: string,
  at: string,
  fields: Partial<AuditLogEvent> = {},
): AuditLogEvent {
  const ms = new Date(at).getTime();
  return {
    '@timestamp': ms,
    created_at: ms,
    _document_id: `doc-${id()}`,
    action,
    actor,
    actor_id: 1,
    ...fields,
  };
}
