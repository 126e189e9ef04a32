/** A directory object (a member, a group membership) as a link to its own page, whatever its type. */
import Link from '@cloudscape-design/components/link';
import { kindOfODataType, objectPath, type DirectoryObject } from '../../domain/directory.ts';
import { follow, href } from '../../router.tsx';

export function ObjectLink({ object }: { object: DirectoryObject }) {
  const kind = kindOfODataType(object['@odata.type']);
  const name = object.displayName ?? object.id;
  if (!kind) return <>{name}</>;
  return (
    <Link href={href(objectPath(kind, object.id))} onFollow={follow}>
      {name}
    </Link>
  );
}
