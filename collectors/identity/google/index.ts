import type { AnyCollector } from '../../../core/collector.ts';
import { googleUsers } from './users/index.ts';

/** The Google Workspace collectors: definitions, one line each (their collect code: collect.ts). */
export const googleCollectors: readonly AnyCollector[] = [googleUsers];
