import { identityCenterConnector } from '../../collectors/identity/identity-center/connector.ts';
import { identityCenterCollectors } from '../../collectors/identity/identity-center/index.ts';
import { sourceHandler } from '../sources.ts';

export const handler = sourceHandler(identityCenterConnector, identityCenterCollectors);
