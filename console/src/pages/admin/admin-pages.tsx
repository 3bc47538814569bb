import type { ReactElement } from 'react';
import type { SessionInfo } from '../../api';
import { AccessMatrixPage } from './access-matrix-page';
import { AuditPage } from './audit-page';
import { FeedsPage } from './feeds-page';
import { OrganisationsPage } from './organisations-page';
import { TokensPage } from './tokens-page';
import { UsersPage } from './users-page';
import '../../admin-components/admin.css';

/**
 * The admin views, one file each: the nav and the router both read this table. Roles listed are
 * who sees the entry; the admin API still decides every request (server/policy/admin-policy.ts).
 */
export interface AdminPage {
  path: string;
  label: string;
  roles: SessionInfo['role'][];
  element: () => ReactElement;
}

const ADMINS: SessionInfo['role'][] = ['org-admin', 'alliance-admin'];

export const ADMIN_PAGES: readonly AdminPage[] = [
  { path: 'organisations', label: 'Organisations', roles: ADMINS, element: () => <OrganisationsPage /> },
  { path: 'users', label: 'Users', roles: ADMINS, element: () => <UsersPage /> },
  { path: 'tokens', label: 'API tokens', roles: ADMINS, element: () => <TokensPage /> },
  { path: 'access', label: 'Access matrix', roles: ADMINS, element: () => <AccessMatrixPage /> },
  { path: 'audit', label: 'Audit trail', roles: ADMINS, element: () => <AuditPage /> },
  { path: 'feeds', label: 'Mirrored feeds', roles: ADMINS, element: () => <FeedsPage /> },
];
