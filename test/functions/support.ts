import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, vi } from 'vitest';
import { closeEvidenceStore } from '../../functions/shared/store.ts';

/** The parts of the Lambda context the handlers read. */
export const lambdaContext = (account = '123456789012', name = 'proofline-test'): Context =>
  ({
    functionName: name,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:${account}:function:${name}`,
    memoryLimitInMB: '256',
    awsRequestId: 'test-request',
    logGroupName: `/aws/lambda/${name}`,
    logStreamName: 'test',
    callbackWaitsForEmptyEventLoop: false,
    getRemainingTimeInMillis: () => 60_000,
    done: () => {},
    fail: () => {},
    succeed: () => {},
  }) as Context;

/** CloudWatch embedded-metric-format records a handler printed to stdout. */
export function emfRecords(lines: readonly string[]) {
  return lines
    .flatMap((line) => line.split('\n'))
    .filter((line) => line.includes('"_aws"'))
    .map(
      (line) =>
        JSON.parse(line) as Record<string, unknown> & {
          _aws: {
            CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string }[] }[];
          };
        },
    );
}

/** Captures what the handlers print (Powertools logs, EMF metrics) in each test; call the result to read it. */
export function capturePrinted(): () => string[] {
  let printed: string[] = [];
  beforeEach(() => {
    printed = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      printed.push(String(chunk));
      return true;
    });
    return () => vi.restoreAllMocks();
  });
  return () => printed;
}

/** The file's handlers share one embedded store in a fresh folder (PROOFLINE_STORE), closed at the end. */
export function useEmbeddedStore(prefix: string): void {
  beforeAll(async () => {
    process.env.PROOFLINE_STORE = await mkdtemp(join(tmpdir(), prefix));
  });
  afterAll(async () => {
    await closeEvidenceStore();
    delete process.env.PROOFLINE_STORE;
  });
}
