import { canonicalFingerprint, canonicalSubject, identityOfPem } from '../../auth/certificate-identity';
import { Conflict, InvalidBody, NotFound } from '../../errors';
import { defaultScope } from '../../policy/admin-policy';
import { DuplicateClientCertificate, type CertificateMatch, type ClientCertificateRecord } from '../../storage/credential-repository';
import { authorize, authorizeOrHide, recordAdminAction, type AdminDependencies, type AdminRequest } from './admin-dependencies';

/**
 * Client certificates that log in as a user (docs/security.md, Client certificates): the same
 * rules as API tokens, since a mapping is a credential of the user it names.
 */

/** How an operator names the certificate: exactly one of these (the input schema checks that). */
export interface CertificateToMap {
  username: string;
  fingerprint?: string | undefined;
  subject?: string | undefined;
  /** A PEM certificate: mapped by its fingerprint, the exact certificate. */
  pem?: string | undefined;
}

function unknownUser(username: string): NotFound {
  return new NotFound(`No user '${username}' is available to you.`);
}

function unknownMapping(match: CertificateMatch, value: string): NotFound {
  return new NotFound(`No client certificate with ${match} '${value}' is available to you.`);
}

/** The mapping's key in canonical form, or an error that says which spelling is expected. */
export function certificateKey(input: Omit<CertificateToMap, 'username'>): { match: CertificateMatch; value: string } {
  if (input.pem !== undefined) {
    try {
      return { match: 'fingerprint', value: identityOfPem(input.pem).fingerprint };
    } catch {
      throw new InvalidBody('pem must hold a PEM certificate (-----BEGIN CERTIFICATE-----)');
    }
  }
  if (input.fingerprint !== undefined) {
    const value = canonicalFingerprint(input.fingerprint);
    if (!value) throw new InvalidBody(`fingerprint must be a SHA-256 fingerprint, 64 hex digits with or without colons, got '${input.fingerprint}'`);
    return { match: 'fingerprint', value };
  }
  if (input.subject !== undefined) {
    const value = canonicalSubject(input.subject);
    if (!value) throw new InvalidBody(`subject must be a distinguished name such as 'CN=misp.example.org,O=Example,C=DE' or '/C=DE/O=Example/CN=misp.example.org', got '${input.subject}'`);
    return { match: 'subject', value };
  }
  throw new InvalidBody('give one of fingerprint, subject or pem');
}

export async function listClientCertificates(deps: AdminDependencies, request: AdminRequest, filter: { username?: string; organisation?: string }): Promise<ClientCertificateRecord[]> {
  if (filter.username !== undefined) {
    const user = await deps.credentials.findUser(filter.username);
    if (!user) throw unknownUser(filter.username);
    authorizeOrHide(request.actor, 'certificate.list', { kind: 'user', organisation: user.organisation, role: user.role }, unknownUser(filter.username));
    return deps.credentials.listClientCertificates(filter.username);
  }
  const target = filter.organisation === undefined ? defaultScope(request.actor) : { kind: 'organisation' as const, organisation: filter.organisation };
  authorize(request.actor, 'certificate.list', target);
  const certificates = await deps.credentials.listClientCertificates();
  if (target.kind !== 'organisation') return certificates;
  const members = new Set((await deps.credentials.listUsers(target.organisation)).map((user) => user.username));
  return certificates.filter((certificate) => members.has(certificate.username));
}

export async function addClientCertificate(deps: AdminDependencies, request: AdminRequest, input: CertificateToMap, now: Date = new Date()): Promise<ClientCertificateRecord> {
  const user = await deps.credentials.findUser(input.username);
  if (!user) throw unknownUser(input.username);
  authorizeOrHide(request.actor, 'certificate.add', { kind: 'user', organisation: user.organisation, role: user.role }, unknownUser(input.username));
  const key = certificateKey(input);
  const record: ClientCertificateRecord = { ...key, username: user.username, createdAt: now };
  try {
    await deps.credentials.addClientCertificate(record);
  } catch (error) {
    // Said without naming the other user, who may belong to an organisation the actor cannot see.
    if (error instanceof DuplicateClientCertificate) throw new Conflict(`the client certificate with ${key.match} '${key.value}' is already mapped to a user`);
    throw error;
  }
  await recordAdminAction(deps, request, 'certificate.add', { match: key.match, value: key.value, user: user.username, userOrganisation: user.organisation });
  return record;
}

export async function removeClientCertificate(deps: AdminDependencies, request: AdminRequest, input: { match: CertificateMatch; value: string }): Promise<ClientCertificateRecord> {
  const key = certificateKey({ [input.match]: input.value });
  const mapping = await deps.credentials.findClientCertificate(key.match, key.value);
  if (!mapping) throw unknownMapping(key.match, key.value);
  const owner = await deps.credentials.findUser(mapping.username);
  // A mapping whose user is gone can only be cleaned up by the alliance's operators, as a token's.
  const target = { kind: 'user' as const, organisation: owner?.organisation ?? '', role: owner?.role ?? 'alliance-admin' };
  authorizeOrHide(request.actor, 'certificate.remove', target, unknownMapping(key.match, key.value));
  await deps.credentials.removeClientCertificate(key.match, key.value);
  await recordAdminAction(deps, request, 'certificate.remove', { match: key.match, value: key.value, user: mapping.username, userOrganisation: target.organisation });
  return mapping;
}
