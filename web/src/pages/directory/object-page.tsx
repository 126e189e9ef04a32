/** The frame of an object's page: loading, not found / refused, its header with Edit and Delete, and its sections. */
import BreadcrumbGroup from '@cloudscape-design/components/breadcrumb-group';
import Button from '@cloudscape-design/components/button';
import Container from '@cloudscape-design/components/container';
import ContentLayout from '@cloudscape-design/components/content-layout';
import Header from '@cloudscape-design/components/header';
import KeyValuePairs, { type KeyValuePairsProps } from '@cloudscape-design/components/key-value-pairs';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import type { ReactNode } from 'react';
import { LoadError, type Loaded } from '../../components/page-states.tsx';
import { KIND_LABEL, type DirectoryKind } from '../../domain/directory.ts';
import { follow, href } from '../../router.tsx';

export function ObjectPage<T extends { displayName: string }>({
  kind,
  loaded,
  description,
  properties,
  onEdit,
  onDelete,
  children,
}: {
  kind: DirectoryKind;
  loaded: Loaded<T>;
  description?: (object: T) => ReactNode;
  properties: (object: T) => KeyValuePairsProps.Item[];
  onEdit?: () => void;
  onDelete: () => void;
  children?: (object: T) => ReactNode;
}) {
  const label = KIND_LABEL[kind];
  const object = loaded.data;
  const crumbs = (
    <BreadcrumbGroup
      ariaLabel="Breadcrumbs"
      onFollow={follow}
      items={[
        { text: 'Directory', href: href(`/manage/directory?tab=${kind}`) },
        { text: object?.displayName ?? label.plural, href: '#' },
      ]}
    />
  );
  if (!object) {
    return (
      <ContentLayout header={<Header variant="h1">{label.plural}</Header>} breadcrumbs={crumbs}>
        {loaded.error ? (
          <LoadError error={loaded.error} retry={loaded.reload} />
        ) : (
          <StatusIndicator type="loading">Loading the {label.singular}</StatusIndicator>
        )}
      </ContentLayout>
    );
  }
  return (
    <ContentLayout
      breadcrumbs={crumbs}
      header={
        <Header
          variant="h1"
          description={description?.(object)}
          actions={
            <SpaceBetween direction="horizontal" size="xs">
              {onEdit && (
                <Button iconName="edit" onClick={onEdit}>
                  Edit
                </Button>
              )}
              <Button iconName="remove" onClick={onDelete}>
                Delete
              </Button>
            </SpaceBetween>
          }
        >
          {object.displayName}
        </Header>
      }
    >
      <SpaceBetween size="l">
        <Container header={<Header variant="h2">Properties</Header>}>
          <KeyValuePairs columns={3} items={properties(object)} />
        </Container>
        {children?.(object)}
      </SpaceBetween>
    </ContentLayout>
  );
}
