import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import {
  apiCall,
  httpStatusOf,
  IdentityApiError,
  MalformedResponseError,
  parsePayload,
  retryDelayMs,
} from '../../../collectors/identity/api-error.ts';
import { toCollectionError } from '../../../core/artifact.ts';

const headers = (h: Record<string, string>) => new Headers(h);
const NOW = Date.parse('2026-11-27T12:00:00Z');

describe('retryDelayMs', () => {
  it('prefers Retry-After in seconds or as an HTTP date', () => {
    expect(retryDelayMs(headers({ 'retry-after': '3' }), 0, NOW)).toBe(3000);
    expect(retryDelayMs(headers({ 'retry-after': 'Fri, 27 Nov 2026 12:00:05 GMT' }), 0, NOW)).toBe(5000);
  });
  it('falls back to X-Rate-Limit-Reset (epoch seconds), then to exponential backoff, capped', () => {
    expect(retryDelayMs(headers({ 'x-rate-limit-reset': String(NOW / 1000 + 7) }), 0, NOW)).toBe(7000);
    expect([0, 1, 2].map((n) => retryDelayMs(headers({}), n, NOW))).toEqual([500, 1000, 2000]);
    expect(retryDelayMs(headers({ 'retry-after': '86400' }), 0, NOW)).toBe(60_000);
  });
});

describe('API errors', () => {
  it('carries the status and operation into the recorded collection error', async () => {
    const error = await apiCall('okta', 'listUsers', () =>
      Promise.reject(Object.assign(new Error('denied'), { status: 403 })),
    ).catch((e) => e);
    expect(error).toBeInstanceOf(IdentityApiError);
    expect(toCollectionError(error)).toEqual({
      code: 'Forbidden',
      httpStatus: 403,
      operation: 'listUsers',
      message: expect.stringMatching(
        /^okta listUsers failed with HTTP 403: denied \(the credentials are wrong or lack/,
      ),
    });
  });

  it('finds the status wherever an SDK puts it', () => {
    expect(httpStatusOf({ statusCode: 429 })).toBe(429);
    expect(httpStatusOf({ response: { status: 401 } })).toBe(401);
    expect(httpStatusOf({ $metadata: { httpStatusCode: 500 } })).toBe(500);
    expect(httpStatusOf({ code: 'AuthenticationRequiredError', statusCode: -1 })).toBe(401);
    expect(httpStatusOf(new Error('socket hang up'))).toBeUndefined();
  });

  it('names the field of a malformed payload', () => {
    expect(() => parsePayload(z.object({ id: z.string() }), { id: 1 }, 'google', 'users.list')).toThrow(
      MalformedResponseError,
    );
    expect(() => parsePayload(z.object({ id: z.string() }), {}, 'google', 'users.list')).toThrow(
      /users\.list returned a malformed response: id:/,
    );
  });
});
