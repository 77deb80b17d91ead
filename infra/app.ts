import { existsSync } from 'node:fs';
import { App, type AppProps, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { collectors } from '../collectors/index.ts';
import {
  ConfigError,
  configSchema,
  deploySettings,
  type ProoflineConfig,
  parseWith,
} from '../core/config.ts';
import { loadConfig } from '../core/config-file.ts';
import { ProoflineMemberRoleStack } from './member-role.ts';
import { resolveScheduleGroups } from './schedules.ts';
import { applyTags, ProoflineStack } from './stacks.ts';

export const CONFIG_FILES = ['proofline.config.yaml', 'proofline.config.json'] as const;

/** Behaviour the stack relies on, whatever the CLI context says. */
const FEATURE_FLAGS = {
  // Server access logs are granted by a bucket policy, not the legacy LogDeliveryWrite ACL.
  '@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy': true,
};

export interface BuildAppOptions {
  /**
   * The config file.
   * @default - the `config` context value (`-c config=…`), else the first of CONFIG_FILES that exists
   */
  readonly configFile?: string;
  /**
   * The config's content instead of a file (validated the same way).
   * @default - read from `configFile`
   */
  readonly config?: unknown;
  /**
   * Props of the CDK App (tests pass context that skips bundling).
   * @default - none
   */
  readonly appProps?: AppProps;
  /**
   * Apply cdk-nag's AwsSolutions checks: synth fails on any finding not acknowledged with a reason.
   * @default true
   */
  readonly nag?: boolean;
}

export interface ProoflineApp {
  readonly app: App;
  readonly main: ProoflineStack;
  readonly member: ProoflineMemberRoleStack;
  readonly config: ProoflineConfig;
  readonly configFile: string;
}

function chooseConfigFile(app: App, explicit?: string): string {
  const chosen = explicit ?? (app.node.tryGetContext('config') as string | undefined);
  if (chosen) return chosen;
  const found = CONFIG_FILES.find((f) => existsSync(f));
  if (!found) {
    throw new ConfigError(
      `no config file: create ${CONFIG_FILES.join(' or ')} (start from proofline.config.example.yaml) or pass -c config=<file>`,
    );
  }
  return found;
}

/**
 * The CDK app from the config file: the main stack and the member role stack. A bad config fails here, with
 * the file, the field and what is wrong.
 */
export async function buildApp(options: BuildAppOptions = {}): Promise<ProoflineApp> {
  const app = new App({
    ...options.appProps,
    postCliContext: { ...FEATURE_FLAGS, ...options.appProps?.postCliContext },
  });
  const configFile =
    options.config === undefined ? chooseConfigFile(app, options.configFile) : '(inline config)';
  const config =
    options.config === undefined
      ? await loadConfig(configFile)
      : parseWith(configSchema, options.config, configFile);
  const deploy = deploySettings(config);
  try {
    resolveScheduleGroups(deploy.schedules, collectors, config.scope);
  } catch (error) {
    if (error instanceof ConfigError) throw new ConfigError(`${configFile}: ${error.message}`);
    throw error;
  }
  const env = {
    account: deploy.account ?? process.env.CDK_DEFAULT_ACCOUNT,
    region: deploy.region ?? process.env.CDK_DEFAULT_REGION,
  };
  const main = new ProoflineStack(app, deploy.stackName, {
    env,
    proofline: {
      deploy,
      scope: config.scope,
      checks: config.checks,
      alerts: config.alerts,
      isms: config.isms,
    },
  });
  const knownCollectorRole =
    env.account && env.region
      ? `arn:aws:iam::${env.account}:role/${deploy.stackName}-collector-${env.region}`
      : undefined;
  const member = new ProoflineMemberRoleStack(app, `${deploy.stackName}MemberRole`, {
    memberRoleName: deploy.organization.memberRoleName,
    ...(knownCollectorRole ? { collectorRoleArn: knownCollectorRole } : {}),
    ...(deploy.organization.externalId ? { externalId: deploy.organization.externalId } : {}),
  });
  applyTags(app, { 'proofline:stack': deploy.stackName, ...deploy.tags });
  if (options.nag ?? true) Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, main, member, config, configFile };
}
