import { randomUUID } from 'node:crypto';
import {
  json,
  page,
  type StandIn,
  type StandInRequest,
  type StandInResponse,
  selfSignedCertificate,
  startStandIn,
} from './http-stand-in.ts';

/**
 * Microsoft Entra ID as the Microsoft identity platform and Microsoft Graph v1.0 document it, on one HTTPS
 * server (MSAL refuses plain-HTTP authorities): OpenID metadata and the client-credentials token endpoint
 * under /{tenant}, and Graph collections under /v1.0 paged with `$top` and `@odata.nextLink`.
 */
export interface EntraSeedUser {
  readonly id: string;
  readonly userPrincipalName: string;
  readonly mail?: string | null;
  readonly accountEnabled: boolean;
  readonly userType?: 'Member' | 'Guest';
  readonly createdDateTime: string;
  readonly lastSignInDateTime?: string | null;
  /** null: no row in the registration report. */
  readonly mfa?: { readonly capable: boolean; readonly methods: readonly string[] } | null;
}

export interface EntraSeedRole {
  readonly id: string;
  readonly displayName: string;
  readonly roleTemplateId: string;
  readonly memberIds: readonly string[];
}

/** A role-assignable group: a role whose `memberIds` names it is held by each of its members. */
export interface EntraSeedGroup {
  readonly id: string;
  readonly displayName: string;
  readonly memberIds: readonly string[];
}

export interface EntraSeed {
  readonly tenantId: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly users: readonly EntraSeedUser[];
  readonly roles?: readonly EntraSeedRole[];
  readonly groups?: readonly EntraSeedGroup[];
  /** PIM role eligibilities: a user or role-assignable group may activate the role on demand. */
  readonly eligibleRoles?: readonly {
    readonly roleTemplateId: string;
    readonly principalId: string;
    /** `/` (tenant-wide, the default) or an administrative unit's path. */
    readonly directoryScopeId?: string;
  }[];
  /** false: the tenant has no Entra ID P2 or Governance licence, and PIM reads are refused. */
  readonly pimLicensed?: boolean;
  /** Conditional Access policies as Graph returns them. */
  readonly policies?: readonly unknown[];
  /** Page size when the client asks for more. */
  readonly maxPageSize?: number;
}

export interface EntraStandIn extends StandIn {
  /** The self-signed certificate the server presents: the CA the client must trust. */
  readonly ca: string;
}

const graphError = (status: number, code: string, message: string, headers: Record<string, string> = {}) =>
  json(
    status,
    { error: { code, message, innerError: { date: new Date().toISOString(), 'request-id': randomUUID() } } },
    headers,
  );

export const entraResponses = {
  unauthorized: (): StandInResponse =>
    graphError(401, 'InvalidAuthenticationToken', 'Access token validation failure. Invalid audience.'),
  forbidden: (): StandInResponse =>
    graphError(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.'),
  throttled: (retryAfterSeconds = 0): StandInResponse =>
    graphError(429, 'TooManyRequests', 'Too many requests.', { 'retry-after': String(retryAfterSeconds) }),
};

export async function startEntraStandIn(seed: EntraSeed): Promise<EntraStandIn> {
  const tls = selfSignedCertificate();
  const tokens = new Set<string>();
  const tenant = seed.tenantId;
  // Links name the host the client asked (a proxy in front of the stand-in keeps every call).
  const baseOf = (req: StandInRequest) => `https://${req.headers.host}`;

  const collection = (req: StandInRequest, context: string, items: readonly unknown[]): StandInResponse => {
    const base = baseOf(req);
    const top = Math.min(Number(req.url.searchParams.get('$top') ?? 100), seed.maxPageSize ?? 100);
    const { items: slice, next } = page(items, req.url.searchParams.get('$skiptoken'), top);
    const nextLink = new URL(`${base}${req.url.pathname}${req.url.search}`);
    if (next) nextLink.searchParams.set('$skiptoken', next);
    return json(200, {
      '@odata.context': `${base}/v1.0/$metadata#${context}`,
      value: slice,
      ...(next ? { '@odata.nextLink': nextLink.toString() } : {}),
    });
  };

  /** A member of a role or group as Graph lists directory objects: typed, a group with its name. */
  const directoryObject = (id: string) => {
    const user = seed.users.find((u) => u.id === id);
    if (user)
      return {
        '@odata.type': '#microsoft.graph.user',
        id,
        userPrincipalName: user.userPrincipalName,
        displayName: user.userPrincipalName,
      };
    const group = (seed.groups ?? []).find((g) => g.id === id);
    if (group)
      return {
        '@odata.type': '#microsoft.graph.group',
        id,
        displayName: group.displayName,
        isAssignableToRole: true,
      };
    return { '@odata.type': '#microsoft.graph.servicePrincipal', id, displayName: 'automation' };
  };
  /** Whether the user holds a role, directly or through a group. */
  const holdsRole = (userId: string) =>
    (seed.roles ?? []).some((r) =>
      r.memberIds.some(
        (id) => id === userId || !!seed.groups?.some((g) => g.id === id && g.memberIds.includes(userId)),
      ),
    );

  const userJson = (u: EntraSeedUser) => ({
    id: u.id,
    displayName: u.userPrincipalName.split('@')[0],
    userPrincipalName: u.userPrincipalName,
    mail: u.mail === undefined ? u.userPrincipalName : u.mail,
    accountEnabled: u.accountEnabled,
    userType: u.userType ?? 'Member',
    createdDateTime: u.createdDateTime,
    signInActivity: {
      lastSignInDateTime: u.lastSignInDateTime ?? null,
      lastSignInRequestId: null,
      lastNonInteractiveSignInDateTime: null,
      lastNonInteractiveSignInRequestId: null,
    },
  });

  const handler = (req: StandInRequest): StandInResponse => {
    const path = req.url.pathname;
    if (path === `/${tenant}/v2.0/.well-known/openid-configuration`) {
      const base = baseOf(req);
      const root = `${base}/${tenant}`;
      return json(200, {
        token_endpoint: `${root}/oauth2/v2.0/token`,
        token_endpoint_auth_methods_supported: [
          'client_secret_post',
          'private_key_jwt',
          'client_secret_basic',
        ],
        jwks_uri: `${base}/${tenant}/discovery/v2.0/keys`,
        response_modes_supported: ['query', 'fragment', 'form_post'],
        subject_types_supported: ['pairwise'],
        id_token_signing_alg_values_supported: ['RS256'],
        response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
        scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
        issuer: `${root}/v2.0`,
        request_uri_parameter_supported: false,
        userinfo_endpoint: `${base}/oidc/userinfo`,
        authorization_endpoint: `${root}/oauth2/v2.0/authorize`,
        device_authorization_endpoint: `${root}/oauth2/v2.0/devicecode`,
        http_logout_supported: true,
        frontchannel_logout_supported: true,
        end_session_endpoint: `${root}/oauth2/v2.0/logout`,
        claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'tid'],
        tenant_region_scope: 'EU',
        cloud_instance_name: 'microsoftonline.com',
        cloud_graph_host_name: 'graph.windows.net',
        msgraph_host: 'graph.microsoft.com',
      });
    }
    if (req.method === 'POST' && path === `/${tenant}/oauth2/v2.0/token`) {
      const form = new URLSearchParams(req.body);
      if (form.get('grant_type') !== 'client_credentials')
        return json(400, { error: 'unsupported_grant_type', error_codes: [70003] });
      if (form.get('client_id') !== seed.clientId || form.get('client_secret') !== seed.clientSecret)
        return json(401, {
          error: 'invalid_client',
          error_description: `AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${form.get('client_id')}'.`,
          error_codes: [7000215],
          timestamp: new Date().toISOString(),
          trace_id: randomUUID(),
          correlation_id: randomUUID(),
        });
      const accessToken = `eyJ0eXAiOiJKV1Qi.${randomUUID()}`;
      tokens.add(accessToken);
      return json(200, {
        token_type: 'Bearer',
        expires_in: 3599,
        ext_expires_in: 3599,
        access_token: accessToken,
      });
    }
    if (!path.startsWith('/v1.0/')) return graphError(404, 'UnknownError', `no route for ${path}`);
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (!bearer || !tokens.has(bearer)) return entraResponses.unauthorized();
    if (path === '/v1.0/users') return collection(req, 'users', seed.users.map(userJson));
    if (path === '/v1.0/reports/authenticationMethods/userRegistrationDetails')
      return collection(
        req,
        'reports/authenticationMethods/userRegistrationDetails',
        seed.users
          .filter((u) => u.mfa !== null)
          .map((u) => ({
            id: u.id,
            userPrincipalName: u.userPrincipalName,
            userDisplayName: u.userPrincipalName.split('@')[0],
            userType: (u.userType ?? 'Member').toLowerCase(),
            isAdmin: holdsRole(u.id),
            isSsprRegistered: false,
            isSsprEnabled: false,
            isSsprCapable: false,
            isMfaRegistered: (u.mfa?.methods.length ?? 0) > 0,
            isMfaCapable: u.mfa?.capable ?? false,
            isPasswordlessCapable: false,
            methodsRegistered: u.mfa?.methods ?? [],
            isSystemPreferredAuthenticationMethodEnabled: false,
            defaultMfaMethod: u.mfa?.methods[0] ?? 'none',
            lastUpdatedDateTime: u.createdDateTime,
          })),
      );
    if (path === '/v1.0/directoryRoles')
      return collection(
        req,
        'directoryRoles',
        (seed.roles ?? []).map((r) => ({
          id: r.id,
          deletedDateTime: null,
          description: r.displayName,
          displayName: r.displayName,
          roleTemplateId: r.roleTemplateId,
        })),
      );
    // A role's members, or a group's: /directoryRoles/{id}/members, /groups/{id}/transitiveMembers.
    const members = /^\/v1\.0\/(directoryRoles\/([^/]+)\/members|groups\/([^/]+)\/transitiveMembers)$/.exec(
      path,
    );
    if (members) {
      const id = members[2] ?? members[3]!;
      const owners: readonly { id: string; memberIds: readonly string[] }[] =
        (members[2] ? seed.roles : seed.groups) ?? [];
      const owner = owners.find((o) => o.id === id);
      if (!owner) return graphError(404, 'Request_ResourceNotFound', `Resource '${id}' does not exist.`);
      return collection(req, 'directoryObjects', owner.memberIds.map(directoryObject));
    }
    if (path === '/v1.0/roleManagement/directory/roleEligibilityScheduleInstances') {
      if (seed.pimLicensed === false)
        return graphError(
          400,
          'AadPremiumLicenseRequired',
          'The tenant needs to have Microsoft Entra ID P2 or Microsoft Entra ID Governance license.',
        );
      const expand = req.url.searchParams.get('$expand') === 'principal';
      return collection(
        req,
        'roleManagement/directory/roleEligibilityScheduleInstances',
        (seed.eligibleRoles ?? []).map((e, i) => ({
          id: `eligibility-${i}`,
          principalId: e.principalId,
          roleDefinitionId: e.roleTemplateId,
          directoryScopeId: e.directoryScopeId ?? '/',
          appScopeId: null,
          startDateTime: '2026-01-01T00:00:00Z',
          endDateTime: null,
          memberType: 'Direct',
          roleEligibilityScheduleId: `schedule-${i}`,
          ...(expand ? { principal: directoryObject(e.principalId) } : {}),
        })),
      );
    }
    if (path === '/v1.0/identity/conditionalAccess/policies')
      return collection(req, 'identity/conditionalAccess/policies', seed.policies ?? []);
    return graphError(400, 'BadRequest', `Resource not found for the segment '${path.split('/').at(-1)}'.`);
  };

  const standIn = await startStandIn(handler, { tls });
  return { ...standIn, ca: tls.cert };
}

/** A Conditional Access policy as Graph returns it. */
export function caPolicy(
  id: string,
  displayName: string,
  options: {
    state?: string;
    includeUsers?: string[];
    includeRoles?: string[];
    excludeUsers?: string[];
    includeApplications?: string[];
    builtInControls?: string[];
    operator?: 'AND' | 'OR';
    authenticationStrength?: ReturnType<typeof authenticationStrength>;
  } = {},
) {
  return {
    id,
    displayName,
    createdDateTime: '2026-01-01T00:00:00Z',
    modifiedDateTime: null,
    state: options.state ?? 'enabled',
    sessionControls: null,
    conditions: {
      userRiskLevels: [],
      signInRiskLevels: [],
      clientAppTypes: ['all'],
      platforms: null,
      locations: null,
      applications: {
        includeApplications: options.includeApplications ?? ['All'],
        excludeApplications: [],
        includeUserActions: [],
      },
      users: {
        includeUsers: options.includeUsers ?? [],
        excludeUsers: options.excludeUsers ?? [],
        includeGroups: [],
        excludeGroups: [],
        includeRoles: options.includeRoles ?? [],
        excludeRoles: [],
      },
    },
    grantControls: {
      operator: options.operator ?? 'OR',
      builtInControls: options.builtInControls ?? ['mfa'],
      customAuthenticationFactors: [],
      termsOfUse: [],
      'authenticationStrength@odata.context': `https://graph.microsoft.com/v1.0/$metadata#identity/conditionalAccess/policies('${id}')/grantControls/authenticationStrength/$entity`,
      authenticationStrength: options.authenticationStrength ?? null,
    },
  };
}

/**
 * An authentication strength as Graph expands it in a policy's grant controls (authenticationStrengthPolicy):
 * `requirementsSatisfied` is `mfa` when every allowed combination is multifactor, `none` otherwise.
 */
export function authenticationStrength(
  id: string,
  displayName: string,
  requirementsSatisfied: 'mfa' | 'none',
  allowedCombinations: string[],
) {
  return {
    id,
    createdDateTime: '2021-12-01T08:00:00Z',
    modifiedDateTime: '2021-12-01T08:00:00Z',
    displayName,
    description: '',
    policyType: id.startsWith('00000000-0000-0000-0000-') ? 'builtIn' : 'custom',
    requirementsSatisfied,
    allowedCombinations,
    combinationConfigurations: [],
  };
}
