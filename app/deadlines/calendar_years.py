"""The years the working-day calendar covers; a deadline outside them is refused as
implausible. Shared by the calendar and the script that writes its bank holiday table."""

FIRST_YEAR = 2000
LAST_YEAR = 2076
