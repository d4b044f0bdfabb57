from __future__ import annotations

import shlex

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from depcheck.model import Problem, Requirement, Severity, Span
from depcheck.parsers.requirements_txt import Include, RequirementsFile, parse

PATH = "reqs/requirements.txt"


def sp(line: int, column: int, end_line: int, end_column: int) -> Span:
    return Span(path=PATH, line=line, column=column, end_line=end_line, end_column=end_column)


def read(text: str, environ: dict[str, str] | None = None) -> RequirementsFile:
    return parse(PATH, text, environ={} if environ is None else environ)


def only_requirement(text: str, environ: dict[str, str] | None = None) -> Requirement:
    result = read(text, environ)
    assert result.problems == ()
    assert result.includes == ()
    assert len(result.requirements) == 1, result.requirements
    return result.requirements[0]


def only_problem(text: str, environ: dict[str, str] | None = None) -> Problem:
    result = read(text, environ)
    assert len(result.problems) == 1, result.problems
    return result.problems[0]


# --- requirements: name, specifier, extras, marker, url, editable ------------------

REQUIREMENTS = [
    # text, name, specifier, extras, marker, url, editable
    ("requests", "requests", "", set(), None, None, False),
    ("requests>=2.31,<3", "requests", "<3,>=2.31", set(), None, None, False),
    ("Flask_SQLAlchemy == 3.1.1", "flask-sqlalchemy", "==3.1.1", set(), None, None, False),
    ("psycopg[binary,pool]>=3.1", "psycopg", ">=3.1", {"binary", "pool"}, None, None, False),
    ('pkg>=1; python_version < "3.10"', "pkg", ">=1", set(), 'python_version < "3.10"', None, False),
    ('pkg>=1 ; python_version < "3.10"', "pkg", ">=1", set(), 'python_version < "3.10"', None, False),
    ('pkg>=1 ;python_version<"3.10" and sys_platform == "linux"', "pkg", ">=1", set(),
     'python_version < "3.10" and sys_platform == "linux"', None, False),
    ("foo @ https://x.example/y.tar.gz#egg=z", "foo", "", set(), None, "https://x.example/y.tar.gz#egg=z", False),
    ("https://files.example/pkg_name-1.0-py3-none-any.whl", "pkg-name", "==1.0", set(), None,
     "https://files.example/pkg_name-1.0-py3-none-any.whl", False),
    ("https://x/Foo_Bar-2.0+local-cp311-cp311-manylinux_2_17_x86_64.whl ; python_version > '3'", "foo-bar",
     "==2.0+local", set(), 'python_version > "3"', "https://x/Foo_Bar-2.0+local-cp311-cp311-manylinux_2_17_x86_64.whl",
     False),
    ("file:///wheels/foo-1.0-py3-none-any.whl", "foo", "==1.0", set(), None,
     "file:///wheels/foo-1.0-py3-none-any.whl", False),
    ("./dist/foo-1.0-py3-none-any.whl[bar]", "foo", "==1.0", {"bar"}, None, "./dist/foo-1.0-py3-none-any.whl", False),
    ("./dist/foo-1.0.tar.gz", "foo", "==1.0", set(), None, "./dist/foo-1.0.tar.gz", False),
    ("foo_bar-2.1.zip", "foo-bar", "==2.1", set(), None, "foo_bar-2.1.zip", False),
    ("C:\\wheels\\foo-1.0-py3-none-any.whl", "foo", "==1.0", set(), None, "C:\\wheels\\foo-1.0-py3-none-any.whl",
     False),
    ("https://x.example/archive/1.2.zip#egg=urllib3", "urllib3", "", set(), None,
     "https://x.example/archive/1.2.zip#egg=urllib3", False),
    ("git+https://github.com/org/repo.git@v1#egg=foo", "foo", "", set(), None,
     "git+https://github.com/org/repo.git@v1#egg=foo", False),
    ("-e git+https://github.com/org/repo.git@main#egg=mypkg", "mypkg", "", set(), None,
     "git+https://github.com/org/repo.git@main#egg=mypkg", True),
    ("--editable=git+ssh://git@github.com/org/repo.git#egg=My.Pkg&subdirectory=src", "my-pkg", "", set(), None,
     "git+ssh://git@github.com/org/repo.git#egg=My.Pkg&subdirectory=src", True),
    ("-e hg+https://hg.example/repo#egg=hgpkg", "hgpkg", "", set(), None, "hg+https://hg.example/repo#egg=hgpkg", True),
    ("-e git://github.com/org/repo.git#egg=old", "old", "", set(), None, "git+git://github.com/org/repo.git#egg=old",
     True),
    ("-e \"foo[x] @ git+https://github.com/org/repo.git ; python_version > '3'\"", "foo", "", {"x"},
     'python_version > "3"', "git+https://github.com/org/repo.git", True),
    ("-e ./local#egg=loc", "loc", "", set(), None, "./local#egg=loc", True),
    ("-e file:///src/pkg#egg=filepkg", "filepkg", "", set(), None, "file:///src/pkg#egg=filepkg", True),
]


@pytest.mark.parametrize(
    ("text", "name", "specifier", "extras", "marker", "url", "editable"),
    REQUIREMENTS,
    ids=[case[0][:60] for case in REQUIREMENTS],
)
def test_requirement_forms(
    text: str, name: str, specifier: str, extras: set[str], marker: str | None, url: str | None, editable: bool
) -> None:
    req = only_requirement(text + "\n")
    assert req.name == name
    assert str(req.specifier) == specifier
    assert req.extras == frozenset(extras)
    assert (None if req.marker is None else str(req.marker)) == marker
    assert req.url == url
    assert req.editable is editable
    assert req.unverifiable is False
    assert req.line_text == text
    assert req.span.path == PATH


# --- spans: lines and columns ------------------------------------------------------

SPANS = [
    # text, expected Span (line, column, end_line, end_column), requirement text
    ("requests>=2", (1, 1, 1, 12), "requests>=2"),
    ("\n\n   requests>=2   \n", (3, 4, 3, 15), "requests>=2"),
    ("# header\n\tflask  # web\n", (2, 2, 2, 7), "flask"),
    ("foo==1.0 --hash=sha256:" + "a" * 64, (1, 1, 1, 9), "foo==1.0"),
    ("foo>=1,\\\n<2\n", (1, 1, 2, 3), "foo>=1,<2"),
    ("\\\n  foo\n", (2, 3, 2, 6), "foo"),
    ("  -e git+https://g.example/r.git#egg=e\n", (1, 3, 1, 39), "git+https://g.example/r.git#egg=e"),
    ("--editable git+https://g.example/r.git#egg=e", (1, 1, 1, 45), "git+https://g.example/r.git#egg=e"),
    ("x\n\u00a0\u3000foo; os_name == \"é\"\n", (2, 3, 2, 22), 'foo; os_name == "é"'),
    ("\ufeffrequests", (1, 1, 1, 9), "requests"),
    ("a\r\n  b==1  \r\n", (2, 3, 2, 7), "b==1"),
]


@pytest.mark.parametrize(("text", "where", "req_text"), SPANS, ids=[repr(case[0])[:50] for case in SPANS])
def test_requirement_spans(text: str, where: tuple[int, int, int, int], req_text: str) -> None:
    reqs = [req for req in read(text).requirements if req.text == req_text]
    assert len(reqs) == 1
    line, column, end_line, end_column = where
    assert reqs[0].span == sp(line, column, end_line, end_column)


# --- CRLF and BOM ------------------------------------------------------------------


def test_crlf_lines_keep_no_carriage_return() -> None:
    text = "# top\r\nalpha==1  # depcheck: ignore[DC102]\r\n-r base.txt\r\nbeta\r\n"
    result = read(text)
    assert result.problems == ()
    assert [(r.name, r.span.line, r.span.column, r.line_text) for r in result.requirements] == [
        ("alpha", 2, 1, "alpha==1  # depcheck: ignore[DC102]"),
        ("beta", 4, 1, "beta"),
    ]
    assert result.requirements[0].ignores == frozenset({"DC102"})
    assert result.includes == (
        Include(kind="requirement", target="base.txt", span=sp(3, 1, 3, 12), line_text="-r base.txt"),
    )


def test_crlf_continuation() -> None:
    text = "foo==1.0 \\\r\n    --hash=sha256:" + "b" * 64 + "\r\nbar\r\n"
    result = read(text)
    assert result.problems == ()
    assert [(r.name, r.span.line, r.line_text) for r in result.requirements] == [
        ("foo", 1, "foo==1.0 \\"),
        ("bar", 3, "bar"),
    ]


@pytest.mark.parametrize("text", ["\ufeffalpha\nbeta\n", "\ufeffalpha\r\nbeta\r\n"], ids=["lf", "crlf"])
def test_bom_is_stripped_and_not_counted(text: str) -> None:
    result = read(text)
    assert result.problems == ()
    assert [(r.name, r.display_name, r.span.line, r.span.column, r.line_text) for r in result.requirements] == [
        ("alpha", "alpha", 1, 1, "alpha"),
        ("beta", "beta", 2, 1, "beta"),
    ]


# --- pip-compile --generate-hashes output ------------------------------------------

PIP_COMPILE_HASHES = """\
#
# This file is autogenerated by pip-compile with Python 3.11
# by the following command:
#
#    pip-compile --generate-hashes --output-file=requirements.txt requirements.in
#
--index-url https://pypi.org/simple

anyio==4.3.0 \\
    --hash=sha256:048e05d0f6caeed70d731f3db756d35dcc1f35747c8c403364a8332c630441b8 \\
    --hash=sha256:f75253795a87df48568485fd18cdd2a3fa5c4f7c5be8e5e36637733fce06fed6
    # via httpx
certifi==2024.2.2 \\
    --hash=sha256:0569859f95fc761b18b45ef421b1290a0f65f147e92a1e5eb3e635f9a5e4e66f \\
    --hash=sha256:dc383c07b76109f368f6106eee2b593b04a011ea4d55f652c6ca24a754d1cdd1
    # via
    #   httpcore
    #   httpx
greenlet==3.0.3 ; platform_machine == "x86_64" \\
    --hash=sha256:01bc7ea167cf943b4c802068e178bbf70ae2e8c080467070d01bfa02f337ee41
    # via sqlalchemy
sqlalchemy[asyncio]==2.0.29 \\
    --hash=sha256:01d10638a37460616708062a40c7b55f73e4d35eaa146781c683e0fa7f6c43fb \\
    --hash=sha256:04c487305ab035a9548f573763915189fc0fe0824d9ba28433196f8436f1449c \\
    --hash=sha256:0dfefdb3e54cd15f5d56fd5ae32f1da2d95d78319c1f6dfb9bcd0eb15d603d5d
    # via -r requirements.in
"""


def test_pip_compile_generate_hashes() -> None:
    result = read(PIP_COMPILE_HASHES)
    assert result.problems == ()
    assert result.includes == ()
    assert result.is_lock is True
    assert result.index_options == ("--index-url", "https://pypi.org/simple")
    got = [
        (r.name, str(r.specifier), sorted(r.extras), None if r.marker is None else str(r.marker), r.span, r.line_text)
        for r in result.requirements
    ]
    assert got == [
        ("anyio", "==4.3.0", [], None, sp(9, 1, 9, 13), "anyio==4.3.0 \\"),
        ("certifi", "==2024.2.2", [], None, sp(13, 1, 13, 18), "certifi==2024.2.2 \\"),
        (
            "greenlet",
            "==3.0.3",
            [],
            'platform_machine == "x86_64"',
            sp(19, 1, 19, 47),
            'greenlet==3.0.3 ; platform_machine == "x86_64" \\',
        ),
        ("sqlalchemy", "==2.0.29", ["asyncio"], None, sp(22, 1, 22, 28), "sqlalchemy[asyncio]==2.0.29 \\"),
    ]


# --- is_lock -----------------------------------------------------------------------

LOCKS = [
    ("pip-compile header", "# This file is autogenerated by pip-compile with Python 3.12\nfoo==1\n", True),
    ("uv header", "# This file was autogenerated by uv via the following command:\n#    uv pip compile r.in\nfoo==1\n",
     True),
    ("uv export header", "# This file was autogenerated by uv via the following command:\n#    uv export\n", True),
    ("via own line", "foo==1.0\n    # via bar\n", True),
    ("via inline (old pip-compile)", "foo==1.0  # via bar\n", True),
    ("via bare", "foo==1.0\n    # via\n    #   bar\n", True),
    ("hand written", "# our deps\nfoo>=1  # web framework\n", False),
    ("word starting with via", "foo==1.0  # viable choice\n", False),
    ("via in a url fragment is no comment", "foo @ https://x.example/a.zip#via\n", False),
    ("empty", "", False),
]


@pytest.mark.parametrize(("text", "expected"), [case[1:] for case in LOCKS], ids=[case[0] for case in LOCKS])
def test_is_lock(text: str, expected: bool) -> None:
    assert read(text).is_lock is expected


# --- includes ------------------------------------------------------------------------

INCLUDES = [
    ("-r base.txt", "requirement", "base.txt", (1, 1, 1, 12)),
    ("-rbase.txt", "requirement", "base.txt", (1, 1, 1, 11)),
    ("--requirement base.txt", "requirement", "base.txt", (1, 1, 1, 23)),
    ("--requirement=base.txt", "requirement", "base.txt", (1, 1, 1, 23)),
    ("--requirem base.txt", "requirement", "base.txt", (1, 1, 1, 20)),  # optparse abbreviation
    ("  -r   ../common/base.txt  # shared", "requirement", "../common/base.txt", (1, 3, 1, 26)),
    ('-r "dir with space/r.txt"', "requirement", "dir with space/r.txt", (1, 1, 1, 26)),
    ("-c constraints.txt", "constraint", "constraints.txt", (1, 1, 1, 19)),
    ("-cconstraints.txt", "constraint", "constraints.txt", (1, 1, 1, 18)),
    ("--constraint constraints.txt", "constraint", "constraints.txt", (1, 1, 1, 29)),
    ("--constraint=constraints.txt", "constraint", "constraints.txt", (1, 1, 1, 29)),
    ("-r \\\n  base.txt", "requirement", "base.txt", (1, 1, 2, 11)),
    ("-r a.txt -r b.txt", "requirement", "a.txt", (1, 1, 1, 9)),  # pip reads the first only
    ("-c c.txt -r r.txt", "requirement", "r.txt", (1, 10, 1, 18)),  # pip prefers -r over -c
]


@pytest.mark.parametrize(("text", "kind", "target", "where"), INCLUDES, ids=[case[0] for case in INCLUDES])
def test_includes(text: str, kind: str, target: str, where: tuple[int, int, int, int]) -> None:
    result = read(text + "\n")
    assert result.problems == ()
    assert result.requirements == ()
    assert len(result.includes) == 1
    include = result.includes[0]
    line, column, end_line, end_column = where
    assert include.kind == kind
    assert include.target == target
    assert include.span == sp(line, column, end_line, end_column)
    assert include.line_text == text.split("\n")[0]


def test_include_inline_ignore() -> None:
    (include,) = read("-r dev.txt  # depcheck: ignore\n").includes
    assert include.ignores == frozenset({"*"})


def test_include_on_requirement_line_is_ignored_like_pip() -> None:
    result = read("foo -r other.txt\n")
    assert [r.name for r in result.requirements] == ["foo"]
    assert result.includes == ()


# --- lines that produce nothing ----------------------------------------------------

SILENT = [
    ("empty", ""),
    ("blank lines", "\n\n  \n\t\n"),
    ("only comments", "# one\n   # two\n#three\n"),
    ("vcs without egg", "git+https://github.com/org/repo.git@main"),
    ("url without name", "https://x.example/download/latest"),
    ("file url to a directory", "file:///src/project"),
    ("hash without requirement", "--hash=sha256:" + "c" * 64),
    ("double dash", "--"),
    ("comment line ending with backslash", "# not a continuation \\\n"),
]


LOCAL_PROJECTS = [
    ("editable dot", "-e .", ".", ()),
    ("editable path with extras", "-e ./pkg[extra]", "./pkg", ("extra",)),
    ("editable parent path", "--editable ../lib", "../lib", ()),
    # pip splits option lines with shlex (POSIX rules), which drops the backslashes
    ("editable windows path", "-e C:\\src\\lib", "C:srclib", ()),
    ("editable with config settings", "-e . --config-settings editable_mode=compat", ".", ()),
    ("local directory", "./pkg", "./pkg", ()),
    ("local directory with marker", './pkg ; python_version > "3"', "./pkg", ()),
    ("dot with extras", ".[Full]", ".", ("full",)),
]


@pytest.mark.parametrize(
    ("text", "target", "extras"),
    [case[1:] for case in LOCAL_PROJECTS],
    ids=[case[0] for case in LOCAL_PROJECTS],
)
def test_local_projects_are_recorded_not_required(text: str, target: str, extras: tuple[str, ...]) -> None:
    result = read(text + "\n")
    assert (result.requirements, result.problems) == ((), ())
    (local,) = result.local_projects
    assert (local.target, local.extras, local.span.line, local.span.column) == (target, frozenset(extras), 1, 1)


@pytest.mark.parametrize("text", [case[1] for case in SILENT], ids=[case[0] for case in SILENT])
def test_silent_lines(text: str) -> None:
    result = read(text + "\n")
    assert result == RequirementsFile(
        path=PATH, requirements=(), includes=(), problems=(), is_lock=False, index_options=()
    )


# --- global options ------------------------------------------------------------------

GLOBALS = [
    ("-i https://pypi.example/simple", ("--index-url", "https://pypi.example/simple")),
    ("--index-url=https://pypi.example/simple", ("--index-url", "https://pypi.example/simple")),
    ("--pypi-url https://p.example", ("--index-url", "https://p.example")),
    ("--extra-index-url https://e.example/simple", ("--extra-index-url", "https://e.example/simple")),
    ("--extra-index https://e.example/simple", ("--extra-index-url", "https://e.example/simple")),
    ("--no-index", ("--no-index",)),
    ("-f ./wheels", ("--find-links", "./wheels")),
    ("--find-links=https://f.example/links", ("--find-links", "https://f.example/links")),
    ("--pre", ("--pre",)),
    ("--prefer-binary", ("--prefer-binary",)),
    ("--no-binary :all:", ("--no-binary", ":all:")),
    ("--only-binary=numpy,scipy", ("--only-binary", "numpy,scipy")),
    ("--require-hashes", ("--require-hashes",)),
    ("--trusted-host pypi.example", ("--trusted-host", "pypi.example")),
    ("--use-feature=truststore", ("--use-feature", "truststore")),
    ("-Z", ("--always-unzip",)),
    ("--always-unzip", ("--always-unzip",)),
    ("--progress-bar off", ("--progress-bar", "off")),
    ("--pre --no-index -f ./w", ("--pre", "--no-index", "--find-links", "./w")),
]


@pytest.mark.parametrize(("text", "expected"), GLOBALS, ids=[case[0] for case in GLOBALS])
def test_global_options(text: str, expected: tuple[str, ...]) -> None:
    result = read(text + "\n")
    assert result.problems == ()
    assert result.requirements == ()
    assert result.includes == ()
    assert result.index_options == expected


def test_global_options_accumulate_in_order() -> None:
    result = read("--index-url https://a\nfoo\n--extra-index-url https://b\n")
    assert result.index_options == ("--index-url", "https://a", "--extra-index-url", "https://b")
    assert [r.name for r in result.requirements] == ["foo"]


# --- per-requirement options ---------------------------------------------------------

PER_REQUIREMENT = [
    ("foo==1.0 --hash=sha256:" + "d" * 64, "foo==1.0"),
    ("foo==1.0 --hash sha256:" + "d" * 64 + " --hash=sha512:" + "e" * 128, "foo==1.0"),
    ("foo --config-settings=--build-option=--x", "foo"),
    ("foo -C key=value", "foo"),
    ("foo --global-option=--no-ext", "foo"),
    ("foo --install-option=--prefix=/x", "foo"),
    ('foo>=1; python_version >= "3.8" --hash=sha256:' + "d" * 64, 'foo>=1; python_version >= "3.8"'),
]


@pytest.mark.parametrize(("text", "req_text"), PER_REQUIREMENT, ids=[case[0][:50] for case in PER_REQUIREMENT])
def test_per_requirement_options_are_stripped(text: str, req_text: str) -> None:
    req = only_requirement(text + "\n")
    assert req.text == req_text
    assert req.name == "foo"
    assert req.span.end_column == len(req_text) + 1


# --- comments and inline ignores ---------------------------------------------------

COMMENTS = [
    ("foo  # depcheck: ignore[DC302]", "foo", frozenset({"DC302"})),
    ("foo # depcheck: ignore[dc302, DC103]", "foo", frozenset({"DC302", "DC103"})),
    ("foo\t# depcheck: ignore", "foo", frozenset({"*"})),
    ("foo # just a note", "foo", frozenset()),
    ("pkg @ https://x.example/y.zip#egg=pkg", "pkg @ https://x.example/y.zip#egg=pkg", frozenset()),
    ("foo==1 \\\n    --hash=sha256:" + "f" * 64 + "  # depcheck: ignore[DC106]", "foo==1", frozenset({"DC106"})),
    ("foo==1 \\\n# depcheck: ignore[DC002]", "foo==1", frozenset({"DC002"})),
]


@pytest.mark.parametrize(("text", "req_text", "ignores"), COMMENTS, ids=[repr(case[0])[:50] for case in COMMENTS])
def test_comments(text: str, req_text: str, ignores: frozenset[str]) -> None:
    req = only_requirement(text + "\n")
    assert req.text == req_text
    assert req.ignores == ignores


def test_comment_line_ends_a_continuation_like_pip() -> None:
    result = read("foo \\\n# note\nbar\n")
    assert [(r.name, r.span.line) for r in result.requirements] == [("foo", 1), ("bar", 3)]


def test_comment_before_backslash_swallows_next_line_like_pip() -> None:
    # pip joins first and strips comments after: the comment eats "bar".
    result = read("foo # note \\\nbar\nbaz\n")
    assert [r.name for r in result.requirements] == ["foo", "baz"]


def test_backslash_on_last_line() -> None:
    assert [r.name for r in read("foo \\").requirements] == ["foo"]


def test_pip_strips_backslashes_at_both_ends_of_a_continued_line() -> None:
    assert [r.text for r in read("foo\\\n\\>=1\\\n").requirements] == ["foo>=1"]


# --- problems ------------------------------------------------------------------------

PROBLEMS = [
    # text, line, column, severity, message fragment
    ("foo==", 1, 1, None, "`foo==` is not a valid requirement"),
    (">=1.0", 1, 1, None, "`>=1.0` is not a valid requirement"),
    ("ok\n  !!garbage!!", 2, 3, None, "`!!garbage!!` is not a valid requirement"),
    ("foo#bar", 1, 1, None, "not a valid requirement"),
    ("\x00\x01 ][", 1, 1, None, "not a valid requirement"),
    ("--foo", 1, 1, None, "unknown option `--foo`"),
    ("foo==1 --bogus", 1, 8, None, "unknown option `--bogus`"),
    ("-x", 1, 1, None, "unknown option `-x`"),
    ("--no", 1, 1, None, "ambiguous option `--no`"),
    ("-r", 1, 1, None, "option `-r` needs a value"),
    ("--pre=yes", 1, 1, None, "option `--pre` does not take a value"),
    ('-r "unterminated', 1, 4, None, "No closing quotation"),
    ("foo==1 --hash=md5:abc", 1, 8, None, "algorithm `md5` is not allowed"),
    ("foo==1 --hash=abc", 1, 8, None, "is not of the form --hash=algorithm:value"),
    ("foo --config-settings novalue", 1, 5, None, "is not of the form KEY=VALUE"),
    ("https://x.example/pkg.whl", 1, 1, None, "`pkg.whl` is not a valid wheel filename"),
    ("https://x.example/a.zip#egg=bad!name", 1, 1, None, "`#egg=bad!name` is not a valid project name"),
    ('https://x.example/foo-1.0-py3-none-any.whl ; python_version >>> "3"', 1, 1, None, "invalid environment marker"),
    ("-e git+https://github.com/org/repo.git", 1, 1, None, "pip cannot tell the name of editable"),
    ("-e https://x.example/pkg-1.0.tar.gz", 1, 1, None, "is not a valid editable requirement"),
    ("--index-url https://x.example foo==1", 1, 31, Severity.WARNING, "pip ignores `foo==1`"),
    ("-", 1, 1, Severity.WARNING, "pip ignores `-`"),
]


@pytest.mark.parametrize(
    ("text", "line", "column", "severity", "fragment"), PROBLEMS, ids=[repr(case[0])[:50] for case in PROBLEMS]
)
def test_problems(text: str, line: int, column: int, severity: Severity | None, fragment: str) -> None:
    problem = only_problem(text + "\n")
    assert problem.code == "DC001"
    assert (problem.span.path, problem.span.line, problem.span.column) == (PATH, line, column)
    assert problem.severity == severity
    assert fragment in problem.message
    assert problem.line_text == text.split("\n")[line - 1]


def test_parsing_continues_after_problems() -> None:
    result = read("alpha\nfoo==\n--bogus\n>=1\nomega # depcheck: ignore[DC001]\n!!! # depcheck: ignore[DC001]\n")
    assert [r.name for r in result.requirements] == ["alpha", "omega"]
    assert [(p.code, p.span.line) for p in result.problems] == [("DC001", 2), ("DC001", 3), ("DC001", 4), ("DC001", 6)]
    assert result.problems[-1].ignores == frozenset({"DC001"})


@pytest.mark.parametrize(
    ("text", "names", "targets"),
    [
        ("foo==1 --bogus", ["foo"], []),
        ("-r base.txt --bogus", [], ["base.txt"]),
        ("-e git+https://g.example/r.git#egg=bar --bogus", ["bar"], []),
    ],
    ids=["requirement", "include", "editable"],
)
def test_bad_option_keeps_what_came_before(text: str, names: list[str], targets: list[str]) -> None:
    result = read(text + "\n")
    assert [r.name for r in result.requirements] == names
    assert [i.target for i in result.includes] == targets
    assert [p.message for p in result.problems] == ["unknown option `--bogus`; pip refuses this line"]


# --- environment variables -----------------------------------------------------------

ENV = {"VERSION": "2.0", "TOKEN": "s3cr3t", "EMPTY": "", "DIR": "reqs"}

ENV_CASES = [
    # text, expected name, specifier, text, unverifiable
    ("foo==${VERSION}", "foo", "==2.0", "foo==2.0", False),
    ("git+https://${TOKEN}@github.com/o/r.git#egg=priv", "priv", "", "git+https://s3cr3t@github.com/o/r.git#egg=priv",
     False),
    ("foo @ https://${HOST}/foo.tar.gz", "foo", "", "foo @ https://${HOST}/foo.tar.gz", True),
    ("https://${HOST}/dist/foo-1.0-py3-none-any.whl", "foo", "==1.0", "https://${HOST}/dist/foo-1.0-py3-none-any.whl",
     True),
    ("-e git+https://${USER_TOKEN}@g.example/r.git#egg=bar", "bar", "", "git+https://${USER_TOKEN}@g.example/r.git#egg=bar",
     True),
    ("foo @ https://h.example/${EMPTY}foo.zip", "foo", "", "foo @ https://h.example/${EMPTY}foo.zip", True),
    ("foo>=1 ${lowercase}", None, None, None, None),  # pip expands only ${UPPER_CASE}
]


@pytest.mark.parametrize(
    ("text", "name", "specifier", "req_text", "unverifiable"), ENV_CASES, ids=[case[0] for case in ENV_CASES]
)
def test_environment_variables(
    text: str, name: str | None, specifier: str | None, req_text: str | None, unverifiable: bool | None
) -> None:
    result = read(text + "\n", ENV)
    if name is None:
        assert result.requirements == ()
        assert [p.severity for p in result.problems] == [None]
        return
    assert result.problems == ()
    (req,) = result.requirements
    assert (req.name, str(req.specifier), req.text, req.unverifiable) == (name, specifier, req_text, unverifiable)


def test_expanded_variable_keeps_its_written_span() -> None:
    req = only_requirement("  foo==${VERSION}  # pinned\n", ENV)
    assert req.span == sp(1, 3, 1, 18)
    assert req.line_text == "  foo==${VERSION}  # pinned"


@pytest.mark.parametrize(
    ("text", "variable"),
    [("foo==${VERSION}", "VERSION"), ("${PACKAGE}>=1", "PACKAGE"), ("-e git+https://${TOKEN}@g.example/r.git", "TOKEN")],
    ids=["unset version", "unset name", "unset in nameless editable"],
)
def test_unset_variable_that_breaks_the_line_is_info(text: str, variable: str) -> None:
    problem = only_problem(text + "\n", {})
    assert problem.code == "DC001"
    assert problem.severity == Severity.INFO
    assert f"${{{variable}}}" in problem.message
    assert "cannot be verified" in problem.message
    assert read(text + "\n", {}).requirements == ()


def test_unset_variable_in_include_is_kept_literally() -> None:
    result = read("-r ${DIR}/base.txt\n-c ${MISSING}/c.txt\n", ENV)
    assert result.problems == ()
    assert [(i.kind, i.target) for i in result.includes] == [
        ("requirement", "reqs/base.txt"),
        ("constraint", "${MISSING}/c.txt"),
    ]


def test_environ_defaults_to_os_environ(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEPCHECK_TEST_PIN", "3.1")
    (req,) = parse(PATH, "foo==${DEPCHECK_TEST_PIN}\n").requirements
    assert str(req.specifier) == "==3.1"


# --- never raises --------------------------------------------------------------------

GARBAGE = [
    "\x00\x01 ][",
    "\\",
    "\\\\\\",
    "-",
    "--=",
    "-e",
    "-e ''",
    '-e "',
    "--hash",
    "-r=",
    "\ufeff\ufeff",
    "\r\r\r\n\n",
    "${",
    "${}",
    "https://[::1",
    "-e git+https://[oops#egg=x",
    "-e https://[",
    "file:",
    "foo @",
    ";;;",
    "[]",
    "a[b]c",
    ".whl",
    "-.whl",
    "x-.whl",
    "https://x/-1.0-py3-none-any.whl",
    "-e .[",
    "-C=",
    "\u2028foo\u2029bar\x85baz",
]


@pytest.mark.parametrize("text", GARBAGE, ids=[repr(text) for text in GARBAGE])
def test_garbage_never_raises(text: str) -> None:
    result = read(text)
    assert isinstance(result, RequirementsFile)
    for problem in result.problems:
        assert problem.span.line >= 1
        assert problem.span.column >= 1


PIECES = [
    "-r", "-c", "-e", "--hash=sha256:ab", "--foo", "-", "--", "foo", "bar==1", ";", " ", "\t", "\\", "#", " #",
    "'", '"', "${X}", "${NOPE}", "\n", "\r\n", "@", "[", "]", "https://", "git+", "#egg=", ".whl", ".tar.gz", "./",
    "\ufeff", "\x00", "é",
]  # fmt: skip


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.text())
def test_parse_never_raises_on_any_text(text: str) -> None:
    result = parse(PATH, text, environ={"X": "x y"})
    assert isinstance(result, RequirementsFile)


@settings(max_examples=500, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(st.sampled_from(PIECES), max_size=20))
def test_parse_never_raises_on_requirement_like_text(pieces: list[str]) -> None:
    text = "".join(pieces)
    result = parse(PATH, text, environ={"X": "x y"})
    line_count = len(text.split("\n"))
    for item in (*result.requirements, *result.includes, *result.problems):
        assert 1 <= item.span.line <= line_count
        assert item.span.column >= 1


@settings(max_examples=500, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.text(alphabet=st.sampled_from(list(" \t\\'\"ab-=#\r\n")), max_size=30))
def test_option_splitting_matches_shlex(text: str) -> None:
    from depcheck.parsers.requirements_txt import _OptionError, _shlex_split

    try:
        expected: list[str] | None = shlex.split(text)
    except ValueError:
        expected = None
    try:
        tokens = _shlex_split(text, 0)
    except _OptionError:
        assert expected is None
        return
    assert [token.value for token in tokens] == expected
    for token in tokens:
        assert text[token.start] not in " \t\r\n"
