"""Shared fixtures."""
import importlib
import pkgutil

import pytest
from numba.core.dispatcher import Dispatcher

import sigconv._core


def kernel_modules():
    return [importlib.import_module(f"sigconv._core.{info.name}")
            for info in pkgutil.iter_modules(sigconv._core.__path__)]


@pytest.fixture
def no_kernels(monkeypatch):
    """Replace every numba function in ``sigconv._core`` by one that fails the test.

    The engine imports ``sigconv._core`` modules inside its functions and
    looks the kernels up at call time, so patching the module attributes
    intercepts every call.  Returns the names of the patched kernels.
    """
    patched = []
    for module in kernel_modules():
        for name, value in list(vars(module).items()):
            if isinstance(value, Dispatcher):
                qualified = f"{module.__name__}.{name}"

                def forbidden(*args, _name=qualified, **kwargs):
                    raise AssertionError(f"numba kernel {_name} ran on invalid input")

                monkeypatch.setattr(module, name, forbidden)
                patched.append(qualified)
    return patched
