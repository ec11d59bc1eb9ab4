"""End-to-end tests of the command line, run as ``python -m sigconv`` in a subprocess."""
import importlib.util
import subprocess
import sys

import pytest

HAS_MATPLOTLIB = importlib.util.find_spec("matplotlib") is not None


def run_sigconv(*args, cwd=None):
    return subprocess.run(
        [sys.executable, "-m", "sigconv", *args],
        check=False,
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=300,
    )


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo")
    return run_sigconv("demo", "--out", str(out)), out


def test_demo_exits_zero_and_prints_table(demo):
    result, _ = demo
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stdout.splitlines()
    assert "Nile" in lines[0]
    header = next(line for line in lines if "observed" in line)
    assert "5-year mean" in header and "gaussian" in header
    # First and last years of the series, with the observed volume of 1871.
    assert any(line.split()[:2] == ["1871", "1120.0"] for line in lines)
    assert any(line.startswith("1970") for line in lines)


@pytest.mark.skipif(not HAS_MATPLOTLIB, reason="matplotlib not installed (the plot extra)")
def test_demo_writes_png(demo):
    result, out = demo
    png = out / "sigconv_demo.png"
    assert png.is_file()
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert str(png.resolve()) in result.stdout


@pytest.mark.skipif(HAS_MATPLOTLIB, reason="matplotlib installed")
def test_demo_without_matplotlib_hints_at_plot_extra(demo):
    result, out = demo
    assert "sigconv[plot]" in result.stdout
    assert not (out / "sigconv_demo.png").exists()


def test_unknown_option_is_one_clear_line():
    result = run_sigconv("demo", "--bogus")
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "--bogus" in lines[0] and "error" in lines[0]


def test_out_that_is_a_file_is_one_clear_line(tmp_path):
    not_a_dir = tmp_path / "file.txt"
    not_a_dir.write_text("")
    result = run_sigconv("demo", "--out", str(not_a_dir))
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [
        f"sigconv demo: error: --out must be a directory; {str(not_a_dir)!r} is a file"
    ]


@pytest.mark.parametrize("args", [("--help",), ("demo", "--help")])
def test_help_shows_an_example(args):
    result = run_sigconv(*args)
    assert result.returncode == 0
    assert "example:" in result.stdout
    assert "sigconv demo" in result.stdout
