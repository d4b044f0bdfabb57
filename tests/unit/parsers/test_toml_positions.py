from __future__ import annotations

import string
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from depcheck.parsers.toml_positions import TomlPos, locate, scan

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


def cut(text: str, pos: TomlPos) -> str:
    """The text between a position's start and end (ends are exclusive)."""
    lines = text.split("\n")
    if pos.line == pos.end_line:
        return lines[pos.line - 1][pos.column - 1 : pos.end_column - 1]
    parts = [lines[pos.line - 1][pos.column - 1 :]]
    parts += lines[pos.line : pos.end_line - 1]
    parts.append(lines[pos.end_line - 1][: pos.end_column - 1])
    return "\n".join(parts)


def where(pos: TomlPos) -> tuple[int, int, int, int]:
    return (pos.line, pos.column, pos.end_line, pos.end_column)


# (document, key path, (line, column, end_line, end_column), literal)
VALUE_CASES = [
    ('a = "x"', ("a",), (1, 5, 1, 8), '"x"'),
    ("a = 'C:\\x'", ("a",), (1, 5, 1, 11), "'C:\\x'"),
    ('a = "say \\"hi\\" \\\\"  # c', ("a",), (1, 5, 1, 20), '"say \\"hi\\" \\\\"'),
    ('a = ""\nb = 1', ("a",), (1, 5, 1, 7), '""'),
    ('a = """\nline one\n  two"""', ("a",), (1, 5, 3, 9), '"""\nline one\n  two"""'),
    (
        'a = """\\\n    folded \\\n    text \\"""  """ # tail',
        ("a",),
        (1, 5, 3, 19),
        '"""\\\n    folded \\\n    text \\"""  """',
    ),
    ('a = """ends with quotes"""""', ("a",), (1, 5, 1, 29), '"""ends with quotes"""""'),
    ('a = """\\\\"""\nb = 2', ("a",), (1, 5, 1, 13), '"""\\\\"""'),
    ("a = '''\nraw \\n 'quoted' ''\n'''", ("a",), (1, 5, 3, 4), "'''\nraw \\n 'quoted' ''\n'''"),
    ("a = '''x''''", ("a",), (1, 5, 1, 13), "'''x''''"),
    ("a = ''", ("a",), (1, 5, 1, 7), "''"),
    ("a = 1_000", ("a",), (1, 5, 1, 10), "1_000"),
    ("a = -3.5e+2   # num", ("a",), (1, 5, 1, 12), "-3.5e+2"),
    ("a = 0x1F", ("a",), (1, 5, 1, 9), "0x1F"),
    ("a = -inf", ("a",), (1, 5, 1, 9), "-inf"),
    ("a = true", ("a",), (1, 5, 1, 9), "true"),
    ("a = 1979-05-27 07:32:00Z # when", ("a",), (1, 5, 1, 25), "1979-05-27 07:32:00Z"),
    ("a = 1979-05-27T00:32:00.999999-07:00", ("a",), (1, 5, 1, 37), "1979-05-27T00:32:00.999999-07:00"),
    ("a = 07:32:00", ("a",), (1, 5, 1, 13), "07:32:00"),
    ("a.b.c = 1", ("a", "b", "c"), (1, 9, 1, 10), "1"),
    ("a . b\t.  c = 'v'", ("a", "b", "c"), (1, 14, 1, 17), "'v'"),
    ('"a.b" = 1', ("a.b",), (1, 9, 1, 10), "1"),
    ("'a b'.\"c\\u0041\" = 2", ("a b", "cA"), (1, 19, 1, 20), "2"),
    ('"" = 3', ("",), (1, 6, 1, 7), "3"),
    ("1.2 = 3", ("1", "2"), (1, 7, 1, 8), "3"),
    ("[t]\nx = 1", ("t", "x"), (2, 5, 2, 6), "1"),
    ("[ t . 'u' ]\nx = 1", ("t", "u", "x"), (2, 5, 2, 6), "1"),
    ("[t]\nx = 1", ("t",), (1, 1, 1, 4), "[t]"),
    ("[[t]]\nx = 1\n[[t]]\nx = 2", ("t", 1, "x"), (4, 5, 4, 6), "2"),
    ("[[t]]\n[[t]]", ("t", 1), (2, 1, 2, 6), "[[t]]"),
    (
        "[[fruit]]\nname = 'a'\n[[fruit.variety]]\nname = 'b'\n[[fruit]]\n[[fruit.variety]]\n[[fruit.variety]]\nname = 'c'",
        ("fruit", 1, "variety", 1, "name"),
        (8, 8, 8, 11),
        "'c'",
    ),
    ("[[fruit]]\n[fruit.physical]\ncolor = 'red'", ("fruit", 0, "physical", "color"), (3, 9, 3, 14), "'red'"),
    ("x = {y = 1, z = {w = 'q'}}", ("x",), (1, 5, 1, 27), "{y = 1, z = {w = 'q'}}"),
    ("x = {y = 1, z = {w = 'q'}}", ("x", "z", "w"), (1, 22, 1, 25), "'q'"),
    ("x = {a.b = true}", ("x", "a", "b"), (1, 12, 1, 16), "true"),
    ("x = {}", ("x",), (1, 5, 1, 7), "{}"),
    ("a = [1, 2]", ("a",), (1, 5, 1, 11), "[1, 2]"),
    ("a = [1, 2]", ("a", 1), (1, 9, 1, 10), "2"),
    ("a = []", ("a",), (1, 5, 1, 7), "[]"),
    ("a = [[1, 2], ['x', []]]", ("a", 1, 0), (1, 15, 1, 18), "'x'"),
    ("a = [[1, 2], ['x', []]]", ("a", 1, 1), (1, 20, 1, 22), "[]"),
    ("a = [[1, 2], ['x', []]]", ("a", 1), (1, 14, 1, 23), "['x', []]"),
    ("a = [{n = 'x'}, {n = 'y'}]", ("a", 1, "n"), (1, 22, 1, 25), "'y'"),
    ("a = [\n  # lead\n  'p',  # one\n  \"q\" ,\n]  # after", ("a", 1), (4, 3, 4, 6), '"q"'),
    ("a = [\n  # lead\n  'p',  # one\n  \"q\" ,\n]  # after", ("a",), (1, 5, 5, 2), None),
    ("a = [\n  '''x\ny''', 2\n]", ("a", 1), (3, 7, 3, 8), "2"),
    ("a = \"é\" ; \"ü\" = 'ö'".replace(" ; ", "\n"), ("ü",), (2, 7, 2, 10), "'ö'"),
    ("\"名\" = '値'", ("名",), (1, 7, 1, 10), "'値'"),
    ("[p]\r\nd = [\r\n  'a',\r\n  'b' # c\r\n]\r\n", ("p", "d", 1), (4, 3, 4, 6), "'b'"),
    ("[p]\r\nv = 12\r\n", ("p", "v"), (2, 5, 2, 7), "12"),
    # TOML 1.1 (tomli >= 2.3): newlines, comments and a trailing comma in an inline table
    ("x = {\n  a = 1,  # one\n  b = 'z',\n}", ("x", "b"), (3, 7, 3, 10), "'z'"),
]


@pytest.mark.parametrize(
    ("document", "path", "expected", "literal"),
    VALUE_CASES,
    ids=[f"{i}-{'.'.join(map(str, case[1]))}" for i, case in enumerate(VALUE_CASES)],
)
def test_value_positions(document: str, path: tuple, expected: tuple, literal: str | None) -> None:
    positions = locate(document)
    assert path in positions, sorted(map(str, positions))
    pos = positions[path]
    assert where(pos) == expected
    if literal is not None:
        assert cut(document.replace("\r\n", "\n"), pos) == literal


COMMENT_CASES = [
    ("a = 'x'  # depcheck: ignore[DC302]  ", ("a",), "# depcheck: ignore[DC302]"),
    ("a = 'x' #", ("a",), "#"),
    ("a = 'x#y'", ("a",), ""),
    ("a = ['x', 'y'] # both", ("a", 0), "# both"),
    ("a = [\n 'x', # first\n 'y'\n]", ("a", 0), "# first"),
    ("a = [\n 'x', # first\n 'y'\n]", ("a", 1), ""),
    ("a = [\n 'x', # first\n 'y'\n] # end", ("a",), "# end"),
    ('a = """\n# not a comment\n""" # real', ("a",), "# real"),
    ("a = 'x' # crlf\r\nb = 1", ("a",), "# crlf"),
]


@pytest.mark.parametrize(("document", "path", "comment"), COMMENT_CASES, ids=[str(i) for i in range(len(COMMENT_CASES))])
def test_comment_on_the_value_end_line(document: str, path: tuple, comment: str) -> None:
    assert locate(document)[path].comment == comment


def test_line_text_is_the_physical_line_of_the_start() -> None:
    document = "[p]\r\ndeps = [\r\n  'a>=1',  # note\r\n]\r\n"
    pos = locate(document)[("p", "deps", 0)]
    assert pos.line_text == "  'a>=1',  # note"
    assert locate(document)[("p", "deps")].line_text == "deps = ["


KEY_CASES = [
    ("[tool.poetry.dependencies]\nx = 1", ("tool", "poetry", "dependencies"), (1, 2, 1, 26)),
    ("[tool.poetry.dependencies]\nx = 1", ("tool",), (1, 2, 1, 6)),
    ("[tool.poetry.dependencies]\nx = 1", ("tool", "poetry"), (1, 2, 1, 13)),
    ("[tool.poetry.dependencies]\nx = 1", ("tool", "poetry", "dependencies", "x"), (2, 1, 2, 2)),
    ("[a.b]\n[a]\nx = 1", ("a",), (2, 2, 2, 3)),
    ("[ a . b ]", ("a", "b"), (1, 3, 1, 8)),
    ("a.b = 1", ("a",), (1, 1, 1, 2)),
    ("a.b = 1", ("a", "b"), (1, 1, 1, 4)),
    ('[p]\n"q.r" = 1', ("p", "q.r"), (2, 1, 2, 6)),
    ("x = {y = 1}", ("x", "y"), (1, 6, 1, 7)),
    ("[[t]]\n[[t]]\nk = 1", ("t", 1, "k"), (3, 1, 3, 2)),
    ("[[t]]\n[[t]]", ("t", 1), (2, 3, 2, 4)),
]


@pytest.mark.parametrize(("document", "path", "expected"), KEY_CASES, ids=[str(i) for i in range(len(KEY_CASES))])
def test_key_positions(document: str, path: tuple, expected: tuple) -> None:
    assert where(scan(document).keys[path]) == expected


def test_every_value_of_a_real_pyproject_is_located() -> None:
    document = """\
[build-system]
requires = ["hatchling>=1.21"]
build-backend = "hatchling.build"

[project]
name = "example"
dynamic = ["version"]
dependencies = [
    "fastapi>=0.110",
    'SQLAlchemy[asyncio]>=2.0 ; python_version >= "3.9"',  # depcheck: ignore[DC302]
    "psycopg[binary,pool]>=3.1",
]

[project.optional-dependencies]
test = ["pytest>=8", "pytest-asyncio"]

[dependency-groups]
dev = [{include-group = "test"}, "ruff"]
test = ["pytest"]

[tool.poetry.dependencies]
python = "^3.9"
requests = {version = "^2.31", extras = ["socks"], optional = true}

[[tool.poetry.source]]
name = "internal"
url = "https://pypi.internal/simple"

[tool.uv.sources]
lib = { workspace = true }
"""
    positions = locate(document)

    def flatten(value: object, path: tuple) -> list[tuple]:
        out = []
        if isinstance(value, dict):
            for key, item in value.items():
                out += [path + (key,)] + flatten(item, path + (key,))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                out += [path + (index,)] + flatten(item, path + (index,))
        return out

    expected = flatten(tomllib.loads(document), ())
    missing = [path for path in expected if path not in positions]
    implicit = {("tool",), ("tool", "poetry"), ("tool", "uv")}
    assert [path for path in missing if path not in implicit] == []
    pos = positions[("project", "dependencies", 1)]
    assert where(pos) == (10, 5, 10, 57)
    assert pos.comment == "# depcheck: ignore[DC302]"
    assert cut(document, positions[("tool", "poetry", "source", 0, "url")]) == '"https://pypi.internal/simple"'
    assert cut(document, positions[("tool", "uv", "sources", "lib")]) == "{ workspace = true }"
    assert cut(document, positions[("dependency-groups", "dev", 0)]) == '{include-group = "test"}'


GARBAGE = [
    "",
    "[",
    "[[",
    "[a",
    "a",
    "a =",
    'a = "unterminated',
    "a = '''never",
    'a = """never',
    "a = [1, 2",
    "a = {b = 1",
    "a = [1 2]",
    "= 1",
    "\r",
    "a = 1 b = 2",
    "[a]]]\n",
    "a = \\",
    "a = [\n# only a comment",
    "\x00\x01\x02",
    "a = {b = 1 c}",
    "[[a]\n",
    "a." ,
    "a = [" * 2000,
]


@pytest.mark.parametrize("document", GARBAGE, ids=[str(i) for i in range(len(GARBAGE))])
def test_garbage_never_raises(document: str) -> None:
    assert isinstance(locate(document), dict)


def test_garbage_keeps_what_came_before() -> None:
    positions = locate("a = 1\nb = 'x'\nc = [1,\n")
    assert where(positions[("a",)]) == (1, 5, 1, 6)
    assert where(positions[("b",)]) == (2, 5, 2, 8)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.text())
def test_arbitrary_text_never_raises(document: str) -> None:
    scan(document)


# ---- property: serialise string arrays in many styles, every element slices back ----------

_BARE = string.ascii_letters + string.digits + "_-"
key_text = st.text(alphabet=st.sampled_from(list(_BARE + " .'\"é\\#=")), max_size=6)
element_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x7f"),
    max_size=12,
)


def _basic_escape(value: str, *, multiline: bool = False) -> str:
    out = []
    for char in value:
        if char == "\\":
            out.append("\\\\")
        elif char == '"':
            out.append('\\"')
        elif char == "\n" and multiline:
            out.append("\n")
        elif char == "\t":
            out.append("\t")
        elif ord(char) < 0x20 or char == "\x7f":
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    return "".join(out)


def _literal_ok(value: str, *, multiline: bool = False) -> bool:
    bad = {chr(c) for c in range(0x20) if chr(c) not in "\t\n"} | {"\x7f"}
    if any(char in bad for char in value):
        return False
    if multiline:
        return "'''" not in value and not value.startswith("\n") and not value.endswith("'''")
    return "\n" not in value and "'" not in value


def serialise_string(value: str, style: str) -> str:
    if style == "literal" and _literal_ok(value):
        return f"'{value}'"
    if style == "ml-literal" and _literal_ok(value, multiline=True):
        return f"'''{value}'''"
    if style == "ml-basic":
        body = _basic_escape(value, multiline=True)
        if body.startswith("\n"):
            body = "\\n" + body[1:]
        return f'"""{body}"""'
    if style == "ml-basic-folded":
        body = _basic_escape(value, multiline=True)
        if body[:1] in (" ", "\t", "\n"):  # the folding backslash would eat it
            body = f"\\u{ord(body[0]):04x}" + body[1:]
        return f'"""\\\n    {body}"""'
    return f'"{_basic_escape(value)}"'


def serialise_key(key: str, style: str) -> str:
    if key and all(char in _BARE for char in key) and style != "quoted":
        return key
    if style == "literal" and "'" not in key and "\n" not in key:
        return f"'{key}'"
    return f'"{_basic_escape(key)}"'


document_strategy = st.dictionaries(
    key_text,
    st.dictionaries(key_text, st.lists(element_text, max_size=4), max_size=3),
    max_size=3,
)
style_strategy = st.lists(
    st.sampled_from(["basic", "literal", "ml-basic", "ml-basic-folded", "ml-literal"]), min_size=1
)


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(
    document=document_strategy,
    string_styles=style_strategy,
    layouts=st.lists(st.sampled_from(["header", "dotted", "inline"]), min_size=1),
    array_styles=st.lists(st.sampled_from(["one-line", "multi-line", "trailing-comma", "commented"]), min_size=1),
    key_styles=st.lists(st.sampled_from(["bare", "quoted", "literal"]), min_size=1),
    crlf=st.booleans(),
)
def test_every_element_span_slices_out_its_literal(
    document: dict, string_styles: list, layouts: list, array_styles: list, key_styles: list, crlf: bool
) -> None:
    counter = iter(range(10**6))

    def pick(options: list) -> str:
        return options[next(counter) % len(options)]

    literals: dict[tuple, str] = {}

    def array(path: tuple, values: list) -> str:
        style = pick(array_styles)
        items = []
        for index, value in enumerate(values):
            literal = serialise_string(value, pick(string_styles))
            literals[path + (index,)] = literal
            items.append(literal)
        if style == "one-line" or not items:
            return "[" + ", ".join(items) + "]"
        if style == "multi-line":
            return "[\n" + ",\n".join(f"  {item}" for item in items) + "\n]"
        if style == "trailing-comma":
            return "[\n" + "".join(f"    {item},\n" for item in items) + "]"
        return "[ # open\n" + "".join(f"  # before\n  {item} , # after {i}\n" for i, item in enumerate(items)) + "]"

    top: list[str] = []
    tables: list[str] = []
    for outer, inner in document.items():
        layout = pick(layouts)
        outer_key = serialise_key(outer, pick(key_styles))
        if layout == "header":
            tables.append(f"[{outer_key}]")
            for name, values in inner.items():
                tables.append(f"{serialise_key(name, pick(key_styles))} = {array((outer, name), values)}")
        elif layout == "dotted" and inner:
            for name, values in inner.items():
                top.append(f"{outer_key} . {serialise_key(name, pick(key_styles))} = {array((outer, name), values)}")
        else:
            body = ", ".join(
                f"{serialise_key(name, pick(key_styles))} = {array((outer, name), values)}"
                for name, values in inner.items()
            )
            top.append(f"{outer_key} = {{{body}}}")
    text = "\n".join(top + tables) + "\n"
    if crlf:
        text = text.replace("\n", "\r\n")
    assert tomllib.loads(text) == document  # the serialiser itself is right
    positions = locate(text)
    plain = text.replace("\r\n", "\n")
    for path, literal in literals.items():
        assert path in positions
        assert cut(plain, positions[path]) == literal.replace("\r\n", "\n")
