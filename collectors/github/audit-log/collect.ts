import * as z from 'zod';
import { DAY_MS } from '../../../core/collector.ts';
import type { Scope } from '../../../core/model.ts';
import { githubAnswer } from '../answers.ts';
import { readable } from '../readable.ts';
import type { GitHubSession } from '../session.ts';
import type { AuditLogSnapshot, PolicyChangeSnapshot } from './snapshot.ts';

/** Audit-log action prefixes that change organization or repository security policy. */
export const POLICY_ACTION_PREFIXES = [
  'org.',
  'business.',
  'protected_branch.',
  'repository_ruleset.',
  'org_ruleset.',
  'repo.access',
  'repo.archived',
  'repo.destroy',
  'repo.transfer',
  'repository_secret_scanning',
  'repository_vulnerability_alerts',
  'repository_security_configuration',
  'secret_scanning',
  'dependabot_alerts',
  'hook.',
  'integration_installation.',
  'members_can_create_',
];

/** Milliseconds since the epoch that a Date can hold. */
const epochMs = z.number().int().min(0).max(8.64e15);
/** The fields of the GHEC `audit-log-event` schema that Proofline reads: a malformed one fails the read. */
const auditLogEvent = z.looseObject({
  '@timestamp': epochMs.optional(),
  created_at: epochMs.optional(),
  action: z.string().optional(),
  actor: z.string().nullish(),
  repo: z.string().nullish(),
  repository: z.string().nullish(),
});
type AuditLogEvent = z.infer<typeof auditLogEvent>;

const DETAIL_FIELDS = [
  'visibility',
  'previous_visibility',
  'permission',
  'old_permission',
  'name',
  'team',
  'user',
  'target_login',
  'enforcement',
];

function toChange(e: AuditLogEvent): PolicyChangeSnapshot {
  const details: Record<string, string | number | boolean> = {};
  for (const field of DETAIL_FIELDS) {
    const v = e[field];
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') details[field] = v;
  }
  return {
    action: e.action ?? 'unknown',
    actor: e.actor ?? null,
    at: new Date(e['@timestamp'] ?? e.created_at ?? 0).toISOString(),
    repo: e.repo ?? e.repository ?? null,
    details,
  };
}

export async function collect(session: GitHubSession, scope: Scope): Promise<AuditLogSnapshot> {
  const github = await session.client();
  const org = scope.id;
  const since = new Date(session.now().getTime() - session.policy.lookbackDays * DAY_MS);
  const day = since.toISOString().slice(0, 10);
  const events = await readable(`GET /orgs/${org}/audit-log`, () =>
    github.paginate<AuditLogEvent>('GET /orgs/{org}/audit-log', {
      org,
      phrase: `created:>=${day}`,
      include: 'web',
      order: 'desc',
      per_page: 100,
    }),
  );
  if (!events.ok)
    return {
      org,
      since: since.toISOString(),
      available: false,
      status: events.gap.status,
      message: events.gap.message,
    };
  const changes = githubAnswer(z.array(auditLogEvent), events.value, `GET /orgs/${org}/audit-log`)
    .filter((e) => POLICY_ACTION_PREFIXES.some((p) => e.action?.startsWith(p)))
    .map(toChange)
    .filter((c) => c.at >= since.toISOString())
    .sort((a, b) => a.at.localeCompare(b.at) || a.action.localeCompare(b.action));
  return { org, since: since.toISOString(), available: true, changes };
}
