from __future__ import annotations

import textwrap

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from depcheck.model import Requirement, SetKind
from depcheck.parsers.common import extra_kind
from depcheck.parsers.setup_cfg import SetupCfg, parse

PATH = "pkg/setup.cfg"


def cfg(text: str) -> SetupCfg:
    return parse(PATH, textwrap.dedent(text))


def runtime(result: SetupCfg) -> tuple[Requirement, ...]:
    (found,) = [s for s in result.sets if s.id == "setup.cfg:options.install_requires"]
    return found.requirements


def names(requirements: tuple[Requirement, ...]) -> list[str]:
    return [r.name for r in requirements]


def written(requirement: Requirement) -> str:
    """The text the span covers on its line."""
    span = requirement.span
    assert span.end_line == span.line and span.end_column is not None
    return requirement.line_text[span.column - 1 : span.end_column - 1]


# (setup.cfg text, expected install_requires names)
INSTALL_REQUIRES = [
    (
        """
        [options]
        install_requires =
            requests>=2
            click
        """,
        ["requests", "click"],
    ),
    (  # blank lines and whole-line comments (# and ;) inside the value do not end it
        """
        [options]
        install_requires =
            requests>=2

            # a comment
            ; another comment
            click
        """,
        ["requests", "click"],
    ),
    (  # a value on the key line plus continuation lines is a multi-line value
        """
        [options]
        install_requires = requests
            click
        """,
        ["requests", "click"],
    ),
    ("[options]\ninstall_requires = requests; click ;  attrs\n", ["requests", "click", "attrs"]),
    ("[options]\ninstall_requires = requests\n\n\n", ["requests"]),  # trailing blanks: still one line
    ("[options]\ninstall_requires: requests\n", ["requests"]),  # `:` is a delimiter too
    ("[options]\ninstall-requires = requests\n", ["requests"]),  # setuptools maps `-` to `_`
    ("[options]\nInstall_Requires = requests\n", ["requests"]),  # and lowercases [options] keys
    ("[options]\ninstall_requires =\n\tre_quests\n\tClick\n", ["re-quests", "click"]),  # tabs, canonical names
    ("[options]\ninstall_requires =\n", []),
    ("[options]\ninstall_requires = # nothing yet\n", []),
    (
        """
        [options]
        install_requires =
            sqlalchemy[asyncio]>=2 ; python_version >= "3.8"
            pkg @ https://example.com/pkg.zip#sha256=abc
        """,
        ["sqlalchemy", "pkg"],
    ),
]


@pytest.mark.parametrize(
    ("text", "expected"),
    INSTALL_REQUIRES,
    ids=[
        "multi-line",
        "comments-and-blanks",
        "first-line-value",
        "semicolons",
        "single-with-trailing-blanks",
        "colon-delimiter",
        "dash-key",
        "uppercase-key",
        "tabs",
        "empty",
        "only-comment",
        "markers-and-urls",
    ],
)
def test_install_requires(text: str, expected: list[str]) -> None:
    result = cfg(text)
    assert names(runtime(result)) == expected
    assert result.problems == ()
    for requirement in runtime(result):
        assert written(requirement) == requirement.text


def test_spans_line_text_and_inline_ignores() -> None:
    result = cfg(
        """\
        [options]
        install_requires =
            requests>=2  # depcheck: ignore[DC302]
            click # why we need it
        """
    )
    requests, click = runtime(result)
    assert (requests.span.path, requests.span.line, requests.span.column) == (PATH, 3, 5)
    assert (requests.span.end_line, requests.span.end_column) == (3, 16)
    assert requests.text == "requests>=2"
    assert requests.line_text == "    requests>=2  # depcheck: ignore[DC302]"
    assert requests.ignores == frozenset({"DC302"})
    assert click.text == "click" and click.ignores == frozenset()


def test_single_line_entries_have_their_own_columns() -> None:
    result = cfg("[options]\ninstall_requires = requests; click\n")
    requests, click = runtime(result)
    assert (requests.span.column, click.span.column) == (20, 30)
    assert [written(r) for r in (requests, click)] == ["requests", "click"]


def test_markers_and_extras_are_read() -> None:
    result = cfg('[options]\ninstall_requires =\n    sqlalchemy[asyncio]>=2 ; python_version >= "3.8"\n')
    (requirement,) = runtime(result)
    assert requirement.extras == frozenset({"asyncio"})
    assert str(requirement.marker) == 'python_version >= "3.8"'
    assert str(requirement.specifier) == ">=2"


def test_url_fragment_is_not_a_comment() -> None:
    result = cfg("[options]\ninstall_requires =\n    pkg @ https://example.com/pkg.zip#sha256=abc\n")
    (requirement,) = runtime(result)
    assert requirement.url == "https://example.com/pkg.zip#sha256=abc"


def test_one_line_marker_is_two_entries_to_setuptools() -> None:
    result = cfg('[options.extras_require]\nssl = pyopenssl;python_version<"4"\n')
    (extra,) = result.sets
    assert names(extra.requirements) == ["pyopenssl"]
    (problem,) = result.problems
    assert problem.code == "DC001"
    assert "two requirements" in problem.message
    assert (problem.span.line, problem.span.column) == (2, 17)


def test_invalid_requirement_is_a_located_dc001() -> None:
    result = cfg("[options]\ninstall_requires =\n    requests\n    not a requirement!\n")
    assert names(runtime(result)) == ["requests"]
    (problem,) = result.problems
    assert problem.code == "DC001"
    assert (problem.span.line, problem.span.column) == (4, 5)
    assert problem.line_text == "    not a requirement!"


def test_metadata_name_and_python_requires() -> None:
    result = cfg("[metadata]\nname = My_Package.Name\n[options]\npython_requires = >=3.9\n")
    assert result.name == "my-package-name"
    assert result.requires_python == ">=3.9"
    assert result.sets == ()


def test_missing_everything() -> None:
    result = cfg("[bdist_wheel]\nuniversal = 1\n")
    assert (result.name, result.requires_python, result.sets, result.problems) == (None, None, (), ())


# (extra key, expected kind)
EXTRA_KINDS = [
    ("test", SetKind.DEV),
    ("Tests", SetKind.DEV),
    ("docs", SetKind.DEV),
    ("lint", SetKind.DEV),
    ("typing", SetKind.DEV),
    ("dev_lint", SetKind.DEV),
    ("postgres", SetKind.EXTRA),
    ("asyncio", SetKind.EXTRA),
    ("all", SetKind.EXTRA),
]


@pytest.mark.parametrize(("extra", "kind"), EXTRA_KINDS, ids=[extra for extra, _ in EXTRA_KINDS])
def test_extra_kind(extra: str, kind: SetKind) -> None:
    assert extra_kind(extra) is kind


def test_extras_require_sets() -> None:
    result = cfg(
        """\
        [options]
        install_requires = requests
        [options.extras_require]
        Postgres_Async =
            asyncpg>=0.29
            greenlet
        test = pytest; coverage[toml]
        """
    )
    assert [s.id for s in result.sets] == [
        "setup.cfg:options.install_requires",
        "setup.cfg:options.extras_require.postgres-async",
        "setup.cfg:options.extras_require.test",
    ]
    install, postgres, test = result.sets
    assert (install.kind, install.label, install.group, install.path) == (
        SetKind.RUNTIME,
        "setup.cfg install_requires",
        None,
        PATH,
    )
    assert (postgres.kind, postgres.group, postgres.label) == (
        SetKind.EXTRA,
        "postgres-async",
        "setup.cfg extras_require[postgres-async]",
    )
    assert names(postgres.requirements) == ["asyncpg", "greenlet"]
    assert (test.kind, test.group) == (SetKind.DEV, "test")
    assert names(test.requirements) == ["pytest", "coverage"]
    assert postgres.span is not None and (postgres.span.line, postgres.span.column) == (4, 1)


def test_file_directive_lists_the_files_for_the_caller() -> None:
    result = cfg(
        """\
        [options]
        install_requires = file: requirements/base.in, ../shared.txt
        [options.extras_require]
        dev = file: requirements/dev.in
        """
    )
    install, dev = result.sets
    assert install.requirements == ()
    assert install.files == (PATH, "pkg/requirements/base.in", "shared.txt")
    assert dev.files == (PATH, "pkg/requirements/dev.in")
    assert [(ref.set_id, ref.paths) for ref in result.file_refs] == [
        ("setup.cfg:options.install_requires", ("pkg/requirements/base.in", "shared.txt")),
        ("setup.cfg:options.extras_require.dev", ("pkg/requirements/dev.in",)),
    ]
    assert result.file_refs[0].span.line == 2
    assert result.problems == ()


# (text, (line, column) of each DC004, install_requires names still read)
BROKEN = [
    ("[options]\ninstall_requires = a\n[options]\nzip_safe = False\n", [(3, 1)], ["a"]),
    ("[options]\ninstall_requires = a\ninstall_requires =\n    b\n    c\n", [(3, 1)], ["a"]),
    ("stray = 1\n[options]\ninstall_requires = a\n", [(1, 1)], ["a"]),
    ("[options]\nthis is not a key value\ninstall_requires = a\n", [(2, 1)], ["a"]),
    ("[options]\n= a\ninstall_requires = a\n", [(2, 1)], ["a"]),
    ("[options\ninstall_requires = a\n", [(1, 1)], []),  # reported once, not per orphan line
]


@pytest.mark.parametrize(
    ("text", "where", "expected"),
    BROKEN,
    ids=["duplicate-section", "duplicate-key", "before-section", "not-key-value", "empty-key", "bad-header"],
)
def test_broken_syntax_is_located_and_the_rest_is_read(
    text: str, where: list[tuple[int, int]], expected: list[str]
) -> None:
    result = parse(PATH, text)
    assert [(p.code, p.span.line, p.span.column) for p in result.problems] == [
        ("DC004", line, column) for line, column in where
    ]
    assert all(p.span.path == PATH and p.line_text for p in result.problems)
    found = [s for s in result.sets if s.id == "setup.cfg:options.install_requires"]
    assert [r.name for s in found for r in s.requirements] == expected


def test_extras_differing_only_in_spelling() -> None:
    result = cfg("[options.extras_require]\nDev = a\ndev = b\n")
    assert [names(s.requirements) for s in result.sets] == [["a"]]
    (problem,) = result.problems
    assert (problem.code, problem.span.line) == ("DC004", 3)


def test_crlf_line_endings() -> None:
    result = parse(PATH, "[options]\r\ninstall_requires =\r\n    requests>=2\r\n    click\r\n")
    requests, click = runtime(result)
    assert requests.line_text == "    requests>=2"
    assert (click.span.line, click.span.column, click.span.end_column) == (4, 5, 10)


def test_non_ascii_columns_count_characters() -> None:
    result = parse(PATH, "[options]\ninstall_requires = é; requests\n")
    assert names(runtime(result)) == ["requests"]
    (requirement,) = runtime(result)
    assert written(requirement) == "requests"


GARBAGE = [
    "",
    "\x00\x01\x02",
    "[",
    "]",
    "[]",
    "[[options]]\ninstall_requires = a",
    "[options]\n   \n\t\n",
    "[options]\ninstall_requires =\n    ;;;\n    #\n",
    "[options]\ninstall_requires = ;;;",
    "[options.extras_require]\n: x\n= y\n",
    "\ufeff[options]\ninstall_requires = a",
    "[options]\ninstall_requires = file:",
    "[options]\ninstall_requires = a\\\n    b",
    "\r\r\n\n\r",
]


@pytest.mark.parametrize("text", GARBAGE, ids=range(len(GARBAGE)))
def test_garbage_never_raises(text: str) -> None:
    result = parse(PATH, text)
    assert isinstance(result, SetupCfg)
    assert all("could not be read" not in p.message for p in result.problems)


CFG_ALPHABET = st.sampled_from(
    [*"[]=:;#@<>!~.,- \t\n\r\"'\\", "options", "options.extras_require", "metadata", "install_requires", "a1", "é"]
)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(), st.lists(CFG_ALPHABET, max_size=60).map("".join)))
def test_never_raises(text: str) -> None:
    result = parse(PATH, text)
    assert isinstance(result, SetupCfg)
    # a bug would surface as the guard's message rather than an exception
    assert all("could not be read" not in p.message for p in result.problems)
    for found in result.sets:
        for requirement in found.requirements:
            assert written(requirement) == requirement.text
