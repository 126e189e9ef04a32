/** What an AWS view shows when Stint has no IAM Identity Center to talk to (the API's 503 AwsNotConnected): a notice, not an error. */
import Alert from '@cloudscape-design/components/alert';
import { ApiError } from '../api/errors.ts';

export function isAwsNotConnected(error: unknown): boolean {
  return error instanceof ApiError && error.code === 'AwsNotConnected';
}

export function AwsNotConnected() {
  return (
    <Alert type="info" header="AWS access is not connected">
      Stint is not connected to IAM Identity Center, so there are no AWS roles to show. An administrator connects it (the deployment guide, "AWS access").
    </Alert>
  );
}
