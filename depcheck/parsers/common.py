"""Helpers every manifest parser shares: decoding, inline ignores, requirement building."""

from __future__ import annotations

import re

from packaging.requirements import InvalidRequirement
from packaging.requirements import Requirement as PkgRequirement
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.utils import canonicalize_name

from depcheck.model import Problem, Requirement, SetKind, Span

# Extras, groups and requirements files with one of these (canonical) names
# describe a development environment, not an opt-in runtime feature.
DEV_NAMES = frozenset(
    {
        "dev", "devel", "develop", "development", "local",
        "test", "tests", "testing", "unittest", "unittests", "pytest", "tox", "nox", "e2e", "integration", "unit",
        "lint", "linting", "linters", "style", "format", "formatting", "fmt", "pre-commit", "precommit",
        "ruff", "flake8", "pylint",
        "typing", "type", "types", "typecheck", "type-check", "type-checking", "mypy",
        "doc", "docs", "documentation", "sphinx",
        "qa", "check", "checks", "coverage", "cov", "debug",
        "bench", "benchmark", "benchmarks", "ci", "release", "build", "tools", "tooling",
    }
)  # fmt: skip
_DEV_PREFIXES = ("dev-", "test-", "tests-", "testing-", "lint-", "docs-", "doc-", "typing-", "type-", "ci-")
_DEV_SUFFIXES = ("-dev", "-test", "-tests", "-testing", "-lint", "-docs", "-typing")

_IGNORE = re.compile(r"#\s*depcheck:\s*ignore(?:\[([A-Za-z0-9_,\s]*)\])?", re.IGNORECASE)


def decode(path: str, data: bytes) -> tuple[str, tuple[Problem, ...]]:
    """Bytes to text: UTF-8 with or without BOM; undecodable bytes become U+FFFD.

    Each line holding undecodable bytes yields one DC004 at its first bad byte,
    so the rest of the file is still read.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8"), ()
    except UnicodeDecodeError:
        pass
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), ()
        except UnicodeDecodeError:
            pass
    problems: list[Problem] = []
    lines = data.split(b"\n")
    out: list[str] = []
    for number, raw in enumerate(lines, start=1):
        try:
            out.append(raw.decode("utf-8"))
        except UnicodeDecodeError as exc:
            text = raw.decode("utf-8", errors="replace")
            column = len(raw[: exc.start].decode("utf-8", errors="replace")) + 1
            problems.append(
                Problem(
                    code="DC004",
                    message=f"byte 0x{raw[exc.start]:02x} is not valid UTF-8; the line was read with it replaced",
                    span=Span(path=path, line=number, column=column),
                    line_text=text.rstrip("\r"),
                )
            )
            out.append(text)
    return "\n".join(out), tuple(problems)


def is_dev_name(name: str) -> bool:
    """Does an extra/group/file tag called `name` hold development tools (tests, lint, docs...)?"""
    canonical = canonicalize_name(name)
    return canonical in DEV_NAMES or canonical.startswith(_DEV_PREFIXES) or canonical.endswith(_DEV_SUFFIXES)


def extra_kind(name: str) -> SetKind:
    """DEV for extras named like a development environment (`test`, `docs`, `dev-lint`), else EXTRA."""
    return SetKind.DEV if is_dev_name(name) else SetKind.EXTRA


def specifier_or_none(text: str | None) -> SpecifierSet | None:
    """A PEP 440 specifier set, or None for an empty or invalid one (reported elsewhere)."""
    if not text:
        return None
    try:
        return SpecifierSet(text)
    except InvalidSpecifier:
        return None


def inline_ignores(comment: str) -> frozenset[str]:
    """Codes named by `# depcheck: ignore[DC302, DC1]`; `{"*"}` for a bare `# depcheck: ignore`."""
    match = _IGNORE.search(comment)
    if match is None:
        return frozenset()
    if match.group(1) is None:
        return frozenset({"*"})
    codes = frozenset(code.strip().upper() for code in match.group(1).split(",") if code.strip())
    return codes or frozenset({"*"})


def build_requirement(
    text: str,
    span: Span,
    *,
    line_text: str = "",
    ignores: frozenset[str] = frozenset(),
    editable: bool = False,
) -> Requirement | Problem:
    """Parse one PEP 508 string; an invalid one becomes a DC001 problem, never an exception."""
    try:
        parsed = PkgRequirement(text)
    except InvalidRequirement as exc:
        return Problem(
            code="DC001",
            message=f"`{text}` is not a valid requirement: {_first_line(str(exc))}",
            span=span,
            line_text=line_text,
            ignores=ignores,
        )
    return Requirement(
        name=canonicalize_name(parsed.name),
        display_name=parsed.name,
        specifier=parsed.specifier,
        span=span,
        text=text,
        extras=frozenset(canonicalize_name(extra) for extra in parsed.extras),
        marker=parsed.marker,
        url=parsed.url,
        editable=editable,
        line_text=line_text,
        ignores=ignores,
    )


def _first_line(message: str) -> str:
    return message.strip().splitlines()[0] if message.strip() else "parse error"
