from __future__ import annotations

import ast
import io
import re
import sys
import sysconfig
import time
import tokenize
import warnings
from pathlib import Path
from textwrap import dedent

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from depcheck.scan import Import
from depcheck.scan.imports import lex, logical_lines, read_imports, scan_imports, walk
from depcheck.scan.skeleton import skeleton

_NEWLINE = re.compile(r"\r\n|\r|\n")
Row = tuple[str, tuple[str, ...], int, int, int, str]


def flags(item: Import) -> str:
    return "".join(
        letter
        for letter, on in (
            ("T", item.type_checking),
            ("O", item.optional),
            ("F", item.function_level),
            ("D", item.dynamic),
        )
        if on
    )


def row(item: Import) -> Row:
    return (item.module, item.names, item.level, item.line, item.column, flags(item))


def by_ast(source: str) -> list[Row]:
    return [row(i) for i in scan_imports(ast.parse(source), _NEWLINE.split(source))]


def by_fallback(source: str) -> list[Row]:
    return [row(i) for i in read_imports(lex(source), _NEWLINE.split(source))]


def by_skeleton(source: str) -> list[Row]:
    """The fast path: parse only the top-level statements that hold an import."""
    return [row(i) for i in _cut_and_walk(source)]


def _cut_and_walk(source: str) -> tuple[Import, ...]:
    cut = skeleton(source)
    assert cut is not None
    return walk(ast.parse(cut), _NEWLINE.split(source), deep=False, dynamic=False) if cut else ()


READERS = [
    pytest.param(by_ast, id="ast"),
    pytest.param(by_fallback, id="fallback"),
    pytest.param(by_skeleton, id="skeleton"),
]

# Valid code: the AST reader and the fallback reader must both give `expected`.
# Row: (module, names, level, line, column, flags) with flags T=type_checking,
# O=optional, F=function_level.
STATIC = [
    pytest.param("import os", [("os", (), 0, 1, 1, "")], id="import"),
    pytest.param("import a.b.c", [("a.b.c", (), 0, 1, 1, "")], id="dotted"),
    pytest.param("import a.b as c", [("a.b", (), 0, 1, 1, "")], id="import-as"),
    pytest.param("import a, b.c as d", [("a", (), 0, 1, 1, ""), ("b.c", (), 0, 1, 1, "")], id="import-two"),
    pytest.param("from x.y import a, b", [("x.y", ("a", "b"), 0, 1, 1, "")], id="from"),
    pytest.param("from x import a as b, c", [("x", ("a", "c"), 0, 1, 1, "")], id="from-as"),
    pytest.param("from x import *", [("x", ("*",), 0, 1, 1, "")], id="star"),
    pytest.param("from . import y", [("", ("y",), 1, 1, 1, "")], id="relative-dot"),
    pytest.param("from .mod import y", [("mod", ("y",), 1, 1, 1, "")], id="relative-module"),
    pytest.param("from ..pkg.mod import z", [("pkg.mod", ("z",), 2, 1, 1, "")], id="relative-two"),
    pytest.param("from ... import z", [("", ("z",), 3, 1, 1, "")], id="relative-ellipsis"),
    pytest.param("from.mod import z", [("mod", ("z",), 1, 1, 1, "")], id="relative-no-space"),
    pytest.param(
        "from x import (\n    a,  # first\n    b as c,\n)\nimport d\n",
        [("x", ("a", "b"), 0, 1, 1, ""), ("d", (), 0, 5, 1, "")],
        id="multi-line-from",
    ),
    pytest.param("from x \\\n    import a, \\\n    b\n", [("x", ("a", "b"), 0, 1, 1, "")], id="backslash"),
    pytest.param(
        "import a; import b;from c import d",
        [("a", (), 0, 1, 1, ""), ("b", (), 0, 1, 11, ""), ("c", ("d",), 0, 1, 20, "")],
        id="semicolons",
    ),
    pytest.param(
        '"""Docstring.\n\nimport not_this\n"""\nx = "import no"  # import nope\nimport yes\n',
        [("yes", (), 0, 6, 1, "")],
        id="strings-and-comments",
    ),
    pytest.param("s = '''\nimport no\n'''; import yes", [("yes", (), 0, 3, 6, "")], id="after-string"),
    pytest.param('x = "é€"; import y', [("y", (), 0, 1, 11, "")], id="unicode-column"),
    pytest.param(
        "if True:\n\tif True:\n\t\timport a\n\timport b\n",
        [("a", (), 0, 3, 3, ""), ("b", (), 0, 4, 2, "")],
        id="tabs",
    ),
    pytest.param("import ｍod", [("mod", (), 0, 1, 1, "")], id="nfkc"),
    # type_checking
    pytest.param(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import a\nelse:\n    import b\nimport c\n",
        [
            ("typing", ("TYPE_CHECKING",), 0, 1, 1, ""),
            ("a", (), 0, 3, 5, "T"),
            ("b", (), 0, 5, 5, ""),
            ("c", (), 0, 6, 1, ""),
        ],
        id="type-checking",
    ),
    pytest.param("if typing.TYPE_CHECKING:\n    import a\n", [("a", (), 0, 2, 5, "T")], id="typing-dot"),
    pytest.param(
        "if t.TYPE_CHECKING: import a; import b\n", [("a", (), 0, 1, 21, "T"), ("b", (), 0, 1, 31, "T")], id="same-line"
    ),
    pytest.param("if (TYPE_CHECKING):\n    import a\n", [("a", (), 0, 2, 5, "T")], id="parenthesised"),
    pytest.param(
        "if x:\n    pass\nelif TYPE_CHECKING:\n    import a\nelse:\n    import b\n",
        [("a", (), 0, 4, 5, "T"), ("b", (), 0, 6, 5, "")],
        id="elif",
    ),
    pytest.param("if not TYPE_CHECKING:\n    import a\n", [("a", (), 0, 2, 5, "")], id="not-type-checking"),
    pytest.param("if TYPE_CHECKING or x:\n    import a\n", [("a", (), 0, 2, 5, "")], id="or"),
    pytest.param("if a.b.TYPE_CHECKING:\n    import a\n", [("a", (), 0, 2, 5, "")], id="deep-attribute"),
    # optional
    pytest.param(
        "try:\n    import ujson as json\nexcept ImportError:\n    import json\n",
        [("ujson", (), 0, 2, 5, "O"), ("json", (), 0, 4, 5, "O")],  # the fallback is optional too
        id="try-import-error",
    ),
    pytest.param(
        "try:\n    import a\nexcept ModuleNotFoundError as e:\n    pass\n",
        [("a", (), 0, 2, 5, "O")],
        id="module-not-found",
    ),
    pytest.param("try:\n    import a\nexcept Exception:\n    pass\n", [("a", (), 0, 2, 5, "O")], id="exception"),
    pytest.param(
        "try:\n    import a\nexcept BaseException:\n    pass\n", [("a", (), 0, 2, 5, "O")], id="base-exception"
    ),
    pytest.param("try:\n    import a\nexcept:\n    pass\n", [("a", (), 0, 2, 5, "O")], id="bare-except"),
    pytest.param(
        "try:\n    import a\nexcept (ValueError, ImportError):\n    pass\n", [("a", (), 0, 2, 5, "O")], id="tuple"
    ),
    pytest.param(
        "try:\n    import a\nexcept builtins.ImportError:\n    pass\n", [("a", (), 0, 2, 5, "O")], id="attribute"
    ),
    pytest.param(
        "try:\n    import a\nexcept ValueError:\n    pass\nexcept ImportError:\n    pass\n",
        [("a", (), 0, 2, 5, "O")],
        id="second-handler",
    ),
    pytest.param("try:\n    import a\nexcept ValueError:\n    pass\n", [("a", (), 0, 2, 5, "")], id="other-error"),
    pytest.param(
        "try:\n    import a\nexcept ImportError:\n    import b\nelse:\n    import c\nfinally:\n    import d\n",
        [("a", (), 0, 2, 5, "O"), ("b", (), 0, 4, 5, "O"), ("c", (), 0, 6, 5, ""), ("d", (), 0, 8, 5, "")],
        id="handler-else-finally",
    ),
    pytest.param(
        "if sys.version_info >= (3, 11):\n    import tomllib\nelse:\n    import tomli as tomllib\nimport x\n",
        [("tomllib", (), 0, 2, 5, "O"), ("tomli", (), 0, 4, 5, "O"), ("x", (), 0, 5, 1, "")],
        id="version-check",
    ),
    pytest.param(
        "if a:\n    import a\nelif sys.platform == 'win32':\n    import winreg\nelse:\n    import b\n",
        [("a", (), 0, 2, 5, ""), ("winreg", (), 0, 4, 5, "O"), ("b", (), 0, 6, 5, "O")],
        id="platform-check-in-elif",
    ),
    pytest.param(
        "if PY2:\n    import urllib2\nfor x in y:\n    pass\nelse:\n    import c\n",
        [("urllib2", (), 0, 2, 5, "O"), ("c", (), 0, 6, 5, "")],
        id="for-else-after-environment-if",
    ),
    pytest.param("try: import a\nexcept ImportError: a = None\n", [("a", (), 0, 1, 6, "O")], id="try-same-line"),
    pytest.param(
        "try:\n    try:\n        import a\n    except ValueError:\n        pass\n    import b\nexcept ImportError:\n    pass\n",
        [("a", (), 0, 3, 9, "O"), ("b", (), 0, 6, 5, "O")],
        id="nested-try",
    ),
    pytest.param(
        "try:\n    pass\nexcept ImportError:\n    pass\ntry:\n    import a\nfinally:\n    pass\n",
        [("a", (), 0, 6, 5, "")],
        id="try-finally",
    ),
    pytest.param("with suppress(ImportError):\n    import a\n", [("a", (), 0, 2, 5, "O")], id="suppress"),
    pytest.param(
        "with contextlib.suppress(ModuleNotFoundError, AttributeError):\n    import a\n",
        [("a", (), 0, 2, 5, "O")],
        id="contextlib-suppress",
    ),
    pytest.param("with suppress(KeyError):\n    import a\n", [("a", (), 0, 2, 5, "")], id="suppress-other"),
    # function_level
    pytest.param("def f():\n    import a\nimport b\n", [("a", (), 0, 2, 5, "F"), ("b", (), 0, 3, 1, "")], id="def"),
    pytest.param("async def f():\n    from a import b\n", [("a", ("b",), 0, 2, 5, "F")], id="async-def"),
    pytest.param(
        "class C:\n    import a\n    def m(self):\n        import b\n",
        [("a", (), 0, 2, 5, ""), ("b", (), 0, 4, 9, "F")],
        id="method",
    ),
    pytest.param("def f():\n    class C:\n        import a\n", [("a", (), 0, 3, 9, "F")], id="class-in-def"),
    pytest.param("def f(): import a\n", [("a", (), 0, 1, 10, "F")], id="def-same-line"),
    pytest.param(
        "def f(\n    x: int = 1,\n) -> None:\n    import a\n", [("a", (), 0, 4, 5, "F")], id="multi-line-signature"
    ),
    pytest.param(
        "try:\n    def f():\n        import a\n    import b\nexcept ImportError:\n    pass\n",
        [("a", (), 0, 3, 9, "F"), ("b", (), 0, 4, 5, "O")],
        id="def-in-try",
    ),
    pytest.param(
        "if TYPE_CHECKING:\n    def f():\n        import a\n", [("a", (), 0, 3, 9, "TF")], id="def-in-type-checking"
    ),
    pytest.param(
        "def f():\n    try:\n        import a\n    except ImportError:\n        pass\n",
        [("a", (), 0, 3, 9, "OF")],
        id="try-in-def",
    ),
    # other blocks pass the context through
    pytest.param(
        "for x in y:\n    import a\nwhile z: import b\nwith open(p) as f:\n    import c\n",
        [("a", (), 0, 2, 5, ""), ("b", (), 0, 3, 10, ""), ("c", (), 0, 5, 5, "")],
        id="blocks",
    ),
    pytest.param(
        "x = {\n    'a': 1,\n}\nif y:\n    z = [\n1,\n]\n    import a\n",
        [("a", (), 0, 8, 5, "")],
        id="brackets-do-not-indent",
    ),
    pytest.param("def f():\n    return lambda: 1\nimport a\n", [("a", (), 0, 3, 1, "")], id="lambda-colon"),
    pytest.param("if (n := 10) > 5:\n    import a\n", [("a", (), 0, 2, 5, "")], id="walrus"),
    pytest.param("x = f'{a!r:>{w}}' ; import a", [("a", (), 0, 1, 21, "")], id="f-string"),
    pytest.param("x = rb'\\'' ; import a", [("a", (), 0, 1, 14, "")], id="raw-bytes-escape"),
    pytest.param("x = 1 \\\n    + 2\nimport a\n", [("a", (), 0, 3, 1, "")], id="continued-expression"),
    pytest.param(
        "import a\r\nimport b\rimport c\n",
        [("a", (), 0, 1, 1, ""), ("b", (), 0, 2, 1, ""), ("c", (), 0, 3, 1, "")],
        id="line-breaks",
    ),
    pytest.param(
        "\x0cimport a\nif x:\n    \x0c  import b\n", [("a", (), 0, 1, 2, ""), ("b", (), 0, 3, 8, "")], id="form-feed"
    ),
]


@pytest.mark.parametrize("read", READERS)
@pytest.mark.parametrize(("source", "expected"), STATIC)
def test_static_imports(read, source: str, expected: list[Row]) -> None:
    assert read(source) == expected


def test_text_is_the_stripped_first_line() -> None:
    source = "if x:\n    from a import (\n        b,\n    )  \n"
    for items in (scan_imports(ast.parse(source), source.split("\n")), read_imports(lex(source), source.split("\n"))):
        assert [i.text for i in items] == ["from a import ("]


DYNAMIC = [
    pytest.param('import importlib\nm = importlib.import_module("x.y")\n', [("x.y", (), 0, 2, 5, "D")], id="importlib"),
    pytest.param('import importlib as il\nil.import_module("x")\n', [("x", (), 0, 2, 1, "D")], id="module-alias"),
    pytest.param('from importlib import import_module\nimport_module("x")\n', [("x", (), 0, 2, 1, "D")], id="function"),
    pytest.param(
        'def f():\n    return im("x")\nfrom importlib import import_module as im\n',
        [("x", (), 0, 2, 12, "FD")],
        id="alias-bound-later",
    ),
    pytest.param('__import__("x.y")\n', [("x.y", (), 0, 1, 1, "D")], id="dunder-import"),
    pytest.param('__import__("x", globals(), None, [], 1)\n', [("x", (), 1, 1, 1, "D")], id="dunder-relative"),
    pytest.param(
        'import importlib\nimportlib.import_module(".x", "pkg")\n',
        [("pkg.x", (), 0, 2, 1, "D")],
        id="relative-resolved",
    ),
    pytest.param(
        'import importlib\nimportlib.import_module("..x", package="a.b.c")\n',
        [("a.b.x", (), 0, 2, 1, "D")],
        id="relative-two-levels",
    ),
    pytest.param(
        'import importlib\nimportlib.import_module(".x", __package__)\n', [("x", (), 1, 2, 1, "D")], id="relative-open"
    ),
    pytest.param('import importlib\nimportlib.import_module(name="x")\n', [("x", (), 0, 2, 1, "D")], id="keyword"),
    pytest.param("import importlib\nimportlib.import_module(n)\n", [], id="not-literal"),
    pytest.param('import importlib\nimportlib.import_module(f"x{n}")\n', [], id="f-string"),
    pytest.param('helper.import_module("x")\n', [], id="other-module"),
    pytest.param('import_module("x")\n', [], id="not-from-importlib"),
    pytest.param(
        'import importlib\ntry:\n    importlib.import_module("x")\nexcept ImportError:\n    pass\n',
        [("x", (), 0, 3, 5, "OD")],
        id="optional",
    ),
    pytest.param(
        'import importlib\nload = lambda: importlib.import_module("x")\n', [("x", (), 0, 2, 16, "FD")], id="lambda"
    ),
    pytest.param(
        'import importlib\ndef f(m=importlib.import_module("x")):\n    pass\n', [("x", (), 0, 2, 9, "D")], id="default"
    ),
    pytest.param('x = "é"; __import__("y")\n', [("y", (), 0, 1, 10, "D")], id="unicode-column"),
]


@pytest.mark.parametrize(("source", "expected"), DYNAMIC)
def test_dynamic_imports(source: str, expected: list[Row]) -> None:
    assert [r for r in by_ast(source) if "D" in r[5]] == expected


# Text the running Python cannot parse: the fallback still reads the imports.
FALLBACK = [
    pytest.param(
        "import a\ntype X = list[int]\ndef f[T](x: T) -> T:\n    import b\n",
        [("a", (), 0, 1, 1, ""), ("b", (), 0, 4, 5, "F")],
        id="pep695",
    ),
    pytest.param(
        "try:\n    import a\nexcept ValueError, ImportError:\n    pass\n", [("a", (), 0, 2, 5, "O")], id="pep758"
    ),
    pytest.param(
        "match x:\n    case {'k': 1}:\n        import a\n    case _: import b\n",
        [("a", (), 0, 3, 9, ""), ("b", (), 0, 4, 13, "")],
        id="match",
    ),
    pytest.param(
        'x = f"{d["k"]:>{w}} {"import no"}"\nimport a\n', [("a", (), 0, 2, 1, "")], id="f-string-nested-quotes"
    ),
    pytest.param("x = f'''{\n    y # comment ' \n}'''\nimport a\n", [("a", (), 0, 4, 1, "")], id="f-string-comment"),
    pytest.param('print "hello"\nimport urllib2\n', [("urllib2", (), 0, 2, 1, "")], id="python2"),
    pytest.param(
        "x = foo(1,\nimport a\nfrom b import (c,\n    d)\n",
        [("a", (), 0, 2, 1, ""), ("b", ("c", "d"), 0, 3, 1, "")],
        id="unclosed-bracket",
    ),
    pytest.param("x = 'unterminated\nimport a\n", [("a", (), 0, 2, 1, "")], id="unterminated-string"),
    pytest.param('import a\nx = """never closed\nimport b\n', [("a", (), 0, 1, 1, "")], id="unterminated-triple"),
    pytest.param(
        "if TYPE_CHECKING:\n    import a\n  import b\n",
        [("a", (), 0, 2, 5, "T"), ("b", (), 0, 3, 3, "")],
        id="bad-dedent",
    ),
    pytest.param("from x import\nimport a\n", [("x", (), 0, 1, 1, ""), ("a", (), 0, 2, 1, "")], id="no-names"),
    pytest.param("", [], id="empty"),
]


@pytest.mark.parametrize(("source", "expected"), FALLBACK)
def test_fallback_reads_what_ast_cannot(source: str, expected: list[Row]) -> None:
    assert by_fallback(source) == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        pytest.param("a; b\nc", [(0, 1, True), (3, 4, False), (5, 6, True)], id="semicolon"),
        pytest.param("f(\n1)\ng", [(0, 5, True), (6, 7, True)], id="brackets"),
        pytest.param("a \\\n+ b\nc", [(0, 7, True), (8, 9, True)], id="backslash"),
        pytest.param("if x: a; b", [(0, 7, True), (9, 10, False)], id="header"),
    ],
)
def test_logical_lines(source: str, expected: list[tuple[int, int, bool]]) -> None:
    assert [(s.start, s.end, s.first) for s in logical_lines(lex(source).masked)] == expected


@pytest.mark.parametrize(
    ("source", "strings"),
    [
        pytest.param("x = 'a' + \"b\"", ["'a'", '"b"'], id="quotes"),
        pytest.param("x = rb'\\''", ["rb'\\''"], id="raw-bytes"),
        pytest.param("x = '''a\n'b'\n'''", ["'''a\n'b'\n'''"], id="triple"),
        pytest.param("x = f'{y!r:{w}}' 'z'", ["f'{y!r:{w}}'", "'z'"], id="f-string"),
        pytest.param("x = f'{'a' + f\"{'b'}\"}'", ["f'{'a' + f\"{'b'}\"}'"], id="nested"),
        pytest.param("elif'x': # 'y'\n", ["'x'"], id="keyword-before-quote"),
        pytest.param("x = Rb'a' + bR'b' + U'c'", ["Rb'a'", "bR'b'", "U'c'"], id="prefix-case"),
    ],
)
def test_lexer_finds_string_literals(source: str, strings: list[str]) -> None:
    lexed = lex(source)
    assert [source[start:end] for start, end, _, _ in lexed.strings] == strings
    assert len(lexed.masked) == len(source)
    assert all(set(lexed.masked[start:end]) == {'"'} for start, end, _, _ in lexed.strings)
    assert "#" not in lexed.masked


# --- differential: the fallback reader against the AST on real code --------------------


def _python_files() -> list[Path]:
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    files = [
        p for p in stdlib.rglob("*.py") if not {"site-packages", "dist-packages"} & set(p.relative_to(stdlib).parts)
    ]
    files += Path(__file__).resolve().parents[3].joinpath("depcheck").rglob("*.py")
    return sorted(files)


def _decoded(path: Path) -> str | None:
    data = path.read_bytes()
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        text = data.decode(encoding)
    except (SyntaxError, LookupError, UnicodeDecodeError):
        return None
    return text[1:] if text.startswith("\ufeff") else text


def _static(items: tuple[Import, ...]) -> set[tuple[object, ...]]:
    return {
        (i.module, i.names, i.level, i.line, i.column, i.text, i.type_checking, i.optional, i.function_level)
        for i in items
        if not i.dynamic  # the fallback does not look for import_module()/__import__()
    }


def test_fallback_agrees_with_ast_on_the_standard_library() -> None:
    """Every module of the running Python's standard library (and depcheck's own code),
    read by the fallback reader and by the fast path (`skeleton`).

    Files ast.parse rejects (the test suite's deliberately bad ones, lib2to3's
    Python 2 data) are not compared: there is no reference to compare with.
    """
    started = time.perf_counter()
    compared = 0
    disagreements = []
    for path in _python_files():
        text = _decoded(path)
        if text is None:
            continue
        lines = _NEWLINE.split(text)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                tree = ast.parse(text)
        except (SyntaxError, ValueError):
            continue
        expected = _static(scan_imports(tree, lines))
        del tree
        got = _static(read_imports(lex(text), lines))
        compared += 1
        if got != expected:
            disagreements.append((str(path), sorted(expected - got)[:3], sorted(got - expected)[:3]))
        fast = _static(_cut_and_walk(text))
        if fast != expected:
            disagreements.append(("skeleton " + str(path), sorted(expected - fast)[:3], sorted(fast - expected)[:3]))
    elapsed = time.perf_counter() - started
    assert compared > 500, compared
    assert disagreements == []
    print(f"\n{compared} files compared in {elapsed:.1f}s on Python {sys.version_info[0]}.{sys.version_info[1]}")


def test_differential_covers_every_flag() -> None:
    source = dedent(
        """\
        import os
        from typing import TYPE_CHECKING
        if TYPE_CHECKING:
            from a import b
        try:
            import c
        except ImportError:
            c = None
        def f():
            from . import d
        """
    )
    items = scan_imports(ast.parse(source), source.splitlines())
    assert _static(items) == _static(read_imports(lex(source), source.splitlines()))
    assert {flags(i) for i in items} == {"", "T", "O", "F"}


_PIECES = st.sampled_from(
    [
        "import a", "import b.c as d", "from . import b", "from x import (", "y", ")", "(", "[", "]", "{", "}",
        "'s'", '"t"', "'''u\n'''", "f'{x}'", "f'{x!r:>{w}}'", "\\\n", "# c\n", ":", ";", ",", "\n", " ", "    ",
        "\t", "try:", "except ImportError:", "except (ValueError, ImportError) as e:", "except ValueError:",
        "if TYPE_CHECKING:", "elif TYPE_CHECKING:", "def f():", "async def g():", "class C:", "else:", "finally:",
        "x = ", "1", "pass", "with suppress(ImportError):", "lambda: 0", "for i in j:", "return", "\x0c", "é",
    ]
)  # fmt: skip


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(_PIECES, max_size=30).map("".join))
def test_fallback_agrees_with_ast_on_generated_code(text: str) -> None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = ast.parse(text)
    except (SyntaxError, ValueError):
        assume(False)
    lines = _NEWLINE.split(text)
    expected = _static(scan_imports(tree, lines))
    assert _static(read_imports(lex(text), lines)) == expected
    assert _static(_cut_and_walk(text)) == expected
