#!/usr/bin/env node
import module from 'node:module';
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
// V8's compiled code of the modules imported from here on is kept between runs, in os.tmpdir()/node-compile-cache
// (NODE_COMPILE_CACHE moves it, NODE_DISABLE_COMPILE_CACHE=1 turns it off). It never throws: where that folder
// cannot be written (a read-only or shared machine) the CLI runs as without it. Guarded for runtimes without it.
module.enableCompileCache?.();
const { main } = await import('../cli/program.ts');
process.exitCode = await main(process.argv);
