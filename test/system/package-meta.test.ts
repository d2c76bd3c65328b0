/** The package's licence and registry metadata. */
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import assert from 'node:assert/strict';

const ROOT = new URL('../..', import.meta.url);
const pkg = JSON.parse(readFileSync(new URL('package.json', ROOT), 'utf8')) as {
  license: string;
  keywords?: string[];
};

test('LICENSE is the BSD 3-Clause licence package.json names', () => {
  assert.equal(pkg.license, 'BSD-3-Clause');
  const license = readFileSync(new URL('LICENSE', ROOT), 'utf8');
  assert.match(license, /^BSD 3-Clause License\n/);
  assert.match(license, /Copyright \(c\) \d{4}, The vega-frames authors/);
  assert.match(license, /3\. Neither the name of the copyright holder/);
});

test('package.json lists its keywords', () => {
  assert.deepEqual(pkg.keywords, [
    'vega',
    'vega-lite',
    'animation',
    'gif',
    'grammar-of-graphics',
    'matplotlib',
    'gganimate',
  ]);
});
