import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { identityOfPem } from '../../../server/auth/certificate-identity';
import { runAdminCli, type CliRun } from '../../support/admin-cli';
import { openTestStorage, type TestStorage } from '../../support/storage';

describe('admin CLI: cert', () => {
  let database: TestStorage;
  let directory: string;
  let pemFile: string;
  let fingerprint: string;
  const admin = (args: string[]): Promise<CliRun> => runAdminCli(database, args);

  beforeAll(async () => {
    database = await openTestStorage('admin_cli_cert');
    await database.credentials.addUser({ username: 'analyst@de-bka', organisation: 'de-bka', role: 'member', passwordHash: 'scrypt$unused', disabled: false, createdAt: new Date() });
    directory = await mkdtemp(join(tmpdir(), 'taxii-cert-cli-'));
    pemFile = join(directory, 'client.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', join(directory, 'client.key'), '-out', pemFile,
      '-days', '1', '-subj', '/C=DE/O=BKA/CN=misp.bka.de'], { stdio: 'ignore' });
    fingerprint = identityOfPem(await readFile(pemFile, 'utf8')).fingerprint;
  });
  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
    await database.close();
  });

  it('maps a PEM file by its fingerprint and a subject as given, and lists both', async () => {
    const byPem = await admin(['cert', 'add', 'analyst@de-bka', '--pem', pemFile]);
    expect(byPem).toMatchObject({ code: 0, stdout: `Client certificate with fingerprint ${fingerprint} now logs in as analyst@de-bka.\n` });
    const bySubject = await admin(['cert', 'add', 'analyst@de-bka', '--subject', '/C=DE/O=BKA/CN=opencti.bka.de']);
    expect(bySubject.code).toBe(0);
    expect(await database.credentials.listClientCertificates('analyst@de-bka')).toEqual([
      expect.objectContaining({ match: 'fingerprint', value: fingerprint }),
      expect.objectContaining({ match: 'subject', value: 'C=DE,CN=opencti.bka.de,O=BKA' }),
    ]);
    const list = await admin(['cert', 'list']);
    expect(list.code).toBe(0);
    expect(list.stdout.split('\n')[0]).toMatch(/^USER\s+MATCH\s+VALUE\s+CREATED$/);
    expect(list.stdout).toMatch(new RegExp(`^analyst@de-bka\\s+fingerprint\\s+${fingerprint}\\s+\\d{4}-`, 'm'));
    expect((await database.audit.query({ actions: ['certificate.add'], limit: 10 })).map((record) => record.details?.value)).toEqual(['C=DE,CN=opencti.bka.de,O=BKA', fingerprint]);
  });

  it.each([
    [['cert', 'add', 'analyst@de-bka'], /^error: give exactly one of fingerprint, subject or pem\n$/],
    [['cert', 'add', 'analyst@de-bka', '--fingerprint', 'abc'], /^error: fingerprint must be a SHA-256 fingerprint/],
    [['cert', 'add', 'ghost@de-bka', '--fingerprint', 'ab'.repeat(32)], /^error: No user 'ghost@de-bka' is available to you\.\n$/],
    [['cert', 'add', 'analyst@de-bka', '--pem', '/nonexistent/client.pem'], /^error: cannot read \/nonexistent\/client\.pem/],
    [['cert', 'remove', '--subject', 'CN=nobody'], /^error: No client certificate with subject 'CN=nobody' is available to you\.\n$/],
    [['cert', 'remove'], /^error: give exactly one of --fingerprint, --subject or --pem\n$/],
  ])('refuses %j', async (args, message) => {
    const run = await admin(args);
    expect(run).toMatchObject({ code: 1, stdout: '' });
    expect(run.stderr).toMatch(message);
  });

  it('refuses to map one certificate twice', async () => {
    const run = await admin(['cert', 'add', 'analyst@de-bka', '--fingerprint', fingerprint.toLowerCase()]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/is already mapped to a user/);
  });

  it('removes a mapping named by its PEM file, then lists only the other', async () => {
    const run = await admin(['cert', 'remove', '--pem', pemFile]);
    expect(run).toMatchObject({ code: 0, stdout: `Client certificate with fingerprint ${fingerprint} no longer logs in as analyst@de-bka.\n` });
    expect(await database.credentials.findClientCertificate('fingerprint', fingerprint)).toBeUndefined();
    const list = await admin(['cert', 'list', '--user', 'analyst@de-bka']);
    expect(list.stdout).not.toContain(fingerprint);
    expect(list.stdout).toContain('C=DE,CN=opencti.bka.de,O=BKA');
  });
});
