#!/usr/bin/env node
// Installs the npm dependencies when node_modules is missing or was installed from another
// package-lock.json, so that `npm start` and `npm test` work on a fresh clone without a separate
// install step. Plain JavaScript on purpose: it must run before any dependency exists.
// `npm install` rather than `npm ci`: the npm 11 on our machines writes lock files that its own
// `npm ci` then refuses (it expects other platforms' optional packages), while `npm install`
// installs exactly the locked versions.
'use strict';
const { createHash } = require('node:crypto');
const { existsSync, readFileSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { execSync } = require('node:child_process');

const root = join(__dirname, '..');
const lockHash = createHash('sha256').update(readFileSync(join(root, 'package-lock.json'))).digest('hex');
const stamp = join(root, 'node_modules', '.installed-lock-sha256');

if (!existsSync(stamp) || readFileSync(stamp, 'utf8').trim() !== lockHash) {
  console.log('Installing npm dependencies...');
  execSync('npm install --no-audit --no-fund', { cwd: root, stdio: 'inherit' });
  writeFileSync(stamp, `${lockHash}\n`);
}

require('./ensure-console').ensureConsole();
