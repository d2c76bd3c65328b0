"""A matplotlib APPROXIMATION of one frame of the UMAP animation (seed 003). It is not the
original: the author drew the frames with plotnine (ggplot for Python), which is not
packaged by Debian and cannot be installed here (PyPI is out of reach), so the author's
code cannot run. This script follows ``plot_embedding(df_epochs, 199, 200, legend=False)``
(the embedding panel of the last animation frame, without the digit-tile legend the author
hstacks beside it with ffmpeg) element by element, translated by hand into matplotlib.

Run from the repository root (``npm run gallery-data`` first writes the CSV):

    /usr/bin/python3 scripts/originals/mnist_umap_matplotlib.py

Writes docs/images/original-mnist-umap-matplotlib.png (800×800: figure_size (8, 8) at
plotnine's default 100 dpi), labelled in its bottom-right corner as an approximation.

What it carries over from the plotnine code, and what it cannot:

* ``theme_void`` on a black ``plot_background``, white text, no axes; ``plot_margin=0.05``.
* ``geom_point(size=0.04, alpha=1)`` coloured by digit with ``scale_color_brewer(type="qual",
  palette=3)``, i.e. ColorBrewer's Paired (10 classes); plotnine's point size becomes
  matplotlib's ``s=((size + stroke) * sqrt(pi))**2`` with stroke 0.5, edge and face in the
  point's colour, as plotnine's geom_point draws it.
* ``annotate("segment", x=0, y=1.05, xend=epoch/max_epochs, yend=1.05, color="white",
  size=1)``: the progress bar, ``linewidth = size * sqrt(pi)`` points.
* ``scale_x_continuous(limits=(0, 1), expand=(0, 0.001, 0, 0.001))`` and
  ``scale_y_continuous(limits=(0, 1.06), expand=(0, 0.01, 0, 0.01))``.
* Title "MNIST data embedded into two dimensions by UMAP" and subtitle "Each point is a
  handwritten digit", left-aligned, ``base_size=16``. The author's Futura is not installed:
  the text is in matplotlib's default DejaVu Sans.
* Which Paired colour goes to which digit: plotnine assigns them in the order of the digit
  column's categories; the author's column is a polars Categorical, whose order is not
  shown in the post. Here digits 0…9 take Paired's colours in that order.
* Data: specs/data/mnist-umap.csv, epoch 199 (our gallery's 30,000 points), not the
  author's data/epochs.parquet (not published).
"""

import math
import os
import sys

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pandas as pd

DATA = "specs/data/mnist-umap.csv"
OUT = "docs/images/original-mnist-umap-matplotlib.png"
EPOCH, MAX_EPOCHS = 199, 200
PAIRED = ["#a6cee3", "#1f78b4", "#b2df8a", "#33a02c", "#fb9a99",
          "#e31a1c", "#fdbf6f", "#ff7f00", "#cab2d6", "#6a3d9a"]
SIZE_FACTOR = math.sqrt(math.pi)  # plotnine's size unit
BASE_SIZE = 16


def main():
    if not os.path.exists(DATA):
        sys.exit(f"{DATA} is missing: run `npm run gallery-data` first")
    table = pd.read_csv(DATA, usecols=["x", "y", "digit", "epoch"])
    df = table[table["epoch"] == EPOCH]
    print(f"epoch {EPOCH}: {len(df)} points")

    fig = plt.figure(figsize=(8, 8), facecolor="black")
    # plot_margin=0.05 on every side; the title block takes the top of what remains.
    ax = fig.add_axes([0.05, 0.05, 0.90, 0.80])
    ax.set_facecolor("black")
    ax.set_axis_off()

    size, stroke = 0.04, 0.5
    colours = [PAIRED[int(d)] for d in df["digit"]]
    ax.scatter(df["x"], df["y"], s=((size + stroke) * SIZE_FACTOR) ** 2, c=colours,
               edgecolors=colours, linewidths=stroke * SIZE_FACTOR, alpha=1)
    ax.plot([0, EPOCH / MAX_EPOCHS], [1.05, 1.05], color="white",
            linewidth=1 * SIZE_FACTOR, solid_capstyle="butt")
    ax.set_xlim(0 - 0.001, 1 + 0.001)
    ax.set_ylim(0 - 0.01, 1.06 + 0.01)

    fig.text(0.05, 0.93, "MNIST data embedded into two dimensions by UMAP",
             color="white", fontsize=BASE_SIZE * 1.2, ha="left", va="bottom")
    fig.text(0.05, 0.915, "Each point is a handwritten digit",
             color="white", fontsize=BASE_SIZE, ha="left", va="top")
    fig.text(0.99, 0.008, "matplotlib approximation of the author's plotnine code "
             "(plotnine is not installed)", color="#888888", fontsize=8, ha="right",
             va="bottom")
    fig.savefig(OUT, dpi=100, facecolor="black")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
