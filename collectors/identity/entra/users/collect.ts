import * as z from 'zod';
import { apiCall, parsePayload, timestamp } from '../../api-error.ts';
import { listOf } from '../list.ts';
import { PRIVILEGED_ROLE_TEMPLATES } from '../roles.ts';
import type { EntraSession } from '../session.ts';
import type { EntraUser, EntraUsersSnapshot } from './snapshot.ts';

/**
 * A user as `GET /users` answers the collector's `$select`: Graph sends every selected property, null where
 * the user has no value. A property missing or of another type is a malformed answer, never a default.
 */
const userSchema = z.looseObject({
  id: z.string().min(1),
  userPrincipalName: z.string().min(1),
  mail: z.string().nullable(),
  displayName: z.string().nullable(),
  accountEnabled: z.boolean(),
  userType: z.enum(['Member', 'Guest']),
  // Documented as null for some users created (or synced) before June 2018: unknown, not "just created".
  createdDateTime: timestamp.nullable(),
  // Documented as not returned for a user who never signed in, or last did before April 2020.
  signInActivity: z
    .looseObject({
      lastSignInDateTime: timestamp.nullable(),
      lastNonInteractiveSignInDateTime: timestamp.nullable(),
    })
    .nullish(),
});
const registrationSchema = z.looseObject({
  id: z.string().min(1),
  isMfaCapable: z.boolean(),
  isMfaRegistered: z.boolean(),
  methodsRegistered: z.array(z.string()),
});
const roleSchema = z.looseObject({
  id: z.string().min(1),
  displayName: z.string(),
  roleTemplateId: z.string().min(1),
});
/** A directory object: Graph names its type, so a group holding a role is told from a user. */
const memberSchema = z.looseObject({ id: z.string().min(1), '@odata.type': z.string().min(1) });
const GROUP = '#microsoft.graph.group';
/** A PIM role eligibility with its principal expanded; a built-in role's definition id is its template id. */
const eligibilitySchema = z.looseObject({
  roleDefinitionId: z.string().min(1),
  directoryScopeId: z.string().min(1),
  principal: memberSchema,
});
/** Graph's answer to a PIM read in a tenant without Entra ID P2 or Governance, which has no eligible roles. */
const PIM_UNLICENSED = 'AadPremiumLicenseRequired';

/** Every role eligibility, or `unlicensed` when the tenant cannot hold any (no PIM licence). */
async function roleEligibilities(session: EntraSession) {
  const operation = 'listRoleEligibilityScheduleInstances';
  const path = '/roleManagement/directory/roleEligibilityScheduleInstances';
  const items = await apiCall('entra', operation, () =>
    session.list(path, { $expand: 'principal' }).catch((error: { code?: unknown }) => {
      if (error?.code === PIM_UNLICENSED) return 'unlicensed' as const;
      throw error;
    }),
  );
  return items === 'unlicensed' ? items : parsePayload(z.array(eligibilitySchema), items, 'entra', operation);
}

/** The later of two sign-ins, compared as instants (text order holds only for one format and offset). */
const latest = (...dates: (string | null | undefined)[]) =>
  dates
    .filter((d): d is string => !!d)
    .sort((a, b) => Date.parse(a) - Date.parse(b))
    .at(-1) ?? null;

export async function collect(session: EntraSession): Promise<EntraUsersSnapshot> {
  const [listed, registrationRows, roles, eligibilities] = await Promise.all([
    listOf(session, 'listUsers', userSchema, '/users', {
      $select: 'id,displayName,userPrincipalName,mail,accountEnabled,userType,createdDateTime,signInActivity',
      // With signInActivity selected, Graph serves at most 120 users a page.
      $top: '120',
    }),
    listOf(
      session,
      'listUserRegistrationDetails',
      registrationSchema,
      '/reports/authenticationMethods/userRegistrationDetails',
    ),
    listOf(session, 'listDirectoryRoles', roleSchema, '/directoryRoles'),
    roleEligibilities(session),
  ]);
  const registrations = new Map(registrationRows.map((r) => [r.id, r]));
  const rolesOf = new Map<string, EntraUser['directoryRoles'][number][]>();
  const hold = (memberId: string, role: EntraUser['directoryRoles'][number]) => {
    const list = rolesOf.get(memberId) ?? [];
    const active = (r: (typeof list)[number]) =>
      !r.eligible && r.roleTemplateId === role.roleTemplateId && r.viaGroup === role.viaGroup;
    if (!(role.eligible && list.some(active))) list.push(role);
    rolesOf.set(memberId, list);
  };
  // A role-assignable group holding a role gives it to every member: each group's members are read once.
  const groupMembers = new Map<string, Promise<z.infer<typeof memberSchema>[]>>();
  const membersOfGroup = (id: string) => {
    let members = groupMembers.get(id);
    if (!members) {
      const path = `/groups/${encodeURIComponent(id)}/transitiveMembers`;
      members = listOf(session, 'listGroupTransitiveMembers', memberSchema, path);
      groupMembers.set(id, members);
    }
    return members;
  };
  const holdThrough = async (
    member: z.infer<typeof memberSchema>,
    role: EntraUser['directoryRoles'][number],
  ) => {
    if (member['@odata.type'] !== GROUP) hold(member.id, role);
    else for (const m of await membersOfGroup(member.id)) hold(m.id, { ...role, viaGroup: member.id });
  };
  for (const role of roles) {
    const members = await listOf(
      session,
      'listDirectoryRoleMembers',
      memberSchema,
      `/directoryRoles/${encodeURIComponent(role.id)}/members`,
    );
    const held = { roleTemplateId: role.roleTemplateId, displayName: role.displayName };
    for (const member of members) await holdThrough(member, held);
  }
  // Eligible (PIM) tenant-wide roles, which their holders activate on demand; one also active is listed once.
  const roleNames = new Map(roles.map((r) => [r.roleTemplateId, r.displayName]));
  for (const e of eligibilities === 'unlicensed' ? [] : eligibilities) {
    if (e.directoryScopeId !== '/') continue;
    const id = e.roleDefinitionId;
    const displayName = roleNames.get(id) ?? PRIVILEGED_ROLE_TEMPLATES[id] ?? id;
    await holdThrough(e.principal, { roleTemplateId: id, displayName, eligible: true });
  }
  const users: EntraUser[] = listed.map((u) => {
    const registration = registrations.get(u.id);
    return {
      id: u.id,
      userPrincipalName: u.userPrincipalName,
      mail: u.mail,
      displayName: u.displayName,
      accountEnabled: u.accountEnabled,
      userType: u.userType,
      createdDateTime: u.createdDateTime,
      lastSignIn: latest(
        u.signInActivity?.lastSignInDateTime,
        u.signInActivity?.lastNonInteractiveSignInDateTime,
      ),
      mfaCapable: registration?.isMfaCapable ?? null,
      mfaRegistered: registration?.isMfaRegistered ?? null,
      methodsRegistered: registration?.methodsRegistered ?? null,
      directoryRoles: (rolesOf.get(u.id) ?? []).sort((a, b) => a.displayName.localeCompare(b.displayName)),
    };
  });
  users.sort((a, b) => a.userPrincipalName.localeCompare(b.userPrincipalName));
  return {
    tenantId: session.tenantId,
    users,
    roleEligibilities: eligibilities === 'unlicensed' ? eligibilities : 'read',
  };
}
