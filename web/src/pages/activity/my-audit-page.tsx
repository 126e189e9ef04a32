import type { PageProps } from '../index.ts';
import { AuditView } from './audit-page.tsx';

export default function MyAuditPage(_: PageProps) {
  return <AuditView mode="mine" />;
}
