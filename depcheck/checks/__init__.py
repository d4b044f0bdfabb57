"""The rule registry: every rule in one tuple, by family."""

from __future__ import annotations

from depcheck.checks import companions, drift, hygiene, usage

ALL_RULES = (*hygiene.RULES, *drift.RULES, *companions.RULES, *usage.RULES)
BY_CODE = {rule.code: rule for rule in ALL_RULES}
