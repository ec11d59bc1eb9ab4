"""Sums over bands of products of spectra (multi-band cross-correlation)."""
import numba as nb


@nb.njit(cache=True, parallel=True)
def sum_band_products(spectrum, queries, out):
    """``out[s, c, f] = sum_b spectrum[c, b, f] * queries[s, b, f]``.

    One pass over ``spectrum`` (the large operand: blocks of a library) serves
    every query, where a product per query would read it once for each.
    """
    n_blocks, n_bands, n_freq = spectrum.shape
    n_queries = queries.shape[0]
    for c in nb.prange(n_blocks):
        for s in range(n_queries):
            for f in range(n_freq):
                out[s, c, f] = 0
        for b in range(n_bands):
            for s in range(n_queries):
                for f in range(n_freq):
                    out[s, c, f] += spectrum[c, b, f] * queries[s, b, f]
    return out

