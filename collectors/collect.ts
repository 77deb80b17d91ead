import type { AnyRunnableCollector } from '../core/collector.ts';
import { awsRunnableCollectors } from './aws/collect.ts';
import { githubRunnableCollectors } from './github/collect.ts';
import { accessReview } from './identity/access-review/index.ts';
import { entraRunnableCollectors } from './identity/entra/collect.ts';
import { googleRunnableCollectors } from './identity/google/collect.ts';
import { identityCenterRunnableCollectors } from './identity/identity-center/collect.ts';
import { oktaRunnableCollectors } from './identity/okta/collect.ts';

/**
 * Every collector with its collect code, in the registry's order (collectors/index.ts): each source's list,
 * then the access review. It carries the vendor SDKs, so only commands that collect load it, by dynamic import.
 */
export const runnableCollectors: readonly AnyRunnableCollector[] = [
  ...awsRunnableCollectors,
  ...githubRunnableCollectors,
  ...oktaRunnableCollectors,
  ...entraRunnableCollectors,
  ...googleRunnableCollectors,
  ...identityCenterRunnableCollectors,
  accessReview,
];
