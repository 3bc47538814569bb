import { readFile } from 'node:fs/promises';
import { Command } from 'commander';
import {
  addClientCertificate as addService,
  certificateKey,
  listClientCertificates as listService,
  removeClientCertificate as removeService,
} from '../../server/services/admin/certificates';
import { parseAdminInput } from '../../server/services/admin/input-errors';
import { addCertificateBody, listCertificatesQuery } from '../../server/services/admin/inputs';
import { CliError, type AdminContext } from './context';
import { formatTable, isoOrDash } from './input';

interface CertificateOptions {
  fingerprint?: string;
  subject?: string;
  pem?: string;
}

/** `--pem` names a file; the API takes the PEM text itself, so the file is read here. */
async function namedCertificate(options: CertificateOptions): Promise<{ fingerprint?: string; subject?: string; pem?: string }> {
  if (options.pem === undefined) return { fingerprint: options.fingerprint, subject: options.subject };
  try {
    return { fingerprint: options.fingerprint, subject: options.subject, pem: await readFile(options.pem, 'utf8') };
  } catch (error) {
    throw new CliError(`cannot read ${options.pem}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

async function addCertificate(context: AdminContext, username: string, options: CertificateOptions): Promise<void> {
  // The body POST /admin/certificates takes, through the same schema, so both say the same about a bad one.
  const input = parseAdminInput(addCertificateBody, { username, ...(await namedCertificate(options)) }, 'body');
  const record = await addService(await context.dependencies(), await context.request(), input);
  context.output.out(`Client certificate with ${record.match} ${record.value} now logs in as ${record.username}.`);
  context.output.err('The server accepts it once TLS_CLIENT_CERT is optional or required and TLS_CLIENT_CA holds the CA that issued it.');
}

async function listCertificates(context: AdminContext, options: { user?: string }): Promise<void> {
  const filter = parseAdminInput(listCertificatesQuery, { user: options.user }, 'query');
  const certificates = await listService(await context.dependencies(), await context.request(), filter);
  if (certificates.length === 0) {
    context.output.out(options.user ? `No client certificates for ${options.user}.` : 'No client certificates.');
    return;
  }
  const rows = certificates.map((certificate) => [certificate.username, certificate.match, certificate.value, isoOrDash(certificate.createdAt)]);
  for (const line of formatTable(['USER', 'MATCH', 'VALUE', 'CREATED'], rows)) context.output.out(line);
}

async function removeCertificate(context: AdminContext, options: CertificateOptions): Promise<void> {
  const named = await namedCertificate(options);
  if ([named.fingerprint, named.subject, named.pem].filter((value) => value !== undefined).length !== 1) {
    throw new CliError('give exactly one of --fingerprint, --subject or --pem');
  }
  const removed = await removeService(await context.dependencies(), await context.request(), certificateKey(named));
  context.output.out(`Client certificate with ${removed.match} ${removed.value} no longer logs in as ${removed.username}.`);
}

function certificateOptions(command: Command): Command {
  return command
    .option('--fingerprint <sha256>', 'the SHA-256 fingerprint, as `openssl x509 -noout -fingerprint -sha256` prints it')
    .option('--subject <dn>', 'the subject DN, e.g. "/C=DE/O=BKA/CN=misp.bka.de": any certificate of TLS_CLIENT_CA with this subject')
    .option('--pem <file>', 'a PEM certificate file: its SHA-256 fingerprint');
}

export function certCommands(context: AdminContext): Command {
  const cert = new Command('cert').description('map TLS client certificates to users (docs/security.md, Client certificates)');
  certificateOptions(cert.command('add <username>').description('let a client certificate log in as this user: one of --fingerprint, --subject, --pem'))
    .action((username: string, options: CertificateOptions) => addCertificate(context, username, options));
  cert
    .command('list')
    .description('list client certificate mappings')
    .option('--user <username>', 'only this user\'s certificates')
    .action((options: { user?: string }) => listCertificates(context, options));
  certificateOptions(cert.command('remove').description('stop a client certificate from logging in, at once: one of --fingerprint, --subject, --pem'))
    .action((options: CertificateOptions) => removeCertificate(context, options));
  return cert;
}
