import { admin, type admin_directory_v1, auth } from '@googleapis/admin';
import { retryDelayMs, sleep } from '../api-error.ts';

export const DIRECTORY_SCOPES = ['https://www.googleapis.com/auth/admin.directory.user.readonly'] as const;
export const GOOGLE_TOKEN_URL = 'https://oauth2.googleapis.com/token';

export interface GoogleSessionOptions {
  /** The service account's JSON key (client_email, private_key). */
  readonly serviceAccount: { readonly client_email: string; readonly private_key: string };
  /** The administrator the service account acts as (domain-wide delegation). */
  readonly adminEmail: string;
  readonly customer?: string;
  /** Where the signed JWT is exchanged for a token. Default: Google's. */
  readonly tokenUrl?: string;
  /** The Admin SDK's root URL. Default: https://admin.googleapis.com/. */
  readonly apiRootUrl?: string;
  readonly maxRetries?: number;
}

export interface GoogleSession {
  readonly customer: string;
  readonly directory: admin_directory_v1.Admin;
  readonly retryConfig: NonNullable<admin_directory_v1.Options['retryConfig']>;
}

export function googleSession(options: GoogleSessionOptions): GoogleSession {
  const jwt = new auth.JWT({
    email: options.serviceAccount.client_email,
    key: options.serviceAccount.private_key,
    scopes: [...DIRECTORY_SCOPES],
    subject: options.adminEmail,
  });
  const tokenUrl = options.tokenUrl;
  if (tokenUrl && tokenUrl !== GOOGLE_TOKEN_URL) {
    // The JWT client posts to a fixed token URL; its transporter's public interceptors send that call to the
    // configured one instead (a private endpoint, or the local stand-in).
    jwt.transporter.interceptors.request.add({
      resolved: async (config) => {
        if (String(config.url) === GOOGLE_TOKEN_URL) config.url = new URL(tokenUrl);
        return config;
      },
    });
  }
  const directory = admin({
    version: 'directory_v1',
    auth: jwt,
    ...(options.apiRootUrl ? { rootUrl: options.apiRootUrl.replace(/\/?$/, '/') } : {}),
  });
  return {
    customer: options.customer ?? 'my_customer',
    directory,
    retryConfig: {
      retry: options.maxRetries ?? 5,
      statusCodesToRetry: [
        [429, 429],
        [500, 599],
      ],
      // Exponential backoff, as Google asks, unless the answer says how long to wait.
      retryBackoff: (err, defaultMs) => {
        const headers = err.response?.headers;
        return sleep(headers?.get('retry-after') ? retryDelayMs(headers, 0) : defaultMs);
      },
    },
  };
}
