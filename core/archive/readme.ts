import { OSCAL_VERSION } from './oscal.ts';
import { FILES, FRAMEWORK_NAMES, type Framework, type Period } from './types.ts';

export interface ReadmeInput {
  readonly framework: Framework;
  readonly period: Period;
  readonly scope: readonly string[];
  readonly controls: number;
  readonly requirements: number;
  readonly evidenceCount: number;
  readonly evidenceBytes: number;
  readonly uploads: number;
  readonly digests: number;
  /** Every file of the zip, these four included: manifest.json, SHA256SUMS, signing-input.txt, manifest.sig. */
  readonly archiveFiles: number;
  /** Why the period ends earlier than asked. */
  readonly clipped?: string;
  readonly createdAt: string;
  readonly generator: { readonly name: string; readonly version: string };
  readonly keyId: string;
  readonly fingerprint: string;
  readonly sample: { readonly perControl: number | null; readonly seed: string };
  readonly hasSoa: boolean;
  /** The generated governance files present (request list, system description, contradictions). */
  readonly governanceFiles?: readonly string[];
}

const GOVERNANCE_GUIDE: Readonly<Record<string, string>> = {
  [FILES.requestList]:
    'the request list (PBC): every requirement, the controls, checks and records that\n' +
    'answer it, the files here that hold the answer, and what is outstanding (no\n' +
    'control, no evidence, manual evidence due, a failing control).',
  [FILES.requestListMd]: 'the request list in short: its counts and the outstanding requirements.',
  [FILES.systemDescription]:
    'SOC 2 system description skeleton: accounts, regions, organizations and tenants;\n' +
    'components; owners; controls; subservice organisations with their CSOCs; CUECs.',
  [FILES.contradictions]:
    'SoA exclusions and scope statements contradicted by the evidence: the statement,\n' +
    'the fact and the evidence file showing it (only a header when none is).',
  [FILES.contradictionsMd]: 'the same contradictions, for reading.',
};

const INDENT = ' '.repeat(21);
const size = (bytes: number) =>
  bytes < 1e6 ? `${(bytes / 1e3).toFixed(1)} kB` : `${(bytes / 1e6).toFixed(1)} MB`;

/** What each file of the archive is (a table in words): the files present in this archive, in order. */
function fileGuide(r: ReadmeInput): [string, string][] {
  const files: [string, string][] = [
    [FILES.readme, 'this file.'],
    [
      FILES.manifest,
      'framework, period, scope, generator, signing key; every file with its SHA-256 and size;\n' +
        "each evidence file's collector, scope, collection time, controls and requirements.",
    ],
    [FILES.signingInput, `what is signed: the SHA-256 and size of ${FILES.manifest} and ${FILES.sums}.`],
    [FILES.signature, `DER-encoded ECDSA P-256 / SHA-256 signature of ${FILES.signingInput}.`],
    [FILES.publicKey, 'the public key that verifies it.'],
    [FILES.sums, `SHA-256 of every file except itself, ${FILES.signingInput} and ${FILES.signature}.`],
    [
      FILES.controls,
      'per requirement and internal control: owner, status at the end of the period, the\n' +
        'cadence it was judged against and its expected occurrences in the period (met,\n' +
        'failing, excepted, missed: a missed one is a gap), which ones failed, the collection\n' +
        'gaps, its checks (checks.csv), how many resources failed (findings.csv), its\n' +
        'population files and the folders holding the evidence.',
    ],
    [
      FILES.findings,
      'what failed: per control, check and resource, the first and last failing collection,\n' +
        'days failing, the first and latest reason, severity, exceptions covering it, how\n' +
        'its last collection judged it, and the evidence files showing it.',
    ],
    [
      FILES.checks,
      'each check as a test: what it tests, the data it reads, its severity, and for each\n' +
        'control and requirement it evidences the rationale for that link; "manual" rows\n' +
        'are documents people upload.',
    ],
    [
      FILES.completeness,
      'per collector and scope: the collections its schedule expected in the period (one\n' +
        'per slot of whole UTC days), collected, failed, and each missing slot named; an\n' +
        'evidence file a signed digest lists but the store no longer holds is named too.',
    ],
    [
      FILES.exceptions,
      'exceptions in force during the period: control, resource, owner, approver, reason,\n' +
        'expiry (only a header when there were none).',
    ],
    [
      'populations/',
      '<control>.csv: every expected occurrence of the control (a collection slot, an upload\n' +
        'slot, or an event such as a merged pull request) with its status, why, and evidence.\n' +
        'resources/<control>.csv: every resource its checks judged, with its verdict counts;\n' +
        'alerts/<control>.csv: every alert it raised; joiners-leavers/<control>.csv: accounts\n' +
        'that joined, were deactivated or removed between consecutive identity-provider\n' +
        'collections; access-review/<control>.csv: every account of each access review.\n' +
        'Each row names the evidence files it is read from.',
    ],
    [
      FILES.samples,
      'per control and population file, the items drawn for testing: as many as its\n' +
        'frequency calls for (annual 1, quarterly 2, monthly 2, weekly 5, daily 25, many a\n' +
        'day 40; a population of items as many a day) unless the export asked for a number.\n' +
        "Each item's rank is the SHA-256 of\n" +
        '"<seed>\\n<control>\\n<item>"; the lowest ranks are drawn, so anyone can redraw it.',
    ],
  ];
  if (r.hasSoa)
    files.push([
      FILES.soa,
      'the Statement of Applicability: every Annex A control, applicable or not, why, by\n' +
        'which internal controls it is implemented, and what evidences it (checks or manual\n' +
        'evidence) with the rationale of each link.',
    ]);
  for (const path of r.governanceFiles ?? []) files.push([path, GOVERNANCE_GUIDE[path] ?? 'generated.']);
  files.push(
    [
      FILES.oscal,
      `the same results as NIST OSCAL ${OSCAL_VERSION} assessment-results: one observation per\n` +
        'evidence file (its path and SHA-256 in back-matter), one finding per requirement.',
    ],
    ...(r.uploads
      ? ([
          [
            'uploads/',
            'documents people uploaded as manual evidence, as uploaded, named\n' +
              'uploads/<control>/<upload time>-<file name>; the evidence file recording each\n' +
              '(proofline.manual-evidence) names its uploader and SHA-256.',
          ],
        ] as [string, string][])
      : []),
    [
      'evidence/',
      'the evidence itself, as stored: one canonical JSON file per collection of one\n' +
        'collector for one scope, named\n' +
        'evidence/source=S/collector=C/scope=SCOPE/dt=DAY/<UTC time>-<its SHA-256>.json\n' +
        'A file with "status": "error" records a collection that failed: a gap, not a pass.',
    ],
  );
  if (r.digests)
    files.push([
      'digests/',
      "the store's signed digests covering the period: each lists artifact keys with SHA-256\n" +
        'and size; every evidence file here must match the digest that lists it.',
    ]);
  return files;
}

/** README.txt: what the archive holds and how to check it by hand, with nothing but sha256sum and openssl. */
export function readmeText(r: ReadmeInput): string {
  const evidence =
    r.evidenceCount === 0
      ? 'NONE. No evidence was collected in this period for the selected controls and scope.\n' +
        '             The archive is complete and signed all the same: controls.csv shows\n' +
        '             every expected occurrence of the period as missed.'
      : `${r.evidenceCount} files, ${size(r.evidenceBytes)}, under evidence/`;
  const files = fileGuide(r);
  return `PROOFLINE EVIDENCE ARCHIVE

Framework:   ${FRAMEWORK_NAMES[r.framework]}
Period:      ${r.period.from} to ${r.period.to} (UTC days, both included: ${r.period.days.length} days)${r.clipped ? `\n             clipped: ${r.clipped}` : ''}
Scope:       ${r.scope.length ? r.scope.join(', ') : 'every account, region and tenant in the evidence store'}
Controls:    ${r.controls} internal controls meeting ${r.requirements} requirements
Evidence:    ${evidence}
Uploads:     ${r.uploads ? `${r.uploads} documents, as uploaded, under uploads/` : 'none'}
Digests:     ${r.digests ? `${r.digests} signed digests of the evidence store, under digests/` : 'none included (the store had no signed digest for the period)'}
Sample:      ${r.sample.perControl ? `${r.sample.perControl} items per control` : 'items per control by its frequency'}, seed "${r.sample.seed}" (${FILES.samples})
Files:       ${r.archiveFiles} in this zip: ${FILES.sums} lists ${r.archiveFiles - 3} of them (every file but
             itself, ${FILES.signingInput} and ${FILES.signature}), which the signature covers.
Created:     ${r.createdAt} by ${r.generator.name} ${r.generator.version}
Signed with: key ${r.keyId}
             SHA-256 fingerprint of the public key (DER):
             ${r.fingerprint}


VERIFY IT BY HAND (sha256sum, openssl and unzip; no Proofline needed)

Unzip the archive into an empty folder and run, in that folder:

1. The key is the organisation's. Confirm this fingerprint with them through another channel:
     openssl pkey -pubin -in ${FILES.publicKey} -outform DER | sha256sum
2. The signature is valid (prints "Verified OK"):
     openssl dgst -sha256 -verify ${FILES.publicKey} -signature ${FILES.signature} ${FILES.signingInput}
3. The manifest and the checksum list are the signed ones: the two hashes printed by
     sha256sum ${FILES.manifest} ${FILES.sums}
   must equal the manifest-sha256 and sha256sums-sha256 lines of ${FILES.signingInput}.
4. Every file is intact (every line ends in OK):
     sha256sum -c ${FILES.sums}
5. Nothing was added (prints nothing):
     find . -type f | sed 's|^\\./||' | grep -vxF -e ${FILES.sums} -e ${FILES.signingInput} -e ${FILES.signature} | sort | diff - <(cut -c67- ${FILES.sums} | sort)

Or, with Proofline, all of the above and more in one command:
     proofline verify archive.zip --fingerprint ${r.fingerprint}


WHAT EACH FILE IS

${files.map(([name, text]) => `${name.length < 20 ? name.padEnd(21) : `${name}\n${INDENT}`}${text.replace(/\n/g, `\n${INDENT}`)}`).join('\n')}
`;
}
