/**
 * Tokenizer for the OData v4 `$filter` subset understood by `./filter.ts`.
 *
 * Kept separate from the parser so that the character-level rules (what a
 * GUID, a date-time or a quoted string looks like) can be read on their own.
 * Keywords are not recognised here: `eq`, `and`, `true`, `any`… are all plain
 * `word` tokens, and the parser decides from context what they mean. That is
 * what lets a property be called `contains` or `any` without a special case.
 */
import type { Literal } from './filter.ts';

/**
 * The only exception `parseFilter` throws. `position` is a 0-based offset into
 * the `$filter` text (the text's length when the problem is a premature end),
 * matching how the Microsoft OData libraries report positions.
 */
export class FilterSyntaxError extends Error {
  readonly position: number;

  constructor(position: number, detail: string) {
    super(`Syntax error at position ${position} in $filter: ${detail}`);
    this.name = 'FilterSyntaxError';
    this.position = position;
  }
}

export type Punctuation = '(' | ')' | ',' | ':' | '/';

interface Span {
  /** Source text of the token, used verbatim in error messages. */
  raw: string;
  start: number;
  end: number;
}

export type Token =
  (Span & { kind: 'word' }) | (Span & { kind: 'literal'; literal: Literal }) | (Span & { kind: 'punct'; raw: Punctuation }) | (Span & { kind: 'end' });

const PUNCTUATION = new Set<string>(['(', ')', ',', ':', '/']);
const WORD = /[A-Za-z_][A-Za-z0-9_]*/y;
const NUMBER = /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const GUID = /[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}/y;
const DATE_PREFIX = /\d{4}-\d{2}-\d{2}/y;
// The offset is mandatory (as in the OData ABNF): an offset-less time would be
// read in the server's local zone, and the same filter must mean the same
// instant everywhere.
const DATETIME = /(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,12})?)?(?:Z|[+-](\d{2}):(\d{2}))/y;
// Characters that may not directly follow a number, GUID or date-time.
const CONTINUATION = /[A-Za-z0-9_.\-:+]/;
const WHITESPACE = /\s/;
const MAX_SHOWN = 30;

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let pos = skipWhitespace(text, 0);
  while (pos < text.length) {
    const token = readToken(text, pos);
    tokens.push(token);
    pos = skipWhitespace(text, token.end);
  }
  tokens.push({ kind: 'end', raw: '', start: text.length, end: text.length });
  return tokens;
}

/** How a token is named in an error message, e.g. `'eq'` or `the end of the filter`. */
export function describeToken(token: Token): string {
  if (token.kind === 'end') return 'the end of the filter';
  // A quoted string's source already carries its quotes.
  if (token.kind === 'literal' && token.literal.kind === 'string') return shorten(token.raw);
  return `'${shorten(token.raw)}'`;
}

export function shorten(text: string): string {
  return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}…` : text;
}

function skipWhitespace(text: string, pos: number): number {
  let at = pos;
  while (at < text.length && WHITESPACE.test(text.charAt(at))) at++;
  return at;
}

function readToken(text: string, pos: number): Token {
  const ch = text.charAt(pos);
  if (PUNCTUATION.has(ch)) {
    return { kind: 'punct', raw: ch as Punctuation, start: pos, end: pos + 1 };
  }
  if (ch === "'") return readString(text, pos);
  const value = readUnquotedValue(text, pos);
  if (value) return value;
  const word = matchAt(WORD, text, pos);
  if (word !== undefined) return { kind: 'word', raw: word, start: pos, end: pos + word.length };
  throw new FilterSyntaxError(pos, unexpectedCharacter(ch));
}

function unexpectedCharacter(ch: string): string {
  if (ch === '"') return `unexpected character '"'; text values are written in single quotes, e.g. 'value'`;
  return `unexpected character '${ch}'`;
}

/** Reads a single-quoted string. OData escapes a quote by doubling it: `'O''Brien'`. */
function readString(text: string, start: number): Token {
  let value = '';
  let pos = start + 1;
  for (;;) {
    const close = text.indexOf("'", pos);
    if (close < 0) {
      throw new FilterSyntaxError(start, "this quoted text has no closing quote (a quote inside text is written as two quotes: '')");
    }
    value += text.slice(pos, close);
    if (text.charAt(close + 1) !== "'") {
      return literalToken(text, start, close + 1, { kind: 'string', value });
    }
    value += "'";
    pos = close + 2;
  }
}

/** Date-times, GUIDs and numbers: the literals that are written without quotes. */
function readUnquotedValue(text: string, pos: number): Token | undefined {
  const datetime = matchDateTime(text, pos);
  if (datetime !== undefined) {
    return valueToken(text, pos, datetime, { kind: 'datetime', value: datetime });
  }
  const guid = matchAt(GUID, text, pos);
  if (guid !== undefined) {
    // GUIDs are case-insensitive; lower-casing here means the index planner and
    // the in-memory evaluator see the canonical form Graph itself returns.
    return valueToken(text, pos, guid, { kind: 'guid', value: guid.toLowerCase() });
  }
  if (matchAt(DATE_PREFIX, text, pos) !== undefined) {
    throw new FilterSyntaxError(pos, `invalid date-time '${shorten(runAt(text, pos))}'; expected a form like 2024-01-01T00:00:00Z (the time zone is required)`);
  }
  const number = matchAt(NUMBER, text, pos);
  if (number !== undefined) return valueToken(text, pos, number, parseNumber(text, pos, number));
  return undefined;
}

function matchDateTime(text: string, pos: number): string | undefined {
  DATETIME.lastIndex = pos;
  const match = DATETIME.exec(text);
  if (!match) return undefined;
  const [raw, year, month, day, hour, minute, second, offsetHour, offsetMinute] = match;
  const valid =
    isCalendarDate(Number(year), Number(month), Number(day)) &&
    Number(hour) < 24 &&
    Number(minute) < 60 &&
    Number(second ?? 0) < 60 &&
    Number(offsetHour ?? 0) < 24 &&
    Number(offsetMinute ?? 0) < 60;
  if (!valid) throw new FilterSyntaxError(pos, `'${raw}' is not a valid date-time`);
  return raw;
}

// Date.parse quietly rolls 2024-02-30 over into March, so the calendar is
// checked here rather than trusted to it.
function isCalendarDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return day <= daysInMonth;
}

function parseNumber(text: string, pos: number, raw: string): Literal {
  const value = Number(raw);
  const isInteger = !/[.eE]/.test(raw);
  // Rejecting rather than rounding: an id-like integer that silently lost its
  // low digits would match the wrong items.
  if (!Number.isFinite(value) || (isInteger && !Number.isSafeInteger(value))) {
    throw new FilterSyntaxError(pos, `the number ${shorten(runAt(text, pos))} is too large`);
  }
  return { kind: 'number', value };
}

/**
 * Builds the token for an unquoted value, insisting that it ends at a token
 * boundary: without this `1abc` would lex as `1` followed by a property `abc`.
 */
function valueToken(text: string, start: number, raw: string, literal: Literal): Token {
  const end = start + raw.length;
  if (CONTINUATION.test(text.charAt(end))) {
    throw new FilterSyntaxError(start, `'${shorten(runAt(text, start))}' is not a valid value`);
  }
  return literalToken(text, start, end, literal);
}

function literalToken(text: string, start: number, end: number, literal: Literal): Token {
  return { kind: 'literal', literal, raw: text.slice(start, end), start, end };
}

/** The run of value-like characters at `pos`, to quote a malformed value whole. */
function runAt(text: string, pos: number): string {
  let end = pos;
  while (end < text.length && (end === pos || CONTINUATION.test(text.charAt(end)))) end++;
  return text.slice(pos, end);
}

function matchAt(pattern: RegExp, text: string, pos: number): string | undefined {
  pattern.lastIndex = pos;
  return pattern.exec(text)?.[0];
}
