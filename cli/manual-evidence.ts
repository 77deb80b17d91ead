import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Command } from 'commander';
import { UsageError } from '../core/errors.ts';
import {
  MANUAL_EVIDENCE_COLLECTOR,
  ManualEvidenceError,
  manualEvidenceSnapshot,
} from '../core/manual-evidence.ts';
import type { CommandEnv } from './context.ts';
import { openContext } from './context.ts';
import { currentUser, reevaluate } from './exceptions.ts';

/** Uploads are embedded in one artifact (base64), so they are capped to keep artifacts readable in memory. */
export const MAX_UPLOAD_BYTES = 100 * 1024 * 1024;

/** Reads the file to upload, turning every way it can fail into a message naming the file. */
async function readUpload(file: string): Promise<Buffer> {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ManualEvidenceError(
      code === 'ENOENT'
        ? `cannot read ${file}: no such file`
        : `cannot read ${file}: ${(error as Error).message}`,
    );
  }
  if (!info.isFile()) throw new ManualEvidenceError(`cannot read ${file}: not a regular file`);
  if (info.size > MAX_UPLOAD_BYTES)
    throw new ManualEvidenceError(
      `${file} is ${info.size} bytes; uploads are limited to ${MAX_UPLOAD_BYTES} bytes (store larger files elsewhere and upload a signed index)`,
    );
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    throw new ManualEvidenceError(`cannot read ${file}: ${(error as Error).message}`);
  }
  if (bytes.length === 0) throw new ManualEvidenceError(`${file} is empty: there is nothing to upload`);
  return bytes;
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
      const ctx = await openContext(env.globals());
      try {
        const control = ctx.controls.find((c) => c.id === options.control);
        if (!control) throw new UsageError(`unknown control "${options.control}"`);
        const bytes = await readUpload(file);
        const now = new Date();
        const snapshot = manualEvidenceSnapshot(
          control.id,
          basename(file),
          bytes,
          options.uploader ?? currentUser(),
          options.mediaType,
        );
        const { ref } = await ctx.store.putArtifact({
          collector: MANUAL_EVIDENCE_COLLECTOR,
          scope: { source: 'manual', id: control.id },
          collectedAt: now.toISOString(),
          schemaVersion: 1,
          status: 'ok',
          snapshot,
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
      } finally {
        await ctx.store.close();
      }
    });
}
