/**
 * The deploy files agree with the code: fly.toml's release command and the image's command run the
 * compiled entry point the build produces, the ports and health paths are the server's, the kill
 * timeout outlasts the shutdown drain, and the image ships production dependencies only.
 * (No Docker engine runs here; this is what can be checked without building the image.)
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { CONFIG_VARIABLES } from '../../src/config.js';
import { fontFiles } from '../../src/charts/font.js';
import { SHUTDOWN_DRAIN_MS } from '../../src/main.js';

const ROOT = join(import.meta.dirname, '../..');
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');

interface Fly {
  kill_signal: string;
  kill_timeout: number | string;
  deploy: { release_command: string };
  env: Record<string, string>;
  http_service: { internal_port: number; auto_stop_machines: string | boolean; checks: { path: string; method: string; grace_period: string }[] };
  metrics: { port: number; path: string };
  vm: { memory: string }[];
}

const fly = parse(read('fly.toml')) as unknown as Fly;
const pkg = JSON.parse(read('package.json')) as { scripts: Record<string, string>; dependencies: Record<string, string> };

/** The Dockerfile as stages: name and instructions (continuation lines joined). */
function stages(): { name: string; lines: string[] }[] {
  const result: { name: string; lines: string[] }[] = [];
  for (const line of read('Dockerfile').replace(/\\\n/g, ' ').split('\n').map((l) => l.trim())) {
    if (!line || line.startsWith('#')) continue;
    const from = /^FROM\s+\S+\s+AS\s+(\S+)/i.exec(line);
    if (from) result.push({ name: from[1]!, lines: [] });
    else result.at(-1)?.lines.push(line);
  }
  return result;
}

const seconds = (value: string | number) => (typeof value === 'number' ? value : Number(/^(\d+)s$/.exec(value)?.[1]));

describe('the deploy files', () => {
  const [build, deps, run] = stages();
  const cmd = JSON.parse(run!.lines.find((l) => l.startsWith('CMD'))!.slice(3)) as string[];
  const entry = cmd[1]!;

  it('start the compiled entry point the build produces, and migrate with it before a release', () => {
    expect(cmd).toEqual(['node', entry, 'start']);
    // dist/bundle/main.js is src/cli/main.ts bundled (bin/build.js, which `npm run build` runs after tsc).
    expect(entry).toBe('dist/bundle/main.js');
    expect(read('bin/build.js')).toContain("main: 'src/cli/main.ts'");
    expect(fly.deploy.release_command).toBe(`node ${entry} migrate`);
  });

  it('build with the package scripts, then ship production dependencies only, as a non-root user', () => {
    expect(stages().map((s) => s.name)).toEqual(['build', 'deps', 'run']);
    expect(build!.lines).toContain('RUN npm ci --no-audit --no-fund');
    const buildScript = build!.lines.find((l) => /^RUN npm run \S+$/.test(l))!.split(' ').at(-1)!;
    expect(pkg.scripts[buildScript]).toMatch(/^tsc -p tsconfig\.build\.json && node bin\/build\.js$/);
    expect(deps!.lines.some((l) => l.startsWith('RUN npm ci --omit=dev'))).toBe(true);
    expect(run!.lines).toEqual(expect.arrayContaining(['ENV NODE_ENV=production', 'COPY --from=deps /app/node_modules ./node_modules', 'COPY --from=build /app/dist ./dist', 'COPY questions ./questions', 'USER node']));
    expect(run!.lines.some((l) => /npm (ci|install)(?!.*--omit=dev)/.test(l))).toBe(false);
  });

  it('keep tsx and esbuild out of the production dependencies', () => {
    const lock = JSON.parse(read('package-lock.json')) as { packages: Record<string, { dev?: boolean }> };
    for (const tool of ['tsx', 'esbuild', 'typescript', 'vitest']) {
      expect(pkg.dependencies[tool]).toBeUndefined();
      expect(lock.packages[`node_modules/${tool}`]?.dev).toBe(true);
    }
  });

  it('serve HTTP, health checks and metrics on the port the bot listens on', () => {
    const port = Number(fly.env.PORT);
    expect(fly.http_service.internal_port).toBe(port);
    expect(fly.metrics).toEqual({ port, path: '/metrics' });
    expect(run!.lines).toContain(`EXPOSE ${port}`);
    expect(fly.http_service.checks.map((c) => [c.method, c.path])).toEqual([
      ['GET', '/healthz'],
      ['GET', '/readyz'],
    ]);
    // The start migrates nothing (the release did) but syncs the bank and connects: give it time.
    for (const check of fly.http_service.checks) expect(seconds(check.grace_period)).toBeGreaterThanOrEqual(20);
  });

  it('keep machines running and give the shutdown drain time to finish', () => {
    expect(fly.http_service.auto_stop_machines).toBe('off');
    expect(fly.env.NODE_ENV).toBe('production');
    expect(fly.kill_signal).toBe('SIGTERM');
    expect(seconds(fly.kill_timeout) * 1000).toBeGreaterThan(SHUTDOWN_DRAIN_MS + 5_000);
    expect(Number.parseInt(fly.vm[0]!.memory, 10)).toBeGreaterThanOrEqual(512);
  });

  // The image has no system fonts, so the charts' font must come with the production node_modules.
  it('ship the charts’ font in the image: dejavu-fonts-ttf is a production dependency the charts load first', () => {
    expect(pkg.dependencies['dejavu-fonts-ttf']).toBeDefined();
    const files = fontFiles();
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) expect(file).toContain(join('node_modules', 'dejavu-fonts-ttf'));
  });

  it('list every variable the bot reads in .env.example, and keep secrets out of the image', () => {
    const listed = new Set([...read('.env.example').matchAll(/^([A-Z_]+)=/gm)].map((m) => m[1]));
    expect(CONFIG_VARIABLES.filter((name) => !listed.has(name))).toEqual([]);
    expect(read('.dockerignore').split('\n')).toEqual(expect.arrayContaining(['node_modules', '.env', 'dist', '.git']));
  });
});
