"""The one source of "now" and "today", replaceable in tests."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo


class Clock:
    """Timestamps are UTC; "today" is the business day in the configured zone (APP_TIMEZONE)."""

    def __init__(self, zone: ZoneInfo) -> None:
        self.zone = zone

    def now(self) -> datetime:
        return datetime.now(UTC)

    def today(self) -> date:
        return self.now().astimezone(self.zone).date()
