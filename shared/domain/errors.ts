/**
 * Typed domain errors. Each carries a Graph error `code` (clients branch on it) and a `kind`
 * that the HTTP layer maps to a status in exactly one place (shared/http/error-response.ts).
 */
export type ErrorKind =
  | 'invalid'
  | 'unauthenticated'
  | 'forbidden'
  | 'notFound'
  | 'methodNotAllowed'
  | 'conflict'
  | 'preconditionFailed'
  | 'tooLarge'
  | 'unsupportedMediaType'
  | 'unavailable';

export class DomainError extends Error {
  constructor(
    readonly kind: ErrorKind,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class BadRequestError extends DomainError {
  constructor(message: string, code = 'Request_BadRequest', details?: Record<string, unknown>) {
    super('invalid', code, message, details);
  }
}

export class UnsupportedQueryError extends DomainError {
  constructor(message: string) {
    super('invalid', 'Request_UnsupportedQuery', message);
  }
}

export class NotFoundError extends DomainError {
  constructor(message: string, code = 'Request_ResourceNotFound') {
    super('notFound', code, message);
  }
}

export class ConflictError extends DomainError {
  constructor(message: string, code = 'Request_Conflict', details?: Record<string, unknown>) {
    super('conflict', code, message, details);
  }
}

export class UnauthenticatedError extends DomainError {
  constructor(message: string, code = 'InvalidAuthenticationToken', details?: Record<string, unknown>) {
    super('unauthenticated', code, message, details);
  }
}

export class ForbiddenError extends DomainError {
  constructor(message: string, code = 'Authorization_RequestDenied') {
    super('forbidden', code, message);
  }
}

/** A service Stint depends on is not connected or did not answer (AWS access): nothing was changed. */
export class ServiceUnavailableError extends DomainError {
  constructor(message: string, code = 'ServiceUnavailable') {
    super('unavailable', code, message);
  }
}
