#!/usr/bin/env node
/* global fetch */
// CI: the compiled build (dist/, as the Docker image runs it) migrates a fresh database, starts as a
// production server against a stand-in Slack Web API, answers /healthz and /readyz, and exits 0 on
// SIGTERM. Usage: node .ci/smoke-compiled.mjs postgres://postgres@127.0.0.1:5432/postgres
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const MAIN = 'dist/src/cli/main.js';
const admin = process.argv[2] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const fail = (message) => {
  console.error(`smoke: ${message}`);
  process.exit(1);
};

// A fresh database, dropped at the end, so the migration really runs.
const name = `dojo_smoke_${process.pid}`;
const url = new URL(admin);
const adminClient = new pg.Client({ connectionString: admin });
await adminClient.connect();
await adminClient.query(`create database ${name}`);
url.pathname = `/${name}`;

// Just enough Slack for the start: auth.test says who the token belongs to.
const slack = createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify(req.url?.includes('auth.test') ? { ok: true, team_id: 'T0SMOKE', user_id: 'UBOT', bot_id: 'BBOT' } : { ok: true }));
});
await new Promise((resolve) => slack.listen(0, '127.0.0.1', resolve));
const port = 20000 + (process.pid % 20000);
const env = {
  PATH: process.env.PATH,
  NODE_ENV: 'production',
  PORT: String(port),
  DATABASE_URL: url.toString(),
  SLACK_BOT_TOKEN: 'xoxb-smoke',
  SLACK_SIGNING_SECRET: '0123456789abcdef0123456789abcdef',
  SLACK_API_URL: `http://127.0.0.1:${slack.address().port}/api/`,
  LOG_LEVEL: 'warn',
};

function run(args) {
  const child = spawn(process.execPath, [MAIN, ...args], { cwd: ROOT, env, stdio: ['ignore', 'inherit', 'inherit'] });
  return { child, exited: new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal))) };
}

try {
  const migrate = run(['migrate']);
  if ((await migrate.exited) !== 0) fail('dojo migrate failed');

  const started = Date.now();
  const server = run(['start']);
  let healthy = false;
  while (!healthy && Date.now() - started < 60_000) {
    if (server.child.exitCode !== null) fail(`dojo start exited early (${server.child.exitCode})`);
    healthy = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.status === 200, () => false);
    if (!healthy) await new Promise((resolve) => setTimeout(resolve, 250));
  }
  if (!healthy) fail('GET /healthz never answered 200');
  const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
  if (ready.status !== 200) fail(`GET /readyz answered ${ready.status}: ${await ready.text()}`);
  const rss = readFileSync(`/proc/${server.child.pid}/status`, 'utf8').match(/VmRSS:\s+(\d+) kB/)?.[1];
  console.log(`smoke: compiled build up in ${Date.now() - started} ms, ready, RSS ${rss ? Math.round(Number(rss) / 1024) : '?'} MiB`);
  server.child.kill('SIGTERM');
  const stopping = Date.now();
  const code = await Promise.race([server.exited, new Promise((resolve) => setTimeout(() => resolve('timeout'), 30_000))]);
  if (code !== 0) fail(`dojo start did not exit cleanly on SIGTERM (${code})`);
  console.log(`smoke: stopped cleanly in ${Date.now() - stopping} ms`);
} finally {
  slack.close();
  await adminClient.query(`drop database if exists ${name} with (force)`).catch(() => {});
  await adminClient.end();
}
