import type { AnyCollector } from '../../../core/collector.ts';
import { identityCenterAccess } from './access/index.ts';

/** The IAM Identity Center collectors: definitions, one line each (their collect code: collect.ts). */
export const identityCenterCollectors: readonly AnyCollector[] = [identityCenterAccess];
