/** The notifications top right of Entra's portal, as Cloudscape's Flashbar at the top of the page. */
import Flashbar, { type FlashbarProps } from '@cloudscape-design/components/flashbar';
import { useCallback, useState } from 'react';

export interface Notice {
  type: 'success' | 'error' | 'info' | 'warning' | 'in-progress';
  header?: string;
  content: React.ReactNode;
  /** A link such as "View request". */
  action?: React.ReactNode;
}

export type Notify = (notice: Notice) => void;

export function useNotifications(): { items: FlashbarProps.MessageDefinition[]; notify: Notify } {
  const [items, setItems] = useState<FlashbarProps.MessageDefinition[]>([]);
  const notify = useCallback<Notify>((notice) => {
    const id = `${Date.now()}-${Math.random()}`;
    const dismiss = () => setItems((all) => all.filter((i) => i.id !== id));
    setItems((all) => [
      {
        id,
        type: notice.type,
        header: notice.header,
        content: notice.content,
        action: notice.action,
        dismissible: true,
        dismissLabel: 'Dismiss',
        onDismiss: dismiss,
      },
      ...all.slice(0, 4),
    ]);
  }, []);
  return { items, notify };
}

export function Notifications({ items }: { items: FlashbarProps.MessageDefinition[] }) {
  return <Flashbar items={items} stackItems={items.length > 2} i18nStrings={{ ariaLabel: 'Notifications', notificationBarText: 'Notifications' }} />;
}
