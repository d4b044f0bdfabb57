"""The pre-commit hook, run for real: `pre-commit try-repo` installs depcheck from this repository.

try-repo installs a hook repository's *committed* state: it clones the repo at HEAD and, when the
repo has uncommitted changes, commits them in a shadow clone first, but only changes to files git
already tracks (`git add -u`). A hook file not yet committed would be missing. So the test commits a
snapshot of this checkout's working tree (tracked files plus untracked, not-ignored ones) into a
repository of its own and points try-repo at that: the test checks what is on disk, the same on a
developer's edited tree as on CI's fresh clone of main.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("pre_commit", reason="pre-commit is in the test extra: pip install -e '.[test]'")

ROOT = Path(__file__).resolve().parent.parent.parent
TIMEOUT = 300  # seconds per command; the first try-repo builds depcheck and a virtualenv

PYPROJECT = """\
[project]
name = "demo"
version = "0.1.0"
requires-python = ">=3.9"
dependencies = [
    "httpx>=0.28",
    "rich>=13",
]
"""

CODE = """\
import httpx
import rich


def fetch(url: str) -> str:
    return httpx.get(url).text
"""

# Not copied into the snapshot even when git is not there to read .gitignore.
NOT_SOURCE = shutil.ignore_patterns(
    ".git", ".venv", "venv", ".tox", ".nox", "__pycache__", "*.pyc", "*.egg-info", "build", "dist",
    ".pytest_cache", ".hypothesis", ".mypy_cache", ".ruff_cache",
)  # fmt: skip


def _env(tmp_path: Path) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        # SKIP=depcheck or a PRE_COMMIT_* setting of the calling shell must not change the outcome;
        # GIT_DIR and friends (set when this runs inside a git hook) must not redirect git.
        if not key.startswith(("PRE_COMMIT", "GIT_")) and key != "SKIP"
    }
    env.update(
        PRE_COMMIT_HOME=str(tmp_path / "pre-commit-home"),
        GIT_CONFIG_GLOBAL=os.devnull,  # the user's ~/.gitconfig (signing, hooks, templates) stays out
        GIT_CONFIG_NOSYSTEM="1",
        GIT_AUTHOR_NAME="depcheck tests",
        GIT_AUTHOR_EMAIL="tests@depcheck.invalid",
        GIT_COMMITTER_NAME="depcheck tests",
        GIT_COMMITTER_EMAIL="tests@depcheck.invalid",
        NO_COLOR="1",
    )
    return env


def _git(cwd: Path, env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        ["git", "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false", *args],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=TIMEOUT,
    )  # fmt: skip
    assert result.returncode == 0, f"git {' '.join(args)} failed:\n{result.stdout}{result.stderr}"
    return result.stdout


def _commit_all(repo: Path, env: dict[str, str], message: str) -> None:
    _git(repo, env, "add", "--all")
    _git(repo, env, "commit", "--quiet", "--no-verify", "-m", message)


def _snapshot_hook_repo(dest: Path, env: dict[str, str]) -> Path:
    """This checkout's working tree, committed as the only commit of a new repository at dest."""
    if (ROOT / ".git").exists():
        listed = _git(ROOT, env, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
        dest.mkdir()
        for name in filter(None, listed.split("\0")):
            source = ROOT / name
            if source.is_file():  # a tracked file deleted in the working tree is left out
                (dest / name).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, dest / name)
    else:  # an unpacked sdist or an export: no git to ask what is ignored
        shutil.copytree(ROOT, dest, ignore=NOT_SOURCE)
    assert (dest / ".pre-commit-hooks.yaml").is_file()
    _git(dest, env, "init", "--quiet")
    _commit_all(dest, env, "snapshot of the depcheck working tree")
    return dest


def _try_repo(hook_repo: Path, project: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(hook_repo), "depcheck", "--all-files", "--color", "never"],
        cwd=project, env=env, capture_output=True, text=True, timeout=TIMEOUT,
    )  # fmt: skip


@pytest.mark.network  # pre-commit pip-installs the hook's environment: hatchling, packaging, rich, typer
def test_hook_fails_on_drifted_manifests_and_passes_once_fixed(tmp_path: Path) -> None:
    env = _env(tmp_path)
    hook_repo = _snapshot_hook_repo(tmp_path / "depcheck", env)

    project = tmp_path / "project"
    (project / "demo").mkdir(parents=True)
    (project / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    (project / "requirements.txt").write_text("httpx==0.28.1\n", encoding="utf-8")  # rich is missing
    (project / "demo" / "__init__.py").write_text(CODE, encoding="utf-8")
    _git(project, env, "init", "--quiet")
    _commit_all(project, env, "a project whose requirements.txt drifted")

    broken = _try_repo(hook_repo, project, env)
    output = broken.stdout + broken.stderr
    assert broken.returncode != 0, output
    assert "depcheck" in output and "Failed" in output, output
    assert "DC103" in output, output
    assert "rich" in output and "requirements.txt" in output, output
    assert "Traceback" not in output, output

    repair = subprocess.run(
        [sys.executable, "-m", "depcheck", "check", "--fix"], cwd=project, capture_output=True, text=True, timeout=TIMEOUT
    )
    assert "fixed 1 file" in repair.stderr, repair.stdout + repair.stderr
    assert (project / "requirements.txt").read_text(encoding="utf-8") == "httpx==0.28.1\nrich>=13\n"
    _commit_all(project, env, "depcheck check --fix")

    fixed = _try_repo(hook_repo, project, env)
    output = fixed.stdout + fixed.stderr
    assert fixed.returncode == 0, output
    assert "Passed" in output, output
    assert "DC1" not in output, output


def test_readme_config_names_a_hook_this_repository_defines(tmp_path: Path) -> None:
    from pre_commit.clientlib import load_config, load_manifest

    manifest = load_manifest(str(ROOT / ".pre-commit-hooks.yaml"))
    assert [hook["id"] for hook in manifest] == ["depcheck"]
    (hook,) = manifest
    assert hook["entry"] == "depcheck check" and hook["language"] == "python"
    assert hook["pass_filenames"] is False and hook["require_serial"] is True

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## pre-commit and CI\n", 1)[1]
    configs = [block for block in re.findall(r"```yaml\n(.*?)```", section, re.S) if "repos:" in block]
    assert len(configs) == 1
    (tmp_path / ".pre-commit-config.yaml").write_text(configs[0], encoding="utf-8")
    config = load_config(str(tmp_path / ".pre-commit-config.yaml"))  # raises on an invalid config
    (repo,) = config["repos"]
    assert repo["repo"] == "https://github.com/OWNER/depcheck"
    assert {h["id"] for h in repo["hooks"]} <= {h["id"] for h in manifest}


@pytest.mark.parametrize(
    ("path", "triggers"),
    [
        ("pyproject.toml", True), ("pkg/api/pyproject.toml", True), ("setup.cfg", True), ("setup.py", True),
        ("requirements.txt", True), ("requirements-dev.in", True), ("requirements/base.txt", True),
        ("constraints.txt", True), ("uv.lock", True), ("poetry.lock", True), ("pylock.toml", True),
        ("pylock.dev.toml", True), ("tox.ini", True), ("depcheck.toml", True), ("app/main.py", True),
        ("notebooks/eda.ipynb", True),
        ("README.md", False), ("myrequirements.txt", False), ("package.json", False), ("requirements.txt.orig", False),
        ("Pipfile", False), ("docs/conf.cfg", False),
    ],
)  # fmt: skip
def test_hook_triggers_on_what_depcheck_reads(path: str, triggers: bool) -> None:
    from pre_commit.clientlib import load_manifest

    (hook,) = load_manifest(str(ROOT / ".pre-commit-hooks.yaml"))
    assert bool(re.search(hook["files"], path)) is triggers
    assert not re.search(hook["exclude"], path)  # pre-commit's default, "^$", excludes nothing
