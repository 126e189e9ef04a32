/**
 * An AWS call made while answering an API request: AWS's own errors (throttling, access denied, a
 * network failure) become a 503 that says what AWS answered, never a 500, and nothing was changed.
 */
import { DomainError, ServiceUnavailableError } from '../../domain/errors.ts';

export async function awsCall<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof DomainError) throw error;
    const name = error instanceof Error ? error.name : 'Error';
    const message = error instanceof Error ? error.message : String(error);
    throw new ServiceUnavailableError(`AWS did not answer as expected (${name}: ${message.slice(0, 300)}). Nothing was changed; try again.`, 'AwsUnavailable');
  }
}
