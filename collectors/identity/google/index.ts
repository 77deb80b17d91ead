import type { AnyCollector } from '../../../core/collector.ts';
import { googleUsers } from './users/index.ts';

/** The Google Workspace collectors: one line each. The source's function imports this list alone. */
export const googleCollectors: readonly AnyCollector[] = [googleUsers];
