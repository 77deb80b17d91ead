import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { TELEMETRY } from '../../core/deployed.ts';
import { DEPLOY_DOC, withGeneratedSections } from '../../scripts/config-docs.ts';
import { ASSUMPTIONS, monthlyCost } from '../../scripts/cost-model.ts';
import { type Cfn, synth } from './support.ts';

describe('docs/deploy.md', () => {
  it('its config reference and cost model are up to date (run `npm run docs`)', async () => {
    const doc = await readFile(DEPLOY_DOC, 'utf8');
    expect(doc).toBe(withGeneratedSections(doc));
    expect(doc).toContain('| `deploy.retentionDays` | integer (1–36500) | `400` |');
  });

  it('the cost model counts the alarms and custom metrics the example stack has', async () => {
    const { mainTemplate } = await synth();
    const alarms = Object.values(mainTemplate.findResources('AWS::CloudWatch::Alarm')) as Cfn[];
    // A metric-math alarm is billed per metric it reads.
    const alarmMetrics = alarms.reduce(
      (n, a) => n + (a.Properties.Metrics ? a.Properties.Metrics.filter((m: Cfn) => m.MetricStat).length : 1),
      0,
    );
    expect(ASSUMPTIONS.alarmMetrics).toBe(alarmMetrics);
    expect(ASSUMPTIONS.customMetrics).toBe(Object.keys(TELEMETRY.metrics).length); // one schedule group
  });

  it('grows with the accounts only in the per-collection lines', () => {
    const total = (n: number) => monthlyCost(n).reduce((s, l) => s + l.usd, 0);
    expect(total(100)).toBeGreaterThan(total(10));
    expect(total(10)).toBeGreaterThan(total(1));
    const fixed = (n: number) => monthlyCost(n).find((l) => l.item.startsWith('KMS customer'))!.usd;
    expect(fixed(100)).toBe(fixed(1));
  });
});
