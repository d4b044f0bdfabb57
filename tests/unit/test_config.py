from __future__ import annotations

from pathlib import Path

import pytest

from depcheck import config
from depcheck.errors import DepcheckError
from depcheck.model import Severity


@pytest.mark.parametrize(
    ("select", "ignore", "code", "expected"),
    [
        ((), (), "DC101", True),
        (("DC1",), (), "DC101", True),
        (("DC1",), (), "DC001", False),
        ((), ("DC1",), "DC102", False),
        (("DC1",), ("DC102",), "DC102", False),
        (("DC102",), ("DC1",), "DC102", True),
        (("ALL",), ("DC0",), "DC001", False),
    ],
    ids=["default", "select-prefix", "not-selected", "ignore-prefix", "ignore-more-specific", "select-more-specific", "all"],
)
def test_enabled(select: tuple[str, ...], ignore: tuple[str, ...], code: str, expected: bool) -> None:
    assert config.Config(select=select, ignore=ignore).enabled(code) is expected


def test_table_values_are_converted() -> None:
    cfg = config.from_table(
        {
            "select": ["DC1", "dc001"],
            "fail-on": "error",
            "exclude": ["legacy/**"],
            "per-file-ignores": {"requirements/old.txt": ["DC102"]},
            "pairs": [["requirements/prod.txt", "pyproject.toml:project.dependencies"]],
            "package-module-map": {"pillow": ["PIL"]},
        },
        "test",
    )
    assert cfg.select == ("DC1", "DC001")
    assert cfg.fail_on is Severity.ERROR
    assert cfg.per_file_ignores == (("requirements/old.txt", ("DC102",)),)
    assert cfg.pairs == (("requirements/prod.txt", "pyproject.toml:project.dependencies"),)


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ({"selekt": ["DC1"]}, "unknown key `selekt` (did you mean `select`?)"),
        ({"fail-on": "fatal"}, "`fail-on` must be"),
        ({"select": ["E501"]}, "`E501` is not a rule code"),
        ({"exclude": "x", "pairs": [["only-one"]]}, "`pairs` must be"),
    ],
    ids=["unknown-key", "bad-severity", "bad-code", "bad-pairs"],
)
def test_bad_config_names_the_key(table: dict, message: str) -> None:
    with pytest.raises(DepcheckError, match=None) as info:
        config.from_table(table, "pyproject.toml [tool.depcheck]")
    assert message in str(info.value)


def test_load_prefers_depcheck_toml(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.depcheck]\nselect = ["DC1"]\n')
    (tmp_path / "depcheck.toml").write_text('ignore = ["DC102"]\n')
    cfg = config.load(tmp_path)
    assert cfg.ignore == ("DC102",) and cfg.select == ()


def test_broken_pyproject_does_not_stop_the_run(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[project\n")
    assert config.load(tmp_path) == config.Config()
