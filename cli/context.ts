import { stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { builtInChecks } from '../collectors/check-catalog.ts';
import { DEFAULT_CONTROLS_PATH, loadControls } from '../controls/catalog.ts';
import type { ProoflineConfig } from '../core/config.ts';
import { DEFAULT_CONFIG_FILE, loadConfig } from '../core/config-file.ts';
import { UsageError } from '../core/errors.ts';
import type { Control } from '../core/model.ts';
import type { Terminal } from '../core/report/table.ts';
import { type ChainedStore, type OpenStoreOptions, openStore } from '../core/stores/open.ts';
import { ConfigError, parseWith } from '../core/validate.ts';

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
    new Set((await builtInChecks()).keys()),
  );
  const configFile = options.config ?? DEFAULT_CONFIG_FILE;
  const config = await validScope(await loadConfig(options.config), configFile);
  return { store: await openStore(options.store, access), controls, config, configFile };
}

/**
 * The config with each `scope` section validated by its source's connector, so every command that loads the
 * config refuses a bad scope statement, not only `collect`. Connectors carry the vendor SDKs: loaded only when
 * the config has a scope.
 */
async function validScope(config: ProoflineConfig, file: string): Promise<ProoflineConfig> {
  const sections = Object.entries(config.scope);
  if (sections.length === 0) return config;
  const { connectors } = await import('../collectors/connectors.ts');
  const scope = Object.fromEntries(
    sections.map(([source, section]) => {
      const connector = connectors.find((c) => c.source === source);
      if (!connector) throw new ConfigError(`${file}: scope.${source}: no connector reads this source`);
      return [source, parseWith(connector.schema, section, file, ['scope', source])];
    }),
  );
  return { ...config, scope };
}

/**
 * Runs a command on an opened context and closes the store whatever happens: how every command that reads or
 * records evidence starts and ends.
 */
export async function withContext<T>(
  globals: GlobalOptions,
  access: OpenStoreOptions,
  body: (ctx: CliContext) => Promise<T>,
): Promise<T> {
  const ctx = await openContext(globals, access);
  try {
    return await body(ctx);
  } finally {
    await ctx.store.close();
  }
}

/**
 * The absolute path of an `--out` file, refused with one line (exit 2) when it names a folder or its folder does
 * not exist; `replace: false` also refuses an existing file.
 */
export async function outputFile(out: string, options: { replace: boolean }): Promise<string> {
  const path = resolve(out);
  const [self, folder] = await Promise.all([
    stat(path).catch(() => undefined),
    stat(dirname(path)).catch(() => undefined),
  ]);
  if (self?.isDirectory()) throw new UsageError(`--out ${out} is a folder; give a file name`);
  if (self && !options.replace)
    throw new UsageError(`${out} already exists; remove it or choose another --out`);
  if (!folder?.isDirectory())
    throw new UsageError(`--out ${out}: the folder ${dirname(path)} does not exist`);
  return path;
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

/** What a command module needs from the program: where to print, the global options, the exit code. */
export interface CommandEnv {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  /** Width and colour of the output: tables wrap to its width. */
  readonly terminal: Terminal;
  readonly globals: () => GlobalOptions;
  /** The exit code the command reports (set by commands that finish with findings, not errors). */
  readonly run: { exitCode: number };
}
