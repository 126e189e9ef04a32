import { BadRequestError } from '../../domain/errors.ts';

/** The object id at the end of an `@odata.id` / `@odata.bind` URL, whatever host it names. */
export function idFromODataReference(reference: string): string {
  const match = /\/(?:directoryObjects|users|groups|servicePrincipals)\/([^/?#]+)\/?$/.exec(reference);
  if (!match?.[1]) throw new BadRequestError(`'${reference}' is not a directory object reference; expected '…/directoryObjects/{id}'.`);
  try {
    return decodeURIComponent(match[1]);
  } catch {
    throw new BadRequestError('A directory object reference has an id that is not correctly URL-encoded.');
  }
}
