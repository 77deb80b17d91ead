import { type AnyRunnableCollector, withCollect } from '../../../core/collector.ts';
import { collect as entraConditionalAccessCollect } from './conditional-access/collect.ts';
import { entraConditionalAccess } from './conditional-access/index.ts';
import { collect as entraUsersCollect } from './users/collect.ts';
import { entraUsers } from './users/index.ts';

/** The Entra ID collectors with their collect code, in the order of entraCollectors: one line each. */
export const entraRunnableCollectors: readonly AnyRunnableCollector[] = [
  withCollect(entraUsers, entraUsersCollect),
  withCollect(entraConditionalAccess, entraConditionalAccessCollect),
];
