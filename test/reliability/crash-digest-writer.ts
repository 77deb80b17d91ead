/**
 * Seals the ended periods of the embedded store in argv[2] at the time in argv[3], and dies (SIGKILL) the moment
 * the first of a digest's two files — the digest and its signature — gets its final name: the crash point
 * between them, reached deterministically rather than by timing.
 */
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';

const DIGEST_FILE = /[\\/]digests[\\/]dt=[^\\/]+[\\/]\d{8}T\d{6}Z-digest\.json(\.meta\.json)?$/;
const dieAfter = <F extends (...args: never[]) => unknown>(fn: F, target: (args: Parameters<F>) => unknown) =>
  ((...args: Parameters<F>) => {
    const result = fn(...args);
    const settle = () => {
      if (DIGEST_FILE.test(String(target(args)))) process.kill(process.pid, 'SIGKILL');
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

const [dir, now] = process.argv.slice(2) as [string, string];
const { sealEndedPeriods } = await import('../../cli/chain.ts');
const { LocalSigner } = await import('../../core/signing.ts');
const { LocalStore } = await import('../../core/stores/local-store.ts');
const store = await LocalStore.open(dir);
await sealEndedPeriods(store, await LocalSigner.open(dir), { now: new Date(now) });
await store.close();
console.log('sealed without reaching the crash point');
