"""`setup.py`: literal `install_requires`, `extras_require`, `python_requires` and `name`, read from the AST.

setup.py is never executed. The first `setup(...)`/`<anything>.setup(...)` call in
source order that passes one of the keywords read here (or `**kwargs`) is used.
A keyword's value is read when it is made of literals: a list/tuple of strings, a
multi-line string (setuptools accepts one), `+` of such lists, `*NAME` unpacking,
or a module variable assigned exactly once and never mutated (`REQUIRES = [...]`;
`**KWARGS` with a dict literal or `dict(...)` works the same way). Anything else
(a call, a comprehension, `open(...)`, a variable assigned twice or `.append`ed)
is left alone with an INFO DC004 at the keyword: depcheck cannot know what it
computes. Literal parts next to a computed part are still read.

`extras_require` keys may carry a marker (`"ssl:sys_platform == 'win32'"`), which
setuptools applies to every requirement of the extra; a key with an empty extra
(`":python_version < '3.8'"`) adds conditional requirements to install_requires.

Spans come from the string constants: the column is the opening quote (past any
`u`/`r` prefix), the end is past the closing quote. `col_offset` counts UTF-8
bytes; it is converted to characters with the line's text.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field

from packaging.markers import InvalidMarker, Marker
from packaging.utils import canonicalize_name

from depcheck.model import DependencySet, Problem, Requirement, SetKind, Severity, Span, frozen
from depcheck.parsers.common import build_requirement, extra_kind, inline_ignores
from depcheck.parsers.setup_cfg import with_marker

__all__ = ["SetupPy", "parse"]

_KEYWORDS = ("name", "install_requires", "extras_require", "python_requires")
_MUTATORS = frozenset({"append", "extend", "insert", "update", "setdefault", "pop", "remove", "clear", "__setitem__"})
_NEWLINE = re.compile(r"\r\n|\r|\n")
_MAX_DEPTH = 20
_COMPUTED = "{key} is computed at build time; depcheck does not execute setup.py"

RUNTIME_ID = "setup.py:options.install_requires"
RUNTIME_LABEL = "setup.py install_requires"


@frozen
class SetupPy:
    path: str
    name: str | None = None
    requires_python: str | None = None
    sets: tuple[DependencySet, ...] = ()
    problems: tuple[Problem, ...] = ()


def parse(path: str, text: str) -> SetupPy:
    """Read `setup.py` text without running it; never raises: defects come back as `problems`."""
    lines = _NEWLINE.split(text)
    try:
        tree = ast.parse(text, filename=path)
    except SyntaxError as exc:
        line = exc.lineno if isinstance(exc.lineno, int) and 0 < exc.lineno <= len(lines) else 1
        column = exc.offset if isinstance(exc.offset, int) and exc.offset > 0 else 1
        column = min(column, len(lines[line - 1]) + 1)
        return SetupPy(
            path=path,
            problems=(
                Problem(
                    code="DC004",
                    message=f"setup.py is not valid Python: {exc.msg}",
                    span=Span(path=path, line=line, column=column),
                    line_text=lines[line - 1],
                ),
            ),
        )
    except (ValueError, RecursionError, MemoryError) as exc:  # null bytes (3.9-3.11), absurd nesting
        return SetupPy(
            path=path,
            problems=(
                Problem(
                    code="DC004",
                    message=f"setup.py is not valid Python: {exc}",
                    span=Span(path=path),
                    line_text=lines[0],
                ),
            ),
        )
    try:
        return _Reader(path, lines, tree).read()
    except RecursionError:
        return SetupPy(
            path=path,
            problems=(Problem(code="DC004", message="setup.py is too deeply nested to read", span=Span(path=path)),),
        )
    except Exception as exc:  # pragma: no cover - a bug here must not stop the run
        return SetupPy(
            path=path,
            problems=(Problem(code="DC004", message=f"setup.py could not be read: {exc!r}", span=Span(path=path)),),
        )


class _Computed(Exception):
    """A value that is not a literal; `node` is where it is."""

    def __init__(self, node: ast.AST) -> None:
        super().__init__()
        self.node = node


@dataclass
class _Strings:
    """The string constants found in a requirement-list value, and whether some part was computed."""

    nodes: list[ast.Constant] = field(default_factory=list)
    computed: bool = False


def _call_name(node: ast.Call) -> str | None:
    if isinstance(node.func, ast.Name):
        return node.func.id
    if isinstance(node.func, ast.Attribute):
        return node.func.attr
    return None


class _Reader:
    def __init__(self, path: str, lines: list[str], tree: ast.Module) -> None:
        self.path = path
        self.lines = lines
        self.tree = tree
        self.problems: list[Problem] = []
        self.assigned: dict[str, list[ast.expr | None]] = {}
        self._index_assignments()

    # -- module variables ---------------------------------------------------

    def _index_assignments(self) -> None:
        mutated: set[str] = set()
        for node in ast.walk(self.tree):
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    self._record_target(target, node.value, mutated)
            elif isinstance(node, ast.AnnAssign) and node.value is not None:
                self._record_target(node.target, node.value, mutated)
            elif isinstance(node, (ast.AugAssign, ast.For, ast.AsyncFor)):
                self._record_target(node.target, None, mutated)
            elif isinstance(node, ast.NamedExpr):
                self._record_target(node.target, None, mutated)
            elif isinstance(node, (ast.With, ast.AsyncWith)):
                for item in node.items:
                    if item.optional_vars is not None:
                        self._record_target(item.optional_vars, None, mutated)
            elif isinstance(node, ast.Delete):
                for target in node.targets:
                    self._record_target(target, None, mutated)
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                owner = node.func.value
                if isinstance(owner, ast.Name) and node.func.attr in _MUTATORS:
                    mutated.add(owner.id)
        for name in mutated:
            self.assigned.setdefault(name, []).append(None)

    def _record_target(self, target: ast.AST, value: ast.expr | None, mutated: set[str]) -> None:
        if isinstance(target, ast.Name):
            self.assigned.setdefault(target.id, []).append(value)
        elif isinstance(target, (ast.Tuple, ast.List)):
            for element in target.elts:
                self._record_target(element, None, mutated)
        elif isinstance(target, ast.Starred):
            self._record_target(target.value, None, mutated)
        elif isinstance(target, (ast.Subscript, ast.Attribute)):
            owner = target.value
            while isinstance(owner, (ast.Subscript, ast.Attribute)):
                owner = owner.value
            if isinstance(owner, ast.Name):
                mutated.add(owner.id)

    def resolve(self, node: ast.expr, depth: int = 0) -> ast.expr:
        """Follow a variable to its only assignment; raise `_Computed` when it has none or several."""
        while isinstance(node, ast.Name):
            values = self.assigned.get(node.id, [])
            if len(values) != 1 or values[0] is None or depth > _MAX_DEPTH:
                raise _Computed(node)
            node = values[0]
            depth += 1
        return node

    # -- the setup() call ---------------------------------------------------

    def _setup_call(self) -> ast.Call | None:
        calls = [
            node
            for node in ast.walk(self.tree)
            if isinstance(node, ast.Call)
            and _call_name(node) == "setup"
            and any(keyword.arg is None or keyword.arg in _KEYWORDS for keyword in node.keywords)
        ]
        calls.sort(key=lambda call: (call.lineno, call.col_offset))
        return calls[0] if calls else None

    def _keywords(self, call: ast.Call) -> tuple[dict[str, tuple[ast.expr, ast.AST]], list[ast.keyword]]:
        """keyword -> (value, node to locate it at); and the `**x` that could not be read."""
        found: dict[str, tuple[ast.expr, ast.AST]] = {}
        unreadable: list[ast.keyword] = []
        for keyword in call.keywords:
            if keyword.arg is not None:
                found[keyword.arg] = (keyword.value, keyword)
                continue
            try:
                mapping = self._literal_mapping(keyword.value)
            except _Computed:
                unreadable.append(keyword)
                continue
            for key, (value, where) in mapping.items():
                found.setdefault(key, (value, where))
        return found, unreadable

    def _literal_mapping(self, node: ast.expr, depth: int = 0) -> dict[str, tuple[ast.expr, ast.AST]]:
        """A dict literal or `dict(k=v)` with str keys, as key -> (value, key node); else `_Computed`."""
        if depth > _MAX_DEPTH:
            raise _Computed(node)
        node = self.resolve(node)
        out: dict[str, tuple[ast.expr, ast.AST]] = {}
        if isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values):
                if key is None:  # {**other}
                    out.update(self._literal_mapping(value, depth + 1))
                    continue
                key_node = self.resolve(key)
                if not (isinstance(key_node, ast.Constant) and isinstance(key_node.value, str)):
                    raise _Computed(key)
                out[key_node.value] = (value, key)
            return out
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "dict" and not node.args:
            for keyword in node.keywords:
                if keyword.arg is None:
                    out.update(self._literal_mapping(keyword.value, depth + 1))
                else:
                    out[keyword.arg] = (keyword.value, keyword)
            return out
        raise _Computed(node)

    def _string(self, node: ast.expr) -> str | None:
        try:
            value = self.resolve(node)
        except _Computed:
            return None
        if isinstance(value, ast.Constant) and isinstance(value.value, str):
            return value.value
        return None

    # -- requirement lists --------------------------------------------------

    def _strings(self, node: ast.expr, out: _Strings, depth: int = 0) -> None:
        """Collect the string constants of a list-of-requirements value into `out`."""
        if depth > _MAX_DEPTH:
            out.computed = True
            return
        try:
            node = self.resolve(node)
        except _Computed:
            out.computed = True
            return
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            out.nodes.append(node)
        elif isinstance(node, (ast.List, ast.Tuple)):
            for element in node.elts:
                if isinstance(element, ast.Starred):
                    self._strings(element.value, out, depth + 1)
                else:
                    self._strings(element, out, depth + 1)
        elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            self._strings(node.left, out, depth + 1)
            self._strings(node.right, out, depth + 1)
        else:
            out.computed = True

    def _char_column(self, line: int, byte_offset: int) -> int:
        """1-based character column of a UTF-8 byte offset on `line`."""
        text = self.lines[line - 1] if 0 < line <= len(self.lines) else ""
        return len(text.encode("utf-8")[:byte_offset].decode("utf-8", errors="ignore")) + 1

    def _requirements(self, constant: ast.Constant, marker: str | None) -> list[Requirement]:
        line = constant.lineno
        end_line = constant.end_lineno or line
        column = self._char_column(line, constant.col_offset)
        line_text = self.lines[line - 1] if 0 < line <= len(self.lines) else ""
        while column <= len(line_text) and line_text[column - 1] in "rRuU":
            column += 1  # point at the quote, past a string prefix
        end_column = self._char_column(end_line, constant.end_col_offset or 0)
        end_text = self.lines[end_line - 1] if 0 < end_line <= len(self.lines) else ""
        ignores = inline_ignores(end_text[end_column - 1 :])
        whole = Span(path=self.path, line=line, column=column, end_line=end_line, end_column=end_column)
        value: str = constant.value
        out: list[Requirement] = []
        if "\n" not in value.strip():
            texts = [(value.partition(" #")[0].strip(), whole, line_text, ignores)]
        else:  # a multi-line string: one requirement per line, located when written verbatim
            texts = []
            cursor = line
            for raw in value.splitlines():
                text = raw.strip()
                if not text or text.startswith("#"):
                    continue
                text = text.partition(" #")[0].strip()
                span, where_text, where_ignores = whole, line_text, ignores
                for number in range(cursor, end_line + 1):
                    physical = self.lines[number - 1] if 0 < number <= len(self.lines) else ""
                    at = physical.find(text)
                    if at >= 0:
                        span = Span(
                            path=self.path,
                            line=number,
                            column=at + 1,
                            end_line=number,
                            end_column=at + 1 + len(text),
                        )
                        where_text, where_ignores = physical, inline_ignores(physical[at + len(text) :])
                        cursor = number + 1
                        break
                texts.append((text, span, where_text, where_ignores))
        for text, span, where_text, where_ignores in texts:
            if not text or text.startswith("#"):
                continue
            built = build_requirement(text, span, line_text=where_text, ignores=where_ignores)
            if isinstance(built, Requirement):
                out.append(with_marker(built, marker) if marker else built)
            else:
                self.problems.append(built)
        return out

    def _list(self, key: str, value: ast.expr, where: ast.AST, marker: str | None = None) -> list[Requirement]:
        strings = _Strings()
        self._strings(value, strings)
        if strings.computed:
            self._info(where, _COMPUTED.format(key=key))
        out: list[Requirement] = []
        for constant in strings.nodes:
            out.extend(self._requirements(constant, marker))
        return out

    # -- problems -----------------------------------------------------------

    def _span(self, node: ast.AST) -> Span:
        line = getattr(node, "lineno", 1) or 1
        column = self._char_column(line, getattr(node, "col_offset", 0) or 0)
        return Span(path=self.path, line=line, column=column)

    def _info(self, node: ast.AST, message: str) -> None:
        span = self._span(node)
        self.problems.append(
            Problem(
                code="DC004",
                message=message,
                span=span,
                line_text=self.lines[span.line - 1] if 0 < span.line <= len(self.lines) else "",
                severity=Severity.INFO,
            )
        )

    # -- the result ---------------------------------------------------------

    def read(self) -> SetupPy:
        call = self._setup_call()
        if call is None:
            return SetupPy(path=self.path)
        keywords, unreadable = self._keywords(call)
        for keyword in unreadable:
            if not all(key in keywords for key in ("install_requires", "extras_require")):
                self._info(keyword, "setup() receives `**` arguments computed at build time; depcheck does not "
                           "execute setup.py")  # fmt: skip

        name = None
        if "name" in keywords:
            raw = self._string(keywords["name"][0])
            name = canonicalize_name(raw) if raw and raw.strip() else None
        requires_python = None
        if "python_requires" in keywords:
            raw = self._string(keywords["python_requires"][0])
            requires_python = raw.strip() if raw and raw.strip() else None

        runtime: list[Requirement] = []
        runtime_span: Span | None = None
        if "install_requires" in keywords:
            value, where = keywords["install_requires"]
            runtime_span = self._span(where)
            runtime.extend(self._list("install_requires", value, where))

        extras: dict[str, tuple[list[Requirement], Span]] = {}
        if "extras_require" in keywords:
            value, where = keywords["extras_require"]
            try:
                mapping = self._literal_mapping(value)
            except _Computed:
                self._info(where, _COMPUTED.format(key="extras_require"))
                mapping = {}
            for key, (requirements, key_node) in mapping.items():
                extra, _, marker = key.partition(":")
                if marker.strip() and not self._valid_key_marker(marker.strip(), key, key_node):
                    continue
                found = self._list(f"extras_require[{key!r}]", requirements, key_node, marker.strip() or None)
                if not extra.strip():  # ":marker" — conditional runtime requirements
                    runtime.extend(found)
                    if runtime_span is None:
                        runtime_span = self._span(key_node)
                    continue
                group = canonicalize_name(extra.strip())
                if group in extras:
                    extras[group][0].extend(found)
                else:
                    extras[group] = (found, self._span(key_node))

        sets: list[DependencySet] = []
        if runtime_span is not None:
            sets.append(
                DependencySet(
                    id=RUNTIME_ID,
                    label=RUNTIME_LABEL,
                    kind=SetKind.RUNTIME,
                    path=self.path,
                    requirements=tuple(runtime),
                    span=runtime_span,
                    files=(self.path,),
                )
            )
        for group, (found, span) in extras.items():
            sets.append(
                DependencySet(
                    id=f"setup.py:options.extras_require.{group}",
                    label=f"setup.py extras_require[{group}]",
                    kind=extra_kind(group),
                    path=self.path,
                    requirements=tuple(found),
                    span=span,
                    group=group,
                    files=(self.path,),
                )
            )
        return SetupPy(
            path=self.path,
            name=name,
            requires_python=requires_python,
            sets=tuple(sets),
            problems=tuple(self.problems),
        )

    def _valid_key_marker(self, marker: str, key: str, node: ast.AST) -> bool:
        """Whether the marker of an `extra:marker` key parses; a DC001 when it does not."""
        try:
            Marker(marker)
        except InvalidMarker as exc:
            span = self._span(node)
            self.problems.append(
                Problem(
                    code="DC001",
                    message=f"extras_require key `{key}` has an invalid marker: {str(exc).strip().splitlines()[0]}",
                    span=span,
                    line_text=self.lines[span.line - 1] if 0 < span.line <= len(self.lines) else "",
                )
            )
            return False
        return True
