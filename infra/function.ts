import { join } from 'node:path';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { BUNDLING, type BundledHandler, PROJECT_ROOT, prebuiltHandler } from './handlers.ts';

/** `collect-identity-center` → `CollectIdentityCenter`: construct ids. */
export const pascal = (name: string) =>
  name
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');

export interface ProoflineFunctionOptions {
  readonly environment: Record<string, string>;
  readonly logRetention: logs.RetentionDays;
  /** The function's role. Default: a role of its own, with no managed policy. */
  readonly role?: iam.Role;
  /** Extra function props (dead-letter queue, reserved concurrency). */
  readonly extra?: Partial<nodejs.NodejsFunctionProps>;
}

/** NodejsFunction's bundling from BUNDLING (infra/handlers.ts), with the handler's data folders copied. */
function bundling(spec: BundledHandler): nodejs.BundlingOptions {
  return {
    format: nodejs.OutputFormat.ESM,
    target: BUNDLING.target,
    minify: BUNDLING.minify,
    sourceMap: BUNDLING.sourcemap,
    sourcesContent: false,
    mainFields: [...BUNDLING.mainFields],
    externalModules: [...BUNDLING.external],
    banner: BUNDLING.banner,
    esbuildArgs: Object.fromEntries(
      Object.entries(BUNDLING.alias).map(([from, to]) => ['--alias', `${from}=${join(PROJECT_ROOT, to)}`]),
    ),
    ...(spec.assets.length
      ? {
          commandHooks: {
            beforeBundling: () => [],
            beforeInstall: () => [],
            afterBundling: (inputDir: string, outputDir: string) =>
              spec.assets.map(
                (folder) =>
                  `node -e "require('fs').cpSync(process.argv[1], process.argv[2], { recursive: true, filter: (s) => !s.endsWith('.ts') })" "${join(inputDir, folder)}" "${join(outputDir, folder)}"`,
              ),
          },
        }
      : {}),
  };
}

/** One handler's function: its own role (unless given), log group and the shared bundling. */
export function prooflineFunction(
  scope: Construct,
  spec: BundledHandler,
  options: ProoflineFunctionOptions,
): nodejs.NodejsFunction {
  const id = pascal(spec.name);
  const prebuilt = prebuiltHandler(spec);
  const logGroup = new logs.LogGroup(scope, `${id}Logs`, {
    retention: options.logRetention,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  const role =
    options.role ??
    new iam.Role(scope, `${id}Role`, {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Proofline ${spec.name} function`,
    });
  const fn = new nodejs.NodejsFunction(scope, `${id}Function`, {
    entry: join(PROJECT_ROOT, spec.entry),
    handler: 'handler',
    description: `Proofline: ${spec.description}`,
    runtime: lambda.Runtime.NODEJS_24_X,
    architecture: lambda.Architecture.ARM_64,
    memorySize: spec.memoryMb,
    timeout: Duration.seconds(spec.timeoutSeconds),
    role,
    logGroup,
    environment: options.environment,
    projectRoot: PROJECT_ROOT,
    depsLockFilePath: join(PROJECT_ROOT, 'package-lock.json'),
    ...options.extra,
    bundling: bundling(spec),
    // Installed from the package: the handler bundled at pack time (synth needs no esbuild, no TypeScript).
    ...(prebuilt ? { code: lambda.Code.fromAsset(prebuilt), handler: 'index.handler' } : {}),
  });
  logGroup.grantWrite(role);
  return fn;
}
