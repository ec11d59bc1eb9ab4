"""numba kernels: plain arrays in, arrays out.

Nothing here validates input, sees pandas or chooses policy.  The modules are
imported lazily by the public API, so ``import sigconv`` compiles nothing.

Importing this package settles where numba caches the compiled kernels.
numba writes next to the source by default; in a read-only install it would
fall back to a per-user directory, or fail to import if that is read-only
too.  We pick a writable directory ourselves and say so once.
"""
import os
import tempfile
import warnings

# numba's OpenMP workers spin for a while after each parallel kernel, and
# sigconv's kernels alternate with scipy.fft's own threads: on a small machine
# the spinning steals the core the transform needs (template matching ran
# 1.5x slower).  Sleep instead, unless the user chose; this must be set
# before numba starts its thread pool, which happens at the first parallel
# kernel, after this import.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import numba


def _writable(directory):
    """Can this process create files in ``directory`` (creating it if needed)?

    Tried rather than asked: ``os.access`` says yes to root on read-only mounts.
    """
    try:
        os.makedirs(directory, exist_ok=True)
        with tempfile.TemporaryFile(dir=directory):
            return True
    except OSError:
        return False


def _configure_cache():
    if os.environ.get("NUMBA_CACHE_DIR") or numba.config.CACHE_DIR:
        return
    here = os.path.dirname(os.path.abspath(__file__))
    if _writable(os.path.join(here, "__pycache__")):
        return
    from numba.misc.appdirs import AppDirs

    candidates = [os.path.join(AppDirs("sigconv").user_cache_dir, "numba"),
                  os.path.join(tempfile.gettempdir(), f"sigconv-numba-{os.getuid()}")]
    target = next((d for d in candidates if _writable(d)), None)
    if target is None:  # nowhere to write: numba's own error says so
        return
    numba.config.CACHE_DIR = target
    warnings.warn(
        f"sigconv is installed in a read-only location ({here}); numba caches the "
        f"compiled kernels in {target} instead. "
        "Set NUMBA_CACHE_DIR to a writable directory to choose where the cache goes "
        "(or run the kernels once at build time with that variable set).",
        RuntimeWarning, stacklevel=4)


_configure_cache()
