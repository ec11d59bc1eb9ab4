"""The documentation site: `mkdocs build --strict` passes, and what the pages point to exists.

The strict build fails on any broken link or anchor, any missing picture and any
docstring griffe cannot parse, so this test is the docs' CI.  mkdocs, mkdocs-material
and mkdocstrings are in the ``dev`` extra: a missing package is a failure, not a skip.
"""
from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
IMAGE = re.compile(r"!\[[^\]]*\]\(([^)\s]+)\)|<img[^>]*\ssrc=\"([^\"]+)\"")


def nav_pages(node):
    """Every file name in mkdocs.yml's nav (nested lists and {title: page} maps)."""
    if isinstance(node, str):
        yield node
    elif isinstance(node, list):
        for item in node:
            yield from nav_pages(item)
    elif isinstance(node, dict):
        for value in node.values():
            yield from nav_pages(value)


def load_config():
    with open(ROOT / "mkdocs.yml", encoding="utf-8") as f:
        return yaml.safe_load(f)


def test_mkdocs_build_strict(tmp_path):
    # Material's banner about MkDocs 2.0 is noise in a test log.
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path)],
        check=False, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
    )
    output = proc.stdout + proc.stderr
    if proc.returncode != 0:
        print(output)
    assert proc.returncode == 0, f"mkdocs build --strict failed:\n{output[-5000:]}"
    # The API page lists convolve with its signature; pages show the pictures.
    engine = (tmp_path / "api" / "engine" / "index.html").read_text(encoding="utf-8")
    assert 'id="sigconv.engine.convolve"' in engine
    assert "boundary" in engine and "min_weight" in engine
    theorem = (tmp_path / "concepts" / "theorem" / "index.html").read_text(encoding="utf-8")
    assert 'src="../../img/convolution_theorem.png"' in theorem
    assert (tmp_path / "img" / "convolution_theorem.png").is_file()


def test_nav_pages_exist():
    config = load_config()
    assert config["docs_dir"] == "docs"
    pages = list(nav_pages(config["nav"]))
    assert "index.md" in pages
    missing = [page for page in pages if not (DOCS / page).is_file()]
    assert not missing, f"pages in mkdocs.yml's nav that do not exist: {missing}"


def test_pictures_exist():
    missing = []
    for page in sorted(DOCS.rglob("*.md")):
        for match in IMAGE.finditer(page.read_text(encoding="utf-8")):
            target = match.group(1) or match.group(2)
            if "://" in target:
                continue
            if not (page.parent / target).resolve().is_file():
                missing.append(f"{page.relative_to(ROOT)}: {target}")
    assert not missing, "pictures referenced but missing:\n" + "\n".join(missing)


def test_api_page_lists_the_top_level_names():
    tree = ast.parse((ROOT / "sigconv" / "__init__.py").read_text(encoding="utf-8"))
    names = next(ast.literal_eval(node.value) for node in tree.body
                 if isinstance(node, ast.Assign) and node.targets[0].id == "__all__")
    page = (DOCS / "api" / "sigconv.md").read_text(encoding="utf-8")
    # A function or class is listed by name; a module has a page, docs/api/<module>.md.
    missing = [name for name in names
               if f"[`{name}`]" not in page and not (DOCS / "api" / f"{name}.md").is_file()]
    assert not missing, f"sigconv.__all__ names missing from docs/api/sigconv.md: {missing}"


def test_gallery_covers_every_example_script():
    gallery = (DOCS / "gallery.md").read_text(encoding="utf-8")
    scripts = sorted(p.name for p in (ROOT / "examples").glob("*.py")
                     if not p.name.startswith("_"))
    missing = [name for name in scripts if f"\n## {name}\n" not in gallery]
    assert not missing, f"examples scripts without a section in docs/gallery.md: {missing}"


def test_cli_page_matches_the_help():
    """docs/cli.md is the commands' --help; regenerate it with docs/_ext/cli_page.py."""
    sys.path.insert(0, str(ROOT / "docs" / "_ext"))
    try:
        import cli_page
    finally:
        sys.path.pop(0)
    assert (ROOT / "docs" / "cli.md").read_text(encoding="utf-8") == cli_page.page(), \
        "docs/cli.md is out of date: run python docs/_ext/cli_page.py"
