"""Redraws iteration 16 of the label-propagation animation (seed 000, first part) with the
author's own ``create_animation`` and matplotlib, on the data of specs/labelprop.yaml.

Run from the repository root (``npm run gallery-data`` first writes the CSV):

    /usr/bin/python3 scripts/originals/labelprop.py

Writes docs/images/original-labelprop.png (600×600: figsize 6×6 at the figure's 100 dpi,
the size ``animation.to_jshtml()`` and ``animation.save`` draw at).

What is changed from the author's code, and why:

* Data: the author ran label propagation on the GTEx single-cell atlas (an .h5ad file read
  with scanpy, connectivities from ``adta.obsp``) and passed ``coords = adta.obsm['X_umap']``
  and ``cumuvals`` (one value array per iteration). Here both come from
  specs/data/labelprop.csv (index,x,y,frame,value,rank,seed: 200,000 cells × 18 frames),
  the data our gallery spec draws: ``coords`` is x,y of frame 0 ordered by index, and
  ``cumuvals[it]`` is the value column of frame ``it`` ordered by index. The CSV keeps five
  significant digits of each value, so ``rankdata`` sees a few more ties than it would on
  the full-precision values.
* ``from celluloid import Camera`` imports the stand-in in celluloid_standin.py (celluloid
  is not packaged by Debian; the stand-in keeps celluloid's semantics: each snap keeps the
  artists added since the previous snap).
* ``from IPython.display import HTML`` is dropped (unused by the function; no notebook).
* The matplotlib backend is Agg, so ``plt.show()`` inside the function draws nothing.
* Instead of ``HTML(animation.to_jshtml())``, frame 16 of the returned ArtistAnimation is
  written with ``save_frame`` (every other frame's scatter hidden, as ArtistAnimation does).
The body of ``create_animation`` is the author's, unchanged (only re-indented: the seed
text lost its line breaks).
"""

import os
import sys

import matplotlib

matplotlib.use("Agg")

import sys, numpy as np, time, scipy  # noqa: E401,F811  (the author's imports)
import matplotlib.pyplot as plt
import pandas as pd

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from celluloid_standin import Camera, save_frame  # noqa: E402  (for: from celluloid import Camera)

FRAME = 16
DATA = "specs/data/labelprop.csv"
OUT = "docs/images/original-labelprop.png"


# ---- the author's function, as written ------------------------------------------------
def create_animation(coords, clrarr, niter=None, qnorm=True):
    """
    Params:
    coords: An array with each row representing an observation (point in scatterplot).
    First and second columns are treated as x and y coordinates.
    clrarr: One of two possibilities:
    - List of arrays, representing color values at each frame.
    - Function taking one argument, the iteration number. In this case niter must be specified.

    Returns:
    animation: A matplotlib ArtistAnimation object
    """
    fig, axes = plt.subplots(1,1, figsize=(6,6))
    plt.tight_layout()
    camera = Camera(fig)
    axes.axes.xaxis.set_ticks([])
    axes.axes.yaxis.set_ticks([])
    plt.subplots_adjust(wspace=0, hspace=0)
    #fig.subplots_adjust(left=None, bottom=None, right=None, top=None, wspace=None, hspace=None)
    num_iterations = len(clrarr) if niter is None else niter
    for it in range(num_iterations):
        if it % 10 == 0:
            print(f"iter: [{it}/{num_iterations}]")
        if niter is None:
            new_colors = clrarr[it]
        else:
            # clrarr should be a function.
            # TBD: If clrarr is not a function, throw an exception
            # If clrarr is a function, assume it follows the spec above. Then:
            new_colors = clrarr(it)
        plot_arr = scipy.stats.rankdata(new_colors) if qnorm else new_colors
        axes.scatter(coords[:,0], coords[:,1], c=plot_arr, s=0.3)
        camera.snap()
    plt.show()
    animation = camera.animate()
    return animation
# ----------------------------------------------------------------------------------------


def main():
    if not os.path.exists(DATA):
        sys.exit(f"{DATA} is missing: run `npm run gallery-data` first")
    table = pd.read_csv(DATA, usecols=["index", "x", "y", "frame", "value"])
    table = table.sort_values(["frame", "index"], kind="stable")
    frames = [group for _, group in table.groupby("frame", sort=True)]
    coords = frames[0][["x", "y"]].to_numpy()
    cumuvals = [group["value"].to_numpy() for group in frames]
    print(f"{len(coords)} cells, {len(cumuvals)} iterations")

    itime = time.time()
    animation = create_animation(coords, cumuvals)
    print("Time taken to generate frames: {}".format(time.time() - itime))

    save_frame(animation, FRAME, OUT)
    print(f"wrote {OUT} (iteration {FRAME})")


if __name__ == "__main__":
    main()
