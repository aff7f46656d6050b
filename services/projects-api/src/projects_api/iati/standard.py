"""The IATI standard as shipped in this package: the official schemas (2.01, 2.02, 2.03), a few 2.03 codelists,
and the one hardened XML parser every uploaded file goes through.

Sources and licence: standard/SOURCE.md. The schemas are loaded from these files only (no network).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from lxml import etree

STANDARD = Path(__file__).with_name("standard")
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
VERSIONS = ("2.01", "2.02", "2.03")


@cache
def schema(version: str, kind: str = "activities") -> etree.XMLSchema:
    """The official schema of `version` for `activities` or `organisations`, parsed from the shipped files."""
    path = STANDARD / "schemas" / version / f"iati-{kind}-schema.xsd"
    return etree.XMLSchema(etree.parse(str(path), parser=_schema_parser()))


def _schema_parser() -> etree.XMLParser:
    # The schemas include each other by relative file name; nothing is fetched from the network.
    return etree.XMLParser(no_network=True, resolve_entities=False, load_dtd=False)


@cache
def codelist(name: str) -> frozenset[str]:
    """The codes of one shipped 2.03 codelist (standard/codelists/<name>.xml)."""
    tree = etree.parse(str(STANDARD / "codelists" / f"{name}.xml"), parser=_schema_parser())
    codes = tree.xpath("//codelist-item/code/text()")
    return frozenset(str(code).strip() for code in codes) if isinstance(codes, list) else frozenset()


def hardened_parser(*, huge: bool = False) -> etree.XMLParser:
    """For files users upload: no DTD loaded or validated, no entity expanded, nothing fetched from the network,
    lxml's limits on depth and text size kept (`huge_tree=False`); comments and processing instructions dropped."""
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=huge,
        remove_comments=True,
        remove_pis=True,
        collect_ids=False,
    )
