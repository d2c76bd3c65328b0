"""A stand-in for celluloid's ``Camera`` (celluloid is not packaged by Debian, and PyPI
is out of reach here), written to the same semantics as celluloid 0.2.0:

* ``snap()`` records, for every axes of the figure, the artists added since the previous
  snap (collections, patches, lines, texts, artists, images), and first adds the axes'
  current legend as an artist so that it is kept with that snap;
* ``animate()`` returns ``matplotlib.animation.ArtistAnimation(figure, photos, ...)``,
  which shows one snap's artists per frame and hides every other snap's.

Nothing is ever removed from the axes: earlier snaps' artists stay on them (hidden), so
state that matplotlib derives from the axes' contents (the colour cycle, the legend's
handles, autoscaled limits) carries on across snaps exactly as it does under celluloid.

``save_frame`` is not part of celluloid: it draws one snap the way ArtistAnimation does
(every snap's artists hidden, that snap's shown) and writes it with ``savefig``.
"""

from collections import defaultdict

from matplotlib.animation import ArtistAnimation

_KINDS = ["collections", "patches", "lines", "texts", "artists", "images"]


class Camera:
    def __init__(self, figure):
        self._figure = figure
        self._offsets = {kind: defaultdict(int) for kind in _KINDS}
        self._photos = []

    def snap(self):
        frame_artists = []
        for i, axis in enumerate(self._figure.axes):
            if axis.legend_ is not None:
                axis.add_artist(axis.legend_)
            for kind in _KINDS:
                new_artists = getattr(axis, kind)[self._offsets[kind][i]:]
                frame_artists += new_artists
                self._offsets[kind][i] += len(new_artists)
        self._photos.append(frame_artists)
        return frame_artists

    def animate(self, *args, **kwargs):
        return ArtistAnimation(self._figure, self._photos, *args, **kwargs)


def save_frame(animation, index, path, **savefig_kw):
    """Write frame ``index`` of an ArtistAnimation as ArtistAnimation draws it."""
    frames = animation._framedata
    for artists in frames:
        for artist in artists:
            artist.set_visible(False)
    for artist in frames[index]:
        artist.set_visible(True)
    animation._fig.savefig(path, **savefig_kw)
    # The frame is drawn here rather than by Animation's own loop; marking it drawn keeps
    # matplotlib from warning, at exit, that the animation never rendered.
    animation._draw_was_started = True
