#!/usr/bin/env node
import packageJson from '../package.json' with { type: 'json' };

// The SDK warns about releases from 2027 on older Node; the CLI states its engine in package.json instead.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

/** `>=22.13` in package.json's engines, checked before anything loads: one line instead of a stack trace. */
const [floorMajor = 0, floorMinor = 0] = packageJson.engines.node.replace('>=', '').split('.').map(Number);
const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
if (major < floorMajor || (major === floorMajor && minor < floorMinor)) {
  process.stderr.write(
    `proofline: needs Node ${packageJson.engines.node} (this is ${process.versions.node}); install a current Node LTS\n`,
  );
  process.exit(1);
}
const { main } = await import('../cli/program.ts');
process.exitCode = await main(process.argv);
