from __future__ import annotations

import textwrap

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from depcheck.model import Requirement, SetKind, Severity
from depcheck.parsers.setup_py import SetupPy, parse

PATH = "setup.py"
RUNTIME = "setup.py:options.install_requires"


def setup_py(text: str) -> SetupPy:
    return parse(PATH, textwrap.dedent(text))


def requirements(result: SetupPy, set_id: str = RUNTIME) -> tuple[Requirement, ...]:
    (found,) = [s for s in result.sets if s.id == set_id]
    return found.requirements


def names(result: SetupPy, set_id: str = RUNTIME) -> list[str]:
    return [r.name for r in requirements(result, set_id)]


def literal(requirement: Requirement) -> str:
    """The source the span covers (one line)."""
    span = requirement.span
    assert span.end_line == span.line and span.end_column is not None
    return requirement.line_text[span.column - 1 : span.end_column - 1]


def codes(result: SetupPy) -> list[tuple[str, Severity | None, int, int]]:
    return [(p.code, p.severity, p.span.line, p.span.column) for p in result.problems]


# (setup.py source, install_requires names)
LITERALS = [
    ('from setuptools import setup\nsetup(install_requires=["requests>=2", "click"])\n', ["requests", "click"]),
    ('import setuptools\nsetuptools.setup(install_requires=("requests",))\n', ["requests"]),
    ('from distutils.core import setup as s\nimport x\nx.setup(install_requires=["a"])\n', ["a"]),
    ('REQUIRES = ["requests", "click"]\nsetup(install_requires=REQUIRES)\n', ["requests", "click"]),
    ('A = ["a"]\nB = A\nsetup(install_requires=B)\n', ["a"]),
    ('BASE: list = ["a"]\nsetup(install_requires=BASE + ["b"] + ("c",))\n', ["a", "b", "c"]),
    ('BASE = ["a"]\nsetup(install_requires=[*BASE, "b"])\n', ["a", "b"]),
    ('PIN = "a==1"\nsetup(install_requires=[PIN])\n', ["a"]),
    ('setup(install_requires="""\n    requests>=2\n    # comment\n    click  # why\n""")\n', ["requests", "click"]),
    ('setup(install_requires="requests # pinned elsewhere")\n', ["requests"]),
    ('setup(install_requires=["req" "uests"])\n', ["requests"]),
    ("setup(install_requires=[])\n", []),
    ('def main():\n    setup(install_requires=["a"])\nif __name__ == "__main__":\n    main()\n', ["a"]),
    ('kw = dict(install_requires=["a"])\nsetup(name="x", **kw)\n', ["a"]),
    ('kw = {"install_requires": ["a"], **{"name": "n"}}\nsetup(**kw)\n', ["a"]),
]


@pytest.mark.parametrize(
    ("source", "expected"),
    LITERALS,
    ids=[
        "list",
        "attribute-call-tuple",
        "any-setup-attribute",
        "variable",
        "variable-chain",
        "annotated-concatenation",
        "starred",
        "string-variable-element",
        "multi-line-string",
        "inline-comment-in-string",
        "implicit-concatenation",
        "empty",
        "inside-function",
        "kwargs-dict-call",
        "kwargs-dict-literal",
    ],
)
def test_literal_install_requires(source: str, expected: list[str]) -> None:
    result = parse(PATH, source)
    assert names(result) == expected
    assert result.problems == ()


def test_span_points_at_the_quotes() -> None:
    result = setup_py(
        """\
        from setuptools import setup
        setup(
            install_requires=[
                "requests>=2",  # depcheck: ignore[DC302]
                'click',
            ],
        )
        """
    )
    requests, click = requirements(result)
    assert (requests.span.path, requests.span.line, requests.span.column) == (PATH, 4, 9)
    assert (requests.span.end_line, requests.span.end_column) == (4, 22)
    assert literal(requests) == '"requests>=2"'
    assert requests.text == "requests>=2"
    assert requests.line_text == '        "requests>=2",  # depcheck: ignore[DC302]'
    assert requests.ignores == frozenset({"DC302"})
    assert literal(click) == "'click'" and click.ignores == frozenset()


def test_columns_count_characters_not_bytes() -> None:
    result = parse(PATH, 'setup(name="Ünïcödé", install_requires=["a", "b"])\n')
    a, b = requirements(result)
    assert (literal(a), literal(b)) == ('"a"', '"b"')
    assert a.span.column == 41


def test_string_prefix_is_skipped() -> None:
    (requirement,) = requirements(parse(PATH, 'setup(install_requires=[u"a"])\n'))
    assert literal(requirement) == '"a"'


def test_multi_line_string_is_located_per_line() -> None:
    result = setup_py(
        '''\
        setup(install_requires="""
            requests>=2
            click  # depcheck: ignore
        """)
        '''
    )
    requests, click = requirements(result)
    assert (requests.span.line, requests.span.column, requests.span.end_column) == (2, 5, 16)
    assert (click.span.line, click.text, click.ignores) == (3, "click", frozenset({"*"}))


def test_name_and_python_requires() -> None:
    result = setup_py(
        """\
        NAME = "My_Pkg"
        setup(name=NAME, python_requires=">=3.9", install_requires=[])
        """
    )
    assert (result.name, result.requires_python) == ("my-pkg", ">=3.9")


def test_computed_name_is_none() -> None:
    result = parse(PATH, 'setup(name=get_name(), python_requires=f">={V}")\n')
    assert (result.name, result.requires_python, result.sets, result.problems) == (None, None, (), ())


# (source, (line, column) of the INFO, names still read)
COMPUTED = [
    ('setup(install_requires=read_requirements("r.txt"))\n', (1, 7), []),
    ('setup(install_requires=[l for l in open("r.txt")])\n', (1, 7), []),
    ('setup(install_requires=open("r.txt").read().splitlines())\n', (1, 7), []),
    ('R = ["a"]\nR.append("b")\nsetup(install_requires=R)\n', (3, 7), []),
    ('R = ["a"]\nR += ["b"]\nsetup(install_requires=R)\n', (3, 7), []),
    ('R = ["a"]\nif x:\n    R = ["b"]\nsetup(install_requires=R)\n', (4, 7), []),
    ('setup(install_requires=["a", f"b>={V}", B])\n', (1, 7), ["a"]),
    ('setup(\n    name="x",\n    install_requires=["a"] + extra(),\n)\n', (3, 5), ["a"]),
    ('setup(install_requires=[b"bytes"])\n', (1, 7), []),
]


@pytest.mark.parametrize(
    ("source", "where", "expected"),
    COMPUTED,
    ids=[
        "call",
        "comprehension",
        "open",
        "appended",
        "augmented",
        "reassigned",
        "partly-computed",
        "computed-tail",
        "bytes",
    ],
)
def test_computed_install_requires_is_an_info(source: str, where: tuple[int, int], expected: list[str]) -> None:
    result = parse(PATH, source)
    assert codes(result) == [("DC004", Severity.INFO, *where)]
    assert result.problems[0].message == (
        "install_requires is computed at build time; depcheck does not execute setup.py"
    )
    assert names(result) == expected


def test_extras_require() -> None:
    result = setup_py(
        """\
        TEST = ["pytest", "coverage"]
        EXTRAS = {
            "Postgres_Async": ["asyncpg", "greenlet"],
            "test": TEST,
            "ssl:sys_platform == 'win32'": ["pyopenssl"],
            ':python_version < "3.8"': ["importlib-metadata; implementation_name == 'cpython'"],
        }
        setup(install_requires=["requests"], extras_require=EXTRAS)
        """
    )
    assert [s.id for s in result.sets] == [
        RUNTIME,
        "setup.py:options.extras_require.postgres-async",
        "setup.py:options.extras_require.test",
        "setup.py:options.extras_require.ssl",
    ]
    install, postgres, test, ssl = result.sets
    assert (install.kind, install.label) == (SetKind.RUNTIME, "setup.py install_requires")
    assert [r.name for r in install.requirements] == ["requests", "importlib-metadata"]
    conditional = install.requirements[1]
    assert str(conditional.marker) == 'implementation_name == "cpython" and python_version < "3.8"'
    assert (postgres.kind, postgres.group, postgres.label) == (
        SetKind.EXTRA,
        "postgres-async",
        "setup.py extras_require[postgres-async]",
    )
    assert (test.kind, [r.name for r in test.requirements]) == (SetKind.DEV, ["pytest", "coverage"])
    (pyopenssl,) = ssl.requirements
    assert str(pyopenssl.marker) == 'sys_platform == "win32"'
    assert postgres.span is not None and (postgres.span.line, postgres.span.column) == (3, 5)
    assert result.problems == ()


def test_extras_require_dict_call_and_only_conditional_runtime() -> None:
    source = 'setup(extras_require=dict(docs=["sphinx"], **{":sys_platform == \'win32\'": ["colorama"]}))\n'
    result = parse(PATH, source)
    assert [s.id for s in result.sets] == [RUNTIME, "setup.py:options.extras_require.docs"]
    assert names(result) == ["colorama"]


# (source, (line, column) of the problem)
EXTRAS_PROBLEMS = [
    ("setup(extras_require=make_extras())\n", ("DC004", Severity.INFO, 1, 7)),
    ('E = {"a": ["x"]}\nE["all"] = ["y"]\nsetup(extras_require=E)\n', ("DC004", Severity.INFO, 3, 7)),
    ('setup(extras_require={"a": get()})\n', ("DC004", Severity.INFO, 1, 23)),
    ('setup(extras_require={k: ["x"] for k in ks})\n', ("DC004", Severity.INFO, 1, 7)),
    ('setup(extras_require={"a:not a marker": ["x"]})\n', ("DC001", None, 1, 23)),
    ("setup(name='x', **config())\n", ("DC004", Severity.INFO, 1, 17)),
]


@pytest.mark.parametrize(
    ("source", "problem"),
    EXTRAS_PROBLEMS,
    ids=["call", "subscript-assigned", "value-call", "comprehension", "bad-key-marker", "computed-kwargs"],
)
def test_extras_and_kwargs_problems(source: str, problem: tuple[str, Severity | None, int, int]) -> None:
    assert codes(parse(PATH, source)) == [problem]


def test_invalid_requirement_is_a_located_dc001() -> None:
    result = parse(PATH, 'setup(install_requires=["requests", "not valid!"])\n')
    assert names(result) == ["requests"]
    (problem,) = result.problems
    assert (problem.code, problem.span.line, problem.span.column, problem.span.end_column) == ("DC001", 1, 37, 49)


def test_first_setup_call_with_keywords_wins() -> None:
    result = setup_py(
        """\
        app.setup()
        try:
            setup(install_requires=["a"])
        except Exception:
            setup(install_requires=["b"])
        """
    )
    assert names(result) == ["a"]


def test_no_setup_call() -> None:
    assert parse(PATH, "print('hello')\n") == SetupPy(path=PATH)


def test_never_executes() -> None:
    result = parse(PATH, 'raise SystemExit("ran")\nimport os\nos._exit(1)\nsetup(install_requires=["a"])\n')
    assert names(result) == ["a"]


# (source, (line, column) of the DC004)
SYNTAX_ERRORS = [
    ('setup(install_requires=["a"]\n', 1),
    ("def f(:\n    pass\n", 1),
    ("x = 1\n  y = 2\n", 2),
    ("setup(name='x')\x00\n", 1),
]


@pytest.mark.parametrize(("source", "line"), SYNTAX_ERRORS, ids=["unclosed", "bad-def", "indent", "null-byte"])
def test_syntax_error_is_a_located_dc004(source: str, line: int) -> None:
    result = parse(PATH, source)
    (problem,) = result.problems
    assert (problem.code, problem.severity, problem.span.path) == ("DC004", None, PATH)
    assert "not valid Python" in problem.message
    assert 1 <= problem.span.line <= source.count("\n") + 1
    assert problem.span.column >= 1
    assert result.sets == ()


GARBAGE = [
    "",
    "(" * 500,
    "[" * 5000,
    "-" * 5000 + "1",
    "setup(" + "[" * 90 + "]" * 90 + ")",
    "A = B\nB = A\nsetup(install_requires=A)",
    "setup(install_requires=[*A], extras_require={**A})",
    "setup(install_requires=1, extras_require=[1], name=2, python_requires=None)",
    "setup(extras_require={1: ['a'], None: ['b']})",
    "setup(*args)",
    "\ufeffsetup(install_requires=['a'])",
    "setup(install_requires=['a'\r\n, 'b'])\r\n",
]


@pytest.mark.parametrize("source", GARBAGE, ids=range(len(GARBAGE)))
def test_garbage_never_raises(source: str) -> None:
    result = parse(PATH, source)
    assert isinstance(result, SetupPy)
    assert all("could not be read" not in p.message for p in result.problems)


FRAGMENTS = st.sampled_from(
    [
        "setup(", ")", "install_requires=", "extras_require=", "name=", "[", "]", "{", "}", ",", ":",
        '"a>=1"', "'b'", '"c; python_version<\'3\'"', "X", "X = ", "\n", "+", "*", "**", "dict(", "é", '"x:y"',
    ]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(), st.lists(FRAGMENTS, max_size=40).map("".join)))
def test_never_raises(source: str) -> None:
    result = parse(PATH, source)
    assert isinstance(result, SetupPy)
    assert all("could not be read" not in p.message for p in result.problems)
