"""Redraws frames of the coin-flip animation (seed 000, second part) with the author's
loop, unchanged, and matplotlib.

Run from the repository root:

    /usr/bin/python3 scripts/originals/coin_flips.py

Writes docs/images/original-coin-flips.png (frame index 9: k = 2 … 1024) and
docs/images/original-coin-flips-f3.png (frame index 3: k = 2 … 16), 640×480 each (the
default figure, 6.4×4.8 in at 100 dpi, the size ``animation.save(writer='pillow')`` uses).

What is changed from the author's code, and why:

* ``from celluloid import Camera`` imports the stand-in in celluloid_standin.py (celluloid
  is not packaged by Debian; the stand-in keeps celluloid's semantics: each snap keeps the
  artists added since the previous snap, and nothing is removed from the axes).
* The matplotlib backend is Agg (no display).
* Instead of ``animation.save('coin_flip_probability.gif', writer='pillow')``, frames 9
  and 3 of the returned ArtistAnimation are written with ``save_frame`` (every other
  snap's artists hidden, as ArtistAnimation does).
The data is the author's own: the loop computes the probabilities itself, on
``np.linspace(-5, 0, 100)`` (log of the coin's bias); specs/data/coin-flips.csv has the same
formula on another grid (log_bias −4 … 4 by 0.1), which is our spec's choice, not the
author's.
"""

import os
import sys

import matplotlib

matplotlib.use("Agg")

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

# ---- the author's code, as written (one import changed) -------------------------------
import numpy as np
import matplotlib.pyplot as plt
from celluloid_standin import Camera  # for: from celluloid import Camera
from scipy.special import comb
from math import log

def probability_at_least_half_heads(k, p):
    return sum(comb(k, i) * p**i * (1-p)**(k-i) for i in range(int(0.5*k), k+1))

# Define the range of k and biases
k_values = [2, 4, 8, 16, 32, 64, 128, 256, 512, 1024]  # Number of coin flips
logbiases = np.linspace(-5, 0, 100)  # Biases from 0.01 to 1

fig, ax = plt.subplots()
camera = Camera(fig)

for i in range(len(k_values)):
    for k in k_values[:i+1]:
        probabilities = [probability_at_least_half_heads(k, np.exp(p)) for p in logbiases]
        ax.plot(logbiases, probabilities, label=f'k={k}' if k == k_values[i] else '_nolegend_')

    ax.legend(loc='upper left')
    ax.set_xlabel('Negative loss (log Pr(single coin head))')
    ax.set_ylabel('Probability of event')
    ax.set_title('Chance of at least half heads in k coin flips')
    camera.snap()

animation = camera.animate()
# animation.save('coin_flip_probability.gif', writer='pillow')
# ----------------------------------------------------------------------------------------

from celluloid_standin import save_frame  # noqa: E402

for index, out in [(9, "docs/images/original-coin-flips.png"),
                   (3, "docs/images/original-coin-flips-f3.png")]:
    save_frame(animation, index, out)
    lines = [a for a in animation._framedata[index] if isinstance(a, matplotlib.lines.Line2D)]
    legend = [a for a in animation._framedata[index] if isinstance(a, matplotlib.legend.Legend)][0]
    print(f"wrote {out}: frame {index}, {len(lines)} curves, colours",
          [matplotlib.colors.to_hex(l.get_color()) for l in lines])
    print("  legend entries", [(t.get_text(), matplotlib.colors.to_hex(h.get_color()))
                               for t, h in zip(legend.get_texts(), legend.legend_handles
                                               if hasattr(legend, "legend_handles")
                                               else legend.legendHandles)])
