/**
 * `npx tsx scripts/trace-stages.ts SPEC -o OUT [render options]`: renders in this process
 * from the TypeScript sources under a CPU profile, then prints the trace of the render
 * through the pipeline's stages (docs/architecture.md): each call the driver (src/pipeline/)
 * makes into a stage, in time order, and every call from a folder into one after it in the
 * boundary order (support → spec → compile → data → render → encode → pool/player →
 * pipeline → cli), which only a callback passed down can make.
 *
 * It samples every 100 µs: a stage that takes less time may not show.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ORDER from './pipeline-stages.json' with { type: 'json' };

const ROOT = new URL('..', import.meta.url).pathname;

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}

interface Frame {
  folder: string;
  fn: string;
  file: string;
}

function frameOf(node: ProfileNode): Frame | undefined {
  const m = /\/src\/(?:([^/]+)\/)?([^/]+)\.ts$/.exec(node.callFrame.url);
  if (!m) return undefined;
  const folder = m[1] ?? 'api';
  return {
    folder,
    fn: node.callFrame.functionName || '(anonymous)',
    file: `${m[1] ? `${m[1]}/` : ''}${m[2]}.ts`,
  };
}

const dir = mkdtempSync(path.join(tmpdir(), 'vf-trace-'));
try {
  const run = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      '--cpu-prof',
      `--cpu-prof-dir=${dir}`,
      '--cpu-prof-interval',
      '100',
      path.join(ROOT, 'src/cli/bin.ts'),
      'render',
      ...process.argv.slice(2),
    ],
    { stdio: 'inherit', env: { ...process.env, VF_SUPERVISED: 'off' } },
  );
  if (run.status !== 0) process.exit(run.status ?? 1);
  // The main thread's profile is the first; render workers write their own.
  const [main] = readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .sort();
  const profile = JSON.parse(readFileSync(path.join(dir, main), 'utf8')) as {
    nodes: ProfileNode[];
    samples: number[];
  };
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const stackOf = (id: number): Frame[] => {
    const out: Frame[] = [];
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const f = frameOf(nodes.get(at)!);
      if (f) out.push(f);
    }
    return out.reverse(); // root first
  };
  const trace: string[] = [];
  const upward = new Map<string, number>();
  for (const id of profile.samples) {
    const stack = stackOf(id);
    for (let i = 1; i < stack.length; i++) {
      const [a, b] = [stack[i - 1], stack[i]];
      if (a.folder === 'api' || b.folder === 'api') continue;
      if (ORDER.indexOf(b.folder) > ORDER.indexOf(a.folder)) {
        const key = `${a.folder}/${a.fn} → ${b.folder}/${b.fn} (${b.file})`;
        upward.set(key, (upward.get(key) ?? 0) + 1);
      }
    }
    // The driver's deepest frame and the stage it called.
    const last = stack.map((f) => f.folder).lastIndexOf('pipeline');
    const callee = stack[last + 1];
    if (last < 0 || !callee) continue;
    const step = `${stack[last].file} ${stack[last].fn} → ${callee.folder}/ ${callee.fn}`;
    if (trace.at(-1) !== step) trace.push(step);
  }
  // A frame loop repeats the same calls: each distinct call once, in order of first use.
  const seen = new Set<string>();
  console.log('The driver calls the stages, in time order (each call shown once):');
  for (const step of trace) if (!seen.has(step) && seen.add(step)) console.log(`  ${step}`);
  console.log(`\nCalls from a folder into one after it: ${upward.size === 0 ? 'none' : ''}`);
  for (const [key, n] of [...upward].sort((x, y) => y[1] - x[1]))
    console.log(`  ${key}: ${n} samples`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
