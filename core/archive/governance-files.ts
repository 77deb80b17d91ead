import { contradictionsCsv, contradictionsMarkdown, findContradictions } from '../contradictions.ts';
import type { Governance } from '../governance.ts';
import { ISMS_FILES_OF_CLAUSE } from '../isms/archive.ts';
import { requestCountsLine, requestList, requestListCsv, requestListMarkdown } from '../request-list.ts';
import type { Frameworks } from '../requirements.ts';
import {
  type SubserviceCatalog,
  systemDescription,
  systemDescriptionMarkdown,
} from '../system-description.ts';
import type { BuildArchiveInput } from './build.ts';
import { FILES, FRAMEWORK_NAMES, type Framework } from './types.ts';

/**
 * The generated governance files of an archive: the request list always; the system description; the
 * contradictions when the governance files are given (they hold the statements checked).
 */
export function governanceFiles(
  sources: {
    readonly frameworks: Frameworks;
    readonly governance?: Governance;
    readonly subservices?: SubserviceCatalog;
    readonly isms?: unknown;
  },
  framework: Framework,
): NonNullable<BuildArchiveInput['governanceFiles']> {
  const { frameworks, governance, subservices } = sources;
  return async ({ controls, statusAtEnd, evidence, filesOf }) => {
    const excluded =
      framework === 'iso27001' && governance
        ? new Set(governance.applicability.exclusions.map((e) => e.control))
        : new Set<string>();
    const rows = requestList({
      framework: frameworks[framework],
      controls,
      statusOf: statusAtEnd,
      excluded,
      filesOf,
      // The ISMS records are in the archive when it carries them (ISO 27001 exports).
      ...(sources.isms
        ? { recordsOf: (requirement: string) => ISMS_FILES_OF_CLAUSE[requirement] ?? [] }
        : {}),
    });
    const description = await systemDescription({
      evidence,
      controls,
      statusOf: statusAtEnd,
      owners: governance?.owners ?? {},
      ...(subservices ? { subservices } : {}),
    });
    const files = [
      { path: FILES.requestList, text: requestListCsv(rows) },
      {
        path: FILES.requestListMd,
        text: requestListMarkdown(rows),
        summary: `${FILES.requestList}: ${requestCountsLine(rows)}`,
      },
      {
        path: FILES.systemDescription,
        text: systemDescriptionMarkdown(description, FRAMEWORK_NAMES[framework]),
      },
    ];
    if (!governance) return files;
    const found = await findContradictions({
      applicability: governance.applicability,
      evidence,
      controls,
      statusOf: statusAtEnd,
    });
    return [
      ...files,
      { path: FILES.contradictions, text: contradictionsCsv(found) },
      {
        path: FILES.contradictionsMd,
        text: contradictionsMarkdown(found, governance.applicability),
        summary: `${FILES.contradictions}: ${found.length} facts contradict the SoA or scope statements${
          found.length ? ` (${[...new Set(found.map((c) => c.statement))].join(', ')})` : ''
        }`,
      },
    ];
  };
}
