import { readSettings } from '../../../server/config/settings';
import { ConfigError } from '../../../server/errors';

describe('readSettings', () => {
  it('applies the documented defaults', () => {
    const settings = readSettings({});
    expect(settings).toMatchObject({ host: '127.0.0.1', port: 8000, databaseName: 'taxii_alliance', logLevel: 'info', pageSizes: { defaultLimit: 1000, maxLimit: 5000 } });
    expect(settings.mongodbUri).toBeUndefined();
    expect(settings.tlsCertFile).toBeUndefined();
  });

  it('reads page sizes', () => {
    expect(readSettings({ PAGE_SIZE: '200', MAX_PAGE_SIZE: '20000' }).pageSizes).toEqual({ defaultLimit: 200, maxLimit: 20000 });
  });

  it.each([
    [{ PORT: 'eighty' }, /PORT/],
    [{ LOG_LEVEL: 'chatty' }, /LOG_LEVEL/],
    [{ TLS_CERT: 'cert.pem' }, /TLS_CERT and TLS_KEY/],
    [{ PAGE_SIZE: '0' }, /PAGE_SIZE must be a positive integer/],
    [{ MAX_PAGE_SIZE: '1.5' }, /MAX_PAGE_SIZE must be a positive integer/],
    [{ PAGE_SIZE: '6000' }, /must not exceed MAX_PAGE_SIZE/],
  ])('refuses %p with a message naming the variable', (env, message) => {
    expect(() => readSettings(env)).toThrow(ConfigError);
    expect(() => readSettings(env)).toThrow(message);
  });
});
