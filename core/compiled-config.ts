import type { ProoflineConfig } from './config.ts';

/**
 * Undefined in the source tree, so the default config is the schema's defaults. The CLI bundle replaces this
 * module with those defaults as data (scripts/build-cli.ts): a command run without a config file starts
 * without building the config schema.
 */
export const COMPILED_DEFAULT_CONFIG: ProoflineConfig | undefined = undefined;
