import * as z from 'zod';
import { IdentityApiError } from '../../api-error.ts';
import { listOf } from '../list.ts';
import type { OktaSession } from '../session.ts';
import type {
  OktaPasswordPolicy,
  OktaPoliciesSnapshot,
  OktaSignOnPolicy,
  OktaSignOnRule,
} from './snapshot.ts';

const policySchema = z.looseObject({
  id: z.string().min(1),
  name: z.string(),
  status: z.string(),
  priority: z.number().nullish(),
});
/**
 * Okta returns every setting of a password policy, its defaults included (0: no history, never locked
 * out): one missing or of another type is a malformed answer, never read as "unset".
 */
const count = z.number().int().nonnegative();
const passwordPolicySchema = policySchema.extend({
  settings: z.looseObject({
    password: z.looseObject({
      complexity: z.looseObject({ minLength: count }),
      age: z.looseObject({ historyCount: count, maxAgeDays: count }),
      lockout: z.looseObject({ maxAttempts: count }),
    }),
  }),
});
const ruleFields = { id: z.string().min(1), name: z.string(), status: z.string() };
/** A global session policy's rule: Okta states whether it requires a factor, false included. */
const signOnRuleSchema = z.looseObject({
  ...ruleFields,
  actions: z.looseObject({
    signon: z.looseObject({ access: z.string().min(1), requireFactor: z.boolean() }),
  }),
});
/** An authentication policy's rule: an ASSURANCE method states its factor mode (AUTH_METHOD_CHAIN has none). */
const accessRuleSchema = z.looseObject({
  ...ruleFields,
  actions: z.looseObject({
    appSignOn: z.looseObject({
      access: z.string().min(1),
      verificationMethod: z
        .looseObject({ type: z.string().min(1), factorMode: z.string().optional() })
        .refine((method) => method.type !== 'ASSURANCE' || method.factorMode !== undefined, {
          path: ['factorMode'],
          message: 'an ASSURANCE verification method states its factorMode',
        }),
    }),
  }),
});

type SignOnType = OktaSignOnPolicy['type'];

async function listPolicies<T>(session: OktaSession, type: 'PASSWORD' | SignOnType, schema: z.ZodType<T>) {
  try {
    return await listOf(session, `listPolicies(${type})`, schema, '/api/v1/policies', { type });
  } catch (error) {
    // Classic Engine orgs have no authentication policies and answer 400 for the type.
    if (type === 'ACCESS_POLICY' && error instanceof IdentityApiError && error.status === 400) return [];
    throw error;
  }
}

async function listRules(
  session: OktaSession,
  policyId: string,
  type: SignOnType,
): Promise<OktaSignOnRule[]> {
  const path = `/api/v1/policies/${encodeURIComponent(policyId)}/rules`;
  if (type === 'OKTA_SIGN_ON') {
    const rules = await listOf(session, 'listPolicyRules', signOnRuleSchema, path);
    return rules.map(({ id, name, status, actions: { signon } }) => ({
      id,
      name,
      status,
      access: signon.access,
      requiresMfa: signon.requireFactor,
    }));
  }
  const rules = await listOf(session, 'listPolicyRules', accessRuleSchema, path);
  return rules.map(({ id, name, status, actions: { appSignOn } }) => ({
    id,
    name,
    status,
    access: appSignOn.access,
    // A method chain's steps are not read: whether they make two factors is left to review, not guessed.
    requiresMfa:
      appSignOn.verificationMethod.type === 'ASSURANCE'
        ? appSignOn.verificationMethod.factorMode === '2FA'
        : null,
    verificationMethod: appSignOn.verificationMethod.type,
  }));
}

export async function collect(session: OktaSession): Promise<OktaPoliciesSnapshot> {
  const [password, signOn, access] = await Promise.all([
    listPolicies(session, 'PASSWORD', passwordPolicySchema),
    listPolicies(session, 'OKTA_SIGN_ON', policySchema),
    listPolicies(session, 'ACCESS_POLICY', policySchema),
  ]);
  const passwordPolicies: OktaPasswordPolicy[] = password.map(({ settings: { password: p }, ...policy }) => ({
    id: policy.id,
    name: policy.name,
    status: policy.status,
    priority: policy.priority ?? null,
    minLength: p.complexity.minLength,
    historyCount: p.age.historyCount,
    maxAgeDays: p.age.maxAgeDays,
    lockoutMaxAttempts: p.lockout.maxAttempts,
  }));
  const withType = [
    ...signOn.map((policy) => ({ policy, type: 'OKTA_SIGN_ON' as const })),
    ...access.map((policy) => ({ policy, type: 'ACCESS_POLICY' as const })),
  ];
  const signOnPolicies: OktaSignOnPolicy[] = await Promise.all(
    withType.map(async ({ policy, type }) => ({
      id: policy.id,
      name: policy.name,
      type,
      status: policy.status,
      rules: await listRules(session, policy.id, type),
    })),
  );
  return { orgUrl: session.orgUrl, passwordPolicies, signOnPolicies };
}
