"""Each rule, table-driven: a project that must trigger it and one that must not."""

from __future__ import annotations

from pathlib import Path

import pytest

from depcheck import config, engine
from depcheck.checks import ALL_RULES

PY = '[project]\nname = "p"\nversion = "1"\n'


def deps(*requirements: str, extra: str = "") -> str:
    listed = ", ".join(f'"{r}"' for r in requirements)
    return f"{PY}dependencies = [{listed}]\n{extra}"


# (rule, case id, files, expected (code, path, line) findings or None for "no finding of this code")
CASES: list[tuple[str, str, dict[str, str | bytes], list[tuple[str, int]] | None]] = [
    ("DC001", "garbage-line", {"requirements.txt": "flask\nhttpx==\n"}, [("requirements.txt", 2)]),
    ("DC001", "pep508-in-toml", {"pyproject.toml": deps("requests>=", "rich")}, [("pyproject.toml", 4)]),
    ("DC001", "valid", {"requirements.txt": "flask>=2 ; python_version >= '3.8'\nname @ https://x.invalid/a.whl\n"}, None),
    ("DC002", "same-set", {"requirements.txt": "click>=8\nrich\nclick>=8.1\n"}, [("requirements.txt", 3)]),
    ("DC002", "via-include", {"requirements.txt": "-r base.txt\nclick\n", "base.txt": "click\n"}, [("requirements.txt", 2)]),
    ("DC002", "disjoint-markers", {"requirements.txt": "numpy<2; python_version<'3.9'\nnumpy>=2; python_version>='3.9'\n"}, None),
    ("DC002", "extras-compose", {"requirements.txt": "kombu[redis]\nkombu[sqs]\n"}, None),
    ("DC003", "missing", {"requirements.txt": "-r nope.txt\n"}, [("requirements.txt", 1)]),
    ("DC003", "cycle", {"requirements.txt": "-r a.txt\n", "a.txt": "-r requirements.txt\n"}, [("a.txt", 1)]),
    ("DC003", "group-cycle", {"pyproject.toml": PY + '[dependency-groups]\na = [{include-group = "b"}]\nb = [{include-group = "a"}]\n'}, [("pyproject.toml", 6)]),
    ("DC003", "fine", {"requirements.txt": "-r sub/base.txt\n", "sub/base.txt": "-c ../c.txt\nclick\n", "c.txt": "click<9\n"}, None),
    ("DC004", "bad-toml", {"pyproject.toml": '[project]\nname = "p"\ndependencies = [\n'}, [("pyproject.toml", 4)]),
    ("DC004", "bad-bytes", {"requirements.txt": b"click\nr\xe9ch\n"}, [("requirements.txt", 2)]),
    ("DC004", "wrong-type", {"pyproject.toml": PY + 'dependencies = "requests"\n'}, [("pyproject.toml", 4)]),
    ("DC004", "fine", {"pyproject.toml": deps("click")}, None),
    ("DC005", "inverted", {"requirements.txt": "urllib3>=2,<1.27\n"}, [("requirements.txt", 1)]),
    ("DC005", "wildcard", {"pyproject.toml": deps("x==1.2.*,!=1.2.*")}, [("pyproject.toml", 4)]),
    ("DC005", "fine", {"requirements.txt": "urllib3>=1.26,<3\nx==1.0,!=1.0.1\n"}, None),
    ("DC101", "pin-outside", {"pyproject.toml": deps("httpx>=0.28"), "requirements.txt": "httpx==0.27.0\nrich\n"}, [("requirements.txt", 1)]),
    ("DC101", "constraint", {"requirements.txt": "-c constraints.txt\nrequests>=2.31\n", "constraints.txt": "requests<2.30\n"}, [("requirements.txt", 2)]),
    ("DC101", "disjoint-markers", {"pyproject.toml": deps("numpy>=2; python_version >= '3.10'"), "requirements.txt": "numpy<2; python_version < '3.10'\nrich\n"}, None),
    ("DC101", "outside-requires-python", {"pyproject.toml": PY + 'requires-python = ">=3.10"\ndependencies = ["numpy>=2"]\n', "requirements.txt": "numpy<2; python_version < '3.9'\nnumpy>=2; python_version >= '3.10'\n"}, None),
    ("DC102", "ranges-differ", {"pyproject.toml": deps("django>=4.2,<5"), "requirements.txt": "django>=4.2\n"}, [("requirements.txt", 1)]),
    ("DC102", "pin-inside-range", {"pyproject.toml": deps("fastapi>=0.110", "rich"), "requirements.txt": "fastapi==0.115.0\nrich\n"}, None),
    ("DC102", "same-range-other-spelling", {"pyproject.toml": deps("attrs~=23.1"), "requirements.txt": "attrs>=23.1,<24\n"}, None),
    ("DC103", "missing-in-pyproject", {"pyproject.toml": deps("sqlalchemy"), "requirements.txt": "sqlalchemy\npsycopg[binary]\n"}, [("requirements.txt", 2)]),
    ("DC103", "missing-in-requirements", {"pyproject.toml": deps("sqlalchemy", "asyncpg"), "requirements.txt": "sqlalchemy\n"}, [("pyproject.toml", 4)]),
    ("DC103", "editable-sibling-counts-as-present", {"app/pyproject.toml": '[project]\nname = "app"\nversion = "1"\ndependencies = ["lib", "click"]\n', "app/requirements.txt": "-e ../lib\nclick\n", "lib/pyproject.toml": '[project]\nname = "lib"\nversion = "1"\ndependencies = []\n'}, None),
    ("DC001", "prose-named-like-constraints-in-docs", {"requirements.txt": "click\n", "docs/ref/postgres/constraints.txt": "Constraints\n===========\n\nThe ``ExclusionConstraint`` class...\n"}, None),
    ("DC103", "empty-pyproject-declares-nothing", {"pyproject.toml": deps(), "requirements.txt": "sqlalchemy\n"}, None),
    ("DC103", "pinned-file-may-hold-more", {"pyproject.toml": deps("fastapi>=0.110"), "requirements.txt": "fastapi==0.115.0\nstarlette==0.38.6\n"}, None),
    ("DC104", "extras-differ", {"pyproject.toml": deps("uvicorn"), "requirements.txt": "uvicorn[standard]\n"}, [("requirements.txt", 1)]),
    ("DC104", "same-extras", {"pyproject.toml": deps("uvicorn[standard]"), "requirements.txt": "Uvicorn[Standard]\n"}, None),
    ("DC105", "marker-differs", {"pyproject.toml": deps("uvloop"), "requirements.txt": "uvloop; sys_platform != 'win32'\n"}, [("requirements.txt", 1)]),
    ("DC105", "same-meaning", {"pyproject.toml": deps("colorama; sys_platform == 'win32'"), "requirements.txt": "colorama; platform_system == 'Windows'\n"}, None),
    ("DC106", "uv-lock-outside", {"pyproject.toml": deps("httpx>=0.28"), "uv.lock": 'version = 1\n\n[[package]]\nname = "httpx"\nversion = "0.27.2"\nsource = { registry = "https://pypi.org/simple" }\n'}, [("uv.lock", 4)]),
    ("DC106", "pip-compile-outside", {"requirements.in": "attrs>=23\n", "requirements.txt": "attrs==22.2.0\n    # via -r requirements.in\n"}, [("requirements.txt", 1)]),
    ("DC201", "asyncio-without-greenlet", {"requirements.txt": "SQLAlchemy>=2.0\n", "app.py": "from sqlalchemy.ext.asyncio import create_async_engine\n"}, [("requirements.txt", 1)]),
    ("DC201", "asyncio-extra", {"requirements.txt": "SQLAlchemy[asyncio]>=2.0\n", "app.py": "from sqlalchemy.ext.asyncio import create_async_engine\n"}, None),
    ("DC201", "conditional-greenlet-does-not-count", {"requirements.txt": "SQLAlchemy>=2.0\ngreenlet>=3; platform_machine == 'x86_64'\n", "app.py": "from sqlalchemy.ext.asyncio import create_async_engine\n"}, [("requirements.txt", 1)]),
    ("DC201", "sync-use", {"requirements.txt": "SQLAlchemy>=2.0\n", "app.py": "from sqlalchemy import create_engine\n"}, None),
    ("DC203", "url-driver-missing", {"requirements.txt": "SQLAlchemy>=2.0\n", "app.py": "from sqlalchemy import create_engine\nengine = create_engine('mysql+pymysql://u@db/app')\n"}, [("app.py", 2)]),
    ("DC203", "url-driver-declared", {"requirements.txt": "SQLAlchemy>=2.0\nPyMySQL\n", "app.py": "from sqlalchemy import create_engine\nengine = create_engine('mysql+pymysql://u@db/app')\n"}, None),
    ("DC301", "undeclared-import", {"requirements.txt": "requests\n", "app.py": "import requests\nimport yaml\n"}, [("app.py", 2)]),
    ("DC301", "import-name-differs", {"requirements.txt": "PyYAML\nPillow\npython-dateutil\n", "app.py": "import yaml\nfrom PIL import Image\nfrom dateutil import parser\n"}, None),
    ("DC301", "optional-and-typing-only", {"requirements.txt": "requests\n", "app.py": "import requests\nfrom typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import yaml\ntry:\n    import ujson\nexcept ImportError:\n    ujson = None\n"}, None),
    ("DC301", "first-party-and-stdlib", {"requirements.txt": "requests\n", "app/__init__.py": "", "app/main.py": "import json\nimport requests\nfrom app import models\nfrom . import views\n"}, None),
    ("DC301", "tox-declares-test-deps", {"requirements.txt": "requests\n", "app.py": "import requests\n", "tox.ini": "[testenv]\ndeps =\n    pytest\n    py39: mock>=4\n", "tests/test_app.py": "import pytest\nimport mock\n"}, None),
    ("DC301", "docs-examples-scripts-run-elsewhere", {"requirements.txt": "requests\n", "app.py": "import requests\n", "docs/conf.py": "import sphinx_rtd_theme\n", "examples/demo.py": "import matplotlib\n", "scripts/release.py": "import github\n"}, None),
    ("DC301", "function-level-and-file-optional", {"requirements.txt": "requests\n", "app.py": "import requests\ntry:\n    import markdown\nexcept ImportError:\n    markdown = None\nif markdown is not None:\n    from markdown.extensions import toc\n\ndef render():\n    import jinja2\n"}, None),
    ("DC301", "integration-module-named-after-its-package", {"requirements.txt": "requests\n", "app/__init__.py": "import requests\n", "app/contrib/__init__.py": "", "app/contrib/pytest.py": "import pytest\n"}, None),
    ("DC301", "python2-fallback-names", {"requirements.txt": "requests\n", "app.py": "import requests\nimport imp\n"}, None),
    ("DC304", "stub-is-not-the-runtime-package", {"pyproject.toml": deps("requests", extra='[dependency-groups]\ndev = ["types-urllib3"]\n'), "p/__init__.py": "import requests\nfrom urllib3.exceptions import HTTPError\n"}, None),
    ("DC302", "unused", {"requirements.txt": "requests\nasyncpg\n", "app.py": "import requests\n"}, [("requirements.txt", 2)]),
    ("DC302", "url-driver-server-stub", {"requirements.txt": "requests\npsycopg[binary]\nuvicorn\ntypes-requests\n", "app.py": "import requests\nURL = 'postgresql+psycopg://db/app'\n"}, None),
    ("DC302", "httpx-used-by-testclient", {"pyproject.toml": deps("fastapi", "httpx"), "app/__init__.py": "from fastapi import FastAPI\napp = FastAPI()\n", "tests/test_app.py": "from fastapi.testclient import TestClient\n"}, None),
    ("DC302", "driver-named-by-dsn-scheme", {"pyproject.toml": deps("sqlalchemy", "psycopg[binary]"), "app.py": "import sqlalchemy\nDSN = dict(scheme='postgresql+psycopg', host='db')\n"}, None),
    ("DC302", "django-app-in-settings", {"requirements.txt": "Django\ndjango-cors-headers\n", "site/settings.py": "INSTALLED_APPS = ['django.contrib.admin', 'corsheaders']\n", "site/urls.py": "import django\n"}, None),
    ("DC303", "transitive", {"pyproject.toml": deps("httpx"), "uv.lock": 'version = 1\n\n[[package]]\nname = "anyio"\nversion = "4.6.0"\nsource = { registry = "https://pypi.org/simple" }\n\n[[package]]\nname = "httpx"\nversion = "0.28.1"\nsource = { registry = "https://pypi.org/simple" }\n', "p/__init__.py": "import httpx\nimport anyio\n"}, [("p/__init__.py", 2)]),
    ("DC303", "declared", {"pyproject.toml": deps("httpx", "anyio"), "p/__init__.py": "import httpx\nimport anyio\n"}, None),
    ("DC304", "dev-only-in-runtime-code", {"pyproject.toml": deps("click", extra='[dependency-groups]\ndev = ["rich"]\n'), "p/__init__.py": "import click\nimport rich\n"}, [("p/__init__.py", 2)]),
    ("DC304", "dev-only-in-tests", {"pyproject.toml": deps("click", extra='[dependency-groups]\ndev = ["rich", "pytest"]\n'), "p/__init__.py": "import click\n", "tests/test_p.py": "import pytest\nimport rich\n"}, None),
    ("DC106", "lock-inside", {"pyproject.toml": deps("httpx>=0.27"), "uv.lock": 'version = 1\n\n[[package]]\nname = "httpx"\nversion = "0.27.2"\nsource = { registry = "https://pypi.org/simple" }\n'}, None),
]


def run(tmp_path: Path, files: dict[str, str | bytes]) -> list[tuple[str, str, int]]:
    for name, content in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content)
    result = engine.run(tmp_path, config.load(tmp_path))
    return [(d.code, d.span.path, d.span.line) for d in result.diagnostics]


@pytest.mark.parametrize(("code", "files", "expected"), [c[:1] + c[2:] for c in CASES], ids=[f"{c[0]}-{c[1]}" for c in CASES])
def test_rule(tmp_path: Path, code: str, files: dict[str, str | bytes], expected: list[tuple[str, int]] | None) -> None:
    found = [(path, line) for found_code, path, line in run(tmp_path, files) if found_code == code]
    assert found == (expected or [])


@pytest.mark.parametrize("rule", ALL_RULES, ids=[r.code for r in ALL_RULES])
def test_every_rule_is_documented_and_exercised(rule: type) -> None:
    doc = rule.doc()
    for heading in ("## What it does", "## Why is this bad?", "## Example", "## Fix", "## References"):
        assert heading in doc, f"{rule.code} lacks {heading}"
    assert rule.name == rule.name.lower() and " " not in rule.name
    assert any(c[0] == rule.code and c[3] for c in CASES), f"{rule.code} has no positive case"
    assert any(c[0] == rule.code and not c[3] for c in CASES), f"{rule.code} has no negative case"
