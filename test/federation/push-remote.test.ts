import { remoteEndpoints, RemoteError } from '../../server/federation/push-remote';

describe('remoteEndpoints', () => {
  it.each([
    ['https://hub.example.org/taxii/alliance/collections/9b1f3f4e/', 'https://hub.example.org/taxii/alliance/', 'https://hub.example.org/taxii/alliance/collections/9b1f3f4e/objects/'],
    ['http://10.0.0.5:8000/api1/collections/abc/', 'http://10.0.0.5:8000/api1/', 'http://10.0.0.5:8000/api1/collections/abc/objects/'],
  ])('finds the API root and the objects URL of %s (TAXII 2.1 §4.2, §5.4)', (collectionUrl, apiRoot, objects) => {
    const endpoints = remoteEndpoints(collectionUrl);
    expect(endpoints.apiRootUrl.href).toBe(apiRoot);
    expect(endpoints.objectsUrl.href).toBe(objects);
  });

  it('refuses a URL that is not a collection', () => {
    expect(() => remoteEndpoints('https://hub.example.org/taxii/alliance/')).toThrow(RemoteError);
  });
});
