/** The command's argument table and parser: values, flags, refusals, and --help's sections. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { COMMANDS, OPTIONS, UsageError, helpText, parseArgs } from '../../src/cli/args.js';

test('values as --name V, --name=V, -o V and grouped letters; the last wins; repeats collect', () => {
  const { positionals, flags } = parseArgs(
    [
      'spec.yaml',
      '--fps',
      '20',
      '--fps=25',
      '-qo',
      'out.gif',
      '--allow-read',
      'a',
      '--allow-read=b',
      '--frames',
      '-10:',
      '--no-fast-path',
    ],
    'render',
  );
  assert.deepEqual(positionals, ['spec.yaml']);
  assert.deepEqual(flags, {
    fps: '25',
    quiet: true,
    output: 'out.gif',
    'allow-read': ['a', 'b'],
    frames: '-10:',
    'no-fast-path': true,
  });
});

test('- is a positional (stdin); everything after -- is one', () => {
  assert.deepEqual(parseArgs(['-', '-o', '-'], 'render'), {
    positionals: ['-'],
    flags: { output: '-' },
  });
  assert.deepEqual(parseArgs(['--', '-x.yaml'], 'render').positionals, ['-x.yaml']);
});

test('refusals are usage errors (exit 2) in the command’s words', () => {
  for (const [argv, command, message] of [
    [['--colour=red'], 'render', 'unknown option --colour'],
    [['-x'], 'render', 'unknown option -x'],
    [['-o'], 'render', 'option --output needs a value'],
    [['x', '--fps'], 'render', 'option --fps needs a value'],
    [['--quiet=yes'], 'render', 'option --quiet takes no value: give --quiet alone'],
    [['--quiet=1'], 'join', 'option --quiet takes no value: give --quiet alone'],
    [['-q=1'], 'render', 'option -q (--quiet) takes no value: give -q alone'],
    [['s.yaml', '-q=true'], 'join', 'option -q (--quiet) takes no value: give -q alone'],
    [['-h=1'], 'info', 'option -h (--help) takes no value: give -h alone'],
    [['-x=1'], 'render', 'unknown option -x'],
    [['--fps', '2'], 'info', 'unknown option --fps for info (render takes it)'],
    [['--constructor'], 'info', 'unknown option --constructor'],
    [['--json'], 'render', 'unknown option --json for render (info takes it)'],
  ] as const) {
    assert.throws(
      () => parseArgs([...argv], command),
      (e: unknown) => e instanceof UsageError && e.exitCode === 2 && e.message === message,
      `${argv.join(' ')}`,
    );
  }
});

test('a short option takes its value after = as the long one does', () => {
  assert.deepEqual(parseArgs(['s.yaml', '-o=out.gif', '-q'], 'render').flags, {
    output: 'out.gif',
    quiet: true,
  });
  assert.deepEqual(parseArgs(['-o', '=x.gif'], 'render').flags, { output: '=x.gif' });
  assert.deepEqual(parseArgs(['-o==x.gif'], 'render').flags, { output: '=x.gif' });
});

test('info takes the access flags render takes', () => {
  const { flags } = parseArgs(['s.yaml', '--base', 'data', '--allow-read', '../x'], 'info');
  assert.deepEqual(flags, { base: 'data', 'allow-read': ['../x'] });
  for (const name of ['base', 'allow-read', 'max-file-bytes', 'max-memory', 'timeout'])
    assert.ok(OPTIONS[name].commands.includes('info'), name);
});

test('--help: options under their groups, an example per command', () => {
  const text = helpText();
  const sections = text
    .split('\n')
    .filter((l) => /^[A-Z][^:]*:$/.test(l))
    .map((l) => l.slice(0, -1));
  assert.deepEqual(sections, [
    'Usage',
    'Output',
    'Frames and timing',
    'Size and colour',
    'Reading data',
    'Speed',
    'Messages',
    'Limits (for untrusted specs; raise them for specs you trust)',
    'Examples',
  ]);
  const limits = text.slice(text.indexOf('Limits ('), text.indexOf('Examples:'));
  for (const notALimit of ['--fps', '--scale', '--frames', '--base', '--workers', '-q'])
    assert.ok(!limits.includes(` ${notALimit} `), `${notALimit} is not a limit`);
  for (const name of Object.keys(COMMANDS))
    assert.match(text, new RegExp(`\\n {2}\\$ vega-frames ${name} `), `an example of ${name}`);
  for (const name of Object.keys(OPTIONS)) assert.ok(text.includes(`--${name}`), name);
  const info = helpText('info');
  assert.match(info, /--allow-read DIR/);
  assert.doesNotMatch(info, /--fps/);
  assert.match(info, /\$ vega-frames info /);
});
