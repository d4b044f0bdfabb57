"""A property: a project whose manifests agree and whose code uses what it declares yields no finding."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from depcheck import config, engine

# (distribution as people write it, module the code imports)
PACKAGES = [
    ("requests", "requests"),
    ("httpx", "httpx"),
    ("PyYAML", "yaml"),
    ("Pillow", "PIL"),
    ("attrs", "attr"),
    ("click", "click"),
    ("python-dateutil", "dateutil"),
    ("beautifulsoup4", "bs4"),
    ("PyJWT", "jwt"),
    ("python-dotenv", "dotenv"),
    ("scikit-learn", "sklearn"),
    ("rich", "rich"),
    ("SQLAlchemy[asyncio]", "sqlalchemy.ext.asyncio"),
    ("psycopg[binary]", "psycopg"),
    ("opencv-python-headless", "cv2"),
]

specs = st.sampled_from(["", ">=1.0", ">=2,<3", "~=1.4", "==2.*", ">1,!=1.5"])


@st.composite
def projects(draw: st.DrawFn) -> dict[str, str]:
    chosen = draw(st.lists(st.sampled_from(PACKAGES), min_size=1, max_size=8, unique_by=lambda p: p[0]))
    declared, pinned, code = [], [], ["from __future__ import annotations", ""]
    for distribution, module in chosen:
        spec = draw(specs)
        declared.append(f'    "{distribution}{spec}",')
        # the requirements file either repeats the range or pins a version inside it
        pin = {"": "==1.0", ">=1.0": "==1.5", ">=2,<3": "==2.1", "~=1.4": "==1.4.2", "==2.*": "==2.0.1", ">1,!=1.5": "==1.6"}[spec]
        pinned.append(f"{distribution}{pin if draw(st.booleans()) else spec}")
        code.append(f"import {module}")
    files = {
        "pyproject.toml": '[project]\nname = "calm"\nversion = "1"\nrequires-python = ">=3.9"\ndependencies = [\n'
        + "\n".join(declared)
        + "\n]\n",
        "requirements.txt": "\n".join(pinned) + "\n",
        "calm/__init__.py": "\n".join(code) + "\n",
    }
    if any(d.startswith("SQLAlchemy") for d, _ in chosen):
        files["calm/db.py"] = 'from sqlalchemy.ext.asyncio import create_async_engine\n\nengine = create_async_engine("sqlite+aiosqlite://")\n'
        head, _, _ = files["pyproject.toml"].rpartition("]\n")
        files["pyproject.toml"] = head + '    "aiosqlite",\n]\n'
        files["requirements.txt"] += "aiosqlite\n"
    return files


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(projects())
def test_consistent_project_has_no_findings(files: dict[str, str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for name, text in files.items():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_text(text)
        result = engine.run(root, config.load(root))
        assert [(d.code, d.span.path, d.message) for d in result.diagnostics] == []
