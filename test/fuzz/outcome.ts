import { expect } from 'vitest';
import type { Artifact } from '../../core/model.ts';

/**
 * A collection of damaged answers ends in a snapshot, or in an error that is a malformed answer or the vendor's
 * HTTP status — never a TypeError, an UnknownError, or a RequestFailed without a status (a throw inside a client).
 */
export function expectSnapshotOrNamedFailure(artifact: Artifact): void {
  if (artifact.status === 'ok') return;
  const { code, message, httpStatus } = artifact.error;
  expect(code === 'MalformedResponse' || httpStatus !== undefined, `${code}: ${message}`).toBe(true);
}
