/** Select member(s): a multiselect whose options come from the server as the person types (debounced). */
import Multiselect, { type MultiselectProps } from '@cloudscape-design/components/multiselect';
import { useEffect, useRef, useState } from 'react';
import { useApp } from '../../app-context.tsx';
import { searchMembers, type Candidate } from './member-search.ts';

const DEBOUNCE_MS = 300;

export function MemberPicker({ selected, onChange, invalid }: { selected: Candidate[]; onChange: (c: Candidate[]) => void; invalid?: boolean }) {
  const { api } = useApp();
  const [text, setText] = useState('');
  const [found, setFound] = useState<Candidate[]>([]);
  const [status, setStatus] = useState<NonNullable<MultiselectProps['statusType']>>('pending');
  const [errors, setErrors] = useState<string[]>([]);
  const asked = useRef(0);

  useEffect(() => {
    const term = text.trim();
    if (!term) {
      setFound([]);
      setStatus('pending');
      return;
    }
    setStatus('loading');
    const round = ++asked.current;
    const timer = window.setTimeout(() => {
      searchMembers(api, term).then(
        (result) => {
          if (round !== asked.current) return;
          setFound(result.candidates);
          setErrors(result.errors);
          setStatus(result.errors.length && !result.candidates.length ? 'error' : 'finished');
        },
        (e: Error) => {
          if (round !== asked.current) return;
          setErrors([e.message]);
          setStatus('error');
        },
      );
    }, DEBOUNCE_MS);
    return () => window.clearTimeout(timer);
  }, [api, text]);

  const known = new Map([...selected, ...found].map((c) => [c.id, c]));
  const option = (c: Candidate): MultiselectProps.Option => ({ value: c.id, label: c.displayName, description: c.detail, tags: [c.type] });
  return (
    <>
      <Multiselect
        selectedOptions={selected.map(option)}
        onChange={(e) => onChange(e.detail.selectedOptions.map((o) => known.get(o.value!)!).filter(Boolean))}
        options={found.map(option)}
        filteringType="manual"
        onLoadItems={(e) => setText(e.detail.filteringText)}
        statusType={status}
        loadingText="Searching the directory"
        errorText={errors.join(' ')}
        finishedText={
          text.trim() ? (found.length ? 'End of results' : `No user, role-assignable group or service principal starts with '${text.trim()}'`) : undefined
        }
        filteringPlaceholder="Type the start of a name, sign-in name or mail"
        placeholder="Search users, groups and service principals"
        empty="Type to search"
        ariaLabel="Select member(s)"
        filteringAriaLabel="Search members"
        deselectAriaLabel={(o) => `Remove ${o.label}`}
        tokenLimit={5}
        invalid={invalid}
      />
      {status !== 'error' && errors.length > 0 && <div role="status">{errors.join(' ')}</div>}
    </>
  );
}
