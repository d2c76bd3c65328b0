/**
 * `vega-frames preview SPEC`: a local server that shows the spec's HTML player and renders
 * it again whenever the spec or a file it reads changes.
 *
 *   browser ── GET / ─────────▶ the shell page: a status line, the player in an iframe
 *           ◀─ /events ──────── Server-Sent Events: each new version (or error) as JSON
 *           ── GET /player?v=N ▶ the last good render's player HTML, as the API wrote it
 *
 *   preview (this process) ── fs.watch: the spec's folder and every input file's folder
 *        │ on a change (debounced): spawns one render as the command does, supervised
 *        ▼
 *   vega-frames preview-render [options] -- SPEC TMP/vN.html (supervisor ▶ child, as render)
 *        compiles (the input files to watch), renders the player with `renderToFile`
 *
 * Each version renders in a supervised child process, with the memory, time and stall
 * ceilings of `vega-frames render`: a spec that loops, allocates gigabytes or crashes the
 * canvas kills that child, never the server, and its message (as the command prints it,
 * with file:line:col) is shown in the page instead of the chart. A change during a render
 * stops that render and starts another.
 *
 * The server binds 127.0.0.1 only, answers only requests whose Host is that address or
 * localhost (a page elsewhere cannot reach it through DNS rebinding), and serves only its
 * own pages: no part of a URL names a file. The renders write in one private temp folder,
 * removed when the preview stops.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createReadStream, type FSWatcher, watch } from 'node:fs';
import { access, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { compile, renderToFile } from '../api.js';
import type { CompileOptions } from '../pipeline/options.js';
import { inputFiles } from '../pipeline/input-files.js';
import { UserError } from '../support/user-error.js';
import { reportError } from './report.js';

/** The internal command a preview runs for each version (in a supervised child). */
export const PREVIEW_RENDER_COMMAND = 'preview-render';

/** Quiet time after the last change before a render starts: an editor's save is a burst. */
const DEBOUNCE_MS = 120;
/** The most of a render's stderr the server keeps (its message and warnings). */
const MAX_MESSAGE_BYTES = 64 << 10;
/** How long a stopped render gets to exit before it is killed (the supervisor's grace + 1 s). */
const STOP_GRACE_MS = 3_000;

/** What the child tells the server besides the player: the files to watch, frames, warnings. */
interface VersionReport {
  inputs: string[];
  frames?: number;
  warnings?: string[];
}

/**
 * The child's work for one version: the plan (for the files it reads, written to
 * `OUT.json` first, so that a render that fails later still names them), then the player
 * through the API, and the frame count and warnings beside it.
 */
export async function renderPreviewVersion(
  specPath: string,
  outPath: string,
  options: CompileOptions,
): Promise<string[]> {
  const report: VersionReport = {
    inputs: inputFiles(await compile(specPath, options), specPath).map((i) => i.path),
  };
  await writeFile(`${outPath}.json`, JSON.stringify(report));
  const result = await renderToFile(specPath, outPath, { ...options, format: 'html' });
  report.frames = result.frames;
  report.warnings = result.warnings;
  await writeFile(`${outPath}.json`, JSON.stringify(report));
  return result.warnings;
}

export interface PreviewOptions {
  /** The spec file, as the user named it (messages name it so). */
  specPath: string;
  /** 0: any free port. */
  port: number;
  /** Arguments every version's render gets: the access flags and limits. */
  renderArgs: string[];
  /** The command that renders a version (default: this Node running cli/bin.js). */
  command?: string[];
  /** Where the URL, versions and errors are printed. */
  log?: (line: string) => void;
}

/** The state the page shows. */
interface PreviewState {
  /** 0 until the first render ends; then one more per render that ends. */
  version: number;
  ok: boolean;
  /** The error as the command prints it. */
  message?: string;
  frames?: number;
  warnings: string[];
  /** Seconds the version took. */
  seconds?: number;
  /** A render is running now. */
  rendering: boolean;
}

/**
 * Serves the preview until SIGINT, SIGTERM or SIGHUP; resolves 0 once stopped, with every
 * render stopped and the temp folder removed.
 */
export async function servePreview(options: PreviewOptions): Promise<number> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const specPath = options.specPath;
  await access(specPath); // a missing spec: ENOENT, exit 2, before anything starts
  const command = options.command ?? [
    ...process.execArgv,
    fileURLToPath(new URL('./bin.js', import.meta.url)),
  ];
  const temp = await mkdtemp(path.join(tmpdir(), 'vega-frames-preview-'));

  const state: PreviewState = { version: 0, ok: false, warnings: [], rendering: false };
  let playerFile: string | undefined;
  const clients = new Set<ServerResponse>();
  const publish = () => {
    const event = `data: ${JSON.stringify(state)}\n\n`;
    for (const c of clients) c.write(event);
  };

  // Rendering: one child at a time; a change during a render stops it and starts another.
  let renders = 0;
  let running: { child: ChildProcess; superseded: boolean } | undefined;
  let pending = false;
  let stopping = false;
  const watcher = new InputWatcher(() => schedule());
  watcher.watch([path.resolve(specPath)]);
  let lastSignature: string | undefined;
  let debounce: NodeJS.Timeout | undefined;

  const schedule = () => {
    if (stopping) return;
    clearTimeout(debounce);
    debounce = setTimeout(() => void changed(), DEBOUNCE_MS);
  };
  const changed = async () => {
    const signature = await watcher.signature();
    if (signature === lastSignature || stopping) return;
    pending = true;
    if (running) {
      running.superseded = true;
      running.child.kill('SIGTERM');
    } else void next();
  };
  let looping: Promise<void> | undefined;
  const next = (): Promise<void> =>
    (looping ??= loop().finally(() => {
      looping = undefined;
      // A change between the loop's last look and its end.
      if (pending && !stopping) void next();
    }));
  const loop = async () => {
    while (pending && !stopping) {
      pending = false;
      lastSignature = await watcher.signature();
      try {
        await renderOnce();
      } catch (e) {
        if (stopping) return;
        // The server's own failure (a full disk under the temp folder): the page says it.
        Object.assign(state, { version: state.version + 1, ok: false, warnings: [] });
        state.message = reportError(e).text;
        state.rendering = false;
        log(state.message);
        publish();
      }
    }
  };

  const renderOnce = async () => {
    const n = ++renders;
    const out = path.join(temp, `v${n}.html`);
    const started = performance.now();
    const child = spawn(
      process.execPath,
      [...command, PREVIEW_RENDER_COMMAND, ...options.renderArgs, '--', specPath, out],
      { stdio: ['ignore', 'ignore', 'pipe'], env: childEnv() },
    );
    let stderr = '';
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (chunk: string) => {
      if (stderr.length < MAX_MESSAGE_BYTES) stderr += chunk.slice(0, MAX_MESSAGE_BYTES);
    });
    const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
      child.on('error', (e) => {
        stderr += `render failed: could not start the render process: ${e.message}\n`;
        resolve({ code: 1, signal: null });
      });
      child.on('close', (code, signal) => resolve({ code, signal }));
    });
    const run = { child, superseded: false };
    running = run;
    state.rendering = true;
    publish();
    const { code, signal } = await exit;
    running = undefined;
    state.rendering = false;
    if (stopping) return; // the temp folder is the stop's to remove
    const report = await readReport(`${out}.json`);
    if (report) watcher.watch([path.resolve(specPath), ...report.inputs]);
    if (run.superseded) {
      await sweep(temp, playerFile);
      publish();
      return;
    }
    state.version++;
    state.seconds = Math.round(performance.now() - started) / 1000;
    if (code === 0) {
      playerFile = out;
      Object.assign(state, {
        ok: true,
        message: undefined,
        frames: report?.frames,
        warnings: report?.warnings ?? [],
      });
      for (const w of state.warnings) log(`warning: ${w}`);
      log(
        `${specPath}: version ${state.version}, ${state.frames} frame${state.frames === 1 ? '' : 's'}, rendered in ${state.seconds.toFixed(1)} s`,
      );
    } else {
      const message =
        stderr.trim() || `render failed: the render process ended (${signal ?? `exit ${code}`})`;
      Object.assign(state, { ok: false, message, frames: undefined, warnings: [] });
      log(message);
    }
    await sweep(temp, playerFile);
    publish();
  };

  const server = createServer((req, res) => {
    try {
      handle(req, res);
    } catch (e) {
      res.destroy(e as Error);
    }
  });
  let origin = '';
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const headers = {
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
    };
    const plain = (status: number, text: string) => {
      res.writeHead(status, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(`${text}\n`);
    };
    if (!allowedHost(req.headers.host, origin)) return plain(403, 'forbidden host');
    if (req.method !== 'GET' && req.method !== 'HEAD') return plain(405, 'method not allowed');
    const { pathname } = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (pathname === '/') {
      res.writeHead(200, {
        ...headers,
        'Content-Type': 'text/html; charset=utf-8',
        'Content-Security-Policy':
          "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; frame-src 'self'",
      });
      return res.end(req.method === 'HEAD' ? undefined : shellPage(specPath));
    }
    if (pathname === '/events') {
      res.writeHead(200, { ...headers, 'Content-Type': 'text/event-stream' });
      res.write(`data: ${JSON.stringify(state)}\n\n`);
      clients.add(res);
      res.on('close', () => clients.delete(res));
      return;
    }
    if (pathname === '/state') {
      res.writeHead(200, { ...headers, 'Content-Type': 'application/json' });
      return res.end(JSON.stringify(state));
    }
    if (pathname === '/player') {
      if (!playerFile) return plain(404, 'no render yet');
      res.writeHead(200, { ...headers, 'Content-Type': 'text/html; charset=utf-8' });
      if (req.method === 'HEAD') return res.end();
      const file = createReadStream(playerFile);
      file.on('error', () => res.destroy());
      file.pipe(res);
      return;
    }
    plain(404, 'not found');
  };

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  }).catch(async (e: NodeJS.ErrnoException) => {
    await rm(temp, { recursive: true, force: true });
    watcher.close();
    if (e.code === 'EADDRINUSE' || e.code === 'EACCES')
      throw new UserError(
        `cannot serve on port ${options.port}: ${e.message} (--port 0 takes any free port)`,
      );
    throw e;
  });
  const { port } = server.address() as AddressInfo;
  origin = `127.0.0.1:${port}`;
  log(`previewing ${specPath} at http://127.0.0.1:${port}/ (Ctrl-C stops)`);

  pending = true;
  void next();

  return new Promise<number>((resolve) => {
    const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
    const stop = async () => {
      if (stopping) return;
      stopping = true;
      for (const s of signals) process.off(s, stop);
      clearTimeout(debounce);
      watcher.close();
      const run = running;
      run?.child.kill('SIGTERM');
      const kill = setTimeout(() => run?.child.kill('SIGKILL'), STOP_GRACE_MS);
      await looping;
      clearTimeout(kill);
      for (const c of clients) c.end();
      server.close();
      server.closeAllConnections();
      await rm(temp, { recursive: true, force: true });
      log('preview stopped');
      resolve(0);
    };
    for (const s of signals) process.on(s, stop);
  });
}

/**
 * The environment of a version's render: supervised as `vega-frames render` is, unless the
 * user turned the supervisor off (VF_SUPERVISED=off, for specs they trust).
 */
function childEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  if (env.VF_SUPERVISED !== 'off') delete env.VF_SUPERVISED;
  return env;
}

/**
 * Removes everything in the temp folder but the player shown: earlier players, reports,
 * and the hidden files of a render killed before it could remove its own.
 */
async function sweep(temp: string, keep: string | undefined): Promise<void> {
  for (const name of await readdir(temp)) {
    const file = path.join(temp, name);
    if (file !== keep) await rm(file, { recursive: true, force: true });
  }
}

/** Whether a request's Host header names this server (127.0.0.1 or localhost, its port). */
function allowedHost(host: string | undefined, origin: string): boolean {
  if (!host || !origin) return false;
  const port = origin.slice(origin.indexOf(':'));
  return host === origin || host === `localhost${port}`;
}

async function readReport(file: string): Promise<VersionReport | undefined> {
  try {
    const report = JSON.parse(await readFile(file, 'utf8')) as VersionReport;
    return Array.isArray(report.inputs) ? report : undefined;
  } catch {
    return undefined; // the render stopped before its plan was made
  }
}

/**
 * Watches files through their folders, so that an editor that saves by writing a new file
 * and renaming it over the old one (vim, many IDEs) is seen as a change: a watch on the file
 * itself would follow the old, replaced file.
 */
class InputWatcher {
  private files = new Set<string>();
  private folders = new Map<string, FSWatcher>();

  constructor(private readonly onChange: () => void) {}

  /** Watches these files from now on (and no others). */
  watch(files: string[]): void {
    this.files = new Set(files.map((f) => path.resolve(f)));
    const wanted = new Set([...this.files].map((f) => path.dirname(f)));
    for (const [folder, w] of this.folders) {
      if (!wanted.has(folder)) {
        w.close();
        this.folders.delete(folder);
      }
    }
    for (const folder of wanted) {
      if (this.folders.has(folder)) continue;
      try {
        const w = watch(folder, { persistent: true }, (_event, name) => {
          // No name (some platforms): any entry of the folder may be one of ours.
          if (name === null || this.files.has(path.join(folder, name.toString()))) this.onChange();
        });
        w.on('error', () => {
          w.close();
          this.folders.delete(folder);
        });
        this.folders.set(folder, w);
      } catch {
        // A folder that does not exist (yet): nothing in it to render from.
      }
    }
  }

  /** The watched files' sizes, times and inodes: a change only an event reported is no change. */
  async signature(): Promise<string> {
    const parts = await Promise.all(
      [...this.files].sort().map(async (f) => {
        try {
          const s = await stat(f, { bigint: true });
          return `${f}:${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}`;
        } catch {
          return `${f}:missing`;
        }
      }),
    );
    return parts.join('\n');
  }

  close(): void {
    for (const w of this.folders.values()) w.close();
    this.folders.clear();
  }
}

const escapeHtml = (text: string) =>
  text.replace(
    /[<>&"]/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c] as string,
  );

/**
 * The page the browser opens: a status line, and the player of the last good version in
 * an iframe, or the error in its place. A new version loads in a second iframe, hidden
 * until it has loaded and taken the frame and play state of the one it replaces, so that
 * the chart is replaced in place, without a blank page between.
 * `document.body.dataset` holds the version, state and frames shown (for scripts and tests).
 */
function shellPage(specPath: string): string {
  const name = escapeHtml(specPath);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${name} · vega-frames preview</title>
<style>
html, body { margin: 0; height: 100%; font: 13px system-ui, sans-serif; }
body { display: flex; flex-direction: column; }
header { display: flex; gap: 1em; align-items: baseline; padding: 6px 10px; background: #f4f4f4; border-bottom: 1px solid #ddd; }
#vf-preview-status[data-state="error"] { color: #b00020; }
#vf-preview-warnings { color: #8a5a00; }
main { flex: 1; position: relative; }
main iframe { position: absolute; inset: 0; width: 100%; height: 100%; border: 0; background: #fff; }
#vf-preview-error { position: absolute; inset: 0; margin: 0; padding: 16px; overflow: auto; white-space: pre-wrap; font: 13px ui-monospace, monospace; color: #b00020; background: #fff8f8; }
[hidden] { display: none !important; }
</style>
</head>
<body data-version="0" data-state="rendering">
<header><strong>${name}</strong><span id="vf-preview-status">rendering…</span><span id="vf-preview-warnings"></span></header>
<main><pre id="vf-preview-error" hidden></pre></main>
<script>
(() => {
  const main = document.querySelector('main');
  const errorBox = document.getElementById('vf-preview-error');
  const status = document.getElementById('vf-preview-status');
  const warnings = document.getElementById('vf-preview-warnings');
  let wanted = 0;
  let player = null;
  let last = null;
  const show = (s) => {
    document.body.dataset.version = String(s.version);
    document.body.dataset.state = s.ok ? 'ok' : 'error';
    document.body.dataset.frames = s.ok ? String(s.frames) : '';
  };
  const describe = (s) => {
    const busy = s.rendering ? ' · rendering…' : '';
    if (s.version === 0) return 'rendering…';
    if (!s.ok) return 'error (version ' + s.version + ')' + busy;
    return 'version ' + s.version + ' · ' + s.frames + ' frame' + (s.frames === 1 ? '' : 's') +
      ' · rendered in ' + s.seconds.toFixed(1) + ' s' + busy;
  };
  const apply = (s) => {
    last = s;
    status.textContent = describe(s);
    status.dataset.state = s.version && !s.ok ? 'error' : 'ok';
    warnings.textContent = s.warnings.length ? s.warnings.length + ' warning' + (s.warnings.length === 1 ? '' : 's') : '';
    warnings.title = s.warnings.join('\\n');
    if (s.version === 0 || s.version === wanted) return;
    wanted = s.version;
    if (!s.ok) {
      errorBox.textContent = s.message;
      errorBox.hidden = false;
      if (player) player.remove();
      player = null;
      for (const f of main.querySelectorAll('iframe')) f.remove();
      show(s);
      return;
    }
    const next = document.createElement('iframe');
    next.title = 'player';
    next.style.visibility = 'hidden';
    next.addEventListener('load', async () => {
      if (wanted !== s.version) return next.remove();
      const old = player && player.contentWindow && player.contentWindow.vfPlayer;
      if (old) await resume(next, { frame: old.frame, playing: old.playing }, s.frames);
      if (wanted !== s.version) return next.remove();
      if (player && player !== next) player.remove();
      player = next;
      next.style.visibility = '';
      errorBox.hidden = true;
      show(s);
    });
    next.src = '/player?v=' + s.version;
    main.appendChild(next);
  };
  // The new player takes the frame and play state of the one it replaces (through the
  // player's vfPlayer), so that an edit shows at the frame being looked at.
  const resume = async (frame, keep, frames) => {
    let handle;
    for (let i = 0; i < 100 && !(handle = frame.contentWindow && frame.contentWindow.vfPlayer); i++)
      await new Promise((r) => setTimeout(r, 30));
    if (!handle) return; // a player that is not ready in 3 s starts as it does
    await handle.seek(Math.max(0, Math.min(keep.frame, frames - 1)));
    if (keep.playing) handle.play();
  };
  const events = new EventSource('/events');
  events.onmessage = (e) => apply(JSON.parse(e.data));
  events.onerror = () => {
    status.textContent = 'not connected: the preview has stopped, or is starting again';
    status.dataset.state = 'error';
  };
  events.onopen = () => { if (last) apply(last); };
})();
</script>
</body>
</html>
`;
}
