/**
 * A role's eligible or active assignment count, asked for when its row is shown. The API has no
 * `$count`, so this reads the role's schedules filtered by roleDefinitionId, ids only, one page of up
 * to 999: a larger count shows as "999+" instead of fetching every assignment of the tenant.
 */
import Spinner from '@cloudscape-design/components/spinner';
import { useEffect, useState } from 'react';
import type { Collection } from '../../api/client.ts';
import { useApp } from '../../app-context.tsx';
import { COUNT_PAGE, countPath, type Level } from './data.ts';

export function AssignmentCount({ roleId, level, label }: { roleId: string; level: Level; label: string }) {
  const { api } = useApp();
  const [count, setCount] = useState<string>();
  useEffect(() => {
    let live = true;
    api.get<Collection<{ id: string }>>(countPath(roleId, level)).then(
      (page) => live && setCount(page['@odata.nextLink'] ? `${COUNT_PAGE}+` : String(page.value.length)),
      () => live && setCount('–'),
    );
    return () => {
      live = false;
    };
  }, [api, roleId, level]);
  if (count === undefined)
    return (
      <span role="status" aria-label={`Counting ${label}`}>
        <Spinner />
      </span>
    );
  return <span aria-label={`${count} ${label}`}>{count}</span>;
}
