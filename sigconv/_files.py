"""Writing files so that a reader never sees one half-written."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

import numpy as np


def save_npz_atomic(path, **arrays):
    """``np.savez(path, **arrays)`` through a temporary file in the same folder,
    renamed over ``path`` only once complete (an interrupted save leaves the
    old file, never a truncated one)."""
    path = Path(path)
    handle, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as f:
            np.savez(f, **arrays)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
