#!/usr/bin/env node
// Installs the npm dependencies when node_modules is missing or older than package-lock.json, so that
// `npm start` and `npm test` work on a fresh clone without a separate install step.
// Plain JavaScript on purpose: it must run before any dependency (tsx, typescript) exists.
'use strict';
const { existsSync, statSync } = require('node:fs');
const { join } = require('node:path');
const { execSync } = require('node:child_process');

const root = join(__dirname, '..');
const lock = join(root, 'package-lock.json');
const installedMarker = join(root, 'node_modules', '.package-lock.json');

function upToDate() {
  if (!existsSync(installedMarker)) return false;
  return statSync(installedMarker).mtimeMs >= statSync(lock).mtimeMs;
}

if (!upToDate()) {
  console.log('Installing npm dependencies (npm ci)...');
  execSync('npm ci --no-audit --no-fund', { cwd: root, stdio: 'inherit' });
}
