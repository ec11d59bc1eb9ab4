"""End-to-end tests of the command line's data tools: ``smooth``, ``find``,
``forecast``, ``bench`` and ``warmup``, each run as ``python -m sigconv`` in a
subprocess, once on good input and once on bad input (one clear line on
stderr, a non-zero exit status, no traceback unless ``--debug``)."""
import contextlib
import importlib.util
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import sigconv
from sigconv import cli
from sigconv.nn import ConvForecaster

REPO = Path(__file__).resolve().parent.parent
HAS_MATPLOTLIB = importlib.util.find_spec("matplotlib") is not None
HAS_PARQUET = any(importlib.util.find_spec(name) for name in ("pyarrow", "fastparquet"))
SHAPE = np.sin(np.linspace(0, 3 * np.pi, 50))
PLANTED = (300, 900, 1500)


def run_sigconv(*args, cwd=None, env=None, timeout=120):
    environment = dict(os.environ)
    environment["PYTHONPATH"] = os.pathsep.join(
        [str(REPO)] + ([environment["PYTHONPATH"]] if environment.get("PYTHONPATH") else []))
    environment.update(env or {})
    return subprocess.run([sys.executable, "-m", "sigconv", *map(str, args)], check=False,
                          capture_output=True, text=True, cwd=cwd, env=environment,
                          timeout=timeout)


def assert_ok(result):
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr


def assert_one_line_error(result, command, *fragments):
    """Exit status != 0 and stderr exactly one line naming the command and the fragments."""
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"sigconv {command}: error: "), lines[0]
    for fragment in fragments:
        assert fragment in lines[0]


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    """Files: monthly.csv (date, y, z), signal.csv (v, with SHAPE planted at
    PLANTED) and template.csv (v: SHAPE)."""
    folder = tmp_path_factory.mktemp("cli_tools")
    rng = np.random.default_rng(0)
    n = 240
    t = np.arange(n)
    y = 10 + np.cumsum(rng.normal(size=n)) * 0.3 + 2 * np.sin(2 * np.pi * t / 12)
    dates = pd.date_range("2000-01-01", periods=n, freq="MS").strftime("%Y-%m-%d")
    pd.DataFrame({"date": dates, "y": y, "z": rng.normal(size=n)}).to_csv(
        folder / "monthly.csv", index=False)
    x = rng.normal(size=2000)
    for start in PLANTED:
        x[start:start + SHAPE.size] += 5 * SHAPE
    pd.DataFrame({"v": x}).to_csv(folder / "signal.csv", index=False)
    pd.DataFrame({"v": SHAPE}).to_csv(folder / "template.csv", index=False)
    return folder


def monthly(folder):
    table = pd.read_csv(folder / "monthly.csv", index_col="date", parse_dates=["date"])
    return table["y"]


# ------------------------------------------------------------------------- smooth


def test_smooth_writes_the_smoothed_column(data):
    out = data / "smooth.csv"
    result = run_sigconv("smooth", data / "monthly.csv", "--column", "y", "--kernel",
                         "gaussian:2", "--index-col", "date", "-o", out)
    assert_ok(result)
    assert f"wrote {out.resolve()}" in result.stdout
    table = pd.read_csv(out, index_col="date", parse_dates=["date"])
    assert list(table.columns) == ["y", "y_smooth"]
    y = monthly(data)
    assert table.index.equals(y.index)
    expected = sigconv.convolve(y, sigconv.Kernel.from_spec("gaussian:2"), "same",
                                boundary="reflect", nan="ignore")
    np.testing.assert_allclose(table["y_smooth"], np.asarray(expected), rtol=1e-12)


def test_smooth_unknown_kernel_is_one_clear_line(data):
    result = run_sigconv("smooth", data / "monthly.csv", "--column", "y", "--kernel",
                         "gausian:2")
    assert_one_line_error(result, "smooth", "--kernel 'gausian:2'", "'gaussian'")


def test_smooth_parquet(data):
    """Parquet works with pyarrow or fastparquet; without, one line says what to install."""
    path = data / "monthly.parquet"
    if HAS_PARQUET:
        pd.read_csv(data / "monthly.csv").to_parquet(path)
    else:
        path.write_bytes(b"PAR1")
    result = run_sigconv("smooth", path, "--column", "y", "--kernel", "ma:3")
    if HAS_PARQUET:
        assert_ok(result)
        assert pd.read_csv(io.StringIO(result.stdout)).columns.tolist() == ["y", "y_smooth"]
    else:
        assert_one_line_error(result, "smooth", "pip install pyarrow")


# --------------------------------------------------------------------------- find


def test_find_reports_the_planted_matches_as_json(data):
    result = run_sigconv("find", data / "signal.csv", "--column", "v", "--template",
                         data / "template.csv", "--k", "3", "--json")
    assert_ok(result)
    matches = json.loads(result.stdout)
    assert [m["rank"] for m in matches] == [1, 2, 3]
    assert sorted(m["start"] for m in matches) == list(PLANTED)
    assert all(m["end"] == m["start"] + SHAPE.size and m["time"] is None for m in matches)
    assert all(m["score"] > 0.9 for m in matches)


def test_find_template_range_with_dates(data):
    result = run_sigconv("find", data / "monthly.csv", "--column", "y", "--index-col", "date",
                         "--template-range", "24:48", "--k", "2")
    assert_ok(result)
    lines = result.stdout.splitlines()
    assert lines[0].startswith("2 best matches of the 24-sample template")
    assert lines[1].split() == ["rank", "start", "end", "time", "score"]
    # The template finds itself first, labelled by its first date.
    assert lines[2].split() == ["1", "24", "48", "2002-01-01", "1.0000"]


def test_find_range_outside_the_series_is_one_clear_line(data):
    result = run_sigconv("find", data / "signal.csv", "--template-range", "1990:2050")
    assert_one_line_error(result, "find", "--template-range 1990:2050", "2000")


# ----------------------------------------------------------------------- forecast


def test_forecast_ar_writes_table_and_plot(data):
    out, png = data / "forecast_ar.csv", data / "forecast_ar.png"
    result = run_sigconv("forecast", data / "monthly.csv", "--column", "y", "--index-col",
                         "date", "--model", "ar", "--order", "2", "--horizon", "6",
                         "--interval", "80,95", "-o", out, *(["--png", png] * HAS_MATPLOTLIB))
    assert_ok(result)
    assert result.stdout.startswith("AR(2) fitted by yule_walker on 240 observations")
    table = pd.read_csv(out, index_col="date", parse_dates=["date"])
    assert list(table.columns) == ["mean", "lower_80", "upper_80", "lower_95", "upper_95"]
    # The dates continue monthly after the last one (2019-12-01).
    assert table.index.equals(pd.DatetimeIndex(pd.date_range("2020-01-01", periods=6,
                                                             freq="MS"), name="date"))
    expected = sigconv.fit_ar(monthly(data), 2).forecast(6, level=(80, 95))
    np.testing.assert_allclose(table.to_numpy(), expected[table.columns].to_numpy(),
                               rtol=1e-10)
    assert (table["lower_95"] < table["lower_80"]).all()
    if HAS_MATPLOTLIB:
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_forecast_seasonal_arima_to_stdout(data):
    result = run_sigconv("forecast", data / "monthly.csv", "--column", "y", "--model",
                         "arima", "--order", "0,1,1", "--seasonal-order", "0,1,1,12",
                         "--horizon", "12")
    assert_ok(result)
    table = pd.read_csv(io.StringIO(result.stdout), index_col=0)
    assert list(table.columns) == ["mean", "lower_95", "upper_95"]
    assert table.index.tolist() == list(range(240, 252))     # row numbers continue
    y = monthly(data).reset_index(drop=True)
    expected = sigconv.ARIMA((0, 1, 1), (0, 1, 1, 12)).fit(y).forecast(12, level=95)
    np.testing.assert_allclose(table["mean"], expected["mean"], rtol=1e-8)


def test_forecast_arima_without_order_is_one_clear_line(data):
    result = run_sigconv("forecast", data / "monthly.csv", "--column", "y", "--model",
                         "arima", "--horizon", "3")
    assert_one_line_error(result, "forecast", "--order p,d,q")


def test_forecast_conv_gives_the_forecasters_quantiles(data):
    out = data / "forecast_conv.csv"
    result = run_sigconv("forecast", data / "monthly.csv", "--column", "y", "--index-col",
                         "date", "--model", "conv", "--order", "24", "--horizon", "6",
                         "--interval", "80", "--epochs", "20", "-o", out)
    assert_ok(result)
    assert result.stdout.startswith("TCN on windows of 24 values, median forecast on 240 ")
    table = pd.read_csv(out, index_col="date", parse_dates=["date"])
    assert list(table.columns) == ["mean", "lower_80", "upper_80"]
    assert table.index.equals(pd.DatetimeIndex(pd.date_range("2020-01-01", periods=6,
                                                             freq="MS"), name="date"))
    # The same model trained here: the median and the 10% and 90% quantiles.
    model = ConvForecaster(24, 6, quantiles=[0.1, 0.5, 0.9], strategy="direct", epochs=20,
                           seed=0).fit(monthly(data))
    expected = model.predict(6)
    np.testing.assert_allclose(table[["lower_80", "mean", "upper_80"]].to_numpy(),
                               expected[[0.1, 0.5, 0.9]].to_numpy(), rtol=1e-9)


def test_forecast_conv_rejects_arima_options(data):
    result = run_sigconv("forecast", data / "monthly.csv", "--column", "y", "--model",
                         "conv", "--method", "ols", "--horizon", "3")
    assert_one_line_error(result, "forecast", "--method is not an option of --model conv")


# -------------------------------------------------------------------------- bench


def test_bench_quick_prints_the_table():
    result = run_sigconv("bench", "--quick", timeout=60)
    assert_ok(result)
    rows = [line for line in result.stdout.splitlines() if line.startswith("| ")]
    assert rows[0].startswith("| workload | sigconv ms | peer | peer ms |")
    workloads = [row.split("|")[1].strip() for row in rows[1:]]
    for name in ("convolve", "moving_average", "ema", "distance_profile", "fit_ar", "ARIMA"):
        assert any(w.startswith(name) for w in workloads), workloads
    # Every row agrees with its peer.
    assert all(float(row.split("|")[6]) < 1e-3 for row in rows[1:])


def test_bench_unknown_benchmark_is_one_clear_line():
    result = run_sigconv("bench", "--only", "nosuch")
    assert_one_line_error(result, "bench", "'nosuch'", "smooth")


# ------------------------------------------------------------------------- warmup


def test_warmup_compiles_into_an_empty_cache(tmp_path):
    cache = tmp_path / "numba-cache"
    result = run_sigconv("warmup", "--module", "recursive", env={"NUMBA_CACHE_DIR": str(cache)})
    assert_ok(result)
    counts = re.search(r"^(\d+) of (\d+) numba kernels compiled and cached \([\d.]+ s: "
                       r"(\d+) signatures compiled now, 0 loaded from the cache\)$",
                       result.stdout, re.MULTILINE)
    assert counts, result.stdout
    ready, total, compiled = map(int, counts.groups())
    assert ready == total >= 4
    assert compiled >= total                           # float64 and float32
    assert f"numba cache: {cache}" in result.stdout
    assert list(cache.rglob("recursive.*.nbi"))


def test_warmup_unknown_module_is_one_clear_line():
    result = run_sigconv("warmup", "--module", "nosuch")
    assert_one_line_error(result, "warmup", "'nosuch'", "recursive")


# ---------------------------------------------------------------- help and --debug


@pytest.mark.parametrize("command", ["smooth", "find", "forecast", "bench", "warmup"])
def test_help_shows_an_example(command):
    out = io.StringIO()
    with contextlib.redirect_stdout(out), pytest.raises(SystemExit) as exit_info:
        cli.main([command, "--help"])
    assert exit_info.value.code == 0
    text = out.getvalue()
    assert "example:" in text
    assert re.search(rf"^  sigconv {command}\b", text, re.MULTILINE)


def test_main_help_lists_the_commands():
    out = io.StringIO()
    with contextlib.redirect_stdout(out), pytest.raises(SystemExit):
        cli.main(["--help"])
    for command in ("smooth", "find", "forecast", "bench", "warmup"):
        assert re.search(rf"^    {command} ", out.getvalue(), re.MULTILINE)


def test_debug_shows_the_traceback(data):
    result = run_sigconv("--debug", "smooth", data / "monthly.csv", "--column", "nosuch",
                         "--kernel", "ma:3")
    assert result.returncode != 0
    assert "Traceback" in result.stderr
    assert "CommandError: --column: no column 'nosuch'" in result.stderr
