/**
 * Matching of Graph-style paths. Segments are compared after URL-decoding, so `filterByCurrentUser(on='principal')`
 * matches whether a client encoded the quotes and parentheses or not. A literal segment beats a parameter.
 */
export interface CompiledPath {
  pattern: string;
  match(segments: string[]): Record<string, string> | undefined;
  /** How many characters are literal; the most specific of several matching patterns wins. */
  literalCount: number;
}

const PARAM = /\{([A-Za-z][A-Za-z0-9]*)\}/g;

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function splitPath(path: string): string[] {
  return path.split('/').filter((s) => s.length > 0);
}

/** Decodes each segment on its own, so an encoded '/' inside an id stays inside that id. */
export function decodeSegments(rawPath: string): string[] | undefined {
  try {
    return splitPath(rawPath).map((s) => decodeURIComponent(s));
  } catch {
    return undefined;
  }
}

export function compilePath(pattern: string): CompiledPath {
  const parts = splitPath(pattern).map((segment) => {
    const names: string[] = [];
    const source = segment
      .split(PARAM)
      .map((piece, i) => (i % 2 === 1 ? (names.push(piece), '(.+)') : escapeRegex(piece)))
      .join('');
    return { names, regex: new RegExp(`^${source}$`), literalChars: segment.replace(PARAM, '').length };
  });
  return {
    pattern,
    literalCount: parts.reduce((sum, p) => sum + p.literalChars, 0),
    match(segments) {
      if (segments.length !== parts.length) return undefined;
      const params: Record<string, string> = {};
      for (let i = 0; i < parts.length; i++) {
        const part = parts[i]!;
        const found = part.regex.exec(segments[i]!);
        if (!found) return undefined;
        part.names.forEach((name, j) => (params[name] = found[j + 1]!));
      }
      return params;
    },
  };
}

/**
 * The API Gateway route prefix that sends a path to its Lambda: its leading literal segments, at most
 * four (`/v1.0/roleManagement/directory/roleDefinitions`). API Gateway matches `ANY {prefix}` and
 * `ANY {prefix}/{proxy+}`; the Lambda then routes within it.
 */
export function gatewayPrefix(pattern: string): string {
  const literal: string[] = [];
  for (const segment of splitPath(pattern)) {
    if (segment.includes('{') || segment.includes('(') || segment.startsWith('$') || literal.length === 4) break;
    literal.push(segment);
  }
  return `/${literal.join('/')}`;
}
