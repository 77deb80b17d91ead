import type { AnyCollector } from '../../../core/collector.ts';
import { oktaPolicies } from './policies/index.ts';
import { oktaUsers } from './users/index.ts';

/** The Okta collectors: definitions, one line each (their collect code: collect.ts). */
export const oktaCollectors: readonly AnyCollector[] = [oktaUsers, oktaPolicies];
