"""Texts in several languages: the plain default-language field and the map always agree, whatever is sent."""

from __future__ import annotations

import pytest

from registry_kit.errors import ValidationFailed
from registry_kit.narratives import pick, resolve, update


def test_the_plain_text_fills_the_map_and_the_map_fills_the_plain_text() -> None:
    assert resolve("Border posts", None, "en", "title", required=True) == ("Border posts", {"en": "Border posts"})
    plain, held = resolve(None, {"ru": "Посты", "en": "Border posts"}, "en", "title", required=True)
    assert plain == "Border posts"
    assert list(held) == ["en", "ru"]  # the default language first


@pytest.mark.parametrize(
    ("text", "narratives", "field"),
    [
        ("Other", {"en": "Border posts"}, "body.title"),  # both sent and they differ
        (None, {"ru": "Посты"}, "body.titles"),  # a required text missing in the default language
        (None, None, "body.title"),
        ("x", {"xx": "?"}, "body.titles.xx"),  # not an ISO 639-1 code
    ],
)
def test_disagreement_and_gaps_are_named(text: str | None, narratives: dict[str, str] | None, field: str) -> None:
    with pytest.raises(ValidationFailed) as caught:
        resolve(text, narratives, "en", "title", required=True)
    assert caught.value.errors is not None
    assert caught.value.errors[0].field == field


def test_an_update_of_the_plain_text_alone_keeps_the_other_languages() -> None:
    current = {"en": "Old", "ru": "Старый"}
    got = update(
        field="title",
        language="en",
        sent={"title"},
        text="New",
        narratives=None,
        current_text="Old",
        current=current,
        required=True,
    )
    assert got == ("New", {"en": "New", "ru": "Старый"})
    replaced = update(
        field="title",
        language="en",
        sent={"titles"},
        text=None,
        narratives={"en": "A", "cs": "B"},
        current_text="Old",
        current=current,
        required=True,
    )
    assert replaced == ("A", {"en": "A", "cs": "B"})
    untouched = update(
        field="description",
        language="en",
        sent=set(),
        text=None,
        narratives=None,
        current_text=None,
        current={"ru": "Только"},
        required=False,
    )
    assert untouched == (None, {"ru": "Только"})


def test_pick_prefers_the_reader_then_anything() -> None:
    assert pick({"en": "A", "ru": "Б"}, ["ru", "en"]) == "Б"
    assert pick({"fr": "C"}, ["ru", "en"]) == "C"
