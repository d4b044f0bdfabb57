"""DC3xx: what the code imports against what the manifests declare."""

from __future__ import annotations

from functools import lru_cache
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from packaging.utils import canonicalize_name

from depcheck.checks.base import Rule, evidence_of, remove_intent
from depcheck.checks.context import declared, runtime_sets
from depcheck.model import Applicability, Evidence, Fix, SetKind, Severity, Span

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from depcheck.checks.context import Code, Knowledge
    from depcheck.model import Diagnostic, Project
    from depcheck.scan import FileScan, Import


class MissingDependency(Rule):
    """
    ## What it does
    Reports a third-party module that the code imports while no dependency set
    of the project declares the distribution that provides it. Import names are
    mapped to distributions without an installed environment (`yaml` is
    PyYAML, `PIL` is Pillow, `cv2` is any of the opencv-python variants), and
    with the packages of `--python` when given. Standard-library modules are
    judged against the project's `requires-python` (`tomllib` needs `tomli`
    below 3.11). Imports under `if TYPE_CHECKING:` and inside
    `try: ... except ImportError:` are not required. One finding per
    distribution, at its first import; the others are listed as evidence.

    ## Why is this bad?
    It works on the machine where the package happens to be installed and
    fails with `ModuleNotFoundError` everywhere else: in CI, in the Docker
    image, on a colleague's laptop.

    ## Example
    ```python
    import yaml  # PyYAML is declared nowhere
    ```

    ## Fix
    Declare the distribution in the runtime dependencies (or, for tests and
    tooling, in a dev group).

    ## References
    - https://packaging.python.org/en/latest/specifications/dependency-specifiers/
    """

    code = "DC301"
    name = "missing-dependency"
    severity = Severity.ERROR
    summary = "a third-party module is imported but no set declares its distribution"


class UnusedDependency(Rule):
    """
    ## What it does
    Reports a declared runtime dependency that no code imports and nothing
    uses otherwise. Not reported: drivers loaded through a URL or settings
    string (`postgresql+psycopg://` uses psycopg), companions the knowledge
    base knows (greenlet for SQLAlchemy's asyncio), servers and command-line
    tools that are run rather than imported (uvicorn, gunicorn, hypercorn,
    daphne, alembic when the repository has migrations), type stubs, pytest
    plugins, and anything in dev groups. Pinned and generated requirements
    files hold transitive pins by design and are not checked.

    ## Why is this bad?
    Every install downloads it, every security advisory for it pages you, and
    it hides which package the code really needs (the facteur incident had an
    unused `asyncpg` next to the `psycopg` the URL really loaded).

    ## Example
    ```toml
    dependencies = ["asyncpg"]  # the code connects with postgresql+psycopg://
    ```

    ## Fix
    Remove it, or add `# depcheck: ignore[DC302]` with the reason when it is
    used in a way depcheck cannot see (a plugin loaded by entry point).

    ## References
    - https://deptry.com/rules-violations/#unused-dependencies-dep002
    """

    code = "DC302"
    name = "unused-dependency"
    severity = Severity.WARNING
    summary = "a declared runtime dependency is never imported nor used through a URL, plugin or CLI"


class TransitiveDependency(Rule):
    """
    ## What it does
    Reports an imported module whose distribution is not declared but is in
    the project's lock file (uv.lock, poetry.lock, pylock.toml) as a
    dependency of something else.

    ## Why is this bad?
    It is installed today only because another package needs it; the day that
    package drops it, the import fails.

    ## Example
    ```python
    import anyio  # arrives with httpx, declared nowhere
    ```

    ## Fix
    Declare it with the range the code needs.

    ## References
    - https://deptry.com/rules-violations/#transitive-dependencies-dep003
    """

    code = "DC303"
    name = "transitive-dependency"
    severity = Severity.WARNING
    summary = "a module is imported whose distribution arrives only transitively"


class MisplacedDependency(Rule):
    """
    ## What it does
    Reports runtime code (not tests, docs, examples or scripts) that imports a
    package declared only in a dev group, dev extra or dev requirements file.

    ## Why is this bad?
    Production installs skip dev dependencies; the import fails there and
    nowhere else.

    ## Example
    ```python
    # app/serializers.py
    import orjson  # declared only in [dependency-groups] dev
    ```

    ## Fix
    Move the requirement to the runtime dependencies, or move the import into
    dev-only code.

    ## References
    - https://deptry.com/rules-violations/#misplaced-dev-dependencies-dep004
    """

    code = "DC304"
    name = "misplaced-dependency"
    severity = Severity.WARNING
    summary = "runtime code imports a package declared only in a dev/test group or extra"


RULES = (MissingDependency, UnusedDependency, TransitiveDependency, MisplacedDependency)

# Run, not imported: servers, process managers, CLIs and agents.
RUN_NOT_IMPORTED = frozenset(
    {
        "uvicorn", "gunicorn", "hypercorn", "daphne", "granian", "waitress", "uwsgi", "pyuwsgi", "supervisor",
        "honcho", "circus", "flower", "newrelic", "ddtrace", "scout-apm", "elastic-apm", "watchfiles",
        "gevent", "eventlet", "uvloop", "httptools", "websockets", "wsproto", "python-multipart",
        "black", "ruff", "isort", "flake8", "pylint", "mypy", "pre-commit", "tox", "nox", "coverage",
        "pytest", "setuptools", "wheel", "pip", "build", "twine", "hatchling", "poetry-core", "flit-core",
        "gunicorn-worker", "celery-exporter", "dumb-init", "awscli", "ansible", "tzdata", "mkdocs",
        "mkdocs-material", "zensical", "sphinx", "furo", "myst-parser", "pydata-sphinx-theme", "jupyter",
        "jupyterlab", "notebook", "ipykernel", "ipython", "debugpy", "py-spy", "memray", "pyinstrument",
    }
)  # fmt: skip
# Run by the build backend, which brings what they import ([build-system] requires).
_BUILD_SCRIPTS = frozenset({"setup.py", "build.py", "hatch_build.py", "_build.py"})
_PLUGIN_PREFIXES = ("pytest-", "flake8-", "types-", "mkdocs-", "mkdocstrings", "sphinx-", "sphinxcontrib-", "pre-commit-")


def _exempt(name: str) -> bool:
    return name in RUN_NOT_IMPORTED or name.startswith(_PLUGIN_PREFIXES) or name.endswith("-stubs")


def check(project: Project, code: Code, knowledge: Knowledge, projects: Iterable[Project] = ()) -> Iterator[Diagnostic]:
    if not code.scans:
        return
    _provider_cache.clear()  # answers depend on this project's declarations
    from depcheck.stdlib import stdlib_for_imports, was_ever_stdlib

    workspace_root = [p for p in projects if project.workspace and p.root == project.workspace and p is not project]
    visible_sets = [s for p in (project, *workspace_root) for s in p.sets if not s.is_lock and s.kind is not SetKind.CONSTRAINT]
    runtime_files = any(s.is_file and s.kind is SetKind.RUNTIME and s.requirements for s in project.sets)
    if (project.dependencies_unknown and not runtime_files) or not any(s.requirements for s in project.sets if not s.is_lock):
        return  # nothing declared (or declared where depcheck cannot read it): nothing to hold the code to
    all_declared = declared(visible_sets)
    for name in project.tool_declared:
        all_declared.setdefault(name, [])  # tox.ini deps: declared for the tests
    runtime_declared = declared([s for s in visible_sets if s.kind is not SetKind.DEV])
    locked = {pkg.name for p in (project, *workspace_root) for lock in p.locks for pkg in lock.packages}
    locked |= {r.name for s in (*project.sets, *(s for p in workspace_root for s in p.sets)) if s.is_lock for r in s.requirements}
    standard = stdlib_for_imports(project.requires_python)

    prefix = "" if project.root == "." else project.root + "/"
    build_scripts = {s.path for s in code.scans if s.path.startswith(prefix) and s.path[len(prefix) :] in _BUILD_SCRIPTS}

    # DC301 / DC303 / DC304: one finding per distribution, at its first import.
    missing: dict[str, list[tuple[FileScan, Import]]] = {}
    misplaced: dict[str, list[tuple[FileScan, Import]]] = {}
    used: set[str] = set()
    tops: dict[str, str] = {}  # module -> its top-level name
    skipped: set[str] = set()  # modules that are the standard library's or the project's own everywhere
    own_tops = code.first_party.top_level
    for scan in code.scans:
        # A package imported inside `try/except ImportError` anywhere in a file is
        # optional in all of that file (`if markdown is not None: from markdown...`).
        optional_tops = {i.module.split(".", 1)[0] for i in scan.imports if i.optional}
        in_tests = scan.path in code.dev_files
        checked = scan.path not in code.unchecked_files and scan.path not in build_scripts
        for found in scan.imports:
            if found.level or not found.module:
                continue
            top = tops.get(found.module)
            if top is None:  # worked out once per module: the same ones recur in every file
                top = tops[found.module] = found.module.split(".", 1)[0]
                if top in ("__future__", "__main__") or top in standard or top in own_tops:
                    skipped.add(found.module)
            if found.module in skipped:
                continue
            if code.first_party.owns(found.module, scan.path, anywhere=in_tests or not checked):
                continue
            dists = _providers(found, knowledge, all_declared)
            used.update(dists)
            if not checked or found.type_checking or found.optional or top in optional_tops:
                continue
            if found.function_level:
                continue  # deferred into a function: optional by design (an integration, a skip-guarded test)
            if _integration(scan.path, top) or (
                was_ever_stdlib(top) and not any(d in all_declared for d in dists)
            ):
                continue  # celery/contrib/pytest.py imports pytest; `import imp` has no distribution
            if code.first_party.owns(found.module, scan.path, anywhere=True):
                continue  # a sys.path trick (PyInstaller's frozen loader modules)
            if any(d in all_declared or d in project.first_party for d in dists):
                if (
                    not in_tests
                    and not found.function_level
                    and not any(d in runtime_declared or d in project.first_party for d in dists)
                ):
                    misplaced.setdefault(dists[0], []).append((scan, found))
                continue
            missing.setdefault(dists[0], []).append((scan, found))

    for dist, sites in sorted(missing.items()):
        scan, found = sites[0]
        candidates = _providers(found, knowledge, all_declared)
        transitive = any(d in locked for d in candidates)
        rule = TransitiveDependency if transitive else MissingDependency
        where = "runtime dependencies" if scan.path not in code.dev_files else "dev dependencies"
        also = f" (and {len(sites) - 1} more)" if len(sites) > 1 else ""
        provider = " or ".join(f"`{c}`" for c in candidates)
        message = (
            f"`{found.module}` is imported here{also} but {provider} arrives only through another package in the lock"
            if transitive
            else f"`{found.module}` is imported here{also} but no dependency set declares {provider}"
        )
        yield rule.diagnostic(
            message=message,
            span=Span(path=scan.path, line=found.line, column=found.column),
            package=dist,
            line_text=found.text,
            evidence=tuple(Evidence(path=s.path, line=f.line, text=f.text) for s, f in sites[1:6]),
            fix=Fix(description=f"Declare `{candidates[0] if candidates else dist}` in the project's {where}", applicability=Applicability.DISPLAY_ONLY),
        )
    for dist, sites in sorted(misplaced.items()):
        scan, found = sites[0]
        dev_reqs = all_declared.get(dist) or []
        where = f"{dev_reqs[0].span.path}:{dev_reqs[0].span.line}" if dev_reqs else "tox.ini"
        yield MisplacedDependency.diagnostic(
            message=f"`{found.module}` is imported by runtime code but `{dist}` is declared only for development ({where})",
            span=Span(path=scan.path, line=found.line, column=found.column),
            package=dist,
            line_text=found.text,
            evidence=(
                *(evidence_of(r) for r in dev_reqs[:1]),
                *(Evidence(path=s.path, line=f.line, text=f.text) for s, f in sites[1:5]),
            ),
            fix=Fix(
                description=f"Move `{dev_reqs[0].text if dev_reqs else dist}` to the runtime dependencies",
                applicability=Applicability.DISPLAY_ONLY,
            ),
        )

    # DC302: declared for runtime, used by nothing.
    judged = code.dev_files | code.unchecked_files | build_scripts
    if all(scan.path in judged for scan in code.scans):
        return  # no runtime code to judge by
    used |= _used_otherwise(project, code, knowledge, all_declared)
    from depcheck.pairing import is_pinned

    # Extras are opt-in integrations, often with packages the library patches by
    # name rather than imports (opentelemetry's `instruments` extras): not judged.
    for dep_set in (s for s in runtime_sets(project) if s.kind is SetKind.RUNTIME):
        if dep_set.is_file and is_pinned(dep_set):
            continue  # a hand-made lock: transitive pins belong there
        for requirement in dep_set.requirements:
            name = requirement.name
            if name in used or _exempt(name) or name in project.first_party or requirement.url is not None:
                continue
            yield UnusedDependency.about(
                requirement,
                message=f"`{requirement.display_name}` is declared in {dep_set.label} but no code imports it or uses it through a URL, setting or command",
                fix=f"Remove `{requirement.text}` from {dep_set.label}",
                applicability=Applicability.UNSAFE,
                intent=remove_intent(requirement),
            )


def _integration(path: str, top: str) -> bool:
    """A module named after the package it imports is that package's integration
    (`celery/contrib/pytest.py`, `sentry_sdk/integrations/django/__init__.py`),
    loaded only where that package is installed."""
    return _module_name(path) == top.lower()


@lru_cache(maxsize=8192)
def _module_name(path: str) -> str:
    """The name a file is imported by, lowercased: its stem, or its folder's for an `__init__`."""
    file = PurePosixPath(path)
    return (file.parent.name if file.stem == "__init__" else file.stem).lower()


@lru_cache(maxsize=4096)
def _tokens(name: str) -> frozenset[str]:
    return frozenset(t for t in name.lower().replace("_", "-").replace(".", "-").split("-") if t)


def _providers(found: Import, knowledge: Knowledge, declared_names: dict[str, list]) -> tuple[str, ...]:
    """Memoised within one project's check (`check` clears it): the same imports recur in every file."""
    key = (found.module, found.names)
    cached = _provider_cache.get(key)
    if cached is None:
        cached = _provider_cache[key] = _find_providers(found, knowledge, declared_names)
    return cached


_provider_cache: dict[tuple[str, tuple[str, ...]], tuple[str, ...]] = {}


def _find_providers(found: Import, knowledge: Knowledge, declared_names: dict[str, list]) -> tuple[str, ...]:
    """The distributions that may provide an import.

    `from google.cloud import storage` is `google.cloud.storage`. A module the map
    does not know is matched against the declared distributions by name: every
    word of `strawberry` is in `strawberry-graphql`, of `taggit` in
    `django-taggit`, of `social_core` in `social-auth-core`.
    """
    modules = knowledge.modules
    module = found.module
    for name in found.names:
        if modules.known(f"{module}.{name}"):
            module = f"{module}.{name}"
            break
    # Stubs (types-urllib3, pandas-stubs) are never what runs an import.
    found_dists = modules.distributions(module)
    dists = tuple(d for d in found_dists if not (d.startswith("types-") or d.endswith("-stubs"))) or (
        canonicalize_name(module.split(".", 1)[0]),  # only stubs known: the runtime package has the module's name
    )
    if modules.known(module) or any(d in declared_names for d in dists):
        return dists
    top = module.split(".", 1)[0]
    guesses = tuple(sorted(d for d in declared_names if _could_provide(top, d)))
    return guesses or dists


@lru_cache(maxsize=65536)
def _could_provide(module: str, distribution: str) -> bool:
    """`strawberry` ~ strawberry-graphql, `social_core` ~ social-auth-core, `phonenumbers` ~ phonenumberslite."""
    if distribution.startswith("types-") or distribution.endswith("-stubs"):
        return False  # stubs run nothing
    if _tokens(module) <= _tokens(distribution):
        return True
    squashed = module.lower().replace("_", "")
    return len(squashed) >= 4 and squashed in distribution.replace("-", "")


def _used_otherwise(project: Project, code: Code, knowledge: Knowledge, declared_names: dict[str, list]) -> set[str]:
    """Distributions used without an import: URL/settings drivers, companions, migrations tools."""
    from depcheck.checks.companions import uses

    used: set[str] = set()
    for entry in knowledge.entries:
        requires = [_name(r) for r in entry.data.get("requires", {}).get("packages", [])]
        bringers = [_name(r) for r in entry.data.get("satisfied-by", {}).get("requirements", [])]
        if entry.data.get("kind") == "driver":
            if uses(entry, code):
                used.update(requires)
                used.update(bringers)
        elif _name(entry.package) in declared_names:
            used.update(requires)  # a companion of a declared package
    if _has_migrations(project, code):
        used.add("alembic")
    # Modules named in settings: INSTALLED_APPS = ["corsheaders"], a CACHES BACKEND...
    tops = {hit.value.split(".", 1)[0] for scan in code.scans for hit in scan.strings if hit.kind == "setting"}
    runnable = [d for d in declared_names if not (d.startswith("types-") or d.endswith("-stubs"))]
    for top in tops:
        dists = knowledge.modules.distributions(top)
        if not any(d in declared_names for d in dists):
            dists = tuple(d for d in runnable if _could_provide(top, d)) or dists
        used.update(dists)
    return used


def _has_migrations(project: Project, code: Code) -> bool:
    for scan in code.scans:
        if "alembic" not in scan.path and "migrations" not in scan.path:
            continue
        parts = scan.path.split("/")
        if parts[-1] == "env.py" and ("alembic" in parts or "migrations" in parts):
            return True
        if "versions" in parts and "alembic" in parts:
            return True
    return False


@lru_cache(maxsize=None)
def _name(requirement: str) -> str:
    from packaging.requirements import InvalidRequirement, Requirement
    from packaging.utils import canonicalize_name

    try:
        return canonicalize_name(Requirement(requirement).name)
    except InvalidRequirement:
        return canonicalize_name(requirement)
