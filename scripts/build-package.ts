/**
 * Builds what the npm package ships (`npm pack` runs it as `prepack`; `prepare` has built the CLI):
 * - dist/index.js, dist/cdk.js: the library and the construct library, bundled (dependencies stay imports);
 * - dist/types/: their declarations (tsc, relative `.ts` specifiers rewritten to `.js`);
 * - dist/handlers/<name>/: every Lambda handler bundled as the stack deploys it, so a consumer's synth needs
 *   neither esbuild nor TypeScript;
 * - dist/sbom.cdx.json and dist/licenses.md: the CycloneDX SBOM of the production dependencies (from
 *   package-lock.json) and its licence summary; the build fails on a licence outside PERMISSIVE.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { bundleHandler } from '../infra/bundle.ts';
import { ALL_HANDLERS, PREBUILT_HANDLERS_DIR, PROJECT_ROOT } from '../infra/handlers.ts';
import { BUNDLE } from './build-cli.ts';

/** The pinned SBOM generator (run through npx when it is not a devDependency). */
export const CYCLONEDX_NPM = '@cyclonedx/cyclonedx-npm@6.0.1';

/** Licences a buyer can ship without obligations beyond notices (SPDX ids). */
export const PERMISSIVE = new Set([
  '0BSD',
  'Apache-2.0',
  'BlueOak-1.0.0',
  'BSD-2-Clause',
  'BSD-3-Clause',
  'ISC',
  'MIT',
  'MIT-0',
  'Unlicense',
]);

/** Packages whose declared licence is no SPDX id, with the id of the licence text they ship (read, not guessed). */
export const READ_LICENCES: Readonly<Record<string, string>> = {
  // Declares "BSD"; its LICENSE file is the 3-clause BSD licence.
  'url-template@2.0.8': 'BSD-3-Clause',
};

const dist = join(PROJECT_ROOT, 'dist');
const run = (command: string, args: string[], env: NodeJS.ProcessEnv = {}) =>
  execFileSync(command, args, {
    cwd: PROJECT_ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });

async function buildLibraries(): Promise<void> {
  for (const [entry, outfile] of [
    ['api/index.ts', 'dist/index.js'],
    ['api/cdk.ts', 'dist/cdk.js'],
  ] as const) {
    await build({
      ...BUNDLE,
      entryPoints: [join(PROJECT_ROOT, entry)],
      outfile: join(PROJECT_ROOT, outfile),
    });
  }
}

function buildDeclarations(): void {
  rmSync(join(dist, 'types'), { recursive: true, force: true });
  run('npx', ['tsc', '-p', 'tsconfig.package.json']);
  const specifier = /(["'])(\.{1,2}\/[^"']*?)\.ts\1/g;
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.d.ts'))
        writeFileSync(path, readFileSync(path, 'utf8').replace(specifier, '$1$2.js$1'));
    }
  };
  walk(join(dist, 'types'));
}

async function buildHandlers(): Promise<void> {
  rmSync(join(PROJECT_ROOT, PREBUILT_HANDLERS_DIR), { recursive: true, force: true });
  for (const spec of ALL_HANDLERS) {
    await bundleHandler(spec, join(PROJECT_ROOT, PREBUILT_HANDLERS_DIR, spec.name));
  }
}

interface SbomComponent {
  name: string;
  group?: string;
  version: string;
  licenses?: { license?: { id?: string; name?: string }; expression?: string }[];
}

/** The SPDX id or expression of a component, as the SBOM records it. */
const licenceOf = (c: SbomComponent): string =>
  READ_LICENCES[`${c.group ? `${c.group}/` : ''}${c.name}@${c.version}`] ??
  (c.licenses
    ?.map((l) => l.expression ?? l.license?.id ?? l.license?.name)
    .filter(Boolean)
    .join(' AND ') ||
    'UNKNOWN');

/** An expression is permissive when every alternative of an OR, or every term of an AND, is. */
function permissive(expression: string): boolean {
  const bare = expression.replace(/[()]/g, '').trim();
  if (bare.includes(' OR ')) return bare.split(' OR ').some((part) => permissive(part));
  return bare.split(' AND ').every((part) => PERMISSIVE.has(part.trim()));
}

function buildSbom(): void {
  const sbomFile = join(dist, 'sbom.cdx.json');
  // From the lock file (what `npm ci` installs), without install scripts: the generator's optional XML
  // validator compiles a native module for minutes, and JSON output does not use it.
  run(
    'npx',
    [
      '--yes',
      CYCLONEDX_NPM,
      '--omit',
      'dev',
      '--package-lock-only',
      '--output-format',
      'JSON',
      '--output-file',
      sbomFile,
    ],
    {
      npm_config_ignore_scripts: 'true',
    },
  );
  const sbom = JSON.parse(readFileSync(sbomFile, 'utf8')) as { components?: SbomComponent[] };
  const byLicence = new Map<string, string[]>();
  for (const c of sbom.components ?? []) {
    const licence = licenceOf(c);
    byLicence.set(licence, [...(byLicence.get(licence) ?? []), `${c.group ? `${c.group}/` : ''}${c.name}`]);
  }
  const rows = [...byLicence].sort(([, a], [, b]) => b.length - a.length);
  const refused = rows.filter(([licence]) => !permissive(licence));
  writeFileSync(
    join(dist, 'licenses.md'),
    [
      '# Licences of the production dependencies',
      '',
      `From dist/sbom.cdx.json (CycloneDX, ${sbom.components?.length ?? 0} components).`,
      '',
      '| licence | packages | count |',
      '| --- | --- | --- |',
      ...rows.map(
        ([licence, names]) => `| ${licence} | ${[...new Set(names)].sort().join(', ')} | ${names.length} |`,
      ),
      '',
    ].join('\n'),
  );
  if (refused.length) {
    throw new Error(
      `licences outside the permissive list: ${refused.map(([l, n]) => `${l} (${n.join(', ')})`).join('; ')}`,
    );
  }
}

await buildLibraries();
buildDeclarations();
await buildHandlers();
buildSbom();
