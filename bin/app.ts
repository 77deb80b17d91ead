/** The CDK app (`npx cdk synth|deploy -c config=<file>`): built from the config file, checked by cdk-nag. */
import { buildApp } from '../infra/app.ts';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
try {
  const { app } = await buildApp();
  app.synth();
} catch (error) {
  const e = error as Error;
  process.stderr.write(`proofline: ${e.name === 'ConfigError' ? e.message : (e.stack ?? e.message)}\n`);
  process.exit(1);
}
