import { entraRunnableCollectors } from '../../collectors/identity/entra/collect.ts';
import { entraConnector } from '../../collectors/identity/entra/connector.ts';
import { sourceHandler } from '../sources.ts';

export const handler = sourceHandler(entraConnector, entraRunnableCollectors);
