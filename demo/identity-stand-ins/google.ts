import { generateKeyPairSync, randomUUID, verify } from 'node:crypto';
import {
  json,
  jwtPayload,
  page,
  type StandIn,
  type StandInRequest,
  type StandInResponse,
  startStandIn,
} from './http-stand-in.ts';

/**
 * Google Workspace as the OAuth 2.0 service-account flow and the Admin SDK Directory API document them:
 * POST /token exchanges a signed JWT (RS256, `sub` = the impersonated admin) for a token, and
 * GET /admin/directory/v1/users pages with `maxResults` and `nextPageToken`.
 */
export interface GoogleSeedUser {
  readonly id: string;
  readonly primaryEmail: string;
  readonly suspended?: boolean;
  readonly isAdmin?: boolean;
  readonly isEnrolledIn2Sv: boolean;
  readonly isEnforcedIn2Sv: boolean;
  /** null: never signed in (reported as 1970-01-01T00:00:00.000Z). */
  readonly lastLoginTime?: string | null;
  readonly creationTime: string;
}

export interface GoogleSeed {
  readonly users: readonly GoogleSeedUser[];
  /** The administrator the service account may impersonate. */
  readonly adminEmail: string;
  readonly maxPageSize?: number;
}

export interface GoogleStandIn extends StandIn {
  /** A service account JSON key the stand-in accepts (a fresh RSA key pair). */
  readonly serviceAccountKey: { type: string; client_email: string; private_key: string; token_uri: string };
}

const apiError = (
  code: number,
  status: string,
  reason: string,
  message: string,
  headers: Record<string, string> = {},
) =>
  json(code, { error: { code, message, errors: [{ message, domain: 'global', reason }], status } }, headers);

export const googleResponses = {
  unauthorized: (): StandInResponse =>
    apiError(401, 'UNAUTHENTICATED', 'authError', 'Request had invalid authentication credentials.'),
  forbidden: (): StandInResponse =>
    apiError(403, 'PERMISSION_DENIED', 'forbidden', 'Not Authorized to access this resource/api'),
  rateLimited: (retryAfterSeconds?: number): StandInResponse =>
    apiError(
      429,
      'RESOURCE_EXHAUSTED',
      'rateLimitExceeded',
      'Quota exceeded for quota metric "Queries".',
      retryAfterSeconds === undefined ? {} : { 'retry-after': String(retryAfterSeconds) },
    ),
};

export async function startGoogleStandIn(seed: GoogleSeed): Promise<GoogleStandIn> {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const clientEmail = 'proofline-reader@acme-proofline.iam.gserviceaccount.com';
  const tokens = new Set<string>();
  let base = '';

  const token = (req: StandInRequest): StandInResponse => {
    const form = new URLSearchParams(req.body);
    if (form.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:jwt-bearer')
      return json(400, { error: 'unsupported_grant_type', error_description: 'Invalid grant_type.' });
    const assertion = form.get('assertion') ?? '';
    const [header, payload, signature] = assertion.split('.');
    const signed =
      !!header &&
      !!signature &&
      verify('sha256', Buffer.from(`${header}.${payload}`), publicKey, Buffer.from(signature, 'base64url'));
    if (!signed) return json(400, { error: 'invalid_grant', error_description: 'Invalid JWT Signature.' });
    const claims = jwtPayload(assertion);
    if (claims.iss !== clientEmail)
      return json(400, { error: 'invalid_grant', error_description: 'Invalid issuer.' });
    if (claims.sub !== seed.adminEmail || !String(claims.scope).includes('admin.directory.user.readonly'))
      return json(401, {
        error: 'unauthorized_client',
        error_description:
          'Client is unauthorized to retrieve access tokens using this method, or client not authorized for any of the scopes requested.',
      });
    const accessToken = `ya29.${randomUUID()}`;
    tokens.add(accessToken);
    return json(200, { access_token: accessToken, expires_in: 3599, token_type: 'Bearer' });
  };

  const handler = (req: StandInRequest): StandInResponse => {
    if (req.method === 'POST' && req.url.pathname === '/token') return token(req);
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (!bearer || !tokens.has(bearer)) return googleResponses.unauthorized();
    if (req.url.pathname === '/admin/directory/v1/users') {
      if (!req.url.searchParams.get('customer') && !req.url.searchParams.get('domain'))
        return apiError(400, 'INVALID_ARGUMENT', 'badRequest', 'Bad Request');
      const max = Math.min(Number(req.url.searchParams.get('maxResults') ?? 100), seed.maxPageSize ?? 500);
      const { items, next } = page(seed.users, req.url.searchParams.get('pageToken'), max);
      return json(200, {
        kind: 'admin#directory#users',
        etag: `"${randomUUID()}"`,
        users: items.map((u) => ({
          kind: 'admin#directory#user',
          id: u.id,
          etag: `"${u.id}"`,
          primaryEmail: u.primaryEmail,
          name: { givenName: u.primaryEmail.split('@')[0], familyName: 'Example', fullName: u.primaryEmail },
          isAdmin: u.isAdmin ?? false,
          isDelegatedAdmin: false,
          lastLoginTime: u.lastLoginTime ?? '1970-01-01T00:00:00.000Z',
          creationTime: u.creationTime,
          agreedToTerms: true,
          suspended: u.suspended ?? false,
          archived: false,
          changePasswordAtNextLogin: false,
          ipWhitelisted: false,
          emails: [{ address: u.primaryEmail, primary: true }],
          customerId: 'C01abcdef',
          orgUnitPath: '/',
          isMailboxSetup: true,
          isEnrolledIn2Sv: u.isEnrolledIn2Sv,
          isEnforcedIn2Sv: u.isEnforcedIn2Sv,
          includeInGlobalAddressList: true,
        })),
        ...(next ? { nextPageToken: next } : {}),
      });
    }
    return apiError(404, 'NOT_FOUND', 'notFound', `no route for ${req.url.pathname}`);
  };

  const standIn = await startStandIn(handler);
  base = standIn.url;
  return {
    ...standIn,
    serviceAccountKey: {
      type: 'service_account',
      client_email: clientEmail,
      private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      token_uri: `${base}/token`,
    },
  };
}
