import * as z from 'zod';
import { apiCall, IdentityApiError, parsePayload } from '../../api-error.ts';
import type { OktaSession } from '../session.ts';
import type {
  OktaPasswordPolicy,
  OktaPoliciesSnapshot,
  OktaSignOnPolicy,
  OktaSignOnRule,
} from './snapshot.ts';

const num = z.number().nullish();
const policySchema = z.looseObject({
  id: z.string().min(1),
  name: z.string(),
  status: z.string(),
  priority: num,
});
const passwordSettingsSchema = z
  .looseObject({
    password: z
      .looseObject({
        complexity: z.looseObject({ minLength: num }).nullish(),
        age: z.looseObject({ historyCount: num, maxAgeDays: num }).nullish(),
        lockout: z.looseObject({ maxAttempts: num }).nullish(),
      })
      .nullish(),
  })
  .nullish();
const ruleSchema = z.looseObject({
  id: z.string().min(1),
  name: z.string(),
  status: z.string(),
  actions: z
    .looseObject({
      signon: z.looseObject({ access: z.string().nullish(), requireFactor: z.boolean().nullish() }).nullish(),
      appSignOn: z
        .looseObject({
          access: z.string().nullish(),
          verificationMethod: z.looseObject({ factorMode: z.string().nullish() }).nullish(),
        })
        .nullish(),
    })
    .nullish(),
});

type PolicyType = 'PASSWORD' | 'OKTA_SIGN_ON' | 'ACCESS_POLICY';

async function listPolicies(session: OktaSession, type: PolicyType) {
  const operation = `listPolicies(${type})`;
  try {
    const raw = await apiCall('okta', operation, () => session.list('/api/v1/policies', { type }));
    return raw.map((p) => ({ raw: p, policy: parsePayload(policySchema, p, 'okta', operation) }));
  } catch (error) {
    // Classic Engine orgs have no authentication policies and answer 400 for the type.
    if (type === 'ACCESS_POLICY' && error instanceof IdentityApiError && error.status === 400) return [];
    throw error;
  }
}

function toRule(raw: unknown): OktaSignOnRule {
  const r = parsePayload(ruleSchema, raw, 'okta', 'listPolicyRules');
  const signon = r.actions?.signon;
  const app = r.actions?.appSignOn;
  return {
    id: r.id,
    name: r.name,
    status: r.status,
    access: signon?.access ?? app?.access ?? null,
    requiresMfa: signon?.requireFactor === true || app?.verificationMethod?.factorMode === '2FA',
  };
}

export async function collect(session: OktaSession): Promise<OktaPoliciesSnapshot> {
  const [password, signOn, access] = await Promise.all([
    listPolicies(session, 'PASSWORD'),
    listPolicies(session, 'OKTA_SIGN_ON'),
    listPolicies(session, 'ACCESS_POLICY'),
  ]);
  const passwordPolicies: OktaPasswordPolicy[] = password.map(({ raw, policy }) => {
    const settings = parsePayload(
      passwordSettingsSchema,
      (raw as { settings?: unknown }).settings,
      'okta',
      'listPolicies(PASSWORD).settings',
    )?.password;
    return {
      id: policy.id,
      name: policy.name,
      status: policy.status,
      priority: policy.priority ?? null,
      minLength: settings?.complexity?.minLength ?? null,
      historyCount: settings?.age?.historyCount ?? null,
      maxAgeDays: settings?.age?.maxAgeDays ?? null,
      lockoutMaxAttempts: settings?.lockout?.maxAttempts ?? null,
    };
  });
  const withType = [
    ...signOn.map((p) => ({ ...p, type: 'OKTA_SIGN_ON' as const })),
    ...access.map((p) => ({ ...p, type: 'ACCESS_POLICY' as const })),
  ];
  const signOnPolicies: OktaSignOnPolicy[] = await Promise.all(
    withType.map(async ({ policy, type }) => {
      const rules = await apiCall('okta', 'listPolicyRules', () =>
        session.list(`/api/v1/policies/${encodeURIComponent(policy.id)}/rules`),
      );
      return { id: policy.id, name: policy.name, type, status: policy.status, rules: rules.map(toRule) };
    }),
  );
  return { orgUrl: session.orgUrl, passwordPolicies, signOnPolicies };
}
