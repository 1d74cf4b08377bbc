"""Inputs and results of the service's own scheduled work: the daily digest and the calendar refresh."""

from __future__ import annotations

from datetime import date

from safeguarding.models import Frozen


class CalendarRequest(Frozen):
    """Ask for the current calendar of England and Wales as seen on `today`, with the profile's closures."""

    today: date


class CalendarDistribution(Frozen):
    """How many running processes were offered a newer calendar, and how many took it."""

    offered: int
    taken: int
