"""Song identification: index build speed, index size and query time against
libraries of 25, 50 and 100 songs (the scale plan of docs/audio.md).

The songs are the 26 OGG tracks of Debian's ``hedgewars-data`` (install it
with ``apt-get install hedgewars-data``; never committed); the first 25 are
used as they are, and to reach 50 and 100 songs each is added again played
0.9x, 1.1x and 1.2x as fast (resampled: another tempo and key, outside the
+-2% the identifier searches).  Queries are 3, 5 and 10 s snippets of the
original tracks, clean and with white noise at -5 dB SNR.  The peer is the
same search written plainly with scipy: one ``scipy.signal.fftconvolve`` per
band and playback speed, summed (measured at 25 songs only: it takes seconds).

    python benchmarks/bench_audio.py [--music DIR] [--queries 20] [--out FILE]
"""
import argparse
import statistics
import time
from pathlib import Path

import _timing  # noqa: F401  (first: pins the peers' BLAS threads)
import numpy as np

MUSIC = Path("/usr/share/games/hedgewars/Data/Music")
SIZES = (25, 50, 100)
TEMPOS = (1.0, 0.9, 1.1, 1.2)
LENGTHS = (3.0, 5.0, 10.0)


def decode(paths):
    from sigconv.audio import load
    from sigconv.audio.features import RATE

    return {p.stem: load(p, RATE)[0] for p in paths}


def build(songs, size):
    """A library of ``size`` songs, the tracks first, then their tempo variants;
    with the seconds spent indexing (decoding excluded) and the music's length."""
    from sigconv.audio import SongLibrary
    from sigconv.audio.features import RATE, to_rate

    library, seconds, music = SongLibrary(), 0.0, 0.0
    variants = [(name, tempo) for tempo in TEMPOS for name in songs][:size]
    for name, tempo in variants:
        x = songs[name] if tempo == 1.0 else to_rate(songs[name], RATE, RATE / tempo)
        start = time.perf_counter()
        library.add(x, RATE, song=f"{name}@{tempo:g}")
        seconds += time.perf_counter() - start
        music += x.size / RATE
    start = time.perf_counter()
    library._index()
    return library, seconds + time.perf_counter() - start, music


def snippets(songs, count, rng):
    from sigconv.audio import distort
    from sigconv.audio.features import RATE

    names = sorted(songs)
    out = []
    for k in range(count):
        name = names[rng.integers(len(names))]
        length = LENGTHS[k % len(LENGTHS)]
        start = rng.uniform(0, songs[name].size / RATE - length - 1)
        x = songs[name][int(start * RATE):int((start + length) * RATE)]
        if k % 2:
            x, _ = distort.white_noise(x, RATE, rng=rng)
        out.append((name, start, length, x))
    return out


def time_queries(library, queries):
    """Median and 90th percentile seconds of ``identify``, and the share right."""
    from sigconv.audio.features import RATE

    seconds, right = [], 0
    library.identify(queries[0][3], RATE)                   # first call: compiled kernels load
    for name, start, _, x in queries:
        t = time.perf_counter()
        match = library.identify(x, RATE)
        seconds.append(time.perf_counter() - t)
        right += match.song == f"{name}@1" and abs(match.offset_s - start) <= 0.1
    return statistics.median(seconds), float(np.percentile(seconds, 90)), right / len(queries)


def scipy_search(library, x):
    """The same search (every start, every band, five speeds), plainly."""
    from scipy import signal

    from sigconv.audio import library as L
    from sigconv.audio.features import RATE, to_rate

    features = library._index()[0]
    x = to_rate(x, RATE) - np.mean(x)
    best = -np.inf
    for speed in L.SPEEDS:
        q = L._query(x, speed)
        dots = sum(signal.fftconvolve(features[:, b], q[::-1, b], mode="valid")
                   for b in range(q.shape[1]))
        best = max(best, float(np.max(dots)))
    return best


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--music", type=Path, default=MUSIC)
    parser.add_argument("--queries", type=int, default=30)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    paths = sorted(args.music.glob("*.ogg"))[:SIZES[0]]
    if len(paths) < SIZES[0]:
        raise SystemExit(f"need {SIZES[0]} OGG files in {args.music} "
                         "(apt-get install hedgewars-data)")
    songs = decode(paths)
    queries = snippets(songs, args.queries, np.random.default_rng(0))
    rows = [("| songs | music (min) | build (s) | x real time | index (MB, float16) "
            "| in memory (MB) | query median (s) | query p90 (s) | right |"),
            "|---|---|---|---|---|---|---|---|---|"]
    for size in SIZES:
        library, seconds, music = build(songs, size)
        median, p90, right = time_queries(library, queries)
        index = library._index()
        frames, bands = index[0].shape
        arrays = [a for part in index for a in (part if isinstance(part, tuple) else (part,))]
        memory = library._features.nbytes + sum(a.nbytes for a in arrays)
        rows.append(f"| {size} | {music / 60:.0f} | {seconds:.1f} | {music / seconds:.0f} "
                    f"| {frames * bands * 2 / 1e6:.1f} | {memory / 1e6:.0f} "
                    f"| {median:.3f} | {p90:.3f} "
                    f"| {right:.0%} |")
        print(rows[-1], flush=True)
        if size == SIZES[0]:
            peer = [time.perf_counter()]
            for query in queries[:3]:
                scipy_search(library, query[3])
            peer = (time.perf_counter() - peer[0]) / 3
            note = (f"Peer at {size} songs: the same search with scipy.signal.fftconvolve per "
                    f"band and speed takes {peer:.2f} s per query ({peer / median:.0f}x "
                    f"sigconv's median).")
            print(note, flush=True)
    text = "\n".join([*rows, "", note,
                      (f"({args.queries} queries: 3, 5 and 10 s snippets, every other one "
                      "with white noise at -5 dB SNR; right = right song, offset within "
                      "0.1 s, a repeat of the passage counted wrong)")]) + "\n"
    print(text)
    if args.out:
        args.out.write_text(text)


if __name__ == "__main__":
    main()
