import { googleConnector } from '../../collectors/identity/google/connector.ts';
import { googleCollectors } from '../../collectors/identity/google/index.ts';
import { sourceHandler } from '../sources.ts';

export const handler = sourceHandler(googleConnector, googleCollectors);
