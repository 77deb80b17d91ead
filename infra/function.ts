import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { AssetHashType, DockerImage, Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { type BundledHandler, PROJECT_ROOT, prebuiltHandler } from './handlers.ts';

/** The bundler infra/bundle.ts, run as a script (it needs esbuild's async API and the catalog's loaders). */
const BUNDLER = join(PROJECT_ROOT, 'infra', 'bundle.ts');

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

/**
 * The handler's code: bundled at pack time when installed from the package (synth needs no esbuild, no
 * TypeScript); in the repository, bundled at synth by infra/bundle.ts, the one bundler of every handler (the
 * package's, the bundle test's and bench's): code split at dynamic imports and the catalog compiled to data,
 * which NodejsFunction's single-file esbuild run cannot do. A `cdk synth` that skips bundling skips it too.
 */
function handlerCode(spec: BundledHandler): lambda.Code {
  const prebuilt = prebuiltHandler(spec);
  if (prebuilt) return lambda.Code.fromAsset(prebuilt);
  return lambda.Code.fromAsset(PROJECT_ROOT, {
    assetHashType: AssetHashType.OUTPUT,
    bundling: {
      // Required by the type, never pulled: the local bundler below always bundles or fails.
      image: DockerImage.fromRegistry('public.ecr.aws/docker/library/node:24'),
      // What the local bundler runs; it also keys CDK's bundling cache, which cannot see into `local`.
      command: ['node', '--import', 'tsx', 'infra/bundle.ts', spec.name, '/asset-output'],
      local: {
        tryBundle(outputDir) {
          execFileSync(process.execPath, ['--import', 'tsx', BUNDLER, spec.name, outputDir], {
            cwd: PROJECT_ROOT,
            stdio: 'inherit',
          });
          return true;
        },
      },
    },
  });
}

/** One handler's function: its own role (unless given), log group and the shared bundling. */
export function prooflineFunction(
  scope: Construct,
  spec: BundledHandler,
  options: ProoflineFunctionOptions,
): nodejs.NodejsFunction {
  const id = pascal(spec.name);
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
  // A NodejsFunction (the construct's public type) given its code: it bundles nothing itself.
  const fn = new nodejs.NodejsFunction(scope, `${id}Function`, {
    description: `Proofline: ${spec.description}`,
    runtime: lambda.Runtime.NODEJS_24_X,
    architecture: lambda.Architecture.ARM_64,
    memorySize: spec.memoryMb,
    timeout: Duration.seconds(spec.timeoutSeconds),
    role,
    logGroup,
    environment: options.environment,
    ...options.extra,
    code: handlerCode(spec),
    handler: 'index.handler',
  });
  logGroup.grantWrite(role);
  return fn;
}
