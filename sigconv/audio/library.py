"""A library of songs indexed by their onset envelopes, and the identifier.

A snippet is identified by the normalised cross-correlation of its onset
envelope (see :mod:`sigconv.audio.features`) with every song's, at every
start and at a few playback speeds; the best peak gives the song and the
offset, refined to a fraction of a frame, and is accepted only if it stands
far enough above the scores of every other start (the "no match" test).
"""
from __future__ import annotations

import itertools
import json
import os
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .. import _validate as V
from .._files import save_npz_atomic
from . import _search
from . import features as F

FORMAT_VERSION = 2          # 2: bass bands (features.LOW_BANDS) after the others
AUDIO_SUFFIXES = (".wav", ".flac", ".ogg", ".oga", ".mp3", ".aiff", ".aif", ".au", ".opus")
# Playback speeds searched (the snippet is stretched back by each), 1% apart:
# a speed 0.5% off the nearest moves a 10 s snippet's peak by 25 ms.
SPEEDS = (0.98, 0.99, 1.0, 1.01, 1.02)
# Frames dropped at each end of a snippet's envelope: its smoothing sees
# reflected edges there, a song's the real neighbours.
EDGE = 12
# The best score must be this many times the runner-up's (the best of every
# other song): Lowe's ratio test (calibrated: see docs/audio.md).
RATIO_THRESHOLD = 1.75


@dataclass(frozen=True)
class Match:
    """The answer of :meth:`SongLibrary.identify`.

    Attributes
    ----------
    song : str or None
        The song's id; None for "no match".
    offset_s : float
        Where the snippet starts in the song, in seconds (NaN for no match).
    score : float
        Normalised cross-correlation of the envelopes at the best start, in [-1, 1].
    confidence : float
        In [0, 1]: how far the best score stands above chance, 1 - (an
        estimate of) the probability that a snippet of a song not in the
        library scores as high.
    speed : float
        Estimated playback speed of the snippet (1.02: 2% fast).

    Examples
    --------
    >>> import numpy as np
    >>> from sigconv.audio import SongLibrary, synth
    >>> songs = synth.songs(2, duration=10.0, sr=8000, seed=1)
    >>> library = SongLibrary().add(songs[0], sr=8000).add(songs[1], sr=8000)
    >>> match = library.identify(songs[1][8000 * 3:8000 * 7], sr=8000)
    >>> match.song, round(match.offset_s, 1), match.speed
    ('song1', 3.0, 1.0)
    >>> bool(match.score > 0.9 and match.confidence > 0.99)
    True
    >>> noise = np.random.default_rng(0).normal(size=8000 * 4)
    >>> library.identify(noise, sr=8000).song is None         # no match
    True
    """

    song: str | None
    offset_s: float
    score: float
    confidence: float
    speed: float = 1.0


class SongLibrary:
    """Songs indexed for :meth:`identify`.

    Build with :meth:`build` (files or a folder) or :meth:`add`; persist with
    :meth:`save` and :meth:`load` (one ``.npz`` file: arrays and JSON, no
    pickled code).

    Examples
    --------
    >>> from sigconv.audio import SongLibrary, synth
    >>> songs = synth.songs(3, duration=20.0, sr=8000, seed=1)
    >>> library = SongLibrary()
    >>> for i, samples in enumerate(songs):
    ...     _ = library.add(samples, sr=8000, song=f"song{i}")
    >>> match = library.identify(songs[1][8000 * 7:8000 * 12], sr=8000)
    >>> match.song, round(match.offset_s, 2)
    ('song1', 7.0)
    """

    def __init__(self):
        self._songs = []
        self._parts = []                         # features per song, float16
        self._features = np.zeros((0, 0), dtype=np.float16)
        self._starts = np.zeros(1, dtype=np.int64)
        self._search_index = None

    # ------------------------------------------------------------ building
    @classmethod
    def build(cls, sources, *, progress=False, client=None):
        """Index every audio file of ``sources`` (paths, or a folder: its audio
        files, sorted), each under its file name without extension.

        Parameters
        ----------
        sources : str, path-like, or sequence of them
            Audio files, or one folder.
        progress : bool
            Show a progress bar (needs ``tqdm``).
        client : distributed.Client, optional
            Index the songs in parallel on this Dask cluster: each file is
            read here and its bytes shipped to a worker, which decodes it and
            computes its features, so the workers need no access to the
            files (no shared filesystem).  At most a few files per worker
            thread are in flight at once.  The library is the same as
            without a client: same songs, order and features.

        Returns
        -------
        SongLibrary

        Examples
        --------
        >>> import os
        >>> import tempfile
        >>> from sigconv.audio import SongLibrary, save, synth
        >>> songs = synth.songs(2, duration=10.0, sr=8000, seed=1)
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     for name, samples in zip(["intro", "outro"], songs):
        ...         save(os.path.join(folder, name + ".wav"), samples, 8000)
        ...     library = SongLibrary.build(folder)
        >>> library.songs
        ['intro', 'outro']
        """
        library = cls()
        paths = _audio_paths(sources)
        if client is not None:
            return library._build_on(client, paths, progress)
        for path in _progress(paths, progress, "indexing"):
            library.add(path)
        return library

    def _build_on(self, client, paths, progress):
        from distributed import as_completed

        songs = [path.stem for path in paths]
        seen = set(self._songs)
        for song, path in zip(songs, paths):      # before any work, unlike add's loop
            self._check_new(song, path, seen)
            seen.add(song)
        threads = sum(client.nthreads().values()) or 1
        pending = iter(enumerate(paths))
        running = as_completed(loop=client.loop)     # the client need not be the default
        position = {}

        def submit():
            for i, path in pending:
                future = client.submit(_file_features, path.read_bytes(), path.suffix,
                                       str(path), pure=False)
                position[future.key] = (i, future)
                running.add(future)
                return

        for _ in range(2 * threads):   # bounded: the bytes of a few files per thread
            submit()
        envelopes = {}
        try:
            for future in _progress(running, progress, "indexing"):
                envelopes[position.pop(future.key)[0]] = future.result()
                submit()
        except BaseException:
            client.cancel([future for _, future in position.values()])
            raise
        for i, song in enumerate(songs):
            self._append(song, envelopes.pop(i))
        return self

    def add(self, source, sr=None, *, song=None):
        """Add one song: a path, or samples with their rate ``sr``.

        Parameters
        ----------
        source : str, path-like or array_like, shape (n,)
            An audio file, or mono samples.
        sr : float > 0, optional
            The samples' rate in Hz; required for samples, ignored for a
            file (read at the analysis rate).
        song : str, optional
            Its id; default the file name without extension, or
            ``"song<N>"`` for samples (N songs already in the library).

        Returns
        -------
        SongLibrary
            ``self``, so that calls chain.

        Raises
        ------
        ValueError
            ``sr`` missing for samples, an id already in the library, or a
            song too short to index.

        Examples
        --------
        >>> from sigconv.audio import SongLibrary, synth
        >>> songs = synth.songs(2, duration=10.0, sr=8000, seed=1)
        >>> library = SongLibrary().add(songs[0], sr=8000).add(songs[1], sr=8000, song="b")
        >>> library.songs
        ['song0', 'b']
        """
        if isinstance(source, (str, os.PathLike)):
            from .io import load

            samples, sr = load(source, F.RATE)
            song = Path(source).stem if song is None else song
        else:
            if sr is None:
                raise ValueError("sr is required when a song is given as samples")
            samples = _samples(source, "source")
            sr = V.check_real(sr, "sr", 0, np.inf)
            song = f"song{len(self._songs)}" if song is None else song
        song = str(song)
        self._check_new(song, source, self._songs)
        return self._append(song, F.features(samples, sr))

    @staticmethod
    def _check_new(song, source, songs):
        if song in songs:
            source_name = f" (from {source})" if isinstance(source, (str, os.PathLike)) else ""
            raise ValueError(f"the library already holds a song {song!r}{source_name}; "
                             "give each song its own id")

    def _append(self, song, envelope):
        if envelope.shape[0] < 2 * EDGE + 8:
            raise ValueError(f"song {song!r} is too short to index: "
                             f"{envelope.shape[0] * F.HOP / F.RATE:.2f} s")
        self._songs.append(song)
        self._parts.append(envelope.astype(np.float16))
        self._features = None
        return self

    @property
    def songs(self):
        """The song ids, in the order added (a new list).

        Examples
        --------
        >>> from sigconv.audio import SongLibrary, synth
        >>> library = SongLibrary().add(synth.song(1, duration=10.0, sr=8000), sr=8000,
        ...                             song="first")
        >>> library.songs
        ['first']
        """
        return list(self._songs)

    @property
    def duration_s(self):
        """Seconds of music indexed (all songs).

        Examples
        --------
        >>> from sigconv.audio import SongLibrary, synth
        >>> library = SongLibrary()
        >>> for samples in synth.songs(2, duration=10.0, sr=8000, seed=1):
        ...     _ = library.add(samples, sr=8000)
        >>> round(library.duration_s, 1)             # whole frames of two 10 s songs
        19.9
        """
        return sum(part.shape[0] for part in self._parts) * F.HOP / F.RATE

    def __len__(self):
        return len(self._songs)

    def _index(self):
        """The features of all songs end to end (float32, computed in), the
        songs' first frames, the cumulative squared norms of the frames (for
        the window norms of every query: all bands, and the telephone band
        alone) and where each frame's song ends; built once after each add."""
        if self._features is None:
            self._features = np.concatenate(self._parts) if self._parts else \
                np.zeros((0, 0), dtype=np.float16)
            self._starts = np.concatenate([[0], np.cumsum([p.shape[0] for p in self._parts])])
            self._search_index = None
        if self._search_index is None:
            library = self._features.astype(np.float32)
            song_end = np.repeat(self._starts[1:], np.diff(self._starts)).astype(np.int32)
            energy = (_search.cumulative_energy(library),
                      _search.cumulative_energy(library[:, :F.N_BANDS]))
            self._search_index = (library, self._starts, energy, song_end)
        return self._search_index

    # ------------------------------------------------------------ persistence
    def save(self, path):
        """Write the library to ``path`` (``.npz``), atomically: a temporary
        file in the same folder renamed over ``path`` when complete.

        Parameters
        ----------
        path : str or path-like

        Examples
        --------
        >>> import os
        >>> import tempfile
        >>> from sigconv.audio import SongLibrary, synth
        >>> library = SongLibrary().add(synth.song(1, duration=10.0, sr=8000), sr=8000)
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     library.save(os.path.join(folder, "library.npz"))
        ...     os.listdir(folder)
        ['library.npz']
        """
        if not self._songs:
            raise ValueError("the library is empty: add songs before saving it")
        starts = self._index()[1]
        meta = {"format": "sigconv.SongLibrary", "version": FORMAT_VERSION,
                "rate": F.RATE, "frame": F.FRAME, "hop": F.HOP, "bands": F.N_BANDS,
                "low_bands": F.LOW_BANDS}
        save_npz_atomic(path, features=self._features, starts=starts,
                        songs=np.array(self._songs, dtype=str), meta=np.array(json.dumps(meta)))

    @classmethod
    def load(cls, path):
        """A library written by :meth:`save`.

        Parameters
        ----------
        path : str or path-like

        Returns
        -------
        SongLibrary

        Raises
        ------
        FileNotFoundError
            No file at ``path``.
        ValueError
            Not an ``.npz`` archive, a library of another format or
            version, or a damaged one.

        Examples
        --------
        >>> import os
        >>> import tempfile
        >>> from sigconv.audio import SongLibrary, synth
        >>> songs = synth.songs(2, duration=10.0, sr=8000, seed=1)
        >>> library = SongLibrary().add(songs[0], sr=8000).add(songs[1], sr=8000)
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     library.save(os.path.join(folder, "library.npz"))
        ...     again = SongLibrary.load(os.path.join(folder, "library.npz"))
        >>> again.songs, again.identify(songs[1][8000 * 3:8000 * 7], sr=8000).song
        (['song0', 'song1'], 'song1')
        """
        path = Path(path)
        if not path.exists():
            raise FileNotFoundError(f"no song library at {path}")
        if not zipfile.is_zipfile(path):        # numpy would suggest allow_pickle=True
            raise ValueError(f"{path} is not a sigconv song library (not an .npz archive)")
        try:
            with np.load(path, allow_pickle=False) as data:
                meta = json.loads(str(data["meta"]))
                features, starts, songs = data["features"], data["starts"], data["songs"]
        except Exception as exc:  # noqa: BLE001 - any failure to parse is a bad file
            raise ValueError(f"{path} is not a readable sigconv song library: {exc}") from None
        expected = {"format": "sigconv.SongLibrary", "version": FORMAT_VERSION, "rate": F.RATE,
                    "frame": F.FRAME, "hop": F.HOP, "bands": F.N_BANDS,
                    "low_bands": F.LOW_BANDS}
        if meta != expected:
            raise ValueError(f"{path} holds a song library of another format or version: {meta}")
        if (features.ndim != 2 or features.shape[1] != F.N_BANDS + F.LOW_BANDS
                or starts.ndim != 1 or starts.size != len(songs) + 1 or starts[0] != 0
                or starts[-1] != features.shape[0] or np.any(np.diff(starts) <= 0)):
            raise ValueError(f"{path} is a damaged song library (inconsistent arrays)")
        library = cls()
        library._songs = [str(s) for s in songs]
        library._parts = [features[a:b] for a, b in itertools.pairwise(starts)]
        library._features = features
        library._starts = starts.astype(np.int64)
        return library

    # ------------------------------------------------------------ identification
    def identify(self, snippet, sr):
        """The song ``snippet`` (samples at ``sr`` Hz) comes from, and where.

        Parameters
        ----------
        snippet : array_like, shape (n,)
            Mono samples, a few seconds long.
        sr : float > 0
            Their rate, in Hz.

        Returns
        -------
        Match
            ``song`` None when the best score is not distinguishable from
            chance (see ``RATIO_THRESHOLD``).

        Raises
        ------
        ValueError
            An empty library; a snippet that is silent, too short, or longer
            than every song.

        Examples
        --------
        >>> from sigconv.audio import SongLibrary, distort, synth
        >>> songs = synth.songs(2, duration=10.0, sr=8000, seed=1)
        >>> library = SongLibrary().add(songs[0], sr=8000).add(songs[1], sr=8000)
        >>> noisy, sr = distort.white_noise(songs[0][8000 * 2:8000 * 6], 8000, snr_db=0.0, rng=0)
        >>> match = library.identify(noisy, sr=sr)
        >>> match.song, round(match.offset_s, 1)
        ('song0', 2.0)
        """
        if not self._songs:
            raise ValueError("the library is empty: add songs first")
        samples = _samples(snippet, "snippet")
        sr = V.check_real(sr, "sr", 0, np.inf)
        if np.ptp(samples) == 0:
            raise ValueError("snippet is silent (all samples equal)")
        x = F.to_rate(samples, sr)
        x = x - x.mean()
        library, starts, energies, song_end = self._index()
        if not F.has_bass(x):
            # a telephone-band recording: match on the telephone-band columns
            library, energy = library[:, :F.N_BANDS], energies[1]
        else:
            energy = energies[0]
        queries = [_query(x, speed)[:, :library.shape[1]] for speed in SPEEDS]
        if any(q.shape[0] < 8 for q in queries):
            raise ValueError(f"snippet is too short: {samples.size / sr:.2f} s; at least "
                             f"{(2 * EDGE + 12) * F.HOP / F.RATE + F.FRAME / F.RATE:.2f} s")
        if min(q.shape[0] for q in queries) > np.diff(starts).max():
            raise ValueError("snippet is longer than every song in the library")
        dots = _search.correlate_bands(library, queries)
        best = None
        song_best = np.full(len(self._songs), -np.inf)
        for speed, q, dot in zip(SPEEDS, queries, dots):
            scores = _scores(dot, q, energy, song_end)
            if not np.isfinite(scores).any():
                continue
            song_best = np.fmax(song_best, _per_song_max(scores, starts))
            t = int(np.nanargmax(scores))
            if best is None or scores[t] > best[0]:
                best = (float(scores[t]), t, speed, scores, q)
        if best is None:
            raise ValueError("snippet is longer than every song in the library")
        score, t, speed, scores, query = best
        length = query.shape[0]
        song = int(np.searchsorted(starts, t, side="right") - 1)
        ratio = score / _runner_up(scores, song_best, song, t, length, starts)
        confidence = _confidence(ratio)
        if not ratio >= RATIO_THRESHOLD:
            return Match(None, float("nan"), score, confidence, speed)
        # A repeated passage scores (nearly) as high as the snippet's own
        # start: the finer look of _refine decides between them.
        candidates = _repeats(scores[starts[song]:starts[song + 1]], t - starts[song], length)
        _, offset = max(_refine(x, speed, query, library, starts[song] + u)
                        for u in candidates)
        offset = max(offset - starts[song] * F.HOP / F.RATE, 0.0)
        return Match(self._songs[song], float(offset), score, confidence, float(speed))

    def identify_many(self, snippets, sr, *, client=None):
        """:meth:`identify` for each snippet (all at ``sr`` Hz): a list of Match.

        Parameters
        ----------
        snippets : iterable of array_like
        sr : float > 0
        client : distributed.Client, optional
            Spread the queries over this Dask cluster: the library is sent to
            every worker once (``client.scatter(..., broadcast=True)``), then
            each snippet is one task.  The matches are the same as without a
            client; the first snippet that fails raises its error here.

        Returns
        -------
        list of Match

        Examples
        --------
        >>> from sigconv.audio import SongLibrary, synth
        >>> songs = synth.songs(2, duration=10.0, sr=8000, seed=1)
        >>> library = SongLibrary().add(songs[0], sr=8000).add(songs[1], sr=8000)
        >>> snippets = [songs[0][8000:8000 * 5], songs[1][8000 * 2:8000 * 6]]
        >>> [(m.song, round(m.offset_s, 1)) for m in library.identify_many(snippets, 8000)]
        [('song0', 1.0), ('song1', 2.0)]
        """
        if client is None:
            return [self.identify(s, sr) for s in snippets]
        if not self._songs:
            raise ValueError("the library is empty: add songs first")
        sr = V.check_real(sr, "sr", 0, np.inf)
        self._index()               # built once here, not on every worker
        # hash=False: a fresh key each call, never one a previous call is releasing
        library = client.scatter(self, broadcast=True, hash=False)
        futures = [client.submit(SongLibrary.identify, library, s, sr, pure=False)
                   for s in snippets]
        return client.gather(futures)


def _file_features(payload, suffix, source):
    """A song's features (float16) from its file's bytes: run on a Dask worker,
    which may not see the file itself."""
    import tempfile

    from .io import load

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"song{suffix}"
        path.write_bytes(payload)
        try:
            samples, sr = load(path, F.RATE)
        except (OSError, ValueError) as exc:     # name the client's file, not the copy
            raise type(exc)(str(exc).replace(str(path), source)) from None
    return F.features(samples, sr).astype(np.float16)


def _query(x, speed):
    """The snippet's envelope, stretched back from playback at ``speed``."""
    stretched = F.to_rate(x, F.RATE, F.RATE * speed) if speed != 1.0 else x
    envelope = F.features(stretched, F.RATE)
    return envelope[EDGE:envelope.shape[0] - EDGE]


def _scores(dots, query, energy, song_end):
    """Normalised correlation per start; NaN where the window leaves its song
    (``song_end[t]``: the first frame after the song of frame ``t``)."""
    L = query.shape[0]
    norms = _search.window_norms(energy, L) * np.sqrt(np.sum(query.astype(np.float64) ** 2))
    scores = np.divide(dots, norms, out=np.zeros_like(dots), where=norms > 0)
    scores[np.arange(L, scores.size + L) > song_end[:scores.size]] = np.nan
    return scores


def _repeats(scores, best, length, count=3, within=0.97):
    """``best`` and up to ``count - 1`` other starts of one song's ``scores``
    that score at least ``within`` times as high, each the highest of its
    neighbourhood (half a snippet either side)."""
    top = scores[best]
    found = [best]
    masked = np.where(np.isfinite(scores), scores, -np.inf)
    half = max(length // 2, 1)
    masked[max(best - half, 0):best + half + 1] = -np.inf
    while len(found) < count:
        u = int(np.argmax(masked))
        if not masked[u] >= within * top:
            break
        found.append(u)
        masked[max(u - half, 0):u + half + 1] = -np.inf
    return found


def _refine(x, speed, query, library, t):
    """The snippet's start in the library, in seconds, to a few milliseconds,
    with the normalised correlation there: ``(score, seconds)``.

    The envelope (``query``, unshifted) is recomputed from the snippet shifted
    by each quarter of a hop; the best (shift, start) near ``t`` and the
    parabola through its neighbours place the start between the frames.
    """
    from ..match import _parabolic_offset

    best = None
    for shift in range(0, F.HOP, F.HOP // 4):
        q = query if shift == 0 else _query(x[shift:], speed)[:query.shape[0], :query.shape[1]]
        length = q.shape[0]          # a shifted snippet may hold a frame less
        lo, hi = max(t - 2, 0), min(t + 3, library.shape[0] - length + 1)
        window = np.lib.stride_tricks.sliding_window_view(
            library[:hi + length - 1], length, axis=0)[lo:hi]      # (k, B, L)
        dots = np.einsum("kbl,lb->k", window, q, dtype=np.float64)
        norms = np.sqrt(np.einsum("kbl,kbl->k", window, window, dtype=np.float64)
                        * np.sum(q.astype(np.float64) ** 2))
        values = np.divide(dots, norms, out=np.zeros_like(dots), where=norms > 0)
        k = int(np.argmax(values))
        if best is None or values[k] > best[0]:
            frames = lo + k + _parabolic_offset(values, k) - EDGE
            # the shift was taken before stretching back by the speed
            best = (values[k], frames * F.HOP - shift * speed)
    return float(best[0]), best[1] / F.RATE


def _per_song_max(scores, starts):
    """Largest score of each song's starts (-inf for a song with none)."""
    out = np.full(starts.size - 1, -np.inf)
    for k in range(starts.size - 1):
        part = scores[starts[k]:min(starts[k + 1], scores.size)]
        if part.size and np.isfinite(part).any():
            out[k] = np.nanmax(part)
    return out


def _runner_up(scores, song_best, song, t, length, starts):
    """The score the best has to beat: the best of every other song, or with
    a single song, its best start at least a snippet away from ``t``."""
    others = np.delete(song_best, song)
    if others.size and np.isfinite(others).any():
        runner = float(np.max(others))
    else:
        own = scores[starts[song]:min(starts[song + 1], scores.size)].copy()
        u = t - starts[song]
        own[max(u - length, 0):u + length] = np.nan
        runner = float(np.nanmax(own)) if np.isfinite(own).any() else \
            float(np.nanquantile(scores, 0.99))
    return max(runner, 1e-3)


def _confidence(ratio):
    """Logistic in the ratio of the best score to the runner-up's: 0.5 at
    ``RATIO_THRESHOLD``, about 0.99 at 1.5 times its excess over 1."""
    return float(1.0 / (1.0 + np.exp(-(ratio - RATIO_THRESHOLD) / (0.1 * RATIO_THRESHOLD))))


def _samples(values, name):
    arr = np.asarray(values)
    if arr.dtype.kind not in "biuf":
        raise TypeError(f"{name} must be audio samples (real numbers); got dtype {arr.dtype}")
    if arr.ndim == 2:
        arr = arr.mean(axis=1) if arr.shape[1] <= 8 else arr.mean(axis=0)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be 1-D samples (or samples x channels); got shape "
                         f"{arr.shape}")
    if arr.size == 0:
        raise ValueError(f"{name} is empty")
    arr = arr.astype(np.float64)
    if not np.isfinite(arr).all():
        raise ValueError(f"{name} contains NaN or inf")
    return arr


def _audio_paths(sources):
    if isinstance(sources, (str, os.PathLike)):
        sources = [sources]
    paths = []
    for source in sources:
        source = Path(source)
        if source.is_dir():
            paths += sorted(p for p in source.iterdir()
                            if p.is_file() and p.suffix.lower() in AUDIO_SUFFIXES)
        else:
            paths.append(source)
    if not paths:
        raise ValueError(f"no audio files in {[str(s) for s in sources]}")
    return paths


def _progress(items, enabled, description):
    if not enabled:
        return items
    try:
        from tqdm.auto import tqdm
    except ImportError:
        return items
    return tqdm(items, desc=description, unit="song")
