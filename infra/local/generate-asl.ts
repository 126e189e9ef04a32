/**
 * Writes infra/local/request-lifecycle.asl.json: the lifecycle state machine's definition, synthesized
 * from the very construct the stack deploys (lifecycleDefinition), for the local engine to run. Run by
 * `npm run asl`; test/infra/lifecycle-definition.test.ts fails when the file is out of date.
 */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { App, Stack } from 'aws-cdk-lib';
import { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { DefinitionBody, StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { lifecycleDefinition } from '../constructs/request-lifecycle.ts';

export const LOCAL_ASL_FILE = join(dirname(fileURLToPath(import.meta.url)), 'request-lifecycle.asl.json');

/** The function ARN the local definition names; the local engine runs its own handler in its place. */
export const LOCAL_LIFECYCLE_FUNCTION_ARN = 'arn:aws:lambda:us-east-1:000000000000:function:stint-lifecycle';

/** Synthesizes the definition and resolves its CloudFormation pieces to the local placeholder ARN. */
export function synthesizeLocalDefinition(): Record<string, unknown> {
  const app = new App();
  const stack = new Stack(app, 'Local', { env: { account: '000000000000', region: 'us-east-1' } });
  const fn = LambdaFunction.fromFunctionArn(stack, 'Lifecycle', LOCAL_LIFECYCLE_FUNCTION_ARN);
  const machine = new StateMachine(stack, 'Machine', { definitionBody: DefinitionBody.fromChainable(lifecycleDefinition(stack, fn)) });
  const template = app.synth().getStackByName(stack.stackName).template as { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> };
  const resource = Object.values(template.Resources).find((r) => r.Type === 'AWS::StepFunctions::StateMachine');
  void machine;
  return JSON.parse(resolveJoin(resource!.Properties.DefinitionString)) as Record<string, unknown>;
}

/** DefinitionString is a string or an Fn::Join of strings and { Ref: AWS::Partition }. */
export function resolveJoin(value: unknown, resolveRef: (ref: Record<string, unknown>) => string = () => 'aws'): string {
  if (typeof value === 'string') return value;
  const join = (value as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
  if (!join) throw new Error(`Cannot resolve ${JSON.stringify(value)} in a state machine definition.`);
  return join[1].map((part) => (typeof part === 'string' ? part : resolveRef(part as Record<string, unknown>))).join(join[0]);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(LOCAL_ASL_FILE, `${JSON.stringify(synthesizeLocalDefinition(), null, 2)}\n`);
  console.log(`Wrote ${LOCAL_ASL_FILE}`);
}
