import * as z from 'zod';
import { parsePayload } from '../../api-error.ts';
import { listAll } from '../list.ts';
import type { EntraSession } from '../session.ts';
import type { ConditionalAccessPolicy, ConditionalAccessSnapshot } from './snapshot.ts';

const ids = z
  .array(z.string())
  .nullish()
  .transform((v) => v ?? []);
const policySchema = z.looseObject({
  id: z.string().min(1),
  displayName: z.string(),
  state: z.string(),
  conditions: z.looseObject({
    users: z
      .looseObject({
        includeUsers: ids,
        excludeUsers: ids,
        includeGroups: ids,
        excludeGroups: ids,
        includeRoles: ids,
        excludeRoles: ids,
      })
      .nullish(),
    applications: z.looseObject({ includeApplications: ids, excludeApplications: ids }).nullish(),
  }),
  grantControls: z
    .looseObject({
      operator: z.string().nullish(),
      builtInControls: ids,
      authenticationStrength: z.looseObject({ displayName: z.string().nullish(), id: z.string() }).nullish(),
    })
    .nullish(),
});

export async function collect(session: EntraSession): Promise<ConditionalAccessSnapshot> {
  const raw = await listAll(session, 'listConditionalAccessPolicies', '/identity/conditionalAccess/policies');
  const policies: ConditionalAccessPolicy[] = raw.map((r) => {
    const p = parsePayload(policySchema, r, 'entra', 'listConditionalAccessPolicies');
    const users = p.conditions.users;
    const apps = p.conditions.applications;
    const strength = p.grantControls?.authenticationStrength;
    return {
      id: p.id,
      displayName: p.displayName,
      state: p.state,
      includeUsers: users?.includeUsers ?? [],
      excludeUsers: users?.excludeUsers ?? [],
      includeGroups: users?.includeGroups ?? [],
      excludeGroups: users?.excludeGroups ?? [],
      includeRoles: users?.includeRoles ?? [],
      excludeRoles: users?.excludeRoles ?? [],
      includeApplications: apps?.includeApplications ?? [],
      excludeApplications: apps?.excludeApplications ?? [],
      grantOperator: p.grantControls?.operator ?? null,
      builtInControls: p.grantControls?.builtInControls ?? [],
      authenticationStrength: strength ? (strength.displayName ?? strength.id) : null,
    };
  });
  policies.sort((a, b) => a.displayName.localeCompare(b.displayName));
  return { tenantId: session.tenantId, policies };
}
