"""The real proof: an async SQLAlchemy 2.1 app without greenlet fails, depcheck --fix repairs it.

Installs from the package index into a fresh virtual environment, so it is
marked `network`; .ci/run runs it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

APP = '''\
import asyncio

from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine


async def main() -> None:
    engine = create_async_engine("sqlite+aiosqlite:///:memory:")
    async with engine.connect() as connection:
        result = await connection.execute(text("select 40 + 2"))
        print("answer", result.scalar_one())
    await engine.dispose()


asyncio.run(main())
'''


def _modern_python() -> str:
    """An interpreter SQLAlchemy 2.1 installs on (Python >= 3.11): this one, or another on the machine.

    The suite also runs under Python 3.9, where the app's own virtualenv still needs 3.11+.
    """
    import glob
    import shutil

    candidates = [sys.executable, *(shutil.which(f"python3.{m}") for m in (13, 12, 11))]
    candidates += sorted(glob.glob("/root/.pyenv/versions/3.1[1-9]*/bin/python3"), reverse=True)
    for candidate in candidates:
        if not candidate:
            continue
        probe = subprocess.run([candidate, "-c", "import sys; print(sys.version_info >= (3, 11))"], capture_output=True, text=True)
        if probe.stdout.strip() == "True":
            return candidate
    raise AssertionError("no Python >= 3.11 on this machine for the app's virtualenv")


def _make_venv(env_dir: Path) -> str:
    created = subprocess.run([_modern_python(), "-m", "venv", str(env_dir)], capture_output=True, text=True)
    assert created.returncode == 0, created.stderr
    return str(env_dir / "bin" / "python")


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=600, env=env)


@pytest.mark.network
def test_fix_repairs_a_real_async_app(tmp_path: Path) -> None:
    project = tmp_path / "app"
    project.mkdir()
    (project / "requirements.txt").write_text("SQLAlchemy>=2.1,<2.2\naiosqlite>=0.20\n")
    (project / "main.py").write_text(APP)

    python = _make_venv(tmp_path / "venv")
    install = _run(python, "-m", "pip", "install", "-q", "-r", "requirements.txt", cwd=project)
    assert install.returncode == 0, install.stderr
    assert _run(python, "-c", "import greenlet", cwd=project).returncode != 0  # SQLAlchemy 2.1 did not bring it

    broken = _run(python, "main.py", cwd=project)
    assert broken.returncode != 0
    assert "greenlet" in broken.stderr

    before = _run(sys.executable, "-m", "depcheck", "check", str(project), "--format", "json", cwd=project)
    assert before.returncode == 1
    assert '"DC201"' in before.stdout and '"greenlet"' in before.stdout

    fixed = _run(sys.executable, "-m", "depcheck", "check", str(project), "--fix", "--no-color", cwd=project)
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    assert (project / "requirements.txt").read_text() == "SQLAlchemy[asyncio]>=2.1,<2.2\naiosqlite>=0.20\n"

    reinstall = _run(python, "-m", "pip", "install", "-q", "-r", "requirements.txt", cwd=project)
    assert reinstall.returncode == 0, reinstall.stderr
    works = _run(python, "main.py", cwd=project)
    assert works.returncode == 0, works.stderr
    assert works.stdout.strip() == "answer 42"

    after = _run(sys.executable, "-m", "depcheck", "check", str(project), "--quiet", cwd=project)
    assert (after.returncode, after.stdout) == (0, "")


FACTEUR = Path(__file__).parent.parent.parent / "examples" / "facteur"

QUERY = '''\
import asyncio

from sqlalchemy import text

from app.database import SessionLocal


async def main() -> None:
    async with SessionLocal() as session:
        print("letters", (await session.execute(text("select 3"))).scalar_one())


asyncio.run(main())
'''


@pytest.mark.network
def test_fix_repairs_the_facteur_example(tmp_path: Path) -> None:
    import shutil

    project = tmp_path / "facteur"
    shutil.copytree(FACTEUR, project)
    api = project / "packages" / "api"
    (api / "query.py").write_text(QUERY)
    python = _make_venv(tmp_path / "venv")
    # SQLite stands in for PostgreSQL: the same async engine, through DATABASE_URL
    install = _run(python, "-m", "pip", "install", "-q", "-r", "requirements.txt", "aiosqlite", cwd=api)
    assert install.returncode == 0, install.stderr

    def query() -> subprocess.CompletedProcess[str]:
        env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
        env["DATABASE_URL"] = "sqlite+aiosqlite:///:memory:"
        return subprocess.run([python, "query.py"], cwd=api, capture_output=True, text=True, timeout=300, env=env)

    broken = query()
    assert broken.returncode != 0 and "greenlet" in broken.stderr, broken.stdout + broken.stderr

    fixed = _run(sys.executable, "-m", "depcheck", "check", str(project), "--fix", "--no-color", cwd=project)
    assert fixed.returncode == 1  # the httpx pin and the unused asyncpg need --unsafe-fixes
    assert "SQLAlchemy[asyncio]>=2.0" in (api / "requirements.txt").read_text()
    assert "SQLAlchemy[asyncio]>=2.0" in (api / "pyproject.toml").read_text()

    reinstall = _run(python, "-m", "pip", "install", "-q", "-r", "requirements.txt", cwd=api)
    assert reinstall.returncode == 0, reinstall.stderr
    works = query()
    assert works.returncode == 0, works.stderr
    assert works.stdout.strip() == "letters 3"

    _run(sys.executable, "-m", "depcheck", "check", str(project), "--unsafe-fixes", cwd=project)
    after = _run(sys.executable, "-m", "depcheck", "check", str(project), "--quiet", cwd=project)
    assert (after.returncode, after.stdout) == (0, "")
