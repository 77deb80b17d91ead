import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ProoflineError } from '../core/errors.ts';

/** The package's own folder, found from this module whether it runs from source or from the dist/ bundle. */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'controls', 'internal'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find the built-in controls/internal folder');
    dir = parent;
  }
  return dir;
}

export const PACKAGE_ROOT = packageRoot();
export const CONTROLS_DIR = join(PACKAGE_ROOT, 'controls');

/** A catalog or framework file that does not validate; the message names the file, the entry and the field. */
export class CatalogError extends ProoflineError {
  override name = 'CatalogError';
}
