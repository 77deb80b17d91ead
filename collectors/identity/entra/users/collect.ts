import * as z from 'zod';
import { parsePayload } from '../../api-error.ts';
import { listAll } from '../list.ts';
import type { EntraSession } from '../session.ts';
import type { EntraUser, EntraUsersSnapshot } from './snapshot.ts';

const userSchema = z.looseObject({
  id: z.string().min(1),
  userPrincipalName: z.string().min(1),
  mail: z.string().nullish(),
  displayName: z.string().nullish(),
  accountEnabled: z.boolean().nullish(),
  userType: z.string().nullish(),
  createdDateTime: z.string().nullish(),
  signInActivity: z
    .looseObject({
      lastSignInDateTime: z.string().nullish(),
      lastNonInteractiveSignInDateTime: z.string().nullish(),
    })
    .nullish(),
});
const registrationSchema = z.looseObject({
  id: z.string().min(1),
  isMfaCapable: z.boolean(),
  isMfaRegistered: z.boolean(),
  methodsRegistered: z.array(z.string()).default([]),
});
const roleSchema = z.looseObject({
  id: z.string().min(1),
  displayName: z.string(),
  roleTemplateId: z.string(),
});
const memberSchema = z.looseObject({ id: z.string().min(1), '@odata.type': z.string().optional() });

const latest = (...dates: (string | null | undefined)[]) =>
  dates
    .filter((d): d is string => !!d)
    .sort()
    .at(-1) ?? null;

export async function collect(session: EntraSession): Promise<EntraUsersSnapshot> {
  const [rawUsers, rawRegistrations, rawRoles] = await Promise.all([
    listAll(session, 'listUsers', '/users', {
      $select: 'id,displayName,userPrincipalName,mail,accountEnabled,userType,createdDateTime,signInActivity',
      // With signInActivity selected, Graph serves at most 120 users a page.
      $top: '120',
    }),
    listAll(session, 'listUserRegistrationDetails', '/reports/authenticationMethods/userRegistrationDetails'),
    listAll(session, 'listDirectoryRoles', '/directoryRoles'),
  ]);
  const registrations = new Map(
    rawRegistrations.map((r) => {
      const p = parsePayload(registrationSchema, r, 'entra', 'listUserRegistrationDetails');
      return [p.id, p] as const;
    }),
  );
  const rolesOf = new Map<string, { roleTemplateId: string; displayName: string }[]>();
  for (const raw of rawRoles) {
    const role = parsePayload(roleSchema, raw, 'entra', 'listDirectoryRoles');
    const members = await listAll(session, 'listDirectoryRoleMembers', `/directoryRoles/${role.id}/members`);
    for (const m of members) {
      const member = parsePayload(memberSchema, m, 'entra', 'listDirectoryRoleMembers');
      const list = rolesOf.get(member.id) ?? [];
      list.push({ roleTemplateId: role.roleTemplateId, displayName: role.displayName });
      rolesOf.set(member.id, list);
    }
  }
  const users: EntraUser[] = rawUsers.map((raw) => {
    const u = parsePayload(userSchema, raw, 'entra', 'listUsers');
    const registration = registrations.get(u.id);
    return {
      id: u.id,
      userPrincipalName: u.userPrincipalName,
      mail: u.mail ?? null,
      displayName: u.displayName ?? null,
      accountEnabled: u.accountEnabled ?? false,
      userType: u.userType ?? 'Member',
      createdDateTime: u.createdDateTime ?? null,
      lastSignIn: latest(
        u.signInActivity?.lastSignInDateTime,
        u.signInActivity?.lastNonInteractiveSignInDateTime,
      ),
      mfaCapable: registration?.isMfaCapable ?? null,
      mfaRegistered: registration?.isMfaRegistered ?? null,
      methodsRegistered: registration?.methodsRegistered ?? [],
      directoryRoles: (rolesOf.get(u.id) ?? []).sort((a, b) => a.displayName.localeCompare(b.displayName)),
    };
  });
  users.sort((a, b) => a.userPrincipalName.localeCompare(b.userPrincipalName));
  return { tenantId: session.tenantId, users };
}
