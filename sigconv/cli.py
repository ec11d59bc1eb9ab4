"""The ``sigconv`` command line.

Each subcommand is one entry in :data:`COMMANDS`: a name, a one-line help, a
function that adds its arguments and a function that runs it.  Adding a
command means adding a row, not touching :func:`main`.

Commands import numpy, pandas and sigconv's engine inside their ``run``
function, so ``sigconv --help`` stays fast.  Errors are reported as one line on
stderr with a non-zero exit status; ``--debug`` shows the full traceback.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

PROG = "sigconv"

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2


class CommandError(Exception):
    """An error the user can fix; reported as one line, never with a traceback."""


class _Parser(argparse.ArgumentParser):
    """argparse with usage errors on one line (argparse prints usage, then the error)."""

    def error(self, message):
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see '{self.prog} --help')\n")


# --------------------------------------------------------------------------- demo

DEMO_EPILOG = """\
example:
  sigconv demo                 # summary on stdout, report in sigconv-demo/index.html
  sigconv demo --out report    # report in report/index.html

A tour in seven steps, on data shipped with sigconv and statsmodels (no
downloads): smoothing the Nile's flow, the convolution theorem, finding a
solar cycle in the sunspots, identifying a noisy snippet of a synthetic
song, an AR model of the sunspots, a learned convolution that recovers AR
coefficients, and the airline ARIMA.  Each step is cross-checked against
pandas, scipy, numpy or statsmodels; the exit status is 1 if a check fails.
The pictures need matplotlib (pip install "sigconv[plot]"); without it the
report has text only.  About a minute on two cores the first time (numba
compiles its kernels into the cache), seconds after that.
"""

DEMO_DIR = "sigconv-demo"


def _add_demo_arguments(parser):
    parser.add_argument(
        "--out",
        metavar="DIR",
        type=Path,
        default=Path(DEMO_DIR),
        help=f"directory for the report, index.html and its pictures (created if missing; "
             f"default: {DEMO_DIR})",
    )


def _run_demo(args):
    out_dir = args.out
    if out_dir.exists() and not out_dir.is_dir():
        raise CommandError(f"--out must be a directory; {str(out_dir)!r} is a file")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CommandError(f"cannot create directory {str(out_dir)!r}: {exc.strerror}")

    from sigconv import demo

    start = time.perf_counter()
    steps = demo.run(echo=lambda line: print(line, flush=True))
    page = demo.write_report(steps, out_dir)
    if not any(step.figure is not None for step in steps):
        print('matplotlib is not installed: the report has no pictures; for them, '
              'pip install "sigconv[plot]"')
    failed = [step.title for step in steps if not step.passed]
    print(f"report: {page.resolve()}  ({time.perf_counter() - start:.1f} s)")
    if failed:
        raise CommandError("a cross-check failed in: " + "; ".join(failed))
    return EXIT_OK


# -------------------------------------------------------------------- index, match

INDEX_EPILOG = """\
example:
  sigconv index music/ -o library.sigconv              # every audio file in music/
  sigconv index music/ extra/song.flac -o library.sigconv --progress

Each song is named by its file name without the extension (music/Hey Jude.mp3
is "Hey Jude"), so two files with the same name in different folders are
refused.  Audio files are those ending in .wav, .flac, .ogg, .mp3, .aiff
and the like; files other than WAV need soundfile (pip install
"sigconv[audio]").  The library is one file, written atomically; identify
snippets against it with 'sigconv match'.
"""

MATCH_EPILOG = """\
example:
  sigconv match recording.wav --library library.sigconv
  sigconv match clips/*.wav --library library.sigconv --json > matches.json

One line per snippet, such as
  recording.wav: Hey Jude at 01:15.250 (score 0.812, confidence 0.99)
giving where in the song the snippet starts (minutes:seconds), the
normalised correlation of the two (score, in [-1, 1]) and how sure the
identifier is (confidence, in [0, 1]); a snippet played faster or slower
than the song adds its speed (", speed 1.02": 2% fast).  A snippet of no
song in the library gives "no match".  Longer snippets are identified more
reliably (evaluated on 3, 5 and 10 s ones).  --json prints a list of objects with the fields
snippet, song, offset_s, offset, score, confidence and speed (null for no
match), or snippet and error.  A snippet that cannot be read is reported and
skipped; the exit status is then 1.
"""


def format_offset(seconds):
    """``seconds`` as ``mm:ss.sss``, rounded to the millisecond.

    Minutes keep counting past the hour (``75:00.000``); a negative offset
    (the snippet starts a hair before the song) keeps its sign.

    >>> format_offset(75.25)
    '01:15.250'
    >>> format_offset(59.9996)
    '01:00.000'
    """
    if not math.isfinite(seconds):
        raise ValueError(f"offset must be a finite number of seconds; got {seconds!r}")
    # Round the total once, so 59.9996 s carries into the minutes (not "00:60.000").
    millis = round(seconds * 1000)
    sign = "-" if millis < 0 else ""
    minutes, millis = divmod(abs(millis), 60_000)
    return f"{sign}{minutes:02d}:{millis // 1000:02d}.{millis % 1000:03d}"


def _describe(exc, *, filename=True):
    """The message of ``exc`` without Python's '[Errno 2]' prefix; ``filename``
    False leaves out the file of an OSError (the caller names it already)."""
    if isinstance(exc, OSError) and exc.strerror:
        return f"{exc.strerror}: {exc.filename}" if filename and exc.filename else exc.strerror
    return str(exc)


def _add_index_arguments(parser):
    parser.add_argument(
        "sources",
        metavar="LIBRARY_DIR_OR_FILE",
        nargs="+",
        type=Path,
        help="folders (their audio files, not subfolders) and audio files to index",
    )
    parser.add_argument(
        "-o",
        "--output",
        metavar="LIBRARY",
        type=Path,
        required=True,
        help="the library file to write (replaced if it exists), e.g. library.sigconv",
    )
    parser.add_argument(
        "--progress", action="store_true", help="show a progress bar on stderr (needs tqdm)"
    )


def _run_index(args):
    output = args.output
    if output.is_dir():
        raise CommandError(f"-o must be a file name; {str(output)!r} is a directory")
    if not output.parent.is_dir():
        raise CommandError(f"cannot write {str(output)!r}: no such directory "
                           f"{str(output.parent)!r}")
    # Checked up front: the library would otherwise fail on a typo only after
    # indexing every song before it.
    for source in args.sources:
        if not source.exists():
            raise CommandError(f"no such file or directory: {str(source)!r}")

    from sigconv.audio import SongLibrary
    from sigconv.audio.library import AUDIO_SUFFIXES

    started = time.perf_counter()
    try:
        library = SongLibrary.build(args.sources, progress=args.progress)
    except (OSError, ValueError, ImportError) as exc:
        message = _describe(exc)
        if message.startswith("no audio files"):
            message += f" (audio files end in {', '.join(AUDIO_SUFFIXES)})"
        raise CommandError(message) from None
    try:
        library.save(output)
    except OSError as exc:
        raise CommandError(f"cannot write {str(output)!r}: {exc.strerror or exc}") from None
    elapsed = time.perf_counter() - started

    minutes = library.duration_s / 60
    songs = f"{len(library)} song" + ("" if len(library) == 1 else "s")
    print(f"indexed {songs} ({minutes:.1f} min of music) in {elapsed:.1f} s; "
          f"wrote {output.resolve()}")
    return EXIT_OK


def _add_match_arguments(parser):
    parser.add_argument(
        "snippets", metavar="SNIPPET", nargs="+", type=Path, help="audio files to identify"
    )
    parser.add_argument(
        "--library",
        metavar="LIBRARY",
        type=Path,
        required=True,
        help="a library written by 'sigconv index'",
    )
    parser.add_argument(
        "--json", action="store_true", help="print a JSON list, one object per snippet"
    )


def _match_record(snippet, match):
    """One snippet's answer as a JSON-ready dict (None, not NaN, for no match)."""
    found = match.song is not None
    return {
        "snippet": snippet,
        "song": match.song,
        "offset_s": float(match.offset_s) if found else None,
        "offset": format_offset(match.offset_s) if found else None,
        "score": float(match.score),
        "confidence": float(match.confidence),
        # The speed of the best-scoring candidate means nothing without a match.
        "speed": float(match.speed) if found else None,
    }


def _match_line(record):
    stats = f"score {record['score']:.3f}, confidence {record['confidence']:.2f}"
    if record["song"] is None:
        return f"{record['snippet']}: no match ({stats})"
    if record["speed"] != 1.0:
        stats += f", speed {record['speed']:.2f}"
    return f"{record['snippet']}: {record['song']} at {record['offset']} ({stats})"


def _run_match(args):
    from sigconv.audio import SongLibrary, load

    path = args.library
    if path.is_dir():
        raise CommandError(f"--library must be a file; {str(path)!r} is a directory")
    try:
        library = SongLibrary.load(path)
    except (FileNotFoundError, ValueError) as exc:
        raise CommandError(str(exc)) from None

    records = []
    failed = False
    for path in args.snippets:
        snippet = str(path)
        try:
            # The file's own rate: identify resamples to the rate it works at.
            samples, sr = load(path, sr=None)
            record = _match_record(snippet, library.identify(samples, sr))
        except (OSError, ValueError, ImportError) as exc:
            failed = True
            record = {"snippet": snippet, "error": _describe(exc, filename=False)}
        records.append(record)
        if args.json:
            continue
        if "error" in record:
            sys.stdout.flush()  # keep the lines in order when both go to a terminal
            print(f"{PROG} match: error: {snippet}: {record['error']}", file=sys.stderr)
        else:
            print(_match_line(record), flush=True)
    if args.json:
        print(json.dumps(records, indent=2, allow_nan=False))
    return EXIT_ERROR if failed else EXIT_OK


# ------------------------------------------------------------- tables (CSV, Parquet)

TABLE_FORMATS = {".csv": "csv", ".txt": "csv", ".tsv": "tsv", ".parquet": "parquet",
                 ".pq": "parquet"}


def _table_format(path):
    fmt = TABLE_FORMATS.get(path.suffix.lower())
    if fmt is None:
        suffix = repr(path.suffix) if path.suffix else "none"
        raise CommandError(f"{str(path)!r}: unknown file type (suffix {suffix}); "
                           "use .csv, .tsv or .parquet")
    if fmt == "parquet":
        import importlib.util

        if not any(importlib.util.find_spec(name) for name in ("pyarrow", "fastparquet")):
            raise CommandError(f"{str(path)!r} is Parquet, which needs pyarrow or "
                               "fastparquet: pip install pyarrow")
    return fmt


def _as_time_index(index):
    """Text labels that are all dates become a DatetimeIndex (so forecasts continue
    the dates); numbers and other text stay as they are."""
    import warnings

    import pandas as pd

    if index.dtype != object and not pd.api.types.is_string_dtype(index.dtype):
        return index
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return pd.DatetimeIndex(pd.to_datetime(index), name=index.name)
    except (ValueError, TypeError, OverflowError):
        return index


def _read_table(path, index_col=None):
    """A CSV, TSV or Parquet file as a DataFrame, indexed by ``index_col`` if given."""
    import pandas as pd

    fmt = _table_format(path)
    if path.is_dir():
        raise CommandError(f"{str(path)!r} is a directory, not a table")
    if not path.exists():
        raise CommandError(f"no such file: {str(path)!r}")
    try:
        if fmt == "parquet":
            table = pd.read_parquet(path)
            if table.index.name is not None and table.index.name not in table.columns:
                table = table.reset_index()
        else:
            table = pd.read_csv(path, sep="\t" if fmt == "tsv" else ",")
    except (OSError, ValueError, pd.errors.ParserError) as exc:
        raise CommandError(f"cannot read {str(path)!r}: {_describe(exc, filename=False)}"
                           ) from None
    if index_col is not None:
        if index_col not in table.columns:
            raise CommandError(f"--index-col: no column {index_col!r} in {str(path)!r}; "
                               f"its columns are: {_column_list(table)}")
        table = table.set_index(index_col)
        table.index = _as_time_index(table.index)
    return table


def _column_list(table):
    return ", ".join(repr(str(c)) for c in table.columns) or "(none)"


def _column(table, column, path, option="--column"):
    """``table[column]`` as float64; ``column`` None takes a table's only column."""
    import numpy as np
    import pandas as pd

    if column is None:
        if table.shape[1] != 1:
            raise CommandError(f"{str(path)!r} has {table.shape[1]} columns "
                               f"({_column_list(table)}): choose one with {option}")
        column = table.columns[0]
    elif column not in table.columns:
        raise CommandError(f"{option}: no column {column!r} in {str(path)!r}; its columns "
                           f"are: {_column_list(table)}")
    series = table[column]
    if len(series) == 0:
        raise CommandError(f"{str(path)!r} has no rows")
    try:
        values = pd.to_numeric(series, errors="raise")
    except (ValueError, TypeError):
        numbers = pd.to_numeric(series, errors="coerce")
        bad = series[numbers.isna() & series.notna()]
        raise CommandError(f"column {str(column)!r} of {str(path)!r} is not numeric: "
                           f"{bad.iloc[0]!r} in row {bad.index[0]!r}") from None
    return values.astype(np.float64).rename(str(column))


def _write_table(table, path, index=True):
    """Write ``table`` to ``path`` (by its suffix), or as CSV to stdout for None."""
    if path is None:
        table.to_csv(sys.stdout, index=index)
        return
    fmt = _table_format(path)
    if path.is_dir():
        raise CommandError(f"-o must be a file name; {str(path)!r} is a directory")
    if not path.parent.is_dir():
        raise CommandError(f"cannot write {str(path)!r}: no such directory "
                           f"{str(path.parent)!r}")
    try:
        if fmt == "parquet":
            table.to_parquet(path, index=index)
        else:
            table.to_csv(path, sep="\t" if fmt == "tsv" else ",", index=index)
    except OSError as exc:
        raise CommandError(f"cannot write {str(path)!r}: {exc.strerror or exc}") from None


def _library_call(command, call, *args, **kwargs):
    """``call(*args, **kwargs)`` with the library's ValueError and TypeError as
    CommandError, and its warnings as one line each on stderr, as ``command``'s."""
    import warnings

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result = call(*args, **kwargs)
        except (ValueError, TypeError) as exc:
            raise CommandError(str(exc)) from None
    for warning in caught:
        message = " ".join(str(warning.message).split())
        print(f"{PROG} {command}: warning: {message}", file=sys.stderr)
    return result


def _add_input_arguments(parser, column_help):
    parser.add_argument("input", metavar="IN", type=Path,
                        help="the data: a .csv, .tsv or .parquet file with a header row")
    parser.add_argument("--column", metavar="NAME",
                        help=f"{column_help} (default: the table's only column)")
    parser.add_argument("--index-col", metavar="NAME",
                        help="column of time labels (dates become a DatetimeIndex); "
                             "default: row numbers")


def _add_output_argument(parser, what):
    parser.add_argument("-o", "--output", metavar="OUT", type=Path,
                        help=f"file to write {what} to (.csv, .tsv or .parquet; replaced if it "
                             "exists); default: CSV on stdout")


# ------------------------------------------------------------------------- smooth

SMOOTH_EPILOG = """\
example:
  sigconv smooth sales.csv --column units --kernel gaussian:3 -o smooth.csv
  sigconv smooth sales.csv --column units --kernel ma:12 --mode causal --index-col date

The kernel is a spec of sigconv.Kernel.from_spec: "name" or "name:arg,...",
such as gaussian:SIGMA, ma:N (moving average), triangular:N, ema:ALPHA,N,
savgol:WINDOW,POLYORDER, henderson:N, spencer15, window:hann,N or
lowpass:CUTOFF,N.  The output has the index column (with --index-col), the
column and the smoothed column (named COLUMN_smooth, or --name).  Missing
values are skipped and the weights present rescaled (--nan ignore); Parquet
needs pyarrow (pip install pyarrow).
"""

BOUNDARIES = ("reflect", "mirror", "nearest", "wrap", "constant")


def _add_smooth_arguments(parser):
    _add_input_arguments(parser, "the column to smooth")
    parser.add_argument("--kernel", metavar="SPEC", required=True,
                        help="the smoothing kernel, e.g. gaussian:3 or ma:12")
    parser.add_argument("--mode", choices=("same", "causal"), default="same",
                        help="same: centred on each sample (the kernel's origin); causal: "
                             "past and present samples only (default: same)")
    parser.add_argument("--boundary", choices=BOUNDARIES, default="reflect",
                        help="how the series is extended beyond its ends (default: reflect)")
    parser.add_argument("--nan", choices=("ignore", "propagate"), default="ignore",
                        help="missing values: skipped, weights rescaled (ignore, the "
                             "default), or spread to every output they touch (propagate)")
    parser.add_argument("--name", metavar="NAME",
                        help="name of the smoothed column (default: COLUMN_smooth)")
    _add_output_argument(parser, "the smoothed series")


def _kernel(spec):
    from sigconv import Kernel

    try:
        return Kernel.from_spec(spec)
    except (ValueError, TypeError) as exc:
        raise CommandError(f"--kernel {spec!r}: {exc}") from None


def _run_smooth(args):
    import numpy as np
    import pandas as pd

    import sigconv

    kernel = _kernel(args.kernel)
    table = _read_table(args.input, args.index_col)
    series = _column(table, args.column, args.input)
    smoothed = _library_call("smooth", sigconv.convolve, series, kernel, mode=args.mode,
                             boundary=args.boundary, nan=args.nan)
    name = args.name or f"{series.name}_smooth"
    if name == series.name:
        raise CommandError(f"--name {name!r} is the input column's name; choose another")
    out = pd.DataFrame({series.name: series.to_numpy(),
                        name: np.asarray(smoothed, dtype=np.float64)}, index=series.index)
    _write_table(out, args.output, index=args.index_col is not None)
    if args.output is not None:
        print(f"smoothed {series.name!r} ({len(series)} rows) with {kernel.name or 'the kernel'} "
              f"({len(kernel)} taps, {args.mode}); wrote {args.output.resolve()}")
    return EXIT_OK


# --------------------------------------------------------------------------- find

FIND_EPILOG = """\
example:
  sigconv find ecg.csv --column mv --template beat.csv --k 10
  sigconv find ecg.csv --column mv --template-range 1200:1450 --json

The score is the normalised cross-correlation (Pearson correlation) of the
template with each window of the series: 1 is the same shape whatever the
scale and offset.  Matches do not overlap by more than half the template
(--exclusion).  With --template-range START:STOP the template is rows
START..STOP-1 (0-based) of the column itself, so it finds itself first, with
score 1.  --json prints a list of objects with the fields rank, start, end
(exclusive, rows from 0), time (the --index-col label at start, or null) and
score.
"""


def _add_find_arguments(parser):
    _add_input_arguments(parser, "the column to search")
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--template", metavar="T", type=Path,
                        help="a table holding the template (.csv, .tsv or .parquet)")
    source.add_argument("--template-range", metavar="START:STOP",
                        help="rows START to STOP-1 (from 0) of the column as the template")
    parser.add_argument("--template-column", metavar="NAME",
                        help="the template's column in T (default: --column's name if T "
                             "has it, else T's only column)")
    parser.add_argument("-k", "--k", type=int, default=5, metavar="K",
                        help="how many matches to show at most (default: 5)")
    parser.add_argument("--threshold", type=float, metavar="SCORE",
                        help="show only matches scoring at least this (in [-1, 1])")
    parser.add_argument("--exclusion", type=int, metavar="N",
                        help="samples around a match where no other may start "
                             "(default: half the template)")
    parser.add_argument("--nan", choices=("ignore", "raise"), default="ignore",
                        help="windows with missing values: not scored (ignore, the "
                             "default) or an error (raise)")
    parser.add_argument("--json", action="store_true", help="print a JSON list of the matches")


def _label(value):
    """An index label as text: a date without its midnight time, else str()."""
    import pandas as pd

    if isinstance(value, pd.Timestamp) and value == value.normalize() and value.tz is None:
        return value.date().isoformat()
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    return str(value)


def _template_range(spec, series):
    start, colon, stop = spec.partition(":")
    try:
        start, stop = int(start), int(stop)
    except ValueError:
        colon = ""
    if not colon:
        raise CommandError(f"--template-range must be START:STOP (row numbers); got {spec!r}")
    if not 0 <= start < stop <= len(series):
        raise CommandError(f"--template-range {spec}: need 0 <= START < STOP <= {len(series)} "
                           "(the number of rows)")
    return series.to_numpy()[start:stop]


def _template(args, series):
    import numpy as np

    if args.template_range is not None:
        return _template_range(args.template_range, series)
    table = _read_table(args.template)
    column = args.template_column
    if column is None and series.name in table.columns:
        column = series.name
    values = _column(table, column, args.template, "--template-column").to_numpy()
    if np.isnan(values).any():
        raise CommandError(f"the template in {str(args.template)!r} has missing values")
    return values


def _run_find(args):
    import sigconv

    if args.k < 1:
        raise CommandError(f"--k must be at least 1; got {args.k}")
    table = _read_table(args.input, args.index_col)
    series = _column(table, args.column, args.input)
    template = _template(args, series)
    if args.index_col is None:
        series = series.reset_index(drop=True)
    matches = _library_call("find", sigconv.find_matches, series, template, k=args.k,
                            threshold=args.threshold, exclusion=args.exclusion, nan=args.nan)
    records = []
    for rank, row in enumerate(matches.itertuples(index=False), start=1):
        time_label = getattr(row, "time", None)
        records.append({
            "rank": rank,
            "start": int(row.start),
            "end": int(row.end),
            "time": None if time_label is None else _label(time_label),
            "score": round(float(row.score), 6),
        })
    if args.json:
        print(json.dumps(records, indent=2, allow_nan=False))
        return EXIT_OK
    what = f"{len(template)}-sample template in {str(args.input)!r}, column {series.name!r}"
    if not records:
        print(f"no match of the {what} (none scores {args.threshold:g} or more)"
              if args.threshold is not None else f"no match of the {what}")
        return EXIT_OK
    plural = "es" if len(records) != 1 else ""
    print(f"{len(records)} best match{plural} of the {what} "
          "(score: normalised cross-correlation, 1 = same shape):")
    header = ["rank", "start", "end"] + (["time"] if records[0]["time"] is not None else []) \
        + ["score"]
    rows = [[str(r["rank"]), str(r["start"]), str(r["end"])]
            + ([r["time"]] if r["time"] is not None else []) + [f"{r['score']:.4f}"]
            for r in records]
    widths = [max(len(h), *(len(row[i]) for row in rows)) for i, h in enumerate(header)]
    for line in [header] + rows:
        print("  ".join(cell.rjust(width) for cell, width in zip(line, widths)).rstrip())
    return EXIT_OK


# ----------------------------------------------------------------------- forecast

FORECAST_EPILOG = """\
example:
  sigconv forecast sales.csv --column units --model ar --horizon 12 -o forecast.csv
  sigconv forecast air.csv --index-col month --column passengers --model arima \\
      --order 0,1,1 --seasonal-order 0,1,1,12 --horizon 24 --interval 80,95 \\
      -o forecast.csv --png forecast.png

Models: ar, an autoregression AR(p) (sigconv.fit_ar; --order p, default
chosen by AIC); arima, a (seasonal) ARIMA (sigconv.ARIMA; --order p,d,q is
required, --seasonal-order P,D,Q,s optional); conv, a learned causal
convolution network (sigconv.nn.ConvForecaster; --order is its window of
past values) trained on the quantiles of each interval, whose mean column
is the median forecast.  The output table has the
future index (dates continue the --index-col dates at their frequency;
numbers continue their step) and the columns mean, lower_L and upper_L for
each interval level L (normal prediction intervals, in percent).  The plot
needs matplotlib (pip install "sigconv[plot]").
"""

AR_METHODS = ("yule_walker", "burg", "ols", "mle")
ARIMA_METHODS = ("css-ml", "ml", "css")
TRENDS = ("n", "c", "t", "ct")
PNG_HISTORY = 200  # observed samples drawn before the forecast
CONV_LAGS = 48     # default window of --model conv


def _int_list(text, option, lengths, names):
    """``"1,0,2"`` as a tuple of ints >= 0, of one of the ``lengths``."""
    parts = [part.strip() for part in text.split(",")]
    try:
        values = tuple(int(part) for part in parts)
    except ValueError:
        values = ()
    if len(values) not in lengths or any(v < 0 for v in values):
        raise CommandError(f"{option} must be {names} (integers >= 0, comma-separated); "
                           f"got {text!r}")
    return values


def _levels(text):
    levels = []
    for part in text.split(","):
        try:
            level = float(part)
        except ValueError:
            level = math.nan
        if not 0 < level < 100:
            raise CommandError(f"--interval must be levels in percent between 0 and 100, "
                               f"comma-separated, such as 95 or 80,95; got {text!r}")
        levels.append(level)
    return tuple(dict.fromkeys(levels))


def _forecast_ar(series, args, levels):
    import sigconv

    if args.seasonal_order is not None:
        raise CommandError("--seasonal-order is for --model arima")
    method = args.method or "yule_walker"
    if method not in AR_METHODS:
        raise CommandError(f"--method {method!r} is not an AR method; choose from: "
                           + ", ".join(AR_METHODS))
    order = None
    if args.order is not None:
        order = _int_list(args.order, "--order", (1,), "p for --model ar")[0]
    options = {"method": method, "nan": "drop"}
    if args.trend is not None:
        if args.trend not in ("n", "c"):
            raise CommandError("--trend for --model ar must be n or c")
        options.update(trend=args.trend, demean=args.trend == "c")
    result = _library_call("forecast", sigconv.fit_ar, series, order, **options)
    table = _library_call("forecast", result.forecast, args.horizon, level=levels)
    chosen = "" if order is not None else ", order chosen by AIC"
    return table, f"AR({result.order}) fitted by {method}{chosen}"


def _forecast_arima(series, args, levels):
    import sigconv

    if args.order is None:
        raise CommandError("--model arima needs --order p,d,q (e.g. --order 1,1,1)")
    order = _int_list(args.order, "--order", (3,), "p,d,q")
    seasonal = (0, 0, 0, 0)
    if args.seasonal_order is not None:
        seasonal = _int_list(args.seasonal_order, "--seasonal-order", (4,), "P,D,Q,s")
    method = args.method or "css-ml"
    if method not in ARIMA_METHODS:
        raise CommandError(f"--method {method!r} is not an ARIMA method; choose from: "
                           + ", ".join(ARIMA_METHODS))
    model = _library_call("forecast", sigconv.ARIMA, order, seasonal, trend=args.trend,
                          method=method)
    result = _library_call("forecast", model.fit, series)
    table = _library_call("forecast", result.forecast, args.horizon, level=levels)
    name = f"ARIMA{order}" + (f"x{seasonal}" if any(seasonal) else "")
    return table, f"{name.replace(' ', '')} fitted by {method}"


def _forecast_conv(series, args, levels):
    from sigconv.nn import ConvForecaster

    for option, value in (("--seasonal-order", args.seasonal_order), ("--trend", args.trend),
                          ("--method", args.method)):
        if value is not None:
            raise CommandError(f"{option} is not an option of --model conv")
    values = series.dropna()
    lags = min(CONV_LAGS, max(len(values) // 4, 1))
    if args.order is not None:
        lags = _int_list(args.order, "--order", (1,), "the window length for --model conv")[0]
    # Each level's interval is between two quantiles; the median is the point forecast.
    tails = [(100 - level) / 200 for level in levels]
    quantiles = sorted({0.5, *tails, *(1 - t for t in tails)})
    model = _library_call("forecast", ConvForecaster, lags, args.horizon, quantiles=quantiles,
                          strategy="direct", epochs=args.epochs, seed=args.seed)
    _library_call("forecast", model.fit, values)
    predicted = _library_call("forecast", model.predict, args.horizon)
    table = predicted[[0.5]].set_axis(["mean"], axis=1)
    for level, tail in zip(levels, tails):
        table[f"lower_{level:g}"] = predicted[tail]
        table[f"upper_{level:g}"] = predicted[1 - tail]
    return table, f"TCN on windows of {lags} values, median forecast"


# A model is a function (series, args, levels) -> (forecast table, description);
# the table has the future index and mean, lower_L, upper_L for each level L.
FORECAST_MODELS = {
    "ar": _forecast_ar,
    "arima": _forecast_arima,
    "conv": _forecast_conv,
}


def _add_forecast_arguments(parser):
    _add_input_arguments(parser, "the column to forecast")
    parser.add_argument("--model", required=True, choices=tuple(FORECAST_MODELS),
                        help="ar: autoregression; arima: (seasonal) ARIMA; conv: a learned "
                             "temporal convolution network")
    parser.add_argument("--order", metavar="ORDER",
                        help="ar: p (default: chosen by AIC); arima: p,d,q (required); conv: "
                             f"the window of past values it sees (default: {CONV_LAGS}, at "
                             "most a quarter of the series)")
    parser.add_argument("--seasonal-order", metavar="P,D,Q,s",
                        help="arima: seasonal orders and season length, e.g. 0,1,1,12")
    parser.add_argument("--trend", choices=TRENDS,
                        help="ar: c (a mean, the default) or n (none); arima: n, c, t or ct "
                             "(default: c without differencing, n with)")
    parser.add_argument("--method", metavar="METHOD",
                        help="estimation: ar " + ", ".join(AR_METHODS) + " (default "
                             "yule_walker); arima " + ", ".join(ARIMA_METHODS)
                             + " (default css-ml)")
    parser.add_argument("--horizon", type=int, required=True, metavar="H",
                        help="how many steps ahead to forecast")
    parser.add_argument("--interval", default="95", metavar="LEVELS",
                        help="prediction interval levels in percent, comma-separated "
                             "(default: 95)")
    parser.add_argument("--epochs", type=int, default=200, metavar="N",
                        help="conv: most training epochs (default: 200; early stopping)")
    parser.add_argument("--seed", type=int, default=0, metavar="SEED",
                        help="conv: seed of the initial weights and shuffling (default: 0)")
    _add_output_argument(parser, "the forecast")
    parser.add_argument("--png", metavar="PNG", type=Path,
                        help="also plot the series and the forecast with its intervals")


def _plot_forecast(series, table, title, path):
    try:
        from matplotlib.figure import Figure
    except ImportError:
        raise CommandError('--png needs matplotlib: pip install "sigconv[plot]"') from None
    from sigconv import plot

    fig = Figure(figsize=(9, 4.5), layout="constrained")
    plot.forecast(series, table, last=PNG_HISTORY, ax=fig.add_subplot(), title=title)
    try:
        fig.savefig(path, dpi=120)
    except OSError as exc:
        raise CommandError(f"cannot write {str(path)!r}: {exc.strerror or exc}") from None


def _run_forecast(args):
    if args.horizon < 1:
        raise CommandError(f"--horizon must be at least 1; got {args.horizon}")
    levels = _levels(args.interval)
    if args.png is not None and not args.png.parent.is_dir():
        raise CommandError(f"cannot write {str(args.png)!r}: no such directory "
                           f"{str(args.png.parent)!r}")
    if args.output is not None:
        _table_format(args.output)
    table = _read_table(args.input, args.index_col)
    series = _column(table, args.column, args.input)
    forecast, description = FORECAST_MODELS[args.model](series, args, levels)
    columns = ["mean"] + [f"{side}_{level:g}" for level in levels for side in ("lower", "upper")]
    forecast = forecast[columns]
    forecast.index.name = series.index.name or "t"
    _write_table(forecast, args.output)
    if args.png is not None:
        _plot_forecast(series, forecast, f"{series.name}: {description}", args.png)
    if args.output is not None:
        print(f"{description} on {len(series)} observations; {args.horizon} steps ahead; "
              f"wrote {args.output.resolve()}")
    if args.png is not None:
        print(f"wrote {args.png.resolve()}", file=sys.stdout if args.output else sys.stderr)
    return EXIT_OK


# -------------------------------------------------------------------------- bench

BENCH_EPILOG = """\
example:
  sigconv bench --quick                 # one small workload per benchmark, ~10 s
  sigconv bench --only smooth,ar --out reports/

Without --quick, each benchmark script of the repository's benchmarks/
folder (bench_*.py) runs in its own process, one after the other, with
sigconv against its peers (numpy, scipy, pandas, statsmodels, stumpy, ...)
at full size: allow an hour on an idle machine, and install the peers
(pip install "sigconv[dev]").  Their Markdown reports go to stdout as each
finishes (and to DIR/bench_NAME.md with --out); progress to stderr.  The
benchmarks are not part of the installed package: run this from a checkout
of the repository, or point --dir at its benchmarks/ folder.
"""

QUICK_BENCHMARK = "quick"
# The benchmarks' progress lines on stderr, "[   12.3s] message" (benchmarks/_timing.py).
BENCH_PROGRESS = re.compile(r"^\[\s*\d+(\.\d+)?s\] ")


def _add_bench_arguments(parser):
    parser.add_argument("--quick", action="store_true",
                        help="one small workload per benchmark (benchmarks/bench_quick.py), "
                             "seconds instead of an hour")
    parser.add_argument("--only", metavar="NAMES", action="append",
                        help="run only these benchmarks, comma-separated (engine, smooth, "
                             "match, ar, arima, audio: bench_NAME.py)")
    parser.add_argument("--out", metavar="DIR", type=Path,
                        help="also write each report to DIR/bench_NAME.md")
    parser.add_argument("--dir", metavar="BENCHMARKS", type=Path,
                        help="the benchmarks folder (default: benchmarks/ next to the "
                             "sigconv package, or in the current directory)")


def _benchmarks_dir(given):
    """The folder of the benchmark scripts: ``given``, else benchmarks/ beside the
    package (a checkout or an editable install), else in the current directory."""
    if given is not None:
        candidates = [given]
    else:
        candidates = [Path(__file__).resolve().parent.parent / "benchmarks",
                      Path.cwd() / "benchmarks"]
    for folder in candidates:
        if (folder / "_timing.py").is_file() and any(folder.glob("bench_*.py")):
            return folder
    if given is not None:
        raise CommandError(f"--dir {str(given)!r} is not the benchmarks folder (no "
                           "_timing.py and bench_*.py in it)")
    raise CommandError("the benchmarks are not installed with the package: run 'sigconv "
                       "bench' in a checkout of the sigconv repository (they are its "
                       "benchmarks/ folder), or pass --dir PATH/TO/benchmarks")


def _bench_names(folder):
    return sorted(path.stem.removeprefix("bench_") for path in folder.glob("bench_*.py"))


def _selected_benchmarks(args, folder):
    available = _bench_names(folder)
    if args.quick:
        if args.only:
            raise CommandError("--quick and --only exclude each other: --quick runs "
                               "bench_quick.py alone")
        if QUICK_BENCHMARK not in available:
            raise CommandError(f"no bench_{QUICK_BENCHMARK}.py in {str(folder)!r}")
        return [QUICK_BENCHMARK]
    if not args.only:
        return [name for name in available if name != QUICK_BENCHMARK]
    chosen = [name.strip() for group in args.only for name in group.split(",") if name.strip()]
    for name in chosen:
        if name not in available:
            raise CommandError(f"--only: no benchmark {name!r}; choose from: "
                               + ", ".join(available))
    return list(dict.fromkeys(chosen))


def _run_script(script, options, debug):
    """Run one benchmark; return (exit status, its report, its other stderr lines).

    Its progress lines go to our stderr as they come."""
    process = subprocess.Popen([sys.executable, str(script), *options],
                               cwd=script.parent.parent, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    report = []
    reader = threading.Thread(target=lambda: report.append(process.stdout.read()), daemon=True)
    reader.start()
    other = []
    for line in process.stderr:
        if BENCH_PROGRESS.match(line) or debug:
            print(line, end="", file=sys.stderr, flush=True)
        else:
            other.append(line.rstrip("\n"))
    status = process.wait()
    reader.join()
    return status, "".join(report), other


def _run_bench(args):
    folder = _benchmarks_dir(args.dir)
    names = _selected_benchmarks(args, folder)
    if args.out is not None:
        if args.out.exists() and not args.out.is_dir():
            raise CommandError(f"--out must be a directory; {str(args.out)!r} is a file")
        try:
            args.out.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise CommandError(f"cannot create directory {str(args.out)!r}: "
                               f"{exc.strerror or exc}") from None
    failed = []
    for name in names:
        script = folder / f"bench_{name}.py"
        options = []
        if args.out is not None:
            options += ["--out", str((args.out / script.with_suffix(".md").name).resolve())]
        if len(names) > 1:
            print(f"{PROG} bench: running {script.name} ({names.index(name) + 1} of "
                  f"{len(names)})", file=sys.stderr, flush=True)
        status, report, other = _run_script(script, options, args.debug)
        if report:
            print(report, end="" if report.endswith("\n") else "\n", flush=True)
        if status != 0:
            failed.append(name)
            last = next((line for line in reversed(other) if line.strip()), "no message")
            sys.stdout.flush()
            print(f"{PROG} bench: error: {script.name} failed (exit status {status}): "
                  f"{last.strip()}" + ("" if args.debug else " (rerun with --debug for its "
                                       "output)"), file=sys.stderr)
    if failed:
        if len(names) > 1:
            print(f"{PROG} bench: error: {len(failed)} of {len(names)} benchmarks failed: "
                  + ", ".join(failed), file=sys.stderr)
        return EXIT_ERROR
    return EXIT_OK


# ------------------------------------------------------------------------- warmup

WARMUP_EPILOG = """\
example:
  sigconv warmup                              # every kernel, float64 and float32
  NUMBA_CACHE_DIR=/opt/numba-cache sigconv warmup
  sigconv warmup --module recursive,sliding   # only these kernel modules

sigconv's numba kernels compile on their first call (seconds each) and numba
caches the machine code on disk: next to the package, or under
NUMBA_CACHE_DIR.  Run this once where the code will run, at container build
time say, so that no later call compiles.  For a read-only install, set
NUMBA_CACHE_DIR to a writable directory both here and when sigconv runs.
The kernels of sigconv.nn (learned convolutions) are included when it
imports.  A kernel already in the cache is loaded, not compiled again.
"""


def _add_warmup_arguments(parser):
    parser.add_argument("--module", metavar="NAMES", action="append",
                        help="only the kernels of these modules of sigconv._core, "
                             "comma-separated (default: all)")


def _run_warmup(args):
    from sigconv import _warmup

    modules = None
    if args.module:
        modules = [name.strip() for group in args.module for name in group.split(",")
                   if name.strip()]
    try:
        if modules is not None:
            available = _warmup.module_names()
            for name in modules:
                if name not in available:
                    raise CommandError(f"--module: no kernel module {name!r}; choose from: "
                                       + ", ".join(available))
        print("warming sigconv's numba kernels (minutes on an empty cache, seconds on a "
              "full one)", file=sys.stderr, flush=True)
        report = _warmup.warmup(modules)
    except ValueError as exc:
        raise CommandError(f"--module: {exc}") from None
    except RuntimeError as exc:
        if "cache" not in str(exc):
            raise
        raise CommandError(f"{exc} (set NUMBA_CACHE_DIR to a writable directory)") from None
    print(f"{len(report.ready)} of {len(report.kernels)} numba kernels compiled and cached "
          f"({report.seconds:.1f} s: {report.compiled} signatures compiled now, "
          f"{report.loaded} loaded from the cache)")
    print(f"numba cache: {report.cache_dir or 'none (no kernel is cached)'}")
    for note in report.skipped:
        print(f"left out: {note}")
    if report.missing:
        print(f"{PROG} warmup: warning: not compiled (no call reaches them): "
              + ", ".join(report.missing), file=sys.stderr)
    if report.uncached:
        print(f"{PROG} warmup: warning: compiled but not written to the cache (is "
              f"{report.cache_dir or 'its directory'} writable? set NUMBA_CACHE_DIR): "
              + ", ".join(report.uncached), file=sys.stderr)
    for what, error in report.failed:
        print(f"{PROG} warmup: error: {what}: {error}", file=sys.stderr)
    return EXIT_ERROR if report.failed else EXIT_OK


# ----------------------------------------------------------------------- commands


@dataclass(frozen=True)
class Command:
    name: str
    help: str
    add_arguments: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace], int]
    epilog: str = ""


COMMANDS = (
    Command(
        name="demo",
        help="a seven-step tour with cross-checks and an HTML report of pictures",
        add_arguments=_add_demo_arguments,
        run=_run_demo,
        epilog=DEMO_EPILOG,
    ),
    Command(
        name="smooth",
        help="smooth a column of a CSV or Parquet table with a kernel such as gaussian:3",
        add_arguments=_add_smooth_arguments,
        run=_run_smooth,
        epilog=SMOOTH_EPILOG,
    ),
    Command(
        name="find",
        help="find where a template shape occurs in a column of a table",
        add_arguments=_add_find_arguments,
        run=_run_find,
        epilog=FIND_EPILOG,
    ),
    Command(
        name="forecast",
        help="forecast a column of a table with an AR, ARIMA or learned-convolution model, "
             "with intervals",
        add_arguments=_add_forecast_arguments,
        run=_run_forecast,
        epilog=FORECAST_EPILOG,
    ),
    Command(
        name="index",
        help="index audio files into a song library for 'sigconv match'",
        add_arguments=_add_index_arguments,
        run=_run_index,
        epilog=INDEX_EPILOG,
    ),
    Command(
        name="match",
        help="identify audio snippets: which song of a library, and where in it",
        add_arguments=_add_match_arguments,
        run=_run_match,
        epilog=MATCH_EPILOG,
    ),
    Command(
        name="bench",
        help="run the benchmarks against numpy, scipy, pandas and statsmodels",
        add_arguments=_add_bench_arguments,
        run=_run_bench,
        epilog=BENCH_EPILOG,
    ),
    Command(
        name="warmup",
        help="compile every numba kernel into the cache (container builds, read-only "
             "installs)",
        add_arguments=_add_warmup_arguments,
        run=_run_warmup,
        epilog=WARMUP_EPILOG,
    ),
)

MAIN_EPILOG = """\
example:
  sigconv demo --out figures
  sigconv smooth sales.csv --column units --kernel gaussian:3 -o smooth.csv
  sigconv find ecg.csv --column mv --template-range 1200:1450
  sigconv forecast sales.csv --column units --model ar --horizon 12 -o forecast.csv
  sigconv index music/ -o library.sigconv
  sigconv match recording.wav --library library.sigconv
  sigconv bench --quick
  sigconv warmup

Run 'sigconv COMMAND --help' for a command's options.
"""


def build_parser():
    parser = _Parser(
        prog=PROG,
        description="sigconv: convolution, correlation and filtering for time series.",
        epilog=MAIN_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--debug", action="store_true", help="show the full traceback when a command fails"
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", title="commands")
    parser.command_parsers = {}
    for command in COMMANDS:
        sub = subparsers.add_parser(
            command.name,
            help=command.help,
            description=command.help[:1].upper() + command.help[1:] + ".",
            epilog=command.epilog,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        command.add_arguments(sub)
        # Also accepted after the command name; SUPPRESS keeps 'sigconv --debug demo' working.
        sub.add_argument(
            "--debug",
            action="store_true",
            default=argparse.SUPPRESS,
            help="show the full traceback when the command fails",
        )
        sub.set_defaults(run=command.run)
        parser.command_parsers[command.name] = sub
    return parser


def main(argv=None):
    """Entry point of the ``sigconv`` console script; returns the exit status."""
    parser = build_parser()
    args, unknown = parser.parse_known_args(argv)
    if args.command is None:
        names = ", ".join(command.name for command in COMMANDS)
        parser.error(f"missing COMMAND; choose from: {names}")
    if unknown:
        # Reported by the command's parser, so the message points at its --help.
        parser.command_parsers[args.command].error(f"unrecognized arguments: {' '.join(unknown)}")

    try:
        return args.run(args)
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # e.g. 'sigconv demo | head': the reader left, which is not an error.  Point
        # stdout at devnull so the interpreter's final flush does not fail again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
    except Exception as exc:
        if args.debug:
            raise
        if isinstance(exc, CommandError):
            message = str(exc)
        else:
            message = f"{type(exc).__name__}: {exc} (rerun with --debug for the traceback)"
        print(f"{PROG} {args.command}: error: {message}", file=sys.stderr)
        return EXIT_ERROR


if __name__ == "__main__":
    sys.exit(main())
