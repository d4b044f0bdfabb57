from __future__ import annotations

import math
import sys
import textwrap

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from packaging.markers import Marker
from packaging.specifiers import SpecifierSet

from depcheck.model import DependencySet, Problem, Requirement, SetKind, Span
from depcheck.parsers import pyproject
from depcheck.parsers.common import is_dev_name
from depcheck.parsers.pyproject import PyProject, parse, python_constraint_marker

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

PATH = "pkg/pyproject.toml"


def read(document: str) -> PyProject:
    return parse(PATH, textwrap.dedent(document))


def by_id(result: PyProject) -> dict[str, DependencySet]:
    return {dependency_set.id[len(PATH) + 1 :]: dependency_set for dependency_set in result.sets}


def texts(dependency_set: DependencySet) -> list[str]:
    return [requirement.text for requirement in dependency_set.requirements]


def at(span: Span) -> tuple[int, int, int | None, int | None]:
    return (span.line, span.column, span.end_line, span.end_column)


def codes(result: PyProject) -> list[tuple[str, int, int]]:
    return [(problem.code, problem.span.line, problem.span.column) for problem in result.problems]


# ---- unreadable TOML ------------------------------------------------------------------------------

INVALID = [
    ("[project]\nname = \n", (2, 8)),
    ("[a]\n[a]\n", (2, 3)),
    ("x = [1,\n", (2, 1)),
    ("x = {a = 1, a = 2}", (1, 18)),
    ("x = 'unterminated", (1, 18)),
    ("\n\n  = 1", (3, 3)),
]


@pytest.mark.parametrize(("document", "where"), INVALID, ids=[str(i) for i in range(len(INVALID))])
def test_invalid_toml_is_one_dc004_at_the_parser_position(document: str, where: tuple[int, int]) -> None:
    result = parse(PATH, document)
    assert result.sets == ()
    assert len(result.problems) == 1
    problem = result.problems[0]
    assert problem.code == "DC004"
    assert (problem.span.line, problem.span.column) == where
    assert problem.span.path == PATH
    assert "(at " not in problem.message
    assert "not valid TOML" in problem.message
    assert problem.line_text == document.split("\n")[where[0] - 1]


def test_decode_error_attributes_win_over_the_message() -> None:
    class Fake(ValueError):
        lineno = 2
        colno = 4

    problem = pyproject._decode_problem(PATH, "a = 1\nbbbbbb\n", Fake("Bad thing (at line 9, column 9)"))
    assert (problem.span.line, problem.span.column) == (2, 4)
    assert problem.message == f"{PATH} is not valid TOML: Bad thing"
    assert problem.line_text == "bbbbbb"


def test_deep_nesting_is_a_finding_not_a_crash() -> None:
    result = parse(PATH, "x = " + "[" * 5000 + "]" * 5000)
    assert all(problem.code == "DC004" for problem in result.problems)


# ---- [project] ------------------------------------------------------------------------------------


def test_project_dependencies_runtime_set_with_exact_spans() -> None:
    result = read(
        """\
        [project]
        name = "My_Package"
        requires-python = ">=3.9"
        dependencies = [
            "fastapi>=0.110",
            'SQLAlchemy[asyncio]>=2.0 ; python_version >= "3.9"',  # depcheck: ignore[DC302, dc102]
            "psycopg[binary,pool]>=3.1",  # depcheck: ignore
        ]
        """
    )
    assert result.problems == ()
    assert result.name == "my-package"
    assert result.requires_python == ">=3.9"
    assert result.has_project_table
    (runtime,) = result.sets
    assert runtime.id == f"{PATH}:project.dependencies"
    assert runtime.label == f"{PATH} [project] dependencies"
    assert runtime.kind is SetKind.RUNTIME
    assert runtime.path == PATH
    assert runtime.files == (PATH,)
    assert runtime.group is None
    assert at(runtime.span) == (4, 1, 4, 13)
    first, second, third = runtime.requirements
    assert (first.name, str(first.specifier), first.text) == ("fastapi", ">=0.110", "fastapi>=0.110")
    assert at(first.span) == (5, 5, 5, 21)
    assert first.line_text == '    "fastapi>=0.110",'
    assert first.ignores == frozenset()
    assert second.name == "sqlalchemy" and second.display_name == "SQLAlchemy"
    assert second.extras == frozenset({"asyncio"})
    assert second.marker == Marker('python_version >= "3.9"')
    assert at(second.span) == (6, 5, 6, 57)
    assert second.ignores == frozenset({"DC302", "DC102"})
    assert third.ignores == frozenset({"*"})
    assert third.span.path == PATH


def test_dotted_and_inline_forms_are_read_too() -> None:
    result = read(
        """\
        project.name = "x"
        project.dependencies = ["a", 'b']
        """
    )
    (runtime,) = result.sets
    assert texts(runtime) == ["a", "b"]
    assert at(runtime.span) == (2, 1, 2, 21)
    assert at(runtime.requirements[1].span) == (2, 30, 2, 33)


def test_multiline_and_literal_strings_span_their_whole_literal() -> None:
    result = read(
        '''\
        [project]
        dependencies = [
          """
          requests>=2""", \'\'\'idna\'\'\', 'six'
        ]
        '''
    )
    assert result.problems == ()
    (runtime,) = result.sets
    requests, idna, six = runtime.requirements
    assert requests.text.strip() == "requests>=2"
    assert at(requests.span) == (3, 3, 4, 17)
    assert requests.line_text == '  """'
    assert at(idna.span) == (4, 19, 4, 29)
    assert at(six.span) == (4, 31, 4, 36)


def test_crlf_files_have_the_same_columns() -> None:
    result = parse(PATH, '[project]\r\ndependencies = [\r\n  "a>=1",  # depcheck: ignore[DC2]\r\n]\r\n')
    (requirement,) = result.sets[0].requirements
    assert at(requirement.span) == (3, 3, 3, 9)
    assert requirement.line_text == '  "a>=1",  # depcheck: ignore[DC2]'
    assert requirement.ignores == frozenset({"DC2"})


def test_empty_dependencies_is_an_empty_set_and_absent_is_no_set() -> None:
    assert texts(read("[project]\ndependencies = []\n").sets[0]) == []
    result = read("[project]\nname = 'x'\n")
    assert result.sets == () and result.has_project_table
    assert not read("[tool.x]\ny = 1\n").has_project_table


def test_invalid_requirement_is_dc001_at_its_string_and_the_rest_is_kept() -> None:
    result = read(
        """\
        [project]
        dependencies = [
            "good",
            "bad req ===",  # depcheck: ignore[DC001]
        ]
        """
    )
    assert texts(result.sets[0]) == ["good"]
    (problem,) = result.problems
    assert problem.code == "DC001"
    assert at(problem.span) == (4, 5, 4, 18)
    assert problem.ignores == frozenset({"DC001"})
    assert problem.line_text == '    "bad req ===",  # depcheck: ignore[DC001]'


EXTRA_KINDS = [
    ("dev", SetKind.DEV),
    ("Dev", SetKind.DEV),
    ("test", SetKind.DEV),
    ("tests", SetKind.DEV),
    ("testing", SetKind.DEV),
    ("lint", SetKind.DEV),
    ("linting", SetKind.DEV),
    ("docs", SetKind.DEV),
    ("doc", SetKind.DEV),
    ("typing", SetKind.DEV),
    ("type", SetKind.DEV),
    ("mypy", SetKind.DEV),
    ("style", SetKind.DEV),
    ("check", SetKind.DEV),
    ("checks", SetKind.DEV),
    ("ci", SetKind.DEV),
    ("coverage", SetKind.DEV),
    ("cov", SetKind.DEV),
    ("format", SetKind.DEV),
    ("dev-tools", SetKind.DEV),
    ("dev_tools", SetKind.DEV),
    ("test-utils", SetKind.DEV),
    ("Test.Extras", SetKind.DEV),
    ("postgres", SetKind.EXTRA),
    ("all", SetKind.EXTRA),
    ("asyncio", SetKind.EXTRA),
    ("server", SetKind.EXTRA),
    ("devices", SetKind.EXTRA),
    ("contest", SetKind.EXTRA),
]


@pytest.mark.parametrize(("extra", "kind"), EXTRA_KINDS, ids=[extra for extra, _ in EXTRA_KINDS])
def test_optional_dependencies_kind_by_name(extra: str, kind: SetKind) -> None:
    result = read(f'[project.optional-dependencies]\n"{extra}" = ["pytest>=8"]\n')
    (extra_set,) = result.sets
    canonical = extra.lower().replace("_", "-").replace(".", "-")
    assert extra_set.id == f"{PATH}:project.optional-dependencies.{canonical}"
    assert extra_set.label == f"{PATH} [project.optional-dependencies] {extra}"
    assert extra_set.group == canonical
    assert extra_set.kind is kind
    assert is_dev_name(extra) is (kind is SetKind.DEV)
    assert at(extra_set.span) == (2, 1, 2, len(extra) + 3)
    assert at(extra_set.requirements[0].span) == (2, len(extra) + 7, 2, len(extra) + 18)


def test_extras_that_normalize_alike_are_a_problem() -> None:
    result = read('[project.optional-dependencies]\nfoo_bar = ["a"]\nFoo-Bar = ["b"]\n')
    assert [s.id for s in result.sets] == [f"{PATH}:project.optional-dependencies.foo-bar"]
    assert codes(result) == [("DC004", 3, 1)]


# ---- dynamic ---------------------------------------------------------------------------------------

DYNAMIC = [
    (
        "setuptools-string",
        """\
        [project]
        dynamic = ["dependencies"]
        [tool.setuptools.dynamic]
        dependencies = {file = "requirements.txt"}
        """,
        {"dependencies": ("requirements.txt",)},
    ),
    (
        "setuptools-list-and-extras",
        """\
        [project]
        dynamic = ["version", "dependencies", "optional-dependencies"]
        [tool.setuptools.dynamic]
        version = {attr = "pkg.__version__"}
        dependencies = {file = ["requirements/base.in", "requirements/extra.in"]}
        optional-dependencies.Dev_Tools = {file = ["requirements-dev.txt"]}
        optional-dependencies.pg = {file = "requirements-pg.txt"}
        """,
        {
            "dependencies": ("requirements/base.in", "requirements/extra.in"),
            "optional-dependencies.dev-tools": ("requirements-dev.txt",),
            "optional-dependencies.pg": ("requirements-pg.txt",),
        },
    ),
    (
        "not-listed-in-dynamic",
        """\
        [project]
        dynamic = ["version"]
        [tool.setuptools.dynamic]
        dependencies = {file = "requirements.txt"}
        """,
        {},
    ),
    (
        "hatch-requirements-txt",
        """\
        [project]
        dynamic = ["dependencies", "optional-dependencies"]
        [tool.hatch.metadata.hooks.requirements_txt]
        files = ["requirements.txt"]
        [tool.hatch.metadata.hooks.requirements_txt.optional-dependencies]
        crypto = ["requirements-crypto.txt"]
        """,
        {"dependencies": ("requirements.txt",), "optional-dependencies.crypto": ("requirements-crypto.txt",)},
    ),
    ("dynamic-without-files", '[project]\ndynamic = ["dependencies"]\n', {}),
]


@pytest.mark.parametrize(("document", "files"), [case[1:] for case in DYNAMIC], ids=[case[0] for case in DYNAMIC])
def test_dynamic_dependencies_point_at_files(document: str, files: dict) -> None:
    result = read(document)
    assert result.problems == ()
    assert result.dynamic_files == files
    assert result.sets == ()
    assert "dependencies" in result.dynamic or "version" in result.dynamic


def test_dynamic_and_static_dependencies_at_once_is_a_problem() -> None:
    result = read(
        """\
        [project]
        dynamic = ["dependencies"]
        dependencies = ["a"]
        [tool.setuptools.dynamic]
        dependencies = {file = "requirements.txt"}
        """
    )
    assert result.sets == ()
    assert codes(result) == [("DC004", 3, 1)]
    assert result.dynamic_files == {"dependencies": ("requirements.txt",)}


# ---- [dependency-groups] ---------------------------------------------------------------------


def test_dependency_groups_expand_includes_and_keep_their_spans() -> None:
    result = read(
        """\
        [dependency-groups]
        Test_Utils = ["pytest>=8", "coverage"]
        typing = ["mypy"]
        dev = [
            {include-group = "test-utils"},
            "ruff",
            {include-group = "Typing"},
        ]
        all = [{include-group = "dev"}, {include-group = "typing"}]
        """
    )
    assert result.problems == ()
    sets = by_id(result)
    assert list(sets) == [
        "dependency-groups.test-utils",
        "dependency-groups.typing",
        "dependency-groups.dev",
        "dependency-groups.all",
    ]
    assert all(s.kind is SetKind.DEV for s in result.sets)
    dev = sets["dependency-groups.dev"]
    assert dev.group == "dev" and dev.label == f"{PATH} [dependency-groups] dev"
    assert texts(dev) == ["pytest>=8", "coverage", "ruff", "mypy"]
    assert at(dev.requirements[0].span) == (2, 15, 2, 26)  # where it is written
    assert at(dev.requirements[2].span) == (6, 5, 6, 11)
    assert at(dev.span) == (4, 1, 4, 4)
    # a diamond (all -> dev -> typing, all -> typing) lists each requirement once
    assert texts(sets["dependency-groups.all"]) == ["pytest>=8", "coverage", "ruff", "mypy"]


GROUP_PROBLEMS = [
    (
        "missing",
        '[dependency-groups]\ndev = ["a", {include-group = "nope"}]\n',
        [("DC003", 2, 13)],
        {"dev": ["a"]},
    ),
    (
        "cycle",
        '[dependency-groups]\na = ["x", {include-group = "b"}]\nb = ["y", {include-group = "a"}]\n',
        [("DC003", 3, 11)],
        {"a": ["x", "y"], "b": ["y"]},
    ),
    ("self", '[dependency-groups]\na = [{include-group = "A"}, "x"]\n', [("DC003", 2, 6)], {"a": ["x"]}),
    (
        "extra-key",
        '[dependency-groups]\na = [{include-group = "b", foo = 1}]\nb = []\n',
        [("DC004", 2, 6)],
        {"a": [], "b": []},
    ),
    ("not-a-string", '[dependency-groups]\na = [{include-group = 3}]\n', [("DC004", 2, 23)], {"a": []}),
    ("number-entry", "[dependency-groups]\na = [3, 'x']\n", [("DC004", 2, 6)], {"a": ["x"]}),
    ("not-an-array", "[dependency-groups]\na = 'x'\nb = ['y']\n", [("DC004", 2, 5)], {"b": ["y"]}),
    ("duplicate-normalized", "[dependency-groups]\nA_b = ['x']\na-B = ['y']\n", [("DC004", 3, 1)], {"a-b": ["x"]}),
    ("not-a-table", "dependency-groups = ['x']\n", [("DC004", 1, 21)], {}),
]


@pytest.mark.parametrize(
    ("document", "problems", "groups"), [case[1:] for case in GROUP_PROBLEMS], ids=[case[0] for case in GROUP_PROBLEMS]
)
def test_dependency_group_problems(document: str, problems: list, groups: dict) -> None:
    result = read(document)
    assert codes(result) == problems
    assert {s.group: texts(s) for s in result.sets} == groups


def test_include_cycle_message_names_the_cycle() -> None:
    result = read('[dependency-groups]\na = [{include-group = "b"}]\nb = [{include-group = "a"}]\n')
    (problem,) = result.problems
    assert problem.message == "dependency group include cycle: a -> b -> a"
    assert at(problem.span) == (3, 6, 3, 27)


# ---- Poetry -----------------------------------------------------------------------------------------

POETRY_CONSTRAINTS = [
    ('"^1.2.3"', ">=1.2.3,<2.0.0", "^1.2.3"),
    ('"~1.2"', ">=1.2,<1.3", "~1.2"),
    ('"1.*"', "==1.*", "1.*"),
    ('"*"', "", "*"),
    ('">=1,<2"', ">=1,<2", ">=1,<2"),
    ('"1.2.3"', "==1.2.3", "1.2.3"),
    ('{version = "^1.2.3"}', ">=1.2.3,<2.0.0", "^1.2.3"),
    ("{optional = false}", "", None),
]


@pytest.mark.parametrize(
    ("value", "specifier", "raw"), POETRY_CONSTRAINTS, ids=[case[0] for case in POETRY_CONSTRAINTS]
)
def test_poetry_constraints_are_translated(value: str, specifier: str, raw: str | None) -> None:
    result = read(f"[tool.poetry.dependencies]\npython = '^3.9'\nRequests = {value}  # depcheck: ignore[DC302]\n")
    assert result.problems == ()
    (main,) = result.sets
    (requirement,) = main.requirements
    assert requirement.name == "requests" and requirement.display_name == "Requests"
    assert requirement.specifier == SpecifierSet(specifier)
    assert requirement.raw_constraint == raw
    assert at(requirement.span) == (3, 1, 3, 12 + len(value))
    assert requirement.line_text.startswith("Requests = ")
    assert requirement.ignores == frozenset({"DC302"})


def test_poetry_project_sets() -> None:
    result = read(
        """\
        [tool.poetry]
        name = "Poetry_App"

        [tool.poetry.dependencies]
        python = "^3.9"
        django = "^4.2"
        psycopg = {version = "^3.1", extras = ["binary", "pool"], optional = true}
        redis = {version = ">=4", optional = true}
        uvloop = {version = "*", markers = "sys_platform != 'win32'"}

        [tool.poetry.extras]
        postgres = ["psycopg"]
        cache = ["Redis", "psycopg"]

        [tool.poetry.group.test.dependencies]
        pytest = "^8.0"

        [tool.poetry.group.docs]
        optional = true
        [tool.poetry.group.docs.dependencies]
        sphinx = ">=7"

        [tool.poetry.dev-dependencies]
        black = "*"
        """
    )
    assert result.problems == ()
    assert result.name == "poetry-app"
    assert SpecifierSet(result.requires_python or "") == SpecifierSet(">=3.9,<4.0.0")
    sets = by_id(result)
    assert {key: (s.kind, s.group) for key, s in sets.items()} == {
        "tool.poetry.dependencies": (SetKind.RUNTIME, None),
        "tool.poetry.extras.postgres": (SetKind.EXTRA, "postgres"),
        "tool.poetry.extras.cache": (SetKind.EXTRA, "cache"),
        "tool.poetry.group.test.dependencies": (SetKind.DEV, "test"),
        "tool.poetry.group.docs.dependencies": (SetKind.DEV, "docs"),
        "tool.poetry.dev-dependencies": (SetKind.DEV, "dev"),
    }
    main = sets["tool.poetry.dependencies"]
    assert [r.name for r in main.requirements] == ["django", "uvloop"]
    assert main.label == f"{PATH} [tool.poetry.dependencies]"
    assert at(main.span) == (4, 2, 4, 26)
    assert main.requirements[1].marker == Marker("sys_platform != 'win32'")
    cache = sets["tool.poetry.extras.cache"]
    assert [r.name for r in cache.requirements] == ["redis", "psycopg"]
    psycopg = cache.requirements[1]
    assert psycopg.extras == frozenset({"binary", "pool"})
    assert psycopg.specifier == SpecifierSet(">=3.1,<4.0")
    assert at(psycopg.span) == (7, 1, 7, 75)
    assert at(cache.span) == (13, 1, 13, 6)
    assert [r.name for r in sets["tool.poetry.group.docs.dependencies"].requirements] == ["sphinx"]
    assert sets["tool.poetry.group.test.dependencies"].label == f"{PATH} [tool.poetry.group.test.dependencies]"


def test_poetry_sources_and_python_markers() -> None:
    result = read(
        """\
        [tool.poetry.dependencies]
        python = ">=3.8"
        lib = {path = "../lib", develop = true}
        tool = {git = "git@github.com:org/tool.git", tag = "v1.0", subdirectory = "py"}
        web = {git = "https://github.com/org/web.git", branch = "main", extras = ["x"]}
        whl = {url = "https://example.com/whl-1.0-py3-none-any.whl", markers = "os_name == 'nt'"}
        numpy = [
            {version = "<1.25", python = "<3.9"},
            {version = "^1.25", python = "^3.9", markers = "platform_machine == 'x86_64'"},
        ]
        """
    )
    assert result.problems == ()
    assert result.requires_python == ">=3.8"
    requirements = {(r.name, r.url): r for r in result.sets[0].requirements}
    lib = requirements[("lib", "../lib")]
    assert lib.editable and lib.specifier == SpecifierSet() and lib.text == "lib @ ../lib"
    tool = requirements[("tool", "git+ssh://git@github.com/org/tool.git@v1.0#subdirectory=py")]
    assert not tool.editable
    web = requirements[("web", "git+https://github.com/org/web.git@main")]
    assert web.extras == frozenset({"x"}) and web.text == "web[x] @ git+https://github.com/org/web.git@main"
    whl = requirements[("whl", "https://example.com/whl-1.0-py3-none-any.whl")]
    assert whl.marker == Marker("os_name == 'nt'")
    old, new = [r for r in result.sets[0].requirements if r.name == "numpy"]
    assert at(old.span) == (8, 5, 8, 41)
    assert at(new.span) == (9, 5, 9, 83)
    assert old.raw_constraint == "<1.25" and new.raw_constraint == "^1.25"
    assert old.marker is not None and new.marker is not None
    for version, machine, old_applies, new_applies in [
        ("3.8", "x86_64", True, False),
        ("3.9", "x86_64", False, True),
        ("3.12", "x86_64", False, True),
        ("3.12", "arm64", False, False),
    ]:
        environment = {"python_version": version, "python_full_version": version + ".1", "platform_machine": machine}
        assert old.marker.evaluate(environment) is old_applies
        assert new.marker.evaluate(environment) is new_applies
    assert new.specifier == SpecifierSet(">=1.25,<2.0")


POETRY_PROBLEMS = [
    ("bad-constraint", '[tool.poetry.dependencies]\nfoo = "^^1"\n', [("DC001", 2, 7)]),
    ("bad-table-constraint", "[tool.poetry.dependencies]\nfoo = {version = 'abc'}\n", [("DC001", 2, 18)]),
    ("bad-python-marker", "[tool.poetry.dependencies]\nfoo = {version = '1', python = '??'}\n", [("DC001", 2, 32)]),
    ("number", "[tool.poetry.dependencies]\nfoo = 3\n", [("DC004", 2, 7)]),
    ("version-number", "[tool.poetry.dependencies]\nfoo = {version = 3}\n", [("DC004", 2, 18)]),
    ("extras-string", "[tool.poetry.dependencies]\nfoo = {extras = 'x'}\n", [("DC004", 2, 17)]),
    ("markers-list", "[tool.poetry.dependencies]\nfoo = {markers = []}\n", [("DC004", 2, 18)]),
    ("bad-marker", "[tool.poetry.dependencies]\nfoo = {markers = 'nonsense'}\n", [("DC001", 2, 1)]),
    ("bad-name", "[tool.poetry.dependencies]\n'foo bar' = '*'\n", [("DC001", 2, 1)]),
    ("python-not-string", "[tool.poetry.dependencies]\npython = 3\n", [("DC004", 2, 10)]),
    ("python-invalid", "[tool.poetry.dependencies]\npython = '^^3'\n", [("DC004", 2, 10)]),
    ("deps-array", "[tool.poetry]\ndependencies = ['a']\n", [("DC004", 2, 16)]),
    ("extras-not-array", "[tool.poetry.extras]\nx = 'a'\n", [("DC004", 2, 5)]),
    ("extra-unknown", "[tool.poetry.dependencies]\n[tool.poetry.extras]\nx = ['a', 1]\n", [("DC004", 3, 6), ("DC004", 3, 11)]),
    ("group-not-table", "[tool.poetry.group]\ntest = 1\n", [("DC004", 2, 8)]),
    ("name-number", "[tool.poetry]\nname = 1\n", [("DC004", 2, 8)]),
    ("poetry-not-table", "[tool]\npoetry = 1\n", [("DC004", 2, 10)]),
    ("list-of-junk", "[tool.poetry.dependencies]\nfoo = [1, '^1']\n", [("DC004", 2, 8)]),
]


@pytest.mark.parametrize(
    ("document", "problems"), [case[1:] for case in POETRY_PROBLEMS], ids=[case[0] for case in POETRY_PROBLEMS]
)
def test_poetry_problems_are_located(document: str, problems: list) -> None:
    assert codes(read(document)) == problems


def test_poetry_untranslatable_constraint_names_the_package() -> None:
    (problem,) = read('[tool.poetry.dependencies]\nFoo = "^^1"  # depcheck: ignore[DC001]\n').problems
    assert problem.package == "foo"
    assert problem.ignores == frozenset({"DC001"})
    assert "`^^1`" in problem.message
    assert at(problem.span) == (2, 7, 2, 12)


def test_project_name_wins_over_poetry_name() -> None:
    result = read("[project]\nname = 'a'\nrequires-python = '>=3.10'\n[tool.poetry]\nname = 'b'\n[tool.poetry.dependencies]\npython = '^3.9'\n")
    assert (result.name, result.requires_python) == ("a", ">=3.10")


PYTHON_MARKERS = [
    (">=3.8,<4.0", 'python_version >= "3.8" and python_version < "4.0"'),
    (">=3.8.1,<4", 'python_full_version >= "3.8.1" and python_version < "4"'),
    ("==3.9.*", 'python_version >= "3.9" and python_version < "3.10"'),
    ("!=3.9.*", '(python_version < "3.9" or python_version >= "3.10")'),
    ("~=3.8", 'python_version >= "3.8" and python_version < "4"'),
    ("~=3.8.2", 'python_full_version >= "3.8.2" and python_version < "3.9"'),
    (">3.8", 'python_full_version > "3.8"'),
    ("<=3.11", 'python_full_version <= "3.11"'),
    ("==3.10", 'python_full_version == "3.10"'),
    ("", ""),
]


@pytest.mark.parametrize(("specifiers", "marker"), PYTHON_MARKERS, ids=[case[0] or "empty" for case in PYTHON_MARKERS])
def test_python_constraint_marker(specifiers: str, marker: str) -> None:
    assert python_constraint_marker(specifiers) == marker
    if not marker:
        return
    parsed, spec = Marker(marker), SpecifierSet(specifiers)
    for version in ["3.7.0", "3.8.0", "3.8.1", "3.8.5", "3.9.0", "3.9.9", "3.10.0", "3.10.1", "3.11.0", "3.11.4", "4.0.0"]:
        short = ".".join(version.split(".")[:2])
        environment = {"python_version": short, "python_full_version": version}
        assert parsed.evaluate(environment) is spec.contains(version), version


@pytest.mark.parametrize("specifiers", ["===3.8", ">=3.8a1", "nonsense"])
def test_python_constraint_marker_refuses_what_markers_cannot_say(specifiers: str) -> None:
    with pytest.raises(ValueError):
        python_constraint_marker(specifiers)


# ---- PDM, uv -----------------------------------------------------------------------------------------


def test_pdm_dev_dependencies() -> None:
    result = read(
        """\
        [tool.pdm.dev-dependencies]
        Test = ["pytest>=8", "-e file:///${PROJECT_ROOT}/sub#egg=sub-pkg", "-e ./local"]
        lint = ["ruff"]
        """
    )
    sets = by_id(result)
    test = sets["tool.pdm.dev-dependencies.test"]
    assert test.kind is SetKind.DEV and test.group == "test"
    assert test.label == f"{PATH} [tool.pdm.dev-dependencies] Test"
    assert [r.name for r in test.requirements] == ["pytest", "sub-pkg"]
    assert test.requirements[1].editable and test.requirements[1].url == "file:///${PROJECT_ROOT}/sub#egg=sub-pkg"
    assert codes(result) == [("DC001", 2, 68)]
    assert texts(sets["tool.pdm.dev-dependencies.lint"]) == ["ruff"]


def test_uv_tables() -> None:
    result = read(
        """\
        [tool.uv]
        dev-dependencies = ["pytest"]
        constraint-dependencies = ["urllib3<2"]
        override-dependencies = ["werkzeug==2.3.0"]

        [tool.uv.workspace]
        members = ["packages/*", "libs/core"]
        exclude = ["packages/legacy"]

        [tool.uv.sources]
        Core_Lib = { workspace = true }
        httpx = { git = "https://github.com/encode/httpx", tag = "0.27.0" }
        torch = [
          { index = "torch-cpu", marker = "platform_system != 'Darwin'" },
          { index = "torch-gpu", marker = "platform_system == 'Linux'" },
        ]
        """
    )
    assert result.problems == ()
    sets = by_id(result)
    assert {key: (s.kind, s.group) for key, s in sets.items()} == {
        "tool.uv.dev-dependencies": (SetKind.DEV, "dev"),
        "tool.uv.constraint-dependencies": (SetKind.CONSTRAINT, None),
        "tool.uv.override-dependencies": (SetKind.CONSTRAINT, None),
    }
    assert sets["tool.uv.override-dependencies"].label == f"{PATH} [tool.uv] override-dependencies"
    assert at(sets["tool.uv.constraint-dependencies"].requirements[0].span) == (3, 28, 3, 39)
    assert result.workspace_members == ("packages/*", "libs/core")
    assert result.workspace_exclude == ("packages/legacy",)
    assert result.uv_sources == {
        "core-lib": ({"workspace": True},),
        "httpx": ({"git": "https://github.com/encode/httpx", "tag": "0.27.0"},),
        "torch": (
            {"index": "torch-cpu", "marker": "platform_system != 'Darwin'"},
            {"index": "torch-gpu", "marker": "platform_system == 'Linux'"},
        ),
    }


# ---- [tool.depcheck] --------------------------------------------------------------------------------


def test_depcheck_config_is_raw_with_positions() -> None:
    result = read(
        """\
        [tool.depcheck]
        select = ["DC1", "DC2"]
        bogus-key = true
        package-module-map = { Pillow = ["PIL"] }

        [tool.depcheck.per-file-ignores]
        "tests/*" = ["DC301"]
        """
    )
    assert result.depcheck_config == {
        "select": ["DC1", "DC2"],
        "bogus-key": True,
        "package-module-map": {"Pillow": ["PIL"]},
        "per-file-ignores": {"tests/*": ["DC301"]},
    }
    keys = result.config_positions
    assert (keys[("bogus-key",)].line, keys[("bogus-key",)].column, keys[("bogus-key",)].end_column) == (3, 1, 10)
    assert keys[("package-module-map", "Pillow")].column == 24
    assert keys[("per-file-ignores",)].line == 6
    assert keys[("per-file-ignores", "tests/*")].line == 7
    assert result.config_value_positions[("select", 1)].column == 18
    assert read("[project]\nname = 'x'\n").depcheck_config is None


# ---- wrong types never crash ----------------------------------------------------------------------

WRONG_TYPES = [
    ("project-number", "project = 1\n", [("DC004", 1, 11)]),
    ("name-number", "[project]\nname = 1\n", [("DC004", 2, 8)]),
    ("requires-python-number", "[project]\nrequires-python = 3.9\n", [("DC004", 2, 19)]),
    ("requires-python-invalid", "[project]\nrequires-python = 'three'\n", [("DC004", 2, 19)]),
    ("dependencies-string", "[project]\ndependencies = 'requests'\n", [("DC004", 2, 16)]),
    ("dependencies-table", "[project.dependencies]\nrequests = '1'\n", [("DC004", 1, 1)]),
    ("dependency-number", "[project]\ndependencies = ['a', 2, ['b'], {c = 1}]\n", [("DC004", 2, 22), ("DC004", 2, 25), ("DC004", 2, 32)]),
    ("optional-array", "[project]\noptional-dependencies = ['a']\n", [("DC004", 2, 25)]),
    ("extra-string", "[project.optional-dependencies]\nx = 'a'\n", [("DC004", 2, 5)]),
    ("dynamic-string", "[project]\ndynamic = 'dependencies'\n", [("DC004", 2, 11)]),
    ("dynamic-number-entry", "[project]\ndynamic = [1]\n", [("DC004", 2, 12)]),
    (
        "setuptools-file-missing",
        "[project]\ndynamic = ['dependencies']\n[tool.setuptools.dynamic]\ndependencies = 'r.txt'\n",
        [("DC004", 4, 16)],
    ),
    (
        "setuptools-file-number",
        "[project]\ndynamic = ['dependencies']\n[tool.setuptools.dynamic]\ndependencies = {file = 3}\n",
        [("DC004", 4, 24)],
    ),
    ("tool-number", "tool = 1\n", [("DC004", 1, 8)]),
    ("uv-dev-table", "[tool.uv.dev-dependencies]\na = 1\n", [("DC004", 1, 1)]),
    ("uv-members-number", "[tool.uv.workspace]\nmembers = 1\n", [("DC004", 2, 11)]),
    ("uv-source-string", "[tool.uv.sources]\na = 'x'\nb = ['y', {path = 'p'}]\n", [("DC004", 2, 5), ("DC004", 3, 6)]),
    ("pdm-group-string", "[tool.pdm.dev-dependencies]\na = 'x'\n", [("DC004", 2, 5)]),
    ("depcheck-number", "[tool]\ndepcheck = 1\n", [("DC004", 2, 12)]),
]


@pytest.mark.parametrize(
    ("document", "problems"), [case[1:] for case in WRONG_TYPES], ids=[case[0] for case in WRONG_TYPES]
)
def test_wrong_types_are_located_dc004(document: str, problems: list) -> None:
    result = read(document)
    assert codes(result) == problems
    assert all(problem.span.path == PATH for problem in result.problems)


def test_wrong_type_message_names_the_field() -> None:
    (problem,) = read("[project]\ndependencies = ['a', 2]\n").problems
    assert problem.message == "`project.dependencies[1]` must be a requirement string, not an integer"


def test_an_internal_error_is_a_problem_not_a_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*args: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(pyproject._Reader, "read", boom)
    result = parse(PATH, "[project]\n")
    assert [problem.code for problem in result.problems] == ["DC004"]
    assert "boom" in result.problems[0].message


GARBAGE = [
    "",
    "\x00",
    "[project",
    "\ufeff[project]\n",
    "[project]\ndependencies = [\n",
    "[[project]]\nname = 'x'\n",
    "[[dependency-groups]]\n",
    "[[tool.poetry.dependencies]]\nx = 1\n",
    "[tool.poetry.dependencies.foo]\nversion = 1\n",
    "[tool.poetry.dependencies.foo]\nversion = '^1'\npython = ''\n",
    "[[tool.poetry.group]]\n",
    "[tool.poetry.group.x]\ndependencies = 1\n",
    "[tool.uv]\nsources = []\nworkspace = 1\n",
    "[tool.setuptools]\ndynamic = 3\n[project]\ndynamic = ['dependencies', 'optional-dependencies']\n",
    "[tool.setuptools.dynamic]\noptional-dependencies = 1\n[project]\ndynamic = ['optional-dependencies']\n",
    "[tool.hatch.metadata.hooks]\nrequirements_txt = 1\n[project]\ndynamic = ['dependencies']\n",
    "dependency-groups.a = [{include-group = 'a'}, {include-group = 'a'}]\n",
    "[tool.poetry.extras]\n[tool.poetry]\ndependencies = 'x'\n",
]


@pytest.mark.parametrize("document", GARBAGE, ids=[str(i) for i in range(len(GARBAGE))])
def test_garbage_never_raises(document: str) -> None:
    result = pyproject._parse(PATH, document)  # no safety net
    assert isinstance(result, PyProject)
    assert all(isinstance(problem, Problem) for problem in result.problems)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.text())
def test_arbitrary_text_never_raises(document: str) -> None:
    pyproject._parse(PATH, document)


# ---- arbitrary valid TOML documents ---------------------------------------------------------------

INTERESTING = [
    "project", "name", "dependencies", "optional-dependencies", "dynamic", "requires-python",
    "dependency-groups", "include-group", "tool", "poetry", "group", "dev-dependencies", "extras",
    "version", "python", "markers", "optional", "git", "path", "url", "develop", "tag", "pdm", "uv",
    "workspace", "members", "exclude", "sources", "constraint-dependencies", "override-dependencies",
    "setuptools", "file", "depcheck", "hatch", "metadata", "hooks", "requirements_txt", "files",
]  # fmt: skip
keys = st.sampled_from(INTERESTING) | st.text(max_size=5)
scalars = (
    st.sampled_from(["requests", "a>=1", "^1.2", "~1", "*", "dependencies", "dev", ">=3.8", "", "x @ y"])
    | st.text(max_size=8)
    | st.integers()
    | st.booleans()
    | st.floats(allow_nan=False, allow_infinity=False)
)
toml_values = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(keys, children, max_size=4),
    max_leaves=25,
)
documents = st.dictionaries(keys, toml_values, max_size=5)


def _string(value: str) -> str:
    out = []
    for char in value:
        if char in '"\\':
            out.append("\\" + char)
        elif ord(char) < 0x20 or char == "\x7f":
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def _value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else "nan"
    if isinstance(value, list):
        return "[\n  " + ",\n  ".join(_value(item) for item in value) + "\n]"
    assert isinstance(value, dict)
    return "{" + ", ".join(f"{_string(key)} = {_value(item)}" for key, item in value.items()) + "}"


def _document(data: dict) -> str:
    """Plain keys first, then tables as [headers] (one level), so both forms occur."""
    lines = [f"{_string(key)} = {_value(value)}" for key, value in data.items() if not isinstance(value, dict)]
    for key, value in data.items():
        if isinstance(value, dict):
            lines.append(f"[{_string(key)}]")
            lines += [f"{_string(inner)} = {_value(item)}" for inner, item in value.items()]
    return "\n".join(lines) + "\n"


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(
    documents,
    st.dictionaries(keys, toml_values, max_size=4),
    st.dictionaries(keys, toml_values, max_size=4),
)
def test_arbitrary_valid_documents_never_raise(data: dict, project: dict, tool: dict) -> None:
    data = {**data, "project": project, "tool": {"poetry": tool, "uv": tool, "pdm": tool, "depcheck": tool}}
    data.setdefault("dependency-groups", project)
    text = _document(data)
    assert tomllib.loads(text) == data
    result = pyproject._parse(PATH, text)
    assert isinstance(result, PyProject)
    for dependency_set in result.sets:
        assert all(isinstance(requirement, Requirement) for requirement in dependency_set.requirements)
    for problem in result.problems:
        assert problem.code in {"DC001", "DC003", "DC004"}
        assert problem.span.line >= 1 and problem.span.column >= 1


def test_poetry_platform_becomes_a_sys_platform_marker() -> None:
    text = (
        '[tool.poetry]\nname = "p"\n\n[tool.poetry.dependencies]\npython = "^3.8"\n'
        'demo = [\n    { path = "demo_one", platform = "linux" },\n    { path = "demo_two", platform = "win32" },\n]\n'
    )
    parsed = pyproject.parse("pyproject.toml", text)
    (runtime,) = [s for s in parsed.sets if s.id.endswith("tool.poetry.dependencies")]
    assert [str(r.marker) for r in runtime.requirements] == ['sys_platform == "linux"', 'sys_platform == "win32"']
