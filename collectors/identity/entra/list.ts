import { apiCall } from '../api-error.ts';
import type { EntraSession } from './session.ts';

/**
 * Every item of a Graph collection, errors named by operation. Apart from session.ts so the collectors (and
 * every bundle of the registry) do not load the Graph SDK.
 */
export function listAll(
  session: EntraSession,
  operation: string,
  path: string,
  query: Record<string, string> = {},
): Promise<unknown[]> {
  return apiCall('entra', operation, () => session.list(path, query));
}
