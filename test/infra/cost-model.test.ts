/**
 * docs/deploy.md §11 prices what the template deploys: its counts of alarms (as billed: one alarm metric
 * per metric in an expression), customer keys and indexes must be the template's.
 */
import { readFileSync } from 'node:fs';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { STAGES_DIR } from '../../infra/app.ts';
import { synthStage } from './stage-fixture.ts';

let resources: Record<string, { Type: string; Properties: Record<string, any> }>;
const costSection = () => {
  const doc = readFileSync(new URL('../../docs/deploy.md', import.meta.url), 'utf8');
  return doc.slice(doc.indexOf('## 11. What it costs'), doc.indexOf('## 12.'));
};
const ofType = (type: string) => Object.values(resources).filter((r) => r.Type === type);

beforeAll(() => {
  // The example stage: a Cognito pool of the stack's own, as the cost model's "with Cognito" totals assume.
  const { stack } = synthStage(STAGES_DIR, undefined);
  resources = Template.fromStack(stack).toJSON().Resources;
});

describe('the cost model in docs/deploy.md', () => {
  it('counts the alarms and the alarm metrics they are billed for as the template has them', () => {
    // Prepare
    const alarms = ofType('AWS::CloudWatch::Alarm');
    const billed = alarms.reduce((sum, a) => sum + (a.Properties.Metrics ? a.Properties.Metrics.filter((m: any) => m.MetricStat).length : 1), 0);

    // Act
    const stated = /\*\*(\d+) alarms, billed as (\d+) alarm metrics\*\*/.exec(costSection());

    // Assess
    expect(stated, 'the section states "N alarms, billed as M alarm metrics"').not.toBeNull();
    expect([Number(stated![1]), Number(stated![2])]).toEqual([alarms.length, billed]);
    expect(costSection()).toContain(`| ${billed} alarm metrics × $0.10`);
  });

  it('counts the customer-managed KMS keys, all rotated, and the table indexes', () => {
    const keys = ofType('AWS::KMS::Key');
    expect(keys.every((k) => k.Properties.EnableKeyRotation === true)).toBe(true);
    expect(costSection()).toContain(`**${keys.length} customer-managed KMS key`);
    const indexes = ofType('AWS::DynamoDB::Table').flatMap((t) => t.Properties.GlobalSecondaryIndexes ?? []);
    expect(costSection()).toContain(`${indexes.length} DynamoDB indexes`);
  });
});
