import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { runnableCollectors } from '../../collectors/collect.ts';
import { connectors } from '../../collectors/connectors.ts';
import { collectors } from '../../collectors/index.ts';
import { DEFAULT_CONTROLS_PATH, loadControls } from '../../controls/catalog.ts';
import type { AnyCollector, Check, LazyCollector } from '../../core/collector.ts';
import type { Control } from '../../core/model.ts';
import { knownChecks, UNMAPPED_CHECKS } from '../support/catalog.ts';

let controls: Control[];
beforeAll(async () => {
  controls = await loadControls(DEFAULT_CONTROLS_PATH, knownChecks());
});

const registered = collectors.flatMap((c) => c.checks.map((check) => ({ collector: c.id, check })));

describe('wiring: registered checks ↔ the built-in catalog', () => {
  it('uses every registered check in some control and names it in some link, except the justified list', () => {
    const used = new Set(controls.flatMap((c) => c.checks));
    const evidencing = new Set(controls.flatMap((c) => c.links.flatMap((l) => l.by)));
    const ids = registered.map((r) => r.check.id);
    expect(ids.filter((id) => !used.has(id) && !(id in UNMAPPED_CHECKS))).toEqual([]);
    expect(ids.filter((id) => !evidencing.has(id) && !(id in UNMAPPED_CHECKS))).toEqual([]);
    // the justified list names registered checks that really are unused, each with its reason
    for (const [id, reason] of Object.entries(UNMAPPED_CHECKS)) {
      expect(ids, id).toContain(id);
      expect(used.has(id), id).toBe(false);
      expect(reason.length, id).toBeGreaterThan(40);
    }
  });

  it('gives every check a test procedure saying what it reads and what passes', () => {
    for (const { collector, check } of registered) {
      // What it reads (an API or file), then what passes or fails.
      expect(check.procedure.length, `${collector} ${check.id}`).toBeGreaterThan(40);
      expect(check.procedure, `${collector} ${check.id}`).toMatch(/\b(pass(es)?|fails?)\b/i);
      expect(check.procedure, check.id).not.toBe(check.title);
    }
  });

  it('names every check of a control in at least one of its links, and every link has a rationale', () => {
    for (const control of controls) {
      const evidencing = new Set(control.links.flatMap((l) => l.by));
      expect(
        control.checks.filter((id) => !evidencing.has(id)),
        control.id,
      ).toEqual([]);
      for (const link of control.links)
        expect(link.rationale.length, `${control.id} ${link.requirement}`).toBeGreaterThanOrEqual(20);
    }
  });

  it('keeps control titles distinct', () => {
    const titles = controls.map((c) => c.title.toLowerCase());
    expect(titles.filter((t, i) => titles.indexOf(t) !== i)).toEqual([]);
  });
});

// ── A collector, check or connector not wired where it must be ─────────────────────────────────────────────

/** Every module under collectors/, with what it exports. */
async function collectorModules(): Promise<{ file: string; exports: Record<string, unknown> }[]> {
  const root = fileURLToPath(new URL('../../collectors/', import.meta.url));
  const files = (await readdir(root, { recursive: true })).filter((f) => f.endsWith('.ts')).sort();
  return Promise.all(
    files.map(async (file) => ({
      file: `collectors/${file}`,
      exports: (await import(pathToFileURL(join(root, file)).href)) as Record<string, unknown>,
    })),
  );
}

const isCollector = (v: unknown): v is AnyCollector =>
  !!v && typeof v === 'object' && 'defaultSchedule' in v && 'checks' in v && 'permissions' in v;
const isCheck = (v: unknown): v is Check<unknown> =>
  !!v && typeof v === 'object' && 'evaluate' in v && 'severity' in v && 'procedure' in v;

describe('wiring: collectors, checks and connectors are registered everywhere they must be', () => {
  let modules: Awaited<ReturnType<typeof collectorModules>>;
  beforeAll(async () => {
    modules = await collectorModules();
  });

  it('registers every collector a module under collectors/ exports (collectors/index.ts, via its source list)', () => {
    const ids = new Set(collectors.map((c) => c.id));
    const exported = modules.flatMap(({ file, exports }) =>
      Object.values(exports)
        .filter(isCollector)
        .map((c) => `${file} ${c.id}`),
    );
    expect(exported.filter((e) => !ids.has(e.split(' ')[1] ?? ''))).toEqual([]);
    // The scan sees them all: every registered collector is among the exports it found.
    const found = new Set(exported.map((e) => e.split(' ')[1]));
    expect(collectors.map((c) => c.id).filter((id) => !found.has(id))).toEqual([]);
  });

  it("pairs every registered collector with its own folder's collect code (collectors/collect.ts, via its source's collect.ts)", async () => {
    expect(runnableCollectors.map((c) => c.id)).toEqual(collectors.map((c) => c.id));
    const wrong: string[] = [];
    for (const runnable of runnableCollectors) {
      const folder = modules.find(
        ({ file, exports }) =>
          file.endsWith('/index.ts') &&
          Object.values(exports).some((v) => isCollector(v) && v.id === runnable.id),
      );
      const code = modules.find(({ file }) => file === folder?.file.replace(/index\.ts$/, 'collect.ts'));
      // A collector whose collect module loads on first run (withLazyCollect): the function that module exports.
      const collect =
        'load' in runnable ? (await (runnable as LazyCollector<unknown>).load()).collect : runnable.collect;
      if (!code || code.exports.collect !== collect) wrong.push(runnable.id);
    }
    expect(wrong).toEqual([]);
  });

  it('keeps the registry free of vendor SDKs: what every command loads imports none of them', async () => {
    const result = await build({
      entryPoints: [fileURLToPath(new URL('../../collectors/index.ts', import.meta.url))],
      bundle: true,
      platform: 'node',
      format: 'esm',
      packages: 'external',
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    const externals = Object.values(result.metafile.outputs).flatMap((o) =>
      o.imports.filter((i) => i.external).map((i) => i.path),
    );
    expect(externals.filter((p) => /^@(aws-sdk|octokit|azure|googleapis|microsoft)\//.test(p))).toEqual([]);
    expect(externals.length).toBeGreaterThan(0);
  });

  it("lists every check a checks.ts exports in its collector's checks (a check declared but not listed never runs)", () => {
    const listed = new Set(registered.map((r) => r.check));
    const orphans = modules.flatMap(({ file, exports }) =>
      Object.entries(exports)
        .filter(([, v]) => isCheck(v) && !listed.has(v as Check<unknown>))
        .map(([name, v]) => `${file} ${name} (${(v as Check<unknown>).id})`),
    );
    expect(orphans).toEqual([]);
  });

  it('gives every source of a registered collector a connector, and every deployed source other than AWS its function', async () => {
    const connected = new Set(connectors.map((c) => c.source));
    const sources = new Set(collectors.map((c) => c.source).filter((s) => s !== 'manual'));
    expect([...sources].filter((s) => !connected.has(s))).toEqual([]);
    const functions = await readdir(fileURLToPath(new URL('../../functions/sources/', import.meta.url)));
    expect(
      [...sources].filter((s) => s !== 'aws' && !functions.includes(`${s}.ts`)),
      'functions/sources/<source>.ts',
    ).toEqual([]);
  });

  it('documents every GitHub and identity-provider collector and check in its source page', async () => {
    const pages: Partial<Record<string, string>> = {
      github: 'docs/sources/github.md',
      okta: 'docs/sources/identity.md',
      entra: 'docs/sources/identity.md',
      google: 'docs/sources/identity.md',
      'identity-center': 'docs/sources/identity.md',
      manual: 'docs/sources/identity.md',
    };
    const missing: string[] = [];
    for (const collector of collectors) {
      const page = pages[collector.source];
      if (!page) continue;
      const text = await readFile(fileURLToPath(new URL(`../../${page}`, import.meta.url)), 'utf8');
      for (const id of [collector.id, ...collector.checks.map((c) => c.id)])
        if (!text.includes(`\`${id}\``)) missing.push(`${page}: ${id}`);
    }
    expect(missing).toEqual([]);
  });
});
