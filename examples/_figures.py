"""What the example scripts share: where figures go and how they look."""
from __future__ import annotations

import argparse
from pathlib import Path

DEFAULT_OUT = Path(__file__).resolve().parents[1] / "docs" / "img"
DPI = 100
STYLE = {
    "font.size": 8,
    "axes.titlesize": 9,
    "axes.labelsize": 8,
    "legend.fontsize": 7,
    "xtick.labelsize": 7,
    "ytick.labelsize": 7,
    "lines.linewidth": 1.2,
    "axes.spines.top": False,
    "axes.spines.right": False,
}
GREY = "0.6"


def save(fig, out, name):
    path = out / name
    # No "Software" entry: the bytes do not depend on the matplotlib version.
    fig.savefig(path, dpi=DPI, metadata={"Software": None})
    print(f"wrote {path} ({path.stat().st_size / 1024:.0f} KiB)")


def draw_all(figures, doc, argv=None):
    """The scripts' command line: ``--out DIR``, then every figure drawer on the Agg
    backend in the shared style."""
    import matplotlib

    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT,
                        help=f"directory for the PNGs (default {DEFAULT_OUT})")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    matplotlib.use("Agg")
    with matplotlib.rc_context(STYLE):
        for draw in figures:
            draw(args.out)
