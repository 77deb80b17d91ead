import type { AnyCollector } from '../core/collector.ts';
import { awsCollectors } from './aws/index.ts';
import { githubCollectors } from './github/index.ts';
import { accessReview } from './identity/access-review/index.ts';
import { entraCollectors } from './identity/entra/index.ts';
import { googleCollectors } from './identity/google/index.ts';
import { identityCenterCollectors } from './identity/identity-center/index.ts';
import { oktaCollectors } from './identity/okta/index.ts';

/**
 * Every collector Proofline knows, as definitions: each source's list (one line per collector there), then the
 * access review. What every command needs (checks, titles, schedules, permissions) and no vendor SDK: the
 * collect code is in collectors/collect.ts, the connectors in collectors/connectors.ts.
 */
export const collectors: readonly AnyCollector[] = [
  ...awsCollectors,
  ...githubCollectors,
  ...oktaCollectors,
  ...entraCollectors,
  ...googleCollectors,
  ...identityCenterCollectors,
  accessReview,
];

export function collectorById(id: string): AnyCollector | undefined {
  return collectors.find((c) => c.id === id);
}
