/**
 * The small deterministic data of the motion gallery (specs/motion/), written to
 * specs/data/motion-*.csv. Run again only to change it: the CSVs are committed.
 *
 *   tsx scripts/gen-motion-data.ts
 */
import { writeFileSync } from 'node:fs';
import { rng } from './gen-data.js';

const OUT = new URL('../specs/data/', import.meta.url).pathname;
const csv = (name: string, header: string, rows: (string | number)[][]) =>
  writeFileSync(`${OUT}${name}`, [header, ...rows.map((r) => r.join(','))].join('\n') + '\n');
const round = (v: number, d = 2) => +v.toFixed(d);

// Countries over 25 years: income and life expectancy drift up, "Jarrah" appears in 2010,
// "Ilmen" is gone after 2010 (enter and exit).
{
  const r = rng(5);
  const regions = ['Africa', 'Americas', 'Asia', 'Europe'];
  const names = [
    'Avalon',
    'Brisa',
    'Corvin',
    'Dalmar',
    'Estra',
    'Fenwick',
    'Galen',
    'Halden',
    'Ilmen',
    'Jarrah',
  ];
  const rows: (string | number)[][] = [];
  names.forEach((name, i) => {
    let income = 2 + r() * 20;
    let life = 50 + r() * 20;
    let pop = 5 + r() * 60;
    for (let year = 2000; year <= 2020; year += 5) {
      if (!(name === 'Jarrah' && year < 2010) && !(name === 'Ilmen' && year > 2010))
        rows.push([name, regions[i % 4], year, round(income, 1), round(life, 1), round(pop, 1)]);
      income *= 1.05 + r() * 0.35;
      life += 1 + r() * 4;
      pop *= 1 + r() * 0.2;
    }
  });
  csv('motion-countries.csv', 'country,region,year,income,life,population', rows);
}

// Three planets on circular orbits at different speeds, 24 steps.
{
  const rows: (string | number)[][] = [];
  const planets = [
    { name: 'inner', radius: 1, period: 8 },
    { name: 'middle', radius: 2, period: 16 },
    { name: 'outer', radius: 3, period: 24 },
  ];
  for (let step = 0; step < 24; step++)
    for (const p of planets) {
      const a = (2 * Math.PI * step) / p.period;
      rows.push([p.name, step, round(p.radius * Math.cos(a), 3), round(p.radius * Math.sin(a), 3)]);
    }
  csv('motion-orbits.csv', 'planet,step,x,y', rows);
}

// Three prices over 30 days of January 2024: random walks.
{
  const r = rng(9);
  const rows: (string | number)[][] = [];
  for (const [symbol, start] of [
    ['ACME', 100],
    ['BOLT', 80],
    ['CRUX', 60],
  ] as const) {
    let price: number = start;
    for (let d = 1; d <= 30; d++) {
      rows.push([symbol, `2024-01-${String(d).padStart(2, '0')}`, round(price)]);
      price *= 1 + (r() - 0.48) * 0.08;
    }
  }
  csv('motion-prices.csv', 'symbol,date,price', rows);
}

// 40 particles diffusing from around the origin for 10 steps: the cloud grows.
{
  const r = rng(13);
  const rows: (string | number)[][] = [];
  const pos = Array.from({ length: 40 }, () => [r() - 0.5, r() - 0.5]);
  for (let step = 0; step <= 10; step++) {
    pos.forEach((p, i) => rows.push([i, step, round(p[0], 3), round(p[1], 3)]));
    for (const p of pos) {
      const g = Math.sqrt(-2 * Math.log(1 - r())) * (step + 1) * 0.4;
      const a = 2 * Math.PI * r();
      p[0] += g * Math.cos(a);
      p[1] += g * Math.sin(a);
    }
  }
  csv('motion-particles.csv', 'id,step,x,y', rows);
}

// Sales of five products over four quarters.
{
  const r = rng(17);
  const rows: (string | number)[][] = [];
  const products = ['Anchor', 'Beacon', 'Compass', 'Drift', 'Ember'];
  const sales = products.map(() => 20 + r() * 60);
  for (const quarter of ['Q1', 'Q2', 'Q3', 'Q4']) {
    products.forEach((p, i) => rows.push([p, quarter, round(sales[i], 1)]));
    sales.forEach((_, i) => (sales[i] = Math.max(5, sales[i] + (r() - 0.45) * 40)));
  }
  csv('motion-sales.csv', 'product,quarter,sales', rows);
}
