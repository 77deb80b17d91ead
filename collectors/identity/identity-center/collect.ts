import { type AnyRunnableCollector, withCollect } from '../../../core/collector.ts';
import { collect as identityCenterAccessCollect } from './access/collect.ts';
import { identityCenterAccess } from './access/index.ts';

/** The IAM Identity Center collectors with their collect code, in the order of identityCenterCollectors: one line each. */
export const identityCenterRunnableCollectors: readonly AnyRunnableCollector[] = [
  withCollect(identityCenterAccess, identityCenterAccessCollect),
];
