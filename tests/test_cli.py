"""End-to-end tests of the command line: ``demo`` and the help run as ``python -m
sigconv`` in a subprocess; ``index`` and ``match`` through :func:`sigconv.cli.main`
in this process (their work is the song library's, imported once)."""
import contextlib
import importlib.util
import io
import json
import math
import re
import subprocess
import sys

import numpy as np
import pytest
from scipy.signal import resample_poly

from sigconv import cli
from sigconv.audio import SongLibrary, distort, save, synth

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


DEMO_TITLES = ("Smoothing a real series", "The convolution theorem", "Finding a pattern",
               "Identifying a song snippet", "An AR model of the sunspots",
               "A learned convolution", "The airline model")


def test_demo_exits_zero_and_prints_every_step(demo):
    result, out = demo
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    for number, title in enumerate(DEMO_TITLES, 1):
        assert f"{number}. {title}" in result.stdout
    checks = [line for line in result.stdout.splitlines() if "check:" in line]
    assert len(checks) >= 10 and all(line.endswith(" ok") for line in checks)
    # The Nile's first year, and the airline MA coefficient R's arima gives (-0.40183).
    assert "1871     1120.0" in result.stdout
    assert "ma.L1      -0.4018" in result.stdout
    assert f"report: {(out / 'index.html').resolve()}" in result.stdout


def test_demo_report_has_every_step(demo):
    _, out = demo
    page = (out / "index.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    for number, title in enumerate(DEMO_TITLES, 1):
        assert f"<h2>{number}. {title}" in page
    assert "FAILED" not in page


@pytest.mark.skipif(not HAS_MATPLOTLIB, reason="matplotlib not installed (the plot extra)")
def test_demo_report_pictures_exist(demo):
    _, out = demo
    page = (out / "index.html").read_text(encoding="utf-8")
    pictures = re.findall(r'<img src="([^"]+)"', page)
    assert len(pictures) == 6           # every step but the song's
    for name in pictures:
        assert (out / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.skipif(HAS_MATPLOTLIB, reason="matplotlib installed")
def test_demo_without_matplotlib_hints_at_plot_extra(demo):
    result, out = demo
    assert "sigconv[plot]" in result.stdout
    assert not list(out.glob("*.png"))


def test_demo_failed_check_exits_one(monkeypatch, tmp_path, capsys):
    from sigconv import demo as tour

    def broken():
        step = tour.Step("Broken", "A step whose cross-check fails.")
        step.check("one vs two", 1.0, 0.1)
        return step

    monkeypatch.setattr(tour, "STEPS", (broken,))
    monkeypatch.setattr(tour, "_start_compiling", dict)
    assert cli.main(["demo", "--out", str(tmp_path)]) == cli.EXIT_ERROR
    captured = capsys.readouterr()
    assert "check: one vs two: 1 (tolerance 0.1) FAILED" in captured.out
    assert captured.err.strip() == "sigconv demo: error: a cross-check failed in: Broken"
    assert "FAILED" in (tmp_path / "index.html").read_text(encoding="utf-8")


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


@pytest.mark.parametrize("args, example", [
    (("--help",), "sigconv demo"),
    (("--help",), "sigconv match"),
    (("demo", "--help"), "sigconv demo --out report"),
    (("index", "--help"), "sigconv index music/ -o library.sigconv"),
    (("match", "--help"), "sigconv match recording.wav --library library.sigconv"),
])
def test_help_shows_an_example(args, example):
    result = run_sigconv(*args)
    assert result.returncode == 0
    assert "example:" in result.stdout
    assert example in result.stdout


# ------------------------------------------------------------------ index and match

SR = 8000
SONGS = ("alpha", "bravo", "charlie")       # file stems, so the songs' names
MATCH_LINE = re.compile(r"(?P<snippet>.+): (?P<song>\S+) at (?P<offset>-?\d\d+:\d\d\.\d{3}) "
                        r"\(score (?P<score>[\d.-]+), confidence (?P<confidence>[\d.]+)"
                        r"(, speed (?P<speed>[\d.]+))?\)")
NO_MATCH_LINE = re.compile(r"(?P<snippet>.+): no match \(score [\d.-]+, confidence [\d.]+\)")


def seconds(offset):
    """The inverse of cli.format_offset."""
    minutes, secs = offset.lstrip("-").split(":")
    return (-1 if offset.startswith("-") else 1) * (60 * int(minutes) + float(secs))


@pytest.fixture(scope="module")
def songs(tmp_path_factory):
    """Three indexed songs and snippets, built once: (folder, summary line, status)."""
    root = tmp_path_factory.mktemp("songs")
    music = root / "music"
    music.mkdir()
    pieces = synth.songs(3, duration=20.0, sr=SR, seed=1)
    for name, samples in zip(SONGS, pieces):
        save(music / f"{name}.wav", samples, SR)

    bravo = pieces[1][7 * SR:12 * SR]
    save(root / "bravo_at_7s.wav", bravo, SR)
    save(root / "bravo_fast.wav", distort.speed(bravo, SR, factor=1.02)[0], SR)
    # 22 kHz, not the identifier's 8 kHz: match reads snippets at their own rate.
    save(root / "charlie_at_4s.wav", resample_poly(pieces[2][4 * SR:9 * SR], 11, 4), 22000)
    # Seed 4 is no song of the library; this cut of it scores far below the
    # threshold (confidence 0.04; a cut of seed 8 at 3 s does match 'charlie').
    save(root / "unknown.wav", synth.song(4, duration=20.0, sr=SR)[3 * SR:8 * SR], SR)
    save(root / "silent.wav", np.zeros(5 * SR), SR)
    save(root / "short.wav", pieces[0][:SR // 4], SR)
    (root / "text.wav").write_text("not audio\n")
    (root / "empty.wav").write_bytes(b"")

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        status = cli.main(["index", str(music), "-o", str(root / "library.sigconv")])
    return root, out.getvalue(), status


def match(capsys, root, *snippets, json_output=False):
    """Run 'sigconv match' on snippets of ``root``: (status, stdout, stderr lines)."""
    args = ["match", *(str(root / s) for s in snippets), "--library",
            str(root / "library.sigconv")]
    status = cli.main(args + ["--json"] if json_output else args)
    captured = capsys.readouterr()
    return status, captured.out, captured.err.splitlines()


def test_index_writes_library_and_summary(songs):
    root, summary, status = songs
    assert status == cli.EXIT_OK
    assert (root / "library.sigconv").is_file()
    # 3 songs of 20 s, less the last part-frame of each: 59.856 s.
    assert re.fullmatch(r"indexed 3 songs \(1\.0 min of music\) in \d+\.\d s; wrote (.+)\n",
                        summary)
    assert summary.rstrip().endswith(str((root / "library.sigconv").resolve()))
    assert SongLibrary.load(root / "library.sigconv").songs == list(SONGS)


def test_match_finds_song_and_offset(songs, capsys):
    root, _, _ = songs
    status, out, err = match(capsys, root, "bravo_at_7s.wav", "charlie_at_4s.wav")
    assert status == cli.EXIT_OK and err == []
    lines = out.splitlines()
    assert len(lines) == 2
    for line, snippet, song, start in zip(lines, ["bravo_at_7s.wav", "charlie_at_4s.wav"],
                                          ["bravo", "charlie"], [7.0, 4.0]):
        found = MATCH_LINE.fullmatch(line)
        assert found, line
        assert found["snippet"] == str(root / snippet) and found["song"] == song
        assert abs(seconds(found["offset"]) - start) < 0.05
        assert float(found["confidence"]) > 0.9
        assert found["speed"] is None                   # shown only when not 1.0


def test_match_shows_speed_of_a_fast_snippet(songs, capsys):
    root, _, _ = songs
    status, out, _ = match(capsys, root, "bravo_fast.wav")
    assert status == cli.EXIT_OK
    found = MATCH_LINE.fullmatch(out.strip())
    assert found, out
    assert found["song"] == "bravo" and found["speed"] == "1.02"
    assert abs(seconds(found["offset"]) - 7.0) < 0.05


def test_match_song_not_in_library(songs, capsys):
    root, _, _ = songs
    status, out, err = match(capsys, root, "unknown.wav")
    assert status == cli.EXIT_OK and err == []
    found = NO_MATCH_LINE.fullmatch(out.strip())
    assert found, out
    assert found["snippet"] == str(root / "unknown.wav")


def reject_nan(constant):
    raise AssertionError(f"{constant} in JSON output")


def test_match_json(songs, capsys):
    root, _, _ = songs
    status, out, err = match(capsys, root, "bravo_at_7s.wav", "unknown.wav", json_output=True)
    assert status == cli.EXIT_OK and err == []
    found, unknown = json.loads(out, parse_constant=reject_nan)
    keys = {"snippet", "song", "offset_s", "offset", "score", "confidence", "speed"}
    assert set(found) == keys and set(unknown) == keys
    assert found["snippet"] == str(root / "bravo_at_7s.wav") and found["song"] == "bravo"
    assert abs(found["offset_s"] - 7.0) < 0.05
    assert found["offset"] == cli.format_offset(found["offset_s"])
    assert found["offset"].startswith("00:07.0") or found["offset"].startswith("00:06.9")
    assert found["speed"] == 1.0 and 0.9 < found["confidence"] <= 1
    assert -1 <= found["score"] <= 1
    assert unknown["snippet"] == str(root / "unknown.wav")
    assert unknown["song"] is unknown["offset_s"] is unknown["offset"] is unknown["speed"] is None
    assert isinstance(unknown["score"], float) and 0 <= unknown["confidence"] < 0.5


@pytest.mark.parametrize("bad, reason", [
    ("text.wav", "not a WAV file|format not recognised"),
    ("empty.wav", "empty"),
    ("missing.wav", "no such audio file"),
    ("silent.wav", "silent"),
    ("short.wav", "too short"),
])
def test_unreadable_snippet_is_reported_and_others_matched(songs, capsys, bad, reason):
    root, _, _ = songs
    status, out, err = match(capsys, root, "bravo_at_7s.wav", bad, "unknown.wav")
    assert status == cli.EXIT_ERROR
    lines = out.splitlines()
    assert len(lines) == 2
    assert MATCH_LINE.fullmatch(lines[0])["song"] == "bravo"
    assert NO_MATCH_LINE.fullmatch(lines[1])
    assert len(err) == 1, err
    prefix = f"sigconv match: error: {root / bad}: "
    assert err[0].startswith(prefix) and re.search(reason, err[0]), err[0]


def test_unreadable_snippet_in_json(songs, capsys):
    root, _, _ = songs
    status, out, err = match(capsys, root, "text.wav", "bravo_at_7s.wav", json_output=True)
    assert status == cli.EXIT_ERROR and err == []
    failed, found = json.loads(out, parse_constant=reject_nan)
    assert set(failed) == {"snippet", "error"} and failed["snippet"] == str(root / "text.wav")
    assert "text.wav" in failed["error"]
    assert found["song"] == "bravo"


def one_error_line(capsys, args):
    status = cli.main(args)
    captured = capsys.readouterr()
    assert status == cli.EXIT_ERROR
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert len(lines) == 1, captured.err
    return lines[0]


def test_corrupted_library_is_one_line(songs, capsys, tmp_path):
    root, _, _ = songs
    bad = tmp_path / "random.sigconv"
    bad.write_bytes(np.random.default_rng(0).bytes(4096))
    line = one_error_line(capsys, ["match", str(root / "bravo_at_7s.wav"),
                                   "--library", str(bad)])
    assert line == (f"sigconv match: error: {bad} is not a sigconv song library "
                    f"(not an .npz archive)")


def test_truncated_library_is_one_line(songs, capsys, tmp_path):
    root, _, _ = songs
    truncated = tmp_path / "truncated.sigconv"
    truncated.write_bytes((root / "library.sigconv").read_bytes()[:1000])
    line = one_error_line(capsys, ["match", str(root / "bravo_at_7s.wav"),
                                   "--library", str(truncated)])
    assert line.startswith(f"sigconv match: error: {truncated} is not a")


def test_other_npz_as_library_is_one_line(songs, capsys, tmp_path):
    root, _, _ = songs
    other = tmp_path / "other.npz"
    np.savez(other, x=np.arange(3))
    line = one_error_line(capsys, ["match", str(root / "bravo_at_7s.wav"),
                                   "--library", str(other)])
    assert line.startswith(f"sigconv match: error: {other} is not a readable sigconv song")


def test_missing_library_is_one_line(songs, capsys, tmp_path):
    root, _, _ = songs
    line = one_error_line(capsys, ["match", str(root / "bravo_at_7s.wav"),
                                   "--library", str(tmp_path / "nowhere.sigconv")])
    assert line == f"sigconv match: error: no song library at {tmp_path / 'nowhere.sigconv'}"


def test_index_empty_folder_is_one_line(capsys, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "notes.txt").write_text("no audio here")
    line = one_error_line(capsys, ["index", str(empty), "-o", str(tmp_path / "lib.sigconv")])
    assert line.startswith("sigconv index: error: no audio files in")
    assert str(empty) in line and ".wav" in line
    assert not (tmp_path / "lib.sigconv").exists()


def test_index_output_that_is_a_directory_is_one_line(songs, capsys, tmp_path):
    root, _, _ = songs
    line = one_error_line(capsys, ["index", str(root / "music"), "-o", str(tmp_path)])
    assert line == f"sigconv index: error: -o must be a file name; {str(tmp_path)!r} is a directory"


def test_index_missing_source_is_one_line(capsys, tmp_path):
    missing = tmp_path / "nowhere"
    line = one_error_line(capsys, ["index", str(missing), "-o", str(tmp_path / "lib.sigconv")])
    assert line == f"sigconv index: error: no such file or directory: {str(missing)!r}"


def test_index_and_match_as_commands(songs, tmp_path):
    """The console entry point end to end, in a subprocess: index, then match."""
    root, _, _ = songs
    library = tmp_path / "library.sigconv"
    result = run_sigconv("index", str(root / "music"), "-o", str(library))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("indexed 3 songs")
    result = run_sigconv("match", str(root / "bravo_at_7s.wav"), str(root / "unknown.wav"),
                         "--library", str(library), "--json")
    assert result.returncode == 0, result.stderr
    found, unknown = json.loads(result.stdout)
    assert found["song"] == "bravo" and abs(found["offset_s"] - 7.0) < 0.05
    assert unknown["song"] is None


def test_match_command_with_a_corrupted_library_is_one_line(songs, tmp_path):
    root, _, _ = songs
    broken = tmp_path / "broken.sigconv"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    result = run_sigconv("match", str(root / "bravo_at_7s.wav"), "--library", str(broken))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("sigconv match: error:")
    assert str(broken) in lines[0]


def test_index_command_with_an_empty_folder_is_one_line(tmp_path):
    result = run_sigconv("index", str(tmp_path), "-o", str(tmp_path / "library.sigconv"))
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("sigconv index: error:")
    assert not (tmp_path / "library.sigconv").exists()


@pytest.mark.parametrize("value, text", [
    (0.0, "00:00.000"),
    (0.0004, "00:00.000"),
    (59.9996, "01:00.000"),             # rounds into the next minute, not to 00:60.000
    (75.25, "01:15.250"),
    (3600.0, "60:00.000"),
    (4500.0, "75:00.000"),
    (3725.5, "62:05.500"),
    (-1.5, "-00:01.500"),               # a snippet that starts before the song
])
def test_format_offset(value, text):
    assert cli.format_offset(value) == text


def test_format_offset_rejects_nan():
    with pytest.raises(ValueError, match="finite"):
        cli.format_offset(math.nan)
