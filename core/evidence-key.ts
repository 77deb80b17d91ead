import type { ArtifactHeader } from './model.ts';
import { scopeKey } from './model.ts';

/** `20261127T193600Z` — sortable, filename-safe. */
export function compactTimestamp(iso: string): string {
  return `${iso.slice(0, 19).replace(/[-:]/g, '')}Z`;
}

/**
 * The artifact's key: hive-partitioned (Athena/Glue can query it) and content-addressed (the SHA-256 of the
 * canonical bytes is in the name, so the same content always lands on the same key).
 * `evidence/source=aws/collector=aws.s3.buckets/scope=123456789012-global/dt=2026-11-27/20261127T193600Z-<sha256>.json`
 */
export function evidenceKey(header: ArtifactHeader, sha256: string): string {
  const { collector, scope, collectedAt } = header;
  return [
    'evidence',
    `source=${scope.source}`,
    `collector=${collector}`,
    `scope=${scopeKey(scope)}`,
    `dt=${collectedAt.slice(0, 10)}`,
    `${compactTimestamp(collectedAt)}-${sha256}.json`,
  ].join('/');
}

const KEY_PATTERN =
  /^evidence\/source=([^/]+)\/collector=([^/]+)\/scope=([^/]+)\/dt=(\d{4}-\d{2}-\d{2})\/(\d{8}T\d{6}Z)-([0-9a-f]{64})\.json$/;

export function parseEvidenceKey(key: string) {
  const m = KEY_PATTERN.exec(key);
  if (!m) throw new Error(`not an evidence key: ${key}`);
  const [, source, collector, scope, date, , sha256] = m as unknown as string[];
  return { source: source!, collector: collector!, scopeKey: scope!, date: date!, sha256: sha256! };
}
