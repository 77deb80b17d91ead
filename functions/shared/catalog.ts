import { collectors } from '../../collectors/index.ts';
import { DEFAULT_CONTROLS_PATH, loadControls } from '../../controls/catalog.ts';
import type { AnyCollector } from '../../core/collector.ts';
import type { Control } from '../../core/model.ts';
import { checkIndex } from '../../core/pipeline.ts';

/** Every registered collector: the registry carries no vendor SDK, so the functions know them all. */
export const deployedCollectors: readonly AnyCollector[] = collectors;

let catalog: Promise<Control[]> | undefined;

/**
 * The built-in catalog (bundled next to the handler), loaded once per runtime and validated against every
 * registered collector's checks.
 */
export function catalogControls(): Promise<Control[]> {
  catalog ??= loadControls(DEFAULT_CONTROLS_PATH, new Set(checkIndex(collectors).keys()));
  return catalog;
}
