import * as z from 'zod';
import { apiCall, parsePayload } from '../api-error.ts';
import type { EntraSession } from './session.ts';

/**
 * Every item of a Graph collection, each read through `item` before a collector reads a field of it: a failed
 * call is an error naming `operation`, a damaged item a malformed answer naming its index and field. Apart from
 * session.ts so the collectors (and every bundle of the registry) do not load the Graph SDK.
 */
export async function listOf<T>(
  session: EntraSession,
  operation: string,
  item: z.ZodType<T>,
  path: string,
  query: Record<string, string> = {},
): Promise<T[]> {
  const items = await apiCall('entra', operation, () => session.list(path, query));
  return parsePayload(z.array(item), items, 'entra', operation);
}
