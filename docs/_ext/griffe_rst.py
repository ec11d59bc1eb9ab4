"""Griffe extension for the documentation site: the reStructuredText habits of sigconv's
numpydoc docstrings, rewritten into the Markdown that mkdocstrings renders.

The docstrings stay numpydoc (they are read by ``help()``, IPython and Sphinx-minded
readers); only the copy griffe hands to mkdocstrings changes:

- Sphinx roles (``:func:`convolve```, ``:class:`~sigconv.Kernel```) become links to the
  object's API page, resolved from the docstring's scope as Python would.  A target that
  is not documented (a private helper, numpy) stays code text: the links are optional,
  so they never fail ``mkdocs build --strict``.
- reStructuredText hyperlinks (a text and its URL in backquotes) become Markdown links.
- Option lists (a line holding only a literal such as ``"full"``, its explanation
  indented below it) become Markdown definition lists instead of one run-on paragraph.
- Doctests outside an ``Examples`` section (which griffe already reads) become code
  blocks, not nested quotes; a literal block's ``::`` becomes ``:``.

Loaded by ``mkdocs.yml`` (``plugins: mkdocstrings: ... extensions``).
"""
from __future__ import annotations

import html
import re

import griffe

ROLE = re.compile(r":(?:py:)?(?:func|class|meth|mod|attr|data|obj|exc):`(~?)([^`<>]+?)`")
LINK = re.compile(r"`([^`<>]+?)\s*<(https?://[^>]+)>`__?")
SECTION_RULE = re.compile(r"^\s*-{3,}\s*$")
TERM = re.compile(r"""^(\s*)(``[^`]+``|"[^"]*"|'[^']*')\s*$""")


class RstToMarkdown(griffe.Extension):
    def on_package(self, *, pkg: griffe.Module, **kwargs) -> None:
        for obj in _walk(pkg):
            if obj.docstring is not None:
                text = _doctests(_definition_lists(obj.docstring.value))
                text = LINK.sub(r"[\1](\2)", text)
                obj.docstring.value = ROLE.sub(lambda m, obj=obj: _link(obj, m), text)


def _walk(obj):
    yield obj
    for member in obj.members.values():
        # An imported name's docstring is its definition's, walked where it is defined.
        if not member.is_alias:
            yield from _walk(member)


def _link(obj, match):
    tilde, target = match.groups()
    target = target.rstrip("()")
    shown = target.rsplit(".", 1)[-1] if tilde else target
    identifier = html.escape(_resolve(obj, target), quote=True)
    return f'<autoref identifier="{identifier}" optional><code>{shown}</code></autoref>'


def _resolve(obj, target):
    """The canonical path of ``target`` as named in ``obj``'s docstring, else ``target``."""
    scope = obj if (obj.is_module or obj.is_class) else obj.parent
    head, _, rest = target.partition(".")
    candidates = []
    try:
        candidates.append(scope.resolve(head) + (f".{rest}" if rest else ""))
    except griffe.NameResolutionError:
        pass
    package = obj.package.name
    candidates += [target, f"{package}.{target}"]
    for path in candidates:
        try:
            return obj.modules_collection[path].canonical_path
        except (KeyError, ValueError, griffe.AliasResolutionError, griffe.CyclicAliasError):
            continue
    return target


def _doctests(text):
    """Fence the doctests of sections other than ``Examples``; ``text::`` -> ``text:``."""
    lines = text.split("\n")
    out = []
    section = None
    i = 0
    while i < len(lines):
        line = lines[i]
        following = lines[i + 1] if i + 1 < len(lines) else ""
        if line.strip() and SECTION_RULE.match(following):
            section = line.strip()
        if line.lstrip().startswith(">>>") and section != "Examples":
            margin = line[:_indent(line)]
            out.append(margin + "```pycon")
            while i < len(lines) and lines[i].strip():
                out.append(lines[i])
                i += 1
            out.append(margin + "```")
            continue
        if line.rstrip().endswith("::") and not following.strip():
            line = line.rstrip()[:-1]
        out.append(line)
        i += 1
    return "\n".join(out)


def _indent(line):
    return len(line) - len(line.lstrip())


def _definition_lists(text):
    """``"value"`` lines with an indented explanation -> ``term`` / ``:   text`` pairs."""
    lines = text.split("\n")
    out = []
    i = 0
    in_doctest = False
    while i < len(lines):
        line = lines[i]
        stripped = line.strip()
        if stripped.startswith(">>>"):
            in_doctest = True
        elif not stripped:
            in_doctest = False
        term = None if in_doctest else TERM.match(line)
        following = lines[i + 1] if i + 1 < len(lines) else ""
        if not (term and following.strip() and _indent(following) > len(term[1])):
            out.append(line)
            i += 1
            continue
        # Markdown reads every line of a paragraph above the first ":" as a term.
        if out and out[-1].strip():
            out.append("")
        out.append(line)
        margin, body = term[1], _indent(following)
        i += 1
        first = True
        while i < len(lines) and lines[i].strip() and _indent(lines[i]) >= body:
            out.append(margin + (":   " if first else "    ") + lines[i][body:])
            first = False
            i += 1
        if i < len(lines) and lines[i].strip() and not TERM.match(lines[i]):
            out.append("")
    return "\n".join(out)
