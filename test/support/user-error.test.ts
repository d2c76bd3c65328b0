import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { UserError } from '../../src/support/user-error.js';
import { reportError } from '../../src/cli/report.js';
import { SpecError, SpecErrors } from '../../src/spec/errors.js';
import { CompileError } from '../../src/compile/messages.js';
import { UsageError } from '../../src/cli/args.js';
import { LimitError } from '../../src/spec/limits.js';
import { ImageError } from '../../src/render/loader.js';
import { FfmpegMissingError } from '../../src/encode/video.js';
import { FrameStreamError } from '../../src/data/frame-stream.js';
import { OutputPathError } from '../../src/encode/atomic.js';

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));

/**
 * The exit code the command line gives each error class: 2 for bad input (spec, options,
 * data, limits), 1 for a render that failed on good input.
 */
const EXIT_CODES: Record<string, 1 | 2> = {
  UserError: 2,
  SpecError: 2,
  SpecErrors: 2,
  OptionError: 2,
  LimitError: 2,
  UsageError: 2,
  CompileError: 2,
  FacetError: 2,
  DataAccessError: 2,
  DataLoadError: 2,
  ImageError: 2,
  // The readers' own errors reach the user inside a DataLoadError naming the file.
  CsvError: 2,
  NpyError: 2,
  ColumnarError: 2,
  TopoJsonError: 2,
  VegaRuntimeError: 2,
  FormatError: 2,
  OutputPathError: 2,
  OutputLimitError: 2,
  GifJoinError: 2,
  FrameStreamError: 1,
  FfmpegMissingError: 1,
};

/**
 * Error classes that are no UserError, and why: ExpressionBoundError's sentence reaches the
 * user inside a VegaRuntimeError, and its code runs as its own text in the player's page,
 * where it imports nothing.
 */
const NOT_USER_ERRORS = new Set(['ExpressionBoundError']);

/** Every .ts file under src/ that declares an error class. */
function modulesWithErrorClasses(dir = SRC): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return modulesWithErrorClasses(file);
    if (!entry.name.endsWith('.ts')) return [];
    return /class \w+ extends \w*Error\b/.test(readFileSync(file, 'utf8')) ? [file] : [];
  });
}

/** Every exported class of src/ whose instances are Errors, by name. */
async function exportedErrorClasses(): Promise<Map<string, new (...args: never[]) => Error>> {
  const found = new Map<string, new (...args: never[]) => Error>();
  for (const file of modulesWithErrorClasses()) {
    const exports = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
    for (const value of Object.values(exports)) {
      if (typeof value === 'function' && value.prototype instanceof Error)
        found.set(value.name, value as new (...args: never[]) => Error);
    }
  }
  return found;
}

/** An instance of `Class` with the message "boom", whatever its constructor takes. */
function instance(Class: new (...args: never[]) => Error): Error {
  if (Class === (SpecError as unknown)) return new SpecError('boom', { path: '$' });
  if (Class === (SpecErrors as unknown)) return new SpecErrors([]);
  return new (Class as unknown as new (message: string) => Error)('boom');
}

describe('UserError', () => {
  it('is the base of every user-facing error class in src/, with the exit code the CLI gives it', async () => {
    const classes = await exportedErrorClasses();
    const names = [...classes.keys()].sort();
    assert.deepEqual(
      names,
      [...Object.keys(EXIT_CODES), ...NOT_USER_ERRORS].sort(),
      'every exported error class is listed here, with its exit code or why it is none',
    );
    for (const [name, Class] of classes) {
      const error = instance(Class);
      if (NOT_USER_ERRORS.has(name)) {
        assert.ok(!(error instanceof UserError), `${name} is not a UserError`);
        continue;
      }
      assert.ok(error instanceof UserError, `${name} is a UserError`);
      assert.equal(error.exitCode, EXIT_CODES[name], `${name}.exitCode`);
      assert.equal(
        reportError(error).exitCode,
        EXIT_CODES[name],
        `the CLI's exit code for ${name}`,
      );
    }
  });

  it('carries the JSON path of SpecError and CompileError', () => {
    assert.equal(new SpecError('boom', { path: '$.layer[0].mark' }).jsonPath, '$.layer[0].mark');
    assert.equal(new CompileError('boom', '$.encoding.x').jsonPath, '$.encoding.x');
    assert.equal(new CompileError('boom').jsonPath, undefined);
    assert.equal(new LimitError('boom').jsonPath, undefined);
  });

  it('keeps each class its own name', () => {
    assert.equal(new SpecError('boom', { path: '$' }).name, 'SpecError');
    assert.equal(new CompileError('boom').name, 'CompileError');
    // The classes that never named themselves stay plain "Error" in stack traces.
    assert.equal(new LimitError('boom').name, 'Error');
  });
});

describe('the CLI reports each kind of error', () => {
  const bug =
    'This is a bug in vega-frames: please report it with the spec and its data (VF_DEBUG=1 shows where it happened).';

  it('a spec error at its file, line and column (exit 2)', () => {
    const error = new SpecError('"quantitive" is not allowed', {
      path: '$.encoding.x.type',
      file: 'umap.yaml',
      line: 7,
      col: 5,
      expected: 'one of "quantitative", "ordinal"',
    });
    assert.deepEqual(reportError(error), {
      exitCode: 2,
      text: 'umap.yaml:7:5 $.encoding.x.type: "quantitive" is not allowed; expected one of "quantitative", "ordinal"',
    });
    assert.deepEqual(reportError(new SpecErrors([error, new SpecError('b', { path: '$.mark' })])), {
      exitCode: 2,
      text: 'umap.yaml:7:5 $.encoding.x.type: "quantitive" is not allowed; expected one of "quantitative", "ordinal"\n$.mark: b',
    });
  });

  it('a usage error with the hint to --help (exit 2)', () => {
    assert.deepEqual(reportError(new UsageError('unknown option --fast')), {
      exitCode: 2,
      text: 'unknown option --fast\nRun vega-frames --help for usage.',
    });
  });

  it('a compile error at its JSON path, with line:col once located (exit 2)', () => {
    const located = new CompileError('no frame', '$.encoding.frame');
    Object.assign(located, { file: 'spec.yaml', line: 3, col: 4 });
    assert.deepEqual(reportError(located), {
      exitCode: 2,
      text: 'spec.yaml:3:4 error at $.encoding.frame: no frame',
    });
    assert.deepEqual(reportError(new CompileError('no frame', '$.encoding.frame')), {
      exitCode: 2,
      text: 'error at $.encoding.frame: no frame',
    });
    assert.deepEqual(reportError(new CompileError('no frame')), {
      exitCode: 2,
      text: 'error: no frame',
    });
  });

  it('bad input of any other class as "error:" (exit 2)', () => {
    assert.deepEqual(reportError(new LimitError('too many')), {
      exitCode: 2,
      text: 'error: too many',
    });
    assert.deepEqual(reportError(new ImageError('image "a.png" is broken')), {
      exitCode: 2,
      text: 'error: image "a.png" is broken',
    });
    assert.deepEqual(reportError(new OutputPathError('Output path is a folder')), {
      exitCode: 2,
      text: 'error: Output path is a folder',
    });
  });

  it('a missing file as bad input (exit 2)', () => {
    const missing = Object.assign(new Error("ENOENT: no such file, open 'a.gif'"), {
      code: 'ENOENT',
    });
    assert.deepEqual(reportError(missing), {
      exitCode: 2,
      text: "error: ENOENT: no such file, open 'a.gif'",
    });
  });

  it('a render that failed on good input as "render failed:" (exit 1)', () => {
    assert.deepEqual(reportError(new FfmpegMissingError('no ffmpeg')), {
      exitCode: 1,
      text: 'render failed: no ffmpeg',
    });
    assert.deepEqual(reportError(new FrameStreamError('"a.csv" ended early while rendering')), {
      exitCode: 1,
      text: 'render failed: "a.csv" ended early while rendering',
    });
    assert.deepEqual(reportError(new Error('a render worker exited (code 1)')), {
      exitCode: 1,
      text: 'render failed: a render worker exited (code 1)',
    });
  });

  it("JavaScript's own errors as a bug to report (exit 1)", () => {
    assert.deepEqual(reportError(new TypeError('x is not a function')), {
      exitCode: 1,
      text: `render failed: x is not a function\n${bug}`,
    });
    assert.deepEqual(reportError(new RangeError('Maximum call stack size exceeded')), {
      exitCode: 1,
      text: `render failed: Maximum call stack size exceeded\n${bug}`,
    });
  });
});
