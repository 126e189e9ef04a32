/**
 * Bad input, table-driven: every case is a precise 4xx in Graph's error shape, never a 500, never an echo
 * of what was sent, and nothing in the directory changes (checked against a snapshot at the end).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../../infra/local/stack.ts';
import { apiClient, startTestStack, type ApiClient } from '../../helpers/stack.ts';
import { auditTrail, expectGraphError, filter, GLOBAL_ADMINISTRATOR, listAll, ref, ROLE_DEFINITIONS, roleBody, userBody } from './support.ts';

const MAX_BODY_BYTES = 64 * 1024;

interface Case {
  method: string;
  /** `{user}`, `{group}`, `{roleGroup}`, `{sp}` and `{role}` are replaced by ids made in beforeAll. */
  path: string;
  body?: unknown;
  raw?: string;
  contentType?: string;
  status: number;
  code: string;
  /** A `details` entry this target must be among, with this detail code. */
  target?: string;
  detail?: 'InvalidValue' | 'UnknownProperty' | 'UnsupportedQueryOption';
  message?: string;
  allow?: string[];
}

const users = '/v1.0/users';
const groups = '/v1.0/groups';
const sps = '/v1.0/servicePrincipals';
const memberRef = '/v1.0/groups/{group}/members/$ref';
const okUser = userBody('valid.shape');
const okGroup = { displayName: 'Valid Shape', mailNickname: 'valid-shape', mailEnabled: false, securityEnabled: true };
const okRole = roleBody('Valid Shape Role');
const json = 'application/json';

/** A JSON body of exactly `size` bytes that is valid JSON but whose jobTitle is far too long. */
function bodyOfSize(size: number): string {
  const head = '{"displayName":"Big","userPrincipalName":"big@contoso.test","jobTitle":"';
  const tail = '"}';
  return head + 'x'.repeat(size - head.length - tail.length) + tail;
}

const cases: [string, Case][] = [
  // Malformed JSON.
  ['unterminated JSON', { method: 'POST', path: users, raw: '{"displayName": "A",', status: 400, code: 'BadRequest', message: 'not valid JSON' }],
  ['JSON with a bare word', { method: 'POST', path: users, raw: '{bad', status: 400, code: 'BadRequest', message: 'not valid JSON (error at character 1)' }],
  ['JSON with single quotes', { method: 'POST', path: groups, raw: "{'displayName': 'x'}", status: 400, code: 'BadRequest' }],
  ['JSON with trailing garbage', { method: 'PATCH', path: `${users}/{user}`, raw: '{"jobTitle": "x"}}', status: 400, code: 'BadRequest' }],
  ['JSON with NaN', { method: 'POST', path: ROLE_DEFINITIONS, raw: '{"displayName": NaN}', status: 400, code: 'BadRequest' }],
  ['not JSON at all for $ref', { method: 'POST', path: memberRef, raw: 'undefined', status: 400, code: 'BadRequest' }],
  [
    'half a surrogate pair in a value',
    {
      method: 'POST',
      path: users,
      raw: '{"displayName":"A\\ud800","userPrincipalName":"half@contoso.test"}',
      status: 400,
      code: 'BadRequest',
      message: 'not valid Unicode',
    },
  ],
  [
    'a lone low surrogate in a PATCH',
    { method: 'PATCH', path: `${users}/{user}`, raw: '{"jobTitle":"\\udc00x"}', status: 400, code: 'BadRequest', message: 'not valid Unicode' },
  ],
  ['half a surrogate pair in a key', { method: 'POST', path: groups, raw: '{"\\ud800":1}', status: 400, code: 'BadRequest', message: 'not valid Unicode' }],

  // Wrong types.
  [
    'a number for displayName',
    {
      method: 'POST',
      path: users,
      body: { ...okUser, displayName: 42 },
      status: 400,
      code: 'Request_BadRequest',
      target: 'displayName',
      detail: 'InvalidValue',
    },
  ],
  [
    'a string for accountEnabled',
    {
      method: 'POST',
      path: users,
      body: { ...okUser, accountEnabled: 'true' },
      status: 400,
      code: 'Request_BadRequest',
      target: 'accountEnabled',
      detail: 'InvalidValue',
    },
  ],
  [
    'a string for businessPhones',
    { method: 'POST', path: users, body: { ...okUser, businessPhones: '+1 555' }, status: 400, code: 'Request_BadRequest', target: 'businessPhones' },
  ],
  [
    'two businessPhones',
    { method: 'POST', path: users, body: { ...okUser, businessPhones: ['1', '2'] }, status: 400, code: 'Request_BadRequest', target: 'businessPhones' },
  ],
  [
    'a three-letter usageLocation',
    { method: 'POST', path: users, body: { ...okUser, usageLocation: 'DEU' }, status: 400, code: 'Request_BadRequest', target: 'usageLocation' },
  ],
  [
    'a UPN without a domain',
    { method: 'POST', path: users, body: { ...okUser, userPrincipalName: 'no-domain' }, status: 400, code: 'Request_BadRequest', target: 'userPrincipalName' },
  ],
  [
    'the wrong @odata.type',
    {
      method: 'POST',
      path: users,
      body: { ...okUser, '@odata.type': '#microsoft.graph.group' },
      status: 400,
      code: 'Request_BadRequest',
      target: '@odata.type',
    },
  ],
  [
    'a string for mailEnabled',
    { method: 'POST', path: groups, body: { ...okGroup, mailEnabled: 'no' }, status: 400, code: 'Request_BadRequest', target: 'mailEnabled' },
  ],
  [
    'an unknown groupType',
    { method: 'POST', path: groups, body: { ...okGroup, groupTypes: ['Bogus'] }, status: 400, code: 'Request_BadRequest', target: 'groupTypes.0' },
  ],
  [
    'a mailNickname with spaces',
    { method: 'POST', path: groups, body: { ...okGroup, mailNickname: 'has spaces' }, status: 400, code: 'Request_BadRequest', target: 'mailNickname' },
  ],
  ['a string for tags', { method: 'POST', path: sps, body: { appId: 'typed-app', tags: 'prod' }, status: 400, code: 'Request_BadRequest', target: 'tags' }],
  [
    'an unknown servicePrincipalType',
    {
      method: 'POST',
      path: sps,
      body: { appId: 'typed-app', servicePrincipalType: 'Robot' },
      status: 400,
      code: 'Request_BadRequest',
      target: 'servicePrincipalType',
    },
  ],
  [
    'an object for rolePermissions',
    { method: 'POST', path: ROLE_DEFINITIONS, body: { ...okRole, rolePermissions: {} }, status: 400, code: 'Request_BadRequest', target: 'rolePermissions' },
  ],
  [
    'a number for accountEnabled in PATCH',
    { method: 'PATCH', path: `${users}/{user}`, body: { accountEnabled: 1 }, status: 400, code: 'Request_BadRequest', target: 'accountEnabled' },
  ],
  [
    'an unknown visibility in PATCH',
    { method: 'PATCH', path: `${groups}/{group}`, body: { visibility: 'Secret' }, status: 400, code: 'Request_BadRequest', target: 'visibility' },
  ],
  [
    'a string for isEnabled in PATCH',
    { method: 'PATCH', path: `${ROLE_DEFINITIONS}/{role}`, body: { isEnabled: 'yes' }, status: 400, code: 'Request_BadRequest', target: 'isEnabled' },
  ],

  // Missing or empty required properties.
  [
    'no userPrincipalName',
    { method: 'POST', path: users, body: { displayName: 'No UPN' }, status: 400, code: 'Request_BadRequest', target: 'userPrincipalName' },
  ],
  [
    'no displayName',
    { method: 'POST', path: users, body: { userPrincipalName: 'no.name@contoso.test' }, status: 400, code: 'Request_BadRequest', target: 'displayName' },
  ],
  [
    'a blank displayName',
    { method: 'POST', path: users, body: { ...okUser, displayName: '   ' }, status: 400, code: 'Request_BadRequest', target: 'displayName' },
  ],
  [
    'no mailNickname',
    {
      method: 'POST',
      path: groups,
      body: { displayName: 'x', mailEnabled: false, securityEnabled: true },
      status: 400,
      code: 'Request_BadRequest',
      target: 'mailNickname',
    },
  ],
  ['no appId', { method: 'POST', path: sps, body: { displayName: 'No app' }, status: 400, code: 'Request_BadRequest', target: 'appId' }],
  ['an empty appId', { method: 'POST', path: sps, body: { appId: '' }, status: 400, code: 'Request_BadRequest', target: 'appId' }],
  [
    'no rolePermissions',
    { method: 'POST', path: ROLE_DEFINITIONS, body: { displayName: 'No permissions' }, status: 400, code: 'Request_BadRequest', target: 'rolePermissions' },
  ],

  // Unknown properties: Graph refuses them, naming the property.
  [
    'an unknown user property',
    {
      method: 'POST',
      path: users,
      body: { ...okUser, favouriteColour: 'blue' },
      status: 400,
      code: 'Request_BadRequest',
      target: 'favouriteColour',
      detail: 'UnknownProperty',
    },
  ],
  [
    'a client-chosen user id',
    {
      method: 'POST',
      path: users,
      body: { ...okUser, id: 'usr_01J00000000000000000000000' },
      status: 400,
      code: 'Request_BadRequest',
      target: 'id',
      detail: 'UnknownProperty',
    },
  ],
  [
    'members instead of members@odata.bind',
    { method: 'POST', path: groups, body: { ...okGroup, members: [] }, status: 400, code: 'Request_BadRequest', target: 'members', detail: 'UnknownProperty' },
  ],
  [
    'an unknown service principal property',
    {
      method: 'POST',
      path: sps,
      body: { appId: 'x-app', appRolez: [] },
      status: 400,
      code: 'Request_BadRequest',
      target: 'appRolez',
      detail: 'UnknownProperty',
    },
  ],
  [
    'a misspelt rolePermissions',
    {
      method: 'POST',
      path: ROLE_DEFINITIONS,
      body: { displayName: 'Typo', rolePermission: okRole.rolePermissions },
      status: 400,
      code: 'Request_BadRequest',
      target: 'rolePermission',
      detail: 'UnknownProperty',
    },
  ],
  [
    'an unknown nested permission property',
    {
      method: 'POST',
      path: ROLE_DEFINITIONS,
      body: { displayName: 'Nested', rolePermissions: [{ allowedResourceActions: ['microsoft.directory/users/basic/read'], excludedResourceActions: [] }] },
      status: 400,
      code: 'Request_BadRequest',
      target: 'rolePermissions.0.excludedResourceActions',
      detail: 'UnknownProperty',
    },
  ],
  [
    'createdDateTime in a user PATCH',
    {
      method: 'PATCH',
      path: `${users}/{user}`,
      body: { createdDateTime: '2020-01-01T00:00:00Z' },
      status: 400,
      code: 'Request_BadRequest',
      target: 'createdDateTime',
      detail: 'UnknownProperty',
    },
  ],
  [
    'isAssignableToRole in a group PATCH',
    {
      method: 'PATCH',
      path: `${groups}/{group}`,
      body: { isAssignableToRole: true },
      status: 400,
      code: 'Request_BadRequest',
      target: 'isAssignableToRole',
      detail: 'UnknownProperty',
    },
  ],
  [
    'isBuiltIn in a role PATCH',
    {
      method: 'PATCH',
      path: `${ROLE_DEFINITIONS}/{role}`,
      body: { isBuiltIn: true },
      status: 400,
      code: 'Request_BadRequest',
      target: 'isBuiltIn',
      detail: 'UnknownProperty',
    },
  ],
  [
    'an extra property beside @odata.id',
    {
      method: 'POST',
      path: memberRef,
      body: { ...ref('usr_01J00000000000000000000000'), extra: 1 },
      status: 400,
      code: 'Request_BadRequest',
      target: 'extra',
      detail: 'UnknownProperty',
    },
  ],

  // No body where one is required.
  ...(
    [
      ['POST', users],
      ['POST', groups],
      ['POST', sps],
      ['POST', ROLE_DEFINITIONS],
      ['POST', memberRef],
      ['PATCH', `${users}/{user}`],
      ['PATCH', `${groups}/{group}`],
      ['PATCH', `${ROLE_DEFINITIONS}/{role}`],
    ] as const
  ).map(([method, path]): [string, Case] => [
    `no body for ${method} ${path}`,
    { method, path, status: 400, code: 'Request_BadRequest', message: 'needs a JSON body' },
  ]),
  ['a body of blanks', { method: 'POST', path: users, raw: '  \n\t ', status: 400, code: 'Request_BadRequest', message: 'needs a JSON body' }],

  // JSON that is not an object.
  ...['null', '[]', '"text"', '42', 'true', '[{"displayName":"x"}]'].map((raw): [string, Case] => [
    `the JSON ${raw}`,
    { method: 'POST', path: users, raw, status: 400, code: 'Request_BadRequest', target: 'body' },
  ]),

  // PATCH that changes nothing.
  [
    'PATCH {} on a user',
    { method: 'PATCH', path: `${users}/{user}`, body: {}, status: 400, code: 'Request_BadRequest', target: 'body', message: 'at least one property' },
  ],
  [
    'PATCH {} on a group',
    { method: 'PATCH', path: `${groups}/{group}`, body: {}, status: 400, code: 'Request_BadRequest', target: 'body', message: 'at least one property' },
  ],
  [
    'PATCH {} on a role',
    {
      method: 'PATCH',
      path: `${ROLE_DEFINITIONS}/{role}`,
      body: {},
      status: 400,
      code: 'Request_BadRequest',
      target: 'body',
      message: 'at least one property',
    },
  ],

  // Oversized bodies.
  [
    'a body one byte over 64 KiB',
    { method: 'POST', path: users, raw: bodyOfSize(MAX_BODY_BYTES + 1), status: 413, code: 'RequestEntityTooLarge', message: `at most ${MAX_BODY_BYTES}` },
  ],
  [
    'a body of exactly 64 KiB (too long a jobTitle, but not too large)',
    { method: 'POST', path: users, raw: bodyOfSize(MAX_BODY_BYTES), status: 400, code: 'Request_BadRequest', target: 'jobTitle' },
  ],
  ['a 200 KiB PATCH', { method: 'PATCH', path: `${users}/{user}`, body: { jobTitle: 'x'.repeat(200 * 1024) }, status: 413, code: 'RequestEntityTooLarge' }],
  [
    'a 100 KiB $ref',
    {
      method: 'POST',
      path: memberRef,
      body: { '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${'a'.repeat(100 * 1024)}` },
      status: 413,
      code: 'RequestEntityTooLarge',
    },
  ],
  [
    'a 1 MiB role',
    {
      method: 'POST',
      path: ROLE_DEFINITIONS,
      body: roleBody(
        'Huge',
        Array.from({ length: 20_000 }, (_, i) => `microsoft.directory/users/p${i}/read`),
      ),
      status: 413,
      code: 'RequestEntityTooLarge',
    },
  ],
  [
    'a 70 KiB body of a wrong content type',
    { method: 'POST', path: users, raw: 'x'.repeat(70 * 1024), contentType: 'text/plain', status: 413, code: 'RequestEntityTooLarge' },
  ],

  // Content types other than JSON.
  ...['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', 'text/json', 'application/jsonp'].map(
    (contentType): [string, Case] => [
      `Content-Type ${contentType}`,
      { method: 'POST', path: users, raw: JSON.stringify(okUser), contentType, status: 415, code: 'UnsupportedMediaType' },
    ],
  ),
  [
    'Content-Type text/plain on a $ref',
    { method: 'POST', path: memberRef, raw: JSON.stringify(ref('usr_x')), contentType: 'text/plain', status: 415, code: 'UnsupportedMediaType' },
  ],

  // Bad references.
  [
    'an @odata.id that is not a URL',
    { method: 'POST', path: memberRef, body: { '@odata.id': 'not-a-url' }, status: 400, code: 'Request_BadRequest', target: '@odata.id' },
  ],
  [
    'an @odata.id without an id',
    {
      method: 'POST',
      path: memberRef,
      body: { '@odata.id': 'https://graph.microsoft.com/v1.0/directoryObjects/' },
      status: 400,
      code: 'Request_BadRequest',
      target: '@odata.id',
    },
  ],
  [
    'an @odata.id of another type',
    {
      method: 'POST',
      path: memberRef,
      body: { '@odata.id': 'https://graph.microsoft.com/v1.0/applications/abc' },
      status: 400,
      code: 'Request_BadRequest',
      target: '@odata.id',
    },
  ],
  [
    'an @odata.id with a query',
    {
      method: 'POST',
      path: memberRef,
      body: { '@odata.id': 'https://graph.microsoft.com/v1.0/directoryObjects/abc?x=1' },
      status: 400,
      code: 'Request_BadRequest',
    },
  ],
  [
    'an @odata.id with bad percent-encoding',
    {
      method: 'POST',
      path: memberRef,
      body: { '@odata.id': 'https://graph.microsoft.com/v1.0/directoryObjects/%ZZ' },
      status: 400,
      code: 'Request_BadRequest',
      message: 'URL-encoded',
    },
  ],
  ['a number for @odata.id', { method: 'POST', path: memberRef, body: { '@odata.id': 42 }, status: 400, code: 'Request_BadRequest', target: '@odata.id' }],
  ['no @odata.id', { method: 'POST', path: memberRef, body: {}, status: 400, code: 'Request_BadRequest', target: '@odata.id' }],
  [
    'a members@odata.bind that is not a reference',
    { method: 'POST', path: groups, body: { ...okGroup, 'members@odata.bind': ['nonsense'] }, status: 400, code: 'Request_BadRequest' },
  ],
  [
    'a members@odata.bind with bad percent-encoding',
    {
      method: 'POST',
      path: groups,
      body: { ...okGroup, 'members@odata.bind': ['https://graph.microsoft.com/v1.0/directoryObjects/%ZZ'] },
      status: 400,
      code: 'Request_BadRequest',
    },
  ],
  [
    '21 members@odata.bind',
    {
      method: 'POST',
      path: groups,
      body: { ...okGroup, 'members@odata.bind': Array.from({ length: 21 }, (_, i) => `https://graph.microsoft.com/v1.0/directoryObjects/usr_${i}`) },
      status: 400,
      code: 'Request_BadRequest',
      target: 'members@odata.bind',
    },
  ],

  // Unknown routes.
  ...['/v1.0/nothing', '/v1.0/users/{user}/manager', '/v1.0/users/a/b/c', '/v2.0/users', '/', '/v1.0', '/v1.0/groups/{group}/members/{user}'].map(
    (path): [string, Case] => [`GET ${path}`, { method: 'GET', path, status: 404, code: 'Request_ResourceNotFound' }],
  ),
  ['DELETE a member without $ref', { method: 'DELETE', path: '/v1.0/groups/{group}/members/{user}', status: 404, code: 'Request_ResourceNotFound' }],

  // Methods a resource does not have.
  ['PUT on users', { method: 'PUT', path: users, body: okUser, status: 405, code: 'Request_MethodNotAllowed', allow: ['GET', 'POST'] }],
  ['DELETE on users', { method: 'DELETE', path: users, status: 405, code: 'Request_MethodNotAllowed', allow: ['GET', 'POST'] }],
  [
    'POST on a user',
    { method: 'POST', path: `${users}/{user}`, body: okUser, status: 405, code: 'Request_MethodNotAllowed', allow: ['DELETE', 'GET', 'PATCH'] },
  ],
  [
    'PUT on a group',
    { method: 'PUT', path: `${groups}/{group}`, body: okGroup, status: 405, code: 'Request_MethodNotAllowed', allow: ['DELETE', 'GET', 'PATCH'] },
  ],
  ['GET on members/$ref', { method: 'GET', path: memberRef, status: 405, code: 'Request_MethodNotAllowed', allow: ['POST'] }],
  ['POST on memberOf', { method: 'POST', path: `${users}/{user}/memberOf`, body: {}, status: 405, code: 'Request_MethodNotAllowed', allow: ['GET'] }],
  [
    'PUT on a service principal',
    { method: 'PUT', path: `${sps}/{sp}`, body: { displayName: 'x' }, status: 405, code: 'Request_MethodNotAllowed', allow: ['DELETE', 'GET', 'PATCH'] },
  ],
  [
    'PUT on a role definition',
    {
      method: 'PUT',
      path: `${ROLE_DEFINITIONS}/${GLOBAL_ADMINISTRATOR}`,
      body: okRole,
      status: 405,
      code: 'Request_MethodNotAllowed',
      allow: ['DELETE', 'GET', 'PATCH'],
    },
  ],
  // A public route is one exact GET in API Gateway, which has no route for anything else there; the local gateway agrees.
  ['POST on health', { method: 'POST', path: '/health', body: {}, status: 404, code: 'Request_ResourceNotFound' }],

  // Paths and query strings.
  ['a path that is not URL-encoded correctly', { method: 'GET', path: `${users}/%E0%A4%A`, status: 400, code: 'BadRequest', message: 'URL-encoded' }],
  [
    'a query string that is not URL-encoded correctly',
    { method: 'GET', path: `${users}?$filter=%ZZ`, status: 400, code: 'Request_BadRequest', message: 'URL-encoded' },
  ],
  [
    'a repeated query option',
    { method: 'GET', path: `${users}?$top=1&$top=2`, status: 400, code: 'Request_BadRequest', message: "'$top' is given more than once" },
  ],
  ['an id of 300 characters', { method: 'GET', path: `${users}/${'a'.repeat(300)}`, status: 400, code: 'Request_BadRequest', target: 'id' }],
  ['a query option on a write', { method: 'POST', path: `${users}?$top=1`, body: okUser, status: 201, code: '' }],
];

describe('bad input', () => {
  let stack: LocalStack;
  let api: ApiClient;
  let token: string;
  const ids: Record<string, string> = {};
  let snapshot: unknown;

  /** Everything a bad request could have touched. */
  async function directoryState() {
    return {
      users: await listAll(stack, api, token, '/v1.0/users?$top=999'),
      groups: await listAll(stack, api, token, '/v1.0/groups?$top=999'),
      servicePrincipals: await listAll(stack, api, token, '/v1.0/servicePrincipals?$top=999'),
      roles: await listAll(stack, api, token, `${ROLE_DEFINITIONS}?${filter('isBuiltIn eq false')}`),
      members: await listAll(stack, api, token, `/v1.0/groups/${ids.group}/members`),
      roleMembers: await listAll(stack, api, token, `/v1.0/groups/${ids.roleGroup}/members`),
      audit: {
        user: (await auditTrail(stack, ids.user!)).length,
        group: (await auditTrail(stack, ids.group!)).length,
        role: (await auditTrail(stack, ids.role!)).length,
      },
    };
  }

  beforeAll(async () => {
    stack = await startTestStack();
    api = apiClient(stack);
    token = await api.token('admin@contoso.test');
    ids.user = (await api.call('POST', users, { token, body: userBody('target.user') })).body.id;
    const all = await listAll(stack, api, token, groups);
    ids.group = all.find((g) => g.displayName === 'Helpdesk')!.id;
    ids.roleGroup = all.find((g) => g.displayName === 'Security Operations')!.id;
    ids.sp = (await listAll(stack, api, token, sps))[0].id;
    ids.role = (await api.call('POST', ROLE_DEFINITIONS, { token, body: roleBody('Target Role') })).body.id;
    snapshot = await directoryState();
  });
  afterAll(() => stack.stop());

  const resolve = (path: string) => path.replace(/\{(\w+)\}/g, (_, name: string) => ids[name] ?? `{${name}}`);

  function send(c: Pick<Case, 'method' | 'path' | 'body' | 'raw' | 'contentType'>) {
    const headers: Record<string, string> = {};
    if (c.body !== undefined || c.raw !== undefined) headers['content-type'] = c.contentType ?? json;
    return api.call(c.method, resolve(c.path), {
      token,
      headers,
      ...(c.body !== undefined ? { body: c.body } : {}),
      ...(c.raw !== undefined ? { rawBody: c.raw } : {}),
    });
  }

  it.each(cases.filter(([, c]) => c.status >= 400))('answers %s precisely', async (_name, c) => {
    const result = await send(c);
    const error = expectGraphError(result, c.status, c.code);
    if (c.target) {
      expect(error.details, JSON.stringify(error)).toContainEqual(expect.objectContaining({ target: c.target, ...(c.detail ? { code: c.detail } : {}) }));
      if (c.detail === 'UnknownProperty') expect(error.message).toContain(`'${c.target.split('.').at(-1)}'`);
    }
    if (c.message) expect(error.message).toContain(c.message);
    if (c.allow) expect(result.headers.get('allow')?.split(', ').sort()).toEqual(c.allow);
  });

  it('accepts escaped surrogate pairs (an emoji) and stores them intact', async () => {
    const result = await api.call('POST', '/v1.0/users', {
      token,
      rawBody: '{"displayName":"Smile \\ud83d\\ude00","userPrincipalName":"smile@contoso.test"}',
      headers: { 'content-type': json },
    });
    expect(result.status).toBe(201);
    expect(result.body.displayName).toBe('Smile \u{1F600}');
    expect((await api.call('GET', `/v1.0/users/${result.body.id}`, { token })).body.displayName).toBe('Smile \u{1F600}');
    expect((await api.call('DELETE', `/v1.0/users/${result.body.id}`, { token })).status).toBe(204);
  });

  it('accepts a query option on a write, and JSON content types with parameters or a +json suffix', async () => {
    // Control cases, so that the refusals above are known to be about what they vary.
    for (const [alias, contentType] of [
      ['ct.plain', 'application/json'],
      ['ct.charset', 'application/json; charset=utf-8'],
      ['ct.upper', 'APPLICATION/JSON'],
      ['ct.suffix', 'application/merge-patch+json'],
    ] as const) {
      const result = await api.call('POST', '/v1.0/users?$top=1', {
        token,
        rawBody: JSON.stringify(userBody(alias)),
        headers: { 'content-type': contentType },
      });
      expect(result.status, contentType).toBe(201);
      expect((await api.call('DELETE', `/v1.0/users/${result.body.id}`, { token })).status).toBe(204);
    }
  });

  describe('never echoes a refused value', () => {
    const SECRET = 'secret-value-xyz';
    it.each<[string, Case]>([
      [
        'an invalid userPrincipalName',
        { method: 'POST', path: users, body: { ...okUser, userPrincipalName: SECRET }, status: 400, code: 'Request_BadRequest' },
      ],
      [
        'an invalid userPrincipalName in PATCH',
        { method: 'PATCH', path: `${users}/{user}`, body: { userPrincipalName: SECRET }, status: 400, code: 'Request_BadRequest' },
      ],
      ['an invalid mail', { method: 'POST', path: users, body: { ...okUser, mail: SECRET }, status: 400, code: 'Request_BadRequest' }],
      ['an invalid otherMails entry', { method: 'POST', path: users, body: { ...okUser, otherMails: [SECRET] }, status: 400, code: 'Request_BadRequest' }],
      ['a too long usageLocation', { method: 'POST', path: users, body: { ...okUser, usageLocation: SECRET }, status: 400, code: 'Request_BadRequest' }],
      [
        'a password where an object belongs',
        { method: 'POST', path: users, body: { ...okUser, passwordProfile: SECRET }, status: 400, code: 'Request_BadRequest' },
      ],
      [
        'a password of the wrong type in PATCH',
        { method: 'PATCH', path: `${users}/{user}`, body: { passwordPolicies: [SECRET] }, status: 400, code: 'Request_BadRequest' },
      ],
      ['an invalid mailNickname', { method: 'POST', path: groups, body: { ...okGroup, mailNickname: `${SECRET}!` }, status: 400, code: 'Request_BadRequest' }],
      ['an invalid group visibility', { method: 'PATCH', path: `${groups}/{group}`, body: { visibility: SECRET }, status: 400, code: 'Request_BadRequest' }],
      ['a string for tags', { method: 'POST', path: sps, body: { appId: 'ok-app', tags: SECRET }, status: 400, code: 'Request_BadRequest' }],
      [
        'an invalid resource action',
        { method: 'POST', path: ROLE_DEFINITIONS, body: roleBody('Echo Role', [SECRET]), status: 400, code: 'Request_BadRequest' },
      ],
      ['an invalid @odata.id', { method: 'POST', path: memberRef, body: { '@odata.id': SECRET }, status: 400, code: 'Request_BadRequest' }],
      ['malformed JSON around it', { method: 'POST', path: users, raw: `{"userPrincipalName": ${SECRET}}`, status: 400, code: 'BadRequest' }],
      ['an unsupported content type', { method: 'POST', path: users, raw: SECRET, contentType: 'text/plain', status: 415, code: 'UnsupportedMediaType' }],
      ['an invalid $top', { method: 'GET', path: `${users}?$top=${SECRET}`, status: 400, code: 'Request_UnsupportedQuery' }],
      ['an invalid $skiptoken', { method: 'GET', path: `${users}?$skiptoken=${SECRET}`, status: 400, code: 'Request_InvalidSkipToken' }],
    ])('%s', async (_name, c) => {
      const result = await send(c);
      expectGraphError(result, c.status, c.code);
      expect(JSON.stringify(result.body).toLowerCase()).not.toContain(SECRET);
      for (const [name, value] of result.headers) expect(`${name}: ${value}`.toLowerCase()).not.toContain(SECRET);
    });
  });

  describe('junk on every write route', () => {
    const routes: [string, string][] = [
      ['POST', users],
      ['PATCH', `${users}/{user}`],
      ['POST', groups],
      ['PATCH', `${groups}/{group}`],
      ['POST', memberRef],
      ['POST', '/v1.0/groups/{roleGroup}/members/$ref'],
      ['POST', sps],
      ['POST', ROLE_DEFINITIONS],
      ['PATCH', `${ROLE_DEFINITIONS}/{role}`],
    ];
    const junk = [
      '',
      'null',
      'true',
      '0',
      '-1e999',
      '"x"',
      '[]',
      '{}',
      '{',
      '}',
      '{"a":1}',
      '{"displayName":null,"userPrincipalName":null,"@odata.id":null}',
      '{"displayName":{"$gt":""}}',
      '{"__proto__":{"isAdmin":true}}',
      '{"constructor":{"prototype":{"polluted":true}}}',
      '\u0000',
      '\ufeff{}',
      `${'['.repeat(10_000)}${']'.repeat(10_000)}`,
      `{"displayName":${'{"a":'.repeat(2_000)}1${'}'.repeat(2_000)}}`,
      '{"displayName":"\\ud800"}',
      '{"@odata.id":"https://graph.microsoft.com/v1.0/directoryObjects/../../users"}',
    ];

    it.each(routes)('%s %s answers 400 in Graph shape to each of a batch of junk bodies', async (method, path) => {
      for (const raw of junk) {
        const result = await send({ method, path, raw });
        expectGraphError(result, 400, result.body?.error?.code);
        expect(['BadRequest', 'Request_BadRequest'], `${method} ${path} ${raw.slice(0, 40)}`).toContain(result.body.error.code);
      }
    });

    it('leaves Object.prototype alone', () => {
      expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });
  });

  it('changed nothing in the directory', async () => {
    expect(await directoryState()).toEqual(snapshot);
  });
});
