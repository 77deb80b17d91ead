import type { CheckInfo } from '../core/collector.ts';

/**
 * Undefined in the source tree, so tsx and the tests derive the catalog from the collectors. The CLI bundle
 * replaces this module with that catalog as data at build time (scripts/build-cli.ts): commands that only
 * report (status, resource) start without loading every check's code.
 */
export const COMPILED_CHECKS: readonly CheckInfo[] | undefined = undefined;
