import { cpSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Source } from '../core/model.ts';

/** The repository root: handler entries, the lock file and bundle assets are found from here. */
export const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));

export type HandlerName = 'plan' | 'collect' | 'evaluate' | 'digest' | 'summary' | 'export';

/** What bundling needs of any function. */
export interface BundledHandler {
  readonly name: string;
  /** Entry file, relative to the project root. */
  readonly entry: string;
  readonly description: string;
  readonly memoryMb: number;
  readonly timeoutSeconds: number;
  /** Data folders the handler reads at run time, copied next to the bundle (relative to the root). */
  readonly assets: readonly string[];
}

export interface HandlerSpec extends BundledHandler {
  readonly name: HandlerName;
}

export const HANDLERS: readonly HandlerSpec[] = [
  {
    name: 'plan',
    entry: 'functions/plan.ts',
    description: 'Lists a run’s targets: accounts × regions × collectors',
    memoryMb: 256,
    timeoutSeconds: 60,
    assets: [],
  },
  {
    name: 'collect',
    entry: 'functions/collect.ts',
    description: 'Runs one collector over one account (and region) and stores the evidence',
    memoryMb: 1024,
    timeoutSeconds: 300,
    assets: [],
  },
  {
    name: 'evaluate',
    entry: 'functions/evaluate.ts',
    description: 'Evaluates every control on the latest evidence',
    memoryMb: 1024,
    timeoutSeconds: 300,
    assets: ['controls'],
  },
  {
    name: 'digest',
    entry: 'functions/digest.ts',
    description: 'Signs the digests that became due (the digest chain)',
    memoryMb: 512,
    timeoutSeconds: 300,
    assets: [],
  },
  {
    name: 'summary',
    entry: 'functions/summary.ts',
    description:
      'Writes the report of the last 30 days to the exports bucket and sends the daily summary of controls still failing, without evidence or due to the alert topic',
    // The report of the last 30 days reads the period's evidence and renders one HTML page.
    memoryMb: 1024,
    timeoutSeconds: 300,
    assets: ['controls', 'governance'],
  },
  {
    name: 'export',
    entry: 'functions/export.ts',
    description:
      'Builds signed auditor archives into the exports bucket and returns presigned URLs (at most 1 hour)',
    // CPU scales with memory: hashing and zipping a large period is CPU-bound; the archive streams to S3.
    memoryMb: 1769,
    timeoutSeconds: 900,
    assets: ['controls', 'governance'],
  },
];

/** A source other than AWS: its collect function (functions/sources.ts), created when a schedule needs it. */
export interface SourceHandlerSpec extends BundledHandler {
  readonly name: `collect-${string}`;
  readonly source: Source;
  /** Its collectors' permissions are IAM actions (read-only), granted to the function's own role. */
  readonly readsAws: boolean;
}

const sourceHandler = (source: Source, label: string, readsAws = false): SourceHandlerSpec => ({
  name: `collect-${source}`,
  source,
  entry: `functions/sources/${source}.ts`,
  description: `Runs one ${label} collector over a scope the config names and stores the evidence`,
  memoryMb: 1024,
  timeoutSeconds: 900,
  assets: [],
  readsAws,
});

/** One line per source the stack can collect besides AWS (each entry file is one line too). */
export const SOURCE_HANDLERS: readonly SourceHandlerSpec[] = [
  sourceHandler('github', 'GitHub'),
  sourceHandler('entra', 'Entra ID'),
  sourceHandler('google', 'Google Workspace'),
  sourceHandler('okta', 'Okta'),
  sourceHandler('identity-center', 'IAM Identity Center', true),
];

/** Sources the CLI collects that the stack cannot yet, and why: a schedule naming them fails synth. */
export const UNDEPLOYABLE_SOURCES: Readonly<Partial<Record<Source, string>>> = {};

/**
 * How every handler is bundled, in one place: infra/bundle.ts applies these settings for the stack's functions
 * at synth, the package's prebuilt handlers, the bundle size test and the bundle bench.
 */
export const BUNDLING = {
  target: 'node24',
  minify: true,
  sourcemap: true,
  /**
   * The AWS SDK v3 the Node.js runtime ships (all `@aws-sdk/*` packages): bundling our own copy of the eight
   * clients the collectors and the store use would push the collect bundle past 1 MB.
   */
  external: ['@aws-sdk/*'] as string[],
  /** Module replacements (none today: the embedded store's `node:sqlite` is built into Node). */
  alias: {} as Record<string, string>,
  /** ESM bundles of CommonJS dependencies need `require` for Node built-ins. */
  banner:
    "import{createRequire as __pl_createRequire}from'node:module';const require=__pl_createRequire(import.meta.url);",
  mainFields: ['module', 'main'],
  /** The largest a minified handler bundle (its entry and every chunk) may be. */
  maxBytes: 1024 * 1024,
} as const;

/** Copies a handler's data folders (no TypeScript sources) next to its bundle in `outDir`. */
export function copyBundleAssets(spec: BundledHandler, outDir: string, root: string = PROJECT_ROOT): void {
  for (const folder of spec.assets) {
    cpSync(join(root, folder), join(outDir, folder), {
      recursive: true,
      filter: (source) => !source.endsWith('.ts'),
    });
  }
}

/** Where the npm package keeps each handler bundled at pack time (scripts/build-package.ts writes them). */
export const PREBUILT_HANDLERS_DIR = 'dist/handlers';

/**
 * The folder of a handler bundled at pack time, when its TypeScript entry is not there (the construct installed
 * from the package); in the repository, undefined: the handler is bundled from source at synth.
 */
export function prebuiltHandler(spec: BundledHandler, root: string = PROJECT_ROOT): string | undefined {
  return existsSync(join(root, spec.entry)) ? undefined : join(root, PREBUILT_HANDLERS_DIR, spec.name);
}

/** Every function the stack can create, for the bundle size test and bench. */
export const ALL_HANDLERS: readonly BundledHandler[] = [...HANDLERS, ...SOURCE_HANDLERS];
