"""Filling in the console's start-work forms in the browser, by their inputs' ids (a form's names repeat: the child's
given name and each family member's)."""

from __future__ import annotations

from datetime import date, datetime

from playwright.async_api import Page

from safeguarding.working_days import LONDON


async def fill_date(page: Page, name: str, day: date) -> None:
    """Fill in the GOV.UK date input `name`."""
    await page.locator(f"#{name}-day").fill(str(day.day))
    await page.locator(f"#{name}-month").fill(str(day.month))
    await page.locator(f"#{name}-year").fill(str(day.year))


async def fill_moment(page: Page, name: str, moment: datetime) -> None:
    """Fill in the date input `name` and its time, in UK time."""
    local = moment.astimezone(LONDON)
    await fill_date(page, name, local.date())
    await page.locator(f"#{name}-time").fill(local.strftime("%H:%M"))


async def choose(page: Page, name: str, value: str) -> None:
    """Choose the radio `value` of the group `name`."""
    await page.locator(f"input[name='{name}'][value='{value}']").check()


async def fill_child(page: Page, under: str, given: str, family: str, born: date) -> None:
    """Fill in a child's details on a registration form whose inputs are `under` a prefix (`registration-`)."""
    child = f"{under}child-"
    await page.locator(f"#{child}given_name").fill(given)
    await page.locator(f"#{child}family_name").fill(family)
    await fill_date(page, f"{child}date_of_birth", born)
    await choose(page, f"{child}sex", "F")
    await choose(page, f"{child}ethnicity", "NOBT")
    await page.locator(f"#{child}address").fill("1 Nowhere Lane, Exampletown (fictional)")


async def fill_parent(page: Page, under: str, given: str, family: str) -> None:
    """Fill in the first family member: a mother holding parental responsibility."""
    member = f"{under}family-0-"
    await page.locator(f"#{member}person-given_name").fill(given)
    await page.locator(f"#{member}person-family_name").fill(family)
    await page.locator(f"#{member}relationship").fill("mother")
    await choose(page, f"{member}parental_responsibility", "true")


async def fill_contact(page: Page, received_at: datetime, summary: str) -> None:
    """Fill in what a contact says."""
    await fill_moment(page, "received_at", received_at)
    await page.locator("#source").fill("school")
    await page.locator("#summary").fill(summary)
