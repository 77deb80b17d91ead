import type { Control } from '../core/model.ts';
import type { Frameworks } from '../core/requirements.ts';

/** The built-in catalog as the loaders return it: what the bundled CLI reads instead of parsing the YAML. */
export interface CompiledCatalog {
  readonly frameworks: Frameworks;
  readonly controls: Control[];
}

/**
 * Undefined in the source tree, so tsx and the tests read and validate the YAML. The CLI bundle replaces this
 * module with the catalog those same loaders produced at build time (scripts/build-cli.ts `compiledCatalog`).
 */
export const COMPILED: CompiledCatalog | undefined = undefined;
