"""Property tests (hypothesis) for both services: one budget, and a count of the generated examples each property
passed, printed at the end of the run (`pytest_terminal_summary`, registered by registry_kit.pytest_fixtures).

Profiles: `ci` (the default, in `make test`: a small number of examples per property, so the properties add about
a minute) and `thorough` (MCB_HYPOTHESIS_PROFILE=thorough: ten times as many). MCB_HYPOTHESIS_EXAMPLES overrides
the number. Every example runs through the services' HTTP APIs on a real PostgreSQL, hence no deadline.
"""

from __future__ import annotations

import os
from collections import Counter

from hypothesis import HealthCheck, settings

PASSED: Counter[str] = Counter()
_SLOW = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large]

_PROFILE = os.environ.get("MCB_HYPOTHESIS_PROFILE", "ci")
_EXAMPLES = int(os.environ.get("MCB_HYPOTHESIS_EXAMPLES") or (200 if _PROFILE == "thorough" else 20))
settings.register_profile(_PROFILE, max_examples=_EXAMPLES, deadline=None, suppress_health_check=_SLOW, print_blob=True)
settings.load_profile(_PROFILE)


def passed(name: str) -> None:
    """An example of the property `name` passed (called at the end of the test body)."""
    PASSED[name] += 1


def summary_lines() -> list[str]:
    return [f"property {name}: {count} generated examples passed" for name, count in sorted(PASSED.items())]
