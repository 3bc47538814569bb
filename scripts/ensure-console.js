#!/usr/bin/env node
// Builds the web console (console/ -> console/dist) when a source is newer than the last build, so
// `npm start` and `npm test` serve an up-to-date console without a separate step. esbuild bundles
// the React app in well under a second; it is already what tsx runs on. Plain JavaScript, called by
// ensure-deps.js once the dependencies are installed, and by the browser tests' set-up.
'use strict';
const { existsSync, mkdirSync, readdirSync, statSync, copyFileSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const consoleDir = join(root, 'console');
const dist = join(consoleDir, 'dist');
const stamp = join(dist, '.built');

function newestChange(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((newest, name) => Math.max(newest, newestChange(join(path, name))), stat.mtimeMs);
}

function sourcesChangedSinceBuild() {
  if (!existsSync(stamp)) return true;
  const built = statSync(stamp).mtimeMs;
  const sources = [join(consoleDir, 'src'), join(consoleDir, 'index.html'), join(root, 'package-lock.json'), __filename];
  return sources.some((source) => newestChange(source) > built);
}

function buildConsole() {
  const esbuild = require('esbuild');
  mkdirSync(dist, { recursive: true });
  esbuild.buildSync({
    entryPoints: [join(consoleDir, 'src', 'main.tsx')],
    bundle: true,
    minify: true,
    sourcemap: true,
    format: 'esm',
    target: ['es2022'],
    jsx: 'automatic',
    define: { 'process.env.NODE_ENV': '"production"' },
    outfile: join(dist, 'app.js'),
    logLevel: 'warning',
  });
  copyFileSync(join(consoleDir, 'index.html'), join(dist, 'index.html'));
  writeFileSync(stamp, `${new Date().toISOString()}\n`);
}

function ensureConsole() {
  if (!sourcesChangedSinceBuild()) return false;
  console.log('Building the web console (console/dist)...');
  buildConsole();
  return true;
}

module.exports = { ensureConsole };
if (require.main === module) ensureConsole();
