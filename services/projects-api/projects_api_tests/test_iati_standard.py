"""The IATI files the tests validate against are the official ones: the 2.03 schemas and annotated examples shipped in
projects_api/iati/standard are byte for byte those given to this project (shared/data/iati), pinned by their SHA-256
here; the official examples are valid against the official schemas."""

from __future__ import annotations

import hashlib
from pathlib import Path

from lxml import etree

from projects_api.iati.standard import STANDARD, schema

# SHA-256 of the official files (IATI-Schemas version-2.03, as provided in shared/data/iati/).
OFFICIAL = {
    "schemas/2.03/iati-activities-schema.xsd": "62c91a66c82ee26864d5e6c3f4bd6358de14d3aec69bc649db85da9f9a0792bc",
    "schemas/2.03/iati-common.xsd": "322692e4ea1f4434b154855f381eb4bd972aaa2e1349dfaf9578b775ad6c9c6b",
    "schemas/2.03/iati-organisations-schema.xsd": "c1fc48f53924e479db6fffa5584e2e4cc55f745c0269c519f44f9a03d77ce736",
    "schemas/2.03/xml.xsd": "61960fb3131e38022caad5360e2f33a3382578ab3c80cd58bd74320ede61b20c",
    "examples/activity-standard-example-annotated.xml": "032ed0909d8ef6f914205ac5229623f2e06dd6958cdf81e4e250968820134139",
    "examples/organisation-standard-example-annotated.xml": (
        "959199a9f319647ca7a46764999b78adb25f0721f0232a1df17041fc26a4cefa"
    ),
}


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _shared() -> Path | None:
    """shared/data/iati beside the checkout (or one of its parents), where this project's official material is."""
    for parent in Path(__file__).resolve().parents:
        candidate = parent / "shared" / "data" / "iati"
        if candidate.is_dir():
            return candidate
    return None


def test_the_shipped_schemas_and_examples_are_the_official_files() -> None:
    assert {name: _sha256(STANDARD / name) for name in OFFICIAL} == OFFICIAL
    shared = _shared()
    if shared is not None:  # in this project's workspace: the pins are those of the files IATI's material came in
        assert {name: _sha256(shared / Path(name).name) for name in OFFICIAL} == OFFICIAL


def test_the_official_examples_are_valid_against_the_official_schemas() -> None:
    for kind, example in (("activities", "activity"), ("organisations", "organisation")):
        tree = etree.parse(str(STANDARD / "examples" / f"{example}-standard-example-annotated.xml"))
        checker = schema("2.03", kind)
        assert checker.validate(tree), [f"{e.line}: {e.message}" for e in checker.error_log]
        broken = etree.fromstring(etree.tostring(tree))
        first = next(el for el in broken if isinstance(el.tag, str))  # the first activity or organisation
        first.insert(0, etree.Element("not-iati"))  # and the schema does refuse what is not IATI
        assert not checker.validate(broken)
