from __future__ import annotations

import ast
import re

import pytest

from depcheck.scan import StringHit
from depcheck.scan.imports import lex
from depcheck.scan.strings import read_strings, scan_strings, wanted

_NEWLINE = re.compile(r"\r\n|\r|\n")
CALLS = frozenset({"create_async_engine", "create_engine"})
Hit = tuple[str, str, int, int]


def by_ast(source: str) -> list[Hit]:
    return [(h.kind, h.value, h.line, h.column) for h in scan_strings(ast.parse(source), _NEWLINE.split(source), CALLS)]


def by_fallback(source: str) -> list[Hit]:
    return [(h.kind, h.value, h.line, h.column) for h in read_strings(lex(source), _NEWLINE.split(source), CALLS)]


READERS = [pytest.param(by_ast, id="ast"), pytest.param(by_fallback, id="fallback")]

# Both readers give `expected` on these.
SHARED = [
    # URLs: the scheme, lowercased, at the literal
    pytest.param('URL = "postgresql+asyncpg://u:p@h/db"', [("url", "postgresql+asyncpg", 1, 7)], id="url"),
    pytest.param(
        'url = os.environ.get("DATABASE_URL", "postgresql+psycopg://localhost/app")',
        [("url", "postgresql+psycopg", 1, 38)],
        id="environ-default",
    ),
    pytest.param('url = os.getenv("X", "redis://localhost:6379/0")', [("url", "redis", 1, 22)], id="getenv"),
    pytest.param('url = config("X", default="amqp://guest@h//")', [("url", "amqp", 1, 27)], id="config-default"),
    pytest.param('URL = "MySQL+PyMySQL://h/db"', [("url", "mysql+pymysql", 1, 7)], id="lowercased"),
    pytest.param('u = f"sqlite+aiosqlite:///{path}"', [("url", "sqlite+aiosqlite", 1, 5)], id="f-string"),
    pytest.param(
        'u = f"{scheme}://{host}" + f"{x}mongodb+srv://{y}"', [], id="f-string-not-starting-with-a-url"
    ),
    pytest.param('u = f"redis://{host}:6379/0"', [("url", "redis", 1, 5)], id="f-string-url"),
    pytest.param(
        'BROKER = "redis://a"; BACKEND_URL = "rediss://b, memcached://c"',
        [("url", "redis", 1, 10)],
        id="several",
    ),
    pytest.param('E = "use a redis:// or rediss:// URL"', [], id="prose-mentioning-a-scheme"),
    pytest.param('for p in ("postgres://", "postgresql://"): pass', [], id="bare-prefix"),
    pytest.param('u = "sqlite://"', [("url", "sqlite", 1, 5)], id="sqlite-in-memory"),
    pytest.param('x = "é"; u = "redis://h"', [("url", "redis", 1, 14)], id="unicode-column"),
    pytest.param(
        'DB = (\n    "oracle+oracledb://"\n    "user@host"\n)', [("url", "oracle+oracledb", 2, 5)], id="concatenated"
    ),
    pytest.param('docs = "see https://example.org and http://x, ftp://y, file:///z, mailto://q"', [], id="web-schemes"),
    pytest.param('x = "db_url: 1postgresql://h"', [], id="scheme-glued-to-digits"),
    pytest.param('"""Docstring: postgresql://h/db"""\nx = 1', [], id="docstring"),
    pytest.param('def f():\n    "redis://h"\n    return 1', [], id="function-docstring"),
    pytest.param('x = b"redis://h"', [], id="bytes"),
    pytest.param("# redis://h\nx = 1", [], id="comment"),
    # settings
    pytest.param(
        'DATABASES = {\n    "default": {\n        "ENGINE": "django.db.backends.postgresql",\n    }\n}',
        [("setting", "django.db.backends.postgresql", 3, 19)],
        id="databases",
    ),
    pytest.param(
        "CACHES = {'default': {'BACKEND': 'django_redis.cache.RedisCache', 'LOCATION': 'redis://h:6379/1'}}",
        [("setting", "django_redis.cache.RedisCache", 1, 34), ("url", "redis", 1, 79)],
        id="caches",
    ),
    pytest.param(
        'DATABASES["default"]["ENGINE"] = "django.db.backends.mysql"',
        [("setting", "django.db.backends.mysql", 1, 34)],
        id="subscript",
    ),
    pytest.param(
        'db = dict(ENGINE="django.db.backends.oracle")',
        [("setting", "django.db.backends.oracle", 1, 18)],
        id="dict-call",
    ),
    pytest.param(
        'EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"',
        [("setting", "django.core.mail.backends.smtp.EmailBackend", 1, 17)],
        id="email-backend",
    ),
    pytest.param(
        'SESSION_ENGINE = "django.contrib.sessions.backends.cache"',
        [("setting", "django.contrib.sessions.backends.cache", 1, 18)],
        id="session-engine",
    ),
    pytest.param('CELERY_RESULT_BACKEND = "django-db"', [("setting", "django-db", 1, 25)], id="celery-result-backend"),
    pytest.param(
        'app.conf.result_backend = "redis://h"',
        [("setting", "redis://h", 1, 27), ("url", "redis", 1, 27)],
        id="celery-lowercase",
    ),
    pytest.param("ENGINE = engine_name()", [], id="not-a-literal"),
    pytest.param('engine = "django.db.backends.mysql"', [], id="lowercase-name"),
    # calls: at the called name
    pytest.param("engine = create_async_engine(url)", [("call", "create_async_engine", 1, 10)], id="call"),
    pytest.param(
        "e = sqlalchemy.ext.asyncio.create_async_engine(url)", [("call", "create_async_engine", 1, 28)], id="method"
    ),
    pytest.param("e = make_engine(url)", [], id="other-call"),
    pytest.param("e = create_async_engine", [], id="not-called"),
]


@pytest.mark.parametrize("read", READERS)
@pytest.mark.parametrize(("source", "expected"), SHARED)
def test_hits(read, source: str, expected: list[Hit]) -> None:
    assert read(source) == expected


# Only the AST reader sees through these.
AST_ONLY = [
    pytest.param(
        'DATABASES = {"default": {"ENGINE": os.environ.get("DB_ENGINE", "django.db.backends.postgresql")}}',
        [("setting", "django.db.backends.postgresql", 1, 64)],
        id="setting-default",
    ),
    pytest.param(
        'DATABASES = {"default": {"ENGINE": env("DB", default="django.db.backends.sqlite3")}}',
        [("setting", "django.db.backends.sqlite3", 1, 54)],
        id="setting-default-keyword",
    ),
    pytest.param(
        'DATABASES: dict = {"default": {"ENGINE": "x.y"}}\nENGINE: str = "a.b"',
        [("setting", "x.y", 1, 42), ("setting", "a.b", 2, 15)],
        id="annotated",
    ),
    pytest.param("def create_async_engine(url):\n    pass", [], id="definition"),
    pytest.param('x = "postgresql:\\x2f/h"', [("url", "postgresql", 1, 5)], id="escaped-slash"),
]


@pytest.mark.parametrize(("source", "expected"), AST_ONLY)
def test_ast_hits(source: str, expected: list[Hit]) -> None:
    assert by_ast(source) == expected


def test_hits_carry_the_stripped_line() -> None:
    source = "if x:\n    engine = create_engine('mssql+pyodbc://dsn')  \n"
    hits = scan_strings(ast.parse(source), source.split("\n"), CALLS)
    assert hits == (
        StringHit(
            kind="call", value="create_engine", line=2, column=14, text="engine = create_engine('mssql+pyodbc://dsn')"
        ),
        StringHit(
            kind="url", value="mssql+pyodbc", line=2, column=28, text="engine = create_engine('mssql+pyodbc://dsn')"
        ),
    )


def test_calls_are_only_reported_when_asked() -> None:
    source = "e = create_async_engine('sqlite+aiosqlite://')"
    assert [h.kind for h in scan_strings(ast.parse(source), [source])] == ["url"]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        pytest.param("x = 'https://example.org'", False, id="web-only"),
        pytest.param("x = 1", False, id="nothing"),
        pytest.param("x = 'redis://h'", True, id="url"),
        pytest.param("D = {'ENGINE': x}", True, id="engine"),
        pytest.param("create_async_engine(u)", True, id="call"),
    ],
)
def test_wanted(source: str, expected: bool) -> None:
    assert wanted(source, CALLS) is expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        pytest.param(
            'type Url = str\nURL: Url = "postgresql+asyncpg://h"\nD = {"ENGINE": "django.db.backends.mysql"}',
            [("url", "postgresql+asyncpg", 2, 12), ("setting", "django.db.backends.mysql", 3, 16)],
            id="pep695",
        ),
        pytest.param(
            'print "x"\ne = create_engine("oracle://h")',
            [("call", "create_engine", 2, 5), ("url", "oracle", 2, 19)],
            id="python2",
        ),
        pytest.param(
            'u = f"{d["scheme"]}://h" + f"redis://{d["host"]}"',
            [("url", "redis", 1, 28)],
            id="f-string-nested-quotes",
        ),
        pytest.param('u = "\\npostgresql://h"', [("url", "postgresql", 1, 5)], id="escape-before-scheme"),
    ],
)
def test_fallback_hits(source: str, expected: list[Hit]) -> None:
    assert by_fallback(source) == expected
