"""Property tests (hypothesis) for both services: one budget, and a count of the generated examples each property
passed, printed at the end of the run (`pytest_terminal_summary`, registered by registry_testing.fixtures).

Budgets (`budget`): each property names its number of examples for `make test` (small: the properties add about
two minutes); MCB_HYPOTHESIS_PROFILE=thorough runs ten times as many (`make test-properties`), and
MCB_HYPOTHESIS_EXAMPLES sets the number outright. Every example runs through the services' HTTP APIs on a real PostgreSQL, hence no deadline.
"""

from __future__ import annotations

import os
from collections import Counter

from hypothesis import HealthCheck, settings

PASSED: Counter[str] = Counter()
_SLOW = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large]

_PROFILE = os.environ.get("MCB_HYPOTHESIS_PROFILE", "ci")
settings.register_profile(_PROFILE, deadline=None, suppress_health_check=_SLOW, print_blob=True)
settings.load_profile(_PROFILE)


def budget(ci_examples: int) -> settings:
    """A property's number of examples: `ci_examples` in `make test`, ten times as many with the thorough profile,
    or MCB_HYPOTHESIS_EXAMPLES."""
    fixed = os.environ.get("MCB_HYPOTHESIS_EXAMPLES")
    scale = 10 if _PROFILE == "thorough" else 1
    return settings(max_examples=int(fixed) if fixed else ci_examples * scale)


def passed(name: str) -> None:
    """An example of the property `name` passed (called at the end of the test body)."""
    PASSED[name] += 1


def summary_lines() -> list[str]:
    return [f"property {name}: {count} generated examples passed" for name, count in sorted(PASSED.items())]
