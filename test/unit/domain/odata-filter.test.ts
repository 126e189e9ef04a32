import { describe, it, expect } from 'vitest';
import {
  FilterSyntaxError,
  conjuncts,
  equalityOn,
  evaluateFilter,
  parseFilter,
  referencedPaths,
  type FilterNode,
  type Literal,
} from '../../../shared/domain/odata/filter.ts';

// --- AST builders, so the expectation tables stay readable -----------------

const str = (value: string): Literal => ({ kind: 'string', value });
const num = (value: number): Literal => ({ kind: 'number', value });
const bool = (value: boolean): Literal => ({ kind: 'boolean', value });
const dt = (value: string): Literal => ({ kind: 'datetime', value });
const guid = (value: string): Literal => ({ kind: 'guid', value });
const nul: Literal = { kind: 'null' };
const p = (path: string) => path.split('/');

type Op = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le';
const cmp = (path: string, op: Op, value: Literal): FilterNode => ({ type: 'compare', op, path: p(path), value });
const eq = (path: string, value: Literal) => cmp(path, 'eq', value);
const and = (left: FilterNode, right: FilterNode): FilterNode => ({ type: 'and', left, right });
const or = (left: FilterNode, right: FilterNode): FilterNode => ({ type: 'or', left, right });
const not = (operand: FilterNode): FilterNode => ({ type: 'not', operand });
const inList = (path: string, ...values: Literal[]): FilterNode => ({ type: 'in', path: p(path), values });
const any = (path: string, variable: string, predicate: FilterNode): FilterNode => ({
  type: 'lambda',
  quantifier: 'any',
  path: p(path),
  variable,
  predicate,
});
const all = (path: string, variable: string, predicate: FilterNode): FilterNode => ({
  type: 'lambda',
  quantifier: 'all',
  path: p(path),
  variable,
  predicate,
});
const fn = (name: 'startswith' | 'endswith' | 'contains', path: string, value: string): FilterNode => ({
  type: 'function',
  name,
  path: p(path),
  value: str(value),
});

const PRINCIPAL = '8d6d2f4e-2b1a-4c3d-9e8f-0a1b2c3d4e5f';
const ROLE = '62e90394-69f5-4237-9190-012177145e10';

function syntaxErrorOf(text: string, limits?: Parameters<typeof parseFilter>[1]): FilterSyntaxError {
  try {
    parseFilter(text, limits);
  } catch (error) {
    if (error instanceof FilterSyntaxError) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(text)} to be rejected`);
}

// --- Parsing -------------------------------------------------------------

describe('parseFilter: valid input', () => {
  it.each<[string, FilterNode]>([
    // Graph PIM forms
    [`principalId eq '${PRINCIPAL}' and roleDefinitionId eq '${ROLE}'`, and(eq('principalId', str(PRINCIPAL)), eq('roleDefinitionId', str(ROLE)))],
    ["status eq 'PendingApproval'", eq('status', str('PendingApproval'))],
    ["directoryScopeId eq '/'", eq('directoryScopeId', str('/'))],
    ["scopeId eq '/' and scopeType eq 'DirectoryRole'", and(eq('scopeId', str('/')), eq('scopeType', str('DirectoryRole')))],
    [
      'activityDateTime ge 2024-01-01T00:00:00Z and activityDateTime le 2024-02-01T00:00:00.000Z',
      and(cmp('activityDateTime', 'ge', dt('2024-01-01T00:00:00Z')), cmp('activityDateTime', 'le', dt('2024-02-01T00:00:00.000Z'))),
    ],
    ["targetResources/any(t: t/id eq 'abc')", any('targetResources', 't', eq('t/id', str('abc')))],
    ["initiatedBy/user/id eq 'x'", eq('initiatedBy/user/id', str('x'))],
    ["displayName eq 'O''Brien'", eq('displayName', str("O'Brien"))],
    ["id in ('a','b')", inList('id', str('a'), str('b'))],
    ['not (a eq 1)', not(eq('a', num(1)))],
    ['a eq 1 or b eq 2 and c eq 3', or(eq('a', num(1)), and(eq('b', num(2)), eq('c', num(3))))],
    // precedence and grouping
    ['(a eq 1 or b eq 2) and c eq 3', and(or(eq('a', num(1)), eq('b', num(2))), eq('c', num(3)))],
    ['a eq 1 and b eq 2 and c eq 3', and(and(eq('a', num(1)), eq('b', num(2))), eq('c', num(3)))],
    ['a eq 1 or b eq 2 or c eq 3', or(or(eq('a', num(1)), eq('b', num(2))), eq('c', num(3)))],
    ['not a eq 1 and b eq 2', and(not(eq('a', num(1))), eq('b', num(2)))],
    ['not not a eq 1', not(not(eq('a', num(1))))],
    ['((a eq 1))', eq('a', num(1))],
    // operators
    ['a ne 1', cmp('a', 'ne', num(1))],
    ['a gt 1', cmp('a', 'gt', num(1))],
    ['a ge 1', cmp('a', 'ge', num(1))],
    ['a lt 1', cmp('a', 'lt', num(1))],
    ['a le 1', cmp('a', 'le', num(1))],
    // literals
    ["a eq ''", eq('a', str(''))],
    ["a eq ''''", eq('a', str("'"))],
    ["a eq 'x and y eq 1'", eq('a', str('x and y eq 1'))],
    ['a eq -42', eq('a', num(-42))],
    ['a eq 3.25', eq('a', num(3.25))],
    ['a eq 1e3', eq('a', num(1000))],
    ['a eq true', eq('a', bool(true))],
    ['a eq FALSE', eq('a', bool(false))],
    ['a eq null', eq('a', nul)],
    ['a ne Null', cmp('a', 'ne', nul)],
    ['a lt 2024-06-30T23:59:59.1234567+05:30', cmp('a', 'lt', dt('2024-06-30T23:59:59.1234567+05:30'))],
    ['a eq 2024-02-29T12:00Z', eq('a', dt('2024-02-29T12:00Z'))],
    [`principalId eq ${PRINCIPAL}`, eq('principalId', guid(PRINCIPAL))],
    [`principalId eq ${PRINCIPAL.toUpperCase()}`, eq('principalId', guid(PRINCIPAL))],
    ['id eq deadbeef-0000-0000-0000-000000000000', eq('id', guid('deadbeef-0000-0000-0000-000000000000'))],
    ['id in (1, true, null, 2024-01-01T00:00:00Z)', inList('id', num(1), bool(true), nul, dt('2024-01-01T00:00:00Z'))],
    ["id in ('only')", inList('id', str('only'))],
    // lambdas
    ["targetResources/all(r: r/type eq 'User')", all('targetResources', 'r', eq('r/type', str('User')))],
    ["tags/any(tag: tag eq 'x')", any('tags', 'tag', eq('tag', str('x')))],
    ["a/b/any(x: x/c eq 1 and x/d/e ne 'f')", any('a/b', 'x', and(eq('x/c', num(1)), cmp('x/d/e', 'ne', str('f'))))],
    ['a/any(x: x/b/any(y: y/c eq 1 and x/d eq 2))', any('a', 'x', any('x/b', 'y', and(eq('y/c', num(1)), eq('x/d', num(2)))))],
    ['a/any(x: not (x eq 1))', any('a', 'x', not(eq('x', num(1))))],
    ["a/ANY(t:startswith(t/name,'ab'))", any('a', 't', fn('startswith', 't/name', 'ab'))],
    // functions
    ["startswith(displayName, 'Glob')", fn('startswith', 'displayName', 'Glob')],
    ["endswith(mail,'@contoso.com')", fn('endswith', 'mail', '@contoso.com')],
    ["contains(principal/displayName, 'adm')", fn('contains', 'principal/displayName', 'adm')],
    ["not contains(a, 'x') or a eq null", or(not(fn('contains', 'a', 'x')), eq('a', nul))],
    // words that are keywords elsewhere are fine as property names
    ["contains eq 'x'", eq('contains', str('x'))],
    ['any/all eq 1', eq('any/all', num(1))],
    ['a/null eq 1', eq('a/null', num(1))],
    // case-insensitive keywords, flexible whitespace
    ["status EQ 'x' And id Ne 'y' OR NOT (n GT 1)", or(and(eq('status', str('x')), cmp('id', 'ne', str('y'))), not(cmp('n', 'gt', num(1))))],
    ["  a\teq\n'x'  ", eq('a', str('x'))],
    ["a eq'x'and(b eq 1)", and(eq('a', str('x')), eq('b', num(1)))],
    ["id in('a' ,  'b')", inList('id', str('a'), str('b'))],
    ["STARTSWITH( a , 'x' )", fn('startswith', 'a', 'x')],
    ["targetResources/any( t :t/id eq 'abc' )", any('targetResources', 't', eq('t/id', str('abc')))],
  ])('%s', (text, expected) => {
    expect(parseFilter(text)).toEqual(expected);
  });
});

describe('parseFilter: invalid input', () => {
  it.each<[string, number, string]>([
    ['', 0, 'expected a condition'],
    ['   ', 3, 'found the end of the filter'],
    ['a eq', 4, "expected a value after 'eq'"],
    ['a', 1, 'expected an operator'],
    ["a xx 'b'", 2, "expected an operator (eq, ne, gt, ge, lt, le or in) after 'a', found 'xx'"],
    ['status eq PendingApproval', 10, 'single quotes'],
    ['a eq b', 5, 'comparing two properties is not supported'],
    // What every object inherits is no property (was: parsed, and read as null)
    ["constructor eq 'x'", 0, "there is no property named 'constructor'"],
    ['__proto__ eq null', 0, "there is no property named '__proto__'"],
    ['a/valueOf eq 1', 2, "there is no property named 'valueOf'"],
    ["startswith(toString, 'x')", 11, "there is no property named 'toString'"],
    ["tags/any(t: t/hasOwnProperty eq 'x')", 14, "there is no property named 'hasOwnProperty'"],
    ["'x' eq id", 0, 'put the property first'],
    ['1 eq a', 0, 'put the property first'],
    ['null eq a', 0, 'put the property first'],
    ["a eq 'abc", 5, 'no closing quote'],
    ["a eq 'O'Brien'", 13, 'no closing quote'], // the stray third quote opens a new string
    ['a eq "x"', 5, 'single quotes'],
    ['a eq 1 and', 10, 'expected a condition'],
    ['a eq 1 and and b eq 1', 11, "found 'and'"],
    ['and a eq 1', 0, "found 'and'"],
    ['a eq 1 b eq 2', 7, "expected 'and', 'or'"],
    ['(a eq 1', 7, "expected ')' to close the '(' at position 0"],
    ['a eq 1)', 6, "')' without a matching '('"],
    ['()', 1, 'expected a condition'],
    ['a eq 1abc', 5, "'1abc' is not a valid value"],
    ['a eq 1.', 5, 'not a valid value'],
    ['a eq 1-2', 5, 'not a valid value'],
    ['a eq 99999999999999999999', 5, 'too large'],
    ['a eq 1e999', 5, 'too large'],
    ['a eq -x', 5, "unexpected character '-'"],
    ['a eq 2024-01-01', 5, 'time zone is required'],
    ['a eq 2024-01-01T00:00:00', 5, 'time zone is required'],
    ['a eq 2024-02-30T00:00:00Z', 5, 'not a valid date-time'],
    ['a eq 2024-13-01T00:00:00Z', 5, 'not a valid date-time'],
    ['a eq 2024-01-01T24:00:00Z', 5, 'not a valid date-time'],
    ['a eq 2024-01-01T00:00:00Zx', 5, 'not a valid value'],
    ['a eq 8d6d2f4e-2b1a-4c3d-9e8f-0a1b2c3d4e5', 5, 'not a valid'],
    ['a eq 8d6d2f4e-2b1a-4c3d-9e8f-0a1b2c3d4e5fz', 5, 'not a valid value'],
    ['a = 1', 2, "unexpected character '='"],
    ['a eq 1 && b eq 2', 7, "unexpected character '&'"],
    ['a / b eq 1', 2, 'expected an operator'],
    ['a/ b eq 1', 3, "expected a property name right after '/'"],
    ['a/ eq 1', 3, "right after '/'"],
    ['a/(b) eq 1', 2, "right after '/'"],
    ['/a eq 1', 0, 'expected a condition'],
    ['id in', 5, "expected '(' after 'in'"],
    ['id in ()', 7, "expected a value after '('"],
    ["id in ('a',)", 11, "expected a value after ','"],
    ["id in ('a' 'b')", 11, "expected ',' or ')'"],
    ["id in ('a', b)", 12, 'single quotes'],
    ['a/any()', 6, 'expected a range variable name'],
    ["a/any(t t/id eq 'x')", 8, "expected ':' after the range variable 't'"],
    ["a/any(t: id eq 'x')", 9, 'must start with the range variable, e.g. t/id'],
    ["a/any(t: t/id eq 'x'", 20, "expected ')' to close the 'any(' at position 5"],
    ["a/any(not: not/id eq 'x')", 6, 'expected a range variable name'],
    ["startswith('x', a)", 11, 'expected a property name as the first argument of startswith'],
    ["startswith(a 'x')", 13, "expected ',' after the first argument"],
    ['startswith(a, 1)', 14, 'must be quoted text'],
    ["startswith(a, 'x'", 17, "expected ')' to close startswith("],
    ["contains(a/any(t: t eq 'x'), 'y')", 9, 'cannot be applied to an any/all expression'],
    ['not', 3, 'expected a condition'],
    ['a eq 1 or not', 13, 'expected a condition'],
  ])('%j is rejected at position %i', (text, position, fragment) => {
    const error = syntaxErrorOf(text);
    expect(error.position).toBe(position);
    expect(error.message).toContain(fragment);
    expect(error.message).toMatch(new RegExp(`^Syntax error at position ${position} in \\$filter: `));
    expect(error.name).toBe('FilterSyntaxError');
    expect(error).toBeInstanceOf(Error);
  });

  it('reads like the documented example', () => {
    expect(syntaxErrorOf("status eq 'x' and id eq").message).toBe(
      "Syntax error at position 23 in $filter: expected a value after 'eq', found the end of the filter",
    );
  });

  it('treats a range variable name after its lambda as an ordinary property', () => {
    // `t` is only bound inside the any(); afterwards it is an ordinary property.
    expect(parseFilter('a/any(t: t/b eq 1) and t/x eq 1')).toEqual(and(any('a', 't', eq('t/b', num(1))), eq('t/x', num(1))));
  });

  it('rejects non-string input with a FilterSyntaxError', () => {
    expect(() => parseFilter(undefined as unknown as string)).toThrow(FilterSyntaxError);
  });
});

// --- Limits --------------------------------------------------------------

/** `count` comparisons joined by `or`: 2·count − 1 nodes, no nesting. */
const orChain = (count: number) => Array.from({ length: count }, (_, i) => `a eq ${i}`).join(' or ');

describe('parseFilter: limits', () => {
  it('accepts exactly 2000 characters and rejects 2001 at position 2000', () => {
    const prefix = "a eq '";
    const text = `${prefix}${'x'.repeat(2000 - prefix.length - 1)}'`;
    expect(text).toHaveLength(2000);
    expect(() => parseFilter(text)).not.toThrow();
    const error = syntaxErrorOf(`${text} `);
    expect(error.position).toBe(2000);
    expect(error.message).toContain('2001 characters long; at most 2000 are allowed');
  });

  it('honours a custom maxLength', () => {
    expect(syntaxErrorOf('a eq 1', { maxLength: 5 }).position).toBe(5);
    expect(() => parseFilter('a'.repeat(3000) + ' eq 1', { maxLength: 5000 })).not.toThrow();
  });

  it('allows 32 levels of nesting by default and rejects the 33rd', () => {
    const nested = (levels: number) => `${'('.repeat(levels)}a eq 1${')'.repeat(levels)}`;
    expect(parseFilter(nested(32))).toEqual(eq('a', num(1)));
    const error = syntaxErrorOf(nested(33));
    expect(error.position).toBe(32);
    expect(error.message).toContain('nested too deeply: at most 32 levels');
  });

  it('counts not and any/all as nesting levels', () => {
    expect(() => parseFilter(`${'not '.repeat(32)}a eq 1`)).not.toThrow();
    expect(syntaxErrorOf(`${'not '.repeat(33)}a eq 1`).position).toBe(128);
    const lambdas = (levels: number) =>
      `x0/any(x1: ${Array.from({ length: levels - 1 }, (_, i) => `x${i + 1}/any(x${i + 2}: `).join('')}x${levels} eq 1${')'.repeat(levels)}`;
    expect(() => parseFilter(lambdas(32))).not.toThrow();
    expect(syntaxErrorOf(lambdas(33)).message).toContain('nested too deeply');
  });

  it('does not count long and/or chains as nesting', () => {
    expect(() => parseFilter(orChain(100))).not.toThrow();
  });

  it('honours a custom maxDepth', () => {
    expect(syntaxErrorOf('((a eq 1))', { maxDepth: 1 }).position).toBe(1);
    expect(() => parseFilter('((a eq 1))', { maxDepth: 2 })).not.toThrow();
  });

  it('allows 200 nodes by default and rejects 201', () => {
    expect(() => parseFilter(orChain(100))).not.toThrow(); // 199 nodes
    expect(() => parseFilter(`not (${orChain(100)})`)).not.toThrow(); // 200 nodes
    const error = syntaxErrorOf(orChain(101)); // 201 nodes
    expect(error.message).toContain('too complex: at most 200 conditions and operators');
  });

  it('honours a custom maxNodes', () => {
    expect(() => parseFilter('a eq 1 and b eq 2', { maxNodes: 3 })).not.toThrow();
    const error = syntaxErrorOf('a eq 1 and b eq 2', { maxNodes: 2 });
    expect(error.position).toBe(7);
  });

  it('stays within the stack even when the caller lifts every limit', () => {
    const huge = { maxLength: 10_000_000, maxDepth: Number.MAX_SAFE_INTEGER, maxNodes: Number.MAX_SAFE_INTEGER };
    for (const text of ['('.repeat(500_000), 'not '.repeat(200_000) + 'a eq 1', 't/any(t: '.repeat(100_000)]) {
      expect(syntaxErrorOf(text, huge).message).toContain('nested too deeply');
    }
    const longChain = orChain(50_000);
    const parsed = parseFilter(longChain, huge);
    expect(conjuncts(parsed)).toHaveLength(1);
    expect(evaluateFilter(parsed, { a: 49_999 })).toBe(true);
    expect(referencedPaths(parsed)).toEqual(['a']);
  });
});

// --- Evaluation ----------------------------------------------------------

const request = {
  id: 'req-1',
  status: 'PendingApproval',
  principalId: PRINCIPAL,
  roleDefinitionId: ROLE,
  directoryScopeId: '/',
  createdDateTime: '2024-01-15T10:30:00.000Z',
  localTime: '2024-01-15T10:30:00',
  duration: 8,
  ratio: 0.5,
  isValidationOnly: false,
  justification: null,
  displayName: "O'Brien",
  initiatedBy: { user: { id: 'u1', displayName: 'Admin One' } },
  principal: { id: PRINCIPAL.toUpperCase() },
  tags: ['urgent', 'prod'],
  targetResources: [
    { id: 'abc', type: 'User', modifiedProperties: [{ name: 'Role', newValue: 'Owner' }] },
    { id: 'def', type: 'Group', modifiedProperties: [] },
  ],
  emptyList: [],
  notAList: { id: 'abc' },
};

describe('evaluateFilter', () => {
  it.each<[string, boolean]>([
    // Graph PIM forms
    [`principalId eq '${PRINCIPAL}' and roleDefinitionId eq '${ROLE}'`, true],
    ["status eq 'PendingApproval'", true],
    ["directoryScopeId eq '/'", true],
    ["directoryScopeId eq '/' and status eq 'Provisioned'", false],
    ['createdDateTime ge 2024-01-01T00:00:00Z and createdDateTime le 2024-02-01T00:00:00.000Z', true],
    ["targetResources/any(t: t/id eq 'abc')", true],
    ["targetResources/any(t: t/id eq 'zzz')", false],
    ["initiatedBy/user/id eq 'u1'", true],
    ["displayName eq 'O''Brien'", true],
    ["id in ('a','req-1')", true],
    ["id in ('a','b')", false],
    // strings are exact and case-sensitive
    ["status eq 'pendingapproval'", false],
    ["status ne 'pendingapproval'", true],
    ["status gt 'Pending'", true],
    ["status lt 'Z'", true],
    ["status lt 'a'", true], // 'P' (0x50) sorts before 'a' (0x61)
    // missing properties read as null
    ['missing eq null', true],
    ["missing ne 'x'", true],
    ["missing eq 'x'", false],
    ['missing gt 1', false],
    ['missing le 1', false],
    ['justification eq null', true],
    ['justification ne null', false],
    ['status ne null', true],
    ['initiatedBy/user/missing eq null', true],
    ['initiatedBy/user/id/deeper eq null', true],
    ['tags/id eq null', true],
    // numbers and booleans
    ['duration eq 8', true],
    ['duration gt 7.5 and duration lt 8.5', true],
    ['duration ge 8 and duration le 8', true],
    ['ratio eq 0.5', true],
    ["duration eq '8'", false],
    ["duration ne '8'", true],
    ["duration gt '1'", false],
    ['isValidationOnly eq false', true],
    ['isValidationOnly ne true', true],
    ['isValidationOnly gt true', false],
    ['isValidationOnly eq null', false],
    ['status gt null', false],
    // date-times compare by instant
    ['createdDateTime eq 2024-01-15T10:30:00Z', true],
    ['createdDateTime eq 2024-01-15T11:30:00+01:00', true],
    ['createdDateTime gt 2024-01-15T10:29:59.999Z', true],
    ['createdDateTime lt 2024-01-15T10:30:00.001Z', true],
    ['localTime eq 2024-01-15T10:30:00Z', true], // no zone on the item: read as UTC
    ['status gt 2024-01-01T00:00:00Z', true], // not a date: compared as text ('P' > '2')
    ['duration gt 2024-01-01T00:00:00Z', false],
    // GUIDs compare case-insensitively
    [`principal/id eq ${PRINCIPAL}`, true],
    [`principalId eq ${PRINCIPAL.toUpperCase()}`, true],
    [`principal/id eq '${PRINCIPAL}'`, false], // a quoted string stays exact
    // in
    ['duration in (1, 8)', true],
    ["duration in ('8')", false],
    ['missing in (null)', true],
    [`principalId in (${ROLE}, ${PRINCIPAL})`, true],
    // logic
    ["not (status eq 'PendingApproval')", false],
    ["not status eq 'x'", true],
    ["status eq 'x' or duration eq 8 and id eq 'req-1'", true],
    ["(status eq 'x' or duration eq 8) and id eq 'nope'", false],
    ["status eq 'x' or duration eq 9 or id eq 'req-1'", true],
    // lambdas
    ["targetResources/all(t: t/type eq 'User')", false],
    ["targetResources/all(t: t/type in ('User', 'Group'))", true],
    ["targetResources/any(t: t/type eq 'Group' and t/id eq 'def')", true],
    ["targetResources/any(t: t/type eq 'Group' and t/id eq 'abc')", false],
    ["tags/any(t: t eq 'prod')", true],
    ["tags/all(t: t ne 'dev')", true],
    ["tags/any(t: startswith(t, 'urg'))", true],
    ['emptyList/any(x: x eq 1)', false],
    ['emptyList/all(x: x eq 1)', true],
    ['missing/any(x: x eq 1)', false],
    ['missing/all(x: x eq 1)', true],
    ["notAList/any(x: x/id eq 'abc')", false],
    ["targetResources/any(t: t/modifiedProperties/any(m: m/name eq 'Role' and t/type eq 'User'))", true],
    ["targetResources/any(t: t/modifiedProperties/any(m: m/name eq 'Role' and t/type eq 'Group'))", false],
    ["targetResources/any(t: t/modifiedProperties/all(m: m/newValue eq 'Owner'))", true],
    ['targetResources/any(t: t/missing eq null)', true],
    ['targetResources/any(t: t/t eq null)', true],
    // functions are exact
    ["startswith(status, 'Pending')", true],
    ["startswith(status, 'pending')", false],
    ["endswith(status, 'Approval')", true],
    ["contains(initiatedBy/user/displayName, 'min O')", true],
    ["contains(initiatedBy/user/displayName, 'MIN')", false],
    ["contains(status, '')", true],
    ["startswith(duration, '8')", false],
    ["startswith(missing, '')", false],
    ["not startswith(missing, 'x')", true],
  ])('%s -> %s', (text, expected) => {
    expect(evaluateFilter(parseFilter(text), request)).toBe(expected);
  });

  it('treats anything that is not an object as having no properties', () => {
    const filter = parseFilter('a eq null and not (a/b ne null)');
    for (const item of [null, undefined, 42, 'text', [], [{ a: 1 }], true]) {
      expect(evaluateFilter(filter, item)).toBe(true);
    }
  });

  it('never reads what an item inherits (hand-built AST: the parser refuses these names)', () => {
    for (const name of ['constructor', '__proto__', 'toString', 'valueOf']) expect(evaluateFilter(eq(name, nul), request)).toBe(true);
  });

  it('reads paths in a lambda without the variable prefix from the element (hand-built AST)', () => {
    const node = any('targetResources', 't', eq('id', str('def')));
    expect(evaluateFilter(node, request)).toBe(true);
  });

  it('lets an inner range variable shadow an outer one of the same name', () => {
    const item = { a: [{ id: 1, b: [{ id: 2 }] }] };
    expect(evaluateFilter(parseFilter('a/any(x: x/b/any(x: x/id eq 2))'), item)).toBe(true);
    expect(evaluateFilter(parseFilter('a/any(x: x/b/any(x: x/id eq 1))'), item)).toBe(false);
  });

  it('evaluates a very deep hand-built and-chain without recursion trouble', () => {
    let node: FilterNode = eq('a', num(1));
    for (let i = 0; i < 100_000; i++) node = and(node, eq('a', num(1)));
    expect(evaluateFilter(node, { a: 1 })).toBe(true);
    expect(evaluateFilter(node, { a: 2 })).toBe(false);
    expect(conjuncts(node)).toHaveLength(100_001);
    expect(referencedPaths(node)).toEqual(['a']);
  });
});

// --- AST queries ---------------------------------------------------------

describe('conjuncts', () => {
  it.each<[string, FilterNode[]]>([
    ['a eq 1', [eq('a', num(1))]],
    ['a eq 1 and b eq 2 and c eq 3', [eq('a', num(1)), eq('b', num(2)), eq('c', num(3))]],
    ['a eq 1 and (b eq 2 and c eq 3)', [eq('a', num(1)), eq('b', num(2)), eq('c', num(3))]],
    ['(a eq 1 and b eq 2) and (c eq 3 and d eq 4)', [eq('a', num(1)), eq('b', num(2)), eq('c', num(3)), eq('d', num(4))]],
    ['a eq 1 or b eq 2', [or(eq('a', num(1)), eq('b', num(2)))]],
    ['a eq 1 and (b eq 2 or c eq 3)', [eq('a', num(1)), or(eq('b', num(2)), eq('c', num(3)))]],
    ['not (a eq 1 and b eq 2)', [not(and(eq('a', num(1)), eq('b', num(2))))]],
  ])('%s', (text, expected) => {
    expect(conjuncts(parseFilter(text))).toEqual(expected);
  });
});

describe('equalityOn', () => {
  const graphFilter = parseFilter(`principalId eq '${PRINCIPAL}' and roleDefinitionId eq ${ROLE} and status ne 'Revoked'`);

  it.each<[string, string, string | number | boolean | null | undefined]>([
    [`principalId eq '${PRINCIPAL}' and roleDefinitionId eq '${ROLE}'`, 'roleDefinitionId', ROLE],
    ["status eq 'PendingApproval'", 'status', 'PendingApproval'],
    ["initiatedBy/user/id eq 'x' and a eq 1", 'initiatedBy/user/id', 'x'],
    ['a eq 1 and b eq 2', 'b', 2],
    ['a eq true', 'a', true],
    ['a eq null', 'a', null],
    ['a eq 2024-01-01T00:00:00Z', 'a', '2024-01-01T00:00:00Z'],
    ["a eq 'x' and a eq 'y'", 'a', 'x'],
    ["a ne 'x'", 'a', undefined],
    ["a eq 'x' or b eq 'y'", 'a', undefined],
    ["not (a eq 'x')", 'a', undefined],
    ["a in ('x')", 'a', undefined],
    ["t/any(t: t/id eq 'x')", 't/id', undefined],
    ["initiatedBy/user/id eq 'x'", 'initiatedBy', undefined],
    ["b eq 'x'", 'a', undefined],
  ])('%s on %s', (text, path, expected) => {
    expect(equalityOn(parseFilter(text), path)).toBe(expected);
  });

  it('returns GUIDs in their canonical lower case', () => {
    expect(equalityOn(graphFilter, 'principalId')).toBe(PRINCIPAL);
    expect(equalityOn(parseFilter(`principalId eq ${PRINCIPAL.toUpperCase()}`), 'principalId')).toBe(PRINCIPAL);
  });
});

describe('referencedPaths', () => {
  it.each<[string, string[]]>([
    ["status eq 'x'", ['status']],
    ['a eq 1 and (b/c eq 2 or not a eq 3) and d in (1)', ['a', 'b/c', 'd']],
    ["targetResources/any(t: t/id eq 'abc')", ['targetResources/any/id']],
    ["targetResources/all(t: t/type eq 'User' or t/id eq 'x')", ['targetResources/all/type', 'targetResources/all/id']],
    ["tags/any(t: t eq 'x')", ['tags/any']],
    ['x/y/any(t: t/a/b eq 1)', ['x/y/any/a/b']],
    ['a/any(x: x/b/any(y: y/c eq 1 and x/d eq 2))', ['a/any/b/any/c', 'a/any/d']],
    ["startswith(displayName, 'a') and contains(mail, 'b')", ['displayName', 'mail']],
    ["initiatedBy/user/id eq 'x' and targetResources/any(t: endswith(t/displayName, 'y'))", ['initiatedBy/user/id', 'targetResources/any/displayName']],
  ])('%s', (text, expected) => {
    expect(referencedPaths(parseFilter(text))).toEqual(expected);
  });
});

// --- Robustness ----------------------------------------------------------

/** mulberry32: tiny, deterministic, good enough to spread fuzz cases. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(random: () => number, items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;

const FUZZ_TOKENS = [
  'a',
  'b/c',
  'id',
  't',
  't/id',
  'x/any',
  'tags',
  'targetResources',
  'status',
  'eq',
  'ne',
  'gt',
  'ge',
  'lt',
  'le',
  'EQ',
  'in',
  'and',
  'or',
  'not',
  'And',
  'NOT',
  'any',
  'all',
  'any(',
  'all(',
  '/any(t:',
  '/all(x:',
  'startswith',
  'endswith',
  'contains',
  'startswith(',
  '(',
  ')',
  ',',
  ':',
  '/',
  "'",
  "''",
  "'x'",
  "'O''Brien'",
  "'a b'",
  "'",
  '1',
  '-2',
  '3.5',
  '1e3',
  '1e999',
  '99999999999999999999',
  '1.',
  '-',
  'true',
  'false',
  'null',
  'NULL',
  '2024-01-01T00:00:00Z',
  '2024-01-01T00:00:00.123+05:30',
  '2024-01-01',
  '2024-02-30T00:00:00Z',
  '2024-01-01T00:00',
  PRINCIPAL,
  PRINCIPAL.toUpperCase(),
  '8d6d2f4e-',
  'deadbeef',
  '"',
  '$',
  '&',
  '=',
  '\\',
  '\u00e9',
  '\u{1F600}',
  '\t',
  '\n',
  '',
];

// Well-formed fragments, so that some token sequences parse and the fuzzer
// exercises the success paths (and evaluation) as well as the error paths.
const FUZZ_CONDITIONS = [
  'a eq 1',
  "status ne 'x'",
  "id in ('a', 2, null)",
  "startswith(a, 'x')",
  "tags/any(t: t eq 'x')",
  "targetResources/all(t: t/id gt 'b')",
  'b/c le 2024-01-01T00:00:00Z',
  `id eq ${PRINCIPAL}`,
  'not',
  '(',
  'not (',
];
const FUZZ_CONNECTORS = ['and', 'or', 'AND', ')', 'or not', 'and ('];

function fuzzText(random: () => number): string {
  const parts: string[] = [];
  let wantCondition = true;
  for (let length = 1 + Math.floor(random() * 12); length > 0; length--) {
    if (random() < 0.75) {
      parts.push(pick(random, wantCondition ? FUZZ_CONDITIONS : FUZZ_CONNECTORS));
      wantCondition = !wantCondition;
    } else {
      parts.push(pick(random, FUZZ_TOKENS));
    }
  }
  return parts.map((part) => part + (random() < 0.8 ? ' ' : '')).join('');
}

const FUZZ_ITEMS: unknown[] = [request, {}, null, { a: 1, b: { c: [1, 2] }, tags: ['x'], t: { id: 'x' } }, []];

function expectSyntaxErrorOrNode(text: string): FilterNode | undefined {
  let node: FilterNode;
  try {
    node = parseFilter(text);
  } catch (error) {
    expect(error).toBeInstanceOf(FilterSyntaxError);
    const { position, message } = error as FilterSyntaxError;
    expect(Number.isInteger(position) && position >= 0 && position <= text.length).toBe(true);
    expect(message.startsWith(`Syntax error at position ${position} in $filter: `)).toBe(true);
    return undefined;
  }
  for (const item of FUZZ_ITEMS) expect(typeof evaluateFilter(node, item)).toBe('boolean');
  expect(Array.isArray(referencedPaths(node))).toBe(true);
  expect(conjuncts(node).length).toBeGreaterThan(0);
  return node;
}

/** Writes an AST back as filter text, fully parenthesised. */
function format(node: FilterNode): string {
  const path = (segments: string[]) => segments.join('/');
  switch (node.type) {
    case 'and':
    case 'or':
      return `(${format(node.left)}) ${node.type} (${format(node.right)})`;
    case 'not':
      return `not (${format(node.operand)})`;
    case 'compare':
      return `${path(node.path)} ${node.op} ${formatLiteral(node.value)}`;
    case 'in':
      return `${path(node.path)} in (${node.values.map(formatLiteral).join(', ')})`;
    case 'function':
      return `${node.name}(${path(node.path)}, ${formatLiteral(node.value)})`;
    case 'lambda':
      return `${path(node.path)}/${node.quantifier}(${node.variable}: ${format(node.predicate)})`;
  }
}

function formatLiteral(literal: Literal): string {
  switch (literal.kind) {
    case 'string':
      return `'${literal.value.replaceAll("'", "''")}'`;
    case 'null':
      return 'null';
    default:
      return String(literal.value);
  }
}

/** A random AST whose paths respect lambda scoping, so that it must parse back. */
function randomNode(random: () => number, depth: number, variables: string[]): FilterNode {
  const path = (): string[] => {
    const rest = Array.from({ length: Math.floor(random() * 3) }, () => pick(random, ['id', 'status', 'b', 'type']));
    if (variables.length === 0) return [pick(random, ['a', 'id', 'principal', 'status']), ...rest];
    return [pick(random, variables), ...rest];
  };
  const literal = (): Literal =>
    pick(random, [
      str(pick(random, ['', 'x', "O'Brien", "''", 'a and b', '/'])),
      num(pick(random, [0, -1, 42, 3.5, -0.25])),
      bool(random() < 0.5),
      nul,
      dt(pick(random, ['2024-01-01T00:00:00Z', '2024-06-30T23:59:59.999+02:00'])),
      guid(PRINCIPAL),
    ]);
  const roll = depth <= 0 ? random() * 0.5 : random();
  if (roll < 0.2) return cmp(path().join('/'), pick(random, ['eq', 'ne', 'gt', 'ge', 'lt', 'le'] as const), literal());
  if (roll < 0.3) return inList(path().join('/'), literal(), literal());
  if (roll < 0.4) return { type: 'function', name: pick(random, ['startswith', 'endswith', 'contains'] as const), path: path(), value: str('q') };
  if (roll < 0.5) return { type: 'compare', op: 'eq', path: path(), value: literal() };
  if (roll < 0.65) return and(randomNode(random, depth - 1, variables), randomNode(random, depth - 1, variables));
  if (roll < 0.8) return or(randomNode(random, depth - 1, variables), randomNode(random, depth - 1, variables));
  if (roll < 0.9) return not(randomNode(random, depth - 1, variables));
  const variable = pick(random, ['t', 'x', 'r']);
  return {
    type: 'lambda',
    quantifier: random() < 0.5 ? 'any' : 'all',
    path: [...path(), 'items'],
    variable,
    predicate: randomNode(random, depth - 1, [...variables, variable]),
  };
}

describe('robustness', () => {
  it('throws only FilterSyntaxError for thousands of random token sequences', () => {
    const random = prng(0x5717);
    let parsed = 0;
    for (let i = 0; i < 4000; i++) {
      if (expectSyntaxErrorOrNode(fuzzText(random))) parsed++;
    }
    // Guards the fuzzer itself: it must reach the success paths too.
    expect(parsed).toBeGreaterThan(100);
  });

  it('throws only FilterSyntaxError for random mutations of valid filters', () => {
    const random = prng(42);
    const seeds = [
      `principalId eq '${PRINCIPAL}' and roleDefinitionId eq ${ROLE}`,
      "targetResources/any(t: t/id eq 'abc' and startswith(t/type, 'U'))",
      'activityDateTime ge 2024-01-01T00:00:00Z and not (a in (1, 2.5, null))',
    ];
    const alphabet = "()',:/ -.aeqnotZT0123456789'\"";
    for (let i = 0; i < 3000; i++) {
      const chars = [...pick(random, seeds)];
      for (let edits = 1 + Math.floor(random() * 4); edits > 0; edits--) {
        const at = Math.floor(random() * (chars.length + 1));
        const action = random();
        if (action < 0.4) chars.splice(at, 1);
        else if (action < 0.8) chars.splice(at, 0, pick(random, [...alphabet]));
        else chars.splice(at, 1, pick(random, [...alphabet]));
      }
      expectSyntaxErrorOrNode(chars.join(''));
    }
  });

  it('parses back every randomly generated AST it formats', () => {
    const random = prng(2024);
    for (let i = 0; i < 1500; i++) {
      const node = randomNode(random, 4, []);
      expect(parseFilter(format(node), { maxNodes: 10_000, maxDepth: 100 })).toEqual(node);
    }
  });

  it('is deterministic', () => {
    const text = "a eq 1 and targetResources/any(t: t/id in ('x', 'y'))";
    expect(parseFilter(text)).toEqual(parseFilter(text));
  });
});
