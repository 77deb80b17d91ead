import type { AnyCollector } from '../../../core/collector.ts';
import { entraConditionalAccess } from './conditional-access/index.ts';
import { entraUsers } from './users/index.ts';

/** The Entra ID collectors: one line each. The source's function imports this list alone. */
export const entraCollectors: readonly AnyCollector[] = [entraUsers, entraConditionalAccess];
