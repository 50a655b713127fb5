"""One way to show time: every date and time on a page, in the reader's language and time zone, the zone named.

Templates use three filters and one helper (registered by `configure`):

    {{ value|date }}                     6 Dec 2026          (Babel's "medium" date of the language)
    {{ value|datetime }}                 6 Dec 2026, 14:30 (Kyiv time)
    {{ value|time }}                     14:30 (Kyiv time)
    {{ time_span(start, end, zone) }}    6 Dec 2026, 18:00–20:00 (Kyiv time)

Moments are stored in UTC and shown in the viewer's zone: the one chosen on their account page; else,
for a time that belongs to an event or a course session, that event's own zone (`zone=`); else the
platform's `HROMADA_TIMEZONE`. Flask-Babel's own `dateformat`/`datetimeformat`/`timeformat` filters are
taken away so that no page shows time a second way.

Zone names come from Babel (CLDR): "Kyiv time", "час: Київ"; the select lists offer the zones Babel knows,
by continent and by city in the reader's language, their values IANA names.
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo, available_timezones

from babel import Locale
from babel.core import get_global
from babel.dates import format_date, format_time, get_timezone_location
from flask import Flask, current_app, has_request_context
from flask_babel import get_locale, gettext
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError

from hromada.clock import as_utc
from hromada.fields import SelectField
from hromada.i18n import LazyText
from hromada.i18n import lazy_gettext as _l

UTC = "UTC"
UNKNOWN_ZONE = _l("Choose a time zone from the list.")
# CLDR's continents (UN M.49 codes), named in each language by Babel: the groups of the zone lists.
CONTINENTS = {"Europe": "150", "Asia": "142", "Africa": "002", "America": "019", "Atlantic": "150",
              "Australia": "009", "Pacific": "009", "Indian": "142", "Antarctica": "AQ", "Arctic": "150"}
# The islands of the Atlantic and Indian oceans whose continent is not the one their prefix suggests.
ISLANDS = {"BM": "019", "FK": "019", "GS": "019", "CV": "002", "SH": "002", "MG": "002", "KM": "002",
           "YT": "002", "MU": "002", "RE": "002", "SC": "002"}
# Europe first: where the programmes' communities and staff are.
CONTINENT_ORDER = ("150", "142", "002", "019", "009", "AQ")


@lru_cache(maxsize=1)
def known_zones() -> frozenset[str]:
    """The IANA names offered and accepted: the zones CLDR names (one per place, no aliases) that this
    system's time-zone database has, and UTC."""
    names = {zone for zone in get_global("zone_territories") if "/" in zone and not zone.startswith("Etc/")}
    return frozenset((names & available_timezones()) | {UTC})


def is_known_zone(zone: object) -> bool:
    return isinstance(zone, str) and zone in known_zones()


def _locale() -> Locale:
    if not has_request_context():  # a job or a command: the platform's default language
        return Locale.parse(current_app.config.get("BABEL_DEFAULT_LOCALE", "en"))
    return get_locale() or Locale.parse("en")


def chosen_zone() -> str | None:
    """The zone the signed-in person chose on their account page, if any."""
    if not has_request_context():
        return None
    from flask_login import current_user

    zone = getattr(current_user, "timezone", None) if current_user and current_user.is_authenticated else None
    return zone if is_known_zone(zone) else None


def platform_zone() -> str:
    zone = current_app.config.get("HROMADA_TIMEZONE", "Europe/Kyiv")
    return zone if is_known_zone(zone) else UTC


def viewer_zone(fallback: str | None = None) -> str:
    """The zone times are shown in: the viewer's choice, else `fallback` (an event's own zone), else the platform's."""
    return chosen_zone() or (fallback if is_known_zone(fallback) else None) or platform_zone()


def select_timezone() -> str:
    """Flask-Babel's time-zone selector: the viewer's zone."""
    return viewer_zone()


def zone_key() -> str:
    """What a cached page's key says of the zone: a chosen zone and the default show events differently."""
    return chosen_zone() or f"default:{platform_zone()}"


def city_name(zone: str, locale: Locale | None = None) -> str:
    if zone == UTC:
        return UTC
    return get_timezone_location(zone, locale=locale or _locale(), return_city=True)


def zone_label(zone: str) -> str:
    """"Kyiv time", in the reader's language."""
    if zone == UTC:
        return UTC
    return gettext("%(city)s time", city=city_name(zone))


def _local(moment: datetime, zone: str) -> datetime:
    return as_utc(moment).astimezone(ZoneInfo(zone))


def format_day(value: date | datetime | str | None, width: str = "medium", zone: str | None = None) -> str:
    """A day ("6 Dec 2026"); for a moment, its day in the viewer's zone. `width`: medium, or long in headings."""
    if value is None or value == "":
        return "—"
    if isinstance(value, str):  # a day kept as text in a frozen version or a JSON column
        try:
            value = date.fromisoformat(value[:10])
        except ValueError:
            return value
    if isinstance(value, datetime):
        value = _local(value, viewer_zone(zone)).date()
    return format_date(value, "long" if width == "long" else "medium", locale=_locale())


def day_formatter(width: str = "medium"):
    """`format_day` for many moments of one page: the viewer's zone and language looked up once."""
    zone, locale = ZoneInfo(viewer_zone()), _locale()
    style = "long" if width == "long" else "medium"
    days: dict[date, str] = {}

    def formatted(value: date | datetime | None) -> str:
        if value is None or value == "":
            return "—"
        if isinstance(value, str):
            return format_day(value, width)
        day = as_utc(value).astimezone(zone).date() if isinstance(value, datetime) else value
        if day not in days:
            days[day] = format_date(day, style, locale=locale)
        return days[day]

    return formatted


def _join(day: str, clock: str) -> str:
    # The language's own way of putting a date and a time together ("{1}, {0}" in all four).
    return _locale().datetime_formats["medium"].format(clock, day)


def format_moment(value: datetime | None, zone: str | None = None) -> str:
    """"6 Dec 2026, 14:30 (Kyiv time)": a moment in the viewer's zone, named."""
    if value is None:
        return "—"
    shown = viewer_zone(zone)
    local = _local(value, shown)
    locale = _locale()
    return f"{_join(format_date(local, 'medium', locale=locale), format_time(local, 'short', locale=locale))} " \
           f"({zone_label(shown)})"


def format_clock(value: datetime | None, zone: str | None = None) -> str:
    """"14:30 (Kyiv time)"."""
    if value is None:
        return "—"
    shown = viewer_zone(zone)
    return f"{format_time(_local(value, shown), 'short', locale=_locale())} ({zone_label(shown)})"


def format_span(starts: datetime, ends: datetime, zone: str | None = None) -> str:
    """"6 Dec 2026, 18:00–20:00 (Kyiv time)"; both days when it ends on another day."""
    shown = viewer_zone(zone)
    start, end = _local(starts, shown), _local(ends, shown)
    locale = _locale()
    first = _join(format_date(start, "medium", locale=locale), format_time(start, "short", locale=locale))
    if end.date() == start.date():
        text = f"{first}–{format_time(end, 'short', locale=locale)}"
    else:
        text = f"{first} – {_join(format_date(end, 'medium', locale=locale), format_time(end, 'short', locale=locale))}"
    return f"{text} ({zone_label(shown)})"


# Values put into a stored notification's params, formatted when the notification is read.
def moment_param(value: datetime, zone: str | None = None) -> dict:
    return {"moment": as_utc(value).isoformat(), **({"zone": zone} if zone else {})}


def day_param(value: date) -> dict:
    return {"day": value.isoformat()}


def format_param(value):
    """A notification's parameter as the reader reads it: a moment or a day stored by the functions above."""
    if isinstance(value, dict):
        try:
            if "moment" in value:
                return format_moment(datetime.fromisoformat(value["moment"]), value.get("zone"))
            if "day" in value:
                return format_day(date.fromisoformat(value["day"]))
        except (TypeError, ValueError):
            return "—"
    return value


# Alphabetical order of the Cyrillic languages (code points put і, ї, є, ґ, ў after я). Python has no
# collation of its own and PyICU would be a compiled dependency for one list.
ALPHABETS = {
    "uk": "абвгґдеєжзиіїйклмнопрстуфхцчшщьюя",
    "ru": "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
    "be": "абвгдеёжзійклмнопрстуўфхцчшыьэюя",
}


def _sort_key(label: str, language: str) -> tuple:
    alphabet = ALPHABETS.get(language, "")
    return tuple(alphabet.index(char) if char in alphabet else 100 + ord(char) for char in label.casefold())


@lru_cache(maxsize=16)
def _zone_groups(locale_code: str) -> tuple:
    locale = Locale.parse(locale_code)
    groups: dict[str, list] = {}
    for zone in known_zones() - {UTC}:
        country_code = get_global("zone_territories").get(zone, "")
        territory = ISLANDS.get(country_code) or CONTINENTS.get(zone.split("/", 1)[0], "001")
        country = locale.territories.get(country_code, "")
        city = city_name(zone, locale)
        label = f"{city} ({country})" if country and country.casefold() != city.casefold() else city
        groups.setdefault(territory, []).append((_sort_key(label, locale.language), zone, label))
    ordered = sorted(groups, key=lambda code: CONTINENT_ORDER.index(code) if code in CONTINENT_ORDER else 99)
    return tuple(
        (locale.territories.get(code, code), tuple((zone, label) for _key, zone, label in sorted(groups[code])))
        for code in ordered
    )


def zone_choices(blank: bool = False) -> dict:
    """The zones for a select, in the reader's language: UTC, then by continent, each by city.

    `blank`: first, "not chosen" (an event's own zone, else the platform's)."""
    first = [SelectChoice(UTC, "UTC")]
    if blank:
        first.insert(0, SelectChoice("", gettext("Not chosen: each event in its own zone, everything else in the "
                                                 "zone of %(city)s", city=city_name(platform_zone()))))
    choices: dict = {None: first}
    for continent, zones in _zone_groups(str(_locale())):
        choices[continent] = [SelectChoice(zone, label) for zone, label in zones]
    return choices


def configure(app: Flask) -> None:
    for name in ("dateformat", "datetimeformat", "timeformat"):
        app.jinja_env.filters.pop(name, None)
    app.jinja_env.filters.update(date=format_day, datetime=format_moment, time=format_clock)
    app.jinja_env.globals.update(time_span=format_span, zone_label=zone_label, viewer_zone=viewer_zone)


class TimezoneField(SelectField):
    """A time zone from the list, its options named in the reader's language; its value an IANA name."""

    def __init__(self, label=None, validators=None, allow_blank: bool = False, **kwargs):
        kwargs.setdefault("choices", lambda: zone_choices(blank=allow_blank))
        super().__init__(label, validators, **kwargs)
        self.allow_blank = allow_blank

    def process_data(self, value):
        self.data = value or ("" if self.allow_blank else None)

    def process_formdata(self, valuelist):
        value = valuelist[0].strip() if valuelist and isinstance(valuelist[0], str) else ""
        self.data = value or ("" if self.allow_blank else None)

    def pre_validate(self, form):
        if self.allow_blank and self.data == "":
            return
        if not is_known_zone(self.data):
            raise ValidationError(UNKNOWN_ZONE)


# Times typed into forms (<input type="datetime-local">) are wall-clock times of the viewer's zone.
def from_local_input(value: datetime, zone: str | None = None) -> datetime:
    """A time as typed in a form, read in the viewer's zone (or `zone`), as an aware UTC moment."""
    return value.replace(tzinfo=ZoneInfo(zone or viewer_zone())).astimezone(timezone.utc)


def to_local_input(moment: datetime, zone: str | None = None) -> datetime:
    """A stored moment as a form shows it: the viewer's wall-clock time, without a zone."""
    return _local(moment, zone or viewer_zone()).replace(tzinfo=None)


def zone_hint() -> LazyText:
    """A form field's description saying which zone its time is read in."""
    return LazyText(lambda: gettext("Time zone: %(city)s (set on your account page).", city=city_name(viewer_zone())))
