"""Values computed from files that rarely change, kept between runs.

The parsed knowledge base and the module map of an environment cost about
10 ms each to build and are the same from one run to the next. Each is stored
in the scan cache's directory with a key naming every file it was built from,
with its size and mtime_ns, and depcheck's version and the Python that wrote
it: any difference, and the value is built again. marshal, not pickle: the
values are plain data, and marshal is built in, so reading costs no import.
A missing, corrupt or stale file is a miss; a file that cannot be written
only costs time.
"""

from __future__ import annotations

import marshal
import os
import sys
import zlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from depcheck import __version__

if TYPE_CHECKING:
    from collections.abc import Iterable

_WRITER = (__version__, sys.implementation.cache_tag, marshal.version)


def cache_dir() -> Path:
    """The user cache directory: `$XDG_CACHE_HOME/depcheck`, else `~/.cache/depcheck` (the scan cache's too)."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "depcheck"


def name(kind: str, *where: str) -> str:
    """A file name for `kind` built from `where` (folders): two installations or environments do not take turns."""
    return f"{kind}-{zlib.crc32(chr(0).join(where).encode()):08x}"


def stamp(paths: Iterable[str | Path]) -> tuple[tuple[str, int, int], ...] | None:
    """(path, size, mtime_ns) of each file; None when one cannot be read."""
    found = []
    for path in paths:
        try:
            info = os.stat(path)
        except OSError:
            return None
        found.append((os.fspath(path), info.st_size, info.st_mtime_ns))
    return tuple(found)


def read(name: str, key: Any) -> Any:
    """The value stored under `name` for `key`; None when there is none."""
    try:
        with open(cache_dir() / f"{name}.marshal", "rb") as stream:
            stored_key, value = marshal.load(stream)
    except Exception:  # missing, unreadable, truncated, or not ours
        return None
    return value if stored_key == (_WRITER, key) else None


def write(name: str, key: Any, value: Any) -> None:
    """Store `value` under `name` for `key`, replacing what was there (a temporary file renamed into place)."""
    try:
        data = marshal.dumps(((_WRITER, key), value))
    except ValueError:  # not plain data: nothing to keep
        return
    target = cache_dir() / f"{name}.marshal"
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(temporary, "wb") as stream:
            stream.write(data)
        os.replace(temporary, target)
    except OSError:
        try:
            os.unlink(temporary)
        except OSError:
            pass
