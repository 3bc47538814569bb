#!/usr/bin/env node
// The container's health check (Dockerfile HEALTHCHECK): exit 0 when the server's GET /health answers
// 200, 1 otherwise. Plain JavaScript, so that it runs from the image without the build. It asks the
// server on the loopback, over HTTPS when TLS_CERT is set; the certificate is not checked, since it
// names the service, not 127.0.0.1.
'use strict';
const port = process.env.PORT || '8000';
const secure = Boolean(process.env.TLS_CERT);
const client = require(secure ? 'node:https' : 'node:http');

const request = client.get({ host: '127.0.0.1', port, path: '/health/live', timeout: 4000, rejectUnauthorized: false }, (response) => {
  response.resume();
  process.exit(response.statusCode === 200 ? 0 : 1);
});
request.on('timeout', () => request.destroy(new Error('timeout')));
request.on('error', () => process.exit(1));
