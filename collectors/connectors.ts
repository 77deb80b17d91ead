import { awsConnector } from './aws/connector.ts';
import { githubConnector } from './github/connector.ts';
import { entraConnector } from './identity/entra/connector.ts';
import { googleConnector } from './identity/google/connector.ts';
import { identityCenterConnector } from './identity/identity-center/connector.ts';
import { oktaConnector } from './identity/okta/connector.ts';
import type { AnyConnector } from './sources.ts';

/**
 * How each source turns its scope-statement section into targets: one line per source. Apart from the
 * registry (collectors/index.ts) because connectors carry the vendor SDKs, which the registry must not.
 */
export const connectors: readonly AnyConnector[] = [
  awsConnector,
  githubConnector,
  oktaConnector,
  entraConnector,
  googleConnector,
  identityCenterConnector,
];
