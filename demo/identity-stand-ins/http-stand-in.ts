import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A local HTTP server standing in for a vendor API: routes answer with responses shaped like the vendor's
 * documented API, and injected faults (401/403/429/malformed bodies) answer first. Loopback only.
 */
export interface StandInRequest {
  readonly method: string;
  readonly url: URL;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

export interface StandInResponse {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  /** JSON-encoded unless `raw` is set. */
  readonly body?: unknown;
  /** Sent as it is (for malformed payloads). */
  readonly raw?: string;
}

export interface Fault {
  /** Matched against the path and query, e.g. /\/api\/v1\/users\b/. */
  readonly path: RegExp;
  /** How many matching requests it answers (default 1). */
  readonly times?: number;
  readonly response: StandInResponse;
}

export interface StandIn {
  readonly url: string;
  /** Method and path+query of every request served, in order. */
  readonly requests: { method: string; path: string }[];
  inject(fault: Fault): void;
  close(): Promise<void>;
}

export type Handler = (request: StandInRequest) => StandInResponse;

export const json = (
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): StandInResponse => ({
  status,
  body,
  headers,
});

function send(res: ServerResponse, response: StandInResponse): void {
  const text = response.raw ?? (response.body === undefined ? '' : JSON.stringify(response.body));
  res.writeHead(response.status, {
    'content-type': 'application/json; charset=utf-8',
    ...(response.headers ?? {}),
  });
  res.end(text);
}

export async function startStandIn(
  handler: Handler,
  options: { tls?: { key: string; cert: string } } = {},
): Promise<StandIn> {
  const faults: { fault: Fault; left: number }[] = [];
  const requests: { method: string; path: string }[] = [];
  const listener = (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://stand-in');
      const path = `${url.pathname}${url.search}`;
      requests.push({ method: req.method ?? 'GET', path });
      const active = faults.find((f) => f.left > 0 && f.fault.path.test(decodeURIComponent(path)));
      if (active) {
        active.left--;
        return send(res, active.fault.response);
      }
      try {
        send(
          res,
          handler({
            method: req.method ?? 'GET',
            url,
            headers: req.headers,
            body: Buffer.concat(chunks).toString(),
          }),
        );
      } catch (error) {
        send(res, json(500, { error: (error as Error).message }));
      }
    });
  };
  const server: Server = options.tls
    ? createHttpsServer({ key: options.tls.key, cert: options.tls.cert }, listener)
    : createHttpServer(listener);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    requests,
    inject: (fault) => faults.push({ fault, left: fault.times ?? 1 }),
    async close() {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

/** A throwaway self-signed certificate for 127.0.0.1 (for SDKs that refuse plain-HTTP endpoints). */
export function selfSignedCertificate(): { key: string; cert: string } {
  const dir = mkdtempSync(join(tmpdir(), 'proofline-tls-'));
  try {
    try {
      execFileSync(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'ec',
          '-pkeyopt',
          'ec_paramgen_curve:prime256v1',
          '-nodes',
          '-days',
          '1',
          '-subj',
          '/CN=127.0.0.1',
          '-addext',
          'subjectAltName=IP:127.0.0.1',
          '-keyout',
          join(dir, 'key.pem'),
          '-out',
          join(dir, 'cert.pem'),
        ],
        { stdio: 'ignore' },
      );
    } catch (error) {
      throw new Error(
        `the stand-in's throwaway certificate needs the openssl command: ${(error as Error).message}`,
      );
    }
    return {
      key: readFileSync(join(dir, 'key.pem'), 'utf8'),
      cert: readFileSync(join(dir, 'cert.pem'), 'utf8'),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Decodes a JWT's payload without verifying it (callers verify the signature themselves when they must). */
export function jwtPayload(token: string): Record<string, unknown> {
  const part = token.split('.')[1];
  if (!part) throw new Error('not a JWT');
  return JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;
}

/** Page of `items` starting at the opaque cursor `after` (an index here), and the next cursor if any. */
export function page<T>(
  items: readonly T[],
  after: string | null,
  limit: number,
): { items: T[]; next?: string } {
  const start = after ? Number(after) : 0;
  const slice = items.slice(start, start + limit);
  const next = start + limit < items.length ? String(start + limit) : undefined;
  return next ? { items: slice, next } : { items: slice };
}
