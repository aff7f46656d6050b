"""The README states the aggregation rules in a table a programme officer can read: the same words as the rule set
the code combines values by (aggregations/rules.py), row for row."""

from __future__ import annotations

from pathlib import Path

from reporting_api.aggregations.rules import RULES

README = Path(__file__).resolve().parents[3] / "README.md"
MEASURES = {"number": "number, currency", "ratio": "percentage, ratio"}


def test_the_readme_table_is_the_rule_set() -> None:
    text = README.read_text(encoding="utf-8")
    for (kind, aggregation), (over_time, projects, places, parts) in RULES.items():
        row = f"| {MEASURES[kind]} | {aggregation} | {over_time} | {projects} | {places} | {parts} |"
        assert row in text, f"the README's rules table lacks or changed: {row}"
