import type { Metafile } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCli } from '../../scripts/build-cli.ts';

type Outputs = Metafile['outputs'];

/**
 * What a run of the bundled CLI loads before a command's action: the entry, what it imports, and the command
 * table the entry imports unconditionally (its dynamic import of cli/program.ts); actions load through `lazy`.
 */
function loadedAtStart(outputs: Outputs): Set<string> {
  const entry = Object.keys(outputs).find((k) => outputs[k]?.entryPoint === 'bin/proofline.ts');
  if (!entry) throw new Error('no output for bin/proofline.ts');
  const table = outputs[entry]!.imports.filter((i) => i.kind === 'dynamic-import' && !i.external);
  return staticClosure(outputs, [entry, ...table.map((i) => i.path)]);
}

/** The chunks `roots` load with them (static imports only), and the packages and built-ins they import. */
function staticClosure(outputs: Outputs, roots: readonly string[]): Set<string> {
  const seen = new Set<string>();
  const visit = (path: string) => {
    if (seen.has(path)) return;
    seen.add(path);
    for (const i of outputs[path]?.imports ?? []) if (i.kind === 'import-statement') visit(i.path);
  };
  for (const root of roots) visit(root);
  return seen;
}

/** The project's source files in those chunks, and the packages they carry or import (built-ins as `node:…`). */
function contents(outputs: Outputs, chunks: Set<string>): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const packageOf = (path: string) => /^(?:.*node_modules\/)?((?:@[^/]+\/)?[^/]+)/.exec(path)![1]!;
  for (const chunk of chunks) {
    const output = outputs[chunk];
    if (!output) packages.add(packageOf(chunk)); // left to Node: a package or a built-in
    for (const input of Object.keys(output?.inputs ?? {}))
      if (input.includes('node_modules/')) packages.add(packageOf(input));
      else files.add(input);
  }
  return { files, packages };
}

describe('CLI start-up (the bundle as built, read from its metafile)', () => {
  let outputs: Outputs;
  beforeAll(async () => {
    const { metafile } = await buildCli({ write: false, metafile: true });
    outputs = metafile!.outputs;
  }, 60_000);

  it('--help loads commander and the command table only: no zod, yaml, catalog, registry or SDK', () => {
    const { files, packages } = contents(outputs, loadedAtStart(outputs));
    expect([...packages].filter((p) => !p.startsWith('node:'))).toEqual(['commander']);
    const heavy = [...files].filter((s) =>
      /^(collectors\/|controls\/|core\/(config|pipeline|isms|archive\/(export|verify)|stores\/(local-store|open)))/.test(
        s,
      ),
    );
    expect(heavy).toEqual([]);
    expect(files).toContain('cli/program.ts');
    expect(files).toContain('cli/isms-commands.ts');
  });

  it('status loads neither the YAML parser, zod nor a vendor SDK: the catalog is compiled and no config file is read', () => {
    const status = Object.keys(outputs).find((k) => outputs[k]?.entryPoint === 'cli/status.ts');
    expect(status).toBeDefined();
    const { files, packages } = contents(
      outputs,
      staticClosure(outputs, [...loadedAtStart(outputs), status!]),
    );
    expect(files).toContain('core/report/status.ts');
    expect(
      [...packages].filter((s) =>
        /^(yaml|zod|@aws-sdk\/|@smithy\/|octokit|@octokit\/|@azure\/|googleapis)/.test(s),
      ),
    ).toEqual([]);
  });

  it('status names the checks from the compiled catalog: no collector definition, pipeline or config schema', () => {
    const status = Object.keys(outputs).find((k) => outputs[k]?.entryPoint === 'cli/status.ts')!;
    const { files } = contents(outputs, staticClosure(outputs, [...loadedAtStart(outputs), status]));
    expect(files).toContain('collectors/compiled-checks.ts');
    expect(
      [...files].filter((s) =>
        /^(collectors\/(?!compiled-checks|check-catalog)|core\/(pipeline|evaluate|config|check-settings)\.ts)/.test(
          s,
        ),
      ),
    ).toEqual([]);
  });
});
