"""The national numbers a child may carry, checked before they are recorded: the UPN and the NHS number.

A mistyped number would link a child to another child's school or health records, so each is checked by its
own check character when it is entered. The reasons given never repeat the number (it is personal data).

- Unique Pupil Number (DfE, "Unique Pupil Numbers (UPNs)", gov.uk/government/publications/unique-pupil-numbers;
  the UK Government Data Standards Catalogue's Unique Pupil Number 2.0; the Children in Need census's
  validation rule 1510, statutory-rules.md §9): 13 characters. A check letter; the local authority number
  (3 digits); the school's establishment number (4 digits); the last two digits of the year of allocation; a
  serial of 3 digits, or of 2 digits and a letter for a temporary UPN. The check letter is the sum of
  characters 2 to 13, each multiplied by its position (2 to 13), modulo 23, as a letter of A-Z without I, O
  and S (A = 0 ... Z = 22); a temporary UPN's last letter counts as its value in that same alphabet. The
  local authority number is not checked against the DfE's list here: the list changes, and the census
  checks it.
- NHS number (NHS Data Dictionary, "NHS Number"): 10 digits, the last a check digit. Multiply the first
  nine by 10 down to 2, sum, and take the remainder modulo 11 from 11; 11 means a check digit of 0, and 10
  means the number is not valid.
"""

from __future__ import annotations

import re

UPN_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"
"""The 23 letters of a check letter and of a temporary UPN's last character, in value order (no I, O or S)."""

_UPN_FORM = re.compile(rf"[{UPN_LETTERS}][0-9]{{11}}[0-9{UPN_LETTERS}]")
_NHS_FORM = re.compile(r"[0-9]{10}")


def upn_problem(upn: str) -> str | None:
    """Return why `upn` is not a Unique Pupil Number (without repeating it), or None when it is one."""
    if len(upn) != 13:
        return f"a UPN has 13 characters, not {len(upn)}"
    if _UPN_FORM.fullmatch(upn) is None:
        return (
            "a UPN is a capital check letter (not I, O or S), 11 digits, then a digit or, for a temporary UPN, "
            "a capital letter (not I, O or S)"
        )
    if upn_check_letter(upn[1:]) != upn[0]:
        return "the UPN's check letter does not match its other characters: it has been mistyped"
    return None


def upn_check_letter(rest: str) -> str:
    """Return the check letter of a UPN's characters 2 to 13 (DfE's modulo 23 check)."""
    total = sum(
        position * (int(character) if character.isdigit() else UPN_LETTERS.index(character))
        for position, character in enumerate(rest, start=2)
    )
    return UPN_LETTERS[total % 23]


def nhs_number_problem(number: str) -> str | None:
    """Return why `number` is not an NHS number (without repeating it), or None when it is one."""
    if _NHS_FORM.fullmatch(number) is None:
        return "an NHS number has 10 digits"
    if nhs_check_digit(number[:9]) != int(number[9]):
        return "the NHS number's check digit does not match its other digits: it has been mistyped"
    return None


def nhs_check_digit(first_nine: str) -> int | None:
    """Return the check digit of an NHS number's first nine digits (modulo 11), or None when none is valid."""
    remainder = sum(int(digit) * weight for digit, weight in zip(first_nine, range(10, 1, -1), strict=True)) % 11
    check = 11 - remainder
    if check == 11:
        return 0
    return None if check == 10 else check
