import { collectors } from '../collectors/index.ts';
import { DEFAULT_CONTROLS_PATH, loadControls } from '../controls/catalog.ts';
import { DEFAULT_CONFIG_FILE, loadConfig, type ProoflineConfig } from '../core/config.ts';
import type { Control } from '../core/model.ts';
import { checkIndex } from '../core/pipeline.ts';
import type { Terminal } from '../core/report/table.ts';
import { type ChainedStore, type OpenStoreOptions, openStore } from '../core/stores/open.ts';

export interface CliContext {
  readonly store: ChainedStore;
  readonly controls: Control[];
  readonly config: ProoflineConfig;
  readonly configFile: string;
}

/**
 * Opens the store and loads the validated catalog: what every command starts from. Commands that only read
 * pass `readOnly`: the store must exist, and not a byte of it changes.
 */
export async function openContext(
  options: {
    store?: string;
    controls?: string;
    config?: string;
  },
  access: OpenStoreOptions = {},
): Promise<CliContext> {
  const controls = await loadControls(
    options.controls ?? DEFAULT_CONTROLS_PATH,
    new Set(checkIndex(collectors).keys()),
  );
  const config = await loadConfig(options.config);
  return {
    store: await openStore(options.store, access),
    controls,
    config,
    configFile: options.config ?? DEFAULT_CONFIG_FILE,
  };
}

/** The options every command can take (before the command name). */
export interface GlobalOptions {
  readonly store: string;
  readonly controls?: string;
  readonly config?: string;
  readonly governance?: string;
}

/** The access of commands that only read the store. */
export const READ_ONLY: OpenStoreOptions = { readOnly: true };

/** What a command module needs from the program: where to print, and the global options. */
export interface CommandEnv {
  readonly out: (text: string) => void;
  /** Width and colour of the output: tables wrap to its width. */
  readonly terminal: Terminal;
  readonly globals: () => GlobalOptions;
}
