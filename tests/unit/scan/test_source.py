from __future__ import annotations

import json
import sys
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from depcheck.model import Severity
from depcheck.scan import FileScan, Import
from depcheck.scan.source import scan_bytes, scan_notebook, scan_python

PATH = "pkg/mod.py"
NOTEBOOK = "notebooks/explore.ipynb"
CALLS = frozenset({"create_async_engine"})


def modules(scan: FileScan) -> list[str]:
    return [i.module for i in scan.imports]


# --- scan_python ------------------------------------------------------------------------


def test_scan_python_reads_imports_and_strings_in_one_pass() -> None:
    source = (
        "from sqlalchemy.ext.asyncio import create_async_engine\n"
        'engine = create_async_engine("postgresql+asyncpg://u@h/db")\n'
    )
    scan = scan_python(PATH, source, calls=CALLS)
    assert scan.path == PATH
    assert scan.problems == ()
    assert modules(scan) == ["sqlalchemy.ext.asyncio"]
    assert [(h.kind, h.value, h.line, h.column) for h in scan.strings] == [
        ("call", "create_async_engine", 2, 10),
        ("url", "postgresql+asyncpg", 2, 30),
    ]


def test_scan_python_without_calls_reports_no_calls() -> None:
    scan = scan_python(PATH, "e = create_async_engine(u)\n")
    assert scan.strings == ()


def test_byte_order_mark_is_not_a_column() -> None:
    scan = scan_python(PATH, "\ufeffimport a\n")
    assert [(i.module, i.line, i.column) for i in scan.imports] == [("a", 1, 1)]


BROKEN = [
    pytest.param('def main():\n    print "x"\n    import urllib2\n', 2, ["urllib2"], id="python2"),
    pytest.param("import a\nx = (\nimport b\n", None, ["a", "b"], id="unclosed"),  # 3.9 says line 3
    pytest.param("import a\n\x00\nimport b\n", 2, ["a", "b"], id="null-byte"),
    pytest.param("def f(:\n    import a\n", 1, ["a"], id="bad-def"),
]


@pytest.mark.parametrize(("source", "line", "expected"), BROKEN)
def test_broken_code_is_read_by_the_fallback(source: str, line: int | None, expected: list[str]) -> None:
    scan = scan_python(PATH, source)
    assert modules(scan) == expected
    [problem] = scan.problems
    assert problem.code == "DC004"
    assert problem.severity is Severity.INFO
    assert problem.span.path == PATH
    if line is not None:
        assert problem.span.line == line
    version = f"{sys.version_info[0]}.{sys.version_info[1]}"
    assert f"syntax not understood by Python {version} at line {problem.span.line}" in problem.message
    assert problem.message.endswith("imports were read by a fallback reader")


NEWER = [
    pytest.param("if X:\n    type X = int\n    import a\n", (3, 12), id="pep695"),
    pytest.param("match x:\n    case 1:\n        import a\n", (3, 10), id="match"),
    pytest.param('def f():\n    x = f"{d["k"]}"\n    import a\n', (3, 12), id="pep701"),
    pytest.param("try:\n    import a\nexcept A, B:\n    pass\n", (3, 14), id="pep758"),
]


@pytest.mark.parametrize(("source", "since"), NEWER)
def test_newer_syntax_falls_back_on_older_pythons(source: str, since: tuple[int, int]) -> None:
    scan = scan_python(PATH, source)
    assert modules(scan) == ["a"]
    assert len(scan.problems) == (0 if sys.version_info >= since else 1)


ELSEWHERE = [
    pytest.param('print "x"\nimport urllib2\n', ["urllib2"], id="python2"),
    pytest.param("type X = int\nimport a\n", ["a"], id="pep695"),
    pytest.param('x = f"{d["k"]}"\nimport a\n', ["a"], id="pep701"),
    pytest.param("import a\ndef f():\n    x = = 1\nimport b\n", ["a", "b"], id="bad-def"),
    pytest.param('import a\nclass C:\n    print "x"\n' + "    pass\n" * 600 + "    import b\n", ["a", "b"], id="in-a-class"),
]


@pytest.mark.parametrize(("source", "expected"), ELSEWHERE)
def test_syntax_errors_in_statements_without_imports_are_not_read(source: str, expected: list[str]) -> None:
    """Only the statements that can hold an import are parsed: an error elsewhere changes nothing read."""
    scan = scan_python(PATH, source)
    assert modules(scan) == expected
    assert scan.problems == ()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text())
def test_scan_python_never_raises_on_any_text(text: str) -> None:
    scan = scan_python(PATH, text, calls=CALLS)
    assert all(i.line >= 1 and i.column >= 1 for i in scan.imports)


_PYTHONISH = st.lists(
    st.sampled_from(
        [
            "import a",
            "from . import b",
            "from x import (",
            ")",
            "(",
            "[",
            "]",
            "{",
            "}",
            "'",
            '"',
            "'''",
            '"""',
            "f'",
            'f"',
            "rb'",
            "\\",
            "\\\n",
            "#",
            ":",
            ";",
            ",",
            "\n",
            "\r\n",
            "\r",
            " ",
            "    ",
            "\t",
            "\x0c",
            "try:",
            "except ImportError:",
            "if TYPE_CHECKING:",
            "def f():",
            "else:",
            "x = ",
            "é",
            "redis://h",
            "ENGINE",
            "create_async_engine(",
            "lambda",
            ":=",
            "!r",
            "{x:{y}}",
            "\x00",
        ]
    ),
    max_size=40,
).map("".join)


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_PYTHONISH)
def test_scan_python_never_raises_on_python_like_text(text: str) -> None:
    scan = scan_python(PATH, text, calls=CALLS)
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for item in scan.imports:
        assert 1 <= item.line <= len(lines)
        assert 1 <= item.column <= len(lines[item.line - 1].lstrip("\ufeff")) + 1


# --- scan_bytes ---------------------------------------------------------------------------

DECODED = [
    pytest.param(b"import a\n", ["a"], id="utf-8"),
    pytest.param(b"\xef\xbb\xbfimport a\n", ["a"], id="bom"),
    pytest.param("# -*- coding: latin-1 -*-\nx = 'é'; import a\n".encode("latin-1"), ["a"], id="cookie"),
    pytest.param(
        "#!/usr/bin/env python\n# vim: set fileencoding=cp1252 :\nx = '€'; import a\n".encode("cp1252"),
        ["a"],
        id="cookie-second-line",
    ),
    pytest.param("x = 'ü'; import a\n".encode(), ["a"], id="utf-8-text"),
]


@pytest.mark.parametrize(("data", "expected"), DECODED)
def test_scan_bytes_decodes(data: bytes, expected: list[str]) -> None:
    scan = scan_bytes(PATH, data)
    assert scan.problems == ()
    assert modules(scan) == expected


def test_scan_bytes_columns_count_characters_after_decoding() -> None:
    scan = scan_bytes(PATH, "# coding: latin-1\nx = 'éé'; import a\n".encode("latin-1"))
    assert [(i.line, i.column) for i in scan.imports] == [(2, 11)]


UNREADABLE = [
    pytest.param(b"import a\nx = '\xff'\n", 2, "can't decode byte 0xff", id="not-utf-8"),
    pytest.param(b"# coding: uft-8\nimport a\n", 1, "unknown encoding", id="unknown-cookie"),
    pytest.param(b"\xef\xbb\xbf# coding: latin-1\nimport a\n", 1, "encoding problem", id="bom-and-cookie"),
    pytest.param(b"# coding: hex\nimport a\n", 1, "hex", id="not-a-text-encoding"),
]


@pytest.mark.parametrize(("data", "line", "reason"), UNREADABLE)
def test_scan_bytes_reports_what_it_cannot_decode(data: bytes, line: int, reason: str) -> None:
    scan = scan_bytes(PATH, data)
    assert scan.imports == () and scan.strings == ()
    [problem] = scan.problems
    assert (problem.code, problem.severity, problem.span.path, problem.span.line) == (
        "DC004",
        Severity.INFO,
        PATH,
        line,
    )
    assert problem.message.startswith(f"{PATH} could not be read: ")
    assert reason in problem.message


@settings(max_examples=300, deadline=None)
@given(st.binary(), st.sampled_from([PATH, NOTEBOOK]))
def test_scan_bytes_never_raises(data: bytes, path: str) -> None:
    assert isinstance(scan_bytes(path, data), FileScan)


def test_scan_bytes_dispatches_notebooks() -> None:
    text = notebook([code("import pandas as pd\n")])
    scan = scan_bytes(NOTEBOOK, text.encode())
    assert modules(scan) == ["pandas"]


# --- notebooks ----------------------------------------------------------------------------


def code(*lines: str) -> dict[str, Any]:
    return {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [], "source": list(lines)}


def markdown(*lines: str) -> dict[str, Any]:
    return {"cell_type": "markdown", "metadata": {}, "source": list(lines)}


def notebook(cells: list[dict[str, Any]], language: str | None = "python") -> str:
    metadata = {} if language is None else {"kernelspec": {"name": "k", "display_name": "k", "language": language}}
    document = {"cells": cells, "metadata": metadata, "nbformat": 4, "nbformat_minor": 5}
    return json.dumps(document, indent=1, ensure_ascii=False) + "\n"


def where(text: str, needle: str, nth: int = 0) -> tuple[int, int]:
    """1-based (line, column) of the nth occurrence of `needle` in `text`."""
    offset = -1
    for _ in range(nth + 1):
        offset = text.index(needle, offset + 1)
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def rows(scan: FileScan) -> list[tuple[str, int, int, str]]:
    return [(i.module, i.line, i.column, i.text) for i in scan.imports]


def test_notebook_positions_are_in_the_ipynb_file() -> None:
    text = notebook(
        [
            markdown("# Title\n", "import not_code\n"),
            code("import numpy as np\n", "from pathlib import Path\n", "def f():\n", "    import scipy"),
            code("x = 1; import os"),
        ]
    )
    scan = scan_notebook(NOTEBOOK, text)
    assert scan.problems == ()
    assert rows(scan) == [
        ("numpy", *where(text, "import numpy"), "import numpy as np"),
        ("pathlib", *where(text, "from pathlib"), "from pathlib import Path"),
        ("scipy", *where(text, "import scipy"), "import scipy"),
        ("os", *where(text, "import os"), "x = 1; import os"),
    ]
    assert [i.function_level for i in scan.imports] == [False, False, True, False]


def test_notebook_columns_account_for_json_escapes() -> None:
    text = notebook([code('x = "a\\tb\\"é"; import a\n', "\tif y: import b\n")])
    scan = scan_notebook(NOTEBOOK, text)
    assert rows(scan) == [
        ("a", *where(text, "import a"), 'x = "a\\tb\\"é"; import a'),
        ("b", *where(text, "import b"), "if y: import b"),
    ]


def test_notebook_ascii_escaped_text() -> None:
    document = json.loads(notebook([code('s = "\U0001f600é"; import a\n')]))
    text = json.dumps(document, indent=1, ensure_ascii=True)  # "\ud83d\ude00\u00e9"
    scan = scan_notebook(NOTEBOOK, text)
    assert rows(scan) == [("a", *where(text, "import a"), 's = "\U0001f600é"; import a')]


def test_notebook_source_as_one_string() -> None:
    cell = code()
    cell["source"] = "import a\nimport b\n"
    text = notebook([cell])
    scan = scan_notebook(NOTEBOOK, text)
    line, column = where(text, "import a")
    assert rows(scan) == [("a", line, column, "import a"), ("b", line, column + len("import a\\n"), "import b")]


MAGICS = [
    pytest.param([code("%matplotlib inline\n", "import a\n")], ["a"], id="line-magic"),
    pytest.param([code("!pip install b\n", "import a\n")], ["a"], id="shell"),
    pytest.param([code("for x in y:\n", "    !echo $x\n", "import a\n")], ["a"], id="indented-shell"),
    pytest.param([code("%%bash\n", "import not_python\n"), code("import a\n")], ["a"], id="cell-magic"),
    pytest.param([code("%%writefile x.py\n", "import b\n")], [], id="writefile"),
    pytest.param([code("%%time\n", "import a\n")], ["a"], id="time"),
    pytest.param([code("%%timeit -n 3\n", "import a\n")], ["a"], id="timeit"),
]


@pytest.mark.parametrize(("cells", "expected"), MAGICS)
def test_notebook_magics(cells: list[dict[str, Any]], expected: list[str]) -> None:
    scan = scan_notebook(NOTEBOOK, notebook(cells))
    assert modules(scan) == expected
    assert scan.problems == ()


def test_notebook_import_line_after_a_magic_keeps_its_position() -> None:
    text = notebook([code("%load_ext autoreload\n", "import a\n")])
    assert rows(scan_notebook(NOTEBOOK, text)) == [("a", *where(text, "import a"), "import a")]


def test_notebook_strings_are_located_too() -> None:
    text = notebook([code('engine = create_async_engine("sqlite+aiosqlite:///x.db")\n')])
    scan = scan_notebook(NOTEBOOK, text, calls=CALLS)
    assert [(h.kind, h.value, h.line, h.column) for h in scan.strings] == [
        ("call", "create_async_engine", *where(text, "create_async_engine")),
        ("url", "sqlite+aiosqlite", *where(text, '\\"sqlite')),
    ]


def test_notebook_cell_with_a_syntax_error() -> None:
    text = notebook([code("import a\n"), code("x = (\n", "import b\n"), code("import c\n")])
    scan = scan_notebook(NOTEBOOK, text)
    assert modules(scan) == ["a", "b", "c"]
    [problem] = scan.problems
    assert (problem.code, problem.severity) == ("DC004", Severity.INFO)
    assert "(cell 2)" in problem.message and "fallback reader" in problem.message
    assert problem.span.line in (where(text, '"x = (')[0], where(text, '"import b')[0])


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        pytest.param("python", ["a"], id="python"),
        pytest.param(None, ["a"], id="no-metadata"),
        pytest.param("R", [], id="r"),
    ],
)
def test_notebook_language(language: str | None, expected: list[str]) -> None:
    assert modules(scan_notebook(NOTEBOOK, notebook([code("import a\n")], language))) == expected


def test_notebook_format_3() -> None:
    document = {"nbformat": 3, "worksheets": [{"cells": [{"cell_type": "code", "input": ["import a\n"]}]}]}
    text = json.dumps(document, indent=1)
    assert rows(scan_notebook(NOTEBOOK, text)) == [("a", *where(text, "import a"), "import a")]


@pytest.mark.parametrize(
    "text",
    [
        pytest.param('{"cells": [', id="truncated"),
        pytest.param("not json", id="not-json"),
    ],
)
def test_notebook_that_is_not_json(text: str) -> None:
    [problem] = scan_notebook(NOTEBOOK, text).problems
    assert problem.code == "DC004" and problem.severity is Severity.INFO
    assert problem.message.startswith(f"{NOTEBOOK} could not be read: not valid JSON")


@pytest.mark.parametrize("text", ["[]", '{"cells": 3}', '{"cells": [{"cell_type": "code", "source": 7}]}'])
def test_notebook_with_an_odd_shape_is_empty(text: str) -> None:
    assert scan_notebook(NOTEBOOK, text) == FileScan(path=NOTEBOOK)


def test_notebook_with_a_byte_order_mark() -> None:
    text = notebook([code("import a\n")])
    scan = scan_bytes(NOTEBOOK, b"\xef\xbb\xbf" + text.encode())
    assert rows(scan) == [("a", *where(text, "import a"), "import a")]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(), max_size=5))
def test_scan_notebook_never_raises(lines: list[str]) -> None:
    scan = scan_notebook(NOTEBOOK, notebook([code(*lines)]))
    assert all(isinstance(i, Import) for i in scan.imports)


# --- the fast path against whole files, on the standard library --------------------------


def test_fast_path_agrees_with_whole_files_on_the_standard_library() -> None:
    """Imports (dynamic ones included), string hits and problems: parsing only the statements
    that matter gives what parsing every file whole gives, with every call name the knowledge
    base looks for. benchmarks/differential.py does the same on the benchmark trees."""
    import ast
    import sysconfig
    import warnings
    from pathlib import Path

    from depcheck import kb
    from depcheck.checks.companions import call_names

    calls = call_names(kb.load(use_cache=False)[0])
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    compared, differ = 0, []
    for path in sorted(stdlib.rglob("*.py")):
        if {"site-packages", "dist-packages"} & set(path.relative_to(stdlib).parts):
            continue
        data = path.read_bytes()
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                ast.parse(data)
        except (SyntaxError, ValueError):
            continue  # no reference to compare with
        rel = path.relative_to(stdlib).as_posix()
        fast, whole = scan_bytes(rel, data, calls), scan_bytes(rel, data, calls, whole=True)
        compared += 1
        if fast != whole:
            differ.append(rel)
    assert compared > 500
    assert differ == []
