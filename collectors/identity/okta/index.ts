import type { AnyCollector } from '../../../core/collector.ts';
import { oktaPolicies } from './policies/index.ts';
import { oktaUsers } from './users/index.ts';

/** The Okta collectors: one line each. The source's function imports this list alone. */
export const oktaCollectors: readonly AnyCollector[] = [oktaUsers, oktaPolicies];
