import {
  applyExceptions,
  EXCEPTION_COLLECTOR,
  type ExceptionRecord,
  exceptionRecordSchema,
  exceptionStates,
} from './exceptions.ts';
import { applyManualEvidence, MANUAL_EVIDENCE_COLLECTOR, type ManualUpload } from './manual-evidence.ts';
import type { Control, ControlResult } from './model.ts';
import type { EvidenceStore } from './stores/store.ts';

/** What people record by hand, as stored: exception records (oldest first) and the newest upload per control. */
export interface ManualRecords {
  readonly exceptions: readonly { readonly record: ExceptionRecord; readonly key: string }[];
  readonly uploads: ReadonlyMap<string, ManualUpload>;
}

/** A manual scope key is `<id>-global`: the id back from the index. */
const scopeIdOf = (scopeKey: string): string => scopeKey.replace(/-global$/, '');

/** Reads every exception record (verifying each artifact's hash) from the store. */
export async function loadExceptionRecords(
  store: EvidenceStore,
): Promise<{ record: ExceptionRecord; key: string }[]> {
  const records: { record: ExceptionRecord; key: string }[] = [];
  for (const ref of await store.listArtifacts({ collector: EXCEPTION_COLLECTOR })) {
    const { artifact } = await store.getArtifact(ref.key);
    if (artifact.status !== 'ok') continue;
    const parsed = exceptionRecordSchema.safeParse(artifact.snapshot);
    if (!parsed.success)
      throw new Error(`${ref.key}: not an exception record: ${parsed.error.issues[0]?.message}`);
    records.push({ record: parsed.data, key: ref.key });
  }
  return records;
}

/** The newest manual-evidence upload of each control, from the index alone. */
export async function latestManualUploads(store: EvidenceStore): Promise<Map<string, ManualUpload>> {
  const uploads = new Map<string, ManualUpload>();
  for (const ref of await store.latestArtifacts(MANUAL_EVIDENCE_COLLECTOR)) {
    if (ref.status !== 'ok') continue;
    const control = scopeIdOf(ref.scopeKey);
    uploads.set(control, { control, key: ref.key, uploadedAt: ref.collectedAt });
  }
  return uploads;
}

export async function loadManualRecords(store: EvidenceStore): Promise<ManualRecords> {
  return { exceptions: await loadExceptionRecords(store), uploads: await latestManualUploads(store) };
}

/** Applies the exception rule, then the manual-evidence rule, to every control's automated result. */
export function applyManualRecords(
  results: readonly ControlResult[],
  controls: readonly Control[],
  records: ManualRecords,
  asOf: Date,
): ControlResult[] {
  const views = exceptionStates(records.exceptions, asOf);
  const byId = new Map(controls.map((c) => [c.id, c]));
  return results.map((result) => {
    const control = byId.get(result.control);
    const excepted = applyExceptions(result, views);
    return control ? applyManualEvidence(control, excepted, records.uploads.get(control.id), asOf) : excepted;
  });
}
