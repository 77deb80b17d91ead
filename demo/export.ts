import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { CliContext } from '../cli/context.ts';
import { exportArchive, formatExportSummary, formatVerifyReport } from '../cli/export.ts';
import { verifyArchive } from '../core/archive/verify.ts';

/** The demo's last step: a signed SOC 2 archive of today's evidence, verified offline. Returns whether it verified. */
export async function exportAndVerifyDemoArchive(
  ctx: Pick<CliContext, 'store' | 'controls'>,
  storeDir: string,
  out: (text: string) => void,
): Promise<boolean> {
  const today = new Date().toISOString().slice(0, 10);
  const dir = join(storeDir, 'exports');
  const path = join(dir, `soc2-${today}.zip`);
  await mkdir(dir, { recursive: true });
  await rm(path, { force: true });
  out('');
  out(`▶ exporting a signed SOC 2 evidence archive for ${today}, with a sample of 2 items per control`);
  const result = await exportArchive(ctx, {
    framework: 'soc2',
    from: today,
    to: today,
    out: path,
    sample: 2,
    seed: 'demo',
  });
  for (const line of formatExportSummary(result)) out(`  ${line}`);
  out('');
  out('▶ verifying it offline against the key fingerprint');
  const report = await verifyArchive(path, { fingerprint: result.fingerprint });
  for (const line of formatVerifyReport(path, report)) out(`  ${line}`);
  out(
    `  by hand: unzip -q ${path} -d x && cd x && sha256sum -c SHA256SUMS && openssl dgst -sha256 -verify public-key.pem -signature manifest.sig signing-input.txt`,
  );
  return report.ok;
}
