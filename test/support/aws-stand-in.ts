import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the stand-in saw it: method, path (without query), query and the JSON body. */
export interface StandInRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly target: string | undefined;
  readonly body: Record<string, unknown>;
}

/** A route answers a JSON body, or [status, body, errorType] for an error (sent as X-Amzn-ErrorType). */
export type StandInRoute = (request: StandInRequest) => unknown;

/**
 * Serves an AWS service's JSON API from responses shaped as its API reference documents, for the operations
 * moto_server does not implement. Routes are keyed `METHOD /path` (REST-JSON services) or by `X-Amz-Target`
 * (JSON 1.1 services); the SDK is pointed at it through `AWS_ENDPOINT_URL_<SERVICE>` while `body` runs.
 */
export async function withAwsStandIn<T>(
  service: string,
  routes: Readonly<Record<string, StandInRoute>>,
  body: (requests: StandInRequest[]) => Promise<T>,
): Promise<T> {
  const requests: StandInRequest[] = [];
  const server = createServer((req, res) => {
    let data = '';
    req.on('data', (chunk) => {
      data += chunk;
    });
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://stand-in');
      const target = req.headers['x-amz-target'] as string | undefined;
      const request = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        target,
        body: data ? (JSON.parse(data) as Record<string, unknown>) : {},
      };
      requests.push(request);
      const route = routes[target ?? `${request.method} ${request.path}`];
      const answer = route
        ? route(request)
        : [404, { message: `stand-in has no route ${request.method} ${request.path}` }];
      const [status, json, errorType] =
        Array.isArray(answer) && typeof answer[0] === 'number' ? answer : [200, answer, undefined];
      res.writeHead(status as number, {
        'content-type': 'application/json',
        ...(errorType ? { 'x-amzn-errortype': errorType as string } : {}),
      });
      res.end(JSON.stringify(json));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const variable = `AWS_ENDPOINT_URL_${service}`;
  const saved = process.env[variable];
  process.env[variable] = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    return await body(requests);
  } finally {
    if (saved === undefined) delete process.env[variable];
    else process.env[variable] = saved;
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
