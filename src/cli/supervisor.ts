/**
 * The `vega-frames` command runs its work in a child process that this one watches, so that
 * a spec can never take the machine or the terminal with it:
 *
 *   vega-frames (supervisor) ── spawn ──▶ vega-frames (VF_SUPERVISED=1): load, compile, render
 *        │  every 50 ms: the child's resident memory (/proc) against --max-memory
 *        │  the wall clock against --timeout (plus a grace the child's own check uses first)
 *        └─ over either: SIGKILL to the child and everything it started (ffmpeg), its hidden
 *           temp files removed, one sentence, exit 2
 *
 * JavaScript cannot interrupt itself: a regular expression that backtracks for minutes, or
 * a Vega transform that allocates gigabytes in one call, never returns to an event loop
 * where a limit could be checked. A process boundary stops both. The child checks the same
 * limits itself between frames, where it can still stop cleanly; the supervisor is the
 * ceiling for everything in between.
 *
 * Signals sent to the supervisor (SIGINT from a terminal reaches both) are passed on, so the
 * child removes its temp files as it would unsupervised; if it cannot (a thread stuck in a
 * regular expression), it is killed after a grace period and the supervisor removes them.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { constants, tmpdir } from 'node:os';
import path from 'node:path';
import { CLEANUP_SIGNALS, removeLeftoversOf } from '../encode/atomic.js';
import { stallMessage } from '../spec/limits.js';
import { COMMAND_V8_FLAGS } from '../support/cached-script.js';
import { DEFAULT_LIMITS, parseByteSize, formatBytes } from '../spec/limits.js';

const SUPERVISED_ENV = 'VF_SUPERVISED';
/** Set for the child when the supervisor's stderr is a terminal: its progress line redraws. */
export const STDERR_TTY_ENV = 'VF_STDERR_TTY';
const POLL_MS = 50;
/** After a forwarded signal, or past the deadline, how long the child gets to stop itself. */
const GRACE_MS = 2_000;
/** V8's own heap limit on this Node, below which the child's heap cannot grow. */
const V8_DEFAULT_HEAP_BYTES = 4 * 2 ** 30;

/** Whether this process is the supervised child (or was asked to run unsupervised). */
export function isSupervisedChild(env = process.env): boolean {
  return env[SUPERVISED_ENV] === '1' || env[SUPERVISED_ENV] === 'off';
}

/** The limits the supervisor enforces, read from the command line as the child reads them. */
export interface Budget {
  maxMemoryBytes: number;
  /** Seconds the render process may go without returning to its event loop. */
  stallSeconds: number;
  /** Seconds; Infinity for none. */
  timeoutSeconds: number;
  /** The `-o` paths, whose folders hold the child's temp files. */
  outputs: string[];
}

/** The value of `--name V` or `--name=V` (or `-o V` for output), last one wins. */
function flagValues(argv: string[], names: string[]): string[] {
  const values: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') break;
    for (const name of names) {
      if (arg === name && i + 1 < argv.length) values.push(argv[i + 1]);
      else if (arg.startsWith(`${name}=`)) values.push(arg.slice(name.length + 1));
    }
  }
  return values;
}

/**
 * The budget from the arguments. A value the child will refuse as a usage error (a
 * malformed size) counts as the default here: the child says what is wrong with it.
 */
export function budgetFrom(argv: string[]): Budget {
  const memory = flagValues(argv, ['--max-memory']).at(-1);
  const timeout = Number(flagValues(argv, ['--timeout']).at(-1));
  const stall = Number(flagValues(argv, ['--stall-timeout']).at(-1));
  let maxMemoryBytes = DEFAULT_LIMITS.maxMemoryBytes;
  try {
    if (memory !== undefined) maxMemoryBytes = parseByteSize(memory);
  } catch {
    // reported by the child
  }
  return {
    maxMemoryBytes,
    timeoutSeconds: Number.isFinite(timeout) && timeout > 0 ? timeout : Infinity,
    stallSeconds: Number.isFinite(stall) && stall > 0 ? stall : DEFAULT_LIMITS.stallSeconds,
    outputs: flagValues(argv, ['-o', '--output']),
  };
}

/** The private folder (in the temp folder) a render to stdout (`-o -`) writes in. */
export const stdoutTempPrefix = (pid: number) => `vf-stdout-${pid}-`;

/** What a render process killed outright (SIGKILL) left for stdout: removed. */
function removeStdoutLeftoversOf(pid: number): void {
  let names: string[];
  try {
    names = readdirSync(tmpdir());
  } catch {
    return;
  }
  for (const name of names.filter((n) => n.startsWith(stdoutTempPrefix(pid))))
    rmSync(path.join(tmpdir(), name), { recursive: true, force: true });
}

/** Resident bytes of a process, from /proc (undefined where there is none). */
function residentBytes(pid: number): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = /^VmRSS:\s+(\d+) kB/m.exec(status);
    return kib ? Number(kib[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Every process below `pid` (ffmpeg started by the render), from /proc's parent links. */
export function descendantsOf(pid: number): number[] {
  const children = new Map<number, number[]>();
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // pid (comm) state ppid …: comm may hold spaces and parentheses; the last ')' ends it.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // exited meanwhile
    }
  }
  const found: number[] = [];
  const queue = [pid];
  while (queue.length) {
    for (const c of children.get(queue.shift()!) ?? []) {
      found.push(c);
      queue.push(c);
    }
  }
  return found;
}

function killTree(child: ChildProcess): void {
  if (child.pid === undefined) return;
  for (const pid of [...descendantsOf(child.pid), child.pid]) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

/**
 * Node's flags for the supervised child: this process's own, the flags the command's code
 * caches are made for (COMMAND_V8_FLAGS: the #! line is a plain `env node`, as BusyBox's env
 * has no -S to carry them), and a raised heap limit only when the memory budget is above
 * V8's own (V8 rejects the code cache of a process started with other heap flags, ~0.2 s
 * more to start).
 */
export function childNodeArgs(execArgv: string[], maxMemoryBytes: number): string[] {
  const commandFlags = COMMAND_V8_FLAGS.filter((flag) => !execArgv.includes(flag));
  const heapFlags =
    maxMemoryBytes > V8_DEFAULT_HEAP_BYTES
      ? [`--max-old-space-size=${Math.ceil(maxMemoryBytes / 2 ** 20) + 256}`]
      : [];
  return [...execArgv, ...commandFlags, ...heapFlags];
}

/**
 * Runs `script argv` as a supervised child and exits with its code; over a budget, kills
 * it and exits 2 with a sentence naming the limit and its flag.
 */
export function superviseCli(script: string, argv: string[]): void {
  const budget = budgetFrom(argv);
  const nodeArgs = childNodeArgs(process.execArgv, budget.maxMemoryBytes);
  const child = spawn(process.execPath, [...nodeArgs, script, ...argv], {
    // stderr comes through here, so that V8's own report of a fatal error is not shown.
    // fd 3: the child's heartbeat, a byte a second while its event loop turns.
    stdio: ['inherit', 'inherit', 'pipe', 'pipe'],
    env: {
      ...process.env,
      [SUPERVISED_ENV]: '1',
      ...(process.stderr.isTTY ? { [STDERR_TTY_ENV]: '1' } : {}),
    },
  });
  const stderr = v8ReportFilter((text) => process.stderr.write(text));
  child.stderr!.on('data', (chunk: Buffer) => stderr.write(chunk.toString('utf8')));
  let lastBeat = Date.now();
  (child.stdio[3] as NodeJS.ReadableStream).on('data', () => (lastBeat = Date.now()));
  let stopped: string | undefined;
  const stop = (reason: string) => {
    if (stopped) return;
    stopped = reason;
    killTree(child);
  };

  const startedAt = Date.now();
  const hardDeadline = startedAt + budget.timeoutSeconds * 1000 + GRACE_MS;
  const poll = setInterval(() => {
    if (child.pid === undefined) return;
    const rss = residentBytes(child.pid) ?? 0;
    if (rss > budget.maxMemoryBytes) {
      stop(
        `the render used more than ${formatBytes(budget.maxMemoryBytes)} of memory and was stopped; nothing was written. Raise the ceiling with --max-memory if you trust this spec`,
      );
    } else if (Date.now() - lastBeat > budget.stallSeconds * 1000) {
      stop(stallMessage(budget.stallSeconds, 'one step of the render'));
    } else if (Date.now() > hardDeadline) {
      stop(
        `the render took longer than ${budget.timeoutSeconds} s (--timeout) and was stopped while it was still computing; nothing was written`,
      );
    }
  }, POLL_MS);

  let graceTimer: NodeJS.Timeout | undefined;
  let forwarded: NodeJS.Signals | undefined;
  for (const signal of CLEANUP_SIGNALS) {
    process.on(signal, () => {
      forwarded ??= signal;
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      graceTimer ??= setTimeout(() => {
        if (child.pid !== undefined) killTree(child);
      }, GRACE_MS);
    });
  }

  child.on('error', (e) => {
    clearInterval(poll);
    process.stderr.write(`render failed: could not start the render process: ${e.message}\n`);
    process.exitCode = 1;
  });
  child.on('close', (code, signal) => {
    clearInterval(poll);
    if (graceTimer) clearTimeout(graceTimer);
    if (signal !== null && child.pid !== undefined) {
      // Killed before its own handlers ran: its temp files are still there.
      for (const out of budget.outputs) removeLeftoversOf(child.pid, out);
      removeStdoutLeftoversOf(child.pid);
    }
    // The report V8 or Skia printed, held back from users, shown to whoever debugs.
    if (process.env.VF_DEBUG && stderr.heldReport())
      process.stderr.write(`${stderr.heldReport()}\n`);
    if (stopped) {
      process.stderr.write(`error: ${stopped}\n`);
      process.exitCode = 2;
    } else if (stderr.sawNativeReport() || (signal !== null && NATIVE_CRASHES.includes(signal))) {
      // A native library (the canvas's Skia) stopped the process: its own report is held
      // back, and the user gets what is known and where to look.
      process.stderr.write(
        `render failed: the canvas library stopped the render (${signal ?? `exit ${code}`}): a native crash while drawing, nothing was written. If the spec shows images, check that each is an ordinary image of a size that fits; otherwise please report this with the spec\n`,
      );
      process.exitCode = 1;
    } else if (stderr.sawFatalReport()) {
      // V8 stops the process when one structure outgrows what it can hold ("invalid table
      // size", "heap out of memory"): the spec asked for more than fits, as with --max-memory.
      process.stderr.write(
        'error: the render ran out of memory inside V8 (one structure grew past what V8 can hold) and was stopped; nothing was written. The spec asks for more rows, bins or values than fit in memory\n',
      );
      process.exitCode = 2;
    } else if (signal !== null && forwarded) {
      // Asked to stop, and killed when it could not stop itself: the exit a signal gives.
      process.exitCode = 128 + (signalNumberOf(forwarded) ?? 0);
    } else if (signal !== null) {
      const signalNumber = signalNumberOf(signal);
      if (signal === 'SIGKILL' || signal === 'SIGABRT' || signal === 'SIGTRAP') {
        process.stderr.write(
          `render failed: the render process was stopped by ${signal} (the machine or V8 may have run out of memory; --max-memory sets a ceiling)\n`,
        );
      }
      process.exitCode = signalNumber === undefined ? 1 : 128 + signalNumber;
    } else {
      process.exitCode = code ?? 1;
    }
  });
}

const SKIA_FATAL_MARKER = '[skia] ** ERROR **';

/** Signals by which native code (not V8, not the supervisor) ends a process. */
const NATIVE_CRASHES: NodeJS.Signals[] = ['SIGILL', 'SIGSEGV', 'SIGBUS', 'SIGFPE'];

/**
 * How V8 begins the report it prints before it stops the process on a fatal error, and
 * Skia (the canvas) the line it prints before it stops it with SIGILL.
 */
const V8_FATAL_MARKERS = [
  '<--- Last few GCs --->',
  'FATAL ERROR:',
  '# Fatal error in',
  '# Fatal process out of memory',
  SKIA_FATAL_MARKER,
];

/**
 * Passes text on until V8's report of a fatal error begins, and holds everything after it:
 * a user sees one sentence from the supervisor instead of V8's heap statistics and native
 * stack. Text is held back by the longest marker's length, in case one is split between
 * chunks.
 */
export function v8ReportFilter(write: (text: string) => void): {
  write(text: string): void;
  /** Whether V8's report was held back. */
  sawFatalReport(): boolean;
  /** Whether Skia's was. */
  sawNativeReport(): boolean;
  /** The report held back (its first 64 KiB), for VF_DEBUG=1. */
  heldReport(): string;
} {
  const keep = Math.max(...V8_FATAL_MARKERS.map((m) => m.length));
  let pending = '';
  let fatal = false;
  let native = false;
  let held = '';
  const hold = (text: string) => {
    if (held.length < 65536) held += text.slice(0, 65536 - held.length);
  };
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    timer = undefined;
    if (!fatal && pending) write(pending);
    pending = '';
  };
  return {
    write(text) {
      if (fatal) return hold(text);
      pending += text;
      const at = Math.min(...V8_FATAL_MARKERS.map((m) => pending.indexOf(m)).filter((i) => i >= 0));
      if (Number.isFinite(at)) {
        // V8 starts its report on a fresh line: keep what came before that line.
        const start = pending.lastIndexOf('\n', at) + 1;
        write(pending.slice(0, start));
        hold(pending.slice(start));
        fatal = true;
        native = pending.startsWith(SKIA_FATAL_MARKER, at);
        pending = '';
        return;
      }
      if (pending.length > keep) {
        write(pending.slice(0, pending.length - keep));
        pending = pending.slice(-keep);
      }
      // A progress line must not wait for the next chunk to be seen.
      timer ??= setTimeout(flush, 100);
    },
    sawFatalReport: () => {
      if (timer) clearTimeout(timer);
      flush();
      return fatal && !native;
    },
    sawNativeReport: () => {
      if (timer) clearTimeout(timer);
      flush();
      return native;
    },
    heldReport: () => held,
  };
}

function signalNumberOf(signal: NodeJS.Signals): number | undefined {
  return (constants.signals as Partial<Record<NodeJS.Signals, number>>)[signal];
}
