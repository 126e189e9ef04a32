/**
 * Turns rule failures into Graph's answer: 400 `RoleAssignmentRequestPolicyValidationFailed` naming
 * each failed rule; or, when fresh MFA is all that is missing, a 401 with an RFC 9470 step-up challenge
 * so that clients know to sign the user in again rather than to change the request.
 */
import { BadRequestError, UnauthenticatedError } from '../../../domain/errors.ts';
import type { RuleFailure } from '../../../domain/policy/evaluate.ts';

export const POLICY_FAILED = 'RoleAssignmentRequestPolicyValidationFailed';

export function policyFailure(failures: RuleFailure[], maxAuthAgeSeconds: number): Error {
  const names = JSON.stringify([...new Set(failures.map((f) => f.code))]);
  const message = `The following policy rules failed: ${names}. ${failures.map((f) => f.message).join(' ')}`;
  const details = failures.map((f) => ({ code: f.code, target: f.target, message: f.message }));
  if (failures.every((f) => f.code === 'MfaRule')) {
    const challenge = `Bearer error="insufficient_user_authentication", error_description="Multi-factor authentication within the last ${Math.round(maxAuthAgeSeconds / 60)} minutes is required", acr_values="mfa", max_age=${maxAuthAgeSeconds}`;
    return new UnauthenticatedError(message, POLICY_FAILED, { details, headers: { 'www-authenticate': challenge } });
  }
  return new BadRequestError(message, POLICY_FAILED, { details });
}
