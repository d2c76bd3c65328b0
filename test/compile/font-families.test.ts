/** Which font families a Vega spec names that no registered font has. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SHIPPED_FAMILIES, fontList, unregisteredFamilies } from '../../src/compile/index.js';

test('a CSS font list, unquoted', () => {
  assert.deepEqual(fontList(`"Benton Gothic Bold", 'Lato' , sans-serif`), [
    'Benton Gothic Bold',
    'Lato',
    'sans-serif',
  ]);
});

test('families before the first registered one of each list, once each, case-blind', () => {
  const vega = {
    config: {
      font: 'DejaVu Sans',
      title: { font: 'Benton Gothic Bold, sans-serif' },
      axis: { labelFont: 'lato', titleFont: 'helvetica' },
    },
    marks: [
      { type: 'text', encode: { update: { font: { value: 'Lato' } } } },
      {
        type: 'text',
        encode: { update: { font: [{ test: 'datum.a', value: 'Segoe UI' }, { value: 'Arial' }] } },
      },
      { type: 'text', encode: { update: { font: { signal: 'fontParam' } } } },
    ],
    data: [{ name: 'fonts', values: [{ font: 'Column Value' }] }],
    signals: [{ name: 'fontParam', value: 'Signal Font' }],
  };
  assert.deepEqual(unregisteredFamilies(vega, SHIPPED_FAMILIES), [
    'Benton Gothic Bold',
    'lato',
    'Segoe UI',
  ]);
  assert.deepEqual(unregisteredFamilies(vega, [...SHIPPED_FAMILIES, 'Lato', 'Segoe UI']), [
    'Benton Gothic Bold',
  ]);
});
