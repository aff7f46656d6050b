"""The README's settings tables, generated from the settings classes so they cannot drift."""

from __future__ import annotations

from pathlib import Path

from pydantic import SecretStr
from pydantic_settings import BaseSettings

from registry_kit.settings import REPO_ROOT


def _default(value: object) -> str:
    if value is None:
        return "unset"
    if isinstance(value, SecretStr):
        return "(secret)"
    if isinstance(value, Path):
        try:
            return str(value.relative_to(REPO_ROOT))
        except ValueError:
            return str(value)
    return str(getattr(value, "value", value))


def settings_table(settings_class: type[BaseSettings]) -> str:
    prefix = str(settings_class.model_config.get("env_prefix", ""))
    lines = ["| variable | default | meaning |", "|---|---|---|"]
    for name, field in settings_class.model_fields.items():
        meaning = (field.description or "").replace("|", "\\|")
        lines.append(f"| `{prefix}{name.upper()}` | `{_default(field.default)}` | {meaning} |")
    return "\n".join(lines)
