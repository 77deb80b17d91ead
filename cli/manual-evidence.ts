import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeArtifact } from '../core/artifact.ts';
import { UsageError } from '../core/errors.ts';
import {
  type EncodedUpload,
  encodeUploadArtifact,
  mediaTypeOf,
  type UploadRequest,
  uploadFileName,
} from '../core/manual-evidence.ts';
import { LocalStore } from '../core/stores/local-store.ts';
import type { ChainedStore } from '../core/stores/open.ts';
import type { CommandEnv } from './context.ts';
import { withContext } from './context.ts';
import { currentUser, reevaluate } from './exceptions.ts';

/**
 * Streams the upload into the store: the embedded store takes the written file as is; another store gets the
 * artifact parsed back from a temporary file (its put API takes an artifact).
 */
async function storeUpload(
  store: ChainedStore,
  file: string,
  request: UploadRequest,
): Promise<EncodedUpload> {
  if (store instanceof LocalStore) {
    const tmp = store.tempFile();
    const encoded = await encodeUploadArtifact(file, request, tmp);
    await store.putArtifactFile(encoded.ref, tmp);
    return encoded;
  }
  const dir = await mkdtemp(join(tmpdir(), 'proofline-upload-'));
  try {
    const encoded = await encodeUploadArtifact(file, request, join(dir, 'artifact.json'));
    const bytes = await readFile(join(dir, 'artifact.json'));
    await store.putArtifact(decodeArtifact(bytes, encoded.ref.sha256, encoded.ref.key));
    return encoded;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** `proofline evidence upload` (options: manual-evidence-commands.ts). */
export async function runUpload(
  env: CommandEnv,
  file: string,
  options: { control: string; uploader?: string; mediaType?: string },
): Promise<void> {
  const { out } = env;
  await withContext(env.globals(), {}, async (ctx) => {
    const control = ctx.controls.find((c) => c.id === options.control);
    if (!control) throw new UsageError(`unknown control "${options.control}"`);
    const now = new Date();
    const fileName = uploadFileName(file);
    const { ref, summary: snapshot } = await storeUpload(ctx.store, file, {
      control: control.id,
      fileName,
      mediaType: options.mediaType ?? mediaTypeOf(fileName),
      uploader: options.uploader ?? currentUser(),
      collectedAt: now.toISOString(),
      maxBytes: ctx.config.uploads.maxBytes,
    });
    out(
      `${snapshot.fileName} (${snapshot.size} bytes, ${snapshot.mediaType}, sha256 ${snapshot.sha256}) uploaded by ${snapshot.uploader} for ${control.id}`,
    );
    out(`  stored as ${ref.key}`);
    if (control.manualEvidence)
      out(
        `  next upload due within ${control.manualEvidence.everyDays} days: ${control.manualEvidence.description}`,
      );
    else
      out(
        `  note: ${control.id} has no manual-evidence spec; the file is kept but does not change its status`,
      );
    await reevaluate(ctx, out, now.toISOString(), control.id);
  });
}
