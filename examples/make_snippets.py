"""Cut distorted snippets from a folder of songs, to test song identification.

Usage::

    python examples/make_snippets.py SONG_DIR OUT_DIR [--lengths 3 5 10]
        [--per-song N | --count N] [--distortions clean gain ...] [--seed 0] [--sr 22050]

For every (distortion, length) cell the script draws snippets from the songs of
``SONG_DIR`` (its audio files, by file name without extension), each starting
at a uniformly random offset, applies the distortion (``clean``: none; the
others: :data:`sigconv.audio.distort.DISTORTIONS`) and writes it as a float
WAV file to ``OUT_DIR``.  The file names say nothing of the song, so the
snippets can be identified blind; ``OUT_DIR/snippets.csv`` holds the truth:
file, song, offset_s (the true start in the song), length_s, distortion.
Deterministic from ``--seed``.  Example::

    python examples/make_snippets.py /usr/share/games/hedgewars/Data/Music /tmp/snippets \\
        --lengths 5 10 --count 4 --distortions clean white_noise telephone

``find_songs``, ``load_songs``, ``plan_snippets`` and ``cut_snippet`` are
imported by ``evaluate_matching.py``.
"""
from __future__ import annotations

import argparse
import csv
import re
import sys
from pathlib import Path

import numpy as np

from sigconv.audio import distort, load, save
from sigconv.audio.library import AUDIO_SUFFIXES

CLEAN = "clean"
ALL_DISTORTIONS = (CLEAN, *distort.DISTORTIONS)
# Input cut past the snippet's end, so that reverb has a tail to draw on, mp3
# its encoder delay, and a snippet sped up (or a clock slowed) still fills
# length_s of output: SPEED_HEADROOM covers speeds up to 5 % fast.
MARGIN_S = 0.3
SPEED_HEADROOM = 0.05
# Offsets stop this far before the end of a song (so the margin above is there).
END_GAP_S = 1.0
CSV_COLUMNS = ("file", "song", "offset_s", "length_s", "distortion")


def find_songs(folder):
    """The audio files of ``folder``, sorted by name; errors say what is wrong."""
    folder = Path(folder)
    if not folder.exists():
        raise FileNotFoundError(f"no such folder: {folder}")
    if not folder.is_dir():
        raise NotADirectoryError(f"not a folder: {folder}")
    paths = sorted(p for p in folder.iterdir()
                   if p.is_file() and p.suffix.lower() in AUDIO_SUFFIXES)
    if not paths:
        raise ValueError(f"no audio files ({', '.join(AUDIO_SUFFIXES)}) in {folder}")
    stems = [p.stem for p in paths]
    clashes = sorted({s for s in stems if stems.count(s) > 1})
    if clashes:                              # songs are named by their stems
        raise ValueError(f"several files share the name(s) {', '.join(clashes)} in {folder}")
    return paths


def load_songs(paths, sr, *, verbose=True):
    """Each song decoded once, mono at ``sr`` Hz: {file stem: samples}."""
    songs = {}
    for k, path in enumerate(paths, 1):
        songs[path.stem], _ = load(path, sr)
        if verbose:
            print(f"  decoded {k}/{len(paths)}: {path.name}", flush=True)
    return songs


def song_duration(path):
    """Seconds in the audio file, from its header where soundfile can read it."""
    try:
        import soundfile
    except ImportError:                      # WAV only without soundfile: decode it
        samples, sr = load(path, None)
        return samples.size / sr
    return soundfile.info(str(path)).duration


def plan_snippets(durations, lengths, distortions, per_cell, rng):
    """Where to cut: a list of (song, offset_s, length_s, distortion).

    ``per_cell`` snippets for every (distortion, length) cell.  Songs are dealt
    in shuffled rounds, so every song long enough for the length comes up
    equally often (``per_cell`` = N times their number: exactly N each);
    offsets are uniform in [0, duration - length - END_GAP_S].
    """
    plan = []
    for distortion in distortions:
        for length in lengths:
            fitting = [s for s, d in durations.items() if d - length - END_GAP_S >= 0]
            if not fitting:
                raise ValueError(f"no song is longer than {length + END_GAP_S:g} s "
                                 f"(snippet length {length:g} s plus {END_GAP_S:g} s)")
            for song in _deal(fitting, per_cell, rng):
                offset = rng.uniform(0.0, durations[song] - length - END_GAP_S)
                plan.append((song, float(offset), float(length), distortion))
    return plan


def _deal(songs, count, rng):
    """``count`` songs: whole shuffled rounds of ``songs``, then part of one."""
    dealt = []
    while len(dealt) < count:
        dealt += [songs[i] for i in rng.permutation(len(songs))]
    return dealt[:count]


def cut_snippet(samples, sr, offset_s, length_s, distortion, rng):
    """``length_s`` seconds of the song from ``offset_s``, distorted: (snippet, sr_out).

    A little more than ``length_s`` is cut (see MARGIN_S) and the distortion's
    output trimmed to ``length_s`` at its own rate (telephone: 8 kHz); near
    the end of the song the snippet may be shorter.
    """
    start = round(offset_s * sr)
    stop = start + round((length_s * (1 + SPEED_HEADROOM) + MARGIN_S) * sr)
    piece = np.asarray(samples[start:stop], dtype=np.float32)
    if piece.size == 0:
        raise ValueError(f"offset {offset_s:g} s is past the end of the song "
                         f"({len(samples) / sr:g} s)")
    if distortion == CLEAN:
        y, sr_out = piece, sr
    else:
        y, sr_out = distort.DISTORTIONS[distortion](piece, sr, rng=rng)
    return y[:round(length_s * sr_out)], sr_out


def snippet_rngs(seed, count, stream=0):
    """One generator per snippet, so a snippet's noise depends on its place
    in the plan, not on the order in which snippets are cut; ``stream``
    keeps the generators of different plans from the same seed apart."""
    streams = np.random.SeedSequence([seed, 1, stream]).spawn(count)
    return [np.random.default_rng(s) for s in streams]


def snippet_name(index, length_s, distortion):
    """A file name that says nothing of the song: number, distortion, length."""
    slug = re.sub(r"[^A-Za-z0-9_-]+", "", distortion.replace("+", "plus").replace("%", "pct"))
    return f"{index:05d}_{slug}_{length_s:g}s.wav"


def write_snippets(paths, plan, out_dir, sr, seed):
    """Cut every planned snippet, one song decoded at a time; the CSV rows."""
    by_song = {path.stem: path for path in paths}
    rngs = snippet_rngs(seed, len(plan))
    rows = [None] * len(plan)
    for song in dict.fromkeys(s for s, *_ in plan):       # first-seen order
        samples, sr = load(by_song[song], sr)
        for i, (s, offset, length, distortion) in enumerate(plan):
            if s != song:
                continue
            snippet, sr_out = cut_snippet(samples, sr, offset, length, distortion, rngs[i])
            name = snippet_name(i, length, distortion)
            save(out_dir / name, snippet, round(sr_out), subtype="FLOAT")  # noise may pass 1.0
            rows[i] = (name, song, f"{offset:.3f}", f"{length:g}", distortion)
        print(f"  {song}: done", flush=True)
    return rows


def write_csv(path, rows):
    with open(path, "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(CSV_COLUMNS)
        writer.writerows(rows)


def help_list(names):
    """Names for an argparse help text, which %-formats it: "speed+2%" needs %%."""
    return " ".join(names).replace("%", "%%")


def add_common_arguments(parser):
    """--distortions and --seed, as this script and evaluate_matching.py take them."""
    parser.add_argument("--distortions", nargs="+", default=list(ALL_DISTORTIONS),
                        choices=ALL_DISTORTIONS, metavar="NAME",
                        help=f"distortions (default: all: {help_list(ALL_DISTORTIONS)})")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default: 0)")


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description="Cut distorted snippets from a folder of songs into WAV files "
                    "and OUT_DIR/snippets.csv (file, song, offset_s, length_s, distortion).")
    parser.add_argument("song_dir", type=Path, help="folder of songs (audio files)")
    parser.add_argument("out_dir", type=Path, help="folder for the snippets (created)")
    parser.add_argument("--lengths", type=float, nargs="+", default=[3.0, 5.0, 10.0],
                        metavar="S", help="snippet lengths in seconds (default: 3 5 10)")
    count = parser.add_mutually_exclusive_group()
    count.add_argument("--per-song", type=int, metavar="N",
                       help="N snippets of every song for each (distortion, length)")
    count.add_argument("--count", type=int, metavar="N",
                       help="N snippets for each (distortion, length), songs dealt at "
                            "random (default: 10)")
    add_common_arguments(parser)
    parser.add_argument("--sr", type=int, default=22050,
                        help="sample rate to decode the songs at, in Hz (default: 22050)")
    args = parser.parse_args(argv)
    if min(args.lengths) <= 0:
        parser.error("--lengths must be positive")
    if (args.per_song or 1) < 1 or (args.count or 1) < 1:
        parser.error("--per-song and --count must be at least 1")
    return args


def main(argv=None):
    args = parse_args(argv)
    try:
        paths = find_songs(args.song_dir)
    except (OSError, ValueError) as err:
        sys.exit(f"error: {err}")
    durations = {path.stem: song_duration(path) for path in paths}
    per_cell = args.per_song * len(paths) if args.per_song else (args.count or 10)
    rng = np.random.default_rng(np.random.SeedSequence([args.seed, 0]))
    plan = plan_snippets(durations, args.lengths, args.distortions, per_cell, rng)
    args.out_dir.mkdir(parents=True, exist_ok=True)
    print(f"{len(plan)} snippets from {len(paths)} songs into {args.out_dir}", flush=True)
    rows = write_snippets(paths, plan, args.out_dir, args.sr, args.seed)
    write_csv(args.out_dir / "snippets.csv", rows)
    print(f"wrote {len(rows)} snippets and {args.out_dir / 'snippets.csv'}")


if __name__ == "__main__":
    main()
