import { type AnyRunnableCollector, withCollect } from '../../../core/collector.ts';
import { collect as googleUsersCollect } from './users/collect.ts';
import { googleUsers } from './users/index.ts';

/** The Google Workspace collectors with their collect code, in the order of googleCollectors: one line each. */
export const googleRunnableCollectors: readonly AnyRunnableCollector[] = [
  withCollect(googleUsers, googleUsersCollect),
];
