"""Reading an uploaded IATI activities file safely, and refusing it clearly: not well-formed XML, not an IATI
activities file of a version we read (2.01, 2.02, 2.03), or not valid against that version's official schema.
Each refusal is a 422 problem with the parser's or the schema's own messages and their line numbers."""

from __future__ import annotations

from typing import Any

from lxml import etree

from projects_api.iati.standard import VERSIONS, hardened_parser, schema
from registry_kit.errors import FieldError, ValidationFailed, field_error

MAX_ERRORS = 50


class IatiFileRefused(ValidationFailed):
    """The file as a whole cannot be imported; nothing was read from it."""


def _errors(log: Any, code: str) -> list[FieldError]:
    """lxml's messages, with the line each is about (its error logs are iterable; the stubs do not say so)."""
    return [field_error(f"file:line {e.line}", e.message, code) for e in list(log)[:MAX_ERRORS]]


def read(content: bytes) -> tuple[etree._Element, str]:
    """The root element of a schema-valid activities file and its version."""
    if b"<!DOCTYPE" in content or b"<!ENTITY" in content:
        raise IatiFileRefused(
            "The file declares a DTD or entities, which are not accepted.",
            errors=[field_error("file", "DOCTYPE and ENTITY declarations are refused", "dtd")],
        )
    parser = hardened_parser()
    try:
        root = etree.fromstring(content, parser=parser)
    except etree.XMLSyntaxError as exc:
        errors = _errors(exc.error_log, "not_well_formed") or [field_error("file", str(exc), "not_well_formed")]
        raise IatiFileRefused(f"The file is not well-formed XML: {exc}", errors=errors) from exc
    if root.tag != "iati-activities":
        message = f"The root element is <{root.tag}>, not <iati-activities>: this is not an IATI activities file."
        raise IatiFileRefused(message, errors=[field_error(f"file:line {root.sourceline}", message, "not_iati")])
    version = root.get("version", "")
    if version not in VERSIONS:
        message = f"IATI version {version or '(none)'} is not one we read (2.01, 2.02, 2.03)."
        raise IatiFileRefused(message, errors=[field_error("file:line 1", message, "version")])
    checker = schema(version)
    if not checker.validate(root):
        errors = _errors(checker.error_log, "schema")
        raise IatiFileRefused(
            f"The file is not valid against the IATI {version} schema ({len(_errors(checker.error_log, 'schema'))} errors shown).",
            errors=errors,
        )
    return root, version
