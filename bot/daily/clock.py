"""Times of day, IANA zones and due instants: when a channel's daily summary is due.

A channel posts at a local time of day in an IANA time zone, so 08:00 Europe/London is
08:00 GMT in winter and 08:00 BST in summer. Pure: nothing here reads a store or sleeps.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from rapidfuzz import process

from bot.errors import OnrecordError

DEFAULT_ZONE = "Europe/London"  # when a moderator names no time zone


class ScheduleError(OnrecordError):
    """A summary schedule could not be set: bad time of day or unknown time zone."""


_TIME = re.compile(r"^\s*(\d{1,2})(?:[:.h](\d{2}))?\s*(am|pm)?\s*$", re.IGNORECASE)


def parse_time_of_day(text: str) -> time:
    """Read "08:00", "8:30", "7pm" or "19.45" as a time of day."""
    m = _TIME.match(text or "")
    if not m:
        raise ScheduleError(f"{text!r} is not a time of day; use 24-hour HH:MM, for example 08:30.")
    hour, minute = int(m.group(1)), int(m.group(2) or 0)
    meridiem = (m.group(3) or "").lower()
    if meridiem:
        if not 1 <= hour <= 12:
            raise ScheduleError(f"{text!r} is not a time of day; with am/pm the hour is 1 to 12.")
        hour = hour % 12 + (12 if meridiem == "pm" else 0)
    if hour > 23 or minute > 59:
        raise ScheduleError(f"{text!r} is not a time of day; use 24-hour HH:MM, for example 08:30.")
    return time(hour, minute)


def parse_zone(name: str) -> ZoneInfo:
    """An IANA time zone by name ("Europe/London", any case), suggesting near names when unknown."""
    clean = (name or "").strip()
    if clean and ".." not in clean and not clean.startswith("/"):
        try:
            return ZoneInfo(clean)
        except (ZoneInfoNotFoundError, ValueError):
            pass
        # Zone files are found case-sensitively on most systems; people type "europe/paris".
        folded = [z for z in available_timezones() if z.casefold() == clean.casefold()]
        if len(folded) == 1:
            return ZoneInfo(folded[0])
    near = [m[0] for m in process.extract(clean, sorted(available_timezones()), limit=3)] if clean else []
    hint = f" Did you mean {', '.join(near)}?" if near else ""
    raise ScheduleError(f"{clean!r} is not an IANA time zone name such as Europe/London.{hint}")


def local_day(now: datetime, zone: ZoneInfo) -> date:
    """The calendar day it is in ``zone`` at the instant ``now``."""
    return now.astimezone(zone).date()


def post_instant(day: date, at: time, zone: ZoneInfo) -> datetime:
    """The UTC instant of ``at`` on local ``day``.

    On the day clocks go forward a time in the gap (01:30 in London) does not exist; it is
    read with the offset before the change, so it falls just after the gap (02:30 BST).
    On the day they go back a repeated time means its first occurrence.
    """
    return datetime.combine(day, at, tzinfo=zone).replace(fold=0).astimezone(UTC)


def due_today(now: datetime, at: time, zone: ZoneInfo) -> tuple[date, bool]:
    """Today's local day and whether its post time has come."""
    day = local_day(now, zone)
    return day, now >= post_instant(day, at, zone)


def first_day(set_at: datetime, at: time, zone: ZoneInfo) -> date:
    """The first local day a schedule set at ``set_at`` posts on.

    That is the day it was set if its time had not yet come, else the next day: 07:45 set
    at 11:09 starts tomorrow morning rather than posting at once. The catch-up of a bot
    that was down at post time is for days the channel was already scheduled.
    """
    day = local_day(set_at, zone)
    return day if post_instant(day, at, zone) >= set_at else day + timedelta(days=1)


def next_post(now: datetime, at: time, zone: ZoneInfo, *, done_today: bool) -> datetime:
    """The next instant a post is due: today's time if not yet done, else tomorrow's."""
    day, passed = due_today(now, at, zone)
    if not passed:
        return post_instant(day, at, zone)
    if not done_today:
        return now
    return post_instant(day + timedelta(days=1), at, zone)


def iso(moment: datetime) -> str:
    """A UTC ISO 8601 string (seconds), the form every stored time takes."""
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def iso_now() -> str:
    """The current UTC time as stored (honours a test's frozen clock)."""
    return iso(datetime.now(UTC))


@dataclass(frozen=True)
class ChannelSchedule:
    """A channel's daily summary setting, parsed."""

    platform: str
    channel_id: str
    at: time
    zone: ZoneInfo
    when_empty: Literal["skip", "note"]
    set_at: datetime
    set_by: str = ""  # who set it, as the adapter wrote it ("slack:U123"): told of refusals

    def due(self, now: datetime) -> tuple[date, bool]:
        """Today's local day and whether it has a post due by now (see ``first_day``)."""
        day, passed = due_today(now, self.at, self.zone)
        return day, passed and day >= first_day(self.set_at, self.at, self.zone)
