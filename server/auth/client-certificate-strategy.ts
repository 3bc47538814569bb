import type { Request } from 'express';
import { TLSSocket } from 'node:tls';
import { Strategy } from 'passport-strategy';
import type { CredentialRepository } from '../storage/credential-repository';
import type { AuthenticationOutcome } from './authentication-outcome';
import { settle } from './authorization-header';
import { asSubjectAttributes, canonicalFingerprint, canonicalSubjectOf, type CertificateIdentity } from './certificate-identity';

/** A certificate the client presented in the TLS handshake, and whether a configured CA vouches for it. */
export interface PresentedCertificate extends CertificateIdentity {
  trusted: boolean;
  /** OpenSSL's reason when it is not trusted, such as UNABLE_TO_VERIFY_LEAF_SIGNATURE. */
  untrustedBecause?: string;
}

/** The certificate on this request's connection; undefined over plain HTTP or when the client sent none. */
export function presentedCertificate(req: Request): PresentedCertificate | undefined {
  const socket = req.socket;
  if (!(socket instanceof TLSSocket)) return undefined;
  const peer = socket.getPeerCertificate();
  // Node answers an empty object when the client sent no certificate.
  const fingerprint = canonicalFingerprint(peer.fingerprint256 ?? '');
  if (!fingerprint) return undefined;
  const subject = canonicalSubjectOf(asSubjectAttributes(peer.subject));
  const reason = socket.authorizationError;
  return {
    fingerprint,
    ...(subject !== undefined && { subject }),
    trusted: socket.authorized,
    ...(!socket.authorized && reason !== undefined && { untrustedBecause: String(reason) }),
  };
}

/**
 * TLS client certificates (docs/security.md, Client certificates) as a passport strategy. The
 * listener asks for a certificate but, unless TLS_CLIENT_CERT=required, completes the handshake
 * whatever the client sends (`rejectUnauthorized: false`): a refused handshake reaches a TAXII
 * client as a bare connection reset it cannot explain, while a TAXII 401 error resource says what
 * went wrong, and a client without a certificate may still use Basic or a token. So trust is
 * checked here, from `socket.authorized`, before any mapping is looked up.
 *
 * No certificate fails without a challenge ("not mine"), so the Authorization header's strategies
 * decide; a certificate that is presented and does not hold fails with a reason.
 */
export class ClientCertificateStrategy extends Strategy {
  readonly name = 'client-certificate';

  constructor(private readonly verify: (certificate: PresentedCertificate, ip: string | undefined) => Promise<AuthenticationOutcome>) {
    super();
  }

  override authenticate(req: Request): void {
    const certificate = presentedCertificate(req);
    if (!certificate) return this.fail(401);
    settle(this, this.verify(certificate, req.ip));
  }
}

/**
 * A trusted certificate logs in as the user its fingerprint is mapped to or, failing that, the user
 * its subject is mapped to: the fingerprint names this very certificate, the subject any
 * certificate the CA issues under that name.
 */
export async function checkClientCertificate(credentials: CredentialRepository, certificate: PresentedCertificate, ip: string | undefined): Promise<AuthenticationOutcome> {
  const fail = (reason: string, username?: string): AuthenticationOutcome => ({ failure: { username, ip, reason, certificate: certificate.fingerprint } });
  if (!certificate.trusted) return fail(`client certificate not issued by a CA of TLS_CLIENT_CA (${certificate.untrustedBecause ?? 'unverified'})`);
  const mapping = (await credentials.findClientCertificate('fingerprint', certificate.fingerprint))
    ?? (certificate.subject === undefined ? undefined : await credentials.findClientCertificate('subject', certificate.subject));
  if (!mapping) return fail(`client certificate is not mapped to a user (subject ${certificate.subject ?? 'empty'})`);
  const user = await credentials.findUser(mapping.username);
  if (!user) return fail('the user of this client certificate no longer exists', mapping.username);
  if (user.disabled) return fail('user is disabled', mapping.username);
  return {
    principal: { username: user.username, organisation: user.organisation, role: user.role, authenticatedBy: { method: 'certificate', fingerprint: certificate.fingerprint } },
  };
}
