import { type AnyRunnableCollector, withCollect } from '../../../core/collector.ts';
import { collect as oktaPoliciesCollect } from './policies/collect.ts';
import { oktaPolicies } from './policies/index.ts';
import { collect as oktaUsersCollect } from './users/collect.ts';
import { oktaUsers } from './users/index.ts';

/** The Okta collectors with their collect code, in the order of oktaCollectors: one line each. */
export const oktaRunnableCollectors: readonly AnyRunnableCollector[] = [
  withCollect(oktaUsers, oktaUsersCollect),
  withCollect(oktaPolicies, oktaPoliciesCollect),
];
