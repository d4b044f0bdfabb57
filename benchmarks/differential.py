#!/usr/bin/env python3
"""Prove the fast scan path agrees with parsing whole files, on real trees.

For every .py file under the given folders (default: the benchmark trees that
`benchmarks/run.py` unpacked and generated, and the running Python's standard
library), scan it twice -- as depcheck does (only the statements that can hold
an import or a string hit are parsed) and with `whole=True` (the whole file is
parsed and walked) -- with the knowledge base's call names, and compare the
imports, string hits and problems. Files that `ast.parse` rejects are counted,
not compared: there is no reference (the fast path may read them exactly
where the whole-file path falls back).

    .venv/bin/python benchmarks/differential.py [FOLDER ...] [--work DIR]

Exit status 1 when any file disagrees (each is printed with what differs).
"""

from __future__ import annotations

import argparse
import ast
import sys
import sysconfig
import time
import warnings
from pathlib import Path

from depcheck import kb
from depcheck.checks.companions import call_names
from depcheck.discover import SKIP_DIRS
from depcheck.scan.source import scan_bytes


def python_files(folder: Path) -> list[Path]:
    found = []
    for path in folder.rglob("*.py"):
        if SKIP_DIRS.isdisjoint(path.relative_to(folder).parts[:-1]) and path.is_file():
            found.append(path)
    return sorted(found)


def parses(data: bytes) -> bool:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ast.parse(data)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return True


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folders", nargs="*", type=Path)
    parser.add_argument("--work", type=Path, default=Path.home() / ".cache" / "depcheck-bench")
    args = parser.parse_args()
    folders = args.folders or [
        *sorted(p for p in (args.work / "trees" / "real").glob("*") if p.is_dir()),
        *sorted(p for p in (args.work / "trees" / "synth").glob("*") if p.is_dir()),
        Path(sysconfig.get_paths()["stdlib"]),
    ]
    calls = call_names(kb.load()[0])
    failures = 0
    for folder in folders:
        started = time.perf_counter()
        files = python_files(folder)
        compared = broken = 0
        for path in files:
            data = path.read_bytes()
            rel = path.relative_to(folder).as_posix()
            if not parses(data):
                broken += 1
                continue
            fast = scan_bytes(rel, data, calls)
            whole = scan_bytes(rel, data, calls, whole=True)
            compared += 1
            if (fast.imports, fast.strings, fast.problems) != (whole.imports, whole.strings, whole.problems):
                failures += 1
                print(f"DIFFERS {folder}/{rel}")
                for name in ("imports", "strings", "problems"):
                    a, b = set(getattr(fast, name)), set(getattr(whole, name))
                    for item in sorted(b - a, key=repr)[:3]:
                        print(f"  only whole: {item}")
                    for item in sorted(a - b, key=repr)[:3]:
                        print(f"  only fast:  {item}")
        elapsed = time.perf_counter() - started
        print(f"{folder}: {compared} files compared, {broken} not ({len(files)} in all), {elapsed:.1f}s")
    print("all agree" if not failures else f"{failures} files differ")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
