#!/usr/bin/env python3
"""Benchmark depcheck against deptry (and fawltydeps) on synthetic monorepos and real sdists.

Everything this script downloads or generates lives in a work directory outside the
repository (default: ~/.cache/depcheck-bench, or --work DIR):

    WORK/peers/            venv with deptry and fawltydeps (python -m venv + pip install)
    WORK/sdist/            source distributions from `pip download`
    WORK/trees/real/       the unpacked sdists
    WORK/trees/synth/      generated monorepos, one per --sizes entry
    WORK/xdg/              XDG_CACHE_HOME given to depcheck (its scan cache), never ~/.cache/depcheck
    WORK/logs/             stdout/stderr of the last run of each tool on each tree

Standard library only. Run it with the interpreter that has depcheck installed:

    .venv/bin/python benchmarks/run.py --json results.json --plot time-vs-files.svg

See benchmarks/README.md for what each number means.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import platform
import random
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

GENERATOR_VERSION = 1
DEFAULT_SIZES = "10x10,50x20,100x50,200x100"
MAX_PACKAGES, MAX_MODULES = 200, 100

# Real trees: (key, distribution, pinned version). Pinned so that every run measures the same files.
REAL_TREES = {
    "django": ("Django", "5.1.4"),
    "sqlalchemy": ("SQLAlchemy", "2.0.36"),
    "pandas": ("pandas", "2.2.3"),
}
DEPTRY_VERSION = "0.25.1"
# deptry 0.25.1 crashes ("ValueError: A distribution name is required.") on a relative
# importlib.import_module(".management", package) call, which Django has in these two files. The warm-up
# runs deptry without the workaround (so the crash is reported); the timed runs exclude these files.
DEPTRY_WORKAROUNDS = {"django": [r"django/core/management/commands/(flush|migrate)\.py"]}
FAWLTYDEPS_VERSION = "0.20.0"

# Directory names depcheck never descends into (depcheck/discover.py SKIP_DIRS); the .py files counted
# for "files" and the directories deptry is told to exclude use the same list, so both tools read the
# same files. deptry's own default also excludes a top-level `tests/`, which depcheck does read.
SKIP_DIRS = (
    ".git", ".hg", ".svn", ".bzr", "node_modules", "build", "dist", "site-packages", ".tox", ".nox",
    "__pycache__", ".mypy_cache", ".pytest_cache", ".ruff_cache", ".hypothesis", ".eggs", ".cache",
    ".venv", "venv", ".direnv", "__pypackages__", ".pixi", ".idea", ".vscode",
)


# --------------------------------------------------------------------------------------------------
# (a) synthetic monorepo generator
# --------------------------------------------------------------------------------------------------

STDLIB = [
    "os", "sys", "json", "re", "logging", "pathlib", "functools", "itertools", "collections", "dataclasses",
    "datetime", "subprocess", "hashlib", "io", "math", "random", "shutil", "tempfile", "threading", "time",
    "uuid", "enum", "abc", "contextlib", "textwrap", "urllib.parse", "email.message", "http.client",
    "xml.etree.ElementTree", "concurrent.futures", "asyncio", "argparse", "csv", "sqlite3", "statistics",
    "decimal", "base64", "struct", "zlib", "pickle", "copy", "heapq", "bisect", "operator", "string",
    "traceback", "warnings", "weakref", "inspect", "importlib",
]
STDLIB_FROM = [
    ("collections", "defaultdict"), ("collections", "OrderedDict"), ("dataclasses", "dataclass"),
    ("dataclasses", "field"), ("pathlib", "Path"), ("functools", "lru_cache"), ("functools", "partial"),
    ("itertools", "chain"), ("datetime", "datetime"), ("datetime", "timedelta"), ("enum", "Enum"),
    ("contextlib", "contextmanager"), ("typing", "Any"), ("typing", "Optional"), ("abc", "ABC"),
    ("concurrent.futures", "ThreadPoolExecutor"), ("urllib.parse", "urlparse"), ("decimal", "Decimal"),
]
# (import name, distribution, specifier): many import names differ from their distribution names.
THIRD_PARTY = [
    ("yaml", "PyYAML", ">=6.0"), ("PIL", "Pillow", ">=10.0"), ("sklearn", "scikit-learn", ">=1.3"),
    ("bs4", "beautifulsoup4", ">=4.12"), ("dateutil", "python-dateutil", ">=2.8.2"), ("attr", "attrs", ">=23.1"),
    ("google.protobuf", "protobuf", ">=4.25"), ("jwt", "PyJWT", ">=2.8"), ("dotenv", "python-dotenv", ">=1.0"),
    ("cv2", "opencv-python", ">=4.8"), ("serial", "pyserial", ">=3.5"), ("OpenSSL", "pyOpenSSL", ">=23.3"),
    ("Crypto", "pycryptodome", ">=3.19"), ("zmq", "pyzmq", ">=25.1"), ("git", "GitPython", ">=3.1.40"),
    ("psycopg2", "psycopg2-binary", ">=2.9"), ("MySQLdb", "mysqlclient", ">=2.2"), ("magic", "python-magic", ">=0.4.27"),
    ("requests", "requests", ">=2.31"), ("numpy", "numpy", ">=1.24"), ("pandas", "pandas", ">=2.0"),
    ("click", "click", ">=8.1"), ("pydantic", "pydantic", ">=2.5"), ("httpx", "httpx", ">=0.25"),
    ("rich", "rich", ">=13.7"), ("sqlalchemy", "SQLAlchemy", ">=2.0"), ("jinja2", "Jinja2", ">=3.1"),
    ("markdown", "Markdown", ">=3.5"), ("lxml", "lxml", ">=4.9"), ("redis", "redis", ">=5.0"),
    ("boto3", "boto3", ">=1.34"), ("tqdm", "tqdm", ">=4.66"), ("packaging", "packaging", ">=23.2"),
    ("structlog", "structlog", ">=23.2"), ("msgpack", "msgpack", ">=1.0"), ("toml", "toml", ">=0.10"),
]
# Optional accelerators, imported inside try/except ImportError and declared as an extra.
OPTIONAL = [("ujson", "ujson", ">=5.8"), ("orjson", "orjson", ">=3.9"), ("uvloop", "uvloop", ">=0.19"),
            ("lz4.frame", "lz4", ">=4.3")]
# Imported only under `if TYPE_CHECKING:`, declared in the dev dependency group.
TYPING_ONLY = [("mypy_boto3_s3", "S3Client", "mypy-boto3-s3"), ("types_aiofiles", "Any", "types-aiofiles"),
               ("pandas_stubs", "Any", "pandas-stubs")]
# requirements.txt pins: inside the pyproject.toml specifier (its lower bound, next patch release).
PINS = {dist: spec[2:] + (".1" if spec.count(".") == 1 else "") for _, dist, spec in THIRD_PARTY + OPTIONAL}


def _pkg(i: int) -> str:
    return f"synth_pkg{i:03d}"


def _dist(i: int) -> str:
    return f"synth-pkg{i:03d}"


def _alias(module: str) -> str:
    return module.replace(".", "_")


def _import_line(module: str) -> tuple[str, str]:
    """(import statement, name bound) for a dotted or plain module."""
    if "." in module:
        parent, leaf = module.rsplit(".", 1)
        return f"from {parent} import {leaf}", leaf
    return f"import {module}", module


@dataclass
class PackagePlan:
    index: int
    third_party: list[tuple[str, str, str]]
    optional: tuple[str, str, str] | None
    typing_only: tuple[str, str, str] | None
    first_party: list[int]
    undeclared: str | None  # an import whose distribution is deliberately not declared
    unused: tuple[str, str, str] | None  # a declared distribution no module imports
    requirements: bool
    requirements_dev: bool


def _plan(seed: int, i: int) -> PackagePlan:
    rng = random.Random(f"{seed}:package:{i}")
    third = rng.sample(THIRD_PARTY, rng.randint(2, 6))
    rest = [t for t in THIRD_PARTY if t not in third]
    first = sorted(rng.sample(range(max(0, i - 25), i), min(i, rng.randint(0, 3)))) if i else []
    return PackagePlan(
        index=i,
        third_party=third,
        optional=rng.choice(OPTIONAL) if rng.random() < 0.4 else None,
        typing_only=rng.choice(TYPING_ONLY) if rng.random() < 0.5 else None,
        first_party=first,
        undeclared=rng.choice(rest)[0] if rng.random() < 0.1 else None,
        unused=rng.choice(rest) if rng.random() < 0.1 else None,
        requirements=i % 4 == 1,
        requirements_dev=i % 8 == 1,
    )


def _pyproject(plan: PackagePlan) -> str:
    deps = [f"{dist}{spec}" for _, dist, spec in plan.third_party]
    if plan.unused:
        deps.append(f"{plan.unused[1]}{plan.unused[2]}")
    deps += [_dist(j) for j in plan.first_party]
    lines = [
        "[build-system]",
        'requires = ["hatchling>=1.21"]',
        'build-backend = "hatchling.build"',
        "",
        "[project]",
        f'name = "{_dist(plan.index)}"',
        'version = "0.1.0"',
        f'description = "Synthetic package {plan.index} of the depcheck benchmark monorepo."',
        'requires-python = ">=3.9"',
        "dependencies = [",
        *[f'    "{d}",' for d in deps],
        "]",
        "",
    ]
    if plan.optional:
        lines += ["[project.optional-dependencies]", f'fast = ["{plan.optional[1]}{plan.optional[2]}"]', ""]
    dev = ['"pytest>=8"', '"mypy>=1.8"'] + ([f'"{plan.typing_only[2]}"'] if plan.typing_only else [])
    lines += ["[dependency-groups]", f"dev = [{', '.join(dev)}]", ""]
    if plan.first_party:
        lines += ["[tool.uv.sources]", *[f"{_dist(j)} = {{ workspace = true }}" for j in plan.first_party], ""]
    lines += ["[tool.hatch.build.targets.wheel]", f'packages = ["src/{_pkg(plan.index)}"]', ""]
    return "\n".join(lines)


def _requirements(plan: PackagePlan) -> str:
    lines = [f"# pinned runtime set of {_dist(plan.index)}"]
    lines += [f"{dist}=={PINS[dist]}" for _, dist, _ in sorted(plan.third_party, key=lambda t: t[1].lower())]
    lines += [f"-e ../{_dist(j)}" for j in plan.first_party]
    return "\n".join(lines) + "\n"


def _function(rng: random.Random, name: str, uses: list[str]) -> str:
    arg = rng.choice(["path", "record", "payload", "items", "key"])
    n = rng.randint(2, 6)
    body = [f"def {name}({arg}: Any, retries: int = {rng.randint(1, 5)}) -> dict[str, Any]:",
            f'    """{rng.choice(["Load", "Normalise", "Merge", "Validate", "Render"])} {arg} ({n} steps)."""',
            "    result: dict[str, Any] = {}",
            "    for attempt in range(retries):"]
    for step in range(n):
        body.append(f"        value_{step} = str({arg}) + ':{step}:' + str(attempt)")
        body.append(f"        result[value_{step}] = len(value_{step}) * {rng.randint(2, 9)} + attempt")
    for use in uses:
        body.append(f'    result["{use}"] = getattr({use}, "__name__", "{use}")')
    body += ["    if not result:", f'        raise ValueError(f"nothing in {{{arg}!r}}")', "    return result", ""]
    return "\n".join(body)


def _class(rng: random.Random, name: str) -> str:
    fields = rng.sample(["name", "size", "owner", "created", "tags", "parent", "weight", "labels"], 3)
    lines = ["@dataclass", f"class {name}:"]
    lines += [f"    {f}: Any = None" for f in fields]
    lines += ["", "    def as_dict(self) -> dict[str, Any]:",
              "        return {" + ", ".join(f'"{f}": self.{f}' for f in fields) + "}", "",
              "    def merge(self, other: Any) -> Any:",
              "        return type(self)(**{**self.as_dict(), **other.as_dict()})", ""]
    return "\n".join(lines)


def _module(seed: int, plan: PackagePlan, k: int, modules: int) -> str:
    rng = random.Random(f"{seed}:module:{plan.index}:{k}")
    pkg = _pkg(plan.index)
    name = "__init__" if k == 0 else f"mod_{k:03d}"
    head = [f'"""{pkg}.{name}: generated module {k} of package {plan.index} (seed {seed})."""', "",
            "from __future__ import annotations", ""]
    uses: list[str] = []
    std = sorted(rng.sample(STDLIB, rng.randint(2, 6)))
    imports = []
    for module in std:
        stmt, bound = _import_line(module)
        imports.append(stmt)
        uses.append(bound)
    std_from: dict[str, set[str]] = {"typing": {"TYPE_CHECKING", "Any"}, "dataclasses": {"dataclass"}}
    for module, item in rng.sample(STDLIB_FROM, rng.randint(1, 4)):
        std_from.setdefault(module, set()).add(item)
    imports += [f"from {m} import {', '.join(sorted(items))}" for m, items in sorted(std_from.items())]
    block = ["\n".join(sorted(set(imports), key=lambda s: s.split()[1])), ""]

    third: list[str] = []
    for module, _, _ in rng.sample(plan.third_party, rng.randint(1, len(plan.third_party))):
        stmt, bound = _import_line(module)
        third.append(stmt)
        uses.append(bound)
    if plan.undeclared and k == 1 % max(1, modules):
        stmt, bound = _import_line(plan.undeclared)
        third.append(stmt)
        uses.append(bound)
    block += ["\n".join(sorted(set(third), key=str.lower)), ""]

    first: list[str] = []
    if plan.first_party and rng.random() < 0.6:
        j = rng.choice(plan.first_party)
        first.append(f"from {_pkg(j)} import mod_{rng.randint(1, max(1, modules - 1)):03d}" if modules > 1
                     else f"import {_pkg(j)}")
    if k and modules > 2 and rng.random() < 0.5:
        other = rng.choice([m for m in range(1, modules) if m != k] or [k])
        first.append(f"from .mod_{other:03d} import Model{other:03d}")
    if first:
        block += ["\n".join(first), ""]

    if plan.optional and rng.random() < 0.2:
        stmt, bound = _import_line(plan.optional[0])
        block += ["try:", f"    {stmt}", "except ImportError:  # optional extra: fast",
                  f"    {bound} = None  # type: ignore[assignment]", ""]
        uses.append(bound)
    if rng.random() < 0.2:
        typed = ["    from collections.abc import Iterator"]
        if plan.typing_only:
            typed.append(f"    from {plan.typing_only[0]} import {plan.typing_only[1]}")
        block += ["if TYPE_CHECKING:", *typed, ""]
    if k == 0 and modules > 1:
        block += ["import importlib", "", "def load(name: str) -> Any:",
                  f'    return importlib.import_module(f"{pkg}.{{name}}")', ""]

    body = [""]
    rng.shuffle(uses)
    for f in range(rng.randint(2, 5)):
        body.append(_function(rng, f"func_{k:03d}_{f}", uses[f::5]))
        body.append("")
    body.append(_class(rng, f"Model{k:03d}"))
    body.append(f"__all__ = [{', '.join(repr(f'func_{k:03d}_{f}') for f in range(2))}, 'Model{k:03d}']")
    return "\n".join(head + block + body) + "\n"


def generate(dest: Path, packages: int, modules: int, seed: int) -> None:
    """Write a uv-workspace monorepo of `packages` packages with `modules` .py files each into dest."""
    if not (1 <= packages <= MAX_PACKAGES and 1 <= modules <= MAX_MODULES):
        raise SystemExit(f"--packages must be 1..{MAX_PACKAGES} and --modules 1..{MAX_MODULES}")
    dest.mkdir(parents=True)
    members = []
    for i in range(packages):
        plan = _plan(seed, i)
        root = dest / "packages" / _dist(i)
        src = root / "src" / _pkg(i)
        src.mkdir(parents=True)
        (root / "pyproject.toml").write_text(_pyproject(plan))
        if plan.requirements:
            (root / "requirements.txt").write_text(_requirements(plan))
        if plan.requirements_dev:
            (root / "requirements-dev.txt").write_text("-r requirements.txt\npytest>=8\nmypy>=1.8\n")
        for k in range(modules):
            (src / ("__init__.py" if k == 0 else f"mod_{k:03d}.py")).write_text(_module(seed, plan, k, modules))
        members.append(_dist(i))
    root_toml = [
        "[project]", 'name = "synth-monorepo"', 'version = "0.0.0"', 'requires-python = ">=3.9"',
        "dependencies = [", *[f'    "{m}",' for m in members], "]", "",
        "[tool.uv]", "package = false", "",
        "[tool.uv.workspace]", 'members = ["packages/*"]', "",
        "[tool.uv.sources]", *[f"{m} = {{ workspace = true }}" for m in members], "",
        "[dependency-groups]", 'dev = ["pytest>=8", "mypy>=1.8", "ruff>=0.4"]', "",
    ]
    (dest / "pyproject.toml").write_text("\n".join(root_toml))
    (dest / "README.md").write_text(f"Synthetic monorepo: {packages} packages x {modules} modules, seed {seed}.\n")


def synth_tree(work: Path, packages: int, modules: int, seed: int) -> Path:
    base = work / "trees" / "synth"
    base.mkdir(parents=True, exist_ok=True)
    dest = base / f"s{seed}-{packages}x{modules}"
    stamp = base / f"{dest.name}.stamp"
    want = f"generator {GENERATOR_VERSION} {hashlib.sha256(Path(__file__).read_bytes()).hexdigest()}"
    if dest.is_dir() and stamp.is_file() and stamp.read_text() == want:
        return dest
    tmp = base / f".{dest.name}.tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    shutil.rmtree(dest, ignore_errors=True)
    generate(tmp, packages, modules, seed)
    tmp.rename(dest)
    stamp.write_text(want)
    return dest


# --------------------------------------------------------------------------------------------------
# (b) real trees: pinned sdists via pip download
# --------------------------------------------------------------------------------------------------


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()


def real_tree(work: Path, key: str, log) -> Path:
    dist, version = REAL_TREES[key]
    sdists = work / "sdist"
    sdists.mkdir(parents=True, exist_ok=True)

    def find() -> Path | None:
        for p in sdists.glob("*.tar.gz"):
            name, _, ver = p.name[: -len(".tar.gz")].rpartition("-")
            if _norm(name) == _norm(dist) and ver == version:
                return p
        return None

    archive = find()
    if archive is None:
        # --no-binary for this distribution only: `--no-binary :all:` also forces pip to build the
        # *build* dependencies (numpy, meson) from source just to read pandas' metadata, which fails.
        cmd = [sys.executable, "-m", "pip", "download", "--no-binary", dist, "--no-deps", "--dest", str(sdists),
               f"{dist}=={version}"]
        log(f"  downloading {dist}=={version}: {' '.join(cmd[2:])}")
        logfile = work / "logs" / f"pip-download-{key}.log"
        logfile.parent.mkdir(parents=True, exist_ok=True)
        with logfile.open("wb") as out:
            rc = subprocess.call(cmd, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        archive = find()
        if rc != 0 or archive is None:
            raise RuntimeError(f"pip download {dist}=={version} failed (exit {rc}); see {logfile}")
    base = work / "trees" / "real"
    base.mkdir(parents=True, exist_ok=True)
    with tarfile.open(archive) as tar:
        top = tar.getmembers()[0].name.split("/")[0]
        dest = base / top
        done = base / f"{top}.unpacked"
        if not done.exists():
            shutil.rmtree(dest, ignore_errors=True)
            kwargs = {"filter": "data"} if hasattr(tarfile, "data_filter") else {}
            tar.extractall(base, **kwargs)
            done.write_text(archive.name)
    return dest


def count_py(tree: Path) -> int:
    n = 0
    for _, dirs, files in os.walk(tree):
        dirs[:] = [d for d in dirs if d not in SKIP_DIRS]
        n += sum(1 for f in files if f.endswith(".py"))
    return n


# --------------------------------------------------------------------------------------------------
# (c) tools and measurement
# --------------------------------------------------------------------------------------------------


@dataclass
class Tool:
    key: str
    label: str
    argv: list[str]
    ok: tuple[int, ...]
    env: dict[str, str] = field(default_factory=dict)
    fresh_cache: bool = False  # give each run an empty XDG_CACHE_HOME (cold runs when --no-cache is absent)


def run_once(tool: Tool, tree: Path, work: Path, timeout: float) -> dict:
    """Run tool once in tree; whole-process wall time and the process's peak RSS (os.wait4)."""
    logs = work / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "NO_COLOR": "1", **tool.env}
    scratch = None
    if tool.fresh_cache:
        scratch = tempfile.mkdtemp(prefix="xdg-cold-", dir=work / "xdg")
        env["XDG_CACHE_HOME"] = scratch
    out_path = logs / f"{tree.name}.{tool.key}.out"
    err_path = logs / f"{tree.name}.{tool.key}.err"
    with out_path.open("wb") as out, err_path.open("wb") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(tool.argv, cwd=tree, env=env, stdout=out, stderr=err, stdin=subprocess.DEVNULL)
        timer = threading.Timer(timeout, proc.kill)
        timer.start()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        timer.cancel()
    proc.returncode = code = os.waitstatus_to_exitcode(status)
    if scratch:
        shutil.rmtree(scratch, ignore_errors=True)
    stderr = err_path.read_text(errors="replace")
    crashed = code not in tool.ok or "Traceback (most recent call last)" in stderr
    sample = {
        "wall_s": round(wall, 4),
        "user_s": round(usage.ru_utime, 3),
        "sys_s": round(usage.ru_stime, 3),
        "maxrss_mb": round(usage.ru_maxrss / 1024, 1),  # Linux: KiB; largest single process of the tree
        "exit": code,
        "output_lines": sum(1 for _ in out_path.open("rb")) + stderr.count("\n"),
    }
    if crashed:
        tail = "\n".join(stderr.strip().splitlines()[-6:])
        sample["crash"] = f"exit {code}{' (timeout)' if code == -9 else ''}: {tail}"
    return sample


def s_tail(tool: Tool, tree: Path, work: Path) -> str:
    """Last line of the previous run's stderr (the exception, for a crash)."""
    lines = (work / "logs" / f"{tree.name}.{tool.key}.err").read_text(errors="replace").strip().splitlines()
    errors = [line for line in lines if re.match(r"^[\w.]+(Error|Exception)\b", line)]
    return (errors or lines or ["no stderr"])[-1]


def setup_cfg_requirements(tree: Path, work: Path) -> Path | None:
    """deptry reads pyproject.toml and requirements files, not setup.cfg: for a tree whose pyproject.toml has
    no [project] table, write setup.cfg's install_requires to a requirements file outside the tree."""
    import configparser

    pyproject, setup_cfg = tree / "pyproject.toml", tree / "setup.cfg"
    if not setup_cfg.is_file() or (pyproject.is_file() and re.search(r"(?m)^\[project\]", pyproject.read_text())):
        return None
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(setup_cfg)
    requires = parser.get("options", "install_requires", fallback="").strip()
    if not requires:
        return None
    dest = work / "deptry-inputs" / f"{tree.name}.requirements.txt"
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_text("\n".join(line.strip() for line in requires.splitlines() if line.strip()) + "\n")
    return dest


def capture(argv: list[str], env: dict[str, str] | None = None) -> str:
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=120, env={**os.environ, **(env or {})})
        return (done.stdout or done.stderr).strip().splitlines()[0] if (done.stdout or done.stderr).strip() else "?"
    except (OSError, subprocess.SubprocessError) as exc:
        return f"unavailable ({exc})"


def ensure_peers(work: Path, fawltydeps: bool, log) -> Path:
    venv = work / "peers"
    py = venv / "bin" / "python"
    want = [f"deptry=={DEPTRY_VERSION}"] + ([f"fawltydeps=={FAWLTYDEPS_VERSION}"] if fawltydeps else [])
    missing = not (venv / "bin" / "deptry").exists() or (fawltydeps and not (venv / "bin" / "fawltydeps").exists())
    if missing:
        log(f"  creating {venv} and installing {' '.join(want)}")
        if not py.exists():
            subprocess.check_call([sys.executable, "-m", "venv", str(venv)])
        logfile = work / "logs" / "pip-install-peers.log"
        logfile.parent.mkdir(parents=True, exist_ok=True)
        with logfile.open("wb") as out:
            subprocess.check_call([str(py), "-m", "pip", "install", *want], stdout=out, stderr=subprocess.STDOUT)
    return venv / "bin"


def depcheck_source_digest(depcheck_python: str, env: dict[str, str] | None = None) -> tuple[str, str]:
    """(package directory, digest of its .py files): other people may edit depcheck while this runs."""
    where = subprocess.run([depcheck_python, "-c", "import depcheck, os; print(os.path.dirname(depcheck.__file__))"],
                           capture_output=True, text=True, env={**os.environ, **(env or {})}, cwd="/").stdout.strip()
    digest = hashlib.sha256()
    if where:
        for path in sorted(Path(where).rglob("*.py")):
            digest.update(path.as_posix().encode() + path.read_bytes())
    return where, digest.hexdigest()[:16]


def snapshot_depcheck(work: Path, depcheck_python: str, log) -> tuple[dict[str, str], str]:
    """Freeze the depcheck under test: `git archive HEAD depcheck rules` into WORK/depcheck-src/COMMIT and put
    that first on PYTHONPATH, so edits made to the checkout while the benchmark runs change nothing.
    Returns (extra environment, description); ({}, description) when the live install is used."""
    pkg_dir, _ = depcheck_source_digest(depcheck_python)
    if not pkg_dir:
        return {}, "?"
    repo = Path(pkg_dir).parent
    head = subprocess.run(["git", "-C", str(repo), "rev-parse", "HEAD"], capture_output=True, text=True)
    if head.returncode:
        return {}, f"{pkg_dir} (not a git checkout: the live files)"
    commit = head.stdout.strip()
    snap = work / "depcheck-src" / commit[:12]
    if not (snap / "depcheck" / "__init__.py").is_file():
        tmp = snap.with_name(snap.name + ".tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        archive = subprocess.run(["git", "-C", str(repo), "archive", "--format=tar", commit, "depcheck", "rules"],
                                 capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(tmp)], input=archive, check=True)
        shutil.rmtree(snap, ignore_errors=True)
        tmp.rename(snap)
    # Byte-compile it, as pip does when it installs a package (and did for deptry and fawltydeps): without
    # this, under PYTHONDONTWRITEBYTECODE every run would compile depcheck's modules again (about 60 ms).
    subprocess.run([depcheck_python, "-m", "compileall", "-q", str(snap / "depcheck")], check=True)
    env = {"PYTHONPATH": str(snap)}
    used, _ = depcheck_source_digest(depcheck_python, env)
    if Path(used) != snap / "depcheck":
        log(f"  warning: PYTHONPATH={snap} did not take precedence ({used}); measuring the live install")
        return {}, git_describe(pkg_dir)
    dirty = subprocess.run(["git", "-C", str(repo), "status", "--porcelain", "--", "depcheck", "rules"],
                           capture_output=True, text=True).stdout.strip()
    return env, f"commit {commit[:10]} (git archive of HEAD{'; the checkout had uncommitted changes, not measured' if dirty else ''})"


def git_describe(package_dir: str) -> str:
    if not package_dir:
        return "?"
    repo = str(Path(package_dir).parent)
    head = subprocess.run(["git", "-C", repo, "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    if head.returncode:
        return "not a git checkout"
    dirty = subprocess.run(["git", "-C", repo, "status", "--porcelain", "--", "depcheck"], capture_output=True, text=True)
    return head.stdout.strip() + (" + uncommitted changes under depcheck/" if dirty.stdout.strip() else "")


def machine_info() -> dict:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = "?"
    try:
        meminfo = Path("/proc/meminfo").read_text().splitlines()
        kib = int(next(row for row in meminfo if row.startswith("MemTotal")).split()[1])
        mem = f"{kib / 1024 / 1024:.1f} GiB"
    except (OSError, StopIteration, ValueError):
        pass
    nproc = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {"nproc": nproc, "cpu": cpu, "memory": mem, "os": platform.platform(),
            "python": platform.python_version(), "python_impl": platform.python_implementation()}


def median(samples: list[dict], key: str = "wall_s") -> float | None:
    """Median over the runs that did not crash; if every run crashed, over those (flagged † in the table)."""
    values = [s[key] for s in samples if "crash" not in s] or [s[key] for s in samples if s["exit"] >= 0]
    return statistics.median(values) if values else None


def crashed(tool: dict | None) -> bool:
    return bool(tool and tool.get("samples") and all("crash" in s for s in tool["samples"]))


# --------------------------------------------------------------------------------------------------
# output: Markdown and SVG
# --------------------------------------------------------------------------------------------------


def fmt_s(value: float | None) -> str:
    return "—" if value is None else (f"{value:.3f}" if value < 1 else f"{value:.2f}")


def markdown(results: list[dict], meta: dict) -> str:
    fd = any(r["tools"].get("fawltydeps", {}).get("samples") for r in results) or meta["fawltydeps_enabled"]
    head = ["tree", "files", "depcheck cold s", "depcheck warm s", "deptry s"]
    head += ["fawltydeps s"] if fd else []
    head += ["cold/deptry", "warm/deptry", "peak RSS MB (cold / warm / deptry" + (" / fawltydeps)" if fd else ")")]
    rows = ["| " + " | ".join(head) + " |", "|" + "|".join("---" if i == 0 else "---:" for i in range(len(head))) + "|"]
    for r in results:
        t = r["tools"]
        cold, warm, dep = (t[k]["median_s"] if k in t else None for k in ("depcheck_cold", "depcheck_warm", "deptry"))
        mark = {k: "†" if crashed(t.get(k)) else "" for k in ("depcheck_cold", "depcheck_warm", "deptry", "fawltydeps")}
        mark["deptry"] = mark["deptry"] or ("‡" if t.get("deptry", {}).get("note") else "")
        cells = [r["tree"], str(r["files"]), fmt_s(cold) + mark["depcheck_cold"], fmt_s(warm) + mark["depcheck_warm"],
                 fmt_s(dep) + mark["deptry"]]
        if fd:
            f = t.get("fawltydeps", {})
            n = len([s for s in f.get("samples", []) if "crash" not in s])
            cells.append(f.get("note") or (fmt_s(f.get("median_s")) + mark["fawltydeps"]
                                           + (f" (n={n})" if n and n != meta["repeat"] else "")))
        ratio = lambda a, b: "—" if a is None or not b else f"{a / b:.2f}"  # noqa: E731
        cells += [ratio(cold, dep), ratio(warm, dep)]
        rss = [fmt_rss(t.get(k)) for k in ("depcheck_cold", "depcheck_warm", "deptry") + (("fawltydeps",) if fd else ())]
        cells.append(" / ".join(rss))
        rows.append("| " + " | ".join(cells) + " |")
    notes = []
    if any(crashed(t) for r in results for t in r["tools"].values()):
        notes.append("† every timed run of this tool crashed (see Failures); the time is up to the crash.")
    if any(r["tools"].get("deptry", {}).get("note") for r in results):
        notes.append("‡ deptry crashes on this whole tree; timed with the files that crash it excluded (see Failures).")
    rows += [""] + notes if notes else []
    rows += ["", "Throughput (files/s, from the medians):", "",
             "| tree | depcheck cold | depcheck warm | deptry" + (" | fawltydeps" if fd else "") + " |",
             "|---|---:|---:|---:" + ("|---:" if fd else "") + "|"]
    for r in results:
        t = r["tools"]
        keys = ("depcheck_cold", "depcheck_warm", "deptry") + (("fawltydeps",) if fd else ())
        cells = []
        for k in keys:
            m = t.get(k, {}).get("median_s")
            cells.append("—" if not m else f"{r['files'] / m:,.0f}")
        rows.append(f"| {r['tree']} | " + " | ".join(cells) + " |")
    return "\n".join(rows)


def fmt_rss(tool: dict | None) -> str:
    if not tool:
        return "—"
    m = median(tool.get("samples", []), "maxrss_mb")
    return "—" if m is None else f"{m:.0f}"


SERIES = [("depcheck_cold", "depcheck cold", "#d62728"), ("depcheck_warm", "depcheck warm", "#ff9896"),
          ("deptry", "deptry", "#1f77b4"), ("fawltydeps", "fawltydeps", "#2ca02c")]


def svg_plot(results: list[dict], meta: dict) -> str:
    """Log-log plot of median wall time against .py file count; synthetic sizes joined by lines,
    real trees as hollow markers."""
    W, H, L, R, T, B = 760, 480, 70, 190, 40, 55
    pts = [(r["files"], t["median_s"]) for r in results for t in r["tools"].values() if t.get("median_s")]
    if not pts:
        return '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40"><text x="5" y="25">no data</text></svg>'

    def nice(v: float, up: bool) -> float:
        """The nearest 1, 2 or 5 x 10^k at or beyond v."""
        e = math.floor(math.log10(v))
        steps = [m * 10.0 ** k for k in (e - 1, e, e + 1) for m in (1, 2, 5)]
        return min(x for x in steps if x >= v * 0.999) if up else max(x for x in steps if x <= v * 1.001)

    x0, x1 = nice(min(p[0] for p in pts), False), nice(max(p[0] for p in pts), True)
    y0, y1 = nice(min(p[1] for p in pts), False), nice(max(p[1] for p in pts), True)
    if x1 <= x0:
        x1 = x0 * 10
    if y1 <= y0:
        y1 = y0 * 10

    def sx(v: float) -> float:
        return L + (math.log10(v) - math.log10(x0)) / (math.log10(x1) - math.log10(x0)) * (W - L - R)

    def sy(v: float) -> float:
        return H - B - (math.log10(v) - math.log10(y0)) / (math.log10(y1) - math.log10(y0)) * (H - T - B)

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" viewBox="0 0 {W} {H}" '
           'font-family="sans-serif" font-size="12">',
           f'<rect width="{W}" height="{H}" fill="white"/>',
           f'<text x="{L}" y="22" font-size="15" font-weight="bold">Median whole-process wall time '
           f'against .py files (n={meta["repeat"]} interleaved runs)</text>']

    def ticks(lo: float, hi: float) -> list[tuple[float, bool]]:
        res = []
        for e in range(round(math.log10(lo)), round(math.log10(hi)) + 1):
            for m in (1, 2, 5):
                v = m * 10 ** e
                if lo <= v <= hi:
                    res.append((v, m == 1))
        return res

    def label(v: float) -> str:
        return f"{v:g}" if v < 1 else f"{v:,.0f}"

    for v, major in ticks(x0, x1):
        x = sx(v)
        out.append(f'<line x1="{x:.1f}" y1="{T}" x2="{x:.1f}" y2="{H - B}" stroke="{"#ccc" if major else "#eee"}"/>')
        out.append(f'<text x="{x:.1f}" y="{H - B + 16}" text-anchor="middle">{label(v)}</text>')
    for v, major in ticks(y0, y1):
        y = sy(v)
        out.append(f'<line x1="{L}" y1="{y:.1f}" x2="{W - R}" y2="{y:.1f}" stroke="{"#ccc" if major else "#eee"}"/>')
        out.append(f'<text x="{L - 6}" y="{y + 4:.1f}" text-anchor="end">{label(v)}</text>')
    out.append(f'<rect x="{L}" y="{T}" width="{W - L - R}" height="{H - T - B}" fill="none" stroke="#333"/>')
    out.append(f'<text x="{(L + W - R) / 2}" y="{H - 15}" text-anchor="middle">.py files (log scale)</text>')
    out.append(f'<text transform="translate(18,{(T + H - B) / 2}) rotate(-90)" text-anchor="middle">'
               "seconds, whole process (log scale)</text>")

    synth = sorted((r for r in results if r["kind"] == "synthetic"), key=lambda r: r["files"])
    real = [r for r in results if r["kind"] == "real"]
    legend_y = T + 10
    for key, name, colour in SERIES:
        line = [(r["files"], r["tools"][key]["median_s"]) for r in synth if r["tools"].get(key, {}).get("median_s")]
        dots = [(r["files"], r["tools"][key]["median_s"], r["tree"]) for r in real
                if r["tools"].get(key, {}).get("median_s")]
        if not line and not dots:
            continue
        if len(line) > 1:
            path = " ".join(f"{sx(a):.1f},{sy(b):.1f}" for a, b in line)
            out.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>')
        for a, b in line:
            out.append(f'<circle cx="{sx(a):.1f}" cy="{sy(b):.1f}" r="4" fill="{colour}">'
                       f"<title>{name}: {a} files, {b:.3f} s</title></circle>")
        for a, b, tree in dots:
            out.append(f'<rect x="{sx(a) - 4:.1f}" y="{sy(b) - 4:.1f}" width="8" height="8" fill="white" '
                       f'stroke="{colour}" stroke-width="2"><title>{name}: {tree}, {a} files, {b:.3f} s</title></rect>')
        out.append(f'<line x1="{W - R + 15}" y1="{legend_y}" x2="{W - R + 40}" y2="{legend_y}" stroke="{colour}" '
                   f'stroke-width="2"/><circle cx="{W - R + 27.5}" cy="{legend_y}" r="4" fill="{colour}"/>')
        out.append(f'<text x="{W - R + 46}" y="{legend_y + 4}">{name}</text>')
        legend_y += 20
    legend_y += 6
    out.append(f'<text x="{W - R + 15}" y="{legend_y}">● synthetic monorepos</text>')
    out.append(f'<text x="{W - R + 15}" y="{legend_y + 18}">□ real sdists:</text>')
    for i, r in enumerate(sorted(real, key=lambda r: r["files"])):
        out.append(f'<text x="{W - R + 25}" y="{legend_y + 36 + 16 * i}" font-size="11">{r["tree"]} ({r["files"]})</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------------------------------
# main
# --------------------------------------------------------------------------------------------------


def parse_size(text: str) -> tuple[int, int]:
    m = re.fullmatch(r"(\d+)x(\d+)", text.strip())
    if not m:
        raise argparse.ArgumentTypeError(f"size {text!r} is not PACKAGESxMODULES")
    return int(m.group(1)), int(m.group(2))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--work", type=Path, default=Path("~/.cache/depcheck-bench").expanduser(),
                    help="work directory for venvs, sdists, trees and logs (default: %(default)s)")
    ap.add_argument("--sizes", default=DEFAULT_SIZES,
                    help="synthetic sizes PACKAGESxMODULES, comma-separated ('' for none; default: %(default)s)")
    ap.add_argument("--packages", type=int, help="one synthetic size: packages (with --modules; replaces --sizes)")
    ap.add_argument("--modules", type=int, help="one synthetic size: .py files per package")
    ap.add_argument("--seed", type=int, default=0, help="generator seed (default: 0)")
    ap.add_argument("--real", default=",".join(REAL_TREES),
                    help=f"real sdists to fetch, comma-separated from {','.join(REAL_TREES)} ('' for none)")
    ap.add_argument("--repeat", type=int, default=5, help="timed repetitions per tool and tree (default: 5)")
    ap.add_argument("--no-fawltydeps", action="store_true", help="do not install or time fawltydeps")
    ap.add_argument("--fawltydeps-budget", type=float, default=60.0,
                    help="if one fawltydeps run takes longer than this many seconds, keep that single run "
                         "and skip fawltydeps on all larger trees (default: %(default)s)")
    ap.add_argument("--timeout", type=float, default=900.0, help="kill any single run after this many seconds")
    ap.add_argument("--depcheck", default=str(Path(sys.executable).parent / "depcheck"),
                    help="depcheck executable (default: next to this interpreter)")
    ap.add_argument("--depcheck-live", action="store_true",
                    help="measure the working tree as installed (default: a git-archive snapshot of HEAD, so "
                         "concurrent edits cannot change the code under test mid-run)")
    ap.add_argument("--json", type=Path, help="write the raw timings here")
    ap.add_argument("--plot", type=Path, help="write an SVG of time against file count here")
    ap.add_argument("--generate-only", action="store_true", help="only build the trees and print their paths")
    args = ap.parse_args(argv)

    def log(msg: str) -> None:
        print(msg, file=sys.stderr, flush=True)

    work = args.work.expanduser().resolve()
    repo = Path(__file__).resolve().parent.parent
    if work == repo or repo in work.parents:
        raise SystemExit(f"--work {work} is inside the repository; pick a directory outside it")
    (work / "xdg").mkdir(parents=True, exist_ok=True)
    (work / "logs").mkdir(parents=True, exist_ok=True)

    if args.packages or args.modules:
        if not (args.packages and args.modules):
            raise SystemExit("--packages and --modules go together")
        sizes = [(args.packages, args.modules)]
    else:
        sizes = [parse_size(s) for s in args.sizes.split(",") if s.strip()]
    for p, m in sizes:
        if not (1 <= p <= MAX_PACKAGES and 1 <= m <= MAX_MODULES):
            raise SystemExit(f"size {p}x{m}: at most {MAX_PACKAGES} packages x {MAX_MODULES} modules")
    real = [k.strip().lower() for k in args.real.split(",") if k.strip()]
    for k in real:
        if k not in REAL_TREES:
            raise SystemExit(f"unknown real tree {k!r}; choose from {', '.join(REAL_TREES)}")

    failures: list[str] = []
    trees: list[dict] = []
    log("preparing trees")
    for p, m in sizes:
        t0 = time.perf_counter()
        path = synth_tree(work, p, m, args.seed)
        trees.append({"tree": f"synthetic {p}x{m}", "kind": "synthetic", "path": path, "size": [p, m], "key": ""})
        log(f"  synthetic {p}x{m}: {path} ({time.perf_counter() - t0:.1f} s)")
    for k in real:
        try:
            path = real_tree(work, k, log)
        except Exception as exc:  # a failed download skips that tree, reported at the end
            failures.append(f"{k}: {exc}")
            log(f"  {k}: FAILED {exc}")
            continue
        dist, version = REAL_TREES[k]
        trees.append({"tree": f"{dist} {version}", "kind": "real", "path": path, "key": k})
        log(f"  {dist} {version}: {path}")
    for t in trees:
        t["files"] = count_py(t["path"])
    trees.sort(key=lambda t: t["files"])
    if args.generate_only:
        for t in trees:
            print(f"{t['path']}\t{t['files']} .py files")
        return 0

    use_fd = not args.no_fawltydeps
    log("preparing tools")
    peers = ensure_peers(work, use_fd, log)
    depcheck_python = str(Path(args.depcheck).parent / "python")
    if not Path(depcheck_python).exists():
        depcheck_python = sys.executable
    if args.depcheck_live:
        dc_env, dc_desc = {}, git_describe(depcheck_source_digest(depcheck_python)[0]) + ", live files"
    else:
        dc_env, dc_desc = snapshot_depcheck(work, depcheck_python, log)
    help_text = subprocess.run([args.depcheck, "check", "--help"], capture_output=True, text=True,
                               env={**os.environ, **dc_env}).stdout
    has_no_cache = "--no-cache" in help_text
    pkg_dir, digest_before = depcheck_source_digest(depcheck_python, dc_env)
    deptry_excludes = []
    for d in SKIP_DIRS:
        deptry_excludes += ["-e", rf"(.*/)?{re.escape(d)}(/|$)"]
    base = [args.depcheck, "check", ".", "--quiet"]
    tools = [
        Tool("depcheck_cold", "depcheck cold", base + (["--no-cache"] if has_no_cache else []), (0, 1),
             env={**dc_env, "XDG_CACHE_HOME": str(work / "xdg" / "cold")}, fresh_cache=not has_no_cache),
        Tool("depcheck_warm", "depcheck warm", base, (0, 1),
             env={**dc_env, "XDG_CACHE_HOME": str(work / "xdg" / "warm")}),
        Tool("deptry", "deptry", [str(peers / "deptry"), ".", "--no-ansi", *deptry_excludes], (0, 1)),
    ]
    fd_tool = Tool("fawltydeps", "fawltydeps", [str(peers / "fawltydeps"), "--check", "."], (0, 3, 4))
    meta = {
        "command": shlex.join([sys.executable, *sys.argv]),
        "repeat": args.repeat,
        "seed": args.seed,
        "machine": machine_info(),
        "versions": {
            "depcheck": f"{capture([args.depcheck, '--version'], dc_env)}, {dc_desc}",
            "deptry": capture([str(peers / "deptry"), "--version"]),
            "fawltydeps": capture([str(peers / "fawltydeps"), "--version"]) if use_fd else "not run",
            "depcheck_python": capture([depcheck_python, "--version"]),
        },
        "depcheck_has_no_cache_flag": has_no_cache,
        "fawltydeps_enabled": use_fd,
        "fawltydeps_budget_s": args.fawltydeps_budget,
        "argv": {t.key: t.argv for t in tools + [fd_tool]},
    }
    log(f"depcheck: {meta['versions']['depcheck']}; --no-cache {'present' if has_no_cache else 'absent'}")

    meta["loadavg_start"] = os.getloadavg()
    results: list[dict] = []
    fd_stopped: str | None = None
    started = time.perf_counter()
    for t in trees:
        tree = t["path"]
        log(f"{t['tree']} ({t['files']} .py files)")
        record = {"tree": t["tree"], "kind": t["kind"], "path": str(tree), "files": t["files"], "tools": {}}
        results.append(record)
        active = list(tools)
        record["notes"] = []
        workaround = DEPTRY_WORKAROUNDS.get(t["key"])
        requirements = setup_cfg_requirements(tree, work)
        if requirements:
            tools_here = list(tools)
            tools_here[2] = replace(tools[2], argv=tools[2].argv + ["-rf", str(requirements)])
            record["notes"].append(f"{t['tree']}: deptry does not read setup.cfg; it was given setup.cfg's "
                                   f"install_requires as `-rf {requirements}`")
        else:
            tools_here = tools
        if workaround:
            active[2] = replace(tools_here[2], argv=tools_here[2].argv + [a for w in workaround for a in ("-e", w)])
        else:
            active[2] = tools_here[2]
        for tool in active:
            record["tools"][tool.key] = {"argv": tool.argv, "samples": []}
        # Untimed warm-up: OS page cache for every tool, and depcheck's scan cache for the warm runs.
        for tool in (tools_here[1], tools_here[2]):
            s = run_once(tool, tree, work, args.timeout)
            log(f"  warm-up {tool.label}: {s['wall_s']:.2f} s, exit {s['exit']}")
            if "crash" not in s:
                continue
            if tool.key == "deptry" and workaround:
                why = s_tail(tool, tree, work)
                s = run_once(active[2], tree, work, args.timeout)
                record["tools"]["deptry"]["note"] = f"crashes on the full tree ({why}); timed runs exclude {workaround}"
                failures.append(f"{t['tree']}: deptry crashes on the whole tree ({why}); "
                                f"timed runs exclude {' '.join(workaround)}"
                                + ("" if "crash" not in s else f", and it still crashes: {s['crash']}"))
                log(f"  warm-up deptry with workaround: {s['wall_s']:.2f} s, exit {s['exit']}")
            else:
                failures.append(f"{t['tree']}: {tool.label} warm-up crashed: {s['crash']}")
        if use_fd:
            fd = record["tools"]["fawltydeps"] = {"argv": fd_tool.argv, "samples": []}
            if fd_stopped:
                fd["note"] = "skipped"
            else:
                s = run_once(fd_tool, tree, work, args.timeout)  # timed probe
                log(f"  probe fawltydeps: {s['wall_s']:.2f} s, exit {s['exit']}")
                if "crash" in s:
                    failures.append(f"{t['tree']}: fawltydeps crashed: {s['crash']}")
                    fd["samples"].append(s)
                elif s["wall_s"] > args.fawltydeps_budget:
                    fd["samples"].append(s)  # the one run we keep on this tree
                    fd_stopped = t["tree"]
                    log(f"  fawltydeps over {args.fawltydeps_budget:.0f} s/run: this single run is kept, "
                        "larger trees skip it")
                else:
                    active.append(fd_tool)
        for rep in range(args.repeat):
            line = []
            for tool in active:  # interleaved: every tool once per repetition
                s = run_once(tool, tree, work, args.timeout)
                s["repetition"] = rep
                record["tools"][tool.key]["samples"].append(s)
                if "crash" in s:
                    failures.append(f"{t['tree']} rep {rep}: {tool.label} crashed: {s['crash']}")
                line.append(f"{tool.label} {s['wall_s']:.2f}s")
            log(f"  rep {rep + 1}/{args.repeat}: " + ", ".join(line))
        for info in record["tools"].values():
            info["median_s"] = median(info["samples"])
            info["median_maxrss_mb"] = median(info["samples"], "maxrss_mb")
            info["exit_codes"] = sorted({s["exit"] for s in info["samples"]})
            info["output_lines"] = info["samples"][0]["output_lines"] if info["samples"] else None
    meta["elapsed_s"] = round(time.perf_counter() - started, 1)
    meta["loadavg_end"] = os.getloadavg()
    _, digest_after = depcheck_source_digest(depcheck_python, dc_env)
    meta["depcheck_source_digest"] = [digest_before, digest_after]
    if digest_after != digest_before:
        failures.append("depcheck's source changed while the benchmark ran: its numbers mix two versions")
    meta["failures"] = failures

    table = markdown(results, meta)
    m = meta["machine"]
    print(table)
    print()
    print(f"Machine: {m['nproc']} CPUs ({m['cpu']}), {m['memory']} RAM, {m['os']}, Python {m['python']}; "
          f"1-min load average {meta['loadavg_start'][0]:.2f} at start, {meta['loadavg_end'][0]:.2f} at end")
    print("Tools: " + "; ".join(f"{k} {v}" for k, v in meta["versions"].items() if k != "depcheck_python"))
    print(f"Cold = {'`--no-cache`' if has_no_cache else 'empty XDG_CACHE_HOME (no --no-cache flag)'}; "
          f"median of {args.repeat} interleaved runs; benchmark took {meta['elapsed_s']:.0f} s.")
    for note in (n for r in results for n in r.get("notes", [])):
        print(f"Note: {note}")
    if fd_stopped:
        print(f"fawltydeps: over {args.fawltydeps_budget:.0f} s per run on {fd_stopped}: one run kept there, "
              "skipped on larger trees.")
    print(f"Command: {meta['command']}")
    if failures:
        print("\nFailures:")
        for f in failures:
            print(f"- {f}")
    if args.json:
        payload = {"meta": meta, "results": results}
        args.json.write_text(json.dumps(payload, indent=2, default=str) + "\n")
        log(f"raw timings: {args.json}")
    if args.plot:
        args.plot.write_text(svg_plot(results, meta))
        log(f"plot: {args.plot}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
