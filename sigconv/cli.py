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
import sys
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
  sigconv demo                 # table on stdout, plot in ./sigconv_demo.png
  sigconv demo --out figures   # plot in figures/sigconv_demo.png

The data are statsmodels' Nile series (statsmodels.datasets.nile): annual
flow of the Nile at Aswan, 1871-1970, in 10^8 m^3.  The plot needs
matplotlib (pip install "sigconv[plot]").
"""

DEMO_PNG = "sigconv_demo.png"
MOVING_AVERAGE_SPAN = 5  # years, centred
GAUSSIAN_SIGMA = 2.0  # years
TABLE_STEP = 10  # print every 10th year (and the last one)


def _add_demo_arguments(parser):
    parser.add_argument(
        "--out",
        metavar="DIR",
        type=Path,
        default=Path("."),
        help=f"directory for {DEMO_PNG} (created if missing; default: current directory)",
    )


def _gaussian_weights(sigma):
    """Normalised Gaussian weights exp(-t^2 / (2 sigma^2)) for t in [-3 sigma, 3 sigma]."""
    import numpy as np

    half_width = int(np.ceil(3 * sigma))
    t = np.arange(-half_width, half_width + 1, dtype=np.float64)
    weights = np.exp(-0.5 * (t / sigma) ** 2)
    return weights / weights.sum()


def _smooth_nile():
    """The Nile series and its two smoothings, as a DataFrame indexed by year."""
    import numpy as np
    import pandas as pd
    from statsmodels.datasets import nile

    import sigconv

    data = nile.load_pandas().data
    observed = pd.Series(
        data["volume"].to_numpy(dtype=np.float64),
        index=pd.Index(data["year"].to_numpy().astype(int), name="year"),
        name="observed",
    )

    moving_average = sigconv.Kernel(
        np.ones(MOVING_AVERAGE_SPAN) / MOVING_AVERAGE_SPAN, name="moving average"
    )
    gaussian = sigconv.Kernel(_gaussian_weights(GAUSSIAN_SIGMA), name="gaussian")

    # Edges are averaged over the points available (NaN padding, NaN ignored),
    # like pandas' rolling(5, center=True, min_periods=1).mean().
    averaged = sigconv.convolve(
        observed, moving_average, mode="same", boundary="constant", cval=np.nan, nan="ignore"
    )
    smoothed = sigconv.convolve(observed, gaussian, mode="same", boundary="nearest")

    return pd.DataFrame(
        {
            "observed": observed.to_numpy(),
            f"{MOVING_AVERAGE_SPAN}-year mean": np.asarray(averaged, dtype=np.float64),
            f"gaussian (sigma={GAUSSIAN_SIGMA:g} y)": np.asarray(smoothed, dtype=np.float64),
        },
        index=observed.index,
    )


def _print_table(table, out):
    rows = list(range(0, len(table), TABLE_STEP))
    if rows[-1] != len(table) - 1:
        rows.append(len(table) - 1)
    first, last = table.index[0], table.index[-1]
    print(f"Nile flow at Aswan, {first}-{last} (10^8 m^3), every {TABLE_STEP}th year:", file=out)
    print(table.iloc[rows].to_string(float_format=lambda v: f"{v:.1f}"), file=out)


def _plot(table, path):
    """Write the series and its smoothings to ``path``; return False without matplotlib."""
    try:
        from matplotlib.figure import Figure
    except ImportError:
        return False

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CommandError(f"cannot create directory {str(path.parent)!r}: {exc.strerror}")
    fig = Figure(figsize=(9, 4.5), layout="constrained")
    ax = fig.add_subplot()
    columns = list(table.columns)
    ax.plot(table.index, table[columns[0]], color="0.6", marker=".", lw=1, label=columns[0])
    for column in columns[1:]:
        ax.plot(table.index, table[column], lw=2, label=column)
    ax.set_xlabel("year")
    ax.set_ylabel(r"annual flow volume ($10^8$ m$^3$)")
    ax.set_title("Nile at Aswan, smoothed with sigconv.convolve")
    ax.legend()
    fig.savefig(path, dpi=120)
    return True


def _run_demo(args):
    out_dir = args.out
    if out_dir.exists() and not out_dir.is_dir():
        raise CommandError(f"--out must be a directory; {str(out_dir)!r} is a file")

    table = _smooth_nile()
    _print_table(table, sys.stdout)

    path = out_dir / DEMO_PNG
    if _plot(table, path):
        print(f"wrote {path.resolve()}")
    else:
        print('matplotlib is not installed; for the plot, pip install "sigconv[plot]"')
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
        help="smooth a real series (the Nile, 1871-1970) and plot it",
        add_arguments=_add_demo_arguments,
        run=_run_demo,
        epilog=DEMO_EPILOG,
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
)

MAIN_EPILOG = """\
example:
  sigconv demo --out figures
  sigconv index music/ -o library.sigconv
  sigconv match recording.wav --library library.sigconv

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
