import { readSettings } from '../../server/config/settings';
import { ConfigError } from '../../server/errors';

describe('readSettings', () => {
  it('applies the documented defaults', () => {
    const settings = readSettings({});
    expect(settings).toMatchObject({ host: '127.0.0.1', port: 8000, databaseName: 'taxii_alliance', logLevel: 'info', pageSizes: { defaultLimit: 1000, maxLimit: 5000 } });
    expect(settings.limits).toEqual({ maxObjectBytes: 1_048_576, maxPageBytes: 16_777_216 });
    expect(settings.mongodbUri).toBeUndefined();
    expect(settings.tlsCertFile).toBeUndefined();
    expect(settings.corsOrigins).toEqual([]);
    expect(settings.rateLimitPerSecond).toBe(200);
    expect(settings.metrics).toBeUndefined();
  });

  it('reads the CORS origins, the rate limit and the metrics listener', () => {
    const settings = readSettings({ CORS_ORIGINS: 'https://portal.example.org, http://localhost:3000', RATE_LIMIT_PER_SECOND: '50', METRICS_PORT: '9464' });
    expect(settings.corsOrigins).toEqual(['https://portal.example.org', 'http://localhost:3000']);
    expect(settings.rateLimitPerSecond).toBe(50);
    expect(settings.metrics).toEqual({ host: '127.0.0.1', port: 9464 });
    expect(readSettings({ METRICS_PORT: '9464', METRICS_HOST: '0.0.0.0' }).metrics).toEqual({ host: '0.0.0.0', port: 9464 });
  });

  it('reads page sizes', () => {
    expect(readSettings({ PAGE_SIZE: '200', MAX_PAGE_SIZE: '20000' }).pageSizes).toEqual({ defaultLimit: 200, maxLimit: 20000 });
  });

  it('reads the byte limits of objects and pages (docs/security.md §3)', () => {
    expect(readSettings({ MAX_OBJECT_BYTES: '2097152', MAX_PAGE_BYTES: '33554432' }).limits).toEqual({ maxObjectBytes: 2_097_152, maxPageBytes: 33_554_432 });
  });

  it('reads PUBLIC_BASE_URL as an origin, with or without a trailing slash', () => {
    expect(readSettings({}).publicBaseUrl).toBeUndefined();
    expect(readSettings({ PUBLIC_BASE_URL: 'https://taxii.alliance.example/' }).publicBaseUrl).toBe('https://taxii.alliance.example');
    expect(readSettings({ PUBLIC_BASE_URL: 'https://TAXII.alliance.example:8443' }).publicBaseUrl).toBe('https://taxii.alliance.example:8443');
  });

  it.each([
    [{ PUBLIC_BASE_URL: 'taxii.alliance.example' }, /PUBLIC_BASE_URL must be an absolute http\(s\) URL/],
    [{ PUBLIC_BASE_URL: 'ftp://taxii.alliance.example' }, /PUBLIC_BASE_URL must use http or https/],
    [{ PUBLIC_BASE_URL: 'https://taxii.alliance.example/taxii' }, /PUBLIC_BASE_URL must be a scheme, host and optional port only/],
    [{ PUBLIC_BASE_URL: 'https://user:pw@taxii.alliance.example' }, /PUBLIC_BASE_URL must be a scheme, host and optional port only/],
    [{ PORT: 'eighty' }, /PORT/],
    [{ MAX_OBJECT_BYTES: '1MiB' }, /MAX_OBJECT_BYTES must be a positive integer/],
    [{ MAX_PAGE_BYTES: '0' }, /MAX_PAGE_BYTES must be a positive integer/],
    [{ MAX_OBJECT_BYTES: '2000000', MAX_PAGE_BYTES: '1000000' }, /MAX_OBJECT_BYTES \(2000000\) must not exceed MAX_PAGE_BYTES \(1000000\)/],
    [{ LOG_LEVEL: 'chatty' }, /LOG_LEVEL/],
    [{ TLS_CERT: 'cert.pem' }, /TLS_CERT and TLS_KEY/],
    [{ PAGE_SIZE: '0' }, /PAGE_SIZE must be a positive integer/],
    [{ MAX_PAGE_SIZE: '1.5' }, /MAX_PAGE_SIZE must be a positive integer/],
    [{ PAGE_SIZE: '6000' }, /must not exceed MAX_PAGE_SIZE/],
    [{ CORS_ORIGINS: '*' }, /CORS_ORIGINS entries must be origins/],
    [{ CORS_ORIGINS: 'https://portal.example.org/' }, /CORS_ORIGINS entries must be origins.*'https:\/\/portal.example.org\/'/],
    [{ RATE_LIMIT_PER_SECOND: '0' }, /RATE_LIMIT_PER_SECOND must be a positive integer/],
    [{ METRICS_PORT: 'prometheus' }, /METRICS_PORT must be a port number/],
  ])('refuses %p with a message naming the variable', (env, message) => {
    expect(() => readSettings(env)).toThrow(ConfigError);
    expect(() => readSettings(env)).toThrow(message);
  });
});
