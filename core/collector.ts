import type { CheckSettings } from './check-settings.ts';
import { UsageError } from './errors.ts';
import type { Finding, Scope, Severity, Source } from './model.ts';

/** What a check may know besides the snapshot: the collection time stands in for "now", so checks stay pure. */
export interface CheckContext {
  readonly asOf: Date;
  readonly scope: Scope;
  /** The `checks` section of the configuration (thresholds); absent: every default (DEFAULT_CHECK_SETTINGS). */
  readonly settings?: CheckSettings;
}

/** A pure function from a snapshot to findings: no I/O, no clock. */
export interface Check<S> {
  readonly id: string;
  readonly title: string;
  readonly severity: Severity;
  readonly remediation: string;
  /** The test procedure in an auditor's words: what the check reads and what passes. */
  readonly procedure: string;
  /**
   * For a check judging events (merged pull requests, joiners, leavers) rather than standing configuration:
   * each event is one occurrence of the controls it feeds, and archives list them as a population.
   */
  readonly population?: EventPopulation<S>;
  evaluate(snapshot: S, context: CheckContext): Finding[];
}

/** One event a snapshot holds: the resource its check's finding names, when it happened, what an auditor reads. */
export interface PopulationItem {
  readonly resource: string;
  readonly at: string;
  readonly attributes: Readonly<Record<string, string>>;
}

export interface EventPopulation<S> {
  /** What one item is, e.g. `merged pull request`. */
  readonly item: string;
  items(snapshot: S): readonly PopulationItem[];
  /** The span of time a snapshot read its events from: consecutive collections must overlap. */
  window(snapshot: S): { readonly since: string; readonly until: string };
}

/** One account a snapshot lists (an identity provider's user, an account an access review covered). */
export interface AccountItem {
  /** Unique in the snapshot: a login, or `system:scope:account`. */
  readonly account: string;
  /** The system's own word for its state (ACTIVE, DEPROVISIONED, enabled, suspended …). */
  readonly status: string;
  /** Whether the account can be used. */
  readonly active: boolean;
  /** What an auditor reads about it (person, admin rights, MFA …). */
  readonly attributes?: Readonly<Record<string, string>>;
}

/**
 * What every command knows of a collector without loading its code: what it reads, its checks, its schedule.
 * The registry (collectors/index.ts) holds these; no vendor SDK is reachable from them.
 */
export interface CollectorDefinition<S> {
  readonly id: string;
  readonly source: Source;
  readonly description: string;
  /** Collected once per region (true) or once per account/tenant (false). */
  readonly regional: boolean;
  readonly defaultSchedule: string;
  /** The exact IAM actions or API scopes collect() uses: documentation and the least-privilege policy. */
  readonly permissions: readonly string[];
  readonly schemaVersion: number;
  readonly checks: readonly Check<S>[];
  /** For a directory of people (an identity provider): its accounts, so archives list joiners and leavers. */
  readonly directory?: (snapshot: S) => readonly AccountItem[];
  /** For an access review: every account it reviewed, so archives list them as a population. */
  readonly reviewed?: (snapshot: S) => readonly AccountItem[];
}

/**
 * A definition with its collect code: reads one source's configuration for one scope. I/O only: read-only API
 * calls, no judgement. `Session` is what the source's connector hands over (an AWS session, a GitHub client, …).
 * Only commands that collect hold these (collectors/collect.ts loads them on demand).
 */
export interface Collector<S, Session = unknown> extends CollectorDefinition<S> {
  collect(session: Session, scope: Scope): Promise<S>;
}

/** A collector definition with its snapshot type erased, as held in the registry. */
// biome-ignore lint/suspicious/noExplicitAny: the registry holds collectors of every snapshot type
export type AnyCollector = CollectorDefinition<any>;

/** A collector with its collect code, snapshot and session types erased. */
// biome-ignore lint/suspicious/noExplicitAny: the collect registry holds collectors of every snapshot type
export type AnyRunnableCollector = Collector<any, any>;

/** A collector folder's collect module, loaded when the collector first runs: `() => import('./x/collect.ts')`. */
export type CollectModule<S, Session> = () => Promise<{
  collect(session: Session, scope: Scope): Promise<S>;
}>;

/** A collector whose collect code loads on its first run (`load`); `collect` is that module's function. */
export interface LazyCollector<S, Session = unknown> extends Collector<S, Session> {
  readonly load: CollectModule<S, Session>;
}

/**
 * Pairs a definition with its collect module, imported on the collector's first run. Where each collector
 * needs its own vendor client (AWS: one SDK client per service), a bundle split at that import loads a
 * client only when its collector runs, not every client at start.
 */
export function withLazyCollect<S, Session>(
  definition: CollectorDefinition<S>,
  load: CollectModule<S, Session>,
): LazyCollector<S, Session> {
  // The module loader keeps what an import loaded: later runs get the same module at once.
  return { ...definition, load, collect: async (session, scope) => (await load()).collect(session, scope) };
}

/** Pairs a definition with its collect code; the types make the two agree on the snapshot. */
export function withCollect<S, Session>(
  definition: CollectorDefinition<S>,
  collect: (session: Session, scope: Scope) => Promise<S>,
): Collector<S, Session> {
  return { ...definition, collect };
}

/**
 * The collectors named by id, in registry order (every one when none is named); an unknown id is a usage
 * error listing the known ones. `registry` is the definitions (collectors/index.ts) or, to collect, the
 * collectors with their code (collectors/collect.ts).
 */
export function selectCollectors<C extends AnyCollector>(
  registry: readonly C[],
  ids: readonly string[] | undefined,
): C[] {
  if (!ids?.length) return [...registry];
  const unknown = ids.filter((id) => !registry.some((c) => c.id === id));
  if (unknown.length) {
    throw new UsageError(
      `unknown collector ${unknown.join(', ')}; known: ${registry.map((c) => c.id).join(', ')}`,
    );
  }
  return registry.filter((c) => ids.includes(c.id));
}

/** Helper for check results: one finding per resource. */
export function finding(check: string, resource: string, ok: boolean, reason: string): Finding {
  return { check, resource, status: ok ? 'pass' : 'fail', reason };
}

export const DAY_MS = 86_400_000;

export function daysBetween(from: Date | string, to: Date): number {
  return Math.floor((to.getTime() - new Date(from).getTime()) / DAY_MS);
}

export type CheckMeta = Omit<Check<unknown>, 'evaluate'>;

/** A check's verdict on one resource: pass (true), fail (false) or not applicable, with the reason. */
export type Verdict = readonly [result: boolean | 'not_applicable', reason: string];

export const notApplicable = (reason: string): Verdict => ['not_applicable', reason];

/**
 * A check judging each resource of a snapshot on its own: pass, fail, or not applicable (an archived
 * repository has no branch to protect). With no resource at all it reports one not_applicable finding for the
 * scope, so "nothing to check" is recorded rather than silent.
 */
export function perResource<S, R>(
  meta: CheckMeta,
  resources: (snapshot: S, context: CheckContext) => readonly R[],
  resourceId: (resource: R, snapshot: S) => string,
  judge: (resource: R, snapshot: S, context: CheckContext) => Verdict,
): Check<S> {
  return {
    ...meta,
    evaluate(snapshot, context) {
      const list = resources(snapshot, context);
      if (list.length === 0) {
        return [
          {
            check: meta.id,
            resource: context.scope.id,
            status: 'not_applicable',
            reason: 'no resources to check',
          },
        ];
      }
      const { id } = meta;
      const findings = new Array<Finding>(list.length);
      for (let i = 0; i < list.length; i++) {
        const r = list[i]!;
        const [result, reason] = judge(r, snapshot, context);
        const status = result === 'not_applicable' ? result : result ? 'pass' : 'fail';
        findings[i] = { check: id, resource: resourceId(r, snapshot), status, reason };
      }
      return findings;
    },
  };
}

/** What a report needs to know about a check, and no code: title, severity, remediation, procedure and source. */
export type CheckInfo = Omit<CheckMeta, 'population'> & { readonly source: Source };

/** The checks by id. The CLI's built-in one is compiled to data (collectors/check-catalog.ts). */
export type CheckCatalog = ReadonlyMap<string, CheckInfo>;

export function checkCatalog(collectors: readonly AnyCollector[]): CheckCatalog {
  return new Map(
    collectors.flatMap((c) =>
      c.checks.map(
        ({ evaluate: _, population: __, ...meta }) => [meta.id, { ...meta, source: c.source }] as const,
      ),
    ),
  );
}
