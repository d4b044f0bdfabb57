from __future__ import annotations

import pytest
from packaging.markers import Marker

from depcheck import markers


def m(text: str | None) -> Marker | None:
    return Marker(text) if text else None


@pytest.mark.parametrize(
    ("a", "b", "requires_python", "expected"),
    [
        ('python_version < "3.9"', 'python_version >= "3.9"', "", False),
        ('sys_platform == "win32"', 'sys_platform != "win32"', "", False),
        ('sys_platform == "win32"', 'python_version >= "3.9"', "", True),
        ('python_version < "3.8"', None, ">=3.9", False),
        ('python_version < "3.10"', None, ">=3.9", True),
        ('python_full_version < "3.9.2"', 'python_version >= "3.9"', "", True),
        ('python_full_version < "3.9.0"', 'python_version >= "3.9"', "", False),
        ('extra == "x" and python_version < "3"', None, ">=3.9", False),
        ('platform_system == "Windows"', 'sys_platform == "win32"', "", True),
        (None, None, "", True),
    ],
    ids=["py-split", "platform-split", "independent", "outside-requires-python", "inside-requires-python",
         "full-version-overlap", "full-version-disjoint", "extra-neutral", "different-variables", "no-markers"],
)
def test_can_coexist(a: str | None, b: str | None, requires_python: str, expected: bool) -> None:
    assert markers.can_coexist(m(a), m(b), requires_python) is expected


@pytest.mark.parametrize(
    ("a", "b", "requires_python", "expected"),
    [
        ('python_version < "3.10"', 'python_version <= "3.9"', "", True),
        ('python_full_version < "3.10"', 'python_version <= "3.9"', "", True),
        ('python_version < "3.11"', None, ">=3.11", False),
        ('python_version >= "3.10"', None, ">=3.10", True),
        ("sys_platform != 'win32'", 'sys_platform != "win32"', "", True),
        ('sys_platform == "linux"', 'sys_platform == "darwin"', "", False),
    ],
    ids=["lt-vs-le", "full-vs-minor", "never-vs-always", "always-under-requires-python", "quote-style", "different"],
)
def test_equivalent(a: str | None, b: str | None, requires_python: str, expected: bool) -> None:
    assert markers.equivalent(m(a), m(b), requires_python) is expected
