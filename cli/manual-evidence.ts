import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
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

/** Adds `evidence upload` to the `evidence` command group. */
export function registerUploadCommand(evidence: Command, env: CommandEnv): void {
  const { out } = env;
  evidence
    .command('upload')
    .description(
      'store a file (any type) as manual evidence for a control: hashed, timestamped, uploader recorded',
    )
    .argument('<file>', 'the file to upload')
    .requiredOption('--control <id>', 'internal control the file evidences')
    .option('--uploader <name>', 'who uploads it (default: the current user)')
    .option('--media-type <type>', 'media type (default: from the file extension)')
    .action(async (file: string, options: { control: string; uploader?: string; mediaType?: string }) => {
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
    });
}
