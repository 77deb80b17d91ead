import { entraConnector } from '../../collectors/identity/entra/connector.ts';
import { entraCollectors } from '../../collectors/identity/entra/index.ts';
import { sourceHandler } from '../sources.ts';

export const handler = sourceHandler(entraConnector, entraCollectors);
