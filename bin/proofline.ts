#!/usr/bin/env node
import { main } from '../cli/program.ts';

// The SDK warns on Node 20 about releases from 2027 on; the CLI states its engine in package.json instead.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
process.exitCode = await main(process.argv);
