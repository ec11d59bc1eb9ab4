"""Every public function, class and method has a numpydoc docstring with examples.

The examples themselves run as doctests (``--doctest-modules`` in
pyproject.toml); this file checks that they exist, so that a new public
function without one fails here, named by its test id.

What counts as public:

- every function and class in ``sigconv.__all__``;
- every function and class of a public module (no leading underscore)
  that is defined there or listed in its ``__all__`` (so ``ARIMAResult``,
  defined in the private ``_arima_results``, is in); a sigconv helper that a
  module merely imports is checked where it is defined, and objects of other
  packages (numpy, pandas) not at all;
- every public method, classmethod, staticmethod and property of those
  classes, including those defined in a private base class (the pandas
  accessors' ``_Accessor``, the optimisers' ``_Optimizer``), each checked
  once, on the class that defines it.  Properties are in: most compute
  something (``bse``, ``residuals``, ``whitening_kernel``) and read like
  methods to a user.

Out of scope, on purpose:

- private modules and names (leading underscore) and dunder methods;
- plain data attributes set in ``__init__``: they are documented in the
  class's ``Attributes`` section and have no docstring of their own;
- the fields of NamedTuple results (``FrequencyResponse.gain``): likewise
  documented in ``Attributes``, with Python's generated "Alias for field
  number 1" docstring;
- property setters: they share the getter's docstring.

A method that overrides a documented one without a docstring of its own
(``Conv1d.forward``) is checked with the docstring ``help()`` and the
documentation show for it, the parent's (``inspect.getdoc``).
"""
import importlib
import inspect
import re

import pytest

import sigconv

PUBLIC_MODULES = [
    "sigconv",
    "sigconv.engine",
    "sigconv.kernels",
    "sigconv.smooth",
    "sigconv.spectral",
    "sigconv.diffusion",
    "sigconv.acf",
    "sigconv.ar",
    "sigconv.arima",
    "sigconv.match",
    "sigconv.datasets",
    "sigconv.pandas",
    "sigconv.plot",
    "sigconv.nn",
    "sigconv.nn.layers",
    "sigconv.nn.losses",
    "sigconv.nn.optim",
    "sigconv.nn.forecaster",
    "sigconv.audio",
    "sigconv.audio.io",
    "sigconv.audio.synth",
    "sigconv.audio.distort",
    "sigconv.audio.features",
    "sigconv.audio.library",
    "sigconv.dask.arrays",
    "sigconv.dask.panels",
]

# A numpydoc section heading: the title, then a line of dashes under it.
EXAMPLES = re.compile(r"^[ \t]*Examples[ \t]*\n[ \t]*-{8,}[ \t]*$", re.MULTILINE)
PROMPT = re.compile(r"^[ \t]*>>> ", re.MULTILINE)


def _ours(obj):
    # unwrap: a decorated function (functools.lru_cache) is still a function.
    return (inspect.isfunction(inspect.unwrap(obj)) or inspect.isclass(obj)) and \
        (getattr(obj, "__module__", None) or "").startswith("sigconv")


def _module_objects(module):
    """The public functions and classes a module defines or lists in ``__all__``."""
    listed = set(getattr(module, "__all__", ()))
    for name, obj in vars(module).items():
        if name.startswith("_") or not _ours(obj):
            continue
        if name in listed or obj.__module__ == module.__name__:
            yield obj


def _members(cls):
    """``(owner, name, function)`` of the public members of ``cls`` and its sigconv bases."""
    for owner in cls.__mro__:
        if not owner.__module__.startswith("sigconv"):
            continue
        fields = set(getattr(owner, "_fields", ()))     # NamedTuple fields: see module doc
        for name, attr in vars(owner).items():
            if name.startswith("_") or name in fields:
                continue
            if isinstance(attr, (classmethod, staticmethod)):
                attr = attr.__func__
            elif isinstance(attr, property):
                attr = attr.fget
            elif not inspect.isfunction(inspect.unwrap(attr)):
                continue                                  # constants, nested classes
            yield owner, name, attr


def _public_api():
    """``{test id: object}`` of everything whose docstring is checked."""
    found = {}
    objects = [getattr(sigconv, name) for name in sigconv.__all__]
    for module_name in PUBLIC_MODULES:
        objects.extend(_module_objects(importlib.import_module(module_name)))
    seen = set()
    for obj in objects:
        if not _ours(obj) or id(obj) in seen:
            continue
        seen.add(id(obj))
        found[f"{obj.__module__}.{obj.__qualname__}"] = obj
        if inspect.isclass(obj):
            for owner, name, member in _members(obj):
                if id(member) not in seen:
                    seen.add(id(member))
                    found[f"{owner.__module__}.{owner.__qualname__}.{name}"] = member
    return found


API = _public_api()


def test_the_api_is_found():
    # A guard against the enumeration silently finding nothing.
    for name in ["sigconv.engine.convolve", "sigconv.kernels.Kernel.from_spec",
                 "sigconv.nn.layers.Module.state_dict", "sigconv.audio.library.SongLibrary",
                 "sigconv.pandas._Accessor.smooth"]:
        assert name in API
    assert len(API) > 200


@pytest.mark.parametrize("name", sorted(API))
def test_docstring_has_examples(name):
    doc = inspect.getdoc(API[name])
    assert doc, f"{name} has no docstring"
    heading = EXAMPLES.search(doc)
    assert heading, f"{name} has no numpydoc 'Examples' section"
    assert PROMPT.search(doc, heading.end()), f"{name}'s Examples section has no '>>>' line"
