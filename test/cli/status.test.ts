import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { collectors } from '../../collectors/index.ts';
import { checkCatalog } from '../../core/collector.ts';
import type { ResourceView } from '../../core/report/status.ts';
import { runCli, storeWithPublicBucket, tempStore } from '../support/cli.ts';

const checks = checkCatalog(collectors);
const BUCKET = 'arn:aws:s3:::public-site';

/** A store whose S3 snapshot has a bucket open to the public, evaluated. */
async function evaluated(): Promise<string> {
  const store = await storeWithPublicBucket();
  expect((await runCli(['--store', store, 'evaluate'])).code).toBe(0);
  return store;
}

const controlLines = (out: string) => out.split('\n').filter((l) => /^[A-Z]+-\d\d\s/.test(l));

describe('proofline status', () => {
  it('prints under each failing resource its severity, check, reason and the check remediation', async () => {
    const store = await evaluated();
    const { code, out } = await runCli(['--store', store, 'status']);
    expect(code).toBe(0);
    const pab = checks.get('aws.s3.public-access-block')!;
    const lines = out.split('\n');
    const row = lines.findIndex((l) => l.startsWith('DATA-02 '));
    expect(lines[row]).toMatch(/FAIL\s+HIGH|FAIL\s+CRITICAL|FAIL\s+MEDIUM|FAIL\s+LOW/);
    const under = lines.slice(row + 1, row + 12).join('\n');
    expect(under).toContain(`✗ ${BUCKET}`);
    expect(under).toContain(`${pab.severity.toUpperCase()} aws.s3.public-access-block:`);
    expect(under.replace(/\s+/g, ' ')).toContain(`fix: ${pab.remediation.replace(/\s+/g, ' ')}`);
  });

  it('orders failing controls first, most severe first, and summarises manual evidence due in one line', async () => {
    const store = await evaluated();
    const { out } = await runCli(['--store', store, 'status']);
    const rows = controlLines(out);
    const statuses = rows.map((l) => l.split(/\s{2,}/)[1]);
    const firstOther = statuses.findIndex((s) => s !== 'FAIL');
    expect(firstOther).toBeGreaterThan(0);
    expect(statuses.slice(firstOther)).not.toContain('FAIL');
    const rank = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW'];
    const severities = rows.slice(0, firstOther).map((l) => rank.indexOf(l.split(/\s{2,}/)[2]!));
    expect(severities).toEqual([...severities].sort((a, b) => a - b));
    expect(statuses).not.toContain('MANUAL DUE');
    expect(out).toMatch(/^… \d+ controls wait for manual evidence \(proofline status --all lists them\)$/m);
    const all = await runCli(['--store', store, 'status', '--all']);
    expect(controlLines(all.out).some((l) => / MANUAL DUE /.test(l))).toBe(true);
    expect(all.out).not.toContain('wait for manual evidence');
  });

  it('reads at 80 columns: no line wider, and each title whole on its own line where its column would wrap it', async () => {
    const store = await evaluated();
    const { out } = await runCli(['--store', store, 'status', '--all'], { width: 80, color: false });
    const lines = out.split('\n');
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(80);
    expect(lines[0]).not.toContain('TITLE');
    const row = lines.findIndex((l) => l.startsWith('DATA-02 '));
    expect(lines[row + 1]).toBe('    Storage is not publicly accessible');
    const wide = await runCli(['--store', store, 'status'], { width: 200, color: false });
    expect(wide.out.split('\n')[0]).toMatch(/OWNER\s+TITLE$/);
    expect(wide.out.split('\n').find((l) => l.startsWith('DATA-02 '))).toMatch(
      /Storage is not publicly accessible$/,
    );
  });

  it('filters by failing, owner, severity, source and framework', async () => {
    const store = await evaluated();
    const failing = controlLines((await runCli(['--store', store, 'status', '--failing'])).out);
    expect(failing.length).toBeGreaterThan(0);
    expect(failing.every((l) => l.split(/\s{2,}/)[1] === 'FAIL')).toBe(true);

    const json = async (...args: string[]) =>
      JSON.parse((await runCli(['--store', store, 'status', '--json', ...args])).out) as {
        control: string;
        owner: string;
        status: string;
      }[];
    const everything = await json();
    const owner = everything.find((r) => r.control === 'DATA-02')!.owner;
    const owned = await json('--owner', owner);
    expect(owned.length).toBeGreaterThan(0);
    expect(owned.length).toBeLessThan(everything.length);
    expect(owned.every((r) => r.owner === owner)).toBe(true);
    // the public bucket fails aws.s3.public-access-block; at `critical` only critical failures remain
    const severity = checks.get('aws.s3.public-access-block')!.severity;
    expect((await json('--severity', severity)).map((r) => r.control)).toContain('DATA-02');
    expect((await json('--severity', 'low')).every((r) => r.status === 'failing')).toBe(true);
    expect((await json('--source', 'github')).map((r) => r.control)).not.toContain('DATA-02');
    expect((await json('--source', 'aws')).map((r) => r.control)).toContain('DATA-02');
    expect((await json('--framework', 'soc2')).length).toBeGreaterThan(0);
  });

  it('refuses an unknown severity or source with one line and exit 2', async () => {
    const store = await tempStore();
    const bad = await runCli(['--store', store, 'status', '--severity', 'urgent']);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('"urgent" is not a severity (one of critical, high, medium, low)');
    expect(bad.err).not.toMatch(/\n\s+at /);
    expect((await runCli(['--store', store, 'status', '--source', 'jira'])).code).toBe(2);
  });
});

describe('proofline resource', () => {
  it('shows one resource across controls: each failing check once, with every control using it', async () => {
    const store = await evaluated();
    const { code, out } = await runCli(['--store', store, 'resource', BUCKET]);
    expect(code).toBe(0);
    expect(out).toContain(`${BUCKET}: `);
    expect(out).toContain('aws.s3.public-access-block');
    expect(out).toMatch(/controls: .*DATA-02/);
    const view = JSON.parse(
      (await runCli(['--store', store, 'resource', BUCKET, '--json'])).out,
    ) as ResourceView;
    const ids = view.failing.map((f) => f.check);
    expect(ids).toEqual([...new Set(ids)]);
    expect(view.failing.find((f) => f.check === 'aws.s3.public-access-block')?.controls).toContainEqual(
      expect.objectContaining({ id: 'DATA-02' }),
    );
    expect(view.failing.every((f) => f.remediation.length > 0)).toBe(true);
  });

  it('says when nothing fails for a resource, and names failing resources with a similar id', async () => {
    const store = await evaluated();
    const { code, out } = await runCli(['--store', store, 'resource', 'public-site']);
    expect(code).toBe(0);
    expect(out).toContain('public-site: nothing failing or excepted in the latest evaluation');
    expect(out).toContain(`  ${BUCKET}`);
  });
});

describe('every table the CLI prints', () => {
  const commands = [
    ['status'],
    ['status', '--all'],
    ['resource', BUCKET],
    ['controls'],
    ['controls', '--framework', 'soc2'],
    ['controls', '--framework', 'iso27001'],
    ['controls', '--crosswalk'],
    ['controls', '--coverage'],
    ['governance'],
    ['soa'],
    ['exception', 'list'],
    ['evidence', 'list'],
    ['alerts'],
    ['alerts', '--digest'],
  ];
  it('fits 80 columns: no line is longer, and the control, resource and reason survive', async () => {
    const store = await evaluated();
    const tooLong: Record<string, string[]> = {};
    for (const args of commands) {
      const { code, out, err } = await runCli(['--store', store, ...args]);
      expect(code, `${args.join(' ')}: ${err}`).toBe(0);
      expect(out.length, args.join(' ')).toBeGreaterThan(0);
      const long = out.split('\n').filter((l) => l.length > 80);
      if (long.length) tooLong[args.join(' ')] = long;
    }
    expect(tooLong).toEqual({});
    const status = (await runCli(['--store', store, 'status'])).out;
    const reason = (
      JSON.parse((await runCli(['--store', store, 'resource', BUCKET, '--json'])).out) as ResourceView
    ).failing.find((f) => f.check === 'aws.s3.public-access-block')!.reason;
    const flat = status.replace(/\s+/g, ' ');
    expect(flat).toContain('DATA-02');
    expect(flat).toContain(BUCKET);
    expect(flat).toContain(reason.replace(/\s+/g, ' '));
  });

  it('is coloured only on a colour terminal, and wraps to its width', async () => {
    const store = await evaluated();
    const plain = (await runCli(['--store', store, 'status'])).out;
    expect(plain).not.toContain('\u001b[');
    const tty = (await runCli(['--store', store, 'status'], { width: 60, color: true })).out;
    expect(tty).toContain('\u001b[31mFAIL\u001b[0m');
    // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping SGR sequences
    const visible = tty.split('\n').map((l) => l.replace(/\u001b\[[0-9;]*m/g, ''));
    expect(visible.filter((l) => l.length > 60)).toEqual([]);
  });
});

describe('closing standard output early', () => {
  it('ends quietly, without a stack trace (proofline controls | head -1)', async () => {
    const store = await tempStore();
    const child = spawn(
      'npx',
      ['tsx', 'bin/proofline.ts', '--store', store, 'controls', '--framework', 'iso27001'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let err = '';
    child.stderr.on('data', (d) => {
      err += d;
    });
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(err).toBe('');
    expect(code).toBe(0);
  }, 60_000);
});
