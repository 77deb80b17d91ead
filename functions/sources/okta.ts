import { oktaRunnableCollectors } from '../../collectors/identity/okta/collect.ts';
import { oktaConnector } from '../../collectors/identity/okta/connector.ts';
import { sourceHandler } from '../sources.ts';

export const handler = sourceHandler(oktaConnector, oktaRunnableCollectors);
