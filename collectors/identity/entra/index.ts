import type { AnyCollector } from '../../../core/collector.ts';
import { entraConditionalAccess } from './conditional-access/index.ts';
import { entraUsers } from './users/index.ts';

/** The Entra ID collectors: definitions, one line each (their collect code: collect.ts). */
export const entraCollectors: readonly AnyCollector[] = [entraUsers, entraConditionalAccess];
