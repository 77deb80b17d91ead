/**
 * The monthly cost model of a deployment: requests and storage × published list prices. Printed into
 * docs/deploy.md by `npm run docs` (scripts/config-docs.ts); change the assumptions or prices here.
 */
import { collectors } from '../collectors/index.ts';

/** us-east-1 list prices, without free tiers, as published on the AWS pricing pages in 2025. */
export const PRICES = {
  lambdaRequest: { usd: 0.2 / 1e6, what: 'Lambda request', unit: '$0.20 per 1M' },
  lambdaArmGbSecond: { usd: 0.0000133334, what: 'Lambda arm64 compute', unit: '$0.0000133334 per GB-second' },
  stateTransition: {
    usd: 0.025 / 1000,
    what: 'Step Functions Standard state transition',
    unit: '$0.025 per 1,000',
  },
  schedulerInvocation: { usd: 1 / 1e6, what: 'EventBridge Scheduler invocation', unit: '$1.00 per 1M' },
  s3Put: { usd: 0.005 / 1000, what: 'S3 PUT', unit: '$0.005 per 1,000' },
  s3Get: { usd: 0.0004 / 1000, what: 'S3 GET', unit: '$0.0004 per 1,000' },
  s3GbMonth: { usd: 0.023, what: 'S3 Standard storage', unit: '$0.023 per GB-month' },
  dynamoWrite: { usd: 0.625 / 1e6, what: 'DynamoDB on-demand write request unit', unit: '$0.625 per 1M' },
  dynamoRead: { usd: 0.125 / 1e6, what: 'DynamoDB on-demand read request unit', unit: '$0.125 per 1M' },
  dynamoGbMonth: { usd: 0.25 + 0.2, what: 'DynamoDB storage + PITR', unit: '$0.25 + $0.20 per GB-month' },
  kmsKeyMonth: { usd: 1, what: 'KMS customer-managed key', unit: '$1.00 per key-month' },
  kmsRequest: { usd: 0.03 / 10_000, what: 'KMS symmetric request', unit: '$0.03 per 10,000' },
  kmsSign: { usd: 0.15 / 10_000, what: 'KMS asymmetric (ECC) request', unit: '$0.15 per 10,000' },
  alarmMetric: { usd: 0.1, what: 'CloudWatch standard alarm (per metric)', unit: '$0.10 per month' },
  customMetric: { usd: 0.3, what: 'CloudWatch custom metric', unit: '$0.30 per month' },
  logsIngestGb: { usd: 0.5, what: 'CloudWatch Logs ingestion', unit: '$0.50 per GB' },
} as const;

/** What one deployment does, besides the accounts: the parts of the model that are assumptions. */
export const ASSUMPTIONS = {
  regions: 2,
  runsPerMonth: 30,
  digestsPerMonth: 720,
  summariesPerMonth: 30,
  collectSeconds: 3,
  collectGb: 1,
  evaluateSeconds: 10,
  artifactKb: 20,
  retentionDays: 400,
  writeUnitsPerCollection: 12,
  alarmMetrics: 14,
  customMetrics: 7,
  logKbPerCollection: 3,
} as const;

export interface CostLine {
  readonly item: string;
  readonly quantity: number;
  readonly usd: number;
}

/** Monthly cost lines for `accounts` accounts collected once a day by every collector. */
export function monthlyCost(accounts: number): CostLine[] {
  const a = ASSUMPTIONS;
  const regional = collectors.filter((c) => c.source === 'aws' && c.regional).length;
  const global = collectors.filter((c) => c.source === 'aws' && !c.regional).length;
  const perAccount = global + regional * a.regions;
  const collections = a.runsPerMonth * accounts * perAccount;
  const lines: [keyof typeof PRICES, number][] = [
    ['lambdaRequest', collections + 2 * a.runsPerMonth + a.digestsPerMonth + a.summariesPerMonth],
    [
      'lambdaArmGbSecond',
      collections * a.collectSeconds * a.collectGb +
        a.runsPerMonth * (0.25 + a.evaluateSeconds) +
        a.digestsPerMonth * 0.5 +
        a.summariesPerMonth * 0.25,
    ],
    ['stateTransition', a.runsPerMonth * (3 + accounts * (perAccount + 1))],
    ['schedulerInvocation', a.runsPerMonth + a.digestsPerMonth + a.summariesPerMonth],
    ['s3Put', 2 * collections + a.digestsPerMonth],
    ['s3Get', collections + a.digestsPerMonth],
    ['s3GbMonth', (collections / a.runsPerMonth) * a.retentionDays * (a.artifactKb / 1e6)],
    ['dynamoWrite', collections * a.writeUnitsPerCollection + a.runsPerMonth * 200 + a.digestsPerMonth * 4],
    ['dynamoRead', a.runsPerMonth * (2 * accounts * perAccount + 100) + a.digestsPerMonth * 10],
    ['dynamoGbMonth', (collections / a.runsPerMonth) * a.retentionDays * (2 / 1e6)],
    ['kmsKeyMonth', 2],
    ['kmsRequest', 10_000],
    ['kmsSign', a.digestsPerMonth],
    ['alarmMetric', a.alarmMetrics],
    ['customMetric', a.customMetrics],
    ['logsIngestGb', (collections * a.logKbPerCollection) / 1e6],
  ];
  return lines.map(([key, quantity]) => ({
    item: PRICES[key].what,
    quantity,
    usd: quantity * PRICES[key].usd,
  }));
}

const usd = (n: number) => (n < 0.01 ? '< $0.01' : `$${n.toFixed(2)}`);

export function costModelMarkdown(sizes: readonly number[] = [1, 10, 100]): string {
  const tables = sizes.map((n) => monthlyCost(n));
  const lines = [
    `| per month, daily cadence | ${sizes.map((n) => `${n} account${n > 1 ? 's' : ''}`).join(' | ')} |`,
    `| --- | ${sizes.map(() => '---:').join(' | ')} |`,
  ];
  tables[0]!.forEach((line, i) => {
    lines.push(`| ${line.item} | ${tables.map((t) => usd(t[i]!.usd)).join(' | ')} |`);
  });
  lines.push(
    `| **total** | ${tables.map((t) => `**$${t.reduce((s, l) => s + l.usd, 0).toFixed(2)}**`).join(' | ')} |`,
  );
  return lines.join('\n');
}

export function priceListMarkdown(): string {
  return Object.values(PRICES)
    .map((p) => `- ${p.what}: ${p.unit}`)
    .join('\n');
}
