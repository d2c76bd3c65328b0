// Lint rules, including the one-way import boundaries of the pipeline:
// spec → data → compile → render → encode; cli and the API sit on top.
import tseslint from 'typescript-eslint';

const below = (...dirs) =>
  dirs.map((d) => ({
    group: [`**/${d}/*`, `../${d}/*`],
    message: `Imports flow spec → data → compile → render → encode; this folder may not import from ${d}/.`,
  }));

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'out/**', 'schemas/**', '.bench/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
    },
  },
  {
    files: ['src/spec/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: below('data', 'compile', 'render', 'encode', 'cli') },
      ],
    },
  },
  {
    files: ['src/data/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: below('compile', 'render', 'encode', 'cli') }],
    },
  },
  {
    files: ['src/compile/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'canvas', message: 'compile/ is pure: no canvas.' },
            { name: 'node:fs', message: 'compile/ is pure: no files.' },
          ],
          patterns: below('render', 'encode', 'cli'),
        },
      ],
    },
  },
  {
    files: ['src/render/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: below('encode', 'cli') }] },
  },
  {
    files: ['src/encode/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'vega', message: 'encode/ knows raster frames only, never Vega.' },
            { name: 'canvas', message: 'encode/ knows raster frames only.' },
          ],
          patterns: below('spec', 'data', 'compile', 'render', 'cli'),
        },
      ],
    },
  },
);
