"""Can two requirements ever apply in the same environment?

Markers are decided exactly over a finite set of environments: for every marker
variable the markers mention, the literal values they compare against, values
just around those literals, and one value no marker names. Two markers overlap
when some environment in that product satisfies both (and the project's
`requires-python`). `extra` is left out: extras are chosen, not an environment.
"""

from __future__ import annotations

import itertools
import re
from functools import lru_cache
from typing import TYPE_CHECKING

from packaging.markers import Marker
from packaging.version import InvalidVersion, Version

from depcheck.parsers.common import specifier_or_none

if TYPE_CHECKING:
    from collections.abc import Iterable

    from packaging.specifiers import SpecifierSet

_VERSION_VARS = frozenset({"python_version", "python_full_version", "implementation_version", "platform_release"})
# Python minors worth considering, past and future; literals in markers are added.
_PYTHONS = tuple(f"2.{m}" for m in (6, 7)) + tuple(f"3.{m}" for m in range(0, 21))
_DEFAULTS = {
    "python_version": "3.12",
    "python_full_version": "3.12.0",
    "implementation_version": "3.12.0",
    "implementation_name": "cpython",
    "platform_python_implementation": "CPython",
    "os_name": "posix",
    "sys_platform": "linux",
    "platform_system": "Linux",
    "platform_machine": "x86_64",
    "platform_release": "6.0",
    "platform_version": "",
    "extra": "",
}


def _walk(node: object) -> Iterable[tuple[str, str]]:
    """(variable, literal) pairs of a packaging marker tree."""
    if isinstance(node, tuple) and len(node) == 3 and hasattr(node[0], "value"):
        left, _op, right = node
        kinds = (type(left).__name__, type(right).__name__)
        if kinds == ("Variable", "Value"):
            yield left.value, right.value
        elif kinds == ("Value", "Variable"):
            yield right.value, left.value
    elif isinstance(node, (list, tuple)):
        for item in node:
            yield from _walk(item)


def _candidates(variable: str, literals: set[str]) -> list[str]:
    values = set(literals) | {"\x00other"}
    if variable in _VERSION_VARS:
        bumped: set[str] = set()
        for literal in literals:
            try:
                version = Version(literal)
            except InvalidVersion:
                continue
            release = version.release + (0,) * (3 - len(version.release))
            major, minor, micro = release[:3]
            bumped |= {
                f"{major}.{minor}",
                f"{major}.{minor}.{micro}",
                f"{major}.{minor}.{micro + 1}",
                f"{major}.{minor + 1}.0",
                f"{major}.{minor + 1}",
                f"{major}.{max(minor - 1, 0)}",
                f"{major}.{max(minor - 1, 0)}.99",
            }
        if variable == "python_version":  # always MAJOR.MINOR
            bumped = {value for value in bumped if value.count(".") == 1} | set(_PYTHONS)
        values |= bumped
        values.discard("\x00other")
    return sorted(values)


# Variables that describe one thing and so move together: a platform is
# (sys_platform, platform_system, os_name), an interpreter is
# (implementation_name, platform_python_implementation). Treating them as
# independent would call `sys_platform == "win32"` and
# `platform_system == "Windows"` different.
_PLATFORMS = (
    {"sys_platform": "linux", "platform_system": "Linux", "os_name": "posix"},
    {"sys_platform": "darwin", "platform_system": "Darwin", "os_name": "posix"},
    {"sys_platform": "win32", "platform_system": "Windows", "os_name": "nt"},
    {"sys_platform": "cygwin", "platform_system": "CYGWIN_NT-10.0", "os_name": "posix"},
    {"sys_platform": "emscripten", "platform_system": "Emscripten", "os_name": "posix"},
    {"sys_platform": "ios", "platform_system": "iOS", "os_name": "posix"},
    {"sys_platform": "android", "platform_system": "Android", "os_name": "posix"},
    {"sys_platform": "freebsd14", "platform_system": "FreeBSD", "os_name": "posix"},
    {"sys_platform": "aix", "platform_system": "AIX", "os_name": "posix"},
    {"sys_platform": "wasi", "platform_system": "WASI", "os_name": "posix"},
)
_INTERPRETERS = (
    {"implementation_name": "cpython", "platform_python_implementation": "CPython"},
    {"implementation_name": "pypy", "platform_python_implementation": "PyPy"},
    {"implementation_name": "graalpy", "platform_python_implementation": "GraalVM"},
    {"implementation_name": "ironpython", "platform_python_implementation": "IronPython"},
    {"implementation_name": "jython", "platform_python_implementation": "Jython"},
)
_GROUPS = (_PLATFORMS, _INTERPRETERS)


def _profiles(group: tuple[dict[str, str], ...], literals: dict[str, set[str]]) -> list[dict[str, str]]:
    """The group's known profiles, plus one per literal no profile has, plus one nobody names."""
    variables = group[0].keys()
    profiles = [dict(p) for p in group]
    for variable in variables:
        known = {p[variable] for p in group}
        for literal in sorted(literals.get(variable, ())):
            if literal not in known:
                profiles.append({v: (literal if v == variable else "\x00other") for v in variables})
    profiles.append({v: "\x00other" for v in variables})
    return profiles


def _environments(markers: list[Marker], requires_python: str) -> Iterable[dict[str, str]]:
    """Every environment of the finite product that decides these markers."""
    literals: dict[str, set[str]] = {}
    for marker in markers:
        for variable, literal in _walk(marker._markers):
            literals.setdefault(variable, set()).add(literal)
    literals.pop("extra", None)
    grouped: list[list[dict[str, str]]] = []
    for group in _GROUPS:
        if any(variable in literals for variable in group[0]):
            grouped.append(_profiles(group, literals))
            for variable in group[0]:
                literals.pop(variable, None)
    if requires_python and "python_full_version" not in literals:
        literals.setdefault("python_version", set())
    if "python_full_version" in literals:  # one Python: derive python_version from the full one
        literals["python_full_version"] |= {f"{v}.0" for v in literals.pop("python_version", set()) | set(_PYTHONS)}
    variables = sorted(literals)
    spaces = [_candidates(variable, literals[variable]) for variable in variables]
    python_spec = _spec(requires_python)
    for *values, profiles in itertools.product(*spaces, itertools.product(*grouped)):
        env = dict(_DEFAULTS)
        env.update(zip(variables, values))
        for profile in profiles:
            env.update(profile)
        if "python_version" in literals and "python_full_version" not in literals:
            env["python_full_version"] = _full(env["python_version"])
        if "python_full_version" in literals and "python_version" not in literals:
            env["python_version"] = ".".join(env["python_full_version"].split(".")[:2])
        if python_spec is not None and not _python_ok(python_spec, env):
            continue
        yield env


def _full(minor: str) -> str:
    return minor if minor.count(".") >= 2 else f"{minor}.0"


def _python_ok(spec: SpecifierSet, env: dict[str, str]) -> bool:
    try:
        return spec.contains(Version(env["python_full_version"]), prereleases=True)
    except InvalidVersion:
        return True


def _evaluate(marker: Marker | None, env: dict[str, str]) -> bool:
    if marker is None:
        return True
    try:
        return marker.evaluate(env)
    except Exception:  # an undecidable comparison (odd literals): assume it may hold
        return True


_spec = lru_cache(maxsize=256)(specifier_or_none)


@lru_cache(maxsize=4096)
def _overlap(a: str, b: str, requires_python: str) -> bool:
    markers = [Marker(text) for text in (a, b) if text]
    return any(all(_evaluate(m, env) for m in markers) for env in _environments(markers, requires_python))


@lru_cache(maxsize=4096)
def _same(a: str, b: str, requires_python: str) -> bool:
    left = Marker(a) if a else None
    right = Marker(b) if b else None
    markers = [m for m in (left, right) if m is not None]
    return all(_evaluate(left, env) == _evaluate(right, env) for env in _environments(markers, requires_python))


def _text(marker: Marker | None) -> str:
    return _neutral_extra(str(marker)) if marker is not None else ""


def can_coexist(a: Marker | None, b: Marker | None, requires_python: str = "") -> bool:
    """True when some environment (allowed by requires-python) satisfies both markers."""
    if a is None and b is None and not requires_python:
        return True
    return _overlap(_text(a), _text(b), requires_python)


def applies(marker: Marker | None, requires_python: str = "") -> bool:
    """True when the marker holds in at least one environment the project supports."""
    return can_coexist(marker, None, requires_python)


def equivalent(a: Marker | None, b: Marker | None, requires_python: str = "") -> bool:
    """True when the two markers hold in exactly the same supported environments."""
    if str(a) == str(b):
        return True
    return _same(_text(a), _text(b), requires_python)


def _neutral_extra(text: str) -> str:
    """`extra == "x"` clauses are choices, not environments: make them always true."""
    if "extra" not in text:
        return text
    return re.sub(r"""extra\s*==\s*(['"])[^'"]*\1""", 'python_version >= "0"', text)
