import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { ClientSecretCredential } from '@azure/identity';
import {
  AuthenticationHandler,
  Client,
  type Context,
  type Middleware,
  type PageCollection,
  PageIterator,
  RetryHandler,
  RetryHandlerOptions,
} from '@microsoft/microsoft-graph-client';
import { TokenCredentialAuthenticationProvider } from '@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials/index.js';

/** Microsoft Graph application permissions the collectors need (admin-consented, read-only). */
export const GRAPH_PERMISSIONS = [
  'User.Read.All',
  'AuditLog.Read.All',
  'UserAuthenticationMethod.Read.All',
  'RoleManagement.Read.Directory',
  'Policy.Read.All',
] as const;

export const DEFAULT_AUTHORITY_HOST = 'https://login.microsoftonline.com';
export const DEFAULT_GRAPH_BASE_URL = 'https://graph.microsoft.com';

export interface EntraSessionOptions {
  readonly tenantId: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** Sovereign clouds have their own (login.microsoftonline.us, …). Default: the public cloud. */
  readonly authorityHost?: string;
  readonly graphBaseUrl?: string;
  /** Extra CA certificate (PEM) to trust: a private CA or a TLS-inspecting proxy. */
  readonly ca?: string;
  readonly maxRetries?: number;
}

export interface EntraSession {
  readonly tenantId: string;
  readonly client: Client;
  /** Every item of a Graph collection (see `listAll` in list.ts, which the collectors call). */
  readonly list: (path: string, query: Record<string, string>) => Promise<unknown[]>;
}

/**
 * The SDK's own transport is the global fetch, which cannot be given a CA to trust; this one is node:https
 * with the configured CA, plugged in through the SDK's documented middleware chain.
 */
class NodeHttpTransport implements Middleware {
  constructor(private readonly ca: string | undefined) {}

  async execute(context: Context): Promise<void> {
    const request =
      context.request instanceof Request
        ? context.request
        : new Request(context.request as string, context.options as RequestInit);
    const url = new URL(request.url);
    const body = request.body ? Buffer.from(await request.arrayBuffer()) : undefined;
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    context.response = await new Promise<Response>((resolve, reject) => {
      const req = send(
        url,
        {
          method: request.method,
          headers: Object.fromEntries(request.headers.entries()),
          ...(this.ca ? { ca: this.ca } : {}),
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', reject);
          res.on('end', () => {
            const status = res.statusCode ?? 500;
            const headers = new Headers();
            for (const [name, value] of Object.entries(res.headers))
              for (const v of ([] as string[]).concat(value ?? [])) headers.append(name, v);
            const noBody = status === 204 || status === 304;
            resolve(new Response(noBody ? null : Buffer.concat(chunks), { status, headers }));
          });
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }
}

export function entraSession(options: EntraSessionOptions): EntraSession {
  const authorityHost = options.authorityHost ?? DEFAULT_AUTHORITY_HOST;
  const graphBaseUrl = (options.graphBaseUrl ?? DEFAULT_GRAPH_BASE_URL).replace(/\/+$/, '');
  const credential = new ClientSecretCredential(options.tenantId, options.clientId, options.clientSecret, {
    authorityHost,
    // Instance discovery asks the public cloud whether the authority is valid: only for the default host.
    disableInstanceDiscovery: authorityHost !== DEFAULT_AUTHORITY_HOST,
    ...(options.ca ? { tlsOptions: { ca: options.ca } } : {}),
  });
  const authProvider = new TokenCredentialAuthenticationProvider(credential, {
    scopes: [`${new URL(graphBaseUrl).origin}/.default`],
  });
  // Authentication (tokens only for the Graph host) → retries (429/503/504, honouring Retry-After) → transport.
  const chain: Middleware[] = [
    new AuthenticationHandler(authProvider),
    new RetryHandler(new RetryHandlerOptions(1, options.maxRetries ?? 5)),
    new NodeHttpTransport(options.ca),
  ];
  chain.reduce((previous, next) => {
    previous.setNext?.(next);
    return next;
  });
  const client = Client.initWithMiddleware({
    middleware: chain,
    baseUrl: graphBaseUrl,
    defaultVersion: 'v1.0',
    customHosts: new Set([new URL(graphBaseUrl).hostname]),
  });
  return { tenantId: options.tenantId, client, list: (path, query) => listPages(client, path, query) };
}

/** Every item of a Graph collection, following `@odata.nextLink` with the SDK's PageIterator. */
async function listPages(client: Client, path: string, query: Record<string, string>): Promise<unknown[]> {
  let request = client.api(path);
  if (Object.keys(query).length) request = request.query(query);
  const first = (await request.get()) as PageCollection;
  if (!first || !Array.isArray(first.value)) throw new SyntaxError(`${path}: response has no "value" array`);
  const items: unknown[] = [];
  const iterator = new PageIterator(client, first, (item) => {
    items.push(item);
    return true;
  });
  await iterator.iterate();
  return items;
}
