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
  readonly digests: number;
  readonly createdAt: string;
  readonly generator: { readonly name: string; readonly version: string };
  readonly keyId: string;
  readonly fingerprint: string;
  readonly sample: { readonly perControl: number; readonly seed: string } | null;
  readonly hasSoa: boolean;
}

const INDENT = ' '.repeat(21);
const size = (bytes: number) =>
  bytes < 1e6 ? `${(bytes / 1e3).toFixed(1)} kB` : `${(bytes / 1e6).toFixed(1)} MB`;

/** README.txt: what the archive holds and how to check it by hand, with nothing but sha256sum and openssl. */
export function readmeText(r: ReadmeInput): string {
  const evidence =
    r.evidenceCount === 0
      ? 'NONE. No evidence was collected in this period for the selected controls and scope.\n' +
        '             The archive is complete and signed all the same: controls.csv shows every day\n' +
        '             of the period as a day without evidence.'
      : `${r.evidenceCount} files, ${size(r.evidenceBytes)}, under evidence/`;
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
      'per requirement and internal control: owner, status at the end of the period, days\n' +
        'passing (and their share), failing, excepted and without evidence, the failing days,\n' +
        'the collection gaps (which collector and scope was not collected, or failed, on which\n' +
        'days) and the folders holding the evidence.',
    ],
    [
      FILES.exceptions,
      'exceptions in force during the period: control, resource, owner, approver, reason,\n' +
        'expiry (only a header when there were none).',
    ],
  ];
  if (r.sample)
    files.push([
      FILES.samples,
      "per control, the evidence items drawn for testing and the population size. Each item's\n" +
        'rank is the SHA-256 of "<seed>\\n<control>\\n<file>"; the lowest ranks are drawn, so\n' +
        'anyone can redraw it, and the same seed always gives the same sample.',
    ]);
  if (r.hasSoa)
    files.push([
      FILES.soa,
      'the Statement of Applicability: every Annex A control, applicable or not, why, by\n' +
        'which internal controls it is implemented, and what evidences it (checks or manual\n' +
        'evidence) with the rationale of each link.',
    ]);
  files.push(
    [
      FILES.oscal,
      `the same results as NIST OSCAL ${OSCAL_VERSION} assessment-results: one observation per\n` +
        'evidence file (its path and SHA-256 in back-matter), one finding per requirement.',
    ],
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
  return `PROOFLINE EVIDENCE ARCHIVE

Framework:   ${FRAMEWORK_NAMES[r.framework]}
Period:      ${r.period.from} to ${r.period.to} (UTC days, both included: ${r.period.days.length} days)
Scope:       ${r.scope.length ? r.scope.join(', ') : 'every account, region and tenant in the evidence store'}
Controls:    ${r.controls} internal controls meeting ${r.requirements} requirements
Evidence:    ${evidence}
Digests:     ${r.digests ? `${r.digests} signed digests of the evidence store, under digests/` : 'none included'}
Sample:      ${r.sample ? `${r.sample.perControl} items per control, seed "${r.sample.seed}" (${FILES.samples})` : 'none drawn'}
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
