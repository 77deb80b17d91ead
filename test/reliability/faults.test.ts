import { describe, expect, it } from 'vitest';
import { describeAws, motoEndpoint } from '../support/aws.ts';
import { describeFaultRun, runFaultCollection } from './faults-run.ts';

/**
 * A short seeded slice of the injected-faults run (the long run: bench/faults.ts): collectors of each source
 * (AWS, GitHub, Okta, Entra ID, Google Workspace) and AWS protocol (query, EC2, JSON, REST-JSON, REST-XML, S3), collected through a proxy that throttles,
 * fails, stalls, resets or cuts off a quarter of the calls.
 */
describeAws('collection through injected faults', () => {
  it('loses no artifact, duplicates none, and names every call it could not complete', async () => {
    const report = await runFaultCollection({
      motoEndpoint: motoEndpoint(),
      seed: 19,
      rate: 0.25,
      stallMs: 500,
      at: new Date('2026-11-27T12:00:00.000Z'),
      collectors: [
        'aws.iam.credential-report',
        'aws.s3.buckets',
        'aws.ec2.network',
        'aws.kms.keys',
        'aws.lambda.functions',
        'aws.cloudfront.distributions',
        'github.org.members',
        'okta.users',
        'entra.users',
        'entra.conditional-access',
        'google.users',
      ],
    });
    console.log(describeFaultRun(report, 'faults').join('\n'));
    const injected = Object.values(report.faults).reduce((a, b) => a + b, 0);
    expect(injected / report.calls).toBeGreaterThanOrEqual(0.15);
    for (const count of Object.values(report.faults)) expect(count).toBeGreaterThan(0);
    expect(report.retries).toBeGreaterThan(0);
    // Every vendor's client met faults in its vendor's documented forms and retried them.
    for (const vendor of report.vendors) {
      expect(vendor.faults, vendor.vendor).toBeGreaterThan(0);
      expect(vendor.retries, vendor.vendor).toBeGreaterThan(0);
    }
    expect(report.lost).toEqual([]);
    expect(report.duplicated).toEqual([]);
    expect(report.unnamed).toEqual([]);
  }, 240_000);
});

describe('the fault proxy', () => {
  it('is seeded: the same seed faults the same requests', async () => {
    const { startFaultProxy } = await import('../support/fault-proxy.ts');
    const { createServer } = await import('node:http');
    const upstream = createServer((_req, res) => res.end('{"ok":true}'));
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(upstream.address() as { port: number }).port}`;
    const outcomes = async (seed: number) => {
      const proxy = await startFaultProxy({ upstream: url, rate: 0.3, seed, stallMs: 50 });
      const seen: string[] = [];
      for (let i = 0; i < 40; i++) {
        const status = await fetch(`${proxy.url}/item/${i}`)
          .then(async (r) => `${r.status} ${await r.text()}`)
          .catch(() => 'dropped');
        seen.push(status);
      }
      await proxy.stop();
      return { seen, faults: proxy.counts.faults };
    };
    const [a, b] = [await outcomes(7), await outcomes(7)];
    expect(a).toEqual(b);
    expect(a.seen.filter((s) => s !== '200 {"ok":true}').length).toBeGreaterThan(4);
    expect((await outcomes(8)).seen).not.toEqual(a.seen);
    upstream.close();
  });
});
