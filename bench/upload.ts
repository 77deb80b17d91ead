import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LocalStore } from '../core/stores/local-store.ts';
import { fmt } from './timing.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** Prints the process's peak resident set (KiB) as it exits. */
const PEAK_RSS = `data:text/javascript,process.on("exit",()=>process.stderr.write("maxrss="+process.resourceUsage().maxRSS+"\\n"))`;

/** Peak RSS (MiB) of one `proofline evidence upload` of `file`, run as its own process. */
function uploadPeakMiB(store: string, config: string, file: string): number {
  const result = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      '--import',
      PEAK_RSS,
      'bin/proofline.ts',
      '--store',
      store,
      '--config',
      config,
    ].concat(['evidence', 'upload', '--control', 'GOV-02', '--uploader', 'bench', file]),
    { cwd: ROOT, encoding: 'utf8' },
  );
  if (result.status !== 0) throw new Error(`upload of ${file} failed: ${result.stderr.trim()}`);
  const kib = Number(/maxrss=(\d+)/.exec(result.stderr)?.[1]);
  return kib / 1024;
}

/**
 * `evidence upload` memory against file size: peak RSS of uploading a 1-byte file (the baseline, same run) and
 * files of `sizesMiB`; the growth from the smallest to the largest file per MiB shows whether the upload streams
 * (≈ 0: memory does not follow the file) or holds the file (≥ 1; about 10 before it streamed).
 */
export async function runUploadBench(sizesMiB: readonly number[] = [10, 100]): Promise<string[]> {
  const dir = await mkdtemp(join(tmpdir(), 'proofline-upload-bench-'));
  try {
    const store = join(dir, 'store');
    await (await LocalStore.open(store)).close();
    const config = join(dir, 'proofline.config.yaml');
    await writeFile(config, `uploads:\n  maxBytes: ${Math.max(...sizesMiB, 1) * 1024 * 1024}\n`);
    const tiny = join(dir, 'tiny.pdf');
    await writeFile(tiny, 'x');
    const baseline = uploadPeakMiB(store, config, tiny);
    const lines = [`evidence upload, 1-byte file: peak RSS ${fmt(baseline, 0)} MiB (baseline)`];
    const peaks: number[] = [];
    for (const mib of sizesMiB) {
      const file = join(dir, `file-${mib}.pdf`);
      await writeFile(file, '');
      await truncate(file, mib * 1024 * 1024); // sparse: the upload reads every byte, the disk holds none
      peaks.push(uploadPeakMiB(store, config, file));
      lines.push(
        `evidence upload, ${mib} MiB file: peak RSS ${fmt(peaks.at(-1)!, 0)} MiB = ${fmt(peaks.at(-1)! / baseline)}× the baseline`,
      );
    }
    const span = sizesMiB.at(-1)! - sizesMiB[0]!;
    if (span > 0)
      lines.push(
        `evidence upload: ${fmt((peaks.at(-1)! - peaks[0]!) / span, 2)} MiB of memory per MiB of file from ${sizesMiB[0]} to ${sizesMiB.at(-1)} MiB (goal ≤ 0.1)`,
      );
    return lines;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`)
  for (const line of await runUploadBench()) console.log(line);
