import type { Command } from 'commander';
import type { CommandEnv } from './context.ts';
import { lazy } from './lazy.ts';

/** Adds `evidence upload` to the `evidence` command group. */
export function registerUploadCommand(evidence: Command, env: CommandEnv): void {
  evidence
    .command('upload')
    .description(
      'store a file (any type) as manual evidence for a control: hashed, timestamped, uploader recorded',
    )
    .argument('<file>', 'the file to upload')
    .requiredOption('--control <id>', 'internal control the file evidences')
    .option('--uploader <name>', 'who uploads it (default: the current user)')
    .option('--media-type <type>', 'media type (default: from the file extension)')
    .action(lazy(() => import('./manual-evidence.ts'), 'runUpload', env));
}
