import type { Command } from 'commander';
import type { CommandEnv } from './context.ts';
import { lazy } from './lazy.ts';
import { repeatable } from './options.ts';

function registerRecordCommands(program: Command, env: CommandEnv): void {
  const isms = program.command('isms').description('the ISMS records: register versions, gaps');
  isms
    .command('record')
    .description(
      'record the risk register, context and audit programme when they changed (each change a record), and open nonconformities for controls failing past their due date',
    )
    .option('--by <name>', 'who records them (default: the current user)')
    .action(lazy(() => import('./isms.ts'), 'runIsmsRecord', env));
  isms
    .command('status')
    .description(
      'the ISMS governance gaps: SoA approval, audits overdue, corrective and review actions overdue',
    )
    .option('--json', 'machine-readable output')
    .action(lazy(() => import('./isms.ts'), 'runIsmsStatus', env));
}

function registerSoaApprove(program: Command, env: CommandEnv): void {
  const soa = program.commands.find((c) => c.name() === 'soa') ?? program.command('soa');
  soa
    .command('approve')
    .description(
      'record the approval of the current Statement of Applicability: its content hash, version, approver and date',
    )
    .option('--version <v>', 'the version approved, e.g. 2026.1')
    .option('--approver <name>', 'who approves it (top management or its delegate)')
    .action(lazy(() => import('./isms.ts'), 'runSoaApprove', env));
}

function registerAuditCommands(program: Command, env: CommandEnv): void {
  const audit = program
    .command('audit')
    .description('the internal audit programme (ISO 27001 9.2) and audits performed');
  audit
    .command('record')
    .description(
      'record an internal audit performed, with its findings; a nonconformity finding opens one in the register',
    )
    .option('--audit <id>', 'the planned audit, from audit-programme.yaml')
    .option('--date <day>', 'the day it was performed, YYYY-MM-DD')
    .option('--auditor <name>', 'who performed it')
    .option('--summary <text>', 'the conclusion in a sentence')
    .option('--finding <text>', 'an observation, "CONTROL: text" or "text" (repeatable)', repeatable)
    .option('--nonconformity <text>', 'a nonconformity, "CONTROL: text" or "text" (repeatable)', repeatable)
    .option('--owner <role>', "owner of the nonconformities raised (default: the control's owner)")
    .action(lazy(() => import('./isms.ts'), 'runAuditRecord', env));
  audit
    .command('programme')
    .description(
      'the audit programme, planned against done; --out writes it as CSV with a working paper per planned audit',
    )
    .option('--out <dir>', 'folder for audit-programme.csv and the working papers')
    .action(lazy(() => import('./isms.ts'), 'runAuditProgramme', env));
}

function registerNcCommands(program: Command, env: CommandEnv): void {
  const nc = program
    .command('nc')
    .description('the nonconformity and corrective action register (ISO 27001 10.2)');
  nc.command('add')
    .description('open a nonconformity')
    .option('--source <source>', 'internal-audit, failing-control, incident or exception-expiry')
    .option('--control <id>', 'the control concerned')
    .option('--audit <id>', 'the internal audit that found it')
    .option('--description <text>', 'what is wrong')
    .option('--root-cause <text>', 'why it happened')
    .option('--action <text>', 'the corrective action')
    .option('--owner <name>', 'who owns the action')
    .option('--due <day>', 'when the action is due, YYYY-MM-DD')
    .action(lazy(() => import('./isms.ts'), 'runNcAdd', env));
  nc.command('update')
    .description(
      'record a change: root cause, action, owner, due date, a note; --reopen --reason reopens a closed one',
    )
    .argument('<id>', 'e.g. NC-1A2B3C4D')
    .option('--root-cause <text>')
    .option('--action <text>')
    .option('--owner <name>')
    .option('--due <day>', 'YYYY-MM-DD')
    .option('--note <text>', 'progress or evidence of the action')
    .option('--reopen', 'reopen a closed nonconformity (needs --reason)')
    .option('--reason <text>', 'why it is reopened')
    .action(lazy(() => import('./isms.ts'), 'runNcUpdate', env));
  nc.command('close')
    .description('close a nonconformity once the action is shown to be effective')
    .argument('<id>')
    .option('--effectiveness <text>', 'how the action was verified to work')
    .action(lazy(() => import('./isms.ts'), 'runNcClose', env));
  nc.command('list')
    .description('the register: every nonconformity with its state')
    .option('--json', 'machine-readable output')
    .action(lazy(() => import('./isms.ts'), 'runNcList', env));
  nc.command('sync')
    .description(
      "open a nonconformity for each control failing past its severity's due date (alerts.dueDays)",
    )
    .action(lazy(() => import('./isms.ts'), 'runNcSync', env));
}

/** `isms`, `soa approve`, `audit`, `nc` and `management-review`: the ISMS records. */
export function registerIsmsCommands(program: Command, env: CommandEnv): void {
  registerRecordCommands(program, env);
  registerSoaApprove(program, env);
  registerAuditCommands(program, env);
  registerNcCommands(program, env);
  registerReviewCommands(program, env);
}

function registerReviewCommands(program: Command, env: CommandEnv): void {
  const review = program
    .command('management-review')
    .description(
      'generate the management review input pack (ISO 27001 9.3.2) for a period as Markdown, HTML and CSV',
    )
    .option('--period <from..to>', 'the period reviewed, YYYY-MM-DD..YYYY-MM-DD')
    .option('--out <dir>', 'folder for management-review.md, .html and .csv (default: print the Markdown)')
    .action(lazy(() => import('./isms.ts'), 'runManagementReview', env));
  review
    .command('record')
    .description(
      'record the review held: decisions, actions, earlier actions done, and the minutes (uploaded with evidence upload --control GOV-12)',
    )
    .option('--held-on <day>', 'the day of the review, YYYY-MM-DD')
    .option('--period <from..to>', 'the period it reviewed')
    .option('--attendee <name>', 'who attended (repeatable)', repeatable)
    .option('--decision <text>', 'a decision on improvement or change (repeatable)', repeatable)
    .option('--action <text|owner|due>', 'an action decided (repeatable)', repeatable)
    .option('--done <id>', 'an action of an earlier review now done (repeatable)', repeatable)
    .option('--minutes <key>', 'evidence key of the uploaded minutes')
    .action(lazy(() => import('./isms.ts'), 'runManagementReviewRecord', env));
}
