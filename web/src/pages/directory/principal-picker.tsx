/**
 * Finds users, groups and service principals by the start of their name (server-side search, a few of
 * each kind per keystroke pause) and hands back the one chosen. Used to add members.
 */
import Autosuggest, { type AutosuggestProps } from '@cloudscape-design/components/autosuggest';
import { useRef, useState } from 'react';
import { query } from '../../api/paths.ts';
import { useApp } from '../../app-context.tsx';
import { ODATA_TYPE_LABEL, searchFilter, type DirectoryKind, type DirectoryObject } from '../../domain/directory.ts';

const PER_KIND = 6;

const ODATA_TYPE: Record<DirectoryKind, string> = {
  users: '#microsoft.graph.user',
  groups: '#microsoft.graph.group',
  servicePrincipals: '#microsoft.graph.servicePrincipal',
};

export function PrincipalPicker({
  kinds,
  onPick,
  exclude = [],
  ariaLabel,
  placeholder = 'Search by name',
}: {
  kinds: DirectoryKind[];
  onPick: (picked: DirectoryObject) => void;
  exclude?: string[];
  ariaLabel: string;
  placeholder?: string;
}) {
  const { api } = useApp();
  const [text, setText] = useState('');
  const [status, setStatus] = useState<AutosuggestProps.StatusType>('pending');
  const [found, setFound] = useState<DirectoryObject[]>([]);
  const ticket = useRef(0);

  async function load(filteringText: string) {
    const mine = ++ticket.current;
    if (!filteringText.trim()) {
      setFound([]);
      setStatus('finished');
      return;
    }
    setStatus('loading');
    try {
      const lists = await Promise.all(
        kinds.map(async (kind) => {
          const page = await api.get<{ value: DirectoryObject[] }>(`/v1.0/${kind}${query({ $filter: searchFilter(kind, filteringText), $top: PER_KIND })}`);
          return page.value.map((o) => ({ ...o, '@odata.type': o['@odata.type'] ?? ODATA_TYPE[kind] }));
        }),
      );
      if (mine !== ticket.current) return;
      setFound(lists.flat());
      setStatus('finished');
    } catch {
      if (mine === ticket.current) setStatus('error');
    }
  }

  const options: AutosuggestProps.Option[] = found
    .filter((o) => !exclude.includes(o.id))
    .map((o) => ({
      value: o.id,
      label: o.displayName ?? o.id,
      description: o.userPrincipalName ?? o.mail ?? o.appId ?? undefined,
      tags: kinds.length > 1 ? [ODATA_TYPE_LABEL[o['@odata.type']] ?? ''] : undefined,
    }));

  return (
    <Autosuggest
      value={text}
      onChange={(e) => setText(e.detail.value)}
      onLoadItems={(e) => void load(e.detail.filteringText)}
      onSelect={(e) => {
        const picked = found.find((o) => o.id === e.detail.value);
        if (picked) onPick(picked);
        setText('');
      }}
      options={options}
      filteringType="manual"
      statusType={status}
      loadingText="Searching"
      errorText="The search failed."
      finishedText={!text ? 'Type the start of a name' : options.length ? `Results for '${text}'` : `Nothing found starting with '${text}'`}
      empty="No match"
      placeholder={placeholder}
      ariaLabel={ariaLabel}
      enteredTextLabel={(v) => `Search: ${v}`}
      hideEnteredTextOption
      expandToViewport
      clearAriaLabel="Clear the search"
    />
  );
}
