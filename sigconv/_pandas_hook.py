"""Register the ``.sigconv`` pandas accessor without importing pandas.

``import sigconv`` must not import pandas (it costs more than the rest of
sigconv together).  If pandas is already imported, :mod:`sigconv.pandas`
registers the accessor at once; otherwise a one-shot finder on
``sys.meta_path`` waits for the first ``import pandas`` and registers it as
soon as pandas has finished importing.  Either way ``s.sigconv`` works on
every Series and DataFrame once both packages are imported, in either order.
"""
from __future__ import annotations

import importlib
import sys
import warnings


def _register():
    try:
        importlib.import_module("sigconv.pandas")
    except Exception as err:  # noqa: BLE001 - never break the user's ``import pandas``
        warnings.warn(f"sigconv could not register its pandas accessor: {err!r}",
                      RuntimeWarning, stacklevel=2)


class _WhenPandasImported:
    """A meta-path finder that finds nothing itself: it asks the finders after
    it for pandas' spec and makes pandas' loader register the accessor once
    pandas' ``__init__`` has run.  It removes itself at the first lookup."""

    def find_spec(self, fullname, path=None, target=None):
        if fullname != "pandas":
            return None
        if self in sys.meta_path:
            sys.meta_path.remove(self)
        spec = None
        for finder in sys.meta_path:
            find = getattr(finder, "find_spec", None)
            spec = find(fullname, path, target) if find is not None else None
            if spec is not None:
                break
        loader = getattr(spec, "loader", None)
        exec_module = getattr(loader, "exec_module", None)
        if exec_module is None:
            return spec

        def exec_then_register(module):
            del loader.exec_module          # back to the loader's own method
            exec_module(module)
            _register()

        try:
            loader.exec_module = exec_then_register
        except AttributeError:  # a loader that takes no attributes: register by hand
            pass
        return spec


def register_when_pandas_is_imported():
    """Register the accessor now if pandas is imported, else at its import."""
    if "pandas" in sys.modules:
        _register()
    elif not any(isinstance(f, _WhenPandasImported) for f in sys.meta_path):
        sys.meta_path.insert(0, _WhenPandasImported())
