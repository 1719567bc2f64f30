"""The English names of the months and the days, written once for every place that
spells a date out: strftime's %A and %B follow the process locale, which Qt sets from
the environment, and the app's language is en-GB whatever the machine says."""

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
# "Mon 03/12", "Sep": the three-letter forms are the names' first three letters.
SHORT_MONTHS = tuple(name[:3] for name in MONTHS)
SHORT_WEEKDAYS = tuple(name[:3] for name in WEEKDAYS)
