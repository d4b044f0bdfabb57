"""tox.ini: the packages its test environments install (`deps =`), by name only.

Test suites run under tox install their dependencies from here, so an import
in a test that tox provides is declared. Factor conditions (`py39: mock`) and
substitutions are read loosely; anything that is not a requirement is skipped:
this file is evidence of what is declared, not a dependency set to lint.
"""

from __future__ import annotations

import re

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

_SECTION = re.compile(r"^\[(?:tox:)?testenv(?::[^\]]*)?\]\s*$")
_OTHER_SECTION = re.compile(r"^\[[^\]]*\]\s*$")
_KEY = re.compile(r"^deps\s*=\s*(.*)$")
_FACTOR = re.compile(r"^[\w.,!{}-]+\s*:\s+")


def declared_names(text: str) -> frozenset[str]:
    names: set[str] = set()
    in_env = in_deps = False
    for raw in text.splitlines():
        line = raw.rstrip()
        if _OTHER_SECTION.match(line):
            in_env, in_deps = bool(_SECTION.match(line)), False
            continue
        if not in_env:
            continue
        key = _KEY.match(line)
        if key:
            in_deps = True
            value = key.group(1)
        elif in_deps and line[:1] in (" ", "\t") and line.strip():
            value = line.strip()
        else:
            in_deps = bool(in_deps and not line.strip())
            continue
        value = _FACTOR.sub("", value.split(" #", 1)[0].strip())
        if not value or value.startswith(("-", "{", "#", ".")):
            continue
        try:
            names.add(canonicalize_name(Requirement(value).name))
        except InvalidRequirement:
            continue
    return frozenset(names)
