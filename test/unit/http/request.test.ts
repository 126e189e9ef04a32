import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { BadRequestError, DomainError } from '../../../shared/domain/errors.ts';
import { header, parseQueryString, parseWith, readJsonBody, systemOptions } from '../../../shared/http/request.ts';

const fixture = (name: string): APIGatewayProxyEventV2 => JSON.parse(readFileSync(new URL(`../../../events/apigw/${name}`, import.meta.url), 'utf8'));

function withBody(body: string | undefined, options: { base64?: boolean; contentType?: string | null } = {}): APIGatewayProxyEventV2 {
  const event = fixture('users-create.json');
  const headers = { ...event.headers };
  if (options.contentType === null) delete headers['content-type'];
  else if (options.contentType !== undefined) headers['content-type'] = options.contentType;
  return { ...event, headers, body: options.base64 && body !== undefined ? Buffer.from(body).toString('base64') : body, isBase64Encoded: !!options.base64 };
}

function thrown(run: () => unknown): DomainError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    return error as DomainError;
  }
  throw new Error('expected an error');
}

describe('parseQueryString', () => {
  it.each<[string, string, Record<string, string>]>([
    ['nothing', '', {}],
    ['plain options', '$top=5&$select=id,displayName', { $top: '5', $select: 'id,displayName' }],
    ["'+' as a space", "$filter=displayName+eq+'Adele+Vance'", { $filter: "displayName eq 'Adele Vance'" }],
    ["an encoded '+' as a plus", '$filter=mail+eq+%27a%2Bb%40x.test%27', { $filter: "mail eq 'a+b@x.test'" }],
    ['an encoded $ in the name', '%24top=5', { $top: '5' }],
    ['an option without a value', '$count', { $count: '' }],
    ["'=' inside a value", '$filter=a=b', { $filter: 'a=b' }],
    ['empty pairs', '&&$top=1&', { $top: '1' }],
    ['UTF-8 text', '$search=%E2%9C%93%20Zo%C3%AB', { $search: '✓ Zoë' }],
    [
      'names that Object.prototype has',
      'constructor=1&toString=2&hasOwnProperty=3&$top=4',
      { constructor: '1', toString: '2', hasOwnProperty: '3', $top: '4' },
    ],
  ])('decodes %s', (_, raw, expected) => {
    // Act
    const query = parseQueryString(raw);

    // Assess
    expect({ ...query }).toEqual(expected);
  });

  it.each([
    ['the same option twice', '$top=1&$top=2'],
    ['the same option twice, once encoded', '$top=1&%24top=2'],
    ['the same option twice, once with spaces around the name', '$top=1&+$top+=2'],
  ])('refuses %s', (_, raw) => {
    // Act
    const error = thrown(() => parseQueryString(raw));

    // Assess
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error.code).toBe('Request_BadRequest');
    expect(error.message).toBe("Query option '$top' is given more than once.");
  });

  it.each([
    ['a truncated escape in a value', '$filter=%E0%A4%A'],
    ['a lone percent sign', '$top=50%'],
    ['an invalid escape in a name', '%ZZtop=1'],
    ['an escape that is not UTF-8', '$filter=%FF'],
  ])('refuses %s', (_, raw) => {
    // Act
    const error = thrown(() => parseQueryString(raw));

    // Assess
    expect(error.code).toBe('Request_BadRequest');
    expect(error.message).toMatch(/not correctly URL-encoded/);
  });
});

describe('systemOptions', () => {
  it('keeps only the $ options when other parameters are present', () => {
    // Act
    const options = systemOptions({ $top: '1', 'api-version': '2', top: '3', $filter: 'x' });

    // Assess
    expect(options).toEqual({ $top: '1', $filter: 'x' });
  });
});

describe('header', () => {
  it('finds a header whatever its case when asked in any case', () => {
    // Prepare
    const event = { ...fixture('users-list.json'), headers: { 'Content-Type': 'application/json', 'X-Custom': 'v' } };

    // Act
    const found = [header(event, 'content-type'), header(event, 'x-custom'), header(event, 'X-CUSTOM'), header(event, 'missing')];

    // Assess
    expect(found).toEqual(['application/json', 'v', 'v', undefined]);
  });
});

describe('readJsonBody', () => {
  it('parses the fixture body when it is plain JSON', () => {
    // Act
    const body = readJsonBody(fixture('users-create.json'), 64 * 1024);

    // Assess
    expect(body).toMatchObject({ displayName: 'Adele Vance', userPrincipalName: 'adele.vance@contoso.test' });
  });

  it('decodes the fixture body when API Gateway sent it base64-encoded', () => {
    // Act
    const body = readJsonBody(fixture('users-create.base64.json'), 64 * 1024);

    // Assess
    expect(body).toEqual(readJsonBody(fixture('users-create.json'), 64 * 1024));
  });

  it.each<[string, string | null]>([
    ['no content-type', null],
    ['application/json', 'application/json'],
    ['a charset parameter', 'application/json; charset=utf-8'],
    ['upper case', 'Application/JSON'],
    ['a +json media type', 'application/merge-patch+json'],
  ])('accepts a JSON body with %s', (_, contentType) => {
    // Act
    const body = readJsonBody(withBody('{"a":1}', { contentType }), 100);

    // Assess
    expect(body).toEqual({ a: 1 });
  });

  it.each(['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/jsonp', 'application/xml'])(
    'refuses a body sent as %s with 415',
    (contentType) => {
      // Act
      const error = thrown(() => readJsonBody(withBody('{"a":1}', { contentType }), 100));

      // Assess
      expect(error.kind).toBe('unsupportedMediaType');
      expect(error.code).toBe('UnsupportedMediaType');
      expect(error.message).toContain("send 'application/json'");
    },
  );

  it('refuses a body one byte over the limit with 413', () => {
    // Prepare
    const text = JSON.stringify({ pad: 'x'.repeat(91) });

    // Act
    const atLimit = readJsonBody(withBody(JSON.stringify({ pad: 'x'.repeat(90) })), 100);
    const error = thrown(() => readJsonBody(withBody(text), 100));

    // Assess
    expect(Buffer.byteLength(text)).toBe(101);
    expect(atLimit).toEqual({ pad: 'x'.repeat(90) });
    expect(error.kind).toBe('tooLarge');
    expect(error.code).toBe('RequestEntityTooLarge');
    expect(error.message).toBe('The request body is 101 bytes; at most 100 are accepted.');
  });

  it('counts bytes, not characters, when the body has multi-byte characters', () => {
    // Prepare: 40 characters of 3 bytes each
    const text = JSON.stringify({ s: '✓'.repeat(40) });

    // Act
    const error = thrown(() => readJsonBody(withBody(text), 100));

    // Assess
    expect(text.length).toBeLessThan(100);
    expect(error.kind).toBe('tooLarge');
  });

  it('measures the decoded size when the body is base64-encoded', () => {
    // Prepare: 90 bytes of JSON take 120 characters in base64
    const text = JSON.stringify({ pad: 'x'.repeat(80) });
    const event = withBody(text, { base64: true });

    // Act
    const body = readJsonBody(event, 100);

    // Assess
    expect(event.body!.length).toBeGreaterThan(100);
    expect(body).toEqual({ pad: 'x'.repeat(80) });
  });

  it('checks the size before the content type when both are wrong', () => {
    // Act
    const error = thrown(() => readJsonBody(withBody('x'.repeat(200), { contentType: 'text/plain' }), 100));

    // Assess
    expect(error.kind).toBe('tooLarge');
  });

  it.each([undefined, '', '   \n'])('returns undefined when the body is %j', (body) => {
    // Act
    const parsed = readJsonBody(withBody(body, { contentType: 'text/plain' }), 100);

    // Assess
    expect(parsed).toBeUndefined();
  });

  it('refuses JSON that does not parse with 400 and the position, not the text', () => {
    // Act
    const error = thrown(() => readJsonBody(withBody('{"password": "hunter2", oops}'), 1000));

    // Assess
    expect(error.kind).toBe('invalid');
    expect(error.code).toBe('BadRequest');
    expect(error.message).toMatch(/^The request body is not valid JSON/);
    expect(error.message).not.toContain('hunter2');
  });
});

describe('parseWith', () => {
  const schema = z.strictObject({ name: z.string().min(2), age: z.number().int().optional() });

  it('returns the parsed value when it fits the schema', () => {
    // Act
    const value = parseWith(schema, { name: 'Al', age: 3 }, 'body');

    // Assess
    expect(value).toEqual({ name: 'Al', age: 3 });
  });

  it('returns undefined when the route has no schema for that part', () => {
    // Act
    const value = parseWith(undefined, { anything: true }, 'query');

    // Assess
    expect(value).toBeUndefined();
  });

  it('asks for a body when a route with a body schema gets none', () => {
    // Act
    const error = thrown(() => parseWith(schema, undefined, 'body'));

    // Assess
    expect(error.message).toBe('This request needs a JSON body.');
  });

  it('names each problem with its target and never echoes the values when the body is wrong', () => {
    // Act
    const error = thrown(() => parseWith(schema, { name: 'x', age: 'secret-value-42', password: 'hunter2' }, 'body'));

    // Assess
    expect(error.code).toBe('Request_BadRequest');
    expect(error.message).toMatch(/^Invalid request body: /);
    const details = error.details?.details as { code: string; target: string }[];
    expect(details.map((d) => [d.code, d.target]).sort()).toEqual([
      ['InvalidValue', 'age'],
      ['InvalidValue', 'name'],
      ['UnknownProperty', 'password'],
    ]);
    expect(JSON.stringify({ message: error.message, details })).not.toMatch(/hunter2|secret-value-42/);
  });

  it('answers Request_UnsupportedQuery when a query option is not supported', () => {
    // Act
    const error = thrown(() => parseWith(z.strictObject({ $top: z.coerce.number().optional() }), { $expand: 'manager' }, 'query'));

    // Assess
    expect(error.code).toBe('Request_UnsupportedQuery');
    expect(error.details?.details).toEqual([
      { code: 'UnsupportedQueryOption', target: '$expand', message: "Query option '$expand' is not supported on this request." },
    ]);
  });
});
