import { Template } from 'aws-cdk-lib/assertions';
import { createStintApp } from '../infra/app.ts';
for (const ctx of [{ identity: 'cognito' }, { jwtIssuer: 'https://login.microsoftonline.com/t/v2.0', jwtAudience: 'a' }]) {
  const { stack } = createStintApp({ context: { 'aws:cdk:bundling-stacks': [], ...ctx } });
  const t = Template.fromStack(stack).toJSON();
  const counts: Record<string, number> = {};
  for (const r of Object.values<any>(t.Resources)) counts[r.Type] = (counts[r.Type] ?? 0) + 1;
  console.log(JSON.stringify(ctx), JSON.stringify(counts, null, 0));
  for (const [id, r] of Object.entries<any>(t.Resources)) {
    if (r.Type === 'AWS::CloudWatch::Alarm') console.log('alarm', id, r.Properties.Metrics ? 'metricmath:' + r.Properties.Metrics.filter((m: any) => m.MetricStat).length : 'single');
    if (r.Type === 'AWS::KMS::Key') console.log('key', id, r.Properties.EnableKeyRotation);
    if (r.Type === 'AWS::DynamoDB::Table' || r.Type === 'AWS::DynamoDB::GlobalTable') console.log('table', id, (r.Properties.GlobalSecondaryIndexes ?? []).map((g: any) => g.IndexName + ':' + g.Projection.ProjectionType).join(' '));
    if (r.Type === 'AWS::Logs::LogGroup') console.log('log', id, r.Properties.RetentionInDays);
    if (r.Type === 'AWS::Lambda::Function') console.log('fn', id, r.Properties.MemorySize, r.Properties.TracingConfig?.Mode);
    if (r.Type === 'AWS::StepFunctions::StateMachine') console.log('sfn', id, JSON.stringify(r.Properties.TracingConfiguration), JSON.stringify(r.Properties.LoggingConfiguration?.Level));
    if (r.Type === 'AWS::Scheduler::Schedule') console.log('sched', id, r.Properties.ScheduleExpression);
    if (r.Type === 'AWS::ApiGatewayV2::Stage') console.log('stage', id);
    if (r.Type === 'AWS::CloudWatch::Dashboard') console.log('dash', id);
  }
}
