"""Data for the gallery's PCA reconstruction (specs/pca-reconstruction.yaml).

Needs Debian's python3-sklearn and python3-numpy (/usr/bin/python3 on Debian); the digits
are scikit-learn's copy of the UCI optical recognition of handwritten digits (8x8, 0-16),
shipped inside the package, so nothing is downloaded:

    /usr/bin/python3 scripts/gen-pca-digits.py [FOLDER]

It writes into FOLDER (by default specs/data/), the same bytes every run (numbers rounded
to 6 decimals):
- pca-images.csv: per image frame (`components`: PCs 1, 3, ..., 49, 50), each pixel
  (`row`, `col`) of the original image, its reconstruction from the first `components`
  principal components, and what remains (original - reconstruction);
- pca-distortion.csv: per component count (1..50) the distortion, the sum of squared
  differences between the original and its reconstruction, and `frame`, the first image
  frame that shows it (the chart at PCs n shows every count up to n).

The computation is the one the plotly question's author ran (images centred over the data
set, the reconstruction without the mean added back, an image frame every 2nd component
and at the last).
"""

import os
import sys

import numpy as np
from sklearn.datasets import load_digits
from sklearn.decomposition import PCA

N_COMPONENTS = 50
IMAGE = 150  # a 0
DECIMALS = 6

digits = load_digits()
X = digits.images / 16.0
X = X - X.mean(axis=0)
pca = PCA(n_components=N_COMPONENTS, svd_solver="full").fit(X.reshape(len(X), -1))
img = X[IMAGE]
loadings = pca.transform(img.reshape(1, -1))[0]


def num(v: float) -> str:
    s = f"{v:.{DECIMALS}f}".rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


reconstructed = np.zeros_like(img)
distortion, image_rows, frames = [], [], []
for i in range(N_COMPONENTS):
    reconstructed = reconstructed + loadings[i] * pca.components_[i].reshape(img.shape)
    distortion.append(float(np.sum((img - reconstructed) ** 2)))
    if i % 2 == 0 or i == N_COMPONENTS - 1:
        frames.append(i + 1)
        remaining = img - reconstructed
        for r in range(img.shape[0]):
            for c in range(img.shape[1]):
                image_rows.append(
                    [str(i + 1), str(r), str(c)]
                    + [num(a[r, c]) for a in (img, reconstructed, remaining)]
                )

out = (
    sys.argv[1]
    if len(sys.argv) > 1
    else os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "specs", "data")
)
with open(os.path.join(out, "pca-images.csv"), "w", newline="\n") as f:
    f.write("components,row,col,original,reconstructed,remaining\n")
    f.writelines(",".join(row) + "\n" for row in image_rows)
with open(os.path.join(out, "pca-distortion.csv"), "w", newline="\n") as f:
    f.write("components,distortion,frame\n")
    for n, d in enumerate(distortion, start=1):
        f.write(f"{n},{num(d)},{min(k for k in frames if k >= n)}\n")
