import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { HttpClient } from '@azure/core-rest-pipeline';
import { ClientSecretCredential } from '@azure/identity';
import {
  AuthenticationHandler,
  Client,
  type Context,
  type Middleware,
} from '@microsoft/microsoft-graph-client';
import { TokenCredentialAuthenticationProvider } from '@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials/index.js';
import * as z from 'zod';
import { issueLine } from '../../../core/validate.ts';
import { IDP_MAX_RETRIES, retryDelayMs, sleep } from '../api-error.ts';

/** Microsoft Graph application permissions the collectors need (admin-consented, read-only). */
export const GRAPH_PERMISSIONS = [
  'User.Read.All',
  'AuditLog.Read.All',
  'UserAuthenticationMethod.Read.All',
  'RoleManagement.Read.Directory',
  'GroupMember.Read.All',
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
  /** Retries of a 429/503/504 or a failed connection (default: five, six attempts as every client makes). */
  readonly maxRetries?: number;
  /** Longest silence (ms) before an attempt is abandoned. Default: 30 s. */
  readonly requestTimeoutMs?: number;
  /** How the transport waits before a retry. */
  readonly sleep?: (ms: number) => Promise<unknown>;
}

export interface EntraSession {
  readonly tenantId: string;
  readonly client: Client;
  /** Every item of a Graph collection (see `listOf` in list.ts, which the collectors call). */
  readonly list: (path: string, query: Record<string, string>) => Promise<unknown[]>;
}

/** What Graph documents as transient: throttling (429, with Retry-After) and a busy or slow service (503, 504). */
const RETRYABLE_STATUS = new Set([429, 503, 504]);
/** A request silent this long is abandoned (and retried): one that never answers would hold its collector. */
const REQUEST_TIMEOUT_MS = 30_000;

interface TransportOptions {
  readonly ca: string | undefined;
  readonly maxRetries: number;
  readonly timeoutMs: number;
  readonly sleep: (ms: number) => Promise<unknown>;
}

interface OutgoingRequest {
  readonly url: URL;
  readonly method: string;
  readonly headers: Record<string, string>;
  readonly body: Buffer | string | undefined;
}

/**
 * node:https with the configured CA (the global fetch cannot be given one to trust), for Graph and the token
 * endpoint alike. It retries what Graph documents as retryable (honouring Retry-After) and a dropped, stalled
 * or cut-off answer, as the other vendors' clients do; the SDKs' own retries know the statuses only.
 */
async function retryingSend(request: OutgoingRequest, options: TransportOptions): Promise<Response> {
  for (let attempt = 0; ; attempt++) {
    let response: Response;
    try {
      response = await sendOnce(request, options);
    } catch (error) {
      if (attempt >= options.maxRetries) throw error;
      await options.sleep(retryDelayMs(new Headers(), attempt));
      continue;
    }
    if (!RETRYABLE_STATUS.has(response.status) || attempt >= options.maxRetries) return response;
    await options.sleep(retryDelayMs(response.headers, attempt));
  }
}

/** One attempt, its answer read whole; a failure names the request (method and path, never a token). */
function sendOnce(
  { url, method, headers, body }: OutgoingRequest,
  options: TransportOptions,
): Promise<Response> {
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<Response>((resolve, reject) => {
    const fail = (error: Error) =>
      reject(
        Object.assign(new Error(`${method} ${url.pathname}: ${error.message}`), { code: 'RequestFailed' }),
      );
    const req = send(
      url,
      { method, headers, timeout: options.timeoutMs, ...(options.ca ? { ca: options.ca } : {}) },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', fail);
        res.on('end', () => {
          const status = res.statusCode ?? 500;
          const answer = new Headers();
          for (const [name, value] of Object.entries(res.headers))
            for (const v of ([] as string[]).concat(value ?? [])) answer.append(name, v);
          const noBody = status === 204 || status === 304;
          resolve(new Response(noBody ? null : Buffer.concat(chunks), { status, headers: answer }));
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer in ${options.timeoutMs} ms`)));
    req.on('error', fail);
    req.end(body);
  });
}

/** The transport at the end of the Graph SDK's documented middleware chain. */
class GraphTransport implements Middleware {
  constructor(private readonly options: TransportOptions) {}

  async execute(context: Context): Promise<void> {
    const request =
      context.request instanceof Request
        ? context.request
        : new Request(context.request as string, context.options as RequestInit);
    context.response = await retryingSend(
      {
        url: new URL(request.url),
        method: request.method,
        headers: Object.fromEntries(request.headers.entries()),
        body: request.body ? Buffer.from(await request.arrayBuffer()) : undefined,
      },
      this.options,
    );
  }
}

/** The same transport as the identity library's HTTP client (its `httpClient` option), for token requests. */
function tokenHttpClient(options: TransportOptions): HttpClient {
  return {
    async sendRequest(request) {
      const body = request.body;
      const response = await retryingSend(
        {
          url: new URL(request.url),
          method: request.method,
          headers: request.headers.toJSON() as Record<string, string>,
          body: typeof body === 'string' ? body : undefined,
        },
        options,
      );
      const headers = response.headers;
      return {
        request,
        status: response.status,
        bodyAsText: await response.text(),
        headers: {
          get: (name: string) => headers.get(name) ?? undefined,
          has: (name: string) => headers.has(name),
          set: (name: string, value: string | number | boolean) => headers.set(name, String(value)),
          delete: (name: string) => headers.delete(name),
          toJSON: () => Object.fromEntries(headers.entries()),
          [Symbol.iterator]: () => headers.entries(),
        },
      };
    },
  };
}

export function entraSession(options: EntraSessionOptions): EntraSession {
  const transport: TransportOptions = {
    ca: options.ca,
    maxRetries: options.maxRetries ?? IDP_MAX_RETRIES,
    timeoutMs: options.requestTimeoutMs ?? REQUEST_TIMEOUT_MS,
    sleep: options.sleep ?? sleep,
  };
  const authorityHost = options.authorityHost ?? DEFAULT_AUTHORITY_HOST;
  const graphBaseUrl = (options.graphBaseUrl ?? DEFAULT_GRAPH_BASE_URL).replace(/\/+$/, '');
  const credential = new ClientSecretCredential(options.tenantId, options.clientId, options.clientSecret, {
    authorityHost,
    // Instance discovery asks the public cloud whether the authority is valid: only for the default host.
    disableInstanceDiscovery: authorityHost !== DEFAULT_AUTHORITY_HOST,
    // Token requests go through the Graph transport (its CA, timeout and retries): one place retries.
    httpClient: tokenHttpClient(transport),
    retryOptions: { maxRetries: 0 },
  });
  const authProvider = new TokenCredentialAuthenticationProvider(credential, {
    scopes: [`${new URL(graphBaseUrl).origin}/.default`],
  });
  // Authentication (tokens only for the Graph host) → transport with retries.
  const chain: Middleware[] = [new AuthenticationHandler(authProvider), new GraphTransport(transport)];
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

const MAX_PAGES = 10_000;

/**
 * One page of a Graph collection. Every page holds `value`, and only a page with more after it holds
 * `@odata.nextLink`: a page without `value` is no evidence that the collection ended there.
 */
const pageSchema = z.looseObject({
  value: z.array(z.unknown()),
  '@odata.nextLink': z.url({ protocol: /^https?$/ }).optional(),
});

/**
 * Every item of a Graph collection, following `@odata.nextLink`. A page of another shape throws a SyntaxError
 * naming the page and the field, which `apiCall` records as a malformed answer (the SDK's PageIterator ended
 * the list quietly at a page without `value`).
 */
async function listPages(client: Client, path: string, query: Record<string, string>): Promise<unknown[]> {
  const items: unknown[] = [];
  let request = client.api(path);
  if (Object.keys(query).length) request = request.query(query);
  for (let page = 1; page <= MAX_PAGES; page++) {
    const result = pageSchema.safeParse(await request.get());
    if (!result.success) {
      const issue = result.error.issues[0];
      throw new SyntaxError(`${path} page ${page}: ${issue ? issueLine(issue) : '(root): unexpected shape'}`);
    }
    items.push(...result.data.value);
    const next = result.data['@odata.nextLink'];
    if (next === undefined) return items;
    request = client.api(next);
  }
  throw new Error(`${path}: more than ${MAX_PAGES} pages, giving up`);
}
