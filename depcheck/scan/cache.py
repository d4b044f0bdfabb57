"""Scanning every file of a repository: an on-disk cache and worker processes.

The cache lives under the user cache directory (`$XDG_CACHE_HOME/depcheck`,
else `~/.cache/depcheck`), one file per checked root. An entry is reused only
when the file's size and mtime_ns, depcheck's version, the scanner's own source
and the set of calls asked for are all unchanged, so an edit is never missed.
The cache is written to a temporary file and renamed into place, so
concurrent runs never read a half-written cache; the last one wins.
"""

from __future__ import annotations

import os
import pickle
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from depcheck import __version__, memo
from depcheck.memo import cache_dir

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from depcheck.scan import FileScan

# Below this many files to scan, starting worker processes costs more than it saves.
PARALLEL_THRESHOLD = 400


def _scanner_stamp(calls: frozenset[str]) -> str:
    here = Path(__file__).parent
    # Pickles of the value objects differ between Pythons (slotted dataclasses from 3.10):
    # a cache written by one interpreter is never read by another.
    stamps = [__version__, sys.implementation.cache_tag or "", *sorted(calls)]
    for source in sorted(here.glob("*.py")):
        try:
            stamps.append(f"{source.name}:{source.stat().st_mtime_ns}")
        except OSError:
            stamps.append(source.name)
    return "\0".join(stamps)  # compared whole: no hash, no OpenSSL to load


def _scan_one(task: tuple[str, str, frozenset[str]]) -> tuple[str, FileScan | None]:
    from depcheck.scan.source import scan_bytes  # not imported when every file comes from the cache

    root, path, calls = task
    try:
        with open(os.path.join(root, path), "rb") as stream:
            data = stream.read()
    except OSError:
        return path, None  # reported by the caller
    return path, scan_bytes(path, data, calls=calls)


def scan_all(
    root: Path,
    paths: Sequence[str],
    calls: frozenset[str],
    *,
    use_cache: bool = False,
    jobs: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, FileScan | None]:
    """FileScan for every path (None: the file could not be read); `progress(done, total)` as files are done."""
    # The root is in the stamp: two roots whose names share a checksum take turns, never mix.
    where = str(root.resolve())
    stamp = f"{where}\0{_scanner_stamp(calls)}"
    cache_file = cache_dir() / f"{memo.name('scan', where)}.pickle"
    cached: dict[str, tuple[int, int, FileScan]] = {}
    if use_cache:
        try:
            with cache_file.open("rb") as stream:
                stored_stamp, cached = pickle.load(stream)
            if stored_stamp != stamp:
                cached = {}
        except Exception:  # a missing, old or corrupt cache is an empty one
            cached = {}

    results: dict[str, FileScan | None] = {}
    fresh: dict[str, tuple[int, int, FileScan]] = {}
    todo: list[str] = []
    base = str(root)
    for path in paths:
        try:
            info = os.stat(os.path.join(base, path))
        except OSError:
            results[path] = None
            continue
        hit = cached.get(path)
        if hit is not None and hit[0] == info.st_size and hit[1] == info.st_mtime_ns:
            results[path] = hit[2]
            fresh[path] = hit
        else:
            todo.append(path)

    workers = jobs if jobs is not None else (os.cpu_count() or 1)
    tasks = [(str(root), path, calls) for path in todo]
    scanned: list[tuple[str, FileScan | None]] = []
    already = len(paths) - len(tasks)  # cache hits and unreadable files are done at once
    if progress is not None:
        progress(already, len(paths))
    if workers > 1 and len(tasks) >= PARALLEL_THRESHOLD:
        from concurrent.futures import ProcessPoolExecutor

        import depcheck.scan.source  # noqa: F401  (imported once here, inherited by every forked worker)

        with ProcessPoolExecutor(max_workers=workers) as pool:
            # map yields in order, as each chunk comes back.
            for item in pool.map(_scan_one, tasks, chunksize=max(16, len(tasks) // (workers * 8))):
                scanned.append(item)
                if progress is not None:
                    progress(already + len(scanned), len(paths))
    else:
        for task in tasks:
            scanned.append(_scan_one(task))
            if progress is not None:
                progress(already + len(scanned), len(paths))
    for path, scan in scanned:
        results[path] = scan
        if scan is not None:
            try:
                info = os.stat(os.path.join(base, path))
                fresh[path] = (info.st_size, info.st_mtime_ns, scan)
            except OSError:
                pass

    if use_cache and (todo or len(fresh) != len(cached)):
        _store(cache_file, stamp, fresh)
    return results


def _store(cache_file: Path, stamp: str, entries: dict[str, tuple[int, int, FileScan]]) -> None:
    import tempfile

    try:
        cache_file.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=cache_file.parent, prefix=".scan.", suffix=".tmp")
        with os.fdopen(handle, "wb") as stream:
            pickle.dump((stamp, entries), stream, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, cache_file)
    except OSError:
        pass  # a cache that cannot be written only costs time
