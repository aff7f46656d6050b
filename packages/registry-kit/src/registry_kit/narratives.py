"""Texts in several languages (IATI's narratives): one rule for both services.

A record keeps its text in its default language in the plain column existing clients read (`title`), and every
language it has, the default included, in a map `{ISO 639-1 code: text}` beside it (`titles`). `resolve` keeps the
two in agreement whatever a client sends: the plain field, the map, or both.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Annotated, Any

from pydantic import Field, StringConstraints

from registry_kit.errors import invalid

# ISO 639-1 (the codes pycountry and IATI's Language codelist agree on), so any language can be held.
LANGUAGES: frozenset[str] = frozenset(
    "aa ab ae af ak am an ar as av ay az ba be bg bi bm bn bo br bs ca ce ch co cr cs cu cv cy da de dv dz ee el en eo "
    "es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz ia id ie ig ii ik io is it iu ja jv ka "
    "kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng "
    "nl nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg sh si sk sl sm sn so sq sr ss st "
    "su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu".split()
)
DEFAULT_LANGUAGE = "en"
MAX_LANGUAGES = 40

LanguageCode = Annotated[str, StringConstraints(pattern=r"^[a-z]{2}$")]


_SHORT = Annotated[str, StringConstraints(min_length=1, max_length=1000)]
_LONG = Annotated[str, StringConstraints(min_length=1, max_length=20000)]
_EXAMPLE = {"en": "Border management", "ru": "Управление границами", "cs": "Správa hranic"}

# `{language: text}`: titles and names (short) and descriptions and definitions (long), in every language held.
ShortNarratives = Annotated[dict[LanguageCode, _SHORT], Field(max_length=MAX_LANGUAGES, examples=[_EXAMPLE])]
LongNarratives = Annotated[dict[LanguageCode, _LONG], Field(max_length=MAX_LANGUAGES, examples=[_EXAMPLE])]


def check_language(code: str, field: str) -> str:
    if code not in LANGUAGES:
        raise invalid(field, f"{code!r} is not an ISO 639-1 language code", "language")
    return code


def check_languages(narratives: Mapping[str, str], field: str) -> None:
    for code in narratives:
        check_language(code, f"{field}.{code}")


def resolve(
    text: str | None, narratives: Mapping[str, str] | None, language: str, field: str, *, required: bool
) -> tuple[str | None, dict[str, str]]:
    """The plain text and the map after a write: the map's default-language entry and the plain text must agree
    when both are sent; either fills the other. Empty texts are dropped from the map."""
    merged = {lang: value for lang, value in (narratives or {}).items() if value and value.strip()}
    check_languages(merged, f"body.{field}s")
    if text is not None and language in merged and merged[language] != text:
        raise invalid(
            f"body.{field}", f"{field} and {field}s[{language!r}] (the default language) differ; send one of them"
        )
    if text is not None:
        merged[language] = text
    plain = merged.get(language)
    if plain is None and merged and required:
        raise invalid(f"body.{field}s", f"the map has no text in the default language {language!r}", "language")
    if plain is None and required:
        raise invalid(f"body.{field}", f"{field} is required", "required")
    return plain, dict(sorted(merged.items(), key=lambda item: (item[0] != language, item[0])))


def pick(narratives: Mapping[str, str], preferred: Iterable[str]) -> str | None:
    """The text in the first preferred language held, else any."""
    for lang in preferred:
        if lang in narratives:
            return narratives[lang]
    return next(iter(narratives.values()), None)


def update(
    *,
    field: str,
    language: str,
    sent: set[str],
    text: str | None,
    narratives: Mapping[str, str] | None,
    current_text: str | None,
    current: Mapping[str, str],
    required: bool,
) -> tuple[str | None, dict[str, str]]:
    """`resolve` for a partial update of `field` (and its map `field + "s"`, names in `sent`): a plain text sent
    alone replaces the default-language entry; a map sent replaces the whole map; neither keeps both."""
    if field + "s" in sent:
        return resolve(text if field in sent else None, narratives, language, field, required=required)
    base = dict(current)
    if field in sent:
        base.pop(language, None)
        return resolve(text, base, language, field, required=required)
    return resolve(None if language in base else current_text, base, language, field, required=required)


def default_map(plain: str) -> Callable[[Any], dict[str, str]]:
    """An insert default for a map column: the row's plain text in its language, so rows written without the map
    (demo loaders, bulk code) still hold their text in it."""

    def build(context: Any) -> dict[str, str]:
        params = context.get_current_parameters()
        text = params.get(plain)
        return {str(params.get("language") or DEFAULT_LANGUAGE): text} if text else {}

    return build
