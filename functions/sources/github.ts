import { githubRunnableCollectors } from '../../collectors/github/collect.ts';
import { githubConnector } from '../../collectors/github/connector.ts';
import { sourceHandler } from '../sources.ts';

export const handler = sourceHandler(githubConnector, githubRunnableCollectors);
