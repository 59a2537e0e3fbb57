"""mmm.limits: the text rules every write shares (length, control characters)."""

from __future__ import annotations

import pytest

from mmm.errors import TextRefused
from mmm.limits import NAME_CHARS, check_text, text_problem


@pytest.mark.parametrize("value", ["Stationsbuurt", "Église Saint-Jean", "x" * NAME_CHARS, ""])
def test_ordinary_names_pass(value: str) -> None:
    assert text_problem(value, limit=NAME_CHARS) is None
    assert check_text(value, "the name", limit=NAME_CHARS) == value


@pytest.mark.parametrize("char", ["\x00", "\x07", "\x1b", "\x7f", "\x85", "\n", "\t"])
def test_a_name_with_a_control_character_is_refused_with_its_code(char: str) -> None:
    with pytest.raises(
        TextRefused, match=rf"the name holds a control character \(U\+{ord(char):04X}\)"
    ):
        check_text(f"Station{char}buurt", "the name", limit=NAME_CHARS)


def test_a_description_may_hold_line_breaks_and_tabs_but_no_nul() -> None:
    assert check_text("line one\r\n\tline two", "the description", limit=2000, multiline=True)
    with pytest.raises(TextRefused, match="U\\+0000"):
        check_text("a\x00b", "the description", limit=2000, multiline=True)


def test_too_long_says_the_limit_and_the_length() -> None:
    with pytest.raises(TextRefused, match=r"the name is longer than 200 characters \(201\)"):
        check_text("x" * 201, "the name", limit=NAME_CHARS)
