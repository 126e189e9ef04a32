/**
 * OData v4 `$filter` subset used by the Microsoft Graph PIM endpoints:
 * parsing into a typed AST, evaluation against plain JSON items, and a few
 * AST queries the API layer uses to choose a DynamoDB index.
 *
 * Grammar (keywords case-insensitive, property names case-sensitive):
 *
 *   filter     = or
 *   or         = and *( "or" and )
 *   and        = unary *( "and" unary )
 *   unary      = "not" unary / primary
 *   primary    = "(" or ")" / function / predicate
 *   predicate  = path ( compareOp literal / "in" "(" literal *( "," literal ) ")" )
 *              / path "/" ( "any" / "all" ) "(" variable ":" or ")"
 *   function   = ( "startswith" / "endswith" / "contains" ) "(" path "," string ")"
 *   path       = identifier *( "/" identifier )      ; no whitespace around "/"
 *
 * Decisions worth knowing about:
 * - `not` applies to a whole condition: `not a eq 1` means `not (a eq 1)`.
 *   (Strict OData would bind it to `a` alone, which has no meaning here.)
 * - The property must be on the left: `'x' eq id` is rejected with a hint,
 *   as are property-to-property comparisons (`a eq b`).
 * - Inside `any`/`all`, every path must start with an in-scope range variable
 *   (`t/id`, or just `t` for a collection of primitives). The AST keeps the
 *   variable as the first path segment; evaluation strips it.
 * - Unquoted date-times need a time zone (`Z` or `+hh:mm`) and become
 *   `datetime` literals holding the text as written. Unquoted GUIDs become
 *   lower-cased `guid` literals and compare case-insensitively.
 * - Strings compare exactly, by UTF-16 code unit. Graph itself is often
 *   case-insensitive; OData does not require it and we do not emulate it.
 * - Error positions are 0-based offsets into the text (see FilterSyntaxError).
 */
import { FilterSyntaxError, describeToken, shorten, tokenize, type Punctuation, type Token } from './filter-lexer.ts';

export { FilterSyntaxError } from './filter-lexer.ts';

export type Literal =
  { kind: 'string' | 'datetime' | 'guid'; value: string } | { kind: 'number'; value: number } | { kind: 'boolean'; value: boolean } | { kind: 'null' };

export type FilterNode =
  | { type: 'compare'; op: 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le'; path: string[]; value: Literal }
  | { type: 'in'; path: string[]; values: Literal[] }
  | { type: 'and' | 'or'; left: FilterNode; right: FilterNode }
  | { type: 'not'; operand: FilterNode }
  | { type: 'lambda'; quantifier: 'any' | 'all'; path: string[]; variable: string; predicate: FilterNode }
  | { type: 'function'; name: 'startswith' | 'endswith' | 'contains'; path: string[]; value: Literal };

type CompareOp = Extract<FilterNode, { type: 'compare' }>['op'];
type FunctionName = Extract<FilterNode, { type: 'function' }>['name'];
type Quantifier = Extract<FilterNode, { type: 'lambda' }>['quantifier'];
type Path = { segments: string[]; start: number; quantifier?: Quantifier };

const DEFAULT_MAX_LENGTH = 2000;
const DEFAULT_MAX_DEPTH = 32;
const DEFAULT_MAX_NODES = 200;
// Whatever a caller configures, nesting stays far below what the JS stack can
// take, so a hostile filter gets a FilterSyntaxError and never a RangeError.
const HARD_MAX_DEPTH = 500;

const COMPARE_OPS = new Set<string>(['eq', 'ne', 'gt', 'ge', 'lt', 'le']);
const FUNCTIONS = new Set<string>(['startswith', 'endswith', 'contains']);
const VALUE_WORDS = new Set<string>(['true', 'false', 'null']);
// Words that cannot start a condition; treating them as property names would
// turn `a eq 1 and and b eq 2` into a baffling "expected an operator" error.
const INFIX_WORDS = new Set<string>(['and', 'or', 'in', ...COMPARE_OPS]);
const RESERVED_VARIABLES = new Set<string>(['not', ...VALUE_WORDS, ...INFIX_WORDS]);
/**
 * What every JavaScript object inherits (`constructor`, `__proto__`, `valueOf`, …): no Graph property
 * has these names, and refusing them here keeps them from ever reaching a lookup in a plain object.
 */
const INHERITED_NAMES = new Set<string>(Object.getOwnPropertyNames(Object.prototype));

function propertyName(token: Token): string {
  if (INHERITED_NAMES.has(token.raw)) throw new FilterSyntaxError(token.start, `there is no property named '${token.raw}' to filter on`);
  return token.raw;
}

/**
 * Parses a URL-decoded `$filter` value. Throws only FilterSyntaxError, also
 * when the text is longer than `maxLength` characters, nests parentheses /
 * `not` / `any` / `all` more than `maxDepth` levels, or produces more than
 * `maxNodes` AST nodes (defaults 2000, 32, 200).
 */
export function parseFilter(text: string, limits: { maxLength?: number; maxDepth?: number; maxNodes?: number } = {}): FilterNode {
  if (typeof text !== 'string') throw new FilterSyntaxError(0, 'the filter must be text');
  const maxLength = limits.maxLength ?? DEFAULT_MAX_LENGTH;
  if (text.length > maxLength) {
    throw new FilterSyntaxError(maxLength, `the filter is ${text.length} characters long; at most ${maxLength} are allowed`);
  }
  const maxDepth = Math.min(limits.maxDepth ?? DEFAULT_MAX_DEPTH, HARD_MAX_DEPTH);
  const parser = new Parser(tokenize(text), maxDepth, limits.maxNodes ?? DEFAULT_MAX_NODES);
  return parser.parseAll();
}

class Parser {
  private readonly tokens: Token[];
  private readonly maxDepth: number;
  private readonly maxNodes: number;
  private index = 0;
  private depth = 0;
  private nodeCount = 0;
  /** Range variables of the enclosing lambdas, innermost last. */
  private readonly variables: string[] = [];

  constructor(tokens: Token[], maxDepth: number, maxNodes: number) {
    this.tokens = tokens;
    this.maxDepth = maxDepth;
    this.maxNodes = maxNodes;
  }

  parseAll(): FilterNode {
    const node = this.parseOr();
    const rest = this.peek();
    if (rest.kind === 'end') return node;
    if (isPunct(rest, ')')) throw new FilterSyntaxError(rest.start, "found ')' without a matching '('");
    throw new FilterSyntaxError(rest.start, `expected 'and', 'or' or the end of the filter, found ${describeToken(rest)}`);
  }

  // `and`/`or` chains are parsed by iteration, not recursion, so a long list
  // of alternatives costs no stack; only real nesting goes through `nest`.
  private parseOr(): FilterNode {
    let left = this.parseAnd();
    while (isWord(this.peek(), 'or')) {
      const start = this.next().start;
      left = this.count({ type: 'or', left, right: this.parseAnd() }, start);
    }
    return left;
  }

  private parseAnd(): FilterNode {
    let left = this.parseUnary();
    while (isWord(this.peek(), 'and')) {
      const start = this.next().start;
      left = this.count({ type: 'and', left, right: this.parseUnary() }, start);
    }
    return left;
  }

  private parseUnary(): FilterNode {
    const token = this.peek();
    if (!isWord(token, 'not')) return this.parsePrimary();
    this.next();
    const operand = this.nest(token.start, () => this.parseUnary());
    return this.count({ type: 'not', operand }, token.start);
  }

  private parsePrimary(): FilterNode {
    const token = this.peek();
    if (isPunct(token, '(')) return this.parseGroup();
    if (token.kind === 'literal' || (token.kind === 'word' && VALUE_WORDS.has(lower(token)))) {
      throw new FilterSyntaxError(token.start, `expected a property name, found the value ${describeToken(token)}; put the property first, e.g. id eq 'value'`);
    }
    if (token.kind !== 'word' || INFIX_WORDS.has(lower(token))) {
      throw new FilterSyntaxError(token.start, `expected a condition such as id eq 'value', found ${describeToken(token)}`);
    }
    if (FUNCTIONS.has(lower(token)) && isPunct(this.peek(1), '(')) return this.parseFunction();
    return this.parsePredicate();
  }

  private parseGroup(): FilterNode {
    const open = this.next();
    return this.nest(open.start, () => {
      const inner = this.parseOr();
      this.expectPunct(')', `expected ')' to close the '(' at position ${open.start}`);
      return inner;
    });
  }

  private parsePredicate(): FilterNode {
    const path = this.parseScopedPath();
    if (path.quantifier) return this.parseLambda(path, path.quantifier);
    const operator = this.peek();
    if (operator.kind === 'word' && COMPARE_OPS.has(lower(operator))) {
      this.next();
      const value = this.parseLiteral(operator);
      return this.count({ type: 'compare', op: lower(operator) as CompareOp, path: path.segments, value }, path.start);
    }
    if (isWord(operator, 'in')) return this.parseInList(path);
    throw new FilterSyntaxError(
      operator.start,
      `expected an operator (eq, ne, gt, ge, lt, le or in) after '${shorten(path.segments.join('/'))}', found ${describeToken(operator)}`,
    );
  }

  private parseInList(path: Path): FilterNode {
    this.next();
    const open = this.expectPunct('(', "expected '(' after 'in', e.g. id in ('a', 'b')");
    const values = [this.parseLiteral(open)];
    while (isPunct(this.peek(), ',')) values.push(this.parseLiteral(this.next()));
    this.expectPunct(')', `expected ',' or ')' to continue the list that starts at position ${open.start}`);
    return this.count({ type: 'in', path: path.segments, values }, path.start);
  }

  private parseLambda(path: Path, quantifier: Quantifier): FilterNode {
    const open = this.next();
    const variable = this.peek();
    if (variable.kind !== 'word' || RESERVED_VARIABLES.has(lower(variable))) {
      throw new FilterSyntaxError(
        variable.start,
        `expected a range variable name after '${quantifier}(', e.g. ${quantifier}(t: t/id eq 'value'), found ${describeToken(variable)}`,
      );
    }
    this.next();
    this.expectPunct(':', `expected ':' after the range variable '${shorten(variable.raw)}'`);
    const predicate = this.nest(open.start, () => {
      this.variables.push(variable.raw);
      const inner = this.parseOr();
      this.variables.pop();
      return inner;
    });
    this.expectPunct(')', `expected ')' to close the '${quantifier}(' at position ${open.start}`);
    return this.count({ type: 'lambda', quantifier, path: path.segments, variable: variable.raw, predicate }, path.start);
  }

  private parseFunction(): FilterNode {
    const nameToken = this.next();
    const name = lower(nameToken) as FunctionName;
    this.next();
    const first = this.peek();
    if (first.kind !== 'word') {
      throw new FilterSyntaxError(first.start, `expected a property name as the first argument of ${name}, found ${describeToken(first)}`);
    }
    const path = this.parseScopedPath();
    if (path.quantifier) {
      throw new FilterSyntaxError(path.start, `${name} cannot be applied to an any/all expression`);
    }
    const comma = this.expectPunct(',', `expected ',' after the first argument of ${name}`);
    const valueStart = this.peek().start;
    const value = this.parseLiteral(comma);
    if (value.kind !== 'string') {
      throw new FilterSyntaxError(valueStart, `the second argument of ${name} must be quoted text, e.g. ${name}(${shorten(path.segments.join('/'))}, 'abc')`);
    }
    this.expectPunct(')', `expected ')' to close ${name}(`);
    return this.count({ type: 'function', name, path: path.segments, value }, nameToken.start);
  }

  /** A property path, checked against the range variables in scope. */
  private parseScopedPath(): Path {
    const path = this.parsePath();
    const innermost = this.variables.at(-1);
    const head = path.segments[0] ?? '';
    if (innermost !== undefined && !this.variables.includes(head)) {
      throw new FilterSyntaxError(
        path.start,
        `inside any/all, a property path must start with the range variable, e.g. ${innermost}/id; found '${shorten(path.segments.join('/'))}'`,
      );
    }
    return path;
  }

  /**
   * Reads `a/b/c`, stopping early at `/any(` or `/all(`. Slashes must touch
   * their neighbours, as in a URL path; `a / b` is not a path.
   */
  private parsePath(): Path {
    const first = this.next();
    const segments = [propertyName(first)];
    let previous = first;
    while (isPunct(this.peek(), '/') && this.peek().start === previous.end) {
      const slash = this.next();
      const segment = this.peek();
      if (segment.kind !== 'word' || segment.start !== slash.end) {
        throw new FilterSyntaxError(segment.start, `expected a property name right after '/', found ${describeToken(segment)}`);
      }
      this.next();
      const quantifier = lower(segment);
      if ((quantifier === 'any' || quantifier === 'all') && isPunct(this.peek(), '(')) {
        return { segments, start: first.start, quantifier };
      }
      segments.push(propertyName(segment));
      previous = segment;
    }
    return { segments, start: first.start };
  }

  private parseLiteral(after: Token): Literal {
    const token = this.peek();
    if (token.kind === 'literal') {
      this.next();
      return token.literal;
    }
    const keyword = token.kind === 'word' ? keywordLiteral(lower(token)) : undefined;
    if (keyword) {
      this.next();
      return keyword;
    }
    const hint =
      token.kind === 'word' ? ` (text values must be in single quotes, e.g. '${shorten(token.raw)}'; comparing two properties is not supported)` : '';
    throw new FilterSyntaxError(token.start, `expected a value after '${after.raw}', found ${describeToken(token)}${hint}`);
  }

  private nest<T>(start: number, parse: () => T): T {
    if (this.depth >= this.maxDepth) {
      throw new FilterSyntaxError(start, `the filter is nested too deeply: at most ${this.maxDepth} levels of parentheses, not, any and all are allowed`);
    }
    this.depth++;
    const result = parse();
    this.depth--;
    return result;
  }

  private count(node: FilterNode, start: number): FilterNode {
    this.nodeCount++;
    if (this.nodeCount > this.maxNodes) {
      throw new FilterSyntaxError(start, `the filter is too complex: at most ${this.maxNodes} conditions and operators are allowed`);
    }
    return node;
  }

  private expectPunct(punct: Punctuation, detail: string): Token {
    const token = this.peek();
    if (!isPunct(token, punct)) throw new FilterSyntaxError(token.start, `${detail}, found ${describeToken(token)}`);
    return this.next();
  }

  private peek(offset = 0): Token {
    // The lexer always ends the list with an `end` token, and nothing consumes it.
    return this.tokens[Math.min(this.index + offset, this.tokens.length - 1)] as Token;
  }

  private next(): Token {
    const token = this.peek();
    if (token.kind !== 'end') this.index++;
    return token;
  }
}

function keywordLiteral(word: string): Literal | undefined {
  if (word === 'null') return { kind: 'null' };
  if (word === 'true' || word === 'false') return { kind: 'boolean', value: word === 'true' };
  return undefined;
}

function lower(token: Token): string {
  return token.raw.toLowerCase();
}

function isWord(token: Token, word: string): boolean {
  return token.kind === 'word' && lower(token) === word;
}

function isPunct(token: Token, punct: Punctuation): boolean {
  return token.kind === 'punct' && token.raw === punct;
}

// ---------------------------------------------------------------------------
// Evaluation
// ---------------------------------------------------------------------------

/** The element bound to each enclosing lambda's range variable, innermost last. */
type Binding = { variable: string; value: unknown };

/**
 * Evaluates a filter against one JSON item, with two-valued logic:
 * - a missing property (or a path through a non-object) reads as null;
 *   `eq null` matches it, `ne 'x'` matches it, gt/ge/lt/le never do;
 * - values of different types are never equal and never ordered;
 * - `datetime` literals compare by instant when the item's value is an ISO
 *   date(-time) string (one without a zone is taken as UTC), otherwise as text;
 * - `any` over a missing or non-array collection is false, `all` is true
 *   (it is treated as empty, as OData does for empty collections);
 * - functions match only string properties, case-sensitively.
 */
export function evaluateFilter(node: FilterNode, item: unknown): boolean {
  return evaluate(node, item, []);
}

function evaluate(node: FilterNode, item: unknown, bindings: Binding[]): boolean {
  switch (node.type) {
    case 'and':
      return chainOperands(node, 'and').every((operand) => evaluate(operand, item, bindings));
    case 'or':
      return chainOperands(node, 'or').some((operand) => evaluate(operand, item, bindings));
    case 'not':
      return !evaluate(node.operand, item, bindings);
    case 'compare':
      return compare(node.op, resolve(node.path, item, bindings), node.value);
    case 'in': {
      const actual = resolve(node.path, item, bindings);
      return node.values.some((value) => equalsLiteral(actual, value));
    }
    case 'function':
      return applyFunction(node.name, resolve(node.path, item, bindings), node.value);
    case 'lambda':
      return evaluateLambda(node, item, bindings);
  }
}

function evaluateLambda(node: Extract<FilterNode, { type: 'lambda' }>, item: unknown, bindings: Binding[]): boolean {
  const collection = resolve(node.path, item, bindings);
  const elements: unknown[] = Array.isArray(collection) ? collection : [];
  const matches = (element: unknown) => evaluate(node.predicate, item, [...bindings, { variable: node.variable, value: element }]);
  return node.quantifier === 'any' ? elements.some(matches) : elements.every(matches);
}

/**
 * Finds the value a path refers to. Inside a lambda a path that starts with a
 * range variable is read from that variable's element (innermost wins when
 * names are shadowed); any other path is read from the innermost element.
 */
function resolve(path: string[], item: unknown, bindings: Binding[]): unknown {
  if (bindings.length === 0) return walk(item, path);
  const head = path[0];
  for (let i = bindings.length - 1; i >= 0; i--) {
    const binding = bindings[i] as Binding;
    if (binding.variable === head) return walk(binding.value, path.slice(1));
  }
  return walk((bindings.at(-1) as Binding).value, path);
}

function walk(root: unknown, segments: string[]): unknown {
  let value = root;
  for (const segment of segments) {
    // Own properties only, so `constructor` or `__proto__` never reach the prototype.
    if (!isRecord(value) || !Object.hasOwn(value, segment)) return null;
    value = value[segment];
  }
  return value === undefined ? null : value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function compare(op: CompareOp, actual: unknown, literal: Literal): boolean {
  if (op === 'eq') return equalsLiteral(actual, literal);
  if (op === 'ne') return !equalsLiteral(actual, literal);
  const order = orderAgainst(actual, literal);
  if (order === undefined) return false;
  switch (op) {
    case 'gt':
      return order > 0;
    case 'ge':
      return order >= 0;
    case 'lt':
      return order < 0;
    case 'le':
      return order <= 0;
  }
}

function equalsLiteral(actual: unknown, literal: Literal): boolean {
  if (literal.kind === 'null') return actual === null;
  if (literal.kind === 'boolean') return actual === literal.value;
  return orderAgainst(actual, literal) === 0;
}

/** Sign of (actual − literal), or undefined when the two cannot be ordered. */
function orderAgainst(actual: unknown, literal: Literal): number | undefined {
  switch (literal.kind) {
    case 'number':
      return typeof actual === 'number' ? Math.sign(actual - literal.value) : undefined;
    case 'string':
      return typeof actual === 'string' ? compareText(actual, literal.value) : undefined;
    case 'guid':
      return typeof actual === 'string' ? compareText(actual.toLowerCase(), literal.value.toLowerCase()) : undefined;
    case 'datetime':
      return typeof actual === 'string' ? compareDateTimes(actual, literal.value) : undefined;
    default:
      return undefined;
  }
}

function compareDateTimes(actual: string, literal: string): number {
  const left = instantOf(actual);
  const right = instantOf(literal);
  if (left === undefined || right === undefined) return compareText(actual, literal);
  return Math.sign(left - right);
}

// Date.parse alone is too forgiving (it reads "1" as the year 2001), so only
// ISO-shaped text is treated as a point in time.
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$/;

function instantOf(text: string): number | undefined {
  const match = ISO_DATE_TIME.exec(text);
  if (!match) return undefined;
  const hasTime = text.includes('T');
  const zoned = hasTime && match[1] === undefined ? `${text}Z` : text;
  const instant = Date.parse(zoned);
  return Number.isNaN(instant) ? undefined : instant;
}

function compareText(left: string, right: string): number {
  // Relational operators on strings compare UTF-16 code units, which is the
  // documented, locale-independent order.
  if (left === right) return 0;
  return left < right ? -1 : 1;
}

function applyFunction(name: FunctionName, actual: unknown, literal: Literal): boolean {
  if (typeof actual !== 'string' || literal.kind !== 'string') return false;
  switch (name) {
    case 'startswith':
      return actual.startsWith(literal.value);
    case 'endswith':
      return actual.endsWith(literal.value);
    case 'contains':
      return actual.includes(literal.value);
  }
}

// ---------------------------------------------------------------------------
// AST queries for query planning
// ---------------------------------------------------------------------------

/**
 * Operands of a chain of one logical operator, left to right:
 * `a and (b and c)` gives [a, b, c]. Iterative so that a hand-built,
 * very deep chain cannot exhaust the stack.
 */
function chainOperands(node: FilterNode, type: 'and' | 'or'): FilterNode[] {
  const operands: FilterNode[] = [];
  const pending: FilterNode[] = [node];
  for (let current = pending.pop(); current !== undefined; current = pending.pop()) {
    if ((current.type === 'and' || current.type === 'or') && current.type === type) {
      pending.push(current.right, current.left);
    } else {
      operands.push(current);
    }
  }
  return operands;
}

/** Flattens the top-level `and` chain; any other node comes back as `[node]`. */
export function conjuncts(node: FilterNode): FilterNode[] {
  return chainOperands(node, 'and');
}

/**
 * The value of the first top-level conjunct `<path> eq <literal>`, where
 * `path` is written `a/b`; `null` for `eq null`, undefined when there is none.
 * Conditions under `or`, `not` or a lambda never qualify, since they do not
 * constrain every matching item.
 */
export function equalityOn(node: FilterNode, path: string): string | number | boolean | null | undefined {
  for (const conjunct of conjuncts(node)) {
    if (conjunct.type === 'compare' && conjunct.op === 'eq' && conjunct.path.join('/') === path) {
      return conjunct.value.kind === 'null' ? null : conjunct.value.value;
    }
  }
  return undefined;
}

/**
 * Every property path the filter reads, joined with '/', without duplicates,
 * in order of first appearance. Paths inside a lambda are written relative to
 * the collection, with the quantifier as a segment and the range variable
 * dropped: `targetResources/any(t: t/id eq 'x')` gives
 * `targetResources/any/id`, and `tags/any(t: t eq 'x')` gives `tags/any`.
 */
export function referencedPaths(node: FilterNode): string[] {
  const paths = new Set<string>();
  const pending: { node: FilterNode; scopes: PathScope[] }[] = [{ node, scopes: [] }];
  for (let work = pending.pop(); work !== undefined; work = pending.pop()) {
    const { node: current, scopes } = work;
    switch (current.type) {
      case 'and':
      case 'or':
        pending.push({ node: current.right, scopes }, { node: current.left, scopes });
        break;
      case 'not':
        pending.push({ node: current.operand, scopes });
        break;
      case 'in':
      case 'compare':
      case 'function':
        paths.add(qualify(current.path, scopes));
        break;
      case 'lambda': {
        const prefix = `${qualify(current.path, scopes)}/${current.quantifier}`;
        pending.push({ node: current.predicate, scopes: [...scopes, { variable: current.variable, prefix }] });
        break;
      }
    }
  }
  return [...paths];
}

type PathScope = { variable: string; prefix: string };

/** Mirrors `resolve`, building a name instead of reading a value. */
function qualify(path: string[], scopes: PathScope[]): string {
  if (scopes.length === 0) return path.join('/');
  const head = path[0];
  const scope = scopes.findLast((candidate) => candidate.variable === head);
  const rest = scope ? path.slice(1) : path;
  const prefix = (scope ?? (scopes.at(-1) as PathScope)).prefix;
  return [prefix, ...rest].join('/');
}
