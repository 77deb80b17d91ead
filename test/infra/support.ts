import { readFileSync } from 'node:fs';
import { Template } from 'aws-cdk-lib/assertions';
import { parse } from 'yaml';
import { buildApp, type ProoflineApp } from '../../infra/app.ts';
import { PROJECT_ROOT } from '../../infra/handlers.ts';

// Fast synth: no CloudFormation schema validation, no esbuild (bundling is tested in bundles.test.ts).
process.env.CDK_VALIDATION = 'false';
export const SKIP_BUNDLING = { context: { 'aws:cdk:bundling-stacks': [] } };

export const EXAMPLE_CONFIG_FILE = `${PROJECT_ROOT}proofline.config.example.yaml`;
export const exampleConfig = (): Record<string, unknown> => parse(readFileSync(EXAMPLE_CONFIG_FILE, 'utf8'));

/** The example config with `deploy` fields replaced (shallow per field). */
export function withDeploy(deploy: Record<string, unknown>): Record<string, unknown> {
  const config = exampleConfig();
  return { ...config, deploy: { ...(config.deploy as object), ...deploy } };
}

export interface Synthesized extends ProoflineApp {
  readonly mainTemplate: Template;
  readonly memberTemplate: Template;
}

export async function synth(config: unknown = exampleConfig()): Promise<Synthesized> {
  const built = await buildApp({ config, nag: false, appProps: SKIP_BUNDLING });
  return {
    ...built,
    mainTemplate: Template.fromStack(built.main),
    memberTemplate: Template.fromStack(built.member),
  };
}

export interface Statement {
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource: unknown;
  readonly Condition?: Record<string, Record<string, unknown>>;
  readonly Sid?: string;
}
export interface NamedStatement extends Statement {
  /** The policy (or role with inline policies) the statement belongs to. */
  readonly owner: string;
}

const list = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);
export const actionsOf = (s: Statement): string[] => list(s.Action);
export const resourcesOf = (s: Statement): unknown[] => list(s.Resource);

/** Every identity-policy statement of a template: AWS::IAM::Policy documents and roles' inline policies. */
export function identityStatements(template: Template): NamedStatement[] {
  const statements: NamedStatement[] = [];
  for (const [id, policy] of Object.entries(template.findResources('AWS::IAM::Policy'))) {
    for (const s of policy.Properties.PolicyDocument.Statement as Statement[])
      statements.push({ ...s, owner: id });
  }
  for (const [id, role] of Object.entries(template.findResources('AWS::IAM::Role'))) {
    for (const p of (role.Properties.Policies ?? []) as { PolicyDocument: { Statement: Statement[] } }[]) {
      for (const s of p.PolicyDocument.Statement) statements.push({ ...s, owner: id });
    }
  }
  return statements;
}

// biome-ignore lint/suspicious/noExplicitAny: synthesized CloudFormation, read by the assertions below
export type Cfn = any;

/** The one resource of a type whose logical id starts with `prefix`. */
export function resource(template: Template, type: string, prefix: string): { id: string; Properties: Cfn } {
  const matches = Object.entries(template.findResources(type)).filter(([id]) => id.startsWith(prefix));
  if (matches.length !== 1) throw new Error(`expected one ${type} ${prefix}*, found ${matches.length}`);
  const [id, found] = matches[0]!;
  return { id, Properties: (found as Cfn).Properties };
}

/** The state machine's definition: the DefinitionString join with every token replaced by `<token>`. */
export function stateMachineDefinition(template: Template): Cfn {
  const sm = resource(template, 'AWS::StepFunctions::StateMachine', 'ProoflineCollectionRun');
  const def = sm.Properties.DefinitionString;
  const text =
    typeof def === 'string'
      ? def
      : (def['Fn::Join'][1] as unknown[])
          .map((part) => (typeof part === 'string' ? part : '<token>'))
          .join('');
  return JSON.parse(text);
}
