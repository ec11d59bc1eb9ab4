"""``import sigconv`` is cheap and lazy, and a read-only install still works.

Each test runs a fresh interpreter in a subprocess, so the modules the test
session itself has imported (numba, scipy, pandas) do not hide what
``import sigconv`` pulls in.  Import time is deliberately not asserted (no
timing assertions in tests); the benchmarks measure it.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import numpy as np
import pytest

REPO = Path(__file__).resolve().parents[1]


def run_python(code, *, cwd=REPO, env=None, timeout=300):
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def modules_after_import(*names):
    """Which of ``names`` are in ``sys.modules`` right after ``import sigconv``."""
    result = run_python(f"""
        import json, sys
        import sigconv
        print(json.dumps([m for m in {list(names)!r} if m in sys.modules]))
    """)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])


def test_import_loads_neither_numba_nor_scipy_signal_nor_statsmodels():
    # No numba means nothing can have been compiled at import.
    assert modules_after_import("numba", "scipy.signal", "statsmodels") == []


def test_import_does_not_load_the_kernels_package():
    assert modules_after_import("sigconv._core", "sigconv._core.direct",
                                "sigconv._core.recursive") == []


def test_import_does_not_load_pandas():
    # pandas is needed only when the caller passes pandas objects, and then
    # the caller has imported it already.
    assert modules_after_import("pandas") == []


def test_import_does_not_load_scipy_fft():
    # scipy.fft is imported by the FFT methods when they first run.
    assert modules_after_import("scipy", "scipy.fft") == []


def test_first_call_in_a_fresh_interpreter():
    result = run_python("""
        import sigconv, numpy as np
        print(sigconv.convolve(np.ones(5), np.ones(2)))
    """)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    printed = result.stdout.strip()
    assert printed == str(np.convolve(np.ones(5), np.ones(2)))
    assert printed == "[1. 2. 2. 2. 2. 1.]"


# ---------------------------------------------------------------------------
# Read-only installs
# ---------------------------------------------------------------------------

# Runs in the subprocess.  Warnings go to stderr (``-W always``) and are also
# recorded, so the test can count them and check their category.
READ_ONLY_SCRIPT = """
import json
import sys
import warnings

records = []
_show = warnings.showwarning


def show(message, category, filename, lineno, file=None, line=None):
    records.append({"category": category.__name__,
                    "runtime_warning": issubclass(category, RuntimeWarning),
                    "message": str(message)})
    _show(message, category, filename, lineno, file, line)


warnings.showwarning = show

import numpy as np
import sigconv

at_import = len(records)
results = {
    "convolve": sigconv.convolve(np.ones(5), np.ones(2), method="direct").tolist(),
    "convolve_same": sigconv.convolve(np.arange(6.0), [1.0, 2.0, 3.0], "same",
                                      method="direct").tolist(),
    "recursive": sigconv.recursive_filter([1.0, 0.0, 0.0, 0.0], [0.5]).tolist(),
}
print(json.dumps({"file": sigconv.__file__, "at_import": at_import, "records": records,
                  "results": results}))
"""


def _run_as_nobody_works():
    """Can the interpreter run as ``nobody`` (its files readable by that user)?"""
    if not hasattr(os, "setuid"):
        return False
    try:
        probe = subprocess.run([sys.executable, "-c", "import numpy, numba"], cwd="/",
                               preexec_fn=_become_nobody, capture_output=True, timeout=120,
                               check=False)
    except (OSError, subprocess.SubprocessError):
        return False
    return probe.returncode == 0


def _become_nobody():
    os.setgid(65534)
    os.setuid(65534)


def _bind_mount_works(src, dst):
    """As root: can we mount ``src`` read-only on ``dst`` in a private mount namespace?"""
    if shutil.which("unshare") is None or shutil.which("mount") is None:
        return False
    try:
        probe = subprocess.run(
            ["unshare", "-m", "sh", "-c",
             'mount --bind "$0" "$1" && mount -o remount,bind,ro "$1" && ! touch "$1/.probe"',
             str(src), str(dst)],
            capture_output=True, timeout=60, check=False)
    except (OSError, subprocess.SubprocessError):
        return False
    return probe.returncode == 0


@pytest.fixture(scope="module")
def read_only_install():
    """A copy of the sigconv package (no numba cache files) that this process
    cannot write to, a fresh HOME, and a function running a script against it.

    Not root: the copy is made read-only with chmod.  Root ignores file
    modes, so as root the copy is bind-mounted read-only in a private mount
    namespace (``unshare -m``) or, failing that, the subprocess runs as
    ``nobody``.  Skips when none of these is possible.
    """
    base = Path(tempfile.mkdtemp(prefix="sigconv-readonly-"))
    src = base / "site"
    mounted = base / "mounted"
    home = base / "home"
    for d in (src, mounted, home):
        d.mkdir()
    shutil.copytree(REPO / "sigconv", src / "sigconv",
                    ignore=shutil.ignore_patterns("__pycache__", "*.nbi", "*.nbc", "*.pyc"))
    script = base / "script.py"
    script.write_text(READ_ONLY_SCRIPT)
    # World-readable tree, world-writable HOME: needed when running as nobody.
    for path in [base, src, mounted, *src.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    script.chmod(0o644)
    home.chmod(0o777)

    def make_read_only():
        for path in [src, *src.rglob("*")]:
            path.chmod(0o555 if path.is_dir() else 0o444)

    env = {k: v for k, v in os.environ.items()
           if k not in ("NUMBA_CACHE_DIR", "XDG_CACHE_HOME", "PYTHONPATH")}
    env["HOME"] = str(home)

    if os.geteuid() != 0:
        make_read_only()
        how, package_dir = "chmod", src
        command = [sys.executable, "-W", "always", str(script)]
        preexec = None
    elif _bind_mount_works(src, mounted):
        how, package_dir = "bind mount", mounted
        command = ["unshare", "-m", "sh", "-c",
                   ('mount --bind "$0" "$1" && mount -o remount,bind,ro "$1" && shift '
                    '&& exec "$@"'), str(src), str(mounted),
                   sys.executable, "-W", "always", str(script)]
        preexec = None
    elif _run_as_nobody_works():
        make_read_only()
        how, package_dir = "nobody", src
        command = [sys.executable, "-W", "always", str(script)]
        preexec = _become_nobody
    else:
        shutil.rmtree(base, ignore_errors=True)
        pytest.skip("cannot make a read-only install: running as root, and neither a "
                    "read-only bind mount (unshare -m) nor running as user nobody works")

    env["PYTHONPATH"] = str(package_dir)

    def run(extra_env=None):
        result = subprocess.run(command, cwd=base, env={**env, **(extra_env or {})},
                                preexec_fn=preexec, capture_output=True, text=True,
                                timeout=600, check=False)
        assert result.returncode == 0, f"[{how}]\n{result.stderr}"
        report = json.loads(result.stdout.splitlines()[-1])
        # The copy was imported, not the checkout or an installed sigconv.
        assert report["file"].startswith(str(package_dir)), report["file"]
        return report, result.stderr

    yield run, home
    for path in [src, *src.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    shutil.rmtree(base, ignore_errors=True)


def _check_results(results):
    np.testing.assert_allclose(results["convolve"], np.convolve(np.ones(5), np.ones(2)))
    np.testing.assert_allclose(results["convolve_same"],
                               np.convolve(np.arange(6.0), [1.0, 2.0, 3.0], "same"))
    np.testing.assert_allclose(results["recursive"], [1.0, 0.5, 0.25, 0.125])


def test_read_only_install_warns_once_about_numba_cache_dir(read_only_install):
    run, _ = read_only_install
    report, stderr = run()
    _check_results(report["results"])
    assert report["at_import"] == 0, "import sigconv must not warn (it touches no kernel)"
    about_cache = [r for r in report["records"] if "NUMBA_CACHE_DIR" in r["message"]]
    assert len(about_cache) == 1, report["records"]
    assert about_cache[0]["runtime_warning"], about_cache[0]
    assert "NUMBA_CACHE_DIR" in stderr


def test_read_only_install_with_numba_cache_dir_set_is_silent(read_only_install):
    run, home = read_only_install
    # The directory sigconv chose in the test above, so its compiled kernels
    # are reused instead of compiled again.
    cache = home / ".cache" / "sigconv" / "numba"
    cache.mkdir(parents=True, exist_ok=True)
    for path in (cache.parent.parent, cache.parent, cache):
        path.chmod(0o777)
    report, stderr = run({"NUMBA_CACHE_DIR": str(cache)})
    _check_results(report["results"])
    assert [r for r in report["records"] if "NUMBA_CACHE_DIR" in r["message"]] == []
    assert "NUMBA_CACHE_DIR" not in stderr
