"""`pyproject.toml`: every dependency set it declares, located to line and column.

Reads PEP 621 `[project]` (dependencies, optional-dependencies, dynamic),
PEP 735 `[dependency-groups]` (with `include-group` expanded), Poetry
(`[tool.poetry]` main/extras/groups/dev, constraints translated to PEP 440),
PDM and uv dev dependencies, uv constraints/overrides/workspace/sources, and
the raw `[tool.depcheck]` table.  Bad input never raises: it becomes a
`Problem` (DC004 for an unreadable file or a field of the wrong type, DC001 for
an entry that is not a requirement, DC003 for a broken `include-group`).

Set ids are ``"<path>:<key path>"`` (``"pyproject.toml:project.dependencies"``);
extra and group names inside ids and in `DependencySet.group` are canonical
(PEP 685 / PEP 735 normalization); labels keep the names as written.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import field
from typing import Any, Dict, List, Optional, Tuple

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from depcheck import _toml
from depcheck.model import DependencySet, Problem, Requirement, SetKind, Span, frozen
from depcheck.parsers.common import build_requirement, extra_kind, inline_ignores
from depcheck.parsers.toml_positions import KeyPath, TomlPos, TomlPositions, scan

_AT_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)\s*$")
_AT_END = re.compile(r"\s*\(at end of document\)\s*$")





@frozen
class PyProject:
    """What one pyproject.toml declares.

    Mapping fields are plain dicts (frozen dataclasses take `default_factory`;
    plain dicts keep the object picklable for worker processes).  Do not
    mutate them.  The object is therefore not hashable.

    * `dynamic`: `[project].dynamic` as written.
    * `dynamic_files`: ``"dependencies"`` / ``"optional-dependencies.<canonical
      extra>"`` -> requirement files, from `[tool.setuptools.dynamic]` (or the
      hatch-requirements-txt hook), only for fields listed in `dynamic`; paths
      as written (relative to the pyproject's directory).  No set is produced
      for such a field: the caller builds it from the files.
    * `uv_sources`: canonical package name -> its `[tool.uv.sources]` entries,
      always a tuple of raw tables (uv allows one table or a list of them).
    * `config_positions` / `config_value_positions`: key and value spans of
      everything under `[tool.depcheck]`, by key path relative to that table
      (``("select",)``, ``("package-module-map", "django")``).
    """

    path: str
    name: Optional[str] = None
    requires_python: Optional[str] = None
    sets: Tuple[DependencySet, ...] = ()
    problems: Tuple[Problem, ...] = ()
    dynamic: Tuple[str, ...] = ()
    dynamic_files: Dict[str, Tuple[str, ...]] = field(default_factory=dict)
    workspace_members: Tuple[str, ...] = ()
    workspace_exclude: Tuple[str, ...] = ()
    uv_sources: Dict[str, Tuple[Dict[str, Any], ...]] = field(default_factory=dict)
    has_project_table: bool = False
    depcheck_config: Optional[Dict[str, Any]] = None
    config_positions: Dict[KeyPath, TomlPos] = field(default_factory=dict)
    config_value_positions: Dict[KeyPath, TomlPos] = field(default_factory=dict)


def parse(path: str, text: str) -> PyProject:
    """Read one pyproject.toml (`path` relative to the checked root). Never raises."""
    try:
        return _parse(path, text)
    except Exception as exc:  # noqa: BLE001 - a bug must not become a traceback for the user
        return PyProject(
            path=path,
            problems=(
                Problem(
                    code="DC004",
                    message=f"could not read {path}: internal error ({type(exc).__name__}: {exc})",
                    span=Span(path=path),
                ),
            ),
        )


def _parse(path: str, text: str) -> PyProject:
    try:
        data = _toml.loads(text)
    except Exception as exc:  # noqa: BLE001 - TOMLDecodeError, and RecursionError on deep nesting
        return PyProject(path=path, problems=(_decode_problem(path, text, exc),))
    return _Reader(path, data, scan(text)).read()


def _decode_problem(path: str, text: str, exc: Exception) -> Problem:
    message = str(exc)
    lines = text.split("\n")
    line = getattr(exc, "lineno", None)
    column = getattr(exc, "colno", None)
    match = _AT_POSITION.search(message)
    if match:
        message = message[: match.start()]
        if not isinstance(line, int) or not isinstance(column, int):
            line, column = int(match.group(1)), int(match.group(2))
    elif _AT_END.search(message):
        message = _AT_END.sub("", message)
        if not isinstance(line, int) or not isinstance(column, int):
            line, column = len(lines), len(lines[-1].rstrip("\r")) + 1
    if not isinstance(line, int) or not isinstance(column, int) or line < 1:
        line, column = 1, 1
    if isinstance(exc, RecursionError):
        message = "nested too deeply"
    message = message.strip() or type(exc).__name__
    line_text = lines[line - 1].rstrip("\r") if line <= len(lines) else ""
    return Problem(
        code="DC004",
        message=f"{path} is not valid TOML: {message}",
        span=Span(path=path, line=line, column=max(column, 1)),
        line_text=line_text,
    )


def _type_name(value: object) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a float"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "a table"
    return "a date/time"


def _dotted(keypath: KeyPath) -> str:
    """("project", "dependencies", 2) -> "project.dependencies[2]"."""
    out = ""
    for part in keypath:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


class _Reader:
    def __init__(self, path: str, data: Dict[str, Any], positions: TomlPositions) -> None:
        self.path = path
        self.data = data
        self.values = positions.values
        self.keys = positions.keys
        self.problems: List[Problem] = []
        self.sets: List[DependencySet] = []
        self._reported: set = set()

    # ---- locations --------------------------------------------------------------

    def _find(self, keypath: KeyPath, *, key: bool = False) -> Optional[TomlPos]:
        """The value (or key) position of `keypath`, else of its nearest located parent."""
        for end in range(len(keypath), 0, -1):
            prefix = keypath[:end]
            first, second = (self.keys, self.values) if key else (self.values, self.keys)
            if prefix in first:
                return first[prefix]
            if prefix in second:
                return second[prefix]
        return None

    def span(self, keypath: KeyPath, *, key: bool = False) -> Span:
        pos = self._find(keypath, key=key)
        return pos.span(self.path) if pos else Span(path=self.path)

    def line_text(self, keypath: KeyPath) -> str:
        pos = self._find(keypath)
        return pos.line_text if pos else ""

    def problem(
        self, code: str, message: str, keypath: KeyPath, *, key: bool = False, package: Optional[str] = None
    ) -> None:
        marker = (code, keypath, message)
        if marker in self._reported:
            return
        self._reported.add(marker)
        pos = self._find(keypath, key=key)
        self.problems.append(
            Problem(
                code=code,
                message=message,
                span=pos.span(self.path) if pos else Span(path=self.path),
                package=package,
                line_text=pos.line_text if pos else "",
                ignores=inline_ignores(pos.comment) if pos else frozenset(),
            )
        )

    def wrong_type(self, keypath: KeyPath, value: object, expected: str) -> None:
        self.problem(
            "DC004",
            f"`{_dotted(keypath)}` must be {expected}, not {_type_name(value)}",
            keypath,
        )

    def table(self, keypath: KeyPath) -> Optional[Dict[str, Any]]:
        """The table at `keypath`, None when absent; DC004 when it is not a table."""
        value: Any = self.data
        for depth, part in enumerate(keypath):
            if not isinstance(value, dict) or part not in value:
                return None
            value = value[part]
            if not isinstance(value, dict):
                self.wrong_type(keypath[: depth + 1], value, "a table")
                return None
        return value

    def add_set(
        self,
        local_id: str,
        label: str,
        kind: SetKind,
        keypath: KeyPath,
        requirements: List[Requirement],
        group: Optional[str] = None,
    ) -> None:
        self.sets.append(
            DependencySet(
                id=f"{self.path}:{local_id}",
                label=f"{self.path} {label}",
                kind=kind,
                path=self.path,
                requirements=tuple(requirements),
                span=self.span(keypath, key=True),
                group=group,
                files=(self.path,),
            )
        )

    # ---- PEP 508 string arrays ----------------------------------------------------------

    def requirement_at(self, keypath: KeyPath, text: str, *, pdm: bool = False) -> Optional[Requirement]:
        pos = self.values.get(keypath)
        span = pos.span(self.path) if pos else self.span(keypath)
        line_text = pos.line_text if pos else self.line_text(keypath)
        ignores = inline_ignores(pos.comment) if pos else frozenset()
        editable = False
        body = text.strip()
        if pdm and body.startswith("-e") and body[2:3].isspace():
            editable, body = True, body[2:].strip()
        result = build_requirement(body, span, line_text=line_text, ignores=ignores, editable=editable)
        if isinstance(result, Problem) and editable:
            # PDM: `-e file:///${PROJECT_ROOT}/sub#egg=sub` is a URL, not PEP 508
            egg = re.search(r"#egg=([A-Za-z0-9][A-Za-z0-9._-]*)", body)
            if egg:
                named = build_requirement(egg.group(1), span, line_text=line_text, ignores=ignores, editable=True)
                if isinstance(named, Requirement):
                    result = dataclasses.replace(named, url=body, text=text)
        if isinstance(result, Problem):
            self.problems.append(result)
            return None
        return result

    def string_array(self, keypath: KeyPath, value: object, *, pdm: bool = False) -> Optional[List[Requirement]]:
        """Requirements of a PEP 508 string array; None (and DC004) when it is not an array."""
        if not isinstance(value, list):
            self.wrong_type(keypath, value, "an array of requirement strings")
            return None
        requirements: List[Requirement] = []
        for index, item in enumerate(value):
            if not isinstance(item, str):
                self.wrong_type(keypath + (index,), item, "a requirement string")
                continue
            requirement = self.requirement_at(keypath + (index,), item, pdm=pdm)
            if requirement is not None:
                requirements.append(requirement)
        return requirements

    def string_list(self, keypath: KeyPath, value: object) -> Tuple[str, ...]:
        """A string or an array of strings (file lists, globs); DC004 for anything else."""
        if isinstance(value, str):
            return (value,)
        if not isinstance(value, list):
            self.wrong_type(keypath, value, "an array of strings")
            return ()
        out: List[str] = []
        for index, item in enumerate(value):
            if isinstance(item, str):
                out.append(item)
            else:
                self.wrong_type(keypath + (index,), item, "a string")
        return tuple(out)

    # ---- the document ------------------------------------------------------------------------

    def read(self) -> PyProject:
        project = self.table(("project",))
        tool = self.table(("tool",))
        name: Optional[str] = None
        requires_python: Optional[str] = None
        dynamic: Tuple[str, ...] = ()
        dynamic_files: Dict[str, Tuple[str, ...]] = {}
        if project is not None:
            name = self.project_name(project)
            requires_python = self.requires_python(project)
            dynamic = self.dynamic(project)
            dynamic_files = self.dynamic_files(dynamic)
            self.project_sets(project, dynamic)
        self.dependency_groups()
        poetry_name, poetry_python = self.poetry()
        self.pdm()
        members, exclude, sources = self.uv()
        config, config_keys, config_values = self.depcheck_config(tool)
        return PyProject(
            path=self.path,
            name=name if name is not None else poetry_name,
            requires_python=requires_python if requires_python is not None else poetry_python,
            sets=tuple(self.sets),
            problems=tuple(self.problems),
            dynamic=dynamic,
            dynamic_files=dynamic_files,
            workspace_members=members,
            workspace_exclude=exclude,
            uv_sources=sources,
            has_project_table=project is not None,
            depcheck_config=config,
            config_positions=config_keys,
            config_value_positions=config_values,
        )

    # ---- [project] -----------------------------------------------------------------------

    def project_name(self, project: Dict[str, Any]) -> Optional[str]:
        if "name" not in project:
            return None
        value = project["name"]
        if not isinstance(value, str):
            self.wrong_type(("project", "name"), value, "a string")
            return None
        return canonicalize_name(value)

    def requires_python(self, project: Dict[str, Any]) -> Optional[str]:
        if "requires-python" not in project:
            return None
        value = project["requires-python"]
        keypath: KeyPath = ("project", "requires-python")
        if not isinstance(value, str):
            self.wrong_type(keypath, value, "a string")
            return None
        try:
            SpecifierSet(value)
        except InvalidSpecifier:
            self.problem("DC004", f"requires-python `{value}` is not a valid PEP 440 version specifier", keypath)
            return None
        return value.strip()

    def dynamic(self, project: Dict[str, Any]) -> Tuple[str, ...]:
        if "dynamic" not in project:
            return ()
        value = project["dynamic"]
        if isinstance(value, str):  # string_list would accept a lone string
            self.wrong_type(("project", "dynamic"), value, "an array of strings")
            return ()
        return self.string_list(("project", "dynamic"), value)

    def dynamic_files(self, dynamic: Tuple[str, ...]) -> Dict[str, Tuple[str, ...]]:
        files: Dict[str, Tuple[str, ...]] = {}
        if "dependencies" not in dynamic and "optional-dependencies" not in dynamic:
            return files
        setuptools = self.table(("tool", "setuptools", "dynamic"))
        if setuptools is not None:
            base: KeyPath = ("tool", "setuptools", "dynamic")
            if "dependencies" in dynamic and "dependencies" in setuptools:
                entry = setuptools["dependencies"]
                found = self.file_entry(base + ("dependencies",), entry)
                if found is not None:
                    files["dependencies"] = found
            if "optional-dependencies" in dynamic and "optional-dependencies" in setuptools:
                extras = self.table(base + ("optional-dependencies",))
                for extra, entry in (extras or {}).items():
                    found = self.file_entry(base + ("optional-dependencies", extra), entry)
                    if found is not None:
                        files[f"optional-dependencies.{canonicalize_name(extra)}"] = found
        hatch = self.table(("tool", "hatch", "metadata", "hooks", "requirements_txt"))
        if hatch is not None:
            base = ("tool", "hatch", "metadata", "hooks", "requirements_txt")
            if "dependencies" in dynamic and "files" in hatch and "dependencies" not in files:
                files["dependencies"] = self.string_list(base + ("files",), hatch["files"])
            if "optional-dependencies" in dynamic and "optional-dependencies" in hatch:
                extras = self.table(base + ("optional-dependencies",))
                for extra, entry in (extras or {}).items():
                    key = f"optional-dependencies.{canonicalize_name(extra)}"
                    if key not in files:
                        files[key] = self.string_list(base + ("optional-dependencies", extra), entry)
        return files

    def file_entry(self, keypath: KeyPath, entry: object) -> Optional[Tuple[str, ...]]:
        """`{file = "a.txt"}` / `{file = ["a.txt", "b.txt"]}`."""
        if not isinstance(entry, dict) or "file" not in entry:
            self.problem("DC004", f"`{_dotted(keypath)}` must be a table with a `file` key", keypath)
            return None
        return self.string_list(keypath + ("file",), entry["file"])

    def project_sets(self, project: Dict[str, Any], dynamic: Tuple[str, ...]) -> None:
        if "dependencies" in project:
            keypath: KeyPath = ("project", "dependencies")
            if "dependencies" in dynamic:
                self.problem(
                    "DC004",
                    "`dependencies` is listed in [project].dynamic and also given in [project]",
                    keypath,
                    key=True,
                )
            else:
                requirements = self.string_array(keypath, project["dependencies"])
                if requirements is not None:
                    self.add_set("project.dependencies", "[project] dependencies", SetKind.RUNTIME, keypath, requirements)
        if "optional-dependencies" in project:
            keypath = ("project", "optional-dependencies")
            if "optional-dependencies" in dynamic:
                self.problem(
                    "DC004",
                    "`optional-dependencies` is listed in [project].dynamic and also given in [project]",
                    keypath,
                    key=True,
                )
                return
            extras = self.table(keypath)
            seen: Dict[str, str] = {}
            for extra, value in (extras or {}).items():
                canonical = canonicalize_name(extra)
                if canonical in seen:
                    self.problem(
                        "DC004",
                        f"extra `{extra}` is the same as `{seen[canonical]}` once normalized",
                        keypath + (extra,),
                        key=True,
                    )
                    continue
                seen[canonical] = extra
                requirements = self.string_array(keypath + (extra,), value)
                if requirements is None:
                    continue
                kind = extra_kind(canonical)
                self.add_set(
                    f"project.optional-dependencies.{canonical}",
                    f"[project.optional-dependencies] {extra}",
                    kind,
                    keypath + (extra,),
                    requirements,
                    group=canonical,
                )

    # ---- [dependency-groups] (PEP 735) -------------------------------------------------------

    def dependency_groups(self) -> None:
        groups = self.table(("dependency-groups",))
        if not groups:
            return
        base: KeyPath = ("dependency-groups",)
        # canonical name -> (name as written, own items); an item is a Requirement
        # or an include: (target canonical name, key path of the include table)
        own: Dict[str, Tuple[str, List[object]]] = {}
        for name, value in groups.items():
            canonical = canonicalize_name(name)
            if canonical in own:
                self.problem(
                    "DC004",
                    f"dependency group `{name}` is the same as `{own[canonical][0]}` once normalized",
                    base + (name,),
                    key=True,
                )
                continue
            if not isinstance(value, list):
                self.wrong_type(base + (name,), value, "an array of requirement strings and include-group tables")
                continue
            items: List[object] = []
            for index, item in enumerate(value):
                keypath = base + (name, index)
                if isinstance(item, str):
                    requirement = self.requirement_at(keypath, item)
                    if requirement is not None:
                        items.append(requirement)
                elif isinstance(item, dict) and set(item) == {"include-group"} and isinstance(item["include-group"], str):
                    items.append((canonicalize_name(item["include-group"]), keypath))
                elif isinstance(item, dict) and "include-group" in item and not isinstance(item["include-group"], str):
                    self.wrong_type(keypath + ("include-group",), item["include-group"], "a group name string")
                elif isinstance(item, dict):
                    self.problem(
                        "DC004",
                        "a table in [dependency-groups] must have exactly one key, `include-group`",
                        keypath,
                    )
                else:
                    self.wrong_type(keypath, item, "a requirement string or an include-group table")
            own[canonical] = (name, items)

        memo: Dict[str, List[Requirement]] = {}

        def expand(group: str, stack: Tuple[str, ...]) -> List[Requirement]:
            if group in memo:
                return memo[group]
            result: List[Requirement] = []
            seen: set = set()
            for item in own[group][1]:
                if isinstance(item, Requirement):
                    found = [item]
                else:
                    target, keypath = item  # type: ignore[misc]
                    if target not in own:
                        self.problem(
                            "DC003",
                            f"dependency group `{own[group][0]}` includes `{target}`, which is not in [dependency-groups]",
                            keypath,
                        )
                        continue
                    if target in stack:
                        cycle = " -> ".join(own[g][0] for g in stack[stack.index(target) :] + (target,))
                        self.problem("DC003", f"dependency group include cycle: {cycle}", keypath)
                        continue
                    found = expand(target, stack + (target,))
                for requirement in found:
                    if id(requirement) not in seen:
                        seen.add(id(requirement))
                        result.append(requirement)
            memo[group] = result
            return result

        for canonical, (name, _) in own.items():
            self.add_set(
                f"dependency-groups.{canonical}",
                f"[dependency-groups] {name}",
                SetKind.DEV,
                base + (name,),
                expand(canonical, (canonical,)),
                group=canonical,
            )

    # ---- Poetry ----------------------------------------------------------------------------------

    def poetry(self) -> Tuple[Optional[str], Optional[str]]:
        poetry = self.table(("tool", "poetry"))
        if poetry is None:
            return None, None
        base: KeyPath = ("tool", "poetry")
        name: Optional[str] = None
        if "name" in poetry:
            if isinstance(poetry["name"], str):
                name = canonicalize_name(poetry["name"])
            else:
                self.wrong_type(base + ("name",), poetry["name"], "a string")
        python: Optional[str] = None
        by_name: Dict[str, List[Requirement]] = {}
        optional_names: set = set()
        if "dependencies" in poetry:
            keypath = base + ("dependencies",)
            table = self.table(keypath)
            if table is not None:
                python = self.poetry_python(keypath, table)
                main: List[Requirement] = []
                for requirement, optional in self.poetry_table(keypath, table):
                    by_name.setdefault(requirement.name, []).append(requirement)
                    if optional:
                        optional_names.add(requirement.name)
                    else:
                        main.append(requirement)
                self.add_set("tool.poetry.dependencies", "[tool.poetry.dependencies]", SetKind.RUNTIME, keypath, main)
        extras = self.table(base + ("extras",)) if "extras" in poetry else None
        for extra, names in (extras or {}).items():
            keypath = base + ("extras", extra)
            if not isinstance(names, list):
                self.wrong_type(keypath, names, "an array of dependency names")
                continue
            requirements: List[Requirement] = []
            for index, item in enumerate(names):
                if not isinstance(item, str):
                    self.wrong_type(keypath + (index,), item, "a dependency name")
                    continue
                found = by_name.get(canonicalize_name(item))
                if not found:
                    self.problem(
                        "DC004",
                        f"Poetry extra `{extra}` names `{item}`, which is not in [tool.poetry.dependencies]",
                        keypath + (index,),
                        package=canonicalize_name(item),
                    )
                    continue
                requirements.extend(found)
            canonical = canonicalize_name(extra)
            kind = extra_kind(canonical)
            self.add_set(
                f"tool.poetry.extras.{canonical}", f"[tool.poetry.extras] {extra}", kind, keypath, requirements, canonical
            )
        groups = self.table(base + ("group",)) if "group" in poetry else None
        for group, body in (groups or {}).items():
            keypath = base + ("group", group)
            if not isinstance(body, dict):
                self.wrong_type(keypath, body, "a table")
                continue
            if "dependencies" not in body:
                continue
            table = self.table(keypath + ("dependencies",))
            if table is None:
                continue
            canonical = canonicalize_name(group)
            requirements = [requirement for requirement, _ in self.poetry_table(keypath + ("dependencies",), table)]
            self.add_set(
                f"tool.poetry.group.{canonical}.dependencies",
                f"[tool.poetry.group.{group}.dependencies]",
                SetKind.DEV,
                keypath + ("dependencies",),
                requirements,
                canonical,
            )
        if "dev-dependencies" in poetry:
            keypath = base + ("dev-dependencies",)
            table = self.table(keypath)
            if table is not None:
                requirements = [requirement for requirement, _ in self.poetry_table(keypath, table)]
                self.add_set(
                    "tool.poetry.dev-dependencies", "[tool.poetry.dev-dependencies]", SetKind.DEV, keypath, requirements, "dev"
                )
        return name, python

    def poetry_python(self, table_path: KeyPath, table: Dict[str, Any]) -> Optional[str]:
        if "python" not in table:
            return None
        value = table["python"]
        keypath = table_path + ("python",)
        if not isinstance(value, str):
            self.wrong_type(keypath, value, "a version constraint string")
            return None
        try:
            return _poetry_to_pep440(value)
        except ValueError as exc:
            self.problem("DC004", f"python constraint `{value}` is not a valid Poetry version constraint: {exc}", keypath)
            return None

    def poetry_table(self, table_path: KeyPath, table: Dict[str, Any]) -> List[Tuple[Requirement, bool]]:
        """(requirement, optional) for each entry of a Poetry dependency table, `python` skipped."""
        out: List[Tuple[Requirement, bool]] = []
        for name, value in table.items():
            if name.strip().lower() == "python":
                continue
            keypath = table_path + (name,)
            if isinstance(value, list):
                for index, item in enumerate(value):
                    found = self.poetry_entry(name, keypath + (index,), item, element=True)
                    if found is not None:
                        out.append(found)
            else:
                found = self.poetry_entry(name, keypath, value, element=False)
                if found is not None:
                    out.append(found)
        return out

    def poetry_span(self, keypath: KeyPath, element: bool) -> Tuple[Span, str, frozenset]:
        """A Poetry entry spans from its key to the end of its value (an array element: itself)."""
        value = self.values.get(keypath)
        key = None if element else self.keys.get(keypath)
        if value is None:
            return self.span(keypath), self.line_text(keypath), frozenset()
        start = key or value
        span = Span(
            path=self.path, line=start.line, column=start.column, end_line=value.end_line, end_column=value.end_column
        )
        return span, start.line_text, inline_ignores(value.comment)

    def poetry_entry(self, name: str, keypath: KeyPath, value: object, *, element: bool) -> Optional[Tuple[Requirement, bool]]:
        package = canonicalize_name(name)
        if isinstance(value, str):
            options: Dict[str, Any] = {"version": value}
            version_path = keypath
        elif isinstance(value, dict):
            options = value
            version_path = keypath + ("version",)
        else:
            self.wrong_type(keypath, value, "a version constraint string or a table")
            return None
        span, line_text, ignores = self.poetry_span(keypath, element)

        constraint = options.get("version")
        specifier = ""
        if constraint is not None:
            if not isinstance(constraint, str):
                self.wrong_type(version_path, constraint, "a version constraint string")
                return None
            try:
                specifier = _poetry_to_pep440(constraint)
            except ValueError as exc:
                self.problem(
                    "DC001",
                    f"`{constraint}` is not a valid Poetry version constraint for {name}: {exc}",
                    version_path,
                    package=package,
                )
                return None

        extras: List[str] = []
        if "extras" in options:
            raw = options["extras"]
            if isinstance(raw, list) and all(isinstance(extra, str) for extra in raw):
                extras = list(raw)
            else:
                self.wrong_type(keypath + ("extras",), raw, "an array of extra names")

        markers: List[str] = []
        if "markers" in options:
            raw = options["markers"]
            if isinstance(raw, str) and raw.strip():
                markers.append(raw.strip())
            elif not isinstance(raw, str):
                self.wrong_type(keypath + ("markers",), raw, "a marker string")
        if "python" in options:
            raw = options["python"]
            if not isinstance(raw, str):
                self.wrong_type(keypath + ("python",), raw, "a version constraint string")
            else:
                try:
                    python_marker = python_constraint_marker(_poetry_to_pep440(raw))
                except ValueError as exc:
                    self.problem(
                        "DC001",
                        f"python constraint `{raw}` of {name} cannot be used: {exc}",
                        keypath + ("python",),
                        package=package,
                    )
                    return None
                if python_marker:
                    markers.append(python_marker)
        if "platform" in options:  # Poetry's `platform = "linux"` is `sys_platform == "linux"`
            raw = options["platform"]
            if isinstance(raw, str) and raw.strip() and '"' not in raw:
                markers.append(f'sys_platform == "{raw.strip()}"')
            elif not isinstance(raw, str):
                self.wrong_type(keypath + ("platform",), raw, "a platform string")
        marker = ""
        if len(markers) == 1:
            marker = markers[0]
        elif markers:
            marker = " and ".join(f"({part})" for part in markers)

        url: Optional[str] = None
        git = options.get("git")
        if isinstance(git, str):
            url = _git_url(git, options)
        else:
            for source in ("url", "path", "file"):
                if isinstance(options.get(source), str):
                    url = options[source]
                    break
        editable = options.get("develop") is True

        head = name + (f"[{','.join(extras)}]" if extras else "")
        tail = f" ; {marker}" if marker else ""
        text = head + ("" if url else specifier) + tail
        result = build_requirement(text, span, line_text=line_text, ignores=ignores, editable=editable)
        if isinstance(result, Problem):
            self.problems.append(dataclasses.replace(result, package=package if _valid_name(name) else None))
            return None
        if url is not None:
            result = dataclasses.replace(result, url=url, text=f"{head} @ {url}{tail}")
        result = dataclasses.replace(result, raw_constraint=constraint if isinstance(constraint, str) else None)
        return result, options.get("optional") is True

    # ---- PDM, uv -----------------------------------------------------------------------------

    def pdm(self) -> None:
        groups = self.table(("tool", "pdm", "dev-dependencies"))
        for group, value in (groups or {}).items():
            keypath: KeyPath = ("tool", "pdm", "dev-dependencies", group)
            requirements = self.string_array(keypath, value, pdm=True)
            if requirements is None:
                continue
            canonical = canonicalize_name(group)
            self.add_set(
                f"tool.pdm.dev-dependencies.{canonical}",
                f"[tool.pdm.dev-dependencies] {group}",
                SetKind.DEV,
                keypath,
                requirements,
                canonical,
            )

    def uv(self) -> Tuple[Tuple[str, ...], Tuple[str, ...], Dict[str, Tuple[Dict[str, Any], ...]]]:
        uv = self.table(("tool", "uv"))
        if uv is None:
            return (), (), {}
        base: KeyPath = ("tool", "uv")
        for key, kind, group in (
            ("dev-dependencies", SetKind.DEV, "dev"),
            ("constraint-dependencies", SetKind.CONSTRAINT, None),
            ("override-dependencies", SetKind.CONSTRAINT, None),
        ):
            if key not in uv:
                continue
            requirements = self.string_array(base + (key,), uv[key])
            if requirements is not None:
                self.add_set(f"tool.uv.{key}", f"[tool.uv] {key}", kind, base + (key,), requirements, group)
        members: Tuple[str, ...] = ()
        exclude: Tuple[str, ...] = ()
        workspace = self.table(base + ("workspace",)) if "workspace" in uv else None
        if workspace is not None:
            if "members" in workspace:
                members = self.string_list(base + ("workspace", "members"), workspace["members"])
            if "exclude" in workspace:
                exclude = self.string_list(base + ("workspace", "exclude"), workspace["exclude"])
        sources: Dict[str, Tuple[Dict[str, Any], ...]] = {}
        table = self.table(base + ("sources",)) if "sources" in uv else None
        for name, value in (table or {}).items():
            keypath = base + ("sources", name)
            entries = value if isinstance(value, list) else [value]
            kept: List[Dict[str, Any]] = []
            for index, entry in enumerate(entries):
                if isinstance(entry, dict):
                    kept.append(entry)
                else:
                    where = keypath + (index,) if isinstance(value, list) else keypath
                    self.wrong_type(where, entry, "a source table")
            if kept:
                canonical = canonicalize_name(name)
                sources[canonical] = sources.get(canonical, ()) + tuple(kept)
        return members, exclude, sources

    # ---- [tool.depcheck] ---------------------------------------------------------------------------

    def depcheck_config(
        self, tool: Optional[Dict[str, Any]]
    ) -> Tuple[Optional[Dict[str, Any]], Dict[KeyPath, TomlPos], Dict[KeyPath, TomlPos]]:
        if tool is None or "depcheck" not in tool:
            return None, {}, {}
        config = self.table(("tool", "depcheck"))
        if config is None:
            return None, {}, {}
        prefix = ("tool", "depcheck")
        keys = {path[2:]: pos for path, pos in self.keys.items() if path[:2] == prefix and len(path) > 2}
        values = {path[2:]: pos for path, pos in self.values.items() if path[:2] == prefix and len(path) > 2}
        return config, keys, values


# ---- Poetry helpers ---------------------------------------------------------------------------------


def _poetry_to_pep440(constraint: str) -> str:
    from depcheck.version import poetry_to_pep440

    return poetry_to_pep440(constraint).strip()


def _valid_name(name: str) -> bool:
    return re.fullmatch(r"[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?", name) is not None


def _git_url(git: str, options: Dict[str, Any]) -> str:
    """Poetry `git = ...` (+ rev/tag/branch, subdirectory) as a pip VCS URL."""
    url = git.strip()
    scp = re.fullmatch(r"([\w.-]+@[\w.-]+):(?!//)(.+)", url)
    if scp:  # git@github.com:org/repo.git
        url = f"ssh://{scp.group(1)}/{scp.group(2)}"
    if not url.startswith("git+"):
        url = "git+" + url
    for ref in ("rev", "tag", "branch"):
        if isinstance(options.get(ref), str):
            url += "@" + options[ref]
            break
    if isinstance(options.get("subdirectory"), str):
        url += "#subdirectory=" + options["subdirectory"]
    return url


def python_constraint_marker(specifiers: str) -> str:
    """A PEP 440 specifier set on the interpreter version as an equivalent marker.

    ``>=3.8,<4.0`` -> ``python_version >= "3.8" and python_version < "4.0"``.
    `>=`/`<` on X or X.Y use `python_version`; everything else (three-part
    versions, `>`, `<=`, `==`, `!=`) uses `python_full_version`, which is exact.
    `~=` and `==X.*` become a `>=`/`<` pair; `!=X.*` an `or` of two bounds.
    Raises ValueError for what markers cannot express (`===`, pre-releases).
    """
    clauses: List[str] = []
    try:
        parsed = SpecifierSet(specifiers)
    except InvalidSpecifier as exc:
        raise ValueError(f"`{specifiers}` is not a valid version specifier") from exc
    for spec in sorted(parsed, key=lambda s: (s.version, s.operator)):
        operator, version = spec.operator, spec.version
        if operator == "===":
            raise ValueError(f"`{spec}` cannot be written as a marker")
        if version.endswith(".*"):
            release = _release(version[:-2])
            upper = release[:-1] + (release[-1] + 1,)
            low, high = _compare(">=", release), _compare("<", upper)
            if operator == "==":
                clauses += [low, high]
            else:
                clauses.append(f"({_compare('<', release)} or {_compare('>=', upper)})")
            continue
        release = _release(version)
        if operator == "~=":
            upper = release[:-2] + (release[-2] + 1,)
            clauses += [_compare(">=", release), _compare("<", upper)]
        else:
            clauses.append(_compare(operator, release))
    return " and ".join(clauses)


def _release(version: str) -> Tuple[int, ...]:
    try:
        parsed = Version(version)
    except InvalidVersion as exc:
        raise ValueError(f"`{version}` is not a valid version") from exc
    if parsed.pre or parsed.post is not None or parsed.dev is not None or parsed.local or parsed.epoch:
        raise ValueError(f"`{version}` cannot be compared with the Python version in a marker")
    return parsed.release


def _compare(operator: str, release: Tuple[int, ...]) -> str:
    text = ".".join(str(part) for part in release)
    variable = "python_version" if operator in (">=", "<") and len(release) <= 2 else "python_full_version"
    return f'{variable} {operator} "{text}"'
