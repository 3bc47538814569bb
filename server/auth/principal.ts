/** Who is asking: set by authentication, read by the policy module. Decides nothing by itself. */
export type Role = 'member' | 'org-admin' | 'alliance-admin';

export const ROLES: readonly Role[] = ['member', 'org-admin', 'alliance-admin'];

export interface Principal {
  username: string;
  organisation: string;
  role: Role;
  /**
   * How this request proved who it is; a token id or a certificate's SHA-256 fingerprint lets audit
   * records name the credential, never a secret.
   */
  authenticatedBy: { method: 'password' } | { method: 'token'; tokenId: string } | { method: 'certificate'; fingerprint: string } | { method: 'session' };
}
