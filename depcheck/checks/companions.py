"""DC2xx: hidden needs — features that need a package their own package does not always install."""

from __future__ import annotations

from typing import TYPE_CHECKING

from packaging.requirements import InvalidRequirement
from packaging.requirements import Requirement as PkgRequirement
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.utils import canonicalize_name

from depcheck import markers
from depcheck.checks.base import Rule
from depcheck.checks.context import declared, runtime_sets
from depcheck.model import Applicability, Evidence, Fix, SetKind, Severity, Span

if TYPE_CHECKING:
    from collections.abc import Iterator

    from depcheck.checks.context import Code, Knowledge
    from depcheck.kb import Entry
    from depcheck.model import DependencySet, Diagnostic, Project, Requirement


class MissingCompanion(Rule):
    """
    ## What it does
    Reports a dependency set that describes a runtime environment, declares a
    package, and runs code that uses a feature of that package which needs
    another package the set does not guarantee — on every platform and Python
    the project supports. The needs come from the knowledge base
    (`depcheck rules` lists them; `rules/README.md` documents the format).

    The headline case: code that uses SQLAlchemy's asyncio extension
    (`sqlalchemy.ext.asyncio`, `create_async_engine`, an async driver URL)
    needs `greenlet`. SQLAlchemy 1.4.23–2.0.x declares greenlet only on some
    machines (x86_64 and aarch64 Linux/Windows/macOS-x86, and not on every
    CPython), so `pip install sqlalchemy` on Apple silicon, Windows ARM64 or
    musl leaves it out; SQLAlchemy 2.1+ never installs it. A set is satisfied
    only by `SQLAlchemy[asyncio]` or an explicit, unconditional `greenlet`.

    Not the same as `sqlalchemy.exc.MissingGreenlet` ("greenlet_spawn has not
    been called; can't call await_only() here"): that error means greenlet
    *is* installed and the code did implicit I/O outside an async context
    (a lazy load in async code) — a usage bug this rule cannot see and does
    not report. Without greenlet, SQLAlchemy raises `ImportError: The
    SQLAlchemy asyncio module requires that the Python 'greenlet' library is
    installed` (2.1 at import, 2.0 at the first connect) or `ValueError: the
    greenlet library is required to use this function`.

    ## Why is this bad?
    The application works where the companion happens to be installed (the
    developer's x86_64 laptop, an old lock) and fails in production with a
    runtime error far from the manifest that caused it.

    ## Example
    ```text
    # requirements.txt
    SQLAlchemy>=2.0
    # app/database.py
    from sqlalchemy.ext.asyncio import create_async_engine
    ```

    ## Fix
    Use the extra that brings the companion (`SQLAlchemy[asyncio]>=2.0`), or
    declare it (`greenlet>=3`), in every runtime set.

    ## References
    - https://docs.sqlalchemy.org/en/20/faq/installation.html#installing-greenlet
    - https://github.com/sqlalchemy/sqlalchemy/issues/12145
    """

    code = "DC201"
    name = "missing-companion"
    severity = Severity.ERROR
    summary = "code uses a feature that needs a package (or extra) the set does not guarantee"


class MissingDriver(Rule):
    """
    ## What it does
    Reports a database or broker URL (`postgresql+psycopg://`,
    `mysql+pymysql://`, `redis://` for Celery) or a settings string (Django's
    `ENGINE = "django.db.backends.postgresql"`) in the code that names a
    driver no dependency set of the project declares.

    ## Why is this bad?
    The driver is loaded by name at run time, so nothing fails until the first
    connection: `NoSuchModuleError: Can't load plugin: sqlalchemy.dialects:...`,
    `ModuleNotFoundError: No module named 'psycopg'`, or Django's
    `ImproperlyConfigured: Error loading psycopg2 or psycopg module`.

    ## Example
    ```python
    engine = create_engine("mysql+pymysql://app@db/app")  # PyMySQL declared nowhere
    ```

    ## Fix
    Declare the driver the URL names.

    ## References
    - https://docs.sqlalchemy.org/en/20/core/engines.html#supported-databases
    - https://docs.djangoproject.com/en/stable/ref/databases/
    """

    code = "DC203"
    name = "missing-driver"
    severity = Severity.ERROR
    summary = "a database/broker URL or settings string names a driver that no set declares"


RULES = (MissingCompanion, MissingDriver)


_Site = tuple[str, int, str, bool]  # (path, line, text, runtime?): an Evidence is made only for what an entry asks
_Group = tuple[str, tuple[str, ...]]  # (module, names) of an import
# (group -> where, module prefix -> groups, (module prefix, name) -> groups)
_Imports = tuple[dict[_Group, list[_Site]], dict[str, list[_Group]], dict[tuple[str, str], list[_Group]]]


class _Index:
    """What the code uses, looked up by what entries detect: built once per project.

    Imports are grouped by (module, names) first: the same ones recur in every
    file, and their lookup keys are worked out once per group.
    """

    def __init__(self, code: Code) -> None:
        self.code = code
        self.strings: dict[tuple[str, str], list[_Site]] = {}  # (kind, value) -> where
        for scan in code.scans:
            if scan.path in code.unchecked_files:
                continue
            runtime = scan.path not in code.dev_files
            for hit in scan.strings:
                self.strings.setdefault((hit.kind, hit.value), []).append((scan.path, hit.line, hit.text, runtime))
        self._imports: _Imports | None = None  # built on the first import query

    def imports(self) -> _Imports:
        if self._imports is None:
            code = self.code
            sites: dict[_Group, list[_Site]] = {}
            for scan in code.scans:
                if scan.path in code.unchecked_files:
                    continue
                runtime = scan.path not in code.dev_files
                for item in scan.imports:
                    if item.level or item.type_checking or item.optional:
                        continue  # code that handles the ImportError has no hidden need
                    sites.setdefault((item.module, item.names), []).append((scan.path, item.line, item.text, runtime))
            prefixes: dict[str, list[_Group]] = {}
            names: dict[tuple[str, str], list[_Group]] = {}
            for group in sites:
                group_prefixes, pairs = _keys(*group)
                for prefix in group_prefixes:
                    prefixes.setdefault(prefix, []).append(group)
                for pair in pairs:
                    names.setdefault(pair, []).append(group)
            self._imports = (sites, prefixes, names)
        return self._imports


def _keys(module: str, names: tuple[str, ...]) -> tuple[list[str], list[tuple[str, str]]]:
    """Index keys of `from module import names`: each dotted prefix (and module.name), each (prefix, name)."""
    parts = module.split(".")
    prefixes = [".".join(parts[:n]) for n in range(1, len(parts) + 1)]
    return (
        sorted({*prefixes, *(f"{module}.{name}" for name in names)}),
        [(prefix, name) for prefix in prefixes for name in names],
    )


_indexes: dict[int, tuple[Code, _Index]] = {}


def _index(code: Code) -> _Index:
    cached = _indexes.get(id(code))
    if cached is None or cached[0] is not code:
        if len(_indexes) > 64:
            _indexes.clear()
        cached = _indexes[id(code)] = (code, _Index(code))
    return cached[1]


def evidence(entry: Entry, code: Code, *, runtime_only: bool = False) -> list[Evidence]:
    """Where the code uses what `entry` detects, in file order.

    `runtime_only`: leave out tests as well as docs, examples and scripts (a
    companion is needed where the application runs, not where its tests do).
    """
    index = _index(code)
    detect = entry.data.get("detect", {})
    hits: list[_Site] = []
    if detect.get("imports") or detect.get("names"):
        sites, prefixes, names = index.imports()
        for module in detect.get("imports", ()):
            for group in prefixes.get(module, ()):
                hits += sites[group]
        for item in detect.get("names", ()):
            if ":" in item:
                module, name = item.split(":", 1)
                for group in names.get((module, name), ()):
                    hits += sites[group]
    for name in detect.get("calls", ()):
        hits += index.strings.get(("call", name), ())
    for scheme in detect.get("url-schemes", ()):
        hits += index.strings.get(("url", scheme.lower()), ())
    for setting in detect.get("settings", ()):
        hits += index.strings.get(("setting", setting), ())
    found = {(path, line, text) for path, line, text, runtime in hits if runtime or not runtime_only}
    return [Evidence(path=path, line=line, text=text) for path, line, text in sorted(found)]


def uses(entry: Entry, code: Code) -> bool:
    return bool(evidence(entry, code))


def call_names(entries: tuple[Entry, ...]) -> frozenset[str]:
    """Every call name the knowledge base looks for: what the scanner must report."""
    return frozenset(name for entry in entries for name in entry.data.get("detect", {}).get("calls", ()))


def check(project: Project, code: Code, knowledge: Knowledge) -> Iterator[Diagnostic]:
    if not code.scans:
        return
    requires_python = str(project.requires_python or "")
    # Extras are the user's choice (a library's integration extras): a companion
    # is owed by the environment the project itself runs in.
    sets = [s for s in runtime_sets(project) if s.kind is SetKind.RUNTIME]
    everything = declared([s for s in project.sets if not s.is_lock])
    modules = {item.module for _, item in code.imports() if not item.level}
    imported = {d for module in modules for d in knowledge.modules.distributions(module)}
    for entry in knowledge.entries:
        package = canonicalize_name(entry.package)
        kind = entry.data.get("kind")
        if kind == "driver":
            if package not in everything and package not in imported:
                continue
            yield from _driver(entry, package, code, everything, knowledge.entries)
            continue
        found = None
        for dep_set in sets:
            for requirement in dep_set.requirements:
                if requirement.name != package or not _applies(entry, requirement):
                    continue
                if found is None:
                    found = evidence(entry, code, runtime_only=True)
                    if not found:
                        break
                if _guaranteed(entry, requirement, dep_set, requires_python):
                    continue
                yield _companion_finding(entry, requirement, dep_set, found)
            if found == []:
                break


def _applies(entry: Entry, requirement: Requirement) -> bool:
    """Does the declared range admit a version of `package` that has the need?"""
    versions = entry.data.get("applies", {}).get("versions")
    if not versions or requirement.url is not None:
        return True
    from depcheck.version import satisfiable

    try:
        return satisfiable(requirement.specifier, SpecifierSet(versions))
    except InvalidSpecifier:
        return True


def _requirements(texts: list[str]) -> list[PkgRequirement]:
    parsed = []
    for text in texts:
        try:
            parsed.append(PkgRequirement(text))
        except InvalidRequirement:
            continue
    return parsed


def _guaranteed(entry: Entry, requirement: Requirement, dep_set: DependencySet, requires_python: str) -> bool:
    """The set brings a companion on every supported platform and Python."""
    if not markers.applies(requirement.marker, requires_python):
        return True  # the package itself is never installed here
    extras = {canonicalize_name(e) for e in entry.data.get("satisfied-by", {}).get("extras", ())}
    if requirement.extras & extras:
        return True
    needed = {canonicalize_name(name) for name in entry.data["requires"]["packages"]}
    bringers = _requirements(entry.data.get("satisfied-by", {}).get("requirements", []))
    for other in dep_set.requirements:
        unconditional = markers.equivalent(other.marker, requirement.marker, requires_python) or other.marker is None
        if not unconditional:
            continue
        if other.name in needed:
            return True
        for bringer in bringers:
            if other.name == canonicalize_name(bringer.name) and {canonicalize_name(e) for e in bringer.extras} <= other.extras:
                return True
    return False


def _companion_finding(entry: Entry, requirement: Requirement, dep_set: DependencySet, found: list[Evidence]) -> Diagnostic:
    needed = entry.data["requires"]["packages"]
    first = found[0]
    platforms = entry.data.get("applies", {}).get("platforms")
    where = f"; it is missing on {platforms}" if platforms else ""
    more = f" and {len(found) - 1} more place{'s' if len(found) > 2 else ''}" if len(found) > 1 else ""
    fix_text = entry.data["fix"]["preferred"]
    alternatives = entry.data["fix"].get("alternatives", [])
    description, intent = _fix_description(fix_text, requirement, dep_set)
    if alternatives:
        description += f" (or add `{alternatives[0]}`)"
    return MissingCompanion.diagnostic(
        message=(
            f"the code at {first.path}:{first.line}{more} needs `{needed[0]}`, which "
            f"`{requirement.text}` in {dep_set.label} does not guarantee{where}"
        ),
        span=requirement.span,
        package=canonicalize_name(needed[0]),
        related=(requirement.name,),
        line_text=requirement.line_text,
        evidence=tuple(found[:10]),
        involved=(requirement,),
        fix=Fix(description=description, applicability=Applicability.SAFE if intent else Applicability.DISPLAY_ONLY, intent=intent),
    )


def _fix_description(preferred: str, requirement: Requirement, dep_set: DependencySet) -> tuple[str, tuple]:  # type: ignore[type-arg]
    """`SQLAlchemy[asyncio]` on SQLAlchemy itself: keep the user's range and marker, add the extra."""
    from depcheck.checks.base import _as_written, add_intent, replace_intent

    try:
        wanted = PkgRequirement(preferred)
    except InvalidRequirement:
        return f"Add `{preferred}` to {dep_set.label}", ()
    if canonicalize_name(wanted.name) == requirement.name and wanted.extras:
        extras = sorted({*requirement.extras, *(canonicalize_name(e) for e in wanted.extras)})
        marker = f"; {requirement.marker}" if requirement.marker is not None else ""
        spec = _as_written(requirement) if str(requirement.specifier) else str(wanted.specifier)
        replacement = f"{requirement.display_name}[{','.join(extras)}]{spec}{marker}"
        return f"Replace `{requirement.text}` with `{replacement}` in {dep_set.label}", replace_intent(requirement, replacement)
    return f"Add `{preferred}` to {dep_set.label}", add_intent(dep_set, preferred)


# Databases whose bare URL scheme many client libraries accept (not dialect plugins like redshift).
_DATABASES = frozenset({"postgresql", "postgres", "mysql", "mariadb", "mssql", "oracle"})


def _family(entry: Entry, entries: tuple[Entry, ...]) -> set[str]:
    """A bare `postgresql://` is read by many clients (asyncpg, psycopg, SQLAlchemy's default):
    any driver of that database satisfies it."""
    bare = {s for s in entry.data.get("detect", {}).get("url-schemes", ()) if "+" not in s} & _DATABASES
    if not bare:
        return set()
    return {
        canonicalize_name(name)
        for other in entries
        if other.data.get("kind") == "driver"
        and any(s.split("+", 1)[0] in bare for s in other.data.get("detect", {}).get("url-schemes", ()))
        for name in other.data["requires"]["packages"]
    }


def _driver(
    entry: Entry, package: str, code: Code, everything: dict[str, list[Requirement]], entries: tuple[Entry, ...]
) -> Iterator[Diagnostic]:
    needed = [canonicalize_name(n) for n in entry.data["requires"]["packages"]]
    if any(n in everything for n in (*needed, *_family(entry, entries))):
        return
    extras = {canonicalize_name(e) for e in entry.data.get("satisfied-by", {}).get("extras", ())}
    if any(r.extras & extras for r in everything.get(package, ())):
        return  # SQLAlchemy[postgresql] brings the driver
    for bringer in _requirements(entry.data.get("satisfied-by", {}).get("requirements", [])):
        extras = {canonicalize_name(e) for e in bringer.extras}
        if any(extras <= r.extras for r in everything.get(canonicalize_name(bringer.name), ())):
            return
    applies = entry.data.get("applies", {}).get("versions")
    if applies and package in everything and not any(_applies(entry, r) for r in everything[package]):
        return
    found = evidence(entry, code, runtime_only=True)  # a URL in a test talks to a test service
    if not found:
        return
    first = found[0]
    options = " or ".join(f"`{n}`" for n in entry.data["requires"]["packages"])
    yield MissingDriver.diagnostic(
        message=f"`{first.text}` names a driver that needs {options}, which no dependency set declares: {entry.summary}",
        span=Span(path=first.path, line=first.line),
        package=needed[0],
        related=(package,),
        line_text=first.text,
        evidence=tuple(found[1:10]),
        fix=Fix(description=f"Declare `{entry.data['fix']['preferred']}` in the runtime dependencies", applicability=Applicability.DISPLAY_ONLY),
    )
