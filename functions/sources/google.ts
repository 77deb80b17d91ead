import { googleRunnableCollectors } from '../../collectors/identity/google/collect.ts';
import { googleConnector } from '../../collectors/identity/google/connector.ts';
import { sourceHandler } from '../sources.ts';

export const handler = sourceHandler(googleConnector, googleRunnableCollectors);
