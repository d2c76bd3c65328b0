// Lint rules, including the one-way import boundaries of the pipeline (docs/architecture.md):
//
//   spec → compile → data → render → encode
//                              ↘ pool, player ↙
//                                 pipeline → api → cli
//
// A folder may import the folders before it (and support/, which imports none of them);
// never one after it. Every folder under src/ has its rule here.
import tseslint from 'typescript-eslint';
import stageList from './scripts/pipeline-stages.json' with { type: 'json' };

// The folders in boundary order, one list for the lint and scripts/trace-stages.ts.
const STAGES = stageList;
const TOP = ['api', 'index'];

/** The rule for `folder`: it may import `allowed` (and itself); nothing else of src/. */
const only = (folder, allowed, paths = [], above = TOP) => ({
  files: [`src/${folder}/**`],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        paths,
        patterns: [
          ...STAGES.filter((d) => d !== folder && !allowed.includes(d)).map((d) => ({
            group: [`**/${d}/*`, `../${d}/*`],
            message: `src/${folder}/ may import ${allowed.join(', ') || 'no other folder'}; not ${d}/ (docs/architecture.md, "Boundaries").`,
          })),
          ...above.map((m) => ({
            group: [`**/src/${m}.js`, `../${m}.js`],
            message: `src/${folder}/ sits below ${m}.ts: it may not import it.`,
          })),
        ],
      },
    ],
  },
});

const noCanvas = { name: 'canvas', message: 'Only render/ draws.' };
const noVega = { name: 'vega', message: 'spec/ knows the spec language only.' };
const noFs = [
  { name: 'node:fs', message: 'compile/ is pure: data/ reads files.' },
  { name: 'node:fs/promises', message: 'compile/ is pure: data/ reads files.' },
];

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
  only('support', []),
  only('spec', ['support'], [noCanvas, noVega]),
  // compile/ and data/ use Vega's expression parser, never a View.
  only('compile', ['support', 'spec'], [noCanvas, ...noFs]),
  only('data', ['support', 'spec', 'compile'], [noCanvas]),
  only('render', ['support', 'spec', 'compile', 'data']),
  only(
    'encode',
    ['support'],
    [
      { name: 'vega', message: 'encode/ knows raster frames only, never Vega.' },
      { name: 'canvas', message: 'encode/ knows raster frames only.' },
    ],
  ),
  only('pool', ['support', 'spec', 'compile', 'data', 'render', 'encode']),
  only('player', ['support', 'spec', 'compile', 'data', 'render']),
  only('pipeline', ['support', 'spec', 'compile', 'data', 'render', 'encode', 'pool', 'player']),
  only(
    'cli',
    ['support', 'spec', 'compile', 'data', 'render', 'encode', 'pool', 'player', 'pipeline'],
    [],
    ['index'],
  ),
);
