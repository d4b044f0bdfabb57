"""What a Python file imports, read from its AST, or line by line when the AST cannot be built.

`walk` is the one pass over a tree that `scan_imports` and `strings.scan_strings`
share: it keeps track of the context an import runs in (`if TYPE_CHECKING:`,
`try:` guarded by an `except ImportError`, the body of a function) and hands the
nodes a `strings.StringCollector` asks for to it, so a file is walked once.
With `deep=False` only statements are visited (an `import` is always a
statement); expressions are entered when dynamic imports or strings are wanted.

Decisions:

- `import a, b` gives one `Import` per module, all at the statement's position
  (alias nodes have no position before Python 3.10).
- `optional`: the body of a `try:` with a handler for ImportError,
  ModuleNotFoundError, Exception, BaseException, a bare `except:` (also inside a
  tuple), or the body of `with suppress(ImportError):`. Handlers, `else:` and
  `finally:` are not guarded. A function body starts unguarded again: the
  `try:` around a `def` does not run when the function is called.
- `function_level`: the body of a def/async def/lambda. Decorators, defaults
  and annotations run when the function is defined, so they keep the outer context.
- `dynamic`: `importlib.import_module("x")` (also through `import importlib as
  il` or `from importlib import import_module as im`, wherever in the file),
  `__import__("x")`; a relative name with a literal package is resolved the way
  importlib does (`import_module("..x", "a.b.c")` is `a.b.x`); with a package that
  is not a literal the import stays relative (`level` > 0).
- String-only expression statements (docstrings) are not entered.

`read_imports` is the fallback for text `ast.parse` rejects (newer syntax than the
running Python, Python 2, broken code). It masks strings and comments (f-strings
with nested quotes included, as Python 3.12 reads them), joins logical lines
(brackets, backslashes, `;`), follows indentation for the same three flags and
returns the same imports `walk` would on valid code -- a test checks this on every
standard-library module. It does not see dynamic imports.
"""

from __future__ import annotations

import ast
import re
import unicodedata
from bisect import bisect_right
from typing import TYPE_CHECKING, Callable, NamedTuple

from depcheck.scan import Import

if TYPE_CHECKING:
    from collections.abc import Sequence

    from depcheck.scan.strings import StringCollector

__all__ = [
    "Lexed",
    "Statement",
    "char_column",
    "lex",
    "line_starts",
    "logical_lines",
    "position",
    "read_imports",
    "scan_imports",
    "walk",
]

_TC, _OPT, _FN = 1, 2, 4
_CATCHES = frozenset({"ImportError", "ModuleNotFoundError", "Exception", "BaseException"})
# Fields that never hold a node worth visiting (`ctx` alone is on most nodes).
_LEAF_FIELDS = frozenset({"ctx", "op", "ops", "id", "attr", "arg", "name", "module", "level", "kind", "conversion",
                          "type_comment", "type_ignores", "is_async", "simple", "names", "kwd_attrs", "rest"})  # fmt: skip
_BLOCK_FIELDS = ("body", "orelse", "handlers", "finalbody", "cases")
_FIELDS: dict[type, tuple[str, ...]] = {}
_FUNCS = (ast.FunctionDef, ast.AsyncFunctionDef)
_TRIES = tuple(t for t in (ast.Try, getattr(ast, "TryStar", None)) if t is not None)
_WITHS = (ast.With, ast.AsyncWith)


def char_column(lines: Sequence[str], lineno: int, byte_col: int) -> int:
    """1-based character column from ast's 0-based UTF-8 byte offset."""
    if not 0 < lineno <= len(lines):
        return byte_col + 1
    line = lines[lineno - 1]
    if line.isascii():
        return byte_col + 1
    return len(line.encode("utf-8")[:byte_col].decode("utf-8", "replace")) + 1


def _line_text(lines: Sequence[str], lineno: int) -> str:
    return lines[lineno - 1].strip() if 0 < lineno <= len(lines) else ""


def scan_imports(tree: ast.AST, lines: Sequence[str]) -> tuple[Import, ...]:
    """Every import in `tree`, dynamic ones included, sorted by position."""
    return walk(tree, lines)


# --- the AST walk ------------------------------------------------------------------------


def _is_type_checking(test: ast.expr) -> bool:
    if isinstance(test, ast.Name):
        return test.id == "TYPE_CHECKING"
    return isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING" and isinstance(test.value, ast.Name)


def _exception_names(node: ast.expr | None) -> list[str]:
    if isinstance(node, ast.Name):
        return [node.id]
    if isinstance(node, ast.Attribute):
        return [node.attr]
    if isinstance(node, ast.Tuple):
        return [name for item in node.elts for name in _exception_names(item)]
    return []


_ENVIRONMENT_TEXT = re.compile(
    r"(?<![\w])(?:version_info|platform|PY2|PY3|PY37|PY38|PY39|PY310|PY311|PY312|PY313|PYPY|WINDOWS|IS_WINDOWS|IS_PYPY)(?![\w])"
    r"|(?<![\w.])os\.name(?![\w])"
)
_ENVIRONMENT = frozenset({"version_info", "platform", "PY2", "PY3", "PY37", "PY38", "PY39", "PY310", "PY311", "PY312", "PY313", "PYPY", "WINDOWS", "IS_WINDOWS", "IS_PYPY"})


def _is_environment_check(test: ast.AST) -> bool:
    """`sys.version_info >= (3, 11)`, `sys.platform == "win32"`, `os.name == "nt"`, `PY2`, `six.PY3`..."""
    for node in ast.walk(test):
        if isinstance(node, ast.Attribute) and (
            node.attr in _ENVIRONMENT or (node.attr == "name" and isinstance(node.value, ast.Name) and node.value.id == "os")
        ):
            return True
        if isinstance(node, ast.Name) and node.id in _ENVIRONMENT:
            return True
    return False


def _guards(handlers: list[ast.ExceptHandler]) -> bool:
    return any(h.type is None or not _CATCHES.isdisjoint(_exception_names(h.type)) for h in handlers)


def _suppresses(items: list[ast.withitem]) -> bool:
    for item in items:
        call = item.context_expr
        if isinstance(call, ast.Call):
            func = call.func
            name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
            if name == "suppress" and any(not _CATCHES.isdisjoint(_exception_names(a)) for a in call.args):
                return True
    return False


def _child_fields(cls: type) -> tuple[str, ...]:
    fields = _FIELDS.get(cls)
    if fields is None:
        fields = _FIELDS[cls] = tuple(f for f in cls._fields if f not in _LEAF_FIELDS)  # type: ignore[attr-defined]
    return fields


class _Candidate(NamedTuple):
    call: ast.Call
    ctx: int
    owner: str  # the name the callable is looked up on ("" for a bare name)
    callee: str


def walk(
    tree: ast.AST,
    lines: Sequence[str],
    *,
    strings: StringCollector | None = None,
    deep: bool = True,
    dynamic: bool = True,
) -> tuple[Import, ...]:
    """Walk `tree` once: return its imports, feed `strings` the nodes it handles.

    `deep=False` visits statements only (no dynamic imports, no strings); `dynamic`
    turns the import_module/__import__ search off when the text cannot hold one.
    """
    handlers: dict[type, Callable[[ast.AST], None]] = strings.handlers if strings is not None else {}
    found: list[Import] = []
    candidates: list[_Candidate] = []
    modules = {"importlib"}  # names bound to the importlib module
    functions: set[str] = set()  # names bound to importlib.import_module
    stack: list[tuple[ast.AST, int]] = [(node, 0) for node in getattr(tree, "body", ())]
    push = stack.append
    # Local names: this loop runs for every node of every file.
    Import_, ImportFrom, Call, Expr, If, Lambda = ast.Import, ast.ImportFrom, ast.Call, ast.Expr, ast.If, ast.Lambda
    Constant, JoinedStr, FormattedValue = ast.Constant, ast.JoinedStr, ast.FormattedValue
    while stack:
        node, ctx = stack.pop()
        cls = node.__class__
        if cls is Import_ or cls is ImportFrom:
            found.extend(_static(node, ctx, lines))  # type: ignore[arg-type]
            if cls is Import_:
                modules.update(a.asname for a in node.names if a.name == "importlib" and a.asname)  # type: ignore[attr-defined]
            elif node.module == "importlib" and not node.level:  # type: ignore[attr-defined]
                functions.update(a.asname or a.name for a in node.names if a.name == "import_module")  # type: ignore[attr-defined]
            continue
        if cls is Expr and node.value.__class__ in (Constant, JoinedStr):  # type: ignore[attr-defined]
            continue  # a docstring or a string used as a comment
        handler = handlers.get(cls)
        if handler is not None:
            handler(node)
        if cls in _FUNCS:
            inner = (ctx | _FN) & ~_OPT
            _push_all(stack, node.body, inner)  # type: ignore[attr-defined]
            if deep:
                _push_all(stack, node.decorator_list, ctx)  # type: ignore[attr-defined]
                push((node.args, ctx))  # type: ignore[attr-defined]
                if node.returns is not None:  # type: ignore[attr-defined]
                    push((node.returns, ctx))  # type: ignore[attr-defined]
                _push_all(stack, getattr(node, "type_params", ()), ctx)
            continue
        if cls is If:
            if _is_environment_check(node.test):  # type: ignore[attr-defined]
                # `if sys.version_info >= (3, 11): import tomllib else: import tomli`:
                # each branch is for some Pythons or platforms only.
                _push_all(stack, node.body, ctx | _OPT)  # type: ignore[attr-defined]
                _push_all(stack, node.orelse, ctx | _OPT)  # type: ignore[attr-defined]
                if deep:
                    push((node.test, ctx))  # type: ignore[attr-defined]
                continue
            _push_all(stack, node.body, ctx | _TC if _is_type_checking(node.test) else ctx)  # type: ignore[attr-defined]
            _push_all(stack, node.orelse, ctx)  # type: ignore[attr-defined]
            if deep:
                push((node.test, ctx))  # type: ignore[attr-defined]
            continue
        if cls in _TRIES:
            guarded = _guards(node.handlers)  # type: ignore[attr-defined]
            _push_all(stack, node.body, ctx | _OPT if guarded else ctx)  # type: ignore[attr-defined]
            for h in node.handlers:  # type: ignore[attr-defined]
                # the fallback of an ImportError (`except ImportError: import simplejson as json`)
                _push_all(stack, h.body, ctx | _OPT if guarded else ctx)
                if deep and h.type is not None:
                    push((h.type, ctx))
            _push_all(stack, node.orelse, ctx)  # type: ignore[attr-defined]
            _push_all(stack, node.finalbody, ctx)  # type: ignore[attr-defined]
            continue
        if cls in _WITHS:
            _push_all(stack, node.body, ctx | _OPT if _suppresses(node.items) else ctx)  # type: ignore[attr-defined]
            if deep:
                _push_all(stack, node.items, ctx)  # type: ignore[attr-defined]
            continue
        if not deep:
            for field in _BLOCK_FIELDS:
                children = getattr(node, field, None)
                if children:
                    _push_all(stack, children, ctx)
            continue
        if cls is Constant:
            continue
        if cls is JoinedStr:
            # Its constant parts went to the handler; before 3.12 they carry no positions of their own.
            for value in node.values:  # type: ignore[attr-defined]
                if value.__class__ is FormattedValue:
                    push((value.value, ctx))
                    if value.format_spec is not None:
                        push((value.format_spec, ctx))
            continue
        if cls is Lambda:
            push((node.args, ctx))  # type: ignore[attr-defined]
            push((node.body, (ctx | _FN) & ~_OPT))  # type: ignore[attr-defined]
            continue
        if cls is Call and dynamic:
            func = node.func  # type: ignore[attr-defined]
            if func.__class__ is ast.Name:
                candidates.append(_Candidate(node, ctx, "", func.id))  # type: ignore[arg-type]
            elif func.__class__ is ast.Attribute and func.attr == "import_module" and func.value.__class__ is ast.Name:
                candidates.append(_Candidate(node, ctx, func.value.id, func.attr))  # type: ignore[arg-type]
        for field in _child_fields(cls):
            child = getattr(node, field, None)
            if child is None:
                continue
            if child.__class__ is list:
                _push_all(stack, child, ctx)
            elif isinstance(child, ast.AST):
                push((child, ctx))
    for candidate in candidates:
        owner, callee = candidate.owner, candidate.callee
        if (owner and owner in modules) or (not owner and (callee == "__import__" or callee in functions)):
            item = _dynamic(candidate.call, candidate.ctx, lines, builtin=callee == "__import__")
            if item is not None:
                found.append(item)
    found.sort(key=_position)
    return tuple(found)


def _push_all(stack: list[tuple[ast.AST, int]], nodes: Sequence[ast.AST], ctx: int) -> None:
    stack.extend([(n, ctx) for n in nodes if isinstance(n, ast.AST)])


def _position(item: Import) -> tuple[int, int, bool, str, tuple[str, ...]]:
    return (item.line, item.column, item.dynamic, item.module, item.names)


def _static(node: ast.Import | ast.ImportFrom, ctx: int, lines: Sequence[str]) -> list[Import]:
    line = node.lineno
    column = char_column(lines, line, node.col_offset)
    text = _line_text(lines, line)
    flags = {"type_checking": bool(ctx & _TC), "optional": bool(ctx & _OPT), "function_level": bool(ctx & _FN)}
    if isinstance(node, ast.Import):
        return [Import(module=a.name, line=line, column=column, text=text, **flags) for a in node.names]
    return [
        Import(
            module=node.module or "",
            names=tuple(a.name for a in node.names),
            level=node.level or 0,
            line=line,
            column=column,
            text=text,
            **flags,
        )
    ]


def _literal(node: ast.expr | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def _dynamic(call: ast.Call, ctx: int, lines: Sequence[str], *, builtin: bool) -> Import | None:
    args = list(call.args)
    keywords = {k.arg: k.value for k in call.keywords if k.arg}
    name = _literal(args[0] if args else keywords.get("name"))
    if not name or any(isinstance(a, ast.Starred) for a in args):
        return None
    level = 0
    if builtin:
        # __import__(name, globals=None, locals=None, fromlist=(), level=0)
        raw = args[4] if len(args) > 4 else keywords.get("level")
        if isinstance(raw, ast.Constant) and isinstance(raw.value, int) and not isinstance(raw.value, bool):
            level = max(raw.value, 0)
    else:
        stripped = name.lstrip(".")
        level = len(name) - len(stripped)
        if level:
            package = _literal(args[1] if len(args) > 1 else keywords.get("package"))
            name = stripped
            if package:
                parts = package.rsplit(".", level - 1)
                if len(parts) >= level:
                    name, level = (f"{parts[0]}.{stripped}" if stripped else parts[0]), 0
    if not all(part.isidentifier() for part in name.split(".")) and not (level and name == ""):
        return None
    return Import(
        module=name,
        line=call.lineno,
        column=char_column(lines, call.lineno, call.col_offset),
        text=_line_text(lines, call.lineno),
        level=level,
        type_checking=bool(ctx & _TC),
        optional=bool(ctx & _OPT),
        function_level=bool(ctx & _FN),
        dynamic=True,
    )


# --- the fallback: a lexer that masks strings and comments ---------------------------------

_PREFIXES = frozenset({"r", "u", "b", "br", "rb", "f", "fr", "rf", "t", "tr", "rt"})
_CODE_STOP = re.compile(r"[#'\"]")
_EOL = re.compile(r"[\r\n]")
_TRIPLE = {
    q: re.compile(rf"[^{q}\\]*(?:(?:\\.|{q}(?!{q}{q}))[^{q}\\]*)*{q}{q}{q}", re.DOTALL) for q in "'\""
}  # fmt: skip
_SINGLE = {q: re.compile(rf"[^{q}\\\r\n]*(?:\\(?:\r\n|[\s\S])[^{q}\\\r\n]*)*{q}") for q in "'\""}
_FIELD_STOP = re.compile(r"[\"'#()\[\]{}!:\r\n]")
_FSTRING_STOP = {(q, t): re.compile(r"[\\{}" + q + ("]" if t else r"\r\n]")) for q in "'\"" for t in (True, False)}
_SPEC_STOP = {(q, t): re.compile(r"[{}" + q + ("]" if t else r"\r\n]")) for q in "'\"" for t in (True, False)}
_MAX_NESTING = 40


class Lexed(NamedTuple):
    """Text with every string literal and comment masked, columns and lines unchanged.

    A string becomes a run of `"` as long as its source (its line breaks too, so
    brackets and line ends outside strings are all that is left); a comment
    becomes spaces. `strings` holds each top-level literal's (start, end, prefix)
    and the spans of its literal text (an f-string's text between its fields, and
    the strings nested in those fields).
    """

    text: str
    masked: str
    strings: list[tuple[int, int, str, list[tuple[int, int]]]]


def lex(text: str) -> Lexed:
    out: list[str] = []
    strings: list[tuple[int, int, str, list[tuple[int, int]]]] = []
    pos, n = 0, len(text)
    while pos < n:
        m = _CODE_STOP.search(text, pos)
        if m is None:
            out.append(text[pos:])
            break
        i = m.start()
        if text[i] == "#":
            eol = _EOL.search(text, i)
            j = eol.start() if eol else n
            out.append(text[pos:i])
            out.append(" " * (j - i))
            pos = j
            continue
        prefix = _prefix(text, pos, i)
        start = i - len(prefix)
        parts: list[tuple[int, int]] = []
        end = _string(text, i, prefix.lower(), parts, 0)
        out.append(text[pos:start])
        out.append('"' * (end - start))
        strings.append((start, end, prefix.lower(), parts))
        pos = end
    return Lexed(text, "".join(out), strings)


_COMMENT_OR_QUOTE = re.compile(r"#[^\r\n]*|['\"]")
_PREFIX_END = frozenset("rRbBuUfFtT")


def mask(text: str, stop: int = -1) -> str:
    """`lex(text).masked`, in less time: what the fast path needs, for every file.

    Plain literals are matched whole by one regex each, without recording their
    parts; f- and t-strings (fields, nested quotes) and unterminated literals go
    the way `lex` goes. With `stop`, only a prefix is masked: up to the first line
    after `stop`, outside any literal, that starts with a name or `@` at column 0
    (a statement, unless brackets are open), or the whole text.
    """
    out: list[str] = []
    pos = 0
    line = -1  # with `stop`: the start of the first line after it that may end the prefix
    search = _COMMENT_OR_QUOTE.search
    while True:
        m = search(text, pos)
        if stop >= 0:
            if line < pos:  # not found yet, or inside the literal just read
                found = _NEXT_TOP_LINE.search(text, max(pos, stop))
                while found is not None and _decorated(text, found.end()):
                    found = _NEXT_TOP_LINE.search(text, found.end())
                if found is None:
                    stop = -1
                line = found.end() if found is not None else -1
            if stop >= 0 and (m is None or m.start() >= line):
                out.append(text[pos:line])
                return "".join(out)
        if m is None:
            out.append(text[pos:])
            return "".join(out)
        i = m.start()
        q = text[i]
        if q == "#":
            out.append(text[pos:i])
            out.append(" " * (m.end() - i))
            pos = m.end()
            continue
        start = i
        if i and text[i - 1] in _PREFIX_END:
            prefix = _prefix(text, pos, i).lower()
            start = i - len(prefix)
            if "f" in prefix or "t" in prefix:
                end = _string(text, i, prefix, [], 0)
                out.append(text[pos:start])
                out.append('"' * (end - start))
                pos = end
                continue
        if text.startswith(q * 3, i):
            literal = _TRIPLE[q].match(text, i + 3)
        else:
            literal = _SINGLE[q].match(text, i + 1)
        if literal is None:  # unterminated: broken code, read as `lex` reads it
            return lex(text).masked
        end = literal.end()
        out.append(text[pos:start])
        out.append('"' * (end - start))
        pos = end


def _decorated(text: str, line: int) -> bool:
    """Whether the `def` or `class` at `line` may follow a decorator (the line above it at column 0
    opens with `@`, or closes its arguments): the prefix must not end between the two."""
    if not text.startswith(("def", "class", "async"), line):
        return False
    above = line - 1
    while above > 0:
        start = max(text.rfind("\n", 0, above), text.rfind("\r", 0, above)) + 1
        if start < above and text[start] not in " \t\x0c":
            return text[start] in "@)]"
        above = start - 1
    return False


_NEXT_TOP_LINE = re.compile(r"(?:\r\n|\r|\n)(?=[A-Za-z_@])(?!(?:else|elif|except|finally)(?!\w))")


def _prefix(text: str, floor: int, quote: int) -> str:
    k = quote
    while k > floor and quote - k < 3 and (text[k - 1].isalnum() or text[k - 1] == "_"):
        k -= 1
    run = text[k:quote]
    if not run or len(run) > 2 or run.lower() not in _PREFIXES:
        return ""
    if k > floor and (text[k - 1].isalnum() or text[k - 1] == "_"):
        return ""
    return run


def _string(text: str, i: int, prefix: str, parts: list[tuple[int, int]], depth: int) -> int:
    """End of the string literal whose opening quote is at `i`."""
    q = text[i]
    triple = text.startswith(q * 3, i)
    body = i + (3 if triple else 1)
    if ("f" in prefix or "t" in prefix) and depth < _MAX_NESTING:
        return _fstring(text, body, q, triple, "r" in prefix, parts, depth)
    m = (_TRIPLE if triple else _SINGLE)[q].match(text, body)
    if m is None:  # unterminated: to the end of the text (triple) or of the line
        if triple:
            end = len(text)
        else:
            eol = _EOL.search(text, body)
            end = eol.start() if eol else len(text)
        parts.append((body, end))
        return end
    parts.append((body, m.end() - (3 if triple else 1)))
    return m.end()


def _fstring(text: str, j: int, q: str, triple: bool, raw: bool, parts: list[tuple[int, int]], depth: int) -> int:
    n = len(text)
    stop = _FSTRING_STOP[q, triple]
    literal = j
    while True:
        m = stop.search(text, j)
        if m is None:
            parts.append((literal, n))
            return n
        k = m.start()
        c = text[k]
        if c == "\\":
            if not raw and text.startswith("N{", k + 1):
                close = text.find("}", k)
                j = close + 1 if close >= 0 else n
            elif text.startswith("\r\n", k + 1):
                j = k + 3
            else:  # a brace after a backslash still opens or closes a field
                j = k + 1 if text.startswith(("{", "}"), k + 1) else k + 2
        elif c == q:
            if not triple:
                parts.append((literal, k))
                return k + 1
            if text.startswith(q * 3, k):
                parts.append((literal, k))
                return k + 3
            j = k + 1
        elif c == "{":
            if text.startswith("{", k + 1):
                j = k + 2
                continue
            parts.append((literal, k))
            j = literal = _field(text, k + 1, q, triple, parts, depth)
        elif c == "}":
            j = k + 2 if text.startswith("}", k + 1) else k + 1
        else:  # a line break in a single-quoted string: unterminated
            parts.append((literal, k))
            return k


def _field(text: str, j: int, q: str, triple: bool, parts: list[tuple[int, int]], depth: int) -> int:
    """Position after the `}` closing the replacement field whose code starts at `j`."""
    n = len(text)
    brackets = 0
    while True:
        m = _FIELD_STOP.search(text, j)
        if m is None:
            return n
        k = m.start()
        c = text[k]
        if c in "'\"":  # a nested string, even with the enclosing quote (Python 3.12+)
            prefix = _prefix(text, j, k)
            j = _string(text, k, prefix.lower(), parts, depth + 1)
        elif c == "#":
            eol = _EOL.search(text, k)
            j = eol.start() if eol else n
        elif c in "([{":
            brackets += 1
            j = k + 1
        elif c in ")]":
            brackets = max(brackets - 1, 0)
            j = k + 1
        elif c == "}":
            if brackets == 0:
                return k + 1
            brackets -= 1
            j = k + 1
        elif c == "!":
            j = k + 2 if text.startswith("=", k + 1) else k + 1
        elif c == ":":
            if brackets == 0:
                return _format_spec(text, k + 1, q, triple, parts, depth)
            j = k + 1
        else:  # line break
            if not triple and brackets == 0:
                return k
            j = k + 1


def _format_spec(text: str, j: int, q: str, triple: bool, parts: list[tuple[int, int]], depth: int) -> int:
    n = len(text)
    stop = _SPEC_STOP[q, triple]
    while True:
        m = stop.search(text, j)
        if m is None:
            return n
        k = m.start()
        c = text[k]
        if c == "{":
            # past absurd nesting a brace is read as text
            j = k + 1 if depth >= _MAX_NESTING else _field(text, k + 1, q, triple, parts, depth + 1)
        elif c == "}":
            return k + 1
        elif c == q:
            if triple and not text.startswith(q * 3, k):
                j = k + 1
                continue
            return k  # the string ends inside the spec: broken code
        else:
            return k


# --- the fallback: logical lines and statements --------------------------------------------

_EVENT = re.compile(r"[()\[\]{};]|\\(?:\r\n|\r|\n)?|\r\n|\r|\n")
# Inside brackets, a line starting with one of these (never valid there) ends the statement:
# an unclosed bracket in broken code should not hide the rest of the file.
_RECOVER = re.compile(
    r"[ \t\x0c]*(?:(?:async[ \t]+)?(?:def|class)[ \t]+\w|import[ \t]+\w|from[ \t]+[\w.]+[ \t]+import(?!\w))"
)
_LEAD = re.compile(r"(?:[ \t\x0c]|\\(?:\r\n|\r|\n))*")
_CONTINUATION = re.compile(r"\\(?:\r\n|\r|\n)")
_COMPOUND = re.compile(r"(?:async[ \t]+)?(def|class|if|elif|else|try|except|finally|for|while|with|match|case)(?!\w)")
_HEADER_TOKEN = re.compile(r"[()\[\]{}]|:=?|\blambda\b")
_IMPORT = re.compile(r"import(?!\w)")
_FROM = re.compile(r"from(?!\w)\s*((?:\.\s*)*)(.*?)(?<!\w)import(?!\w)(.*)\Z", re.DOTALL)
_AS = re.compile(r"(.*?)(?:(?<=[\s)])as\s*\w+)?\s*\Z", re.DOTALL)
_NAME = re.compile(r"[\w.]+")
_TYPE_CHECKING = re.compile(r"(\(*)(?:\w+\.)?TYPE_CHECKING(\)*)\Z")
_SUPPRESS = re.compile(r"(?<![\w.])(?:\w+\.)?suppress\(([^()]*)\)")
_EOL_ANY = re.compile(r"\r\n|\r|\n")


class Statement(NamedTuple):
    """A simple statement or a compound statement's header, as offsets into `Lexed.masked`.

    `keyword` names a compound statement ("def", "if", "except", ...; "" for a simple
    statement) and `colon` is its header's colon; a body on the same line follows it,
    and the statements after `;` on that line belong to that body too. `indent` is the
    logical line's indentation, tabs to multiples of 8 as Python counts them.
    """

    start: int
    end: int
    indent: int
    keyword: str
    colon: int
    first: bool  # the first statement of its logical line


def logical_lines(masked: str) -> list[Statement]:
    """Split masked text into statements: brackets and backslashes join lines, `;` splits them."""
    statements: list[Statement] = []
    depth = 0
    start = 0
    spans: list[tuple[int, int]] = []
    for m in _EVENT.finditer(masked):
        c = masked[m.start()]
        if c in "([{":
            depth += 1
        elif c in ")]}":
            if depth:
                depth -= 1
        elif c == ";":
            if depth == 0:
                spans.append((start, m.start()))
                start = m.end()
        elif c == "\\":
            continue
        elif depth == 0 or _RECOVER.match(masked, m.end()):
            depth = 0
            spans.append((start, m.start()))
            _statements(masked, spans, statements)
            spans = []
            start = m.end()
    spans.append((start, len(masked)))
    _statements(masked, spans, statements)
    return statements


def _statements(masked: str, spans: list[tuple[int, int]], out: list[Statement]) -> None:
    indent = -1
    for start, end in spans:
        start = _LEAD.match(masked, start, end).end()  # type: ignore[union-attr]
        if start >= end or masked[start:end].isspace():
            continue
        keyword, colon = "", -1
        if indent < 0:
            indent = _indent(masked, start)
            first = True
            m = _COMPOUND.match(masked, start, end)
            if m is not None:
                colon = _header_colon(masked, m.end(), end)
                if colon >= 0:
                    keyword = m.group(1)
        else:
            first = False
        out.append(Statement(start, end, indent, keyword, colon, first))


def _indent(masked: str, pos: int) -> int:
    k = pos
    while k > 0 and masked[k - 1] not in "\r\n":
        k -= 1
    width = 0
    for ch in masked[k:pos]:
        if ch == "\t":
            width = (width // 8 + 1) * 8
        elif ch == "\x0c":
            width = 0
        elif ch == " ":
            width += 1
        else:
            break
    return width


def _header_colon(masked: str, pos: int, end: int) -> int:
    depth = lambdas = 0
    for m in _HEADER_TOKEN.finditer(masked, pos, end):
        token = m.group()
        if token in "([{":
            depth += 1
        elif token in ")]}":
            depth = max(depth - 1, 0)
        elif depth or token == ":=":
            continue
        elif token == "lambda":
            lambdas += 1
        elif lambdas:
            lambdas -= 1
        else:
            return m.start()
    return -1


def _words(text: str) -> str:
    """Code with continuation backslashes gone and whitespace runs made one space."""
    return " ".join(_CONTINUATION.sub(" ", text).split())


def _dotted(text: str) -> str:
    name = "".join(text.split())
    return name if name.isascii() else ".".join(unicodedata.normalize("NFKC", p) for p in name.split("."))


class _Try:
    """A `try:` whose handlers are not all read yet; imports in its body point at it."""

    __slots__ = ("guards",)

    def __init__(self, guards: bool = False) -> None:
        self.guards = guards


class _Block(NamedTuple):
    indent: int  # of the header; the body is indented deeper
    ctx: int  # _TC | _FN
    tries: tuple[_Try, ...]


def read_imports(lexed: Lexed, lines: Sequence[str]) -> tuple[Import, ...]:
    """The static imports of text `ast.parse` cannot read, with the flags `walk` would give."""
    masked = lexed.masked
    starts = line_starts(lexed.text)
    stack = [_Block(-1, 0, ())]
    bodies = [-1]  # the indentation of each open block's body, once its first line is seen
    last_try: dict[int, _Try] = {}  # per indentation, the `try:` an `except` there belongs to
    last_if: dict[int, bool] = {}  # per indentation, whether the open if/elif chain tests the environment
    drafts: list[tuple[int, list[tuple[str, tuple[str, ...], int]], _Block]] = []
    same_line: _Block | None = None  # a header's body on its own line, for the statements after `;`
    for st in logical_lines(masked):
        if st.first:
            same_line = None
            # A line indented less than the body it is in (broken code) closes that body too.
            while len(stack) > 1 and (stack[-1].indent >= st.indent or st.indent < bodies[-1]):
                stack.pop()
                bodies.pop()
            if bodies[-1] < 0:
                bodies[-1] = st.indent
            for key in [k for k in last_try if k > st.indent]:
                del last_try[key]
            for key in [k for k in last_if if k > st.indent]:
                del last_if[key]
            if st.keyword not in ("except", "else", "finally"):
                last_try.pop(st.indent, None)
            if st.keyword not in ("elif", "else"):
                last_if.pop(st.indent, None)
        block = same_line or stack[-1]
        start = st.start
        if st.keyword:
            block = _enter(block, st, masked[st.start : st.colon], last_try, last_if)
            start = _LEAD.match(masked, st.colon + 1, st.end).end()  # type: ignore[union-attr]
            if start >= st.end or masked[start : st.end].isspace():
                stack.append(block)
                bodies.append(-1)
                continue
            same_line = block
        found = _parse_import(masked, start, st.end)
        if found:
            drafts.append((start, found, block))
    result = []
    for offset, found, block in drafts:
        line, column = position(starts, offset)
        text = lines[line - 1].strip() if line <= len(lines) else ""
        for module, names, level in found:
            result.append(
                Import(
                    module=module,
                    names=names,
                    level=level,
                    line=line,
                    column=column,
                    text=text,
                    type_checking=bool(block.ctx & _TC),
                    optional=any(t.guards for t in block.tries),
                    function_level=bool(block.ctx & _FN),
                )
            )
    result.sort(key=_position)
    return tuple(result)


def _enter(
    block: _Block, st: Statement, header: str, last_try: dict[int, _Try], last_if: dict[int, bool] | None = None
) -> _Block:
    """The context of the body of the compound statement `header` (without its colon)."""
    keyword = st.keyword
    ctx, tries = block.ctx, block.tries
    rest = _words(header[header.index(keyword) + len(keyword) :])
    if last_if is not None and keyword in ("if", "elif", "else"):
        # as the tree walk does: an environment test makes its branches and every later
        # elif/else of the chain optional
        environment = last_if.get(st.indent, False) if keyword != "if" else False
        if keyword != "else":
            environment = environment or _ENVIRONMENT_TEXT.search(rest) is not None
        last_if[st.indent] = environment
        if environment:
            return _Block(st.indent, ctx, (*tries, _Try(True)))
    if keyword == "def":
        ctx, tries = ctx | _FN, ()
    elif keyword in ("if", "elif"):
        m = _TYPE_CHECKING.match(rest.replace(" ", ""))
        if m is not None and len(m.group(1)) == len(m.group(2)):
            ctx |= _TC
    elif keyword == "try":
        record = _Try()
        last_try[st.indent] = record
        tries = (*tries, record)
    elif keyword == "except":
        record = last_try.get(st.indent)  # type: ignore[assignment]
        if record is not None:
            if _except_guards(rest):
                record.guards = True
            tries = (*tries, record)  # the fallback of an ImportError is optional too
    elif keyword == "with":
        for m in _SUPPRESS.finditer(rest.replace(" ", "")):
            if not _CATCHES.isdisjoint(name.rsplit(".", 1)[-1] for name in m.group(1).split(",")):
                tries = (*tries, _Try(True))
                break
    return _Block(st.indent, ctx, tries)


def _except_guards(clause: str) -> bool:
    clause = _AS.match(clause.lstrip("*")).group(1).strip()  # type: ignore[union-attr]
    if not clause:
        return True  # bare `except:`
    names = clause.replace("(", " ").replace(")", " ").split(",")
    return any(_NAME.fullmatch(n.strip()) and n.strip().rsplit(".", 1)[-1] in _CATCHES for n in names)


def _parse_import(masked: str, start: int, end: int) -> list[tuple[str, tuple[str, ...], int]] | None:
    """(module, names, level) for each module an import statement at `start` imports."""
    if _IMPORT.match(masked, start, end):
        items: list[tuple[str, tuple[str, ...], int]] = []
        for chunk in _words(masked[start + len("import") : end]).split(","):
            words = chunk.split()
            if "as" in words:
                words = words[: words.index("as")]
            if words:
                items.append((_dotted("".join(words)), (), 0))
        return items or None
    if not masked.startswith("from", start):
        return None
    m = _FROM.match(_words(masked[start:end]))
    if m is None:
        return None
    names = []
    for chunk in m.group(3).replace("(", " ").replace(")", " ").split(","):
        words = chunk.split()
        if words:
            names.append(_dotted(words[0]))
    return [(_dotted(m.group(2)), tuple(names), m.group(1).count("."))]


def line_starts(text: str) -> list[int]:
    """Offsets where each line of `text` starts, line breaks counted as Python counts them."""
    starts = [0]
    starts.extend(m.end() for m in _EOL_ANY.finditer(text))
    return starts


def position(starts: list[int], offset: int) -> tuple[int, int]:
    """1-based (line, character column) of `offset`, given `line_starts`."""
    line = bisect_right(starts, offset)
    return line, offset - starts[line - 1] + 1

