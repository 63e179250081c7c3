"""The cover draws every letter of a title, whatever its language."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from coach.render.tags import cover_font, make_cover

TITLES = [
    "Ganzkörper – Übung",
    "Renforcement du dos, étirements",
    "Ćwiczenia na pośladki",
    "Cvičení břicha a zádového svalstva",
    "Kalça çalışması, ağırlıksız",
    "Разминка для всего тела",
    "Ασκήσεις για την πλάτη",
]
NOT_A_CHARACTER = "\uffff"  # drawn as the font's missing-glyph box


def _glyph(font: object, text: str) -> tuple[tuple[int, int], bytes]:
    mask = font.getmask(text)  # type: ignore[attr-defined]
    return mask.size, bytes(mask)


@pytest.mark.parametrize("title", TITLES)
def test_the_cover_font_has_a_glyph_for_every_letter(title: str) -> None:
    font = cover_font(48)
    box = _glyph(font, NOT_A_CHARACTER)
    missing = [ch for ch in set(title) if not ch.isspace() and _glyph(font, ch) == box]
    assert missing == []


def _text_pixels(png: bytes) -> np.ndarray:
    """Where the title is: the pure-white pixels (the background is dark, the footer grey)."""
    pixels = np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(int)
    white: np.ndarray = np.all(pixels > 245, axis=2)
    return white


@pytest.mark.parametrize("letters", ["Ü", "öäß", "Жж", "Ωλ", "–"])
def test_the_cover_draws_letters_not_boxes(letters: str) -> None:
    drawn = _text_pixels(make_cover(letters))
    boxes = _text_pixels(make_cover(NOT_A_CHARACTER * len(letters)))
    assert drawn.any() and boxes.any()
    assert not np.array_equal(drawn, boxes)


def test_a_title_without_any_text_still_makes_a_cover() -> None:
    image = Image.open(io.BytesIO(make_cover("")))
    assert image.size == (600, 600)
