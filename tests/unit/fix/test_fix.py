"""The fix engine: byte-exact edits, atomic writes, idempotence."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from depcheck import config, engine, fix

PY = '[project]\nname = "p"\nversion = "1"\n'


def run_fix(root: Path, files: dict[str, bytes | str], unsafe: bool = False) -> dict[str, bytes]:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode() if isinstance(content, str) else content)
    result = engine.run(root, config.load(root))
    fix.write(root, fix.apply_edits(root, result.diagnostics, unsafe))
    return {name: (root / name).read_bytes() for name in files}


@pytest.mark.parametrize(
    ("files", "path", "expected"),
    [
        pytest.param(
            {"pyproject.toml": PY + 'dependencies = [\n    "click",\n    "rich",  # pretty\n]\n', "requirements.txt": "click\nrich\nhttpx\n"},
            "pyproject.toml",
            PY + 'dependencies = [\n    "click",\n    "rich",  # pretty\n    "httpx",\n]\n',
            id="toml-multiline-trailing-comma-after-comment",
        ),
        pytest.param(
            {"pyproject.toml": PY + "dependencies = [\n  'click',\n  'rich'\n]\n", "requirements.txt": "click\nrich\nhttpx\n"},
            "pyproject.toml",
            PY + "dependencies = [\n  'click',\n  'rich',\n  'httpx'\n]\n",
            id="toml-multiline-no-trailing-comma-single-quotes",
        ),
        pytest.param(
            {"pyproject.toml": PY + 'dependencies = ["click", "rich"]\n', "requirements.txt": "click\nrich\nhttpx\n"},
            "pyproject.toml",
            PY + 'dependencies = ["click", "rich", "httpx"]\n',
            id="toml-inline",
        ),
        pytest.param(
            {"pyproject.toml": PY + 'dependencies = ["click", "httpx"]\n', "requirements.txt": "click"},
            "requirements.txt",
            "click\nhttpx\n",
            id="requirements-without-final-newline",
        ),
        pytest.param(
            {"pyproject.toml": PY + 'dependencies = ["click", "httpx"]\n', "requirements.txt": b"\xef\xbb\xbf# pins\r\nclick\r\n"},
            "requirements.txt",
            "\ufeff# pins\r\nclick\r\nhttpx\r\n",
            id="requirements-crlf-bom",
        ),
        pytest.param(
            {"pyproject.toml": (PY + 'dependencies = [\r\n    "click",\r\n]\r\n'), "requirements.txt": "click\nhttpx\n"},
            "pyproject.toml",
            PY.replace("\n", "\r\n") if False else PY + 'dependencies = [\r\n    "click",\r\n    "httpx",\r\n]\r\n',
            id="toml-crlf",
        ),
        pytest.param(
            {"requirements.txt": "SQLAlchemy>=2.0  # orm\n", "app.py": "from sqlalchemy.ext.asyncio import create_async_engine\n"},
            "requirements.txt",
            "SQLAlchemy[asyncio]>=2.0  # orm\n",
            id="greenlet-extra-keeps-comment",
        ),
        pytest.param(
            {"pyproject.toml": PY + "dependencies = ['SQLAlchemy>=2,<3 ; python_version >= \"3.9\"']\n", "app.py": "from sqlalchemy.ext.asyncio import AsyncSession\n"},
            "pyproject.toml",
            PY + "dependencies = ['SQLAlchemy[asyncio]>=2,<3; python_version >= \"3.9\"']\n",
            id="greenlet-extra-in-toml-keeps-quotes",
        ),
        pytest.param(
            {"pyproject.toml": PY + 'dependencies = ["uvicorn"]\n', "requirements.txt": "uvicorn[standard]\n"},
            "pyproject.toml",
            PY + 'dependencies = ["uvicorn"]\n',
            id="extras-drift-only-widens-the-poorer-side",
        ),
        pytest.param(
            {"pyproject.toml": PY + 'dependencies = ["uvicorn[standard]"]\n', "requirements.txt": "uvicorn  # server\n"},
            "requirements.txt",
            "uvicorn[standard]  # server\n",
            id="extras-drift-add-extra",
        ),
        pytest.param(
            {"requirements.txt": "click\nrich\nclick\n"},
            "requirements.txt",
            "click\nrich\n",
            id="exact-duplicate-removed",
        ),
    ],
)
def test_safe_fixes(tmp_path: Path, files: dict[str, str | bytes], path: str, expected: str) -> None:
    after = run_fix(tmp_path, files)
    assert after[path].decode("utf-8") == expected
    # a second --fix changes nothing
    again = run_fix(tmp_path, {})
    assert again == {}
    assert (tmp_path / path).read_bytes() == after[path]


@pytest.mark.parametrize(
    ("files", "path", "expected"),
    [
        pytest.param(
            {"pyproject.toml": PY + 'dependencies = [\n    "requests",\n    "asyncpg",  # old\n]\n', "app.py": "import requests\n"},
            "pyproject.toml",
            PY + 'dependencies = [\n    "requests",\n]\n',
            id="remove-unused-line",
        ),
        pytest.param(
            {"pyproject.toml": PY + 'dependencies = ["asyncpg", "requests"]\n', "app.py": "import requests\n"},
            "pyproject.toml",
            PY + 'dependencies = ["requests"]\n',
            id="remove-unused-inline-first",
        ),
        pytest.param(
            {"pyproject.toml": PY + 'dependencies = ["requests", "asyncpg"]\n', "app.py": "import requests\n"},
            "pyproject.toml",
            PY + 'dependencies = ["requests"]\n',
            id="remove-unused-inline-last",
        ),
        pytest.param(
            {"pyproject.toml": PY + 'dependencies = ["httpx>=0.28"]\n', "requirements.txt": "httpx>=0.20  # old\n"},
            "requirements.txt",
            "httpx>=0.28  # old\n",
            id="align-range",
        ),
    ],
)
def test_unsafe_fixes_only_when_asked(tmp_path: Path, files: dict[str, str], path: str, expected: str) -> None:
    before = run_fix(tmp_path, files)
    assert before[path].decode() == files[path]  # --fix alone leaves unsafe fixes alone
    after = run_fix(tmp_path, {}, unsafe=True)
    assert (tmp_path / path).read_text() == expected
    assert after == {}


def test_write_is_atomic_and_keeps_the_mode(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("click\nclick\n")
    os.chmod(tmp_path / "requirements.txt", 0o640)
    run_fix(tmp_path, {})
    assert (tmp_path / "requirements.txt").read_text() == "click\n"
    assert stat.S_IMODE((tmp_path / "requirements.txt").stat().st_mode) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["requirements.txt"]  # no temporary file left


def test_cli_diff_changes_nothing_and_fix_reports_what_is_left(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(PY + 'dependencies = ["httpx>=0.28", "click"]\n')
    (tmp_path / "requirements.txt").write_text("httpx==0.27.0\n")
    cli = [sys.executable, "-m", "depcheck", "check", str(tmp_path), "--no-color"]
    diff = subprocess.run([*cli, "--diff"], capture_output=True, text=True)
    assert diff.returncode == 1
    assert "+click" in diff.stdout
    assert (tmp_path / "requirements.txt").read_text() == "httpx==0.27.0\n"
    fixed = subprocess.run([*cli, "--fix"], capture_output=True, text=True)
    assert (tmp_path / "requirements.txt").read_text() == "httpx==0.27.0\nclick\n"
    assert "httpx" in fixed.stdout and "DC103" not in fixed.stdout  # the pin needs --unsafe-fixes
    subprocess.run([*cli, "--unsafe-fixes"], capture_output=True, text=True)
    clean = subprocess.run(cli, capture_output=True, text=True)
    assert clean.returncode == 0, clean.stdout


lines = st.lists(
    st.one_of(
        st.sampled_from(["click", "rich>=13", "attrs==23.2.0", "  # a comment", "", "-r other.txt", "--index-url https://x.invalid/simple"]),
        st.text(alphabet="abcdefghij #=<>.,[]", min_size=0, max_size=20).map(lambda t: "# " + t),
    ),
    min_size=0,
    max_size=12,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lines, st.sampled_from(["\n", "\r\n"]), st.booleans(), st.booleans())
def test_adding_keeps_every_other_byte(body: list[str], newline: str, bom: bool, final_newline: bool) -> None:
    text = newline.join(body) + (newline if final_newline and body else "")
    data = (b"\xef\xbb\xbf" if bom else b"") + text.encode()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "other.txt").write_text("")
        (root / "pyproject.toml").write_text(PY + 'dependencies = ["zzz-new-package"]\n')
        (root / "requirements.txt").write_bytes(data)
        result = engine.run(root, config.load(root))
        adds = [d for d in result.diagnostics if d.code == "DC103"]
        changes = fix.apply_edits(root, adds, False)
        if "requirements.txt" not in changes:
            return  # e.g. the file already fails to parse as one set
        old, new = changes["requirements.txt"]
        assert new.startswith(old.rstrip("\r\n") if not final_newline else old)
        added = new[len(old):] if new.startswith(old) else new[len(old.rstrip("\r\n")):]
        assert added.strip() == "zzz-new-package"
        if "\n" in old:  # the file's own line ending is kept
            assert added.endswith(newline) and (newline == "\r\n" or "\r" not in added)
