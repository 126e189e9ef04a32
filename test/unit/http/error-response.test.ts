import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import {
  BadRequestError,
  ConflictError,
  DomainError,
  ForbiddenError,
  NotFoundError,
  UnauthenticatedError,
  UnsupportedQueryError,
  type ErrorKind,
} from '../../../shared/domain/errors.ts';
import { answerFor, detailsFromZod, graphErrorBody, statusOf } from '../../../shared/http/error-response.ts';

describe('statusOf', () => {
  it.each<[ErrorKind, number]>([
    ['invalid', 400],
    ['unauthenticated', 401],
    ['forbidden', 403],
    ['notFound', 404],
    ['methodNotAllowed', 405],
    ['conflict', 409],
    ['preconditionFailed', 412],
    ['tooLarge', 413],
    ['unsupportedMediaType', 415],
  ])('maps %s to %i', (kind, status) => {
    // Act
    const found = statusOf(kind);

    // Assess
    expect(found).toBe(status);
  });
});

describe('answerFor', () => {
  it.each<[string, DomainError, number, string]>([
    ['BadRequestError', new BadRequestError('bad'), 400, 'Request_BadRequest'],
    ['UnsupportedQueryError', new UnsupportedQueryError('nope'), 400, 'Request_UnsupportedQuery'],
    ['UnauthenticatedError', new UnauthenticatedError('who?'), 401, 'InvalidAuthenticationToken'],
    ['ForbiddenError', new ForbiddenError('no'), 403, 'Authorization_RequestDenied'],
    ['NotFoundError', new NotFoundError('gone'), 404, 'Request_ResourceNotFound'],
    ['ConflictError', new ConflictError('clash'), 409, 'Request_Conflict'],
  ])('keeps the code and message of a %s', (_, error, status, code) => {
    // Act
    const answer = answerFor(error);

    // Assess
    expect(answer).toMatchObject({ status, code, message: error.message });
  });

  it('carries details and headers when the error has them', () => {
    // Prepare
    const error = new DomainError('methodNotAllowed', 'Request_MethodNotAllowed', 'no', { headers: { allow: 'GET' }, details: [{ code: 'X', message: 'y' }] });

    // Act
    const answer = answerFor(error);

    // Assess
    expect(answer).toEqual({ status: 405, code: 'Request_MethodNotAllowed', message: 'no', headers: { allow: 'GET' }, details: [{ code: 'X', message: 'y' }] });
  });

  it.each<[string, unknown]>([
    ['an Error', new Error('secret connection string postgres://u:p@h')],
    ['a TypeError', new TypeError("Cannot read properties of undefined (reading 'id')")],
    ['a string', 'boom'],
    ['undefined', undefined],
    ['an object that looks like a DomainError', { kind: 'invalid', code: 'Request_BadRequest', message: 'spoofed' }],
  ])('answers 500 with a fixed message when given %s', (_, error) => {
    // Act
    const answer = answerFor(error);

    // Assess
    expect(answer).toEqual({ status: 500, code: 'InternalServerError', message: 'An unexpected error occurred. Quote the request-id when reporting it.' });
  });
});

describe('graphErrorBody', () => {
  it("builds Graph's error shape with the date to the second when given an answer", () => {
    // Act
    const body = graphErrorBody({ status: 404, code: 'Request_ResourceNotFound', message: 'gone' }, 'req-1', new Date('2025-01-15T10:00:00.987Z'), 'client-1');

    // Assess
    expect(body).toEqual({
      error: {
        code: 'Request_ResourceNotFound',
        message: 'gone',
        innerError: { 'request-id': 'req-1', date: '2025-01-15T10:00:00Z', 'client-request-id': 'client-1' },
      },
    });
  });

  it('leaves out details and client-request-id when there are none', () => {
    // Act
    const body = graphErrorBody({ status: 400, code: 'X', message: 'm', details: [] }, 'req-2', new Date('2025-01-15T10:00:00.000Z'));

    // Assess
    expect(body.error).not.toHaveProperty('details');
    expect(body.error.innerError).toEqual({ 'request-id': 'req-2', date: '2025-01-15T10:00:00Z' });
  });
});

describe('detailsFromZod', () => {
  const schema = z.strictObject({ user: z.strictObject({ mail: z.email() }), tags: z.array(z.string()).max(1) });

  it('names nested targets and unknown properties without the values when the body is wrong', () => {
    // Prepare
    const result = schema.safeParse({ user: { mail: 'leak-me', extra: 'secret-1' }, tags: ['a', 'b'], stray: 'secret-2' });

    // Act
    const details = detailsFromZod(result.error!, 'body');

    // Assess
    expect(details.map((d) => [d.code, d.target]).sort()).toEqual([
      ['InvalidValue', 'tags'],
      ['InvalidValue', 'user.mail'],
      ['UnknownProperty', 'stray'],
      ['UnknownProperty', 'user.extra'],
    ]);
    expect(JSON.stringify(details)).not.toMatch(/leak-me|secret-1|secret-2/);
  });

  it('calls unknown query options unsupported when the schema is for the query', () => {
    // Prepare
    const result = z.strictObject({}).safeParse({ $expand: 'x' });

    // Act
    const details = detailsFromZod(result.error!, 'query');

    // Assess
    expect(details).toEqual([{ code: 'UnsupportedQueryOption', target: '$expand', message: "Query option '$expand' is not supported on this request." }]);
  });

  it('targets the part itself when the whole value is wrong', () => {
    // Prepare
    const result = z.strictObject({ a: z.string() }).safeParse('not an object');

    // Act
    const details = detailsFromZod(result.error!, 'body');

    // Assess
    expect(details).toHaveLength(1);
    expect(details[0]).toMatchObject({ code: 'InvalidValue', target: 'body' });
  });
});
