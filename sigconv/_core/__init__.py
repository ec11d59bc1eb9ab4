"""numba kernels: plain arrays in, arrays out.

Nothing here validates input, sees pandas or chooses policy; the modules are
imported lazily by the public API so that ``import sigconv`` compiles nothing.
"""
