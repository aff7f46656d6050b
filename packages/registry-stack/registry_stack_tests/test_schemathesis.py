"""Schemathesis against the live stack, from the documents it publishes: each service, as each demo role and as
nobody (tests/st_hooks.py sends each test case as the next caller in turn). Every answer must be no 5xx, a
documented status, a documented media type and a body that matches its schema.

Sizes (about two runs of a minute in `make test`; `make fuzz` is the nightly size, with the coverage and stateful
phases): MCB_FUZZ_EXAMPLES (examples per operation, default 6: each caller about once), MCB_FUZZ_PHASES (default
examples,fuzzing), MCB_FUZZ_SEED (default 12; `random` for a new one each run), MCB_FUZZ_MAX_TIME (seconds per run).
"""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from registry_stack_tests.conftest import DEMO_PASSWORDS, Running

CHECKS = "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance"


def _options() -> list[str]:
    seed = os.environ.get("MCB_FUZZ_SEED", "12")
    options = [
        "--checks",
        CHECKS,
        "--max-examples",
        os.environ.get("MCB_FUZZ_EXAMPLES", "6"),
        "--phases",
        os.environ.get("MCB_FUZZ_PHASES", "examples,fuzzing"),
        "--seed",
        str(random.randrange(2**31)) if seed == "random" else seed,  # noqa: S311 (a test seed)
        "--workers",
        "1",
        "--request-timeout",
        "60",
        "--suppress-health-check",
        "all",
        "--no-color",
    ]
    if os.environ.get("MCB_FUZZ_MAX_TIME"):
        options += ["--max-time", os.environ["MCB_FUZZ_MAX_TIME"]]
    return options


@pytest.mark.parametrize("service", ["projects", "reporting"])
def test_every_answer_is_documented(stack: Running, service: str, tmp_path: Path) -> None:
    st = shutil.which("st", path=str(Path(sys.executable).parent))
    assert st is not None
    callers = {"anonymous": "", **{role: stack.token(role) for role in DEMO_PASSWORDS}}
    report = tmp_path / "report.xml"
    result = subprocess.run(  # noqa: S603
        [
            st,
            "run",
            f"{stack.base}/api/{service}/openapi.json",
            *_options(),
            "--report",
            "junit",
            "--report-junit-path",
            str(report),
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=1800,
        env={
            **os.environ,
            "NO_COLOR": "1",
            "SCHEMATHESIS_TELEMETRY": "false",
            "SCHEMATHESIS_HOOKS": "registry_stack_tests.st_hooks",
            "PYTHONPATH": str(Path(__file__).parents[1]),
            "MCB_FUZZ_TOKENS": json.dumps(callers),
        },
    )
    summary = result.stdout[result.stdout.rfind("SUMMARY") - 40 :] if "SUMMARY" in result.stdout else result.stdout
    print(summary[-2500:])  # noqa: T201 (what was tested, in the test's report)
    assert result.returncode == 0, _failures(result.stdout) or (result.stdout[-6000:] + result.stderr[-3000:])


def _failures(output: str) -> str:
    """The FAILURES section of schemathesis's output: each failing operation with a curl command to reproduce it."""
    start = output.find("FAILURES")
    end = output.find("SUMMARY")
    return output[start:end][-12000:] if start >= 0 else ""
