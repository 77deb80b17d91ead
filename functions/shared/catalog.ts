import { awsCollectors as collectors } from '../../collectors/aws/index.ts';
import { controlsForChecks, DEFAULT_CONTROLS_PATH, loadControls } from '../../controls/catalog.ts';
import type { AnyCollector } from '../../core/collector.ts';
import type { Control } from '../../core/model.ts';
import { checkIndex } from '../../core/pipeline.ts';

/** The collectors whose evidence the deployed functions evaluate and export. */
export const deployedCollectors: readonly AnyCollector[] = collectors;
const carried = new Set(checkIndex(collectors).keys());

let catalog: Promise<Control[]> | undefined;

/**
 * The whole built-in catalog (bundled next to the handler), loaded once per runtime. Check ids of the collectors
 * the functions carry are validated here; other sources' (validated by the CLI and the tests on the full
 * registry) are taken as they are.
 */
export function catalogControls(): Promise<Control[]> {
  catalog ??= loadControls(DEFAULT_CONTROLS_PATH, {
    has: (id) => carried.has(id) || !id.startsWith('aws.'),
  });
  return catalog;
}

/** The controls the deployed collectors feed: the ones evaluation can decide. */
export async function evaluatedControls(): Promise<Control[]> {
  return controlsForChecks(await catalogControls(), carried);
}
