import type { AnyCollector } from '../../../core/collector.ts';
import { identityCenterAccess } from './access/index.ts';

/** The IAM Identity Center collectors: one line each. The source's function imports this list alone. */
export const identityCenterCollectors: readonly AnyCollector[] = [identityCenterAccess];
