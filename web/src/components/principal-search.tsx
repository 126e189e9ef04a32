/**
 * A picker that searches the directory on the server as you type (users, groups, service principals):
 * never a list of the whole directory loaded into the page.
 */
import Multiselect, { type MultiselectProps } from '@cloudscape-design/components/multiselect';
import { useEffect, useRef, useState } from 'react';
import { query } from '../api/paths.ts';
import { searchFilter, type DirectoryKind } from '../domain/directory.ts';
import { useApp } from '../app-context.tsx';

export type PrincipalType = 'user' | 'group' | 'servicePrincipal';

export interface Principal {
  id: string;
  type: PrincipalType;
  displayName: string;
  detail?: string;
}

const COLLECTION: Record<PrincipalType, string> = { user: '/v1.0/users', group: '/v1.0/groups', servicePrincipal: '/v1.0/servicePrincipals' };
const LABEL: Record<PrincipalType, string> = { user: 'User', group: 'Group', servicePrincipal: 'Service principal' };

const KIND: Record<PrincipalType, DirectoryKind> = { user: 'users', group: 'groups', servicePrincipal: 'servicePrincipals' };

function filterFor(type: PrincipalType, text: string): string | undefined {
  return searchFilter(KIND[type], text);
}

interface Found {
  id: string;
  displayName: string;
  userPrincipalName?: string;
  mail?: string | null;
  appId?: string;
  isAssignableToRole?: boolean;
}

export function PrincipalSearch({
  types,
  selected,
  onChange,
  label,
  placeholder = 'Search by name, user principal name or email',
  groupFilter,
}: {
  types: PrincipalType[];
  selected: Principal[];
  onChange: (p: Principal[]) => void;
  label: string;
  placeholder?: string;
  /** Which groups may be picked (e.g. only role-assignable ones), with the reason shown for the others. */
  groupFilter?: (g: Found) => string | undefined;
}) {
  const { api } = useApp();
  const [text, setText] = useState('');
  const [options, setOptions] = useState<MultiselectProps.Option[]>([]);
  const [status, setStatus] = useState<MultiselectProps['statusType']>('finished');
  const found = useRef(new Map<string, Principal>());

  useEffect(() => {
    const term = text.trim();
    if (!term) return;
    let live = true;
    const timer = window.setTimeout(async () => {
      setStatus('loading');
      try {
        const lists = await Promise.all(
          types.map(async (type) => {
            const page = await api.get<{ value: Found[] }>(`${COLLECTION[type]}${query({ $filter: filterFor(type, term), $top: 15 })}`);
            return page.value.map((f) => ({ type, f }));
          }),
        );
        if (!live) return;
        const opts = lists.flat().map(({ type, f }) => {
          const p: Principal = { id: f.id, type, displayName: f.displayName, detail: f.userPrincipalName ?? f.mail ?? f.appId ?? undefined };
          found.current.set(f.id, p);
          const refused = type === 'group' ? groupFilter?.(f) : undefined;
          return {
            value: f.id,
            label: f.displayName,
            description: `${LABEL[type]}${p.detail ? ` · ${p.detail}` : ''}`,
            disabled: Boolean(refused),
            disabledReason: refused,
          };
        });
        setOptions(opts);
        setStatus('finished');
      } catch {
        if (live) setStatus('error');
      }
    }, 250);
    return () => {
      live = false;
      window.clearTimeout(timer);
    };
  }, [text, types, api, groupFilter]);

  return (
    <Multiselect
      selectedOptions={selected.map((p) => ({ value: p.id, label: p.displayName, description: p.detail }))}
      onChange={(e) => onChange(e.detail.selectedOptions.map((o) => found.current.get(o.value!) ?? selected.find((s) => s.id === o.value)!).filter(Boolean))}
      options={options}
      filteringType="manual"
      onLoadItems={(e) => setText(e.detail.filteringText)}
      statusType={status}
      loadingText="Searching the directory"
      errorText="The search failed."
      recoveryText="Retry"
      finishedText={text ? `Results for "${text}"` : 'Type to search'}
      empty={text ? 'Nobody matches' : 'Type a name to search'}
      placeholder={placeholder}
      filteringPlaceholder={placeholder}
      filteringAriaLabel={label}
      ariaLabel={label}
      deselectAriaLabel={(o) => `Remove ${o.label}`}
      tokenLimit={5}
    />
  );
}
