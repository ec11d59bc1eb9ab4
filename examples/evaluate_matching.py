"""Measure song identification on a folder of real songs: accuracy per distortion
and snippet length, false positives on songs not in the library, query time.

Usage::

    python examples/evaluate_matching.py SONG_DIR [--held-out 5] [--lengths 3 5 10]
        [--per-cell 10] [--distortions ...] [--seed 0] [--library CACHE.sigconv]
        [--out report.md] [--csv rows.csv] [--sr 22050]
        [--ratio-threshold X] [--dump-ratios]

The audio files of ``SONG_DIR``, sorted, are split (by ``--seed``) into
``--held-out`` distractors and the library songs, which are indexed with
``SongLibrary.build`` (or loaded from ``--library`` when it holds exactly those
songs; otherwise built and saved there).  For every distortion (``clean`` and
all of :data:`sigconv.audio.distort.DISTORTIONS` by default) and length,
``--per-cell`` snippets of library songs are identified (right: the right song
and the offset within 0.1 s) and as many of held-out songs (any answer but
"no match" is a false positive).  Every song is decoded once, at ``--sr``.
Only ``identify`` is timed.  The markdown report (printed, and written to
``--out``) holds the accuracy table, false positives, query times and the list
of wrong answers.

``--dump-ratios`` calibrates the "no match" test: every query is answered
with its best song whatever its ratio (best score over the runner-up's), the
ratio recorded, and the report adds the ratios' distribution, the accuracy
and false-positive rate at several thresholds, and the smallest threshold
giving at most 1 % false positives.  The accuracy table is the same as
without it: answers below the threshold in effect count as "no match" (the
query times grow a little: every answer's offset is refined).
Example::

    python examples/evaluate_matching.py /usr/share/games/hedgewars/Data/Music \\
        --held-out 5 --per-cell 10 --library /tmp/hedgewars.sigconv --out /tmp/report.md
"""
from __future__ import annotations

import argparse
import contextlib
import csv
import dataclasses
import math
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))   # make_snippets, beside this file

from make_snippets import (
    add_common_arguments,
    cut_snippet,
    find_songs,
    load_songs,
    plan_snippets,
    snippet_rngs,
)

from sigconv.audio import Match, SongLibrary
from sigconv.audio import library as library_module
from sigconv.audio.features import FRAME_RATE, LOW_BANDS, N_BANDS

OFFSET_TOLERANCE_S = 0.1
# Two passages of a song are the same (a loop, a repeated chorus) when their
# clean envelopes correlate at least this much: no recording can tell them
# apart, so an answer at either is counted apart as "a repeat".
REPEAT_SIMILARITY = 0.98
FALSE_POSITIVE_TARGET = 0.01
MEMBER, HELD_OUT = "member", "held-out"
BYTES_PER_FEATURE = 2            # the stored index is float16
CALIBRATION_THRESHOLDS = (1.25, 1.5, 1.75, 2.0, 2.5, 3.0)
CSV_COLUMNS = ("distortion", "length_s", "set", "true_song", "true_offset_s", "song",
               "offset_s", "score", "confidence", "speed", "seconds", "ratio", "right",
               "repeat",
               "error")


@dataclasses.dataclass
class Result:
    """One query: the truth, the answer at the threshold in effect, its cost.

    ``best_right`` (with --dump-ratios only): whether the best song and offset,
    accepted or not, were right.
    """

    distortion: str
    length_s: float
    group: str                       # MEMBER or HELD_OUT
    true_song: str
    true_offset_s: float
    song: str | None = None
    offset_s: float = math.nan
    score: float = math.nan
    confidence: float = math.nan
    speed: float = math.nan
    seconds: float = math.nan
    ratio: float | None = None
    best_right: bool | None = None
    repeat: bool = False             # right song, offset at a repeat of the passage
    error: str | None = None

    @property
    def right(self):
        return self.group == MEMBER and _is_right(self.song, self.offset_s, self)

    @property
    def right_or_repeat(self):
        return self.right or (self.group == MEMBER and self.repeat)

    @property
    def false_positive(self):
        return self.group == HELD_OUT and self.song is not None


def _is_right(song, offset_s, result):
    return song == result.true_song and abs(offset_s - result.true_offset_s) <= OFFSET_TOLERANCE_S


def same_passage(samples, sr, a_s, b_s, length_s):
    """Whether the song ``samples`` holds the same ``length_s`` seconds at
    ``a_s`` and at ``b_s``: their clean envelopes (two frames of slack)
    correlate at least ``REPEAT_SIMILARITY``."""
    from sigconv.audio import features

    n = int(length_s * sr)
    a, b = int(a_s * sr), int(b_s * sr)
    if min(a, b) < 0 or max(a, b) + n > samples.size:
        return False
    x = features.features(samples[a:a + n], sr)
    y = features.features(samples[max(b - 2 * features.HOP * sr // features.RATE, 0):b + n], sr)
    best = -1.0
    for shift in range(y.shape[0] - x.shape[0] + 1):
        w = y[shift:shift + x.shape[0]]
        denominator = np.sqrt(np.sum(w * w) * np.sum(x * x))
        if denominator > 0:
            best = max(best, float(np.sum(w * x) / denominator))
    return best >= REPEAT_SIMILARITY


# ------------------------------------------------------------------ songs and library
def split_songs(paths, held_out, seed):
    """(library paths, held-out paths): ``held_out`` files drawn with ``seed``."""
    if not 0 <= held_out < len(paths):
        raise ValueError(f"--held-out must be in [0, {len(paths) - 1}] for {len(paths)} songs; "
                         f"got {held_out}")
    rng = np.random.default_rng(np.random.SeedSequence([seed, 2]))
    chosen = set(rng.choice(len(paths), size=held_out, replace=False).tolist())
    members = [p for i, p in enumerate(paths) if i not in chosen]
    return members, [p for i, p in enumerate(paths) if i in chosen]


def cached_library(path, songs):
    """The library saved at ``path`` if it holds exactly ``songs``, else None."""
    if path is None or not path.exists():
        return None
    try:
        library = SongLibrary.load(path)
    except ValueError as err:
        print(f"ignoring {path}: {err}", flush=True)
        return None
    if library.songs != songs:
        print(f"{path} holds other songs: rebuilding it", flush=True)
        return None
    return library


def get_library(member_paths, cache):
    """(library, seconds taken to build it, or None when loaded from ``cache``)."""
    library = cached_library(cache, [p.stem for p in member_paths])
    if library is not None:
        print(f"loaded the library from {cache}", flush=True)
        return library, None
    print(f"indexing {len(member_paths)} songs", flush=True)
    start = time.perf_counter()
    library = SongLibrary.build(member_paths, progress=True)
    library._index()                 # the search index is built lazily: count it in
    seconds = time.perf_counter() - start
    if cache is not None:
        library.save(cache)
        print(f"saved the library to {cache}", flush=True)
    return library, seconds


def index_megabytes(library):
    return library.duration_s * FRAME_RATE * (N_BANDS + LOW_BANDS) * BYTES_PER_FEATURE / 1e6


# ------------------------------------------------------------------ queries
@contextlib.contextmanager
def every_query_answered():
    """Make ``identify`` answer its best song whatever its ratio and return
    the ratio itself as ``confidence`` (patches library internals: for
    calibration only).  Setting RATIO_THRESHOLD to 0 instead would break
    ``_confidence`` (it divides by 0.1 * RATIO_THRESHOLD), and inverting the
    logistic loses every ratio above ~4.7 times the threshold (confidence 1.0)."""
    saved = library_module.RATIO_THRESHOLD, library_module._confidence
    library_module.RATIO_THRESHOLD = -math.inf
    library_module._confidence = float
    try:
        yield
    finally:
        library_module.RATIO_THRESHOLD, library_module._confidence = saved


def timed_identify(library, snippet, sr):
    start = time.perf_counter()
    match = library.identify(snippet, sr)
    return match, time.perf_counter() - start


def identify_with_ratio(library, snippet, sr):
    """(match at the threshold in effect, ratio, seconds, the unthresholded best)."""
    with every_query_answered():
        best, seconds = timed_identify(library, snippet, sr)
    ratio = best.confidence
    confidence = library_module._confidence(ratio)      # restored: the real one
    if ratio >= library_module.RATIO_THRESHOLD:          # as identify decides
        match = dataclasses.replace(best, confidence=confidence)
    else:
        match = Match(None, math.nan, best.score, confidence, best.speed)
    return match, ratio, seconds, best


def run_query(library, samples, sr, rng, result, dump_ratios):
    """Cut, distort and identify the snippet of ``result``; fill in its answer."""
    try:
        snippet, sr_out = cut_snippet(samples, sr, result.true_offset_s, result.length_s,
                                      result.distortion, rng)
        if dump_ratios:
            match, result.ratio, seconds, best = identify_with_ratio(library, snippet, sr_out)
            result.best_right = _is_right(best.song, best.offset_s, result)
        else:
            match, seconds = timed_identify(library, snippet, sr_out)
    except ValueError as err:        # a silent stretch of a song, say
        result.error = str(err)
        return result
    result.song, result.offset_s, result.score = match.song, match.offset_s, match.score
    result.confidence, result.speed, result.seconds = match.confidence, match.speed, seconds
    if result.group == MEMBER and result.song == result.true_song and not result.right:
        result.repeat = same_passage(samples, sr, result.true_offset_s, result.offset_s,
                                     result.length_s)
    return result


def plan_queries(durations, group, lengths, distortions, per_cell, seed, stream):
    """Results to fill in, one per planned snippet of the songs of ``durations``
    (seconds), with their generators."""
    rng = np.random.default_rng(np.random.SeedSequence([seed, 3, stream]))
    plan = plan_snippets(durations, lengths, distortions, per_cell, rng)
    results = [Result(distortion, length, group, song, offset)
               for song, offset, length, distortion in plan]
    return results, snippet_rngs(seed, len(plan), stream)


def run_all(library, songs, sr, queries, dump_ratios):
    """Every query, cell by cell (distortion, then length), with a progress line each."""
    cells = {}
    for result, rng in queries:
        cells.setdefault((result.distortion, result.length_s), []).append((result, rng))
    done = []
    for k, ((distortion, length), cell) in enumerate(cells.items(), 1):
        start = time.perf_counter()
        results = [run_query(library, songs[r.true_song], sr, rng, r, dump_ratios)
                   for r, rng in cell]
        done += results
        print(f"[{k}/{len(cells)}] {distortion:>14} {length:4g} s: {_cell_summary(results)} "
              f"({time.perf_counter() - start:.1f} s)", flush=True)
    return done


def _cell_summary(results):
    members = [r for r in results if r.group == MEMBER]
    held = [r for r in results if r.group == HELD_OUT]
    text = f"{sum(r.right for r in members)}/{len(members)} right"
    if held:
        text += f", {sum(r.false_positive for r in held)}/{len(held)} false positives"
    errors = sum(r.error is not None for r in results)
    return text + (f", {errors} errors" if errors else "")


# ------------------------------------------------------------------ report
def _fraction(results, count):
    hits = sum(count(r) for r in results)
    return f"{hits}/{len(results)}" if results else "-"


def _rate(results, count):
    return f"{sum(count(r) for r in results) / len(results):.1%}" if results else "-"


def accuracy_table(results, distortions, lengths, right=None):
    """Markdown: right/total per distortion and length, false positives per distortion."""
    right = right or _right
    head = ["distortion", *(f"{length:g} s" for length in lengths), "all",
            "false positives", "FP rate"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for distortion in [*distortions, "all"]:
        rows = [r for r in results if distortion in ("all", r.distortion)]
        members = [r for r in rows if r.group == MEMBER]
        held = [r for r in rows if r.group == HELD_OUT]
        cells = [_fraction([r for r in members if r.length_s == length], right)
                 for length in lengths]
        cells += [_fraction(members, right), _fraction(held, _false_positive),
                  _rate(held, _false_positive)]
        name = f"**{distortion}**" if distortion == "all" else distortion
        lines.append("| " + " | ".join([name, *cells]) + " |")
    return lines


def _right(result):
    return result.right


def _right_or_repeat(result):
    return result.right_or_repeat


def _false_positive(result):
    return result.false_positive


def library_section(library, audio_s, build_seconds, cache):
    lines = [f"- songs in the library: {len(library)}, {audio_s / 60:.1f} min of audio"]
    if build_seconds is None:
        lines.append(f"- loaded from {cache} (not built in this run: no build time)")
    else:
        lines.append(f"- built in {build_seconds:.1f} s (decoding included): "
                     f"{audio_s / build_seconds:.0f} x real time")
    frames = round(library.duration_s * FRAME_RATE)
    lines.append(f"- index: {frames} frames, {index_megabytes(library):.2f} MB as float16")
    return lines


def timing_section(results):
    seconds = np.array([r.seconds for r in results if r.error is None])
    if seconds.size == 0:
        return ["- no query ran"]
    return [(f"- {seconds.size} queries, `identify` only: median {np.median(seconds):.3f} s, "
            f"90th percentile {np.percentile(seconds, 90):.3f} s, "
            f"max {seconds.max():.3f} s")]


def wrong_answers_section(results):
    wrong = [r for r in results if r.error is None and (
        (r.group == MEMBER and not r.right) or r.false_positive)]
    if not wrong:
        return ["None."]
    lines = [("| distortion | length | set | true song @ offset | answer @ offset | score "
             "| confidence | repeat |"), "|---|---|---|---|---|---|---|---|"]
    for r in wrong:
        answer = "no match" if r.song is None else f"{r.song} @ {r.offset_s:.2f} s"
        lines.append(f"| {r.distortion} | {r.length_s:g} s | {r.group} | "
                     f"{r.true_song} @ {r.true_offset_s:.2f} s | {answer} | {r.score:.3f} | "
                     f"{r.confidence:.3f} | {'yes' if r.repeat else ''} |")
    return lines


def errors_section(results):
    failed = [r for r in results if r.error is not None]
    return [f"- {r.distortion} {r.length_s:g} s, {r.true_song} @ {r.true_offset_s:.2f} s: "
            f"{r.error}" for r in failed]


# ------------------------------------------------------------------ calibration
def calibration(results):
    """Ratios of member and held-out queries, as arrays, with the members' rightness."""
    ran = [r for r in results if r.ratio is not None]
    members = [r for r in ran if r.group == MEMBER]
    return (np.array([r.ratio for r in members]),
            np.array([bool(r.best_right) for r in members], dtype=bool),
            np.array([r.ratio for r in ran if r.group == HELD_OUT]))


def threshold_for_false_positives(held_ratios, target=FALSE_POSITIVE_TARGET):
    """The smallest threshold accepting at most ``target`` of the held-out queries."""
    allowed = math.floor(target * held_ratios.size)
    highest = np.sort(held_ratios)[::-1]
    return float(np.nextafter(highest[allowed], np.inf))   # just above the first one refused


def _quantiles(values):
    if values.size == 0:
        return "-"
    q = np.quantile(values, [0, 0.05, 0.5, 0.95, 1])
    return " / ".join(f"{v:.2f}" for v in q)


def calibration_section(results):
    member_ratios, best_right, held_ratios = calibration(results)
    lines = ["Ratio (best score / runner-up's): min / 5% / median / 95% / max", "",
             (f"- members, best answer right ({best_right.sum()}): "
             f"{_quantiles(member_ratios[best_right])}"),
             (f"- members, best answer wrong ({(~best_right).sum()}): "
             f"{_quantiles(member_ratios[~best_right])}"),
             f"- held-out ({held_ratios.size}): {_quantiles(held_ratios)}", ""]
    if held_ratios.size == 0 or member_ratios.size == 0:
        return lines + ["No threshold: it needs both member and held-out queries."]
    chosen = threshold_for_false_positives(held_ratios)
    current = library_module.RATIO_THRESHOLD
    lines += ["| threshold | member accuracy | false-positive rate |", "|---|---|---|"]
    for t in sorted({*CALIBRATION_THRESHOLDS, current, chosen}):
        accuracy = np.mean(best_right & (member_ratios >= t))
        false_positives = np.mean(held_ratios >= t)
        note = (" (in effect)" if t == current else "") + (" (<= 1% FP)" if t == chosen else "")
        lines.append(f"| {t:.3f}{note} | {accuracy:.1%} | {false_positives:.1%} |")
    accuracy = np.mean(best_right & (member_ratios >= chosen))
    lines += ["", (f"Smallest threshold with at most {FALSE_POSITIVE_TARGET:.0%} false positives "
              f"over {held_ratios.size} held-out queries: **{chosen:.3f}**, member accuracy "
              f"there {accuracy:.1%}.")]
    return lines


def report(args, split, library, audio_s, build_seconds, results):
    members, held = split
    lines = ["# Song identification: evaluation", "",
             (f"- songs: {args.song_dir} ({len(members) + len(held)} files), seed {args.seed}, "
             f"decoded at {args.sr} Hz"),
             f"- held out (distractors): {', '.join(p.stem for p in held) or 'none'}",
             (f"- {args.per_cell} snippet(s) per cell from the library songs, as many from "
             f"the held-out ones; right: right song, offset within {OFFSET_TOLERANCE_S:g} s"),
             f"- ratio threshold: {library_module.RATIO_THRESHOLD:g}",
             *library_section(library, audio_s, build_seconds, args.library),
             *timing_section(results), "", "## Accuracy (right/total)", "",
             *accuracy_table(results, args.distortions, args.lengths), "",
             "## Accuracy, an exact repeat of the passage counted right", "",
             (f"The answer names the right song and a start where the song repeats the "
              f"snippet's passage (clean envelopes correlating >= {REPEAT_SIMILARITY:g}): "
              f"{sum(r.repeat for r in results)} snippet(s)."), "",
             *accuracy_table(results, args.distortions, args.lengths, _right_or_repeat), ""]
    if args.dump_ratios:
        lines += ["## Calibration of the ratio threshold", "", *calibration_section(results), ""]
    errors = errors_section(results)
    if errors:
        lines += ["## Queries that failed", "", *errors, ""]
    lines += ["## Wrong answers", "", *wrong_answers_section(results)]
    return "\n".join(lines) + "\n"


def write_csv(path, results):
    with open(path, "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(CSV_COLUMNS)
        for r in results:
            writer.writerow([r.distortion, f"{r.length_s:g}", r.group, r.true_song,
                             f"{r.true_offset_s:.3f}", r.song or "", f"{r.offset_s:.3f}",
                             f"{r.score:.4f}", f"{r.confidence:.4f}", f"{r.speed:g}",
                             f"{r.seconds:.4f}", "" if r.ratio is None else f"{r.ratio:.4f}",
                             int(r.right), int(r.repeat), r.error or ""])


# ------------------------------------------------------------------ command line
def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description="Evaluate song identification on a folder of songs: accuracy per "
                    "distortion and snippet length, false positives on held-out songs, "
                    "build and query time; writes a markdown report.")
    parser.add_argument("song_dir", type=Path, help="folder of songs (audio files)")
    parser.add_argument("--held-out", type=int, default=5, metavar="N",
                        help="songs left out of the library as distractors (default: 5)")
    parser.add_argument("--lengths", type=float, nargs="+", default=[3.0, 5.0, 10.0],
                        metavar="S", help="snippet lengths in seconds (default: 3 5 10)")
    parser.add_argument("--per-cell", type=int, default=10, metavar="N",
                        help="snippets per (distortion, length), from the library songs and "
                             "as many from the held-out ones (default: 10)")
    add_common_arguments(parser)
    parser.add_argument("--library", type=Path, metavar="CACHE",
                        help="library file: loaded if it holds exactly the library songs, "
                             "else built and saved there")
    parser.add_argument("--out", type=Path, help="write the markdown report here too")
    parser.add_argument("--csv", type=Path, help="write one row per snippet here")
    parser.add_argument("--sr", type=int, default=22050,
                        help="sample rate to decode the songs at, in Hz (default: 22050)")
    parser.add_argument("--ratio-threshold", type=float, metavar="X",
                        help="override sigconv.audio.library.RATIO_THRESHOLD "
                             f"(default: {library_module.RATIO_THRESHOLD:g})")
    parser.add_argument("--dump-ratios", action="store_true",
                        help="record every query's ratio and report the threshold giving "
                             "at most 1%% false positives")
    args = parser.parse_args(argv)
    if min(args.lengths) <= 0 or args.per_cell < 1 or args.sr < 1:
        parser.error("--lengths, --per-cell and --sr must be positive")
    if args.ratio_threshold is not None and not args.ratio_threshold > 0:
        parser.error("--ratio-threshold must be positive (the confidence divides by it)")
    return args


def main(argv=None):
    args = parse_args(argv)
    if args.ratio_threshold is not None:
        library_module.RATIO_THRESHOLD = args.ratio_threshold
    try:
        paths = find_songs(args.song_dir)
        split = split_songs(paths, args.held_out, args.seed)
    except (OSError, ValueError) as err:
        sys.exit(f"error: {err}")
    members, held = split
    print(f"decoding {len(paths)} songs at {args.sr} Hz", flush=True)
    songs = load_songs(paths, args.sr)
    library, build_seconds = get_library(members, args.library)
    durations = {song: samples.size / args.sr for song, samples in songs.items()}
    queries = []
    for stream, (group, paths) in enumerate([(MEMBER, members), (HELD_OUT, held)]):
        if paths:
            results, rngs = plan_queries({p.stem: durations[p.stem] for p in paths}, group,
                                         args.lengths, args.distortions, args.per_cell,
                                         args.seed, stream)
            queries += zip(results, rngs)
    results = run_all(library, songs, args.sr, queries, args.dump_ratios)
    audio_s = sum(durations[p.stem] for p in members)
    text = report(args, split, library, audio_s, build_seconds, results)
    print(text)
    if args.out:
        args.out.write_text(text)
    if args.csv:
        write_csv(args.csv, results)


if __name__ == "__main__":
    main()
