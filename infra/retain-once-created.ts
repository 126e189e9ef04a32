/**
 * Everything the stack keeps on delete (log groups, the alarm key, the portal's bucket, the state
 * machine's versions, and whatever a construct marks Retain) is kept only once it exists outside a failed
 * create: CloudFormation's RetainExceptOnCreate. A first deploy that rolls back (a taken Cognito domain
 * prefix, an SES identity that exists, an SCP that wants a permissions boundary) then leaves no log
 * groups and no billed key behind, and the retry starts clean.
 */
import { CfnDeletionPolicy, CfnResource, type IAspect } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

export class RetainOnceCreated implements IAspect {
  visit(node: IConstruct): void {
    if (node instanceof CfnResource && node.cfnOptions.deletionPolicy === CfnDeletionPolicy.RETAIN)
      node.cfnOptions.deletionPolicy = CfnDeletionPolicy.RETAIN_EXCEPT_ON_CREATE;
  }
}
