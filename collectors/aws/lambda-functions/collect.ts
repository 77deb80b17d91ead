import {
  GetFunctionUrlConfigCommand,
  GetPolicyCommand,
  LambdaClient,
  paginateListFunctions,
} from '@aws-sdk/client-lambda';
import pLimit from 'p-limit';
import type { Scope } from '../../../core/model.ts';
import { all } from '../pages.ts';
import { looksSecret } from '../secret-names.ts';
import { type AwsSession, unlessMissing } from '../session.ts';
import type { LambdaFunctionsSnapshot } from './snapshot.ts';

export async function collect(session: AwsSession, scope: Scope): Promise<LambdaFunctionsSnapshot> {
  const lambda = session.client(LambdaClient, scope.region);
  const functions = await all(paginateListFunctions({ client: lambda }, {}), (p) => p.Functions);
  const limit = pLimit(8);
  return {
    functions: await Promise.all(
      functions.map((f) =>
        limit(async () => {
          const name = f.FunctionName ?? '';
          const [url, policy] = await Promise.all([
            // The unqualified function's URL (an alias may have its own; the function itself is what is exposed).
            unlessMissing(
              lambda.send(new GetFunctionUrlConfigCommand({ FunctionName: name })),
              'ResourceNotFoundException',
            ),
            unlessMissing(
              lambda.send(new GetPolicyCommand({ FunctionName: name })),
              'ResourceNotFoundException',
            ),
          ]);
          return {
            name,
            arn: f.FunctionArn ?? '',
            runtime: f.Runtime ?? null,
            inVpc: (f.VpcConfig?.SubnetIds ?? []).length > 0,
            // Only the names are kept: the values never enter the snapshot.
            secretEnvironmentNames: Object.keys(f.Environment?.Variables ?? {})
              .filter(looksSecret)
              .sort(),
            environmentCustomerKey: !!f.KMSKeyArn,
            url: url
              ? { authType: url.AuthType ?? 'NONE', allowOrigins: url.Cors?.AllowOrigins ?? [] }
              : null,
            policy: policy?.Policy ? ([] as never[]).concat(JSON.parse(policy.Policy).Statement ?? []) : [],
          };
        }),
      ),
    ),
  };
}
