import * as z from 'zod';
import { apiCall, parsePayload } from '../api-error.ts';
import type { OktaQuery, OktaSession } from './session.ts';

/**
 * Every item of an Okta list, each read through `item` before a collector reads a field of it: a failed call
 * is an error naming `operation`, a damaged item a malformed answer naming its index and field.
 */
export async function listOf<T>(
  session: OktaSession,
  operation: string,
  item: z.ZodType<T>,
  path: string,
  query?: OktaQuery,
): Promise<T[]> {
  const items = await apiCall('okta', operation, () => session.list(path, query));
  return parsePayload(z.array(item), items, 'okta', operation);
}
