import { createHash } from 'node:crypto';
import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type RequestListener,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer, request as httpsRequest } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { sha256Hex } from '../../core/canonical.ts';
import { selfSignedCertificate } from '../../demo/identity-stand-ins/http-stand-in.ts';

/** What the proxy does to one request. */
export type FaultKind = 'throttle' | 'server-error' | 'timeout' | 'reset' | 'truncate';
export const FAULT_KINDS: readonly FaultKind[] = ['throttle', 'server-error', 'timeout', 'reset', 'truncate'];

export interface FaultProxyOptions {
  /** The real endpoint behind the proxy (moto_server or a stand-in), e.g. http://127.0.0.1:5000. */
  readonly upstream: string;
  /** Fraction of requests that get a fault, 0..1. Changeable later with `setRate`. */
  readonly rate: number;
  readonly seed: number;
  /**
   * How the vendor says "slow down" and "failed": AWS error shapes per protocol; Microsoft Graph (429 with
   * Retry-After, 503/504); Google APIs (429 rateLimitExceeded or 403 userRateLimitExceeded, 5xx); or a plain
   * HTTP 429 and 500/502/503 (GitHub, Okta). Default: http.
   */
  readonly vendor?: Vendor;
  /** Serve HTTPS with a throwaway certificate (`ca` then holds it), for clients that refuse plain HTTP. */
  readonly tls?: boolean;
  /** How long a `timeout` fault holds a request without answering before dropping the connection. */
  readonly stallMs?: number;
  /** The kinds of fault to inject; default all. */
  readonly kinds?: readonly FaultKind[];
}

export interface FaultCounts {
  /** Requests that reached the proxy. */
  calls: number;
  /** Requests that got a fault, by kind. */
  faults: Record<FaultKind, number>;
  /** Requests that repeated one that got a fault (same method, URL and body): the clients' retries. */
  retries: number;
}

export type Vendor = 'aws' | 'graph' | 'google' | 'http';

export interface FaultProxy {
  readonly url: string;
  /** The certificate an HTTPS proxy presents: the CA its clients must trust. */
  readonly ca?: string;
  readonly counts: FaultCounts;
  /** The fault each faulted request got, as `KIND METHOD path` lines (naming calls in assertions). */
  readonly log: string[];
  setRate(rate: number): void;
  resetCounts(): void;
  stop(): Promise<void>;
}

/**
 * A seeded fault-injecting HTTP proxy between a real SDK and an emulator. Whether a request is faulted, and
 * how, depends only on the seed, the request (method, URL, body) and how often that request was seen: a run
 * is repeatable whatever order concurrent requests arrive in, and a retry draws afresh.
 */
export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  let rate = options.rate;
  const seen = new Map<string, number>();
  const faulted = new Map<string, number>();
  const sockets = new Set<Socket>();
  const stalled = new Set<NodeJS.Timeout>();
  const counts: FaultCounts = { calls: 0, faults: zeroFaults(), retries: 0 };
  const log: string[] = [];
  const upstream = new URL(options.upstream);

  const listener: RequestListener = async (req, res) => {
    const body = await readBody(req);
    const identity = `${req.method} ${req.url} ${sha256Hex(body)}`;
    const occurrence = seen.get(identity) ?? 0;
    seen.set(identity, occurrence + 1);
    counts.calls++;
    const pending = faulted.get(identity) ?? 0;
    if (pending > 0) {
      counts.retries++;
      faulted.set(identity, pending - 1);
    }
    const [fault, pick] = drawFault(`${options.seed}|${identity}|${occurrence}`, rate, options.kinds);
    if (!fault) return forward(upstream, req, body, res);
    counts.faults[fault]++;
    faulted.set(identity, (faulted.get(identity) ?? 0) + 1);
    log.push(`${fault} ${req.method} ${(req.url ?? '').split('?')[0]}`);
    switch (fault) {
      case 'throttle':
        return throttle(req, body, res, options.vendor ?? 'http', pick);
      case 'server-error':
        return serverError(res, options.vendor ?? 'http', pick);
      case 'timeout': {
        const timer = setTimeout(() => {
          stalled.delete(timer);
          req.socket.destroy();
        }, options.stallMs ?? 2000);
        stalled.add(timer);
        return;
      }
      case 'reset':
        return req.socket.destroy();
      case 'truncate':
        return forward(upstream, req, body, res, { truncate: true });
    }
  };
  const tls = options.tls ? selfSignedCertificate() : undefined;
  const server = tls ? createHttpsServer(tls, listener) : createServer(listener);
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `${tls ? 'https' : 'http'}://127.0.0.1:${(server.address() as AddressInfo).port}`,
    ...(tls ? { ca: tls.cert } : {}),
    counts,
    log,
    setRate: (value) => {
      rate = value;
    },
    resetCounts: () => {
      Object.assign(counts, { calls: 0, faults: zeroFaults(), retries: 0 });
      log.length = 0;
      faulted.clear();
    },
    stop: async () => {
      for (const timer of stalled) clearTimeout(timer);
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const zeroFaults = (): Record<FaultKind, number> =>
  Object.fromEntries(FAULT_KINDS.map((kind) => [kind, 0])) as Record<FaultKind, number>;

/** A uniform draw in [0, 1) from a string, then the fault kind and a variant from more draws. */
function drawFault(key: string, rate: number, kinds = FAULT_KINDS): [FaultKind | undefined, number] {
  const digest = createHash('sha256').update(key).digest();
  if (digest.readUInt32BE(0) / 2 ** 32 >= rate) return [undefined, 0];
  return [kinds[digest.readUInt32BE(4) % kinds.length], digest.readUInt32BE(8)];
}

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * Relays the request and answers with the upstream's status, headers and body read whole, as `rewrite` returns
 * it (the length set to match); with `truncate`, sends the status, the headers and the full length but only
 * half the body, then drops the connection (what a connection lost mid-answer looks like to the client).
 */
export function forward(
  upstream: URL,
  req: IncomingMessage,
  body: Buffer,
  res: ServerResponse,
  options: { truncate?: boolean; rewrite?: (data: Buffer, answer: IncomingMessage) => Buffer } = {},
) {
  const https = upstream.protocol === 'https:';
  const out = (https ? httpsRequest : httpRequest)(
    {
      host: upstream.hostname,
      port: upstream.port,
      method: req.method,
      path: req.url,
      headers: req.headers,
      // The upstream is a stand-in on loopback with a throwaway certificate.
      ...(https ? { rejectUnauthorized: false } : {}),
    },
    async (answer) => {
      const read = await readBody(answer);
      const data = options.rewrite ? options.rewrite(read, answer) : read;
      const headers = { ...answer.headers };
      delete headers['transfer-encoding'];
      headers['content-length'] = String(data.length);
      res.writeHead(answer.statusCode ?? 502, headers);
      if (!options.truncate) return res.end(data);
      res.write(data.subarray(0, Math.floor(data.length / 2)), () => res.socket?.destroy());
    },
  );
  out.on('error', () => req.socket.destroy());
  out.end(body);
}

/** The AWS service a SigV4-signed request is for (`…/us-east-1/s3/aws4_request`). */
const awsService = (req: IncomingMessage) =>
  /\/[a-z0-9-]+\/([a-z0-9-]+)\/aws4_request/.exec(String(req.headers.authorization ?? ''))?.[1] ?? '';

const sendJson = (
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
};

/** Microsoft Graph's error body (learn.microsoft.com/graph/errors). */
const graphError = (code: string, message: string) => ({
  error: { code, message, innerError: { date: new Date(0).toISOString(), 'request-id': 'f1' } },
});

/** A Google API error body (cloud.google.com/apis/design/errors), with the legacy `errors[].reason`. */
const googleError = (code: number, status: string, reason: string, message: string) => ({
  error: { code, message, errors: [{ message, domain: 'usageLimits', reason }], status },
});

/** "Slow down" as the vendor documents it (for AWS: as each protocol says it, in codes the SDK knows). */
function throttle(req: IncomingMessage, body: Buffer, res: ServerResponse, vendor: Vendor, pick: number) {
  if (vendor === 'http')
    return sendJson(res, 429, { message: 'API rate limit exceeded' }, { 'retry-after': '1' });
  if (vendor === 'graph')
    return sendJson(res, 429, graphError('TooManyRequests', 'Too many requests.'), { 'retry-after': '1' });
  if (vendor === 'google')
    return pick % 2
      ? sendJson(
          res,
          403,
          googleError(403, 'PERMISSION_DENIED', 'userRateLimitExceeded', 'User Rate Limit Exceeded'),
        )
      : sendJson(
          res,
          429,
          googleError(429, 'RESOURCE_EXHAUSTED', 'rateLimitExceeded', 'Quota exceeded for quota metric'),
        );
  const service = awsService(req);
  const xml = (status: number, text: string) => {
    res.writeHead(status, { 'content-type': 'text/xml' });
    res.end(text);
  };
  if (service === 's3' || service === 's3-control')
    return xml(
      503,
      '<?xml version="1.0" encoding="UTF-8"?><Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message><RequestId>F1</RequestId></Error>',
    );
  if (service === 'ec2')
    return xml(
      503,
      '<Response><Errors><Error><Code>RequestLimitExceeded</Code><Message>Request limit exceeded.</Message></Error></Errors><RequestID>F1</RequestID></Response>',
    );
  const form = String(req.headers['content-type'] ?? '').includes('x-www-form-urlencoded');
  if (form || body.toString().startsWith('Action='))
    return xml(
      400,
      '<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>F1</RequestId></ErrorResponse>',
    );
  // JSON (X-Amz-Target) and REST-JSON services.
  res.writeHead(req.headers['x-amz-target'] ? 400 : 429, {
    'content-type': 'application/x-amz-json-1.1',
    'x-amzn-errortype': 'ThrottlingException',
  });
  res.end(JSON.stringify({ __type: 'ThrottlingException', message: 'Rate exceeded' }));
}

/**
 * A server-side failure with the body each vendor sends: 500, 502 or 503 by the draw; for Graph, 503 or 504,
 * the failures its throttling and best-practice guidance names as transient (to retry after Retry-After).
 */
function serverError(res: ServerResponse, vendor: Vendor, pick: number) {
  if (vendor === 'graph') {
    const status = pick % 2 ? 503 : 504;
    return sendJson(res, status, graphError('serviceNotAvailable', 'Service unavailable.'), {
      'retry-after': '1',
    });
  }
  const status = [500, 502, 503][pick % 3] as number;
  if (vendor === 'google')
    return sendJson(res, status, googleError(status, 'UNAVAILABLE', 'backendError', 'Backend Error'));
  if (vendor === 'aws') {
    res.writeHead(status, { 'content-type': 'application/json', 'x-amzn-errortype': 'InternalFailure' });
    return res.end(
      JSON.stringify({ __type: 'InternalFailure', message: 'We encountered an internal error.' }),
    );
  }
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ message: 'Server Error' }));
}
