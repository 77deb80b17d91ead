import type { ZodType } from 'zod';
import type { AnyRunnableCollector } from '../core/collector.ts';
import type { Scope, Source } from '../core/model.ts';
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
  /**
   * The scopes the config names, known without credentials or API calls: where a deployed run records a
   * collection that could not even start (an unreadable secret, a refused token). Throws an error naming the
   * field when the config leaves the scope to the API (the deployed stack then refuses the config).
   */
  scopes?(config: Config, options: Pick<ConnectOptions, 'env'>): Scope[];
  targets(
    collectors: readonly AnyRunnableCollector[],
    config: Config | undefined,
    options: ConnectOptions,
  ): Promise<CollectionTarget[]>;
}

// biome-ignore lint/suspicious/noExplicitAny: the registry holds connectors of every config type
export type AnyConnector = SourceConnector<any>;
