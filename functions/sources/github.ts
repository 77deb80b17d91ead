import { githubConnector } from '../../collectors/github/connector.ts';
import { githubCollectors } from '../../collectors/github/index.ts';
import { sourceHandler } from '../sources.ts';

export const handler = sourceHandler(githubConnector, githubCollectors);
