import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, inject, it } from 'vitest';
import { runDemo } from '../../demo/run.ts';

// The demo starts its own moto_server; it runs wherever the test run has one.
it.skipIf(!inject('motoEndpoint'))(
  'the demo shows the leaver whose IAM user outlived his Okta account',
  async () => {
    const dir = await mkdtemp(join(tmpdir(), 'proofline-demo-'));
    const lines: string[] = [];
    try {
      const code = await runDemo({ store: join(dir, 'store'), keep: false, out: (t) => lines.push(t) });
      expect(code).toBe(0);
      const text = lines.join('\n');
      expect(text).toContain(
        'ORPHANED  aws-iam account bob (123456789012) is active: console password, but bob@acme.example is deactivated in the identity provider',
      );
      expect(text).toMatch(/IDP-04 +FAIL/);
      expect(text).toContain('NO MFA    carol@acme.example');
      // the first run's alerts reach each owner as one message
      const sent = /(\d+) alerts go out as (\d+) messages, one per owner/.exec(text);
      expect(Number(sent?.[2])).toBeGreaterThan(0);
      expect(Number(sent?.[2])).toBeLessThan(Number(sent?.[1]));
      // the access review runs before the alerts are listed, so its failing control is among them
      const alerts = text.slice(text.indexOf('▶ alerts'), sent?.index);
      expect(alerts).toMatch(/IDP-04/);
      console.log(sent?.[0]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
  120_000,
);
