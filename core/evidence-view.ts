import { decodeArtifact } from './artifact.ts';
import type { ArtifactRef, Finding } from './model.ts';
import { type EvidenceStore, expectedSha256 } from './stores/store.ts';

/**
 * The latest evidence of each collection (collector × scope) as of some moment, with its snapshot and
 * findings read on demand: what contradiction checks and the system description read.
 */
export interface EvidenceView {
  readonly refs: readonly ArtifactRef[];
  /** The snapshot of an artifact that was read (`ok`); undefined for a failed collection. */
  snapshot(ref: ArtifactRef): Promise<unknown | undefined>;
  findings(ref: ArtifactRef): Promise<readonly Finding[]>;
}

/** The latest ref of each collector × scope among `refs`, collected at or before `asOf` when given. */
export function latestPerCollection(refs: Iterable<ArtifactRef>, asOf?: string): ArtifactRef[] {
  const latest = new Map<string, ArtifactRef>();
  for (const ref of refs) {
    if (asOf && ref.collectedAt > asOf) continue;
    const id = `${ref.collector}\n${ref.scopeKey}`;
    const seen = latest.get(id);
    if (!seen || seen.collectedAt < ref.collectedAt) latest.set(id, ref);
  }
  return [...latest.values()].sort(
    (a, b) => a.collector.localeCompare(b.collector) || a.scopeKey.localeCompare(b.scopeKey),
  );
}

/**
 * The view of `refs` in `store`; an artifact whose bytes are in `read` (already read, say into an archive) is
 * decoded from them — checked against its key's SHA-256 all the same — instead of being read again.
 */
export function storeEvidenceView(
  store: Pick<EvidenceStore, 'getArtifact' | 'getFindings'>,
  refs: readonly ArtifactRef[],
  read: ReadonlyMap<string, Uint8Array> = new Map(),
): EvidenceView {
  return {
    refs,
    async snapshot(ref) {
      if (ref.status !== 'ok') return undefined;
      const bytes = read.get(ref.key);
      const artifact = bytes
        ? decodeArtifact(bytes, expectedSha256(ref), ref.key)
        : (await store.getArtifact(ref.key)).artifact;
      return artifact.status === 'ok' ? artifact.snapshot : undefined;
    },
    findings: async (ref) => (await store.getFindings(ref.key)) ?? [],
  };
}

/** A scope key's account, organization or tenant, and its region (none for a global scope). */
export function scopeParts(ref: Pick<ArtifactRef, 'scopeKey' | 'source'>): { id: string; region?: string } {
  const { scopeKey } = ref;
  if (scopeKey.endsWith('-global')) return { id: scopeKey.slice(0, -'-global'.length) };
  // Only AWS scopes are regional; an account id has no hyphen, so the region follows the first one.
  if (ref.source !== 'aws') return { id: scopeKey };
  const dash = scopeKey.indexOf('-');
  return dash < 0 ? { id: scopeKey } : { id: scopeKey.slice(0, dash), region: scopeKey.slice(dash + 1) };
}
