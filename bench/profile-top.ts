/**
 * `tsx bench/profile-top.ts FILE.cpuprofile [N]`: where the time went in a `node --cpu-prof` profile, as
 * self time per function and per package or source folder (the top N of each).
 */
import { readFileSync } from 'node:fs';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
const file = process.argv[2];
if (!file) throw new Error('usage: tsx bench/profile-top.ts FILE.cpuprofile [N]');
const top = Number(process.argv[3] ?? 25);
const profile = JSON.parse(readFileSync(file, 'utf8')) as { nodes: Node[]; samples: number[]; timeDeltas: number[] };
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const self = new Map<number, number>();
profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
const total = [...self.values()].reduce((a, b) => a + b, 0);

function where(url: string): string {
  if (!url) return '(native/vm)';
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nm) return nm[1]!;
  if (url.startsWith('node:')) return url;
  const own = /\/(src\/[^/]+|adapters\/[^/]+|migrations|bench|test\/fakes)\//.exec(url);
  return own ? own[1]! : url;
}
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
/** Native frames (writev, GC is separate) count for the nearest JavaScript caller's package. */
function owner(id: number): string {
  for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
    const url = byId.get(at)!.callFrame.url;
    if (url) return where(url);
  }
  return byId.get(id)!.callFrame.functionName || '(native/vm)';
}
const owners = new Map<string, number>();
const fns = new Map<string, number>();
const places = new Map<string, number>();
for (const [id, us] of self) {
  const f = byId.get(id)!.callFrame;
  const short = f.url.replace(/^.*\/(node_modules|wt\/[^/]+)\//, '');
  const name = `${f.functionName || '(anonymous)'} ${short ? `${short}:${f.lineNumber + 1}` : ''}`;
  fns.set(name, (fns.get(name) ?? 0) + us);
  places.set(where(f.url), (places.get(where(f.url)) ?? 0) + us);
  owners.set(owner(id), (owners.get(owner(id)) ?? 0) + us);
}
const show = (title: string, m: Map<string, number>) => {
  console.log(`\n${title} (of ${(total / 1e6).toFixed(2)} s sampled)`);
  for (const [k, us] of [...m].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${((100 * us) / total).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(6)} ms  ${k}`);
};
show('self time by package / folder', places);
show('self time by function', fns);
show('self time with native frames given to their JavaScript caller', owners);
