"""One source file in, one `FileScan` out: Python files and Jupyter notebooks.

Nothing is executed or imported. Only the statements that can hold an import, a
string hit or a dynamic import are parsed (`skeleton`), and walked once
(`imports.walk`, which also feeds `strings.StringCollector`); a file that binds
`importlib` or `import_module` to another name is parsed whole. When `ast.parse`
rejects what it is given (syntax newer than the running Python, Python 2, broken
code), the fallback readers in `imports` and `strings` read the file and an INFO
DC004 says so. Undecodable bytes are an INFO DC004 too, never an exception.

Positions are 1-based lines and character columns. In a notebook they are
positions in the .ipynb file itself: the line holding the JSON string of that
source line, and the column inside it (JSON escapes accounted for).
"""

from __future__ import annotations

import ast
import gc
import io
import json
import json.decoder
import json.scanner
import re
import sys
import tokenize
import warnings
from bisect import bisect_right
from typing import Any, NamedTuple

from depcheck.model import Problem, Severity, Span
from depcheck.scan import FileScan, Import, StringHit
from depcheck.scan.imports import lex, read_imports, walk
from depcheck.scan.skeleton import skeleton
from depcheck.scan.strings import StringCollector, occurrences, places, read_strings, wanted

__all__ = ["scan_bytes", "scan_notebook", "scan_python"]

_NEWLINE = re.compile(r"\r\n|\r|\n")
_PYTHON = f"{sys.version_info[0]}.{sys.version_info[1]}"
_CELL_MAGICS_KEPT = ("%%time", "%%timeit")  # cell magics whose body is plain Python


class _Scanned(NamedTuple):
    imports: tuple[Import, ...]
    strings: tuple[StringHit, ...]
    error: tuple[int, int, str, str] | None  # where and why ast.parse gave up (line, column, message, line text)


def _lines(text: str, count: int = -1) -> list[str]:
    """The lines of `text` (the first `count` of them, and the rest in one piece, when count >= 0).

    Only the lines up to the last statement kept by the fast path are ever read:
    most files import at the top. str.split is three times faster than the regex,
    and text without a carriage return is the common case.
    """
    return text.split("\n", count) if "\r" not in text else _NEWLINE.split(text, max(count, 0))


def _scan(text: str, lines: list[str] | None, calls: frozenset[str], *, whole: bool = False) -> _Scanned:
    """`lines`: the text's lines when the caller has them (notebook cells), else None."""
    # An AST holds no reference cycles, yet building one sets off the cyclic
    # collector again and again: a quarter of the time. Refcounting frees the tree.
    collecting = gc.isenabled()
    gc.disable()
    try:
        dynamic = "import_module" in text or "__import__" in text
        wants_strings = wanted(text, calls)
        if not whole and not (dynamic and _ALIASED.search(text)):
            fast = _cut_and_parse(text, lines, calls, wants_strings=wants_strings, dynamic=dynamic)
            if fast is not None:
                return fast
        return _parse_all(text, lines if lines is not None else _lines(text), calls, dynamic=dynamic, wants_strings=wants_strings)
    finally:
        if collecting:
            gc.enable()


# `import importlib as il` / `import_module as load`: a call of `il.import_module` or `load`
# anywhere is a dynamic import, and its statement holds neither word: parse such files whole.
_ALIASED = re.compile(r"(?:importlib|import_module)\s+as(?!\w)")


def _cut_and_parse(
    text: str, lines: list[str] | None, calls: frozenset[str], *, wants_strings: bool, dynamic: bool
) -> _Scanned | None:
    """The fast path: parse only the statements that can hold an import, a string hit or a dynamic import (`skeleton`).

    None when what is kept does not parse: the whole file is parsed then, for the
    same error or for one in how it was cut. A syntax error in a statement that
    can hold none of them is never read, so it is not reported: it changes nothing
    depcheck reads, and finding it would mean parsing every file whole.
    """
    found = places(text, calls) if wants_strings else []
    if dynamic:
        found = sorted(found + occurrences(text, "import_module") + occurrences(text, "__import__"))
    cut = skeleton(text, found or None)
    if cut == "":
        return _Scanned((), (), None)
    if cut is None:
        return None
    try:
        tree = _parse(cut)
    except _REJECTED:
        return None
    if lines is None:
        lines = _lines(text, cut.count("\n") + 1)  # no line after the last one kept is read
    return _walked(tree, lines, calls, wants_strings=wants_strings, dynamic=dynamic)


def _parse_all(text: str, lines: list[str], calls: frozenset[str], *, dynamic: bool, wants_strings: bool) -> _Scanned:
    """Parse and walk the whole file; the fallback readers when `ast.parse` rejects it."""
    try:
        tree = _parse(text)
    except _REJECTED as exc:
        lexed = lex(text)
        line, column, why = _where(exc, text, lines)
        return _Scanned(read_imports(lexed, lines), read_strings(lexed, lines, calls), (line, column, why, lines[line - 1]))
    return _walked(tree, lines, calls, wants_strings=wants_strings, dynamic=dynamic)


_REJECTED = (SyntaxError, ValueError, RecursionError, MemoryError)  # what ast.parse raises on text it cannot take


def _parse(text: str) -> ast.AST:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # invalid escapes and the like: the user's linter's business
        return ast.parse(text)


def _walked(tree: ast.AST, lines: list[str], calls: frozenset[str], *, wants_strings: bool, dynamic: bool) -> _Scanned:
    """One walk: the imports, and the string hits when the file can hold any."""
    collector = StringCollector(lines, calls) if wants_strings else None
    imports = walk(tree, lines, strings=collector, deep=wants_strings or dynamic, dynamic=dynamic)
    return _Scanned(imports, collector.result() if collector is not None else (), None)


def _where(exc: BaseException, text: str, lines: list[str]) -> tuple[int, int, str]:
    lineno = getattr(exc, "lineno", None)
    if isinstance(exc, (SyntaxError, ValueError)) and not lineno and "\x00" in text:
        # "source code string cannot contain null bytes" comes without a position
        before = _NEWLINE.split(text[: text.index("\x00")])
        return len(before), len(before[-1]) + 1, "null byte"
    if isinstance(exc, SyntaxError):
        line = lineno if isinstance(lineno, int) and 0 < lineno <= len(lines) else 1
        column = exc.offset if isinstance(exc.offset, int) and exc.offset > 0 else 1
        return line, min(column, len(lines[line - 1]) + 1), exc.msg or "invalid syntax"
    return 1, 1, str(exc) or type(exc).__name__


def _fallback_problem(path: str, line: int, column: int, why: str, line_text: str, where: str = "") -> Problem:
    return Problem(
        code="DC004",
        message=(
            f"{path}: syntax not understood by Python {_PYTHON} at line {line}{where} ({why}); "
            "imports were read by a fallback reader"
        ),
        span=Span(path=path, line=line, column=column),
        line_text=line_text,
        severity=Severity.INFO,
    )


def scan_python(path: str, text: str, calls: frozenset[str] = frozenset(), *, whole: bool = False) -> FileScan:
    """Imports and string hits of one Python file's text; `path` is root-relative POSIX.

    `whole`: parse the whole file instead of the statements that matter (the
    reference the fast path is tested against).
    """
    if text.startswith("\ufeff"):
        text = text[1:]
    scanned = _scan(text, None, calls, whole=whole)
    problems: tuple[Problem, ...] = ()
    if scanned.error is not None:
        line, column, why, line_text = scanned.error
        problems = (_fallback_problem(path, line, column, why, line_text),)
    return FileScan(path=path, imports=scanned.imports, strings=scanned.strings, problems=problems)


def _unreadable(path: str, reason: str, line: int = 1) -> FileScan:
    return FileScan(
        path=path,
        problems=(
            Problem(
                code="DC004",
                message=f"{path} could not be read: {reason}",
                span=Span(path=path, line=line),
                severity=Severity.INFO,
            ),
        ),
    )


def scan_bytes(path: str, data: bytes, calls: frozenset[str] = frozenset(), *, whole: bool = False) -> FileScan:
    """Decode (BOM, PEP 263 coding cookie, else UTF-8) and scan by suffix: .ipynb or Python (`whole`: see scan_python)."""
    if path.lower().endswith(".ipynb"):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            return _unreadable(path, str(exc), data[: exc.start].count(b"\n") + 1)
        return scan_notebook(path, text, calls)
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        return _unreadable(path, str(exc), data[: exc.start].count(b"\n") + 1)
    except (SyntaxError, LookupError) as exc:  # unknown or contradictory coding cookie
        message = exc.msg if isinstance(exc, SyntaxError) else str(exc)
        return _unreadable(path, message)
    return scan_python(path, text, calls, whole=whole)


# --- notebooks ---------------------------------------------------------------------------


class _Located(str):
    """A JSON string that remembers the offset of its opening quote in the document."""

    offset: int


def _load_located(text: str) -> Any:
    decoder = json.JSONDecoder()

    def parse_string(s: str, end: int, strict: bool = True) -> tuple[str, int]:
        value, after = json.decoder.scanstring(s, end, strict)  # type: ignore[attr-defined]
        located = _Located(value)
        located.offset = end - 1
        return located, after

    # The C scanner ignores parse_string: the pure-Python one calls it for every string value.
    decoder.parse_string = parse_string  # type: ignore[attr-defined]
    decoder.scan_once = json.scanner.py_make_scanner(decoder)  # type: ignore[attr-defined]
    return decoder.decode(text)


def _raw_offset(text: str, start: int, count: int) -> int:
    """Offset in `text` after reading `count` decoded characters of the JSON string body at `start`."""
    if "\\" not in text[start : start + count]:
        return start + count
    i = start
    for _ in range(count):
        if text[i] != "\\":
            i += 1
        elif text[i + 1] == "u":
            high = int(text[i + 2 : i + 6], 16)
            i += 6
            if 0xD800 <= high < 0xDC00 and text.startswith("\\u", i):
                i += 6  # a surrogate pair is one character
        else:
            i += 2
    return i


class _Cell:
    """Where each character of a cell's code sits in the .ipynb text."""

    def __init__(self, text: str, text_starts: list[int], pieces: list[str]) -> None:
        self.text = text
        self.text_starts = text_starts
        self.pieces = pieces
        self.code = "".join(pieces)
        self.piece_starts = []
        total = 0
        for piece in pieces:
            self.piece_starts.append(total)
            total += len(piece)
        self.lines = _NEWLINE.split(self.code)
        self.line_starts = [0]
        self.line_starts.extend(m.end() for m in _NEWLINE.finditer(self.code))

    def locate(self, line: int, column: int) -> tuple[int, int]:
        """(line, column) in the cell's code to (line, column) in the .ipynb text."""
        line = min(max(line, 1), len(self.lines))
        offset = self.line_starts[line - 1] + min(column - 1, len(self.lines[line - 1]))
        index = max(bisect_right(self.piece_starts, offset) - 1, 0)
        piece = self.pieces[index]
        quote = getattr(piece, "offset", None)
        if quote is None:
            return 1, 1
        at = _raw_offset(self.text, quote + 1, min(offset - self.piece_starts[index], len(piece)))
        file_line = bisect_right(self.text_starts, at)
        return file_line, at - self.text_starts[file_line - 1] + 1


def scan_notebook(path: str, text: str, calls: frozenset[str] = frozenset()) -> FileScan:
    """The code cells of a Jupyter notebook, positions in the .ipynb file.

    IPython magics and shell lines (`%...`, `!...`) are read as `pass`; a cell
    starting with a cell magic other than %%time/%%timeit is not Python and is skipped.
    Notebooks whose kernel language is not Python are skipped.
    """
    if text.startswith("\ufeff"):
        text = " " + text[1:]  # JSON whitespace, and every offset stays put
    try:
        notebook = _load_located(text)
    except json.JSONDecodeError as exc:
        return _unreadable(path, f"not valid JSON ({exc.msg})", exc.lineno)
    except (ValueError, RecursionError) as exc:
        return _unreadable(path, f"not valid JSON ({exc})")
    if not isinstance(notebook, dict) or not _is_python(notebook):
        return FileScan(path=path)
    text_starts = [0]
    text_starts.extend(m.end() for m in _NEWLINE.finditer(text))
    imports: list[Import] = []
    strings: list[StringHit] = []
    problems: list[Problem] = []
    for number, source in enumerate(_code_cells(notebook), start=1):
        pieces = [p for p in (source if isinstance(source, list) else [source]) if isinstance(p, str)]
        cell = _Cell(text, text_starts, pieces)
        runnable = _without_magics(cell.lines)
        if runnable is None:
            continue
        scanned = _scan("\n".join(runnable), runnable, calls)
        for item in scanned.imports:
            line, column = cell.locate(item.line, item.column)
            imports.append(item._replace(line=line, column=column))
        for hit in scanned.strings:
            line, column = cell.locate(hit.line, hit.column)
            strings.append(hit._replace(line=line, column=column))
        if scanned.error is not None:
            cell_line, cell_column, why, _ = scanned.error
            line, column = cell.locate(cell_line, cell_column)
            problems.append(_fallback_problem(path, line, column, why, cell.lines[cell_line - 1], f" (cell {number})"))
    imports.sort(key=lambda i: (i.line, i.column, i.dynamic, i.module, i.names))
    strings.sort(key=lambda h: (h.line, h.column, h.kind, h.value))
    return FileScan(path=path, imports=tuple(imports), strings=tuple(strings), problems=tuple(problems))


def _is_python(notebook: dict[str, Any]) -> bool:
    metadata = notebook.get("metadata")
    if not isinstance(metadata, dict):
        return True
    for key, field in (("kernelspec", "language"), ("language_info", "name")):
        section = metadata.get(key)
        if isinstance(section, dict) and isinstance(section.get(field), str):
            return bool(section[field].lower().startswith("python"))
    return True


def _code_cells(notebook: dict[str, Any]) -> list[Any]:
    """Each code cell's source: a string or a list of strings (nbformat 4, or 3's `input`)."""
    cells = notebook.get("cells")
    if not isinstance(cells, list):  # nbformat 3: cells live in worksheets
        worksheets = notebook.get("worksheets")
        cells = [
            c
            for w in (worksheets if isinstance(worksheets, list) else [])
            if isinstance(w, dict) and isinstance(w.get("cells"), list)
            for c in w["cells"]
        ]
    return [c.get("source", c.get("input", "")) for c in cells if isinstance(c, dict) and c.get("cell_type") == "code"]


def _without_magics(lines: list[str]) -> list[str] | None:
    """The cell's lines with magics as `pass`, or None for a cell that is not Python."""
    first = lines[0].lstrip() if lines else ""
    out = list(lines)
    if first.startswith("%%"):
        if first.split(None, 1)[0] not in _CELL_MAGICS_KEPT:
            return None
        out[0] = ""
    for i, line in enumerate(out):
        stripped = line.lstrip()
        if stripped.startswith(("%", "!")):
            out[i] = line[: len(line) - len(stripped)] + "pass"
    return out
