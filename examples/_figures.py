"""What the example scripts share: where figures go and how they look."""
from __future__ import annotations

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
