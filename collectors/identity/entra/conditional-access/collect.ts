import * as z from 'zod';
import { listOf } from '../list.ts';
import type { EntraSession } from '../session.ts';
import type { ConditionalAccessPolicy, ConditionalAccessSnapshot } from './snapshot.ts';

/**
 * Graph answers every collection of a policy, empty ones as `[]`: a missing or null one is a malformed answer,
 * never "nobody excluded" or "no role covered".
 */
const ids = z.array(z.string());
const usersSchema = z.looseObject({
  includeUsers: ids,
  excludeUsers: ids,
  includeGroups: ids,
  excludeGroups: ids,
  includeRoles: ids,
  excludeRoles: ids,
});
const policySchema = z.looseObject({
  id: z.string().min(1),
  displayName: z.string(),
  state: z.enum(['enabled', 'disabled', 'enabledForReportingButNotEnforced']),
  conditions: z
    .looseObject({
      // Documented: a policy names users, or client applications (workload identities) and then no users.
      users: usersSchema.nullish(),
      clientApplications: z.looseObject({}).nullish(),
      applications: z.looseObject({ includeApplications: ids, excludeApplications: ids }),
    })
    .refine((c) => c.users != null || c.clientApplications != null, {
      path: ['users'],
      message: 'a policy names users or client applications',
    }),
  // Documented as optional: a policy with session controls only has no grant controls.
  grantControls: z
    .looseObject({
      operator: z.enum(['AND', 'OR']),
      builtInControls: ids,
      customAuthenticationFactors: ids,
      termsOfUse: ids,
      // Graph expands the strength in the grant; `requirementsSatisfied` says whether it grants the MFA claim.
      authenticationStrength: z
        .looseObject({
          id: z.string().min(1),
          displayName: z.string(),
          requirementsSatisfied: z.string().min(1),
        })
        .nullable(),
    })
    .nullish(),
});

export async function collect(session: EntraSession): Promise<ConditionalAccessSnapshot> {
  const listed = await listOf(
    session,
    'listConditionalAccessPolicies',
    policySchema,
    '/identity/conditionalAccess/policies',
  );
  const policies: ConditionalAccessPolicy[] = listed.map((p) => {
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
      includeApplications: apps.includeApplications,
      excludeApplications: apps.excludeApplications,
      grantOperator: p.grantControls?.operator ?? null,
      builtInControls: p.grantControls?.builtInControls ?? [],
      customAuthenticationFactors: p.grantControls?.customAuthenticationFactors ?? [],
      termsOfUse: p.grantControls?.termsOfUse ?? [],
      authenticationStrength: strength ? strength.displayName || strength.id : null,
      authenticationStrengthSatisfies: strength ? strength.requirementsSatisfied : null,
    };
  });
  policies.sort((a, b) => a.displayName.localeCompare(b.displayName));
  return { tenantId: session.tenantId, policies };
}
