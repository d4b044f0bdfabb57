from __future__ import annotations

import pytest

from depcheck.code import first_party, is_dev_file, is_own_environment, module_name


@pytest.mark.parametrize(
    ("path", "tests", "own_environment"),
    [
        ("app/main.py", False, False),
        ("src/pkg/core.py", False, False),
        ("manage.py", False, False),
        ("tests/test_api.py", True, False),
        ("pkg/tests/helpers.py", True, False),
        ("test_thing.py", True, False),
        ("thing_test.py", True, False),
        ("conftest.py", True, False),
        ("noxfile.py", True, False),
        ("runtests.py", True, False),
        ("notebooks/analysis.ipynb", True, True),
        ("docs/conf.py", False, True),
        ("examples/demo.py", False, True),
        ("scripts/release.py", False, True),
        ("misc/sync.py", False, True),
        ("test-data/packages/pkg/__init__.py", False, True),
        (".github/scripts/check.py", False, True),
    ],
)
def test_file_roles(path: str, tests: bool, own_environment: bool) -> None:
    assert (is_dev_file(path), is_own_environment(path)) == (tests, own_environment)


SOURCES = [
    "packages/api/app/__init__.py",
    "packages/api/app/main.py",
    "packages/api/src/core/models.py",  # src layout, namespace package (no __init__)
    "packages/api/settings.py",
    "packages/api/tests/helpers.py",
    "packages/api/tests/test_main.py",
]


@pytest.mark.parametrize(
    ("module", "importer", "expected"),
    [
        ("app.main", "packages/api/app/main.py", True),
        ("core.models", "packages/api/app/main.py", True),
        ("settings", "packages/api/app/main.py", True),
        ("helpers", "packages/api/tests/test_main.py", True),  # beside the importing file
        ("helpers", "packages/api/app/main.py", False),  # not on app's path
        ("facteur_shared", "packages/api/app/main.py", True),  # another project of the repository
        ("requests", "packages/api/app/main.py", False),
    ],
)
def test_first_party(module: str, importer: str, expected: bool) -> None:
    owned = first_party("packages/api", SOURCES, names=["facteur-shared"])
    assert owned.owns(module, importer) is expected


def test_module_name() -> None:
    assert module_name("My.Pkg-Name") == "my_pkg_name"


def test_namespace_package_owns_only_its_own_subpackages() -> None:
    sources = [
        "exporter/rich/src/opentelemetry/exporter/richconsole/__init__.py",
        "exporter/rich/src/opentelemetry/exporter/richconsole/version.py",
        "exporter/rich/tests/test_rich.py",
    ]
    owned = first_party("exporter/rich", sources)
    importer = "exporter/rich/src/opentelemetry/exporter/richconsole/__init__.py"
    assert owned.owns("opentelemetry.exporter.richconsole.version", importer)
    assert not owned.owns("opentelemetry.trace", importer)
    assert not owned.owns("opentelemetry.sdk.trace", "exporter/rich/tests/test_rich.py", anywhere=True)


def test_a_module_named_like_a_package_inside_a_package_is_not_first_party() -> None:
    sources = ["sentry_sdk/__init__.py", "sentry_sdk/integrations/__init__.py", "sentry_sdk/integrations/aiohttp.py", "scripts/aiohttp.py"]
    owned = first_party(".", sources)
    assert not owned.owns("aiohttp", "sentry_sdk/integrations/aiohttp.py")
    assert owned.owns("aiohttp", "scripts/run.py")  # a script folder is on sys.path
