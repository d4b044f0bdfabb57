from __future__ import annotations

from pathlib import Path, PurePosixPath

import pytest

from depcheck import discover
from depcheck.model import SetKind


def touch(root: Path, *names: str) -> None:
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("")


def test_walk_skips_tool_and_environment_folders(tmp_path: Path) -> None:
    touch(
        tmp_path,
        "pyproject.toml",
        "requirements.txt",
        "requirements/dev.in",
        "docs/requirements.txt",
        ".git/requirements.txt",
        "node_modules/x/requirements.txt",
        ".tox/py311/requirements.txt",
        "build/requirements.txt",
        "some-venv/pyvenv.cfg",
        "some-venv/lib/requirements.txt",
        "pkg.egg-info/requires.txt",
        "{{cookiecutter.name}}/pyproject.toml",
        "legacy/setup.py",
        "uv.lock",
        "sub/pylock.dev.toml",
        "templates/python_requests.txt",
    )
    found = [p.as_posix() for p in discover.walk(tmp_path, ("legacy/**",))]
    assert found == [
        "docs/requirements.txt",
        "pyproject.toml",
        "requirements/dev.in",
        "requirements.txt",
        "sub/pylock.dev.toml",
        "uv.lock",
    ]


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("requirements.txt", (SetKind.RUNTIME, None)),
        ("requirements.in", (SetKind.RUNTIME, None)),
        ("requirements/base.txt", (SetKind.RUNTIME, None)),
        ("requirements/prod.txt", (SetKind.RUNTIME, None)),
        ("base_requirements.txt", (SetKind.RUNTIME, None)),
        ("requirements-dev.txt", (SetKind.DEV, "dev")),
        ("dev-requirements.txt", (SetKind.DEV, "dev")),
        ("requirements/test.txt", (SetKind.DEV, "test")),
        ("requirements_docs.txt", (SetKind.DEV, "docs")),
        ("constraints.txt", (SetKind.CONSTRAINT, None)),
        ("requirements-gpu.txt", (SetKind.EXTRA, "gpu")),
        ("docs/requirements.txt", (None, None)),
        ("examples/app/requirements.txt", (None, None)),
    ],
    ids=lambda value: value if isinstance(value, str) else None,
)
def test_classify(path: str, expected: tuple[SetKind | None, str | None]) -> None:
    assert discover.classify(PurePosixPath(path)) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("requirements.txt", True),
        ("requirements-dev.in", True),
        ("test_requirements.txt", True),
        ("constraints.txt", True),
        ("requirements/anything.txt", True),
        ("python_requests.txt", False),
        ("requirements.md", False),
        ("notes.txt", False),
    ],
)
def test_is_requirements_file(name: str, expected: bool) -> None:
    assert discover.is_requirements_file(PurePosixPath(name)) is expected


def test_workspace_members_are_grouped(tmp_path: Path) -> None:
    (tmp_path / "packages/a").mkdir(parents=True)
    (tmp_path / "packages/b").mkdir(parents=True)
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "root"\nversion = "1"\n[tool.uv.workspace]\nmembers = ["packages/*"]\nexclude = ["packages/b"]\n'
    )
    (tmp_path / "packages/a/pyproject.toml").write_text('[project]\nname = "A_Pkg"\nversion = "1"\n')
    (tmp_path / "packages/b/pyproject.toml").write_text('[project]\nname = "b"\nversion = "1"\n')
    from depcheck.config import Config

    projects = {p.root: p for p in discover.load(tmp_path, Config()).projects}
    assert projects["."].workspace == "."
    assert projects["packages/a"].workspace == "."
    assert projects["packages/b"].workspace is None
    assert "a-pkg" in projects["."].first_party


def test_unreadable_manifest_is_a_finding(tmp_path: Path) -> None:
    from depcheck.config import Config

    (tmp_path / "requirements.txt").mkdir()  # a directory where a file is expected
    (tmp_path / "requirements-dev.txt").write_text("-r requirements.txt\n")
    repository = discover.load(tmp_path, Config())
    problems = list(discover.iter_problems(repository))
    assert [p.code for p in problems] == ["DC003"]
