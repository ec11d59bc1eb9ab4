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
import os
import sys
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
)

MAIN_EPILOG = """\
example:
  sigconv demo --out figures

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
