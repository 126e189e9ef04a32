/** A create body from form values: empty text left out (the API's defaults apply), lists as lists. */
import type { FieldValue } from '../../domain/directory.ts';

export function createBody(values: Record<string, FieldValue>, lists: readonly string[] = []): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(values)) {
    if (typeof value === 'boolean') body[key] = value;
    else if (value.trim() !== '') body[key] = lists.includes(key) ? [value.trim()] : value.trim();
  }
  return body;
}
