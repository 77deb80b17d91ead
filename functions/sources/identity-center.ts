import { identityCenterRunnableCollectors } from '../../collectors/identity/identity-center/collect.ts';
import { identityCenterConnector } from '../../collectors/identity/identity-center/connector.ts';
import { sourceHandler } from '../sources.ts';

export const handler = sourceHandler(identityCenterConnector, identityCenterRunnableCollectors);
