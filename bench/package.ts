/**
 * The npm tarball against its budget: size, unpacked size and files, from `npm pack --dry-run` over what the
 * last `npm pack` built into dist/ (run `npm pack` first for the full package). Standalone: `npx tsx bench/package.ts`.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PREBUILT_HANDLERS_DIR, PROJECT_ROOT } from '../infra/handlers.ts';
import { TARBALL_BUDGET_BYTES } from '../scripts/package-budget.ts';

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(2)} MB`;

export function runPackageBench(): string[] {
  if (!existsSync(join(PROJECT_ROOT, PREBUILT_HANDLERS_DIR)))
    return ['dist/handlers/ missing: run `npm pack` first (it builds what the package ships)'];
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: PROJECT_ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const [pack] = JSON.parse(out) as { size: number; unpackedSize: number; entryCount: number }[];
  return [
    `tarball ${mb(pack!.size)} of its ${mb(TARBALL_BUDGET_BYTES)} budget (${Math.round((100 * pack!.size) / TARBALL_BUDGET_BYTES)}%)`,
    `${pack!.entryCount} files, ${mb(pack!.unpackedSize)} unpacked`,
  ];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href)
  for (const line of runPackageBench()) console.log(line);
