"""The composite GitHub Action in action.yml: its declared interface, and its run step executed with bash.

No network: the install step (setup-python, pip) is not run; the run step is, with its `${{ }}`
expressions filled in the way the runner would, against a stand-in depcheck and the real one.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

yaml = pytest.importorskip("yaml", reason="PyYAML is in the test extra: pip install -e '.[test]'")

ROOT = Path(__file__).resolve().parent.parent.parent
ACTION: dict[str, Any] = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
STEPS: list[dict[str, Any]] = ACTION["runs"]["steps"]
EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")
INPUT_REF = re.compile(r"\binputs\.([A-Za-z0-9_-]+)")
BASH = shutil.which("bash")

EXPECTED_DEFAULTS = {
    "paths": ".",
    "format": "github",
    "fail-on": "warning",
    "version": "",
    "python-version": "3.12",
    "sarif-file": "",
}


def _expressions(node: Any) -> list[str]:
    """Every `${{ … }}` expression in a parsed YAML node, in document order."""
    if isinstance(node, dict):
        return [e for key, value in node.items() for e in _expressions(key) + _expressions(value)]
    if isinstance(node, list):
        return [e for item in node for e in _expressions(item)]
    if isinstance(node, str):
        return EXPRESSION.findall(node)
    return []


def _run_steps() -> list[dict[str, Any]]:
    return [step for step in STEPS if "run" in step]


def _check_step() -> dict[str, Any]:
    steps = [step for step in _run_steps() if "depcheck check" in step["run"]]
    assert len(steps) == 1, "exactly one step runs `depcheck check`"
    return steps[0]


def _bound_to(step: dict[str, Any], flag: str, input_name: str) -> bool:
    """`depcheck check … <flag> X` where X is `${{ inputs.<input_name> }}` or an env var set from it."""
    expression = r"\$\{\{\s*inputs\." + re.escape(input_name) + r"\s*\}\}"
    variables = [name for name, value in (step.get("env") or {}).items() if re.fullmatch(expression, str(value))]
    values = [expression] + [r'"?\$\{?' + re.escape(name) + r'\}?"?' for name in variables]
    lines = [line for line in step["run"].splitlines() if "depcheck check" in line]
    return any(re.search(re.escape(flag) + r"[ =](" + "|".join(values) + r")(\s|$)", line) for line in lines)


# --- the interface -------------------------------------------------------------------------------


def test_is_a_composite_action_with_the_documented_inputs() -> None:
    assert ACTION["runs"]["using"] == "composite"
    assert ACTION["name"] and ACTION["description"]
    inputs = ACTION["inputs"]
    assert set(inputs) == set(EXPECTED_DEFAULTS)
    for name, default in EXPECTED_DEFAULTS.items():
        assert str(inputs[name].get("default", "")) == default, name
        assert inputs[name].get("description"), name
        assert not inputs[name].get("required", False), name


def test_every_input_used_is_declared_and_every_declared_input_is_used() -> None:
    used = {name for expression in _expressions(ACTION["runs"]) for name in INPUT_REF.findall(expression)}
    declared = set(ACTION["inputs"])
    assert used - declared == set(), "used but not declared"
    assert declared - used == set(), "declared but never used"
    # inputs are read only through ${{ }} expressions, never as INPUT_* variables (composite actions have none)
    assert not any("INPUT_" in step.get("run", "") for step in STEPS)


def test_step_outputs_read_are_produced_by_an_earlier_step() -> None:
    seen: set[str] = set()
    for step in STEPS:
        for expression in _expressions(step):
            for step_id in re.findall(r"\bsteps\.([A-Za-z0-9_-]+)\.outputs\.", expression):
                assert step_id in seen, f"{step.get('name')} reads steps.{step_id} before it ran"
        if "id" in step:
            seen.add(step["id"])
    for expression in _expressions(ACTION.get("outputs", {})):
        for step_id in re.findall(r"\bsteps\.([A-Za-z0-9_-]+)\.outputs\.", expression):
            assert step_id in seen


def test_sets_up_the_requested_python() -> None:
    setup = [step for step in STEPS if str(step.get("uses", "")).startswith("actions/setup-python@")]
    assert len(setup) == 1
    assert re.fullmatch(r"\$\{\{\s*inputs\.python-version\s*\}\}", setup[0]["with"]["python-version"])


def test_installs_the_action_checkout_or_the_requested_version() -> None:
    install = [step for step in _run_steps() if "pip install" in step["run"]]
    assert len(install) == 1
    text = install[0]["run"] + json.dumps(install[0].get("env", {}))
    assert "github.action_path" in text
    assert "inputs.version" in text
    assert re.search(r"depcheck==\$\{?[A-Z_]+\}?|depcheck==\$\{\{\s*inputs\.version", install[0]["run"])


def test_run_steps_are_strict_bash() -> None:
    assert _run_steps()
    for step in _run_steps():
        assert step.get("shell") == "bash", step.get("name")
        first = step["run"].strip().splitlines()[0]
        assert first == "set -euo pipefail", step.get("name")


def test_check_step_passes_fail_on_and_format_through() -> None:
    step = _check_step()
    assert _bound_to(step, "--fail-on", "fail-on")
    assert _bound_to(step, "--format", "format")
    assert _bound_to(step, "--output-file", "sarif-file")
    assert re.search(r"depcheck check .*--format sarif --output-file", step["run"])


# --- the run step, executed ----------------------------------------------------------------------

FAKE_DEPCHECK = """#!/usr/bin/env bash
# Stand-in for depcheck: records its arguments, writes --output-file, exits as told for the format.
printf '%s\\n' "$*" >> "$FAKE_LOG"
format=text; out=
while [ $# -gt 0 ]; do
  case "$1" in
    --format) format="$2"; shift ;;
    --output-file) out="$2"; shift ;;
  esac
  shift
done
if [ -n "$out" ]; then echo "{\\"format\\": \\"$format\\"}" > "$out"; fi
if [ "$format" = sarif ]; then exit "${FAKE_SARIF_STATUS:-1}"; fi
exit "${FAKE_STATUS:-0}"
"""


def _run_check_step(
    cwd: Path, bin_dir: Path, github_output: Path, extra_env: dict[str, str] | None = None, **inputs: str
) -> subprocess.CompletedProcess[str]:
    if BASH is None:
        pytest.skip("bash is not on PATH")
    values = dict(EXPECTED_DEFAULTS)
    values.update({name.replace("_", "-"): value for name, value in inputs.items()})
    context = {f"inputs.{name}": value for name, value in values.items()}
    context["steps.install.outputs.bin"] = str(bin_dir)

    def evaluate(text: str) -> str:
        return EXPRESSION.sub(lambda match: context[match.group(1)], text)  # KeyError: an unknown expression

    step = _check_step()
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DEPCHECK_", "GITHUB_"))}
    env.update({name: evaluate(str(value)) for name, value in (step.get("env") or {}).items()})
    env["GITHUB_OUTPUT"] = str(github_output)
    env.update(extra_env or {})
    # GitHub runs `bash --noprofile --norc -eo pipefail {0}` on the script file
    script = cwd.parent / "step.sh"
    script.write_text(evaluate(step["run"]), encoding="utf-8")
    return subprocess.run(
        [BASH, "--noprofile", "--norc", "-eo", "pipefail", str(script)],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


@pytest.fixture
def fake(tmp_path: Path) -> dict[str, Path]:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    depcheck = bin_dir / "depcheck"
    depcheck.write_text(FAKE_DEPCHECK, encoding="utf-8")
    depcheck.chmod(depcheck.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    workspace = tmp_path / "workspace"
    workspace.mkdir()
    return {"bin": bin_dir, "workspace": workspace, "log": tmp_path / "calls.log", "output": tmp_path / "output"}


@pytest.mark.skipif(sys.platform == "win32", reason="the stand-in is a bash script")
def test_paths_split_on_whitespace_without_globbing_and_exit_code_kept(fake: dict[str, Path]) -> None:
    (fake["workspace"] / "match-me").mkdir()
    result = _run_check_step(
        fake["workspace"], fake["bin"], fake["output"],
        {"FAKE_LOG": str(fake["log"]), "FAKE_STATUS": "1"},
        paths="src  tests\nmatch-*", format="json", fail_on="error",
    )  # fmt: skip
    assert result.returncode == 1, result.stderr
    assert fake["log"].read_text().splitlines() == ["check src tests match-* --format json --fail-on error"]
    assert "exit-code=1" in fake["output"].read_text().splitlines()


@pytest.mark.skipif(sys.platform == "win32", reason="the stand-in is a bash script")
def test_sarif_file_is_written_even_with_findings_and_the_gate_decides(fake: dict[str, Path]) -> None:
    result = _run_check_step(
        fake["workspace"], fake["bin"], fake["output"],
        {"FAKE_LOG": str(fake["log"]), "FAKE_SARIF_STATUS": "1", "FAKE_STATUS": "0"},
        sarif_file="depcheck.sarif", fail_on="error",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert fake["log"].read_text().splitlines() == [
        "check . --format sarif --output-file depcheck.sarif --fail-on error",
        "check . --format github --fail-on error",
    ]
    assert json.loads((fake["workspace"] / "depcheck.sarif").read_text()) == {"format": "sarif"}
    assert "exit-code=0" in fake["output"].read_text().splitlines()


@pytest.mark.skipif(sys.platform == "win32", reason="the stand-in is a bash script")
def test_a_tool_error_while_writing_sarif_stops_the_step(fake: dict[str, Path]) -> None:
    result = _run_check_step(
        fake["workspace"], fake["bin"], fake["output"],
        {"FAKE_LOG": str(fake["log"]), "FAKE_SARIF_STATUS": "2"},
        sarif_file="out.sarif",
    )  # fmt: skip
    assert result.returncode == 2
    assert len(fake["log"].read_text().splitlines()) == 1
    assert "exit-code=2" in fake["output"].read_text().splitlines()


def test_the_real_depcheck_exit_code_is_the_step_exit_code(tmp_path: Path) -> None:
    installed = Path(sys.executable).parent / ("depcheck.exe" if sys.platform == "win32" else "depcheck")
    if not installed.exists():
        pytest.skip("depcheck's console script is not installed beside this interpreter")
    project = tmp_path / "project"
    project.mkdir()
    (project / "pyproject.toml").write_text(
        '[project]\nname = "demo"\nversion = "0.1.0"\ndependencies = ["httpx>=0.28"]\n', encoding="utf-8"
    )
    (project / "requirements.txt").write_text("httpx==0.27.0\n", encoding="utf-8")
    (project / "demo.py").write_text("import httpx\n", encoding="utf-8")

    broken = _run_check_step(project, installed.parent, tmp_path / "out1", format="json")
    assert broken.returncode == 1, broken.stderr
    report = json.loads(broken.stdout)
    assert {d["code"] for d in report["diagnostics"]} & {"DC101", "DC106"}
    assert all(d["package"] == "httpx" for d in report["diagnostics"])

    annotated = _run_check_step(project, installed.parent, tmp_path / "out4", sarif_file="depcheck.sarif")
    assert annotated.returncode == 1, annotated.stderr
    assert "::error" in annotated.stdout and "httpx" in annotated.stdout  # the default format, github
    assert json.loads((project / "depcheck.sarif").read_text(encoding="utf-8"))["version"] == "2.1.0"

    bad_option = _run_check_step(project, installed.parent, tmp_path / "out2", format="text", fail_on="nonsense")
    assert bad_option.returncode == 2

    (project / "requirements.txt").write_text("httpx==0.28.1\n", encoding="utf-8")
    fixed = _run_check_step(project, installed.parent, tmp_path / "out3", format="text")
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    assert "exit-code=0" in (tmp_path / "out3").read_text().splitlines()


# --- the README's workflow -----------------------------------------------------------------------


def _readme_yaml_blocks() -> list[Any]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## pre-commit and CI\n", 1)
    assert len(section) == 2, "README.md has a `## pre-commit and CI` section"
    body = re.split(r"\n## ", section[1], maxsplit=1)[0]
    return [yaml.safe_load(block) for block in re.findall(r"```yaml\n(.*?)```", body, re.S)]


def test_readme_workflow_uses_the_action_as_declared() -> None:
    workflows = [block for block in _readme_yaml_blocks() if isinstance(block, dict) and "jobs" in block]
    assert len(workflows) == 1
    workflow = workflows[0]
    assert "pull_request" in workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
    (job,) = workflow["jobs"].values()
    assert job["permissions"]["security-events"] == "write"
    steps = job["steps"]
    ours = [step for step in steps if re.fullmatch(r"OWNER/depcheck@\S+", str(step.get("uses", "")))]
    assert len(ours) == 1
    assert set(ours[0]["with"]) <= set(ACTION["inputs"])
    assert ours[0]["with"]["format"] == "github"
    upload = [step for step in steps if str(step.get("uses", "")).startswith("github/codeql-action/upload-sarif@")]
    assert len(upload) == 1
    assert steps.index(upload[0]) > steps.index(ours[0])
    assert upload[0]["with"]["sarif_file"] == ours[0]["with"]["sarif-file"]
    assert "always()" in upload[0]["if"] or "!cancelled()" in upload[0]["if"], "upload even when the gate failed"
