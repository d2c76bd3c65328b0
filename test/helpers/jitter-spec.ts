/**
 * A chart that draws random numbers: jitter (`random()`) and a sample transform in each
 * frame, and a static layer of random levels; seeded, so every render of it is the same.
 */
export const JITTER = {
  width: 240,
  height: 160,
  layer: [
    {
      data: {
        values: Array.from({ length: 4 * 30 }, (_, i) => ({
          t: Math.floor(i / 30),
          g: ['a', 'b', 'c'][i % 3],
          v: (i * 7) % 30,
        })),
      },
      transform: [{ calculate: 'random()', as: 'jitter' }, { sample: 20 }],
      mark: { type: 'point', filled: true, size: 40 },
      encoding: {
        x: { field: 'g', type: 'nominal' },
        xOffset: { field: 'jitter', type: 'quantitative' },
        y: { field: 'v', type: 'quantitative' },
        frame: { field: 't', type: 'ordinal' },
      },
    },
    {
      data: { values: [{ n: 1 }, { n: 2 }, { n: 3 }] },
      transform: [{ calculate: 'random() * 30', as: 'level' }],
      mark: { type: 'rule', color: 'firebrick' },
      encoding: { y: { field: 'level', type: 'quantitative' } },
    },
  ],
};
