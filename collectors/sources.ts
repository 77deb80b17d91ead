import type { ZodType } from 'zod';
import type { AnyCollector } from '../core/collector.ts';
import type { Source } from '../core/model.ts';
import type { CollectionTarget } from '../core/pipeline.ts';

/** What a run passes every connector besides its own config section. */
export interface ConnectOptions {
  /** AWS regions from the command line; they override the config's. */
  readonly regions?: readonly string[];
  readonly profile?: string;
  readonly env: NodeJS.ProcessEnv;
  readonly onCall?: (service: string, operation: string) => void;
}

/**
 * Turns one source's section of the scope statement (`scope.<source>` in proofline.config.yaml) into
 * collection targets: which scopes to read, and the authenticated session to read them with.
 */
export interface SourceConnector<Config = unknown> {
  readonly source: Source;
  readonly schema: ZodType<Config>;
  /** Why this source cannot run with this config and environment (e.g. no token), or undefined when it can. */
  missing(config: Config | undefined, options: ConnectOptions): string | undefined;
  targets(
    collectors: readonly AnyCollector[],
    config: Config | undefined,
    options: ConnectOptions,
  ): Promise<CollectionTarget[]>;
}

// biome-ignore lint/suspicious/noExplicitAny: the registry holds connectors of every config type
export type AnyConnector = SourceConnector<any>;
