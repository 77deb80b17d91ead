import pLimit from 'p-limit';
import * as z from 'zod';
import { apiCall, MalformedResponseError, parsePayload, timestamp } from '../../api-error.ts';
import { listOf } from '../list.ts';
import type { OktaSession } from '../session.ts';
import { isDeactivated, type OktaUser, type OktaUsersSnapshot } from './snapshot.ts';

const PAGE_SIZE = 200;

/**
 * A date-time as the snapshot has always held it: through a Date (what the Okta SDK made of it), so
 * `2025-01-01T00:00:00Z` reads `2025-01-01T00:00:00.000Z`.
 */
const oktaDate = timestamp
  .refine((value) => !Number.isNaN(Date.parse(value)), 'not a date')
  .transform((value) => new Date(value).toISOString());

/**
 * Okta sends every date field of a user, null only where it documents one (never signed in, status never
 * changed): a missing or damaged date is a malformed answer, never read as "never".
 */
const userSchema = z.looseObject({
  id: z.string().min(1),
  status: z.string().min(1),
  profile: z.looseObject({ login: z.string().min(1), email: z.string().nullish() }),
  created: oktaDate,
  lastLogin: oktaDate.nullable(),
  statusChanged: oktaDate.nullable(),
});
const factorSchema = z.looseObject({ factorType: z.string(), provider: z.string(), status: z.string() });
const roleSchema = z.looseObject({ type: z.string().min(1) });
const appSchema = z.looseObject({ id: z.string().min(1), label: z.string(), status: z.string() });
/** A page without `value`, or without `_links`, is no evidence that nobody (else) holds a role. */
const assigneesSchema = z.looseObject({
  value: z.array(z.looseObject({ id: z.string().min(1) })),
  _links: z.looseObject({ next: z.looseObject({ href: z.url() }).optional() }),
});

/** Every user, each read through its schema before anything reads a field of it. */
async function listAllUsers(session: OktaSession) {
  // GET /api/v1/users leaves out DEPROVISIONED users: ask for them separately.
  const [current, deactivated] = await Promise.all([
    listOf(session, 'listUsers', userSchema, '/api/v1/users', { limit: PAGE_SIZE }),
    listOf(session, 'listUsers(DEPROVISIONED)', userSchema, '/api/v1/users', {
      search: 'status eq "DEPROVISIONED"',
      limit: PAGE_SIZE,
    }),
  ]);
  return [...new Map([...current, ...deactivated].map((u) => [u.id, u])).values()];
}

/** Ids of users holding any admin role; the endpoint pages with `_links.next` and an `after` cursor. */
async function usersWithRoles(session: OktaSession): Promise<Set<string>> {
  const ids = new Set<string>();
  let after: string | undefined;
  for (let page = 0; page < 10_000; page++) {
    const raw = await apiCall('okta', 'listUsersWithRoleAssignments', () =>
      session.get('/api/v1/iam/assignees/users', { after, limit: PAGE_SIZE }),
    );
    const body = parsePayload(assigneesSchema, raw, 'okta', 'listUsersWithRoleAssignments');
    for (const u of body.value) ids.add(u.id);
    const next = body._links.next?.href;
    if (next === undefined) return ids;
    // A next link without a cursor would end the list early: the admins after it would go unread.
    after = new URL(next).searchParams.get('after') || undefined;
    if (!after)
      throw new MalformedResponseError(
        'okta',
        'listUsersWithRoleAssignments',
        `_links.next.href: ${next} names no "after" cursor`,
      );
  }
  throw new Error('listUsersWithRoleAssignments: more than 10000 pages, giving up');
}

export async function collect(session: OktaSession): Promise<OktaUsersSnapshot> {
  const [listed, admins] = await Promise.all([listAllUsers(session), usersWithRoles(session)]);
  const limit = pLimit(4);
  const users = await Promise.all(
    listed.map((u) =>
      limit(async (): Promise<OktaUser> => {
        const base = {
          id: u.id,
          login: u.profile.login,
          email: u.profile.email ?? null,
          status: u.status,
          created: u.created,
          lastLogin: u.lastLogin,
          statusChanged: u.statusChanged,
        };
        const deactivated = isDeactivated({ ...base, factors: [], adminRoles: [], assignedApps: [] });
        const [factors, roles, apps] = await Promise.all([
          deactivated
            ? []
            : listOf(
                session,
                'listFactors',
                factorSchema,
                `/api/v1/users/${encodeURIComponent(u.id)}/factors`,
              ),
          admins.has(u.id)
            ? listOf(
                session,
                'listAssignedRolesForUser',
                roleSchema,
                `/api/v1/users/${encodeURIComponent(u.id)}/roles`,
              )
            : [],
          deactivated
            ? listOf(session, 'listApplications', appSchema, '/api/v1/apps', {
                limit: PAGE_SIZE,
                filter: `user.id eq "${u.id}"`,
              })
            : [],
        ]);
        return {
          ...base,
          factors: factors.map((f) => ({ factorType: f.factorType, provider: f.provider, status: f.status })),
          adminRoles: [...new Set(roles.map((role) => role.type))].sort(),
          assignedApps: apps.map((a) => ({ id: a.id, label: a.label, status: a.status })),
        };
      }),
    ),
  );
  users.sort((a, b) => a.login.localeCompare(b.login));
  return { orgUrl: session.orgUrl, users };
}
