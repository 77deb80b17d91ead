import { DEFAULT_STORE_DIR, LocalStore } from './local-store.ts';
import type { EvidenceStore } from './store.ts';

/** Opens the store a `--store` value names: a folder (the embedded store, default `./.proofline`). */
export async function openStore(spec: string = DEFAULT_STORE_DIR): Promise<EvidenceStore> {
  if (spec.startsWith('s3://')) {
    throw new Error(`--store ${spec}: the AWS store is not available in this version; use a folder path`);
  }
  return LocalStore.open(spec);
}
