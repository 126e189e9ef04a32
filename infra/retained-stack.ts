/**
 * The stack as a teardown leaves it: only the table and (with Cognito) the user pool, at the paths the
 * full stack gives them, so their logical ids are the same. A stage with `"importRetained": true`
 * synthesizes this; `cdk import` then adopts the kept resources into a new stack of that name, and the
 * next deploy without the setting adds everything else around them (docs/deploy.md §10).
 */
import { Stack } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { StintTable } from './constructs/stint-table.ts';
import { StintUserPool } from './constructs/stint-user-pool.ts';
import { applyStageDefaults, type StintStackProps } from './stint-stack.ts';

export class StintRetainedStack extends Stack {
  constructor(scope: Construct, id: string, props: StintStackProps) {
    super(scope, id, props);
    applyStageDefaults(this, props);
    new StintTable(this, 'Data');
    if ('cognito' in props.identity) StintUserPool.pool(new Construct(this, 'Identity'));
  }
}
