import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { EXIT } from '../../core/errors.ts';
import { dateIn, runCli, storeWithPublicBucket } from '../support/cli.ts';

/** One line starting `proofline:`, no stack trace. */
const oneLine = (err: string) => {
  expect(err.split('\n')).toHaveLength(1);
  expect(err).toMatch(/^proofline: /);
  expect(err).not.toMatch(/\n\s+at /);
};

let store: string;
beforeEach(async () => {
  store = await storeWithPublicBucket();
});

/** `export --framework soc2` of the days given, into `out` (after `digest` has made the store's key pair). */
async function exportSoc2(from: string, to: string, out: string) {
  expect((await runCli(['--store', store, 'digest'])).code).toBe(0);
  return runCli([
    '--store',
    store,
    'export',
    '--framework',
    'soc2',
    '--from',
    from,
    '--to',
    to,
    '--out',
    out,
  ]);
}

describe('dates are ISO 8601 only', () => {
  it.each(['2027-02-30', '12/31/2026'])(
    'date options refuse "%s" (evidence list --from), exit 2',
    async (value) => {
      const { code, err } = await runCli(['--store', store, 'evidence', 'list', '--from', value]);
      expect(code).toBe(EXIT.usage);
      expect(err).toContain(`"${value}" is not a date`);
    },
  );
});

describe('usage errors exit 2', () => {
  it('verify-chain --from after --to', async () => {
    const { code, err } = await runCli([
      '--store',
      store,
      'verify-chain',
      '--from',
      '2026-03-01',
      '--to',
      '2026-02-01',
    ]);
    expect(code).toBe(EXIT.usage);
    oneLine(err);
    expect(err).toContain('--from 2026-03-01T00:00:00.000Z must be before --to 2026-02-01T00:00:00.000Z');
  });

  it('export --out into a folder that does not exist', async () => {
    const out = join(store, 'no-such-folder', 'a.zip');
    const { code, err } = await exportSoc2(dateIn(-2), dateIn(0), out);
    expect(code).toBe(EXIT.usage);
    oneLine(err);
    expect(err).toContain(`the folder ${join(store, 'no-such-folder')} does not exist`);
  });
});

it('evidence show on an indexed artifact whose file was deleted: one line, exit 1', async () => {
  const [ref] = JSON.parse((await runCli(['--store', store, 'evidence', 'list', '--json'])).out) as {
    key: string;
  }[];
  await rm(join(store, ref!.key));
  const { code, err } = await runCli(['--store', store, 'evidence', 'show', ref!.key]);
  expect(code).toBe(EXIT.error);
  oneLine(err);
  expect(err).toContain(`${ref!.key}: indexed, but`);
  expect(err).toContain('does not exist');
});

describe('the config is validated whole by every command that loads it', () => {
  const withConfig = async (yaml: string, ...args: string[]) => {
    const file = join(store, 'proofline.config.yaml');
    await writeFile(file, yaml);
    return runCli(['--store', store, '--config', file, ...args]);
  };

  it('refuses an unknown top-level key (a typo of scope)', async () => {
    const { code, err } = await withConfig('scop:\n  aws: {}\n', 'status');
    expect(code).toBe(EXIT.error);
    oneLine(err);
    expect(err).toContain('unknown key "scop" (known: scope,');
  });

  it('refuses an unknown source', async () => {
    const { code, err } = await withConfig('scope:\n  awss: {}\n', 'status');
    expect(code).toBe(EXIT.error);
    expect(err).toContain('scope: unknown key "awss" (known: aws, github,');
  });

  it('refuses a bad scope section on a command that does not collect', async () => {
    const { code, err } = await withConfig('scope:\n  github:\n    orgs: 42\n', 'status');
    expect(code).toBe(EXIT.error);
    oneLine(err);
    expect(err).toContain('scope.github.orgs');
  });
});

describe('evidence upload', () => {
  it('stores and shows a file name with a line break and a terminal escape as printable text', async () => {
    const name = 'scan\nresult\u001b]0;owned\u0007.txt';
    const file = join(store, name);
    await writeFile(file, 'quarterly access review signed');
    const { code, out } = await runCli(['--store', store, 'evidence', 'upload', file, '--control', 'GOV-02']);
    expect(code).toBe(0);
    const shown = out.split('\n')[0]!;
    expect(shown).toMatch(/^scan\uFFFDresult\uFFFD\]0;owned\uFFFD\.txt \(/);
    expect(out).not.toContain('\u001b');
    const [ref] = JSON.parse(
      (
        await runCli([
          '--store',
          store,
          'evidence',
          'list',
          '--collector',
          'proofline.manual-evidence',
          '--json',
        ])
      ).out,
    ) as { key: string }[];
    const stored = JSON.parse((await runCli(['--store', store, 'evidence', 'show', ref!.key])).out) as {
      snapshot: { fileName: string };
    };
    expect(stored.snapshot.fileName).toBe('scan\uFFFDresult\uFFFD]0;owned\uFFFD.txt');
  });

  it('refuses a file over the configured size cap, in one line', async () => {
    const config = join(store, 'proofline.config.yaml');
    await writeFile(config, 'uploads:\n  maxBytes: 10\n');
    const file = join(store, 'big.txt');
    await writeFile(file, '0123456789A');
    const { code, err } = await runCli([
      '--store',
      store,
      '--config',
      config,
      'evidence',
      'upload',
      file,
      '--control',
      'ACS-04',
    ]);
    expect(code).toBe(EXIT.error);
    oneLine(err);
    expect(err).toContain('is 11 bytes; uploads are limited to 10 bytes (uploads.maxBytes');
  });
});

it('export --from 1000-01-01 --to 9999-12-31 starts on the first day of evidence and ends today', async () => {
  const [ref] = JSON.parse((await runCli(['--store', store, 'evidence', 'list', '--json'])).out) as {
    collectedAt: string;
  }[];
  const { code, out, err } = await exportSoc2('1000-01-01', '9999-12-31', join(store, 'all.zip'));
  expect(code).toBe(0);
  expect(err).toContain(
    `period starts on the store's first day of evidence: ${ref!.collectedAt.slice(0, 10)}`,
  );
  expect(out).toContain('Period clipped: --to 9999-12-31 is after what can be judged');
});
