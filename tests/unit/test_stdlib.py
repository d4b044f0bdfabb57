from __future__ import annotations

import sys

import pytest
from packaging.specifiers import SpecifierSet

from depcheck import stdlib
from depcheck.stdlib import is_stdlib, supported_minors


def spec(text: str | None) -> SpecifierSet | None:
    return None if text is None else SpecifierSet(text)


@pytest.mark.parametrize(
    ("module", "requires_python", "expected"),
    [
        ("os", None, True),
        ("os.path", ">=3.9", True),
        ("__future__", None, True),
        ("typing_extensions", None, False),
        ("requests", ">=3.9", False),
        ("tomllib", ">=3.9", False),
        ("tomllib", ">=3.11", True),
        ("tomllib", None, False),
        ("zoneinfo", ">=3.9", True),
        ("zoneinfo", ">=3.8", False),
        ("graphlib", ">=3.9", True),
        ("dataclasses", ">=3.6", False),
        ("dataclasses", ">=3.7", True),
        ("distutils", ">=3.9", False),
        ("distutils", ">=3.9,<3.12", True),
        ("distutils.core", "==3.11.*", True),
        ("distutils", ">=3.12", False),
        ("imp", "<3.12,>=3.8", True),
        ("asyncore", None, False),
        ("smtpd", ">=3.12", False),
        ("cgi", ">=3.9,<3.13", True),
        ("cgi", ">=3.9", False),
        ("telnetlib", "~=3.12.0", True),
        ("lib2to3", ">=3.13", False),
        ("annotationlib", ">=3.14", True),
        ("annotationlib", ">=3.13", False),
        ("compression", ">=3.14", True),
        ("_interpreters", ">=3.13", True),
        ("binhex", ">=3.10", False),
        ("binhex", "==3.10.*", True),
        ("parser", ">=3.9", False),
        ("msvcrt", ">=3.9", True),
        ("winreg", None, True),
        ("urllib2", ">=2.7", False),
    ],
)
def test_is_stdlib(module: str, requires_python: str | None, expected: bool) -> None:
    assert is_stdlib(module, spec(requires_python)) is expected


@pytest.mark.parametrize(
    ("requires_python", "expected"),
    [
        (None, (9, 10, 11, 12, 13)),
        (">=3.11", (11, 12, 13, 14)),
        (">=3.9.2,<3.12", (9, 10, 11)),
        ("==3.10.*", (10,)),
        ("!=3.10.*,>=3.9,<3.12", (9, 11)),
        (">=3.20", (14,)),
        (">=3.4,<3.7", (6,)),
        ("<3", (9, 10, 11, 12, 13)),
    ],
    ids=["none", "open", "patch-bound", "one-minor", "hole", "future", "ancient", "python2"],
)
def test_supported_minors(requires_python: str | None, expected: tuple[int, ...]) -> None:
    running = sys.version_info[1]
    got = supported_minors(spec(requires_python))
    if requires_python in (None, "<3"):
        assert got == tuple(sorted({*expected, running}))
    else:
        assert set(got) - {running} == set(expected) - {running}


def test_running_interpreter_agrees_with_the_table(monkeypatch: pytest.MonkeyPatch) -> None:
    if not hasattr(sys, "stdlib_module_names"):
        pytest.skip("sys.stdlib_module_names arrived in 3.10")
    minor = sys.version_info[1]
    if minor > max(stdlib._CHANGES):
        pytest.skip("newer than the table")
    monkeypatch.setattr(stdlib, "_running_minor", lambda: None)
    monkeypatch.setattr(stdlib, "_by_minor", {})
    assert stdlib._names(minor) == frozenset(sys.stdlib_module_names)


def test_py39_table_has_what_39_removed_later() -> None:
    assert {"distutils", "imp", "asynchat", "cgi", "lib2to3", "formatter", "parser"} <= stdlib._PY39
    assert not {"tomllib", "annotationlib", "typing_extensions"} & stdlib._PY39
