import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Command } from 'commander';
import { UsageError } from '../core/errors.ts';
import {
  MANUAL_EVIDENCE_COLLECTOR,
  ManualEvidenceError,
  manualEvidenceSnapshot,
  uploadFileName,
} from '../core/manual-evidence.ts';
import type { CommandEnv } from './context.ts';
import { withContext } from './context.ts';
import { currentUser, reevaluate } from './exceptions.ts';

/**
 * Reads the file to upload, turning every way it can fail into a message naming the file. The cap is checked
 * before reading and again while reading (a file that grows, a device), so no more than `maxBytes` is held.
 */
async function readUpload(file: string, maxBytes: number): Promise<Buffer> {
  const tooLarge = (size: number | string) =>
    new ManualEvidenceError(
      `${file} is ${size} bytes; uploads are limited to ${maxBytes} bytes (uploads.maxBytes in the config; store larger files elsewhere and upload a signed index)`,
    );
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
  if (info.size > maxBytes) throw tooLarge(info.size);
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > maxBytes) throw tooLarge(`more than ${maxBytes}`);
      chunks.push(chunk);
    }
  } catch (error) {
    if (error instanceof ManualEvidenceError) throw error;
    throw new ManualEvidenceError(`cannot read ${file}: ${(error as Error).message}`);
  }
  if (size === 0) throw new ManualEvidenceError(`${file} is empty: there is nothing to upload`);
  return Buffer.concat(chunks, size);
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
        const bytes = await readUpload(file, ctx.config.uploads.maxBytes);
        const now = new Date();
        const snapshot = manualEvidenceSnapshot(
          control.id,
          uploadFileName(file),
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
      });
    });
}
