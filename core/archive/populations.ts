import { alertKind } from '../alerts/notification.ts';
import type { AccountItem, AnyCollector } from '../collector.ts';
import type { ArtifactRef, Control, Transition } from '../model.ts';
import type { EvidenceStore } from '../stores/store.ts';
import type { JudgedResource } from './findings.ts';
import { type ControlPeriodStatus, type Frequency, occurrenceName } from './period-status.ts';
import { mapAhead, READ_AHEAD } from './read-ahead.ts';
import { drawSample } from './sample.ts';
import { populationPath, type samplesCsv } from './tables.ts';
import type { Period } from './types.ts';

/**
 * The populations of items an archive lists beside each control's occurrences (populations/<control>.csv):
 * every resource its checks judged, every alert it raised, the joiners and leavers of the directories it
 * reads, and every account of the access reviews it relies on.
 */
export type ItemPopulationKind = 'resources' | 'alerts' | 'joiners-leavers' | 'access-review';
export const ITEM_POPULATION_KINDS: readonly ItemPopulationKind[] = [
  'resources',
  'alerts',
  'joiners-leavers',
  'access-review',
];

/** One row of a population file: an occurrence, or an item of an item population. */
export interface PopulationRow {
  /** What the row is: `collection`, `manual`, `event` (occurrences) or the item's kind (`resource` …). */
  readonly feed: string;
  /** The item, unique in its control's populations together with `feed`. */
  readonly label: string;
  readonly at: string;
  readonly status: string;
  readonly detail: string;
  readonly attributes?: Readonly<Record<string, string>>;
  /** Keys of the archived evidence the row is read from. */
  readonly evidence: readonly string[];
}

export interface ItemPopulation {
  readonly control: string;
  readonly kind: ItemPopulationKind;
  readonly rows: readonly PopulationRow[];
}

/** Where a control's item population is listed in the archive. */
export const itemPopulationPath = (kind: ItemPopulationKind, control: string) =>
  `populations/${kind}/${control}.csv`;

const unique = (keys: readonly string[]) => [...new Set(keys)];

/** Each resource a check judged: how many times it passed, failed or did not apply, and how it stood last. */
export function resourceRows(judged: readonly JudgedResource[]): PopulationRow[] {
  return judged.map((r) => ({
    feed: 'resource',
    label: `${r.check} ${r.resource}`,
    at: r.firstJudged,
    status: r.lastStatus,
    detail: `judged ${r.pass + r.fail + r.notApplicable} times: ${r.pass} pass, ${r.fail} fail, ${r.notApplicable} not applicable; last (${r.lastJudged}): ${r.lastReason}`,
    attributes: {
      check: r.check,
      resource: r.resource,
      pass: String(r.pass),
      fail: String(r.fail),
      not_applicable: String(r.notApplicable),
      last_judged: r.lastJudged,
    },
    evidence: unique([r.firstEvidence, r.latestEvidence]),
  }));
}

const briefly = (findings: Transition['failing']) =>
  findings.map((f) => `${f.resource}: ${f.reason}`).join('; ');

/**
 * Each alert a control's transitions in the period raised (the same rule that sends them: alertKind), with the
 * evidence its evaluation judged that the archive holds (`archived`; default: all of it).
 */
export function alertRows(
  transitions: readonly Transition[],
  period: Period,
  archived: (key: string) => boolean = () => true,
): PopulationRow[] {
  return transitions.flatMap((t) => {
    const kind = alertKind(t);
    if (!kind || t.at < period.start || t.at >= period.end) return [];
    const parts = [`${t.from ?? 'first evaluation'} → ${t.to}`];
    if (t.newlyFailing.length) parts.push(`newly failing: ${briefly(t.newlyFailing)}`);
    if (t.recovered.length) parts.push(`recovered: ${t.recovered.map((f) => f.resource).join('; ')}`);
    return [
      {
        feed: 'alert',
        label: `${kind} ${t.at}`,
        at: t.at,
        status: kind,
        detail: parts.join('; '),
        attributes: {
          from: t.from ?? '',
          to: t.to,
          failing: String(t.failing.length),
          newly_failing: String(t.newlyFailing.length),
          recovered: String(t.recovered.length),
        },
        evidence: t.evidence.filter(archived),
      },
    ];
  });
}

/** An ok snapshot of one collector × scope, read as a list of accounts. */
export interface AccountListing {
  readonly ref: ArtifactRef;
  readonly accounts: readonly AccountItem[];
}

/** Listings of one scope, oldest first, taken as they come: a year of a directory is never held at once. */
type Listings = AsyncIterable<AccountListing> | Iterable<AccountListing>;

/**
 * Who joined and who left a directory between consecutive collections of one scope (oldest first): an account
 * that appears (joined), one that disappears (removed), one that stops being usable (deactivated) or becomes
 * usable again (reactivated). The first collection is the baseline: its accounts are not changes.
 */
export async function accountChanges(listings: Listings): Promise<PopulationRow[]> {
  const rows: PopulationRow[] = [];
  let before: { ref: ArtifactRef; accounts: Map<string, AccountItem> } | undefined;
  for await (const { ref, accounts } of listings) {
    const after = new Map(accounts.map((a) => [a.account, a]));
    if (before) {
      const previous = before.ref;
      const row = (account: string, change: string, was?: AccountItem, now?: AccountItem): PopulationRow => ({
        feed: 'account-change',
        label: `${ref.collector} ${ref.scopeKey} ${account} ${ref.collectedAt}`,
        at: ref.collectedAt,
        status: change,
        detail: `${was ? was.status : 'absent'} at ${previous.collectedAt} → ${now ? now.status : 'absent'} at ${ref.collectedAt}`,
        attributes: {
          account,
          collector: ref.collector,
          scope: ref.scopeKey,
          status_before: was?.status ?? '',
          status_after: now?.status ?? '',
          previous_collection: previous.collectedAt,
        },
        evidence: [previous.key, ref.key],
      });
      for (const [account, now] of after) {
        const was = before.accounts.get(account);
        if (!was) rows.push(row(account, now.active ? 'joined' : 'joined inactive', was, now));
        else if (was.active && !now.active) rows.push(row(account, 'deactivated', was, now));
        else if (!was.active && now.active) rows.push(row(account, 'reactivated', was, now));
      }
      for (const [account, was] of before.accounts)
        if (!after.has(account)) rows.push(row(account, 'removed', was, undefined));
    }
    before = { ref, accounts: after };
  }
  return rows;
}

/** Every account each access review in the period covered. */
export async function reviewedRows(listings: Listings): Promise<PopulationRow[]> {
  const rows: PopulationRow[] = [];
  for await (const { ref, accounts } of listings)
    for (const a of accounts)
      rows.push({
        feed: 'reviewed-account',
        label: `${a.account} ${ref.collectedAt}`,
        at: ref.collectedAt,
        status: a.active ? 'active' : 'inactive',
        detail: a.status,
        attributes: { account: a.account, ...a.attributes },
        evidence: [ref.key],
      });
  return rows;
}

const byTime = (a: PopulationRow, b: PopulationRow) =>
  a.at.localeCompare(b.at) || a.label.localeCompare(b.label);

/**
 * Each control's item populations in the period, from the archive's own evidence: the resources its checks
 * judged (`judged`; an event check's events are occurrences instead), the alerts its transitions raised, and — for a control reading a directory of people or an
 * access review — the joiners and leavers between consecutive collections of each scope and every account
 * reviewed. Only non-empty populations are returned.
 */
export async function itemPopulations(options: {
  readonly store: EvidenceStore;
  readonly controls: readonly Control[];
  readonly period: Period;
  readonly collectors: readonly AnyCollector[];
  /** The collectors each control draws evidence from (selectEvidence's collectorsOf). */
  readonly collectorsOf: ReadonlyMap<string, ReadonlySet<string>>;
  /** Each control's evidence in the period, oldest first (selectEvidence's byControl). */
  readonly evidence: ReadonlyMap<string, readonly ArtifactRef[]>;
  readonly judged: readonly JudgedResource[];
  /** Each control's transitions up to the end of the period. */
  readonly transitions: ReadonlyMap<string, readonly Transition[]>;
}): Promise<ItemPopulation[]> {
  const registry = new Map(options.collectors.map((c) => [c.id, c]));
  // An event check's items are the control's events (its occurrences), not standing resources.
  const eventChecks = new Set(
    options.collectors.flatMap((c) => c.checks.filter((k) => k.population)).map((k) => k.id),
  );
  const judgedBy = new Map<string, JudgedResource[]>();
  for (const r of options.judged) {
    if (eventChecks.has(r.check)) continue;
    const rows = judgedBy.get(r.control) ?? [];
    rows.push(r);
    judgedBy.set(r.control, rows);
  }
  // A scope's listings in order, read a few ahead (a deployed store's reads overlap) and dropped once compared.
  const listingsOf = (refs: readonly ArtifactRef[], list: (snapshot: unknown) => readonly AccountItem[]) =>
    mapAhead(refs, READ_AHEAD, async (ref) => {
      const { artifact } = await options.store.getArtifact(ref.key);
      return { ref, accounts: artifact.status === 'ok' ? list(artifact.snapshot) : [] };
    });
  // Several controls draw on the same directories: each scope's rows are made once.
  const scopeRows = new Map<string, readonly PopulationRow[]>();
  const accountRows = async (
    control: Control,
    hook: 'directory' | 'reviewed',
    rowsOf: (listings: Listings) => Promise<PopulationRow[]>,
  ) => {
    const rows: PopulationRow[] = [];
    for (const id of [...(options.collectorsOf.get(control.id) ?? [])].sort()) {
      const list = registry.get(id)?.[hook];
      if (!list) continue;
      const byScope = new Map<string, ArtifactRef[]>();
      for (const ref of options.evidence.get(control.id) ?? [])
        if (ref.collector === id && ref.status === 'ok') {
          const refs = byScope.get(ref.scopeKey) ?? [];
          refs.push(ref);
          byScope.set(ref.scopeKey, refs);
        }
      for (const refs of byScope.values()) {
        const scopeKey = `${hook}\n${refs.map((r) => r.key).join('\n')}`;
        let scope = scopeRows.get(scopeKey);
        if (!scope) {
          scope = await rowsOf(listingsOf(refs, list));
          scopeRows.set(scopeKey, scope);
        }
        rows.push(...scope);
      }
    }
    return rows.sort(byTime);
  };

  const out: ItemPopulation[] = [];
  for (const control of options.controls) {
    const archived = new Set((options.evidence.get(control.id) ?? []).map((r) => r.key));
    const rows: Record<ItemPopulationKind, PopulationRow[]> = {
      resources: resourceRows(judgedBy.get(control.id) ?? []),
      alerts: alertRows(options.transitions.get(control.id) ?? [], options.period, (key) =>
        archived.has(key),
      ),
      'joiners-leavers': await accountRows(control, 'directory', accountChanges),
      'access-review': await accountRows(control, 'reviewed', reviewedRows),
    };
    for (const kind of ITEM_POPULATION_KINDS)
      if (rows[kind].length) out.push({ control: control.id, kind, rows: rows[kind] });
  }
  return out;
}

/**
 * The population files of an archive and the sample drawn from each: a control's occurrences
 * (populations/<control>.csv, sized by its frequency) and each of its item populations
 * (populations/<kind>/<control>.csv, sized as events: `many_per_day`), all ranked from the same seed.
 */
export function populationFiles(options: {
  readonly controls: readonly Control[];
  readonly status: ReadonlyMap<string, ControlPeriodStatus>;
  readonly items: readonly ItemPopulation[];
  readonly sizes: Readonly<Record<Frequency, number>>;
  /** Items per population instead of the size for its frequency. */
  readonly perControl: number | undefined;
  readonly seed: string;
}) {
  const { sizes, perControl, seed } = options;
  // Each file's rows, not its text: the text is made as the file is written, one population in memory at a time.
  const files: { path: string; control: string; rows: readonly PopulationRow[] }[] = [];
  const samples: Parameters<typeof samplesCsv>[0][number][] = [];
  const itemFiles = new Map<string, string[]>();
  const add = (control: string, path: string, rows: readonly PopulationRow[], frequency?: Frequency) => {
    if (rows.length) files.push({ path, control, rows });
    const size = perControl ?? (frequency ? sizes[frequency] : 0);
    samples.push({
      control,
      frequency: frequency ?? '',
      population: rows.length,
      file: rows.length ? path : '',
      items: drawSample(control, rows, occurrenceName, size, seed),
    });
  };
  for (const control of options.controls) {
    const s = options.status.get(control.id)!;
    add(control.id, populationPath(control.id), s.occurrences, s.frequency);
    for (const p of options.items.filter((i) => i.control === control.id)) {
      const path = itemPopulationPath(p.kind, p.control);
      itemFiles.set(p.control, [...(itemFiles.get(p.control) ?? []), path]);
      add(p.control, path, p.rows, 'many_per_day');
    }
  }
  return { files, samples, itemFiles };
}
