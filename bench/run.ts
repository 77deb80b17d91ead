/** `npm run bench`: every benchmark, each quoting its figure against a baseline measured in the same run. */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const { runEvaluateBench } = await import('./evaluate.ts');
const { runApiCallBench } = await import('./api-calls.ts');
const { runStoreBench } = await import('./store.ts');
const { runBundleBench } = await import('./bundles.ts');
const { runExportBench } = await import('./export.ts');
const { runChainBench } = await import('./chain.ts');
const { runYearBench } = await import('./year.ts');
const { runUploadBench } = await import('./upload.ts');
const { runCrashBench } = await import('./crash.ts');
const { runFaultBench } = await import('./faults.ts');
const { runReportBench } = await import('./report.ts');
const { runStartupBench } = await import('./startup.ts');
const { runPackageBench } = await import('./package.ts');

console.log('## CLI start-up vs node -e 0 (bundled CLI)');
for (const line of await runStartupBench()) console.log(line);
console.log('\n## Check evaluation vs JSON.parse of the same bytes');
for (const line of runEvaluateBench()) console.log(line);
console.log('\n## AWS API calls per collector');
for (const line of await runApiCallBench()) console.log(line);
console.log('\n## Store throughput: AWS store on moto vs the embedded store; DynamoDB requests per artifact');
for (const line of await runStoreBench()) console.log(line);
console.log('\n## Lambda bundles: size and module-init time');
for (const line of await runBundleBench()) console.log(line);
console.log('\n## Evidence archive export vs sha256sum + zip -0 (PROOFLINE_BENCH_EXPORT_MB, default 1000)');
for (const line of await runExportBench()) console.log(line);
console.log('\n## A year of hourly digests: export and verify-chain vs sha256sum + zip -0 and openssl');
for (const line of await runChainBench()) console.log(line);
console.log(
  '\n## A synthetic year of a mid-size org: the store by part (PROOFLINE_BENCH_YEAR_DAYS, default 365)',
);
for (const line of await runYearBench()) console.log(line);
console.log(
  '\n## HTML report: 365 days of the whole catalog, size and load time in Chromium vs a static page',
);
for (const line of await runReportBench()) console.log(line);
console.log(
  '\n## Injected faults: collection through a fault-injecting proxy vs the same collection without faults',
);
for (const line of await runFaultBench()) console.log(line);
console.log('\n## Evidence upload: peak memory by file size vs a 1-byte upload');
for (const line of await runUploadBench()) console.log(line);
console.log(
  '\n## kill -9 during collect, digest, export and upload (PROOFLINE_BENCH_CRASH_RUNS, default 52)',
);
for (const line of await runCrashBench(Number(process.env.PROOFLINE_BENCH_CRASH_RUNS ?? 52)))
  console.log(line);
console.log('\n## The npm tarball against its size budget');
for (const line of runPackageBench()) console.log(line);
