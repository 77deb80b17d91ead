import { oktaConnector } from '../../collectors/identity/okta/connector.ts';
import { oktaCollectors } from '../../collectors/identity/okta/index.ts';
import { sourceHandler } from '../sources.ts';

export const handler = sourceHandler(oktaConnector, oktaCollectors);
