import { type CheckCatalog, checkCatalog } from '../core/collector.ts';
import { COMPILED_CHECKS } from './compiled-checks.ts';

let builtIn: Promise<CheckCatalog> | undefined;

/** The built-in checks: compiled data in the CLI bundle, the collector definitions otherwise. */
export function builtInChecks(): Promise<CheckCatalog> {
  builtIn ??= COMPILED_CHECKS
    ? Promise.resolve(new Map(COMPILED_CHECKS.map((check) => [check.id, check])))
    : import('./index.ts').then(({ collectors }) => checkCatalog(collectors));
  return builtIn;
}
