import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Manifest } from '../../core/archive/types.ts';
import { storeReportHtml } from '../../core/report/html/index.ts';
import { LocalSigner } from '../../core/signing.ts';
import { archiveToBuffer, unzipToMemory, type ZipFileEntry } from '../support/archive.ts';
import { runCli } from '../support/cli.ts';
import { historyControls } from '../support/evidence-history.ts';
import { reportStore } from './store-fixture.ts';

describe('proofline report', () => {
  let fixture: Awaited<ReturnType<typeof reportStore>>;
  const report = (...args: string[]) => runCli(['--store', fixture.dir, 'report', ...args]);

  beforeAll(async () => {
    fixture = await reportStore();
    await fixture.store.close();
  }, 120_000);

  it('writes one HTML file with every control of the catalog, by default over the last 30 days', async () => {
    const out = join(fixture.dir, 'report.html');
    const result = await report('--out', out);
    expect(result).toMatchObject({ code: 0, err: '' });
    expect(result.out).toMatch(
      /^Report: .*report\.html \([\d.]+ kB\), \d{4}-\d{2}-\d{2} to \d{4}-\d{2}-\d{2}; open it/,
    );
    const page = await readFile(out, 'utf8');
    for (const c of fixture.catalog) expect(page).toContain(`id="control-${c.id}"`);
    expect(page).toContain('(30 days)');
  });

  it('keeps to one framework and the period asked for', async () => {
    const out = join(fixture.dir, 'iso.html');
    const [from, to] = [fixture.days[5]!, fixture.days[9]!];
    expect((await report('--framework', 'iso27001', '--from', from, '--to', to, '--out', out)).code).toBe(0);
    const page = await readFile(out, 'utf8');
    expect(page).toContain(`${from} to ${to} (5 days)`);
    expect(page).toContain('ISO/IEC 27001');
    expect(page).not.toContain('SOC 2 Trust Services Criteria');
  });

  it.each([
    [['--from', '2026-02-30'], 'proofline: --from "2026-02-30" is not a date: use YYYY-MM-DD'],
    [
      ['--from', '2026-03-02', '--to', '2026-03-01'],
      'proofline: --to 2026-03-01 is before --from 2026-03-02',
    ],
    [['--framework', 'pci'], "error: option '--framework <name>' argument 'pci' is invalid"],
  ])('refuses %j with one line and exit code 2', async (args, message) => {
    const result = await report(...args, '--out', join(fixture.dir, 'x.html'));
    expect(result.code).toBe(2);
    expect(result.err.split('\n')[0]).toContain(message);
    expect(result.err).not.toMatch(/\n\s+at /);
  });

  it('refuses an --out that is a folder or in a folder that does not exist', async () => {
    const folder = join(fixture.dir, 'a-folder');
    await mkdir(folder);
    const asFolder = await report('--out', folder);
    expect(asFolder).toMatchObject({
      code: 2,
      err: `proofline: --out ${folder} is a folder; give a file name`,
    });
    const missing = await report('--out', join(fixture.dir, 'nope', 'r.html'));
    expect(missing.code).toBe(2);
    expect(missing.err).toBe(
      `proofline: --out ${join(fixture.dir, 'nope', 'r.html')}: the folder ${join(fixture.dir, 'nope')} does not exist`,
    );
  });

  it('export puts the report into the archive as index.html, listed in the signed manifest', async () => {
    const out = join(fixture.dir, 'soc2.zip');
    const exported = await runCli([
      '--store',
      fixture.dir,
      'export',
      '--framework',
      'soc2',
      '--from',
      fixture.days[0]!,
      '--to',
      fixture.days.at(-1)!,
      '--out',
      out,
    ]);
    expect(exported.code, exported.err).toBe(0);
    const files = await unzipToMemory(await readFile(out));
    const manifest = JSON.parse(text(files, 'manifest.json')) as Manifest;
    expect(manifest.files.map((f) => f.path)).toContain('index.html');
    expect(text(files, 'index.html')).toContain(`${fixture.days[0]} to ${fixture.days.at(-1)}`);
    const fingerprint = manifest.signing.fingerprint;
    expect((await runCli(['verify', out, '--fingerprint', fingerprint])).code).toBe(0);
  });

  it("links each evidence key in the archive's report to the archived file, relative to index.html", async () => {
    const { store, input, days } = await reportStore();
    const { zip } = await archiveToBuffer(store, await LocalSigner.open(fixture.dir), {
      from: days[0]!,
      to: days.at(-1)!,
      // The fixture's days run up to today: judge the period from now, not from the archive helper's fixed clock.
      now: () => new Date(),
      report: ({ period, status, evidence }) =>
        storeReportHtml({
          ...input,
          controls: historyControls,
          period,
          periodStatus: status,
          evidenceLinks: evidence,
        }),
    });
    const files = await unzipToMemory(zip);
    const hrefs = [...text(files, 'index.html').matchAll(/href="(evidence\/[^"]+)"/g)].map((m) => m[1]!);
    expect(hrefs.length).toBeGreaterThan(0);
    const names = new Set(files.map((f) => f.name));
    for (const href of hrefs) expect(names).toContain(decodeURI(href));
    await store.close();
  });
});

const text = (files: readonly ZipFileEntry[], name: string) => {
  const file = files.find((f) => f.name === name);
  if (!file) throw new Error(`no ${name} in the archive`);
  return file.bytes.toString('utf8');
};
