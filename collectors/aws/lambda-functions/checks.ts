import { type Check, perResource } from '../../../core/collector.ts';
import { RUNTIME_DEPRECATION, RUNTIMES_AS_OF } from './runtimes.ts';
import type { LambdaFunction, LambdaFunctionsSnapshot, PolicyStatement } from './snapshot.ts';

const functions = (s: LambdaFunctionsSnapshot) => s.functions;
const arn = (f: LambdaFunction) => f.arn;

export const functionUrlAuth = perResource(
  {
    id: 'aws.lambda.function-url-auth',
    title: 'Lambda function URLs require IAM authentication',
    severity: 'critical',
    remediation:
      "Set the function URL's auth type to AWS_IAM, or delete the URL and front the function with an authenticated API.",
    procedure:
      "Reads every function's URL configuration (ListFunctions, GetFunctionUrlConfig). Passes a function without a URL or whose URL auth type is AWS_IAM.",
  },
  functions,
  arn,
  (f) =>
    !f.url
      ? [true, 'no function URL']
      : [
          f.url.authType === 'AWS_IAM',
          f.url.authType === 'AWS_IAM'
            ? 'URL requires IAM auth'
            : `${f.name} has a public function URL (auth type ${f.url.authType})`,
        ],
);

export const functionUrlCors = perResource(
  {
    id: 'aws.lambda.function-url-cors',
    title: 'Lambda function URLs do not allow every origin',
    severity: 'low',
    remediation: 'List the allowed origins in the URL\'s CORS configuration instead of "*".',
    procedure:
      'Reads every function URL\'s CORS configuration (GetFunctionUrlConfig). Passes a URL whose allowed origins do not include "*".',
  },
  (s: LambdaFunctionsSnapshot) => s.functions.filter((f) => f.url),
  arn,
  (f) => [
    !f.url?.allowOrigins.includes('*'),
    f.url?.allowOrigins.includes('*')
      ? `${f.name}'s URL allows every origin`
      : `origins ${f.url?.allowOrigins.join(', ') || 'none'}`,
  ],
);

const everyone = (p: unknown) => p === '*' || (p as { AWS?: unknown } | null)?.AWS === '*';
const publicStatement = (s: PolicyStatement) => s.Effect === 'Allow' && everyone(s.Principal) && !s.Condition;

export const publicPolicy = perResource(
  {
    id: 'aws.lambda.public-policy',
    title: 'Lambda resource policies do not grant access to everyone',
    severity: 'critical',
    remediation:
      'Name the calling service or account as principal, or add aws:SourceArn / aws:SourceAccount conditions.',
    procedure:
      'Reads every function\'s resource-based policy (GetPolicy). Passes a function with no Allow statement whose principal is "*" without a condition.',
  },
  functions,
  arn,
  (f) => {
    const open = f.policy.filter(publicStatement);
    return [
      open.length === 0,
      open.length === 0
        ? 'no unconditional public grant'
        : `${f.name} grants ${open.map((s) => s.Action).join(', ')} to everyone (${open.map((s) => s.Sid ?? 'unnamed').join(', ')})`,
    ];
  },
);

export const runtimeSupported = perResource(
  {
    id: 'aws.lambda.runtime-supported',
    title: 'Lambda functions run on a supported runtime',
    severity: 'medium',
    remediation: 'Move the function to a supported runtime version (nodejs24.x, python3.13 …) and redeploy.',
    procedure: `Reads every zip-packaged function's runtime (ListFunctions). Passes a runtime whose Lambda deprecation date (table of ${RUNTIMES_AS_OF}) is later than the collection time.`,
  },
  (s: LambdaFunctionsSnapshot) => s.functions.filter((f) => f.runtime),
  arn,
  (f, _s, { asOf }) => {
    const runtime = f.runtime ?? '';
    if (!(runtime in RUNTIME_DEPRECATION))
      return [
        false,
        `runtime ${runtime} of ${f.name} is not in the runtime table of ${RUNTIMES_AS_OF}: unknown`,
      ];
    const deprecated = RUNTIME_DEPRECATION[runtime];
    const ok = !deprecated || new Date(`${deprecated}T00:00:00Z`) > asOf;
    return [
      ok,
      ok
        ? `${runtime} supported${deprecated ? ` until ${deprecated}` : ''}`
        : `${f.name} runs ${runtime}, deprecated since ${deprecated}`,
    ];
  },
);

export const environmentSecrets = perResource(
  {
    id: 'aws.lambda.environment-secrets',
    title: 'Lambda functions keep no secrets in plain environment variables',
    severity: 'high',
    remediation:
      'Read the secret from Secrets Manager or SSM Parameter Store at run time (or at least encrypt the variables with a customer-managed KMS key).',
    procedure:
      "Reads every function's environment variable names (ListFunctions). Passes a function with no secret-looking name (password, secret, token, api key …), or whose variables are encrypted with a customer-managed KMS key. Only the names are recorded.",
  },
  functions,
  arn,
  (f) => {
    const names = f.secretEnvironmentNames;
    if (names.length === 0) return [true, 'no secret-looking environment variable'];
    if (f.environmentCustomerKey) return [true, `${names.join(', ')} encrypted with a customer-managed key`];
    return [
      false,
      `${f.name} holds ${names.join(', ')} in plain environment variables${f.inVpc ? '' : ' (function outside any VPC)'}`,
    ];
  },
);

export const checks: Check<LambdaFunctionsSnapshot>[] = [
  functionUrlAuth,
  functionUrlCors,
  publicPolicy,
  runtimeSupported,
  environmentSecrets,
];
