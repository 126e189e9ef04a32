/** A modal's footer as Cloudscape lays it out: Cancel, then the modal's own actions, on the right. */
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import SpaceBetween from '@cloudscape-design/components/space-between';
import type { ReactNode } from 'react';

export function ModalFooter({ onCancel, cancelText = 'Cancel', children }: { onCancel: () => void; cancelText?: string; children: ReactNode }) {
  return (
    <Box float="right">
      <SpaceBetween direction="horizontal" size="xs">
        <Button variant="link" onClick={onCancel}>
          {cancelText}
        </Button>
        {children}
      </SpaceBetween>
    </Box>
  );
}
