"""Render an Altair chart as an animation with vega-frames, from Python, with no temp files.

The chart's Vega-Lite dict (``chart.to_dict()``) gets a ``frame`` channel, goes to the
``vega-frames`` command on stdin (``render -``), and the GIF comes back on stdout
(``-o - --format gif``). In a notebook, show the bytes with ``IPython.display.Image``.

    python3 examples/python/render_altair.py out.gif

The command is ``vega-frames`` on PATH, else ``npx --no-install vega-frames``; set
``VEGA_FRAMES`` to another command line (``node /path/to/dist/cli/bin.js``) to choose it.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys


def vega_frames_command() -> list[str]:
    """The command line that runs vega-frames."""
    if os.environ.get("VEGA_FRAMES"):
        return shlex.split(os.environ["VEGA_FRAMES"])
    if shutil.which("vega-frames"):
        return ["vega-frames"]
    return ["npx", "--no-install", "vega-frames"]


def render(spec: dict, fmt: str = "gif", base: str | None = None, *args: str) -> bytes:
    """The spec (a Vega-Lite dict with a ``frame`` channel) rendered to ``fmt``, as bytes.

    ``base`` is the folder relative data URLs resolve in (Altair's json data transformer
    writes its files in the working directory); more options (``--fps``, ``--frame``) go
    in ``args``. A spec or option vega-frames refuses raises, with its message.
    """
    command = [*vega_frames_command(), "render", "-", "-o", "-", "--format", fmt, "-q"]
    if base is not None:
        command += ["--base", base]
    done = subprocess.run(
        [*command, *args], input=json.dumps(spec).encode(), capture_output=True
    )
    if done.returncode != 0:
        raise RuntimeError(done.stderr.decode().strip())
    return done.stdout


def gapminder_like_chart():
    """An Altair scatter of three countries over six years (inline data: ``datasets``)."""
    import altair as alt
    import pandas as pd

    rows = [
        {"year": year, "country": country, "gdp": gdp * 1.1 ** (year - 2000), "life": life + 0.4 * (year - 2000)}
        for year in range(2000, 2006)
        for country, gdp, life in [("A", 10, 60), ("B", 30, 70), ("C", 20, 65)]
    ]
    return (
        alt.Chart(pd.DataFrame(rows), title="Year {frame}")
        .mark_circle(size=200)
        .encode(
            x=alt.X("gdp:Q"),
            y=alt.Y("life:Q", scale=alt.Scale(zero=False)),
            color="country:N",
        )
    )


def main(out: str) -> None:
    try:
        chart = gapminder_like_chart()
    except ImportError as missing:
        sys.exit(f"this example builds its chart with Altair and pandas: {missing}")
    spec = chart.to_dict()
    # The animation: one frame per year, the chart's own encoding otherwise.
    spec["encoding"]["frame"] = {"field": "year", "type": "ordinal"}
    spec["animation"] = {"fps": 2}
    gif = render(spec, "gif")
    with open(out, "wb") as f:
        f.write(gif)
    print(f"{out}: {len(gif)} bytes")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "altair.gif")
