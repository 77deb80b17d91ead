import pLimit from 'p-limit';
import * as z from 'zod';
import { apiCall, isoOrNull, parsePayload } from '../../api-error.ts';
import type { OktaSession } from '../session.ts';
import { isDeactivated, type OktaUser, type OktaUsersSnapshot } from './snapshot.ts';

const PAGE_SIZE = 200;

const userSchema = z.looseObject({
  id: z.string().min(1),
  status: z.string().min(1),
  profile: z.looseObject({ login: z.string().min(1), email: z.string().nullish() }),
});
const factorSchema = z.looseObject({ factorType: z.string(), provider: z.string(), status: z.string() });
const roleSchema = z.looseObject({ type: z.string().min(1) });
const appSchema = z.looseObject({ id: z.string().min(1), label: z.string(), status: z.string() });
const assigneesSchema = z.looseObject({
  value: z.array(z.looseObject({ id: z.string().min(1) })).default([]),
  _links: z.looseObject({ next: z.looseObject({ href: z.string() }).nullish() }).nullish(),
});

/**
 * A date-time as the snapshot has always held it: through a Date (what the Okta SDK made of it), so
 * `2025-01-01T00:00:00Z` reads `2025-01-01T00:00:00.000Z`; null when absent or not a date.
 */
const oktaDate = (value: unknown): string | null =>
  typeof value === 'string' && value !== '' ? isoOrNull(new Date(value)) : null;

async function listAllUsers(session: OktaSession) {
  // GET /api/v1/users leaves out DEPROVISIONED users: ask for them separately.
  const [current, deactivated] = await Promise.all([
    apiCall('okta', 'listUsers', () => session.list('/api/v1/users', { limit: PAGE_SIZE })),
    apiCall('okta', 'listUsers(DEPROVISIONED)', () =>
      session.list('/api/v1/users', { search: 'status eq "DEPROVISIONED"', limit: PAGE_SIZE }),
    ),
  ]);
  const byId = new Map<string, unknown>();
  for (const u of [...current, ...deactivated]) byId.set((u as { id?: string }).id ?? '', u);
  return [...byId.values()];
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
    const next = body._links?.next?.href;
    after = next ? (new URL(next, session.orgUrl).searchParams.get('after') ?? undefined) : undefined;
    if (!after) return ids;
  }
  throw new Error('listUsersWithRoleAssignments: more than 10000 pages, giving up');
}

export async function collect(session: OktaSession): Promise<OktaUsersSnapshot> {
  const [rawUsers, admins] = await Promise.all([listAllUsers(session), usersWithRoles(session)]);
  const limit = pLimit(4);
  const users = await Promise.all(
    rawUsers.map((raw) =>
      limit(async (): Promise<OktaUser> => {
        const u = parsePayload(userSchema, raw, 'okta', 'listUsers');
        const r = raw as { created?: unknown; lastLogin?: unknown; statusChanged?: unknown };
        const base = {
          id: u.id,
          login: u.profile.login,
          email: u.profile.email ?? null,
          status: u.status,
          created: oktaDate(r.created),
          lastLogin: oktaDate(r.lastLogin),
          statusChanged: oktaDate(r.statusChanged),
        };
        const deactivated = isDeactivated({ ...base, factors: [], adminRoles: [], assignedApps: [] });
        const [factors, roles, apps] = await Promise.all([
          deactivated
            ? []
            : apiCall('okta', 'listFactors', () =>
                session.list(`/api/v1/users/${encodeURIComponent(u.id)}/factors`),
              ),
          admins.has(u.id)
            ? apiCall('okta', 'listAssignedRolesForUser', () =>
                session.list(`/api/v1/users/${encodeURIComponent(u.id)}/roles`),
              )
            : [],
          deactivated
            ? apiCall('okta', 'listApplications', () =>
                session.list('/api/v1/apps', { limit: PAGE_SIZE, filter: `user.id eq "${u.id}"` }),
              )
            : [],
        ]);
        return {
          ...base,
          factors: factors.map((f) => {
            const p = parsePayload(factorSchema, f, 'okta', 'listFactors');
            return { factorType: p.factorType, provider: p.provider, status: p.status };
          }),
          adminRoles: [
            ...new Set(
              roles.map((role) => parsePayload(roleSchema, role, 'okta', 'listAssignedRolesForUser').type),
            ),
          ].sort(),
          assignedApps: apps.map((a) => {
            const p = parsePayload(appSchema, a, 'okta', 'listApplications');
            return { id: p.id, label: p.label, status: p.status };
          }),
        };
      }),
    ),
  );
  users.sort((a, b) => a.login.localeCompare(b.login));
  return { orgUrl: session.orgUrl, users };
}
