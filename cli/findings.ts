import { rename, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { collectors } from '../collectors/index.ts';
import { type Framework, GENERATOR } from '../core/archive/types.ts';
import { checkCatalog } from '../core/collector.ts';
import { UsageError } from '../core/errors.ts';
import { asffFindings } from '../core/findings-export/asff.ts';
import { currentFindings } from '../core/findings-export/current.ts';
import { ocsfFindings } from '../core/findings-export/ocsf.ts';
import { findingsCsv } from '../core/findings-export/rows.ts';
import { type CommandEnv, READ_ONLY, withContext } from './context.ts';
import type { FindingsFormat } from './findings-commands.ts';

export interface FindingsOptions {
  readonly format: FindingsFormat;
  readonly out: string;
  readonly framework?: Framework;
  readonly failing?: boolean;
  readonly awsAccount?: string;
  readonly region?: string;
}

/** The account and region a Security Hub import needs: given, or (region) from the environment. */
function asffTarget(options: FindingsOptions, env: NodeJS.ProcessEnv) {
  if (!options.awsAccount || !/^\d{12}$/.test(options.awsAccount))
    throw new UsageError(
      '--format asff needs --aws-account with the 12-digit account that imports the findings into Security Hub',
    );
  const region = options.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  if (!region) throw new UsageError('--format asff needs --region (or AWS_REGION): the Security Hub region');
  return { accountId: options.awsAccount, region };
}

/** Writes `text` to `out` whole (through a temporary file), or to standard output for `-`. */
async function writeOut(out: string, text: string, env: CommandEnv): Promise<string> {
  if (out === '-') {
    env.out(text.trimEnd());
    return 'standard output';
  }
  const path = resolve(out);
  await writeFile(`${path}.partial`, text).catch((error: NodeJS.ErrnoException) => {
    throw new UsageError(
      `cannot write ${out}: ${error.code === 'ENOENT' ? 'its folder does not exist' : error.code === 'EISDIR' ? 'it is a folder' : error.message}`,
    );
  });
  await rename(`${path}.partial`, path).catch((error: NodeJS.ErrnoException) => {
    throw new UsageError(
      `cannot write ${out}: ${error.code === 'EISDIR' ? 'it is a folder' : error.message}`,
    );
  });
  return path;
}

/** `proofline findings`: every current finding as CSV, ASFF (Security Hub) or OCSF (options: findings-commands.ts). */
export async function runFindings(env: CommandEnv, options: FindingsOptions): Promise<void> {
  const target = options.format === 'asff' ? asffTarget(options, process.env) : undefined;
  await withContext(env.globals(), READ_ONLY, async (ctx) => {
    const found = await currentFindings({
      store: ctx.store,
      controls: ctx.controls,
      collectors,
      states: await ctx.store.controlStates(),
      ...(options.framework ? { framework: options.framework } : {}),
      settings: ctx.config.checks,
    });
    const rows = options.failing ? found.rows.filter((r) => r.lastSeen === 'fail') : found.rows;
    const context = { controls: ctx.controls, checks: checkCatalog(collectors) };
    const text =
      options.format === 'csv'
        ? findingsCsv(rows)
        : `${JSON.stringify(
            target
              ? asffFindings(rows, { ...context, target })
              : ocsfFindings(rows, { ...context, product: GENERATOR }),
            null,
            2,
          )}\n`;
    const where = await writeOut(options.out, text, env);
    const count = (s: string) => rows.filter((r) => r.lastSeen === s).length;
    const summary = [
      `Findings: ${where}, ${options.format}: ${rows.length} (${count('fail')} failing, ${count('pass')} passing, ${count('not_applicable')} not applicable)`,
      ...found.gaps.map(
        (g) =>
          `no current findings for ${g.collector} ${g.scopeKey}: its latest collection (${g.collectedAt}) failed`,
      ),
    ];
    if (options.out === '-') for (const line of summary) process.stderr.write(`${line}\n`);
    else for (const line of summary) env.out(line);
  });
}
