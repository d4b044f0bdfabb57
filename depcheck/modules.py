"""Which distributions provide an imported module — answered without importing anything.

`import PIL` is satisfied by declaring `Pillow`; every other linter needs the
project's environment installed to know that. `load()` builds a `ModuleMap`
from these sources, highest priority first; the first source that knows a
module (by its longest dotted prefix) answers:

1. config: `package-module-map = {dist = ["module", ...]}`.
2. the environment of `python=` (a venv directory, or a python executable in
   one): its `site-packages/*.dist-info/RECORD` (or `top_level.txt` when there
   is no RECORD) is read from disk; that interpreter is never run. For a
   python outside a venv the same layout is looked for under its prefix
   (`<prefix>/lib/python3.*/{site,dist}-packages`); when none is found the
   source is empty (`ModuleMap.site_packages == ()`) and the lookup falls
   through — the caller may warn.
3. the running interpreter's installed distributions (the `*.dist-info`
   folders on its sys.path, as importlib.metadata would find them), consulted
   only for modules whose top-level name that interpreter can import (one
   listing of each sys.path folder, nothing imported) and indexed once, on
   the first such module.
4. the bundled table `rules/modules/modules.tsv`, built from the wheels of the
   most downloaded PyPI distributions by `scripts/build_module_map.py`.
5. the identity guess: the top-level name, canonicalized (`my_pkg` -> `my-pkg`).

Dotted prefixes matter because namespace packages share a top-level name:
`google.protobuf` comes from `protobuf`, `google.cloud.storage` from
`google-cloud-storage`. `importable_names` (shared with the build script)
turns a distribution's file list into such names.

Cost: `load()` reads nothing; the first lookup that reaches the table reads
it (about 0.4 ms for its ~800 rows); 1000 lookups take about 2.5 ms. An
environment costs about 1.5 µs per RECORD line, once.
"""

from __future__ import annotations

import os
import sys
from bisect import bisect_left
from pathlib import Path
from typing import TYPE_CHECKING

from packaging.utils import canonicalize_name

from depcheck import memo

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping

__all__ = [
    "ModuleMap",
    "identity_distribution",
    "identity_module",
    "importable_names",
    "load",
    "payload_free",
    "pth_dirs",
    "record_files",
    "resolve_aliases",
    "site_packages",
    "table_path",
]

# Top-level names that wheels ship by accident (a `tests/` package, a stray
# `setup.py`). Mapping them would make a project's own `import tests` look like
# a third-party import; they are never recorded.
_JUNK = frozenset(
    """
    __init__ __main__ _version benchmark benchmarks build certs cli common conftest demo demos dist
    doc docs example examples lib sample samples script scripts setup src test testfunctions
    testing tests tools util utils version
    """.split()
)
_SUFFIXES = (".py", ".pyc", ".so", ".pyd")
_NAMESPACE_INIT_MAX = 1024  # bytes: a pkgutil/pkg_resources namespace __init__.py is a line or two
_MAX_DEPTH = 4  # google.cloud.aiplatform_v1... never needs more than this


def table_path() -> Path:
    """The bundled table: packaged as `depcheck/_rules`, the repository's `rules/` in a checkout."""
    packaged = Path(__file__).parent / "_rules"
    root = packaged if packaged.is_dir() else Path(__file__).parent.parent / "rules"
    return root / "modules" / "modules.tsv"


# --- file lists -> importable names ----------------------------------------------------------


class _Dir:
    __slots__ = ("code", "dirs", "init", "mods")

    def __init__(self) -> None:
        self.init: int | None = None  # size of __init__.py (-1: size unknown); None: no __init__
        self.mods: set[str] = set()  # modules directly inside, __init__ excluded
        self.dirs: dict[str, _Dir] = {}
        self.code = False  # holds a module at some depth (else: data only, like nvidia/cublas/lib)


def _tree(files: Iterable[tuple[str, int]]) -> _Dir:
    """Folders and modules of a file list. Other files count only for the folders they are in."""
    root = _Dir()
    for path, size in files:
        parts = path.replace("\\", "/").split("/")
        if len(parts) > 2 and parts[0].endswith(".data") and parts[1] in ("purelib", "platlib"):
            parts = parts[2:]  # wheel spread directories install into site-packages
        if "__pycache__" in parts:
            continue
        name, _, suffix = parts[-1].partition(".")
        # libfoo.so without an ABI tag is a shared library, not an extension module.
        code = path.endswith(_SUFFIXES) and name.isidentifier() and not (suffix == "so" and name.startswith("lib"))
        node = root
        folders = parts[:-1]
        for part in folders[: _MAX_DEPTH + 1]:  # deeper folders decide nothing
            if not part.isidentifier():  # ../bin, foo.dist-info, numpy.libs, foo-stubs
                break
            child = node.dirs.get(part)
            if child is None:
                child = node.dirs[part] = _Dir()
            node = child
            node.code = node.code or code
        else:
            if not code or len(folders) > _MAX_DEPTH + 1:
                continue
            if name != "__init__":
                node.mods.add(name)
            elif node is not root:
                node.init = max(node.init or 0, size) if size >= 0 else -1
    return root


def _walk(node: _Dir, prefix: str, depth: int, kind: Callable[[str], str], out: set[str]) -> None:
    for name in node.mods:
        out.add(prefix + name)
    for name, child in node.dirs.items():
        if not child.code:
            continue
        dotted = prefix + name
        subpackages = any(c.code for c in child.dirs.values())
        found = kind(dotted)
        if not subpackages and not child.mods and found == "shared":
            continue  # only a namespace's __init__.py (azure-nspkg): nothing of its own
        if child.init is None:  # PEP 420
            could_be = found != "owned"
        else:  # pkgutil style has a small __init__.py; variants of one project are one package
            could_be = child.init <= _NAMESPACE_INIT_MAX and found not in ("owned", "variants")
        namespace = depth < _MAX_DEPTH and subpackages and not child.mods and could_be
        if namespace:
            _walk(child, dotted + ".", depth + 1, kind, out)
        else:
            out.add(dotted)


def _layouts(node: _Dir, prefix: str, depth: int, out: dict[str, list[frozenset[str]]]) -> None:
    for name, child in node.dirs.items():
        out.setdefault(prefix + name, []).append(frozenset(n for n, c in child.dirs.items() if c.code))
        if depth < _MAX_DEPTH:
            _layouts(child, prefix + name + ".", depth + 1, out)


def importable_names(
    dists: Mapping[str, Iterable[tuple[str, int]]],
    pth_roots: Mapping[str, Iterable[str]] | None = None,
    *,
    unshared_are_packages: bool = False,
) -> dict[str, tuple[str, ...]]:
    """The import names each distribution provides, from its files: `{dist: [(path, size), ...]}`.

    Paths are relative to site-packages (a RECORD, or a wheel's file list); a
    size of -1 means unknown. A top-level `.py`/`.so`/`.pyd` file or package is
    one name. A directory is descended into (giving dotted names) when it may
    be a namespace package: it holds only subpackages and either no
    `__init__.py` (PEP 420) or a small one (pkgutil style, as old `google-*`
    and `azure-*` wheels have) — unless other distributions in `dists` ship
    the same folder with the same subpackages: variants of one project
    (`tf-keras`, `tf-keras-nightly`) share a regular package, not a
    namespace. Taking an empty regular `__init__.py` for a namespace costs
    little: its subpackages are listed instead, and `ModuleMap` answers for
    the parent from them. With `unshared_are_packages` (for a large sample
    such as the build script's, never for one environment) a folder that
    only one distribution of `dists` ships is taken as that distribution's
    package, not a namespace. `pth_roots` names, per distribution, the folders
    its `.pth` files put on sys.path (pywin32's `win32`, `win32/lib`): their
    contents are top-level too.
    """
    trees = {}
    for dist, files in dists.items():
        files = list(files)
        for root in (pth_roots or {}).get(dist, ()):
            prefix = root.strip("/") + "/"
            files += [(path[len(prefix) :], size) for path, size in files if path.startswith(prefix)]
        trees[dist] = _tree(files)
    # For each folder, the subpackages it has in each distribution that ships it.
    layouts: dict[str, list[frozenset[str]]] = {}
    for tree in trees.values():
        _layouts(tree, "", 1, layouts)

    def kind(dotted: str) -> str:
        seen = layouts.get(dotted, ())
        if len(seen) > 1:
            return "variants" if len(set(seen)) == 1 else "shared"
        return "owned" if unshared_are_packages else "unknown"

    result: dict[str, tuple[str, ...]] = {}
    for dist, tree in trees.items():
        names: set[str] = set()
        _walk(tree, "", 1, kind, names)
        result[dist] = tuple(sorted(n for n in names if _wanted(n)))
    return result


def pth_dirs(text: str) -> list[str]:
    """The relative folders a `.pth` file adds to sys.path (its `import` lines and absolute paths are skipped)."""
    dirs = []
    for line in text.splitlines():
        line = line.strip().replace("\\", "/")
        if not line or line.startswith(("#", "import ", "import\t")) or line.startswith(("/", "..")) or ":" in line:
            continue
        dirs.append(line.rstrip("/"))
    return dirs


def payload_free(paths: Iterable[str]) -> bool:
    """True when a distribution installs only metadata (and maybe a README): a rename alias like `bs4`.

    A stub-only package (`types-requests`: `requests-stubs/`) or a data
    package (`nvidia/cublas/lib/`) has folders, so it is not one.
    """
    for path in paths:
        path = path.replace("\\", "/")
        top = path.split("/", 1)[0]
        if top.endswith((".dist-info", ".egg-info")) or top == "..":
            continue
        if "/" in path or path.endswith((*_SUFFIXES, ".pyi", ".pth")):
            return False
    return True


def _wanted(name: str) -> bool:
    top, _, rest = name.partition(".")
    lower = top.lower()
    if lower in _JUNK or lower.endswith(("tests", "__mypyc")):  # mypyc's shared runtime is named by a hash
        return False
    return not any(part.startswith("_") for part in rest.split(".") if rest)  # google.cloud._storage


def record_files(text: str) -> list[tuple[str, int]]:
    """(path, size) pairs of a RECORD file; -1 where the size is not given."""
    files: list[tuple[str, int]] = []
    for line in text.splitlines():
        path, _, rest = line.rpartition(",")  # the size is last; a path may hold commas
        path = path.rpartition(",")[0]
        if path.startswith('"') and path.endswith('"'):
            path = path[1:-1].replace('""', '"')
        if path:
            files.append((path, int(rest) if rest.isdigit() else -1))
    return files


def _alias_target(metadata: str) -> str | None:
    """The one unconditional requirement of a distribution that ships no modules (a rename alias)."""
    found: list[str] = []
    for line in metadata.splitlines():
        if not line:
            break  # the body (long description) starts
        if line.lower().startswith("requires-dist:"):
            value = line.split(":", 1)[1].strip()
            if ";" in value:
                continue
            name = value
            for stop in "[(<>=!~ @":
                name = name.split(stop, 1)[0]
            found.append(canonicalize_name(name))
    return found[0] if len(found) == 1 else None


def resolve_aliases(provided: dict[str, tuple[str, ...]], aliases: Mapping[str, str]) -> None:
    """Give a module-less alias distribution (`python-levenshtein`) the names of its target."""
    for dist, target in aliases.items():
        if not provided.get(dist) and provided.get(target):
            provided[dist] = provided[target]


# --- environments on disk -----------------------------------------------------------------------


def site_packages(python: str) -> tuple[Path, ...]:
    """Where the packages of `python` (a venv directory, or an interpreter in one) live, found on disk."""
    given = Path(python)
    root = given if given.is_dir() else given.parent.parent  # <prefix>/bin/python, <venv>\Scripts\python.exe
    found: list[Path] = []
    for pattern in ("lib/python3*/site-packages", "lib64/python3*/site-packages", "Lib/site-packages"):
        found.extend(sorted(root.glob(pattern)))
    if not found:
        found.extend(sorted(root.glob("lib/python3*/dist-packages")))  # Debian's system python
    unique: dict[Path, Path] = {}
    for path in found:
        unique.setdefault(path.resolve(), path)  # lib64 is often a link to lib
    return tuple(unique.values())


def _dist_name(directory: str) -> str:
    # `name-version.dist-info`; legacy `name-version-py3.x.egg-info` (its name has no '-' either)
    stem = directory.rsplit(".", 1)[0]
    return canonicalize_name(stem.split("-", 1)[0] if directory.endswith(".egg-info") else stem.rsplit("-", 1)[0])


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None


def _provided(
    files: dict[str, list[tuple[str, int]]],
    roots: Mapping[str, list[str]],
    metadata: Mapping[str, Path],
) -> dict[str, tuple[str, ...]]:
    provided = importable_names(files, roots)
    aliases = {}
    for dist, names in provided.items():
        target = (
            None if names or not payload_free(p for p, _ in files[dist]) else _alias_target(_read(metadata[dist]) or "")
        )
        if target:
            aliases[dist] = target
    resolve_aliases(provided, aliases)
    return provided


def _listed(record: str | None, top_level: str | None) -> list[tuple[str, int]]:
    if record is not None:
        return record_files(record)
    # No RECORD (some distro and egg installs): top-level names only, no namespace detail.
    return [(name.strip() + ".py", -1) for name in (top_level or "").splitlines() if name.strip()]


def _pth_roots(site: Path, listed: list[tuple[str, int]]) -> list[str]:
    roots: list[str] = []
    for path, _ in listed:
        if path.endswith(".pth") and "/" not in path:
            roots += pth_dirs(_read(site / path) or "")
    return roots


def _scan_site(dirs: Iterable[Path], *, use_cache: bool = True) -> dict[str, tuple[str, ...]]:
    """dist -> import names for the distributions installed in `dirs` (the first directory wins).

    Built once for each state of the installed files (RECORDs and their like, `.pth`
    files), then read back from depcheck.memo unless `use_cache` is False: building
    costs about 1.5 µs per RECORD line, which is most of a small run in a large environment.
    """
    listed: list[tuple[Path, list[Path]]] = []
    for site in dirs:
        try:
            listed.append((site, sorted(site.iterdir())))
        except OSError:
            continue
    key = _installed(listed) if use_cache else None
    name = memo.name("modules", *(folder for folder, _ in key or ()))
    stored = memo.read(name, key) if key is not None else None
    if stored is not None:
        return stored  # type: ignore[no-any-return]
    files: dict[str, list[tuple[str, int]]] = {}
    roots: dict[str, list[str]] = {}
    metadata: dict[str, Path] = {}
    for site, entries in listed:
        for entry in entries:
            if not entry.name.endswith((".dist-info", ".egg-info")) or not entry.is_dir():
                continue
            dist = _dist_name(entry.name)
            if dist in files:
                continue  # an earlier directory shadows it
            files[dist] = _listed(_read(entry / "RECORD"), _read(entry / "top_level.txt"))
            roots[dist] = _pth_roots(site, files[dist])
            metadata[dist] = entry / ("METADATA" if entry.name.endswith(".dist-info") else "PKG-INFO")
    provided = _provided(files, roots, metadata)
    if key is not None:
        memo.write(name, key, provided)
    return provided


def _installed(listed: list[tuple[Path, list[Path]]]) -> tuple[tuple[str, tuple[tuple[object, ...], ...]], ...]:
    """Size and mtime_ns of every file `_scan_site` may read in these folders: they change when an installation does."""

    def stamp(*parts: str) -> tuple[int, int] | None:
        try:
            info = os.stat(os.path.join(*parts))
        except OSError:
            return None
        return info.st_size, info.st_mtime_ns

    key = []
    for site, entries in listed:
        folder = os.path.abspath(site)
        facts: list[tuple[object, ...]] = []
        for entry in entries:
            name = entry.name
            if name.endswith(".dist-info"):
                facts.append((name, *(stamp(folder, name, file) for file in ("RECORD", "top_level.txt", "METADATA"))))
            elif name.endswith(".egg-info"):
                facts.append((name, *(stamp(folder, name, file) for file in ("RECORD", "top_level.txt", "PKG-INFO"))))
            elif name.endswith(".pth"):
                facts.append((name, stamp(folder, name)))
        key.append((folder, tuple(facts)))
    return tuple(key)


def _scan_interpreter(*, use_cache: bool = True) -> dict[str, tuple[str, ...]]:
    """The running interpreter's distributions: the `*.dist-info` folders on sys.path (the first one wins).

    This is what importlib.metadata reads for path-based installs; reading
    them here directly takes half the time and spares importing
    importlib.metadata (about 30 ms) on every run.
    """
    return _scan_site((Path(entry or ".") for entry in sys.path), use_cache=use_cache)


_on_path: frozenset[str] | None = None


def _importable(top: str) -> bool:
    """Whether the running interpreter could import the top-level name `top`, without importing it.

    One listing of each sys.path folder, taken on first use: cheaper than
    `find_spec` per name (about 0.1 ms each), and it runs no meta-path finder
    (setuptools' distutils shim imports things from there).
    """
    global _on_path
    if _on_path is None:
        names: set[str] = set()
        for entry in sys.path:
            try:
                listing = os.listdir(entry or ".")
            except OSError:  # a zip file, a missing folder
                continue
            names.update(name.split(".", 1)[0] for name in listing)
        _on_path = frozenset(names)
    return top in _on_path or top in sys.modules


# --- the map --------------------------------------------------------------------------------------


def _invert(provided: Mapping[str, Iterable[str]]) -> dict[str, tuple[str, ...]]:
    out: dict[str, list[str]] = {}
    for dist, modules in provided.items():
        for module in modules:
            dists = out.setdefault(module, [])
            if dist not in dists:
                dists.append(dist)
    return {module: tuple(dists) for module, dists in out.items()}


def _longest(table: Mapping[str, tuple[str, ...]], module: str) -> tuple[str, ...] | None:
    """The entry of the longest dotted prefix of `module` (itself included) in `table`."""
    while True:
        found = table.get(module)
        if found is not None:
            return found
        cut = module.rfind(".")
        if cut < 0:
            return None
        module = module[:cut]


def _below(keys: list[str], table: Mapping[str, tuple[str, ...]], module: str) -> tuple[str, ...] | None:
    """For a namespace parent (`google`, `opentelemetry`): every provider of an entry below it."""
    start = module + "."
    found: dict[str, None] = {}
    for key in keys[bisect_left(keys, start) :]:
        if not key.startswith(start):
            break
        found.update(dict.fromkeys(table[key]))
    return tuple(found) or None


def identity_distribution(module: str) -> str:
    """The guess when nothing is known: the top-level name, canonicalized (`my_pkg.sub` -> `my-pkg`)."""
    return canonicalize_name(module.split(".", 1)[0])


def identity_module(dist: str) -> str:
    """The reverse guess: `my-pkg` -> `my_pkg`."""
    return canonicalize_name(dist).replace("-", "_")


class ModuleMap:
    """Module <-> distribution lookups over the sources of `load()`, each read on first need.

    For `from pkg import name`, look up `pkg.name`: `from google.cloud import
    storage` is `google.cloud.storage`, and a longer name costs nothing when
    only `pkg` is known.
    """

    def __init__(
        self,
        *,
        config: Mapping[str, tuple[str, ...]] | None = None,
        site: tuple[Path, ...] = (),
        table: Path | None = None,
        interpreter: bool = True,
        use_cache: bool = True,
    ) -> None:
        self.site_packages = site  # the folders read for `python=`; () when none was given or found
        self._use_cache = use_cache  # environments are read back from depcheck.memo
        self._config = dict(config or {})  # canonical dist -> modules
        self._table_path = table if table is not None else table_path()
        self._use_interpreter = interpreter
        self._dists: dict[str, dict[str, tuple[str, ...]]] = {"config": self._config}  # source -> dist -> modules
        self._modules: dict[str, dict[str, tuple[str, ...]]] = {
            "config": _invert(self._config)
        }  # source -> module -> dists
        self._keys: dict[str, list[str]] = {}
        self._cache: dict[str, tuple[str, tuple[str, ...]]] = {}

    # -- sources ------------------------------------------------------------------------------------

    def _source(self, name: str) -> dict[str, tuple[str, ...]]:
        """module -> dists of one source, read on first use."""
        found = self._modules.get(name)
        if found is None:
            if name == "environment":
                self._dists[name] = _scan_site(self.site_packages, use_cache=self._use_cache)
                found = _invert(self._dists[name])
            elif name == "interpreter":
                self._dists[name] = _scan_interpreter(use_cache=self._use_cache)
                found = _invert(self._dists[name])
            else:
                found = self._read_table()
            self._modules[name] = found
        return found

    def _read_table(self) -> dict[str, tuple[str, ...]]:
        table: dict[str, tuple[str, ...]] = {}
        for line in (_read(self._table_path) or "").splitlines():
            if line and line[0] != "#":
                module, _, dists = line.partition("\t")
                table[module] = tuple(dists.split(","))
        return table

    def _find(self, name: str, module: str) -> tuple[str, ...] | None:
        table = self._source(name)
        found = _longest(table, module)
        if found is None:
            keys = self._keys.get(name)
            if keys is None:
                keys = self._keys[name] = sorted(table)
            found = _below(keys, table, module)
        return found

    # -- lookups ------------------------------------------------------------------------------------

    def _lookup(self, module: str) -> tuple[str, tuple[str, ...]]:
        hit = self._cache.get(module)
        if hit is None:
            hit = ("guess", (identity_distribution(module),))
            for name in ("config", "environment", "interpreter", "table"):
                if name == "environment" and not self.site_packages:
                    continue
                if name == "interpreter" and not (self._use_interpreter and _importable(module.split(".", 1)[0])):
                    continue
                found = self._find(name, module)
                if found:
                    hit = (name, found)
                    break
            self._cache[module] = hit
        return hit

    def distributions(self, module: str) -> tuple[str, ...]:
        """Canonical names of the distributions that provide `module` (dotted); the table lists the most downloaded first.

        The longest dotted prefix of `module` that a source knows decides; a
        namespace parent (`google`) gets every provider of what lies below it;
        else the identity guess.
        """
        return self._lookup(module)[1]

    def known(self, module: str) -> bool:
        """Whether a source knew `module`, rather than the identity guess answering."""
        return self._lookup(module)[0] != "guess"

    def source(self, module: str) -> str:
        """Which source answered: config, environment, interpreter, table or guess."""
        return self._lookup(module)[0]

    def modules(self, dist: str) -> tuple[str, ...]:
        """The import names `dist` provides (sorted).

        Config or an installed copy (`python=`, then the running interpreter)
        is taken as the whole truth; otherwise the bundled table's rows plus
        the identity guess (`my-pkg` -> `my_pkg`), since an older release may
        have shipped that name.
        """
        dist = canonicalize_name(dist)
        if self._config.get(dist):
            return tuple(sorted(self._config[dist]))
        for name in ("environment", "interpreter"):
            if (name == "environment" and self.site_packages) or (name == "interpreter" and self._use_interpreter):
                self._source(name)
                if self._dists[name].get(dist):
                    return self._dists[name][dist]
        if "table" not in self._dists:
            self._dists["table"] = _invert(self._source("table"))
        return tuple(sorted({*self._dists["table"].get(dist, ()), identity_module(dist)}))


def load(
    *,
    config_map: tuple[tuple[str, tuple[str, ...]], ...] = (),
    python: str | None = None,
    interpreter: bool = True,
    use_cache: bool = True,
) -> ModuleMap:
    """A `ModuleMap`; no table or metadata file is read until a lookup needs it.

    `config_map` is `package-module-map` as the config holds it (distribution
    -> modules). `python` is a venv directory or an interpreter path whose
    installed distributions are read from disk. `interpreter=False` leaves the
    running interpreter out (tests, and callers that want bundled data only).
    `use_cache=False` (`--no-cache`) builds the environments' module maps
    instead of reading them back from depcheck.memo.
    """
    config: dict[str, tuple[str, ...]] = {}
    for dist, modules in config_map:
        key = canonicalize_name(dist)
        config[key] = tuple(dict.fromkeys((*config.get(key, ()), *modules)))
    site = site_packages(python) if python else ()
    return ModuleMap(config=config, site=site, interpreter=interpreter, use_cache=use_cache)
