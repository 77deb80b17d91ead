/**
 * Writes to the embedded store in argv[3] at the time in argv[4] and dies (SIGKILL) at a crash point reached
 * deterministically rather than by timing. argv[2] says which:
 * - `seal`: seals the ended periods, killed the moment the first of a digest's two files (the digest and its
 *   signature) gets its final name;
 * - `put`: stores the artifact in argv[5] (JSON), killed the moment its evidence file is published, before
 *   the index row is written.
 */
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';

const [mode, dir, now, artifact] = process.argv.slice(2) as ['seal' | 'put', string, string, string];
const CRASH_POINT =
  mode === 'seal'
    ? /[\\/]digests[\\/]dt=[^\\/]+[\\/]\d{8}T\d{6}Z-digest\.json(\.meta\.json)?$/
    : /[\\/]evidence[\\/].+\.json$/;
const dieAfter = <F extends (...args: never[]) => unknown>(fn: F, target: (args: Parameters<F>) => unknown) =>
  ((...args: Parameters<F>) => {
    const result = fn(...args);
    const settle = () => {
      if (CRASH_POINT.test(String(target(args)))) process.kill(process.pid, 'SIGKILL');
    };
    if (result instanceof Promise)
      return result.then((value) => {
        settle();
        return value;
      });
    settle();
    return result;
  }) as F;

fs.linkSync = dieAfter(fs.linkSync, (a) => a[1]);
fs.renameSync = dieAfter(fs.renameSync, (a) => a[1]);
fs.promises.link = dieAfter(fs.promises.link, (a) => a[1]);
fs.promises.rename = dieAfter(fs.promises.rename, (a) => a[1]);
syncBuiltinESMExports();

const { sealEndedPeriods } = await import('../../cli/chain.ts');
const { LocalSigner } = await import('../../core/signing.ts');
const { LocalStore } = await import('../../core/stores/local-store.ts');
const store = await LocalStore.open(dir, { now: () => new Date(now) });
if (mode === 'seal') await sealEndedPeriods(store, await LocalSigner.open(dir), { now: new Date(now) });
else await store.putArtifact(JSON.parse(artifact));
await store.close();
console.log('wrote without reaching the crash point');
