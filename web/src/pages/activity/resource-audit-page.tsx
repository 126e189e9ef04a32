import type { PageProps } from '../index.ts';
import { AuditView } from './audit-page.tsx';

export default function ResourceAuditPage(_: PageProps) {
  return <AuditView mode="resource" />;
}
