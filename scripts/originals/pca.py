"""Redraws frame index 3 (7 principal components) of the PCA-reconstruction animation
(seed 004: the question's own answer, second code block) with the author's plotly code,
on the data recipe our gallery spec's data is built from.

Run from the repository root:

    /usr/bin/python3 scripts/originals/pca.py

Writes out/originals/original-pca.html (the figure, plotly.js inlined, offline; out/ is not
committed) and docs/images/original-pca.png (800×525: a headless-Chromium screenshot of
that page).

What is changed from the author's code, and why:

* Data: the author's ``X`` is centred MNIST images (the question shows a 16×5×5 excerpt).
  Here ``X`` is scikit-learn's 8×8 digits, scaled to 0…1 and centred per pixel, and the PCA
  has ``svd_solver="full"`` (deterministic; the author's ``PCA(n_components=50)`` lets
  scikit-learn pick a randomised solver): the recipe specs/pca-reconstruction.yaml's data
  is built from.
* The author's loadings line ``pca.transform(X[150].reshape(-1, 1)).T`` cannot run: it
  passes 64 one-feature samples to a PCA fitted on 64 features. The recipe's fix, one
  line: ``loadings = pca.transform(img.reshape(1, -1))[0]`` (the image as one 64-feature
  sample; its 50 loadings).
* Following from that, ``loadings[i]`` is a number, and ``loadings[i].reshape(img.shape)``
  raises (a size-1 array cannot take the shape 8×8); it is multiplied as the number itself,
  which numpy broadcasts over the 8×8 component: the same sum the author meant.
* The figure is written to HTML (``include_plotlyjs=True``: offline) instead of shown in a
  notebook, at the height plotly's notebook renderer gives a figure without one (525 px;
  the width is the layout's 800), and without the mode bar (the notebook shows it only
  under the pointer; a screenshot has none). Before writing, frame 3's four traces and
  title are copied into the figure's data and layout, so that the page opens on that frame
  (the frames and the author's Play/Pause buttons stay in it).
* Debian's plotly 5.4 tests ``img.dtype == np.bool`` in ``px.imshow``, an alias NumPy 1.24
  removed; the script sets ``np.bool = bool`` (what the alias was) before calling plotly.
* The title is LaTeX (``$\\text{...}$``): the notebook renderer loads MathJax from a CDN.
  Here the page loads Debian's libjs-mathjax from /usr/share/javascript/mathjax; without
  that package the script stops, since plotly.js would show the raw ``$\\text{…}$``.
"""

import os
import subprocess
import sys
import tempfile

# ---- the author's code, as written (data and the loadings lines changed) --------------
import numpy as np
import plotly.graph_objects as go
import plotly.express as px
from plotly.subplots import make_subplots
import plotly.io as pio
from sklearn.decomposition import PCA

if "bool" not in np.__dict__:
    np.bool = bool  # plotly 5.4's px.imshow uses the alias NumPy 1.24 removed

pio.templates["custom"] = go.layout.Template(
    layout=go.Layout(
        margin=dict(l=20, r=20, t=40, b=0)
    )
)
pio.templates.default = "simple_white+custom"


class AnimationButtons():
    def play_scatter(frame_duration = 500, transition_duration = 300):
        return dict(label="Play", method="animate", args=
                    [None, {"frame": {"duration": frame_duration, "redraw": False},
                            "fromcurrent": True, "transition": {"duration": transition_duration, "easing": "quadratic-in-out"}}])

    def play(frame_duration = 1000, transition_duration = 0):
        return dict(label="Play", method="animate", args=
                    [None, {"frame": {"duration": frame_duration, "redraw": True},
                            "mode":"immediate",
                            "fromcurrent": True, "transition": {"duration": transition_duration, "easing": "linear"}}])

    def pause():
        return dict(label="Pause", method="animate", args=
                    [[None], {"frame": {"duration": 0, "redraw": False}, "mode": "immediate", "transition": {"duration": 0}}])

# Data: the recipe of our spec's data (the author's X was centred MNIST images).
import sklearn.datasets
digits = sklearn.datasets.load_digits()
X = digits.images / 16.0
X = X - X.mean(axis=0)

pca = PCA(n_components=50, svd_solver="full").fit(X.reshape((X.shape[0], -1)))
pcs = pca.components_.reshape((-1, X.shape[1], X.shape[2]))

# img, loadings = X[150], pca.transform(X[150].reshape(-1, 1)).T
img = X[150]
loadings = pca.transform(img.reshape(1, -1))[0]

reconstructed, distortion, images, scatters, titles = np.zeros_like(X[0]), [], [], [], []
for i in range(len(pca.components_)):
    # Reconstruct image using the first i principal components
    # (author: loadings[i].reshape(img.shape) * ...; loadings[i] is a number here)
    reconstructed += loadings[i] * pca.components_[i].reshape(img.shape)
    distortion.append(np.sum((img - reconstructed) ** 2))

    # Append animation frame every other reconstruction
    if i % 2 == 0 or i == pca.n_components_-1:
        images.append([img.copy(), reconstructed.copy(), (img - reconstructed).copy()])
        scatters.append(go.Scatter(x=list(range(1, len(distortion)+1)), y=distortion, name=3, xaxis="x4", yaxis="y4", marker_color="black"))
        titles.append(rf"$\text{{ Image Reconstruction - Number of PCs: {i+1} }}$")



# Create figure on the basis of the animated facetted imshow figure
fig = px.imshow(np.array(images), facet_col=1, animation_frame=0, binary_string=True)
for i, (scatter, title) in enumerate(zip(*[scatters, titles])):
    fig["frames"][i]["data"] += (scatter, )
    fig["frames"][i]["traces"] = [0,1,2,3]
    fig["frames"][i]["layout"]["title"] = title
fig.add_traces(data=fig["frames"][0]["data"][-1])

# Create "template" figure to transfer layout onto the `fig` figure
layout = make_subplots(rows=2, cols=3,
                       subplot_titles=["Original Image", "Reconstructed Image", "Remaining Reconstruction", "Distortion Level"],
                       specs=[[{"type":"Image"}, {"type":"Image"}, {"type":"Image"}], [{"type":"xy","colspan": 3}, None, None]], row_heights=[500, 200],)

layout.update_layout(title=titles[0],
                     xaxis4=dict(range=[0, 50], autorange=False),
                     yaxis4=dict(range=[0, max(distortion)+1], autorange=False),
                     margin = dict(t = 100), width=800,
                     updatemenus=[dict(type="buttons", buttons=[AnimationButtons.play(), AnimationButtons.pause()])])

fig["layout"] = layout["layout"]
# fig
# ----------------------------------------------------------------------------------------

FRAME = 3
HTML = "out/originals/original-pca.html"
OUT = "docs/images/original-pca.png"
MATHJAX = "/usr/share/javascript/mathjax/MathJax.js"
CHROMIUM = "/usr/bin/chromium"

frame = fig.frames[FRAME]
for trace_index, trace in zip(frame.traces, frame.data):
    fig.data[trace_index].update(trace.to_plotly_json())
fig.layout.title = frame.layout.title
print(f"frame {FRAME}: {frame.layout.title.text}; {len(fig.frames)} frames; "
      f"distortion at {len(frame.data[3].x)} PCs = {frame.data[3].y[-1]:.4f}")

if not os.path.exists(MATHJAX):
    sys.exit(f"{MATHJAX} is missing: apt-get install libjs-mathjax (the title is LaTeX)")
os.makedirs(os.path.dirname(HTML), exist_ok=True)
fig.write_html(HTML, include_plotlyjs=True, include_mathjax=f"file://{MATHJAX}",
               full_html=True, auto_play=False, default_height=525,
               config={"displayModeBar": False})
print(f"wrote {HTML}")

# The window is a little larger than the figure so nothing is cut; the PNG is then trimmed
# to the figure's 800×525 box at the page's top-left corner (plotly's HTML adds no margin
# there). The virtual-time budget lets MathJax typeset the title before the screenshot.
with tempfile.TemporaryDirectory() as profile:
    subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
                    "--hide-scrollbars", f"--user-data-dir={profile}",
                    "--allow-file-access-from-files", "--virtual-time-budget=5000",
                    "--window-size=820,545", f"--screenshot={os.path.abspath(OUT)}",
                    f"file://{os.path.abspath(HTML)}"],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
from PIL import Image
with Image.open(OUT) as shot:
    page = shot.copy()
page.crop((0, 0, 800, 525)).save(OUT)
print(f"wrote {OUT}")
