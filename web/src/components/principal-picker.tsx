/** Pick users and groups found by a server-side search as the person types (approvers, new members). */
import Multiselect, { type MultiselectProps } from '@cloudscape-design/components/multiselect';
import { useRef, useState } from 'react';
import { useApp } from '../app-context.tsx';
import { searchPrincipals, type Principal } from './principal-search.ts';

function option(p: Principal): MultiselectProps.Option {
  return { value: `${p.kind}:${p.id}`, label: p.displayName, description: p.detail, tags: [p.kind === 'group' ? 'Group' : 'User'] };
}

export function PrincipalPicker({
  value,
  onChange,
  kinds = ['user', 'group'],
  placeholder = 'Search users and groups by name',
  invalid,
  ariaLabel,
}: {
  value: Principal[];
  onChange: (value: Principal[]) => void;
  kinds?: ('user' | 'group')[];
  placeholder?: string;
  invalid?: boolean;
  ariaLabel?: string;
}) {
  const { api } = useApp();
  const [found, setFound] = useState<Principal[]>([]);
  const [status, setStatus] = useState<MultiselectProps['statusType']>('pending');
  const [error, setError] = useState('');
  const latest = useRef(0);

  async function load(text: string) {
    const round = ++latest.current;
    setStatus('loading');
    try {
      const result = await searchPrincipals(api, text, kinds);
      if (round !== latest.current) return;
      setFound(result);
      setStatus('finished');
    } catch (e) {
      if (round !== latest.current) return;
      setError((e as Error).message);
      setStatus('error');
    }
  }

  const known = new Map([...value, ...found].map((p) => [`${p.kind}:${p.id}`, p]));
  return (
    <Multiselect
      selectedOptions={value.map(option)}
      onChange={(e) => onChange(e.detail.selectedOptions.map((o) => known.get(o.value!)).filter((p): p is Principal => p !== undefined))}
      options={found.map(option)}
      filteringType="manual"
      onLoadItems={(e) => void load(e.detail.filteringText)}
      statusType={status}
      loadingText="Searching the directory"
      errorText={error}
      recoveryText="Retry"
      finishedText={found.length ? 'Type more of a name to narrow the search' : 'Nobody found'}
      empty="Nobody found"
      placeholder={placeholder}
      filteringPlaceholder="Start of a name, user principal name or mail"
      filteringAriaLabel="Search the directory"
      ariaLabel={ariaLabel}
      invalid={invalid}
      deselectAriaLabel={(o) => `Remove ${o.label}`}
      tokenLimit={6}
    />
  );
}
