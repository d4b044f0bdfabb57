"""`setup.cfg`: `[metadata] name`, `[options] install_requires`/`python_requires`, `[options.extras_require]`.

The file is read the way setuptools reads it, so depcheck sees the list the build
sees, but with positions: a small line reader mirrors `configparser` (setuptools
uses a default `ConfigParser` with `optionxform = str`), then the values are split
the way `setuptools.config.setupcfg` splits requirement lists:

* a value spanning several lines holds one requirement per line;
* a single-line value is split on `;` (`install_requires = a; b`), which is why
  `foo = bar;python_version<"4"` is two entries to setuptools, not a marker
  (reported here as DC001, as setuptools itself rejects or warns about it);
* whole-line comments (`#` or `;`) are dropped by configparser; a trailing ` #`
  comment is dropped when setuptools parses the requirement (`drop_comment`),
  so it is not part of the requirement here either, and it can hold
  `# depcheck: ignore[...]`;
* `file: a.txt, b.txt` (setuptools >= 62.6) reads the requirements from files. A
  parser does no I/O, so the set is returned empty with those files listed in
  `DependencySet.files` and in `SetupCfg.file_refs`, for the caller to read with
  the requirements-file parser.

`%` interpolation and `[DEFAULT]` propagation are not applied: neither is used for
dependency lists in practice. A structural defect (text before any section, a line
that is not `key = value`, a duplicate section or key) is a located DC004 and the
rest of the file is still read, the first of two duplicate keys winning.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field, replace

from packaging.markers import InvalidMarker, Marker
from packaging.utils import canonicalize_name

from depcheck.model import DependencySet, Problem, Requirement, SetKind, Severity, Span, frozen
from depcheck.parsers.common import build_requirement, extra_kind, inline_ignores

__all__ = ["FileRef", "SetupCfg", "parse", "split_lines", "with_marker"]

# Names setuptools treats as environment-marker variables (packaging's default_environment keys).
_MARKER_NAMES = (
    "implementation_name", "implementation_version", "os_name", "platform_machine",
    "platform_release", "platform_system", "platform_version", "python_full_version",
    "platform_python_implementation", "python_version", "sys_platform",
)  # fmt: skip

_SECTION = re.compile(r"\[(?P<header>[^]]+)\]")
_OPTION = re.compile(r"(?P<option>.*?)\s*(?P<vi>[=:])\s*(?P<value>.*)$")
_NONSPACE = re.compile(r"\S")


@frozen
class FileRef:
    """A `file:` directive: the set `set_id` is read from `paths` (root-relative, POSIX)."""

    set_id: str
    paths: tuple[str, ...]
    span: Span


@frozen
class SetupCfg:
    path: str
    name: str | None = None
    requires_python: str | None = None
    sets: tuple[DependencySet, ...] = ()
    problems: tuple[Problem, ...] = ()
    file_refs: tuple[FileRef, ...] = ()


def split_lines(text: str) -> list[str]:
    """Physical lines, `\\n` separated, without their `\\r`."""
    return [line[:-1] if line.endswith("\r") else line for line in text.split("\n")]


# --- the configparser mirror -------------------------------------------------


@dataclass
class _Piece:
    """One line of a value: where its stripped text starts (1-based) and the text."""

    line: int
    column: int
    text: str


@dataclass
class _Option:
    key: str
    line: int
    column: int
    pieces: list[_Piece] = field(default_factory=list)

    def value_pieces(self) -> list[_Piece]:
        # configparser joins the lines with "\n" and rstrips: trailing blank lines vanish.
        pieces = list(self.pieces)
        while pieces and not pieces[-1].text:
            pieces.pop()
        return pieces

    def value(self) -> str:
        return "\n".join(piece.text for piece in self.value_pieces()).strip()


@dataclass
class _Section:
    name: str
    line: int
    options: dict[str, _Option] = field(default_factory=dict)


def _normal_key(section: str, key: str) -> str:
    # setuptools lowercases [metadata]/[options] keys and turns `-` into `_`
    # everywhere except extras_require (whose keys are extra names).
    if section in ("metadata", "options"):
        return key.lower().replace("-", "_")
    if section == "options.extras_require":
        return key
    return key.replace("-", "_")


def _read_sections(path: str, lines: list[str]) -> tuple[dict[str, _Section], list[Problem]]:
    sections: dict[str, _Section] = {}
    problems: list[Problem] = []
    section: _Section | None = None
    option: _Option | None = None  # the option continuation lines belong to
    indent_level = 0
    orphan_reported = False

    def problem(number: int, column: int, message: str) -> None:
        problems.append(
            Problem(
                code="DC004",
                message=message,
                span=Span(path=path, line=number, column=column),
                line_text=lines[number - 1],
            )
        )

    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        if stripped.startswith(("#", ";")):
            continue  # a whole-line comment, even inside a value
        if not stripped:
            if option is not None:
                option.pieces.append(_Piece(number, 1, ""))
            continue
        found = _NONSPACE.search(line)
        indent = found.start() if found else 0
        if option is not None and indent > indent_level:
            option.pieces.append(_Piece(number, indent + 1, stripped))
            continue
        indent_level = indent
        option = None
        header = _SECTION.match(stripped)
        if header is not None:
            name = header.group("header")
            if name in sections:
                problem(number, indent + 1, f"section [{name}] appears twice; setuptools refuses the file")
                section = sections[name]
            else:
                section = sections[name] = _Section(name, number)
            continue
        if section is None:
            if not orphan_reported:
                problem(number, indent + 1, "text before the first [section]; setuptools refuses the file")
                orphan_reported = True
            continue
        match = _OPTION.match(stripped)
        if match is None or not match.group("option"):
            problem(number, indent + 1, f"`{stripped}` is not a `key = value` line")
            continue
        key = _normal_key(section.name, match.group("option").rstrip())
        value_column = indent + match.start("value") + 1
        current = _Option(key, number, indent + 1, [_Piece(number, value_column, match.group("value").strip())])
        if key in section.options:
            problem(number, indent + 1, f"`{key}` appears twice in [{section.name}]; the first one is used")
        else:
            section.options[key] = current
        option = current  # a duplicate still owns its continuation lines
    return sections, problems


# --- requirement lists -------------------------------------------------------


@dataclass
class _Entry:
    line: int
    column: int
    text: str


def _entries(option: _Option) -> list[_Entry]:
    """Split a requirement-list value the way setuptools' `_parse_list_semicolon` does."""
    pieces = option.value_pieces()
    if len(pieces) > 1:  # one entry per line
        return [_Entry(piece.line, piece.column, piece.text) for piece in pieces if piece.text]
    if not pieces:
        return []
    piece = pieces[0]
    entries = []
    offset = 0
    for chunk in piece.text.split(";"):
        lead = len(chunk) - len(chunk.lstrip())
        if chunk.strip():
            entries.append(_Entry(piece.line, piece.column + offset + lead, chunk.strip()))
        offset += len(chunk) + 1
    return entries


def _drop_comment(text: str) -> str:
    # setuptools' `jaraco.text.drop_comment`: a comment starts at " #" (a bare "#" may be a URL fragment).
    return text.partition(" #")[0].rstrip()


def _read_requirements(
    path: str, lines: list[str], entries: list[_Entry], *, single_line: bool
) -> tuple[list[Requirement], list[Problem]]:
    requirements: list[Requirement] = []
    problems: list[Problem] = []
    # setuptools' `_warn_accidental_env_marker_misconfig`: `bar;python_version<"4"` on one line.
    ambiguous = single_line and len(entries) == 2 and entries[1].text.startswith(_MARKER_NAMES)
    for index, entry in enumerate(entries):
        text = _drop_comment(entry.text)
        if not text or text.startswith("#"):
            continue
        line_text = lines[entry.line - 1]
        end_column = entry.column + len(text)
        span = Span(path=path, line=entry.line, column=entry.column, end_line=entry.line, end_column=end_column)
        ignores = inline_ignores(line_text[end_column - 1 :])
        if ambiguous and index == 1:
            whole = f"{entries[0].text};{entry.text}"
            problems.append(
                Problem(
                    code="DC001",
                    message=(
                        f"`{whole}` is two requirements to setuptools: on one line `;` separates entries; "
                        "put the requirement on its own indented line to make the marker apply"
                    ),
                    span=span,
                    line_text=line_text,
                    ignores=ignores,
                )
            )
            continue
        built = build_requirement(text, span, line_text=line_text, ignores=ignores)
        if isinstance(built, Requirement):
            requirements.append(built)
        else:
            problems.append(built)
    return requirements, problems


def with_marker(requirement: Requirement, marker: str) -> Requirement:
    """`requirement` restricted by `marker` too (an `extra:marker` key); `marker` must be valid."""
    combined = marker if requirement.marker is None else f"({requirement.marker}) and ({marker})"
    try:
        return replace(requirement, marker=Marker(combined))
    except InvalidMarker:
        return requirement


def _file_paths(path: str, value: str) -> tuple[str, ...]:
    base = posixpath.dirname(path)
    out = []
    for item in value[len("file:") :].split(","):
        item = item.strip().replace("\\", "/")
        if item:
            out.append(posixpath.normpath(posixpath.join(base, item)))
    return tuple(out)


# --- the public entry point --------------------------------------------------


def parse(path: str, text: str) -> SetupCfg:
    """Read `setup.cfg` text; never raises: defects come back as `problems`."""
    try:
        return _parse(path, text)
    except Exception as exc:  # pragma: no cover - a bug here must not stop the run
        return SetupCfg(
            path=path,
            problems=(Problem(code="DC004", message=f"setup.cfg could not be read: {exc!r}", span=Span(path=path)),),
        )


def _parse(path: str, text: str) -> SetupCfg:
    lines = split_lines(text)
    sections, problems = _read_sections(path, lines)
    sets: list[DependencySet] = []
    file_refs: list[FileRef] = []

    name = None
    metadata = sections.get("metadata")
    if metadata is not None and "name" in metadata.options:
        raw = metadata.options["name"].value()
        if raw and not raw.startswith("attr:"):
            name = canonicalize_name(raw)

    requires_python = None
    options = sections.get("options")
    if options is not None and "python_requires" in options.options:
        requires_python = options.options["python_requires"].value() or None

    def add_set(option: _Option, set_id: str, label: str, kind: SetKind, group: str | None) -> None:
        span = Span(path=path, line=option.line, column=option.column)
        value = option.value()
        if value.startswith("file:"):
            paths = _file_paths(path, value)
            sets.append(
                DependencySet(
                    id=set_id, label=label, kind=kind, path=path, span=span, group=group, files=(path, *paths)
                )
            )
            file_refs.append(FileRef(set_id=set_id, paths=paths, span=span))
            return
        pieces = option.value_pieces()
        requirements, found = _read_requirements(path, lines, _entries(option), single_line=len(pieces) <= 1)
        problems.extend(found)
        sets.append(
            DependencySet(
                id=set_id,
                label=label,
                kind=kind,
                path=path,
                requirements=tuple(requirements),
                span=span,
                group=group,
                files=(path,),
            )
        )

    if options is not None and "install_requires" in options.options:
        add_set(
            options.options["install_requires"],
            "setup.cfg:options.install_requires",
            "setup.cfg install_requires",
            SetKind.RUNTIME,
            None,
        )

    extras = sections.get("options.extras_require")
    if extras is not None:
        seen: dict[str, str] = {}
        for key, option in extras.options.items():
            group = canonicalize_name(key)
            if group in seen:
                problems.append(
                    Problem(
                        code="DC004",
                        message=f"extra `{key}` is the same extra as `{seen[group]}`; the first one is used",
                        span=Span(path=path, line=option.line, column=option.column),
                        line_text=lines[option.line - 1],
                        severity=Severity.WARNING,
                    )
                )
                continue
            seen[group] = key
            add_set(
                option,
                f"setup.cfg:options.extras_require.{group}",
                f"setup.cfg extras_require[{group}]",
                extra_kind(group),
                group,
            )

    return SetupCfg(
        path=path,
        name=name,
        requires_python=requires_python,
        sets=tuple(sets),
        problems=tuple(problems),
        file_refs=tuple(file_refs),
    )
