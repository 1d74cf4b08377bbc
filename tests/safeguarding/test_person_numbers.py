"""The UPN's check letter (DfE, modulo 23) and the NHS number's check digit (modulo 11), on known numbers."""

from __future__ import annotations

import pytest

from safeguarding.person_numbers import nhs_check_digit, nhs_number_problem, upn_check_letter, upn_problem


@pytest.mark.parametrize(
    "upn",
    [
        "B801200005001",  # python-stdnum's example of a valid UPN
        "P207000016049",  # sum 266, 266 mod 23 = 13 = P
        "M80120000500A",  # a temporary UPN: its last letter counts as its value (A = 0)
    ],
)
def test_a_upn_with_its_check_letter_is_accepted(upn: str) -> None:
    assert upn_problem(upn) is None


def test_the_check_letter_counts_each_character_by_its_position() -> None:
    # 8x2 + 1x4 + 2x5 + 5x10 + 1x13 = 93; 93 mod 23 = 1, the second letter.
    assert upn_check_letter("801200005001") == "B"
    # With T (16) last instead of 1: 80 + 16x13 = 288; 288 mod 23 = 12 = N.
    assert upn_check_letter("80120000500T") == "N"


@pytest.mark.parametrize(
    ("upn", "reason"),
    [
        ("A801200005001", "check letter does not match"),
        ("B801200005010", "check letter does not match"),  # two digits swapped
        ("B80120000500", "13 characters, not 12"),
        ("B8012000050011", "13 characters, not 14"),
        ("b801200005001", "a capital check letter"),
        ("I801200005001", "not I, O or S"),
        ("B80120000500I", "not I, O or S"),
        ("B8012000A5001", "11 digits"),
    ],
)
def test_a_upn_that_is_not_one_is_refused_without_repeating_it(upn: str, reason: str) -> None:
    problem = upn_problem(upn)

    assert problem is not None and reason in problem
    assert upn not in problem


@pytest.mark.parametrize("number", ["9434765919", "4010232137", "9999999999"])
def test_an_nhs_number_with_its_check_digit_is_accepted(number: str) -> None:
    assert nhs_number_problem(number) is None


def test_a_check_digit_of_eleven_is_zero_and_of_ten_means_no_valid_number() -> None:
    # Nine zeros sum to 0: 11 - 0 is 11, written 0.
    assert nhs_check_digit("000000000") == 0
    # 1x10 + 2x9 + 3x8 + 4x7 + 5x6 + 6x5 + 7x4 + 8x3 + 9x2 = 210; 210 mod 11 = 1; 11 - 1 = 10: none.
    assert nhs_check_digit("123456789") is None


@pytest.mark.parametrize(
    ("number", "reason"),
    [
        ("9434765918", "check digit does not match"),
        ("4934765919", "check digit does not match"),  # two digits swapped
        ("1234567890", "check digit does not match"),  # no check digit makes it valid
        ("943476591", "10 digits"),
        ("943476591X", "10 digits"),
    ],
)
def test_an_nhs_number_that_is_not_one_is_refused_without_repeating_it(number: str, reason: str) -> None:
    problem = nhs_number_problem(number)

    assert problem is not None and reason in problem
    assert number not in problem
