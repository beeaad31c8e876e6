"""Russian deadline rules: the same rules as English (README "Deadlines"), for Russian phrases.

Compiled regexes find the time phrase, as in English; dateparser turns its date part into a date
(it knows Russian month names in every case, numerals such as "двух" and "трёх", and periods
such as "в течение месяца") and relativedelta does the calendar arithmetic. Russian inflects,
so the patterns match stems with their endings; the phrase kept in `Deadline.text` is the text
as written ("после 22 июня", "На следующей неделе").
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from functools import lru_cache

import dateparser
from dateutil.relativedelta import relativedelta, weekday

from tracker.dates import (
    Rule,
    Rules,
    _compile,
    _end_of_period,
    _last_day,
    _nearest_year,
    _rule,
)

# Month names in any case: "июнь", "июня", "июне", "июню", "июнем"; index + 1 is the month.
MONTH_STEMS = ["январ", "феврал", "март", "апрел", "ма", "июн", "июл", "август", "сентябр",
               "октябр", "ноябр", "декабр"]  # fmt: skip
MONTH = (
    r"(?:(?:январ|феврал|апрел|июн|июл|сентябр|октябр|ноябр|декабр)(?:ь|я|е|ю|ем)"
    r"|(?:март|август)(?:а|е|у|ом)?|ма(?:й|я|е|ю|ем))"
)
WEEKDAY = r"(?:понедельник|вторник|сред[ау]|четверг|пятниц[ау]|суббот[ау]|воскресенье)"
YEAR = r"(?:19|20)\d{2}"
YEAR_WORD = r"(?:\s+(?:года|году|год|г\.))"  # "2026 года", "в 2026 году", "2026 г."
DAY_MONTH = rf"(?:\d{{1,2}}\s+{MONTH}(?:\s+{YEAR}{YEAR_WORD}?)?)"
NUMERIC_DATE = rf"(?:{YEAR}-\d{{2}}-\d{{2}}|\d{{1,2}}\.\d{{1,2}}\.{YEAR})"
# "до" is "until": the period's end, like English "until"; "после"/"с" (after, from) its start.
PREP = r"(?:не\s+позднее|не\s+ранее|вплоть\s+до|начиная\s+с|после|до|к|ко|с|со|на|по|в|во)"
FROM_PREPS = {"после", "с", "со", "начиная", "не ранее"}
NUMBER = r"(?:\d{1,3}|[а-яё]+)"  # "10", "двух": dateparser reads the numeral
UNIT = (
    r"(?:(?:рабочих|календарных)\s+)?"
    r"(?:час(?:а|ов)?|сут(?:ок|ки)|д(?:ень|ня|ней)|недел(?:я|и|ю|ь)|месяц(?:а|ев)?|год(?:а)?|лет)"
)
NEXT = r"(?:следующ|будущ|наступающ)[а-яё]*"
THIS = r"(?:эт(?:ой|у|ом|от|а)|текущ[а-яё]*|нынешн[а-яё]*)"
PERIOD_WORD = r"(?:недел[а-яё]*|месяц[а-яё]*|год[а-яё]*)"

FLAGS = re.IGNORECASE


def _month_number(word: str) -> int:
    word = word.lower()
    # "ма" is a prefix of no other month's stem, but "март" starts with it: try longest first
    return max((i for i, stem in enumerate(MONTH_STEMS) if word.startswith(stem)),
               key=lambda i: len(MONTH_STEMS[i])) + 1  # fmt: skip


def _prep(match: re.Match[str]) -> str:
    prep = match.groupdict().get("prep")
    return " ".join(prep.lower().split()[:2]) if prep else ""


def _is_from(match: re.Match[str]) -> bool:
    prep = _prep(match)
    return prep in FROM_PREPS or prep.split(" ")[0] in FROM_PREPS


@lru_cache(maxsize=8192)
def _parse(phrase: str, base: date | None = None) -> datetime | None:
    """dateparser's parse, remembered: the same phrases recur article after article, and parsing
    one costs far more than finding it. `base` is what relative phrases count from."""
    settings = {"RELATIVE_BASE": datetime(base.year, base.month, base.day)} if base else {}
    return dateparser.parse(phrase, languages=["ru"], settings=settings)


def _day_month(match: re.Match[str], published: date) -> date | None:
    phrase = match["when"]
    parsed = _parse(phrase.lower())
    if parsed is None:
        return None  # "31 февраля"
    if re.search(YEAR, phrase):
        return parsed.date()
    return _nearest_year(parsed.month, parsed.day, published)


def _numeric(match: re.Match[str], published: date) -> date | None:
    parsed = _parse(match["when"])
    return parsed.date() if parsed else None


def _month_year(match: re.Match[str], published: date) -> tuple[int, int]:
    month = _month_number(match["month"])
    year = match.groupdict().get("year")
    if year:
        return int(year), month
    return _nearest_year(month, 1, published.replace(day=1)).year, month


def _month_only(match: re.Match[str], published: date) -> date | None:
    """ "в ноябре" in a report: the nearest November, and not the publication's own month, which
    reports use for what has already happened ("импорт в октябре вырос" in late October)."""
    year, month = _month_year(match, published)
    if (year, month) == (published.year, published.month) and not match.groupdict().get("year"):
        return None
    return _in_month(match, year, month)


def _month_ahead(match: re.Match[str], published: date) -> date | None:
    """ "в декабре" in a commitment: the next December (this month included), however far: a
    plan for December made in February is for the coming one."""
    year, month = _month_year(match, published)
    if not match.groupdict().get("year"):
        year = published.year + (month < published.month)
    return _in_month(match, year, month)


def _in_month(match: re.Match[str], year: int, month: int) -> date:
    if (match.groupdict().get("qualifier") or "").lower().startswith("серед"):
        return date(year, month, 15)
    if _is_from(match):
        return date(year, month, 1)
    return _last_day(year, month)


def _end_of_month_named(match: re.Match[str], published: date) -> date | None:
    return _last_day(*_month_year(match, published))


def _year_only(match: re.Match[str], published: date) -> date | None:
    year = int(match["year"])
    return date(year, 1, 1) if _is_from(match) else date(year, 12, 31)


def _relative_period(match: re.Match[str], published: date) -> date | None:
    offset = 1 if match.groupdict().get("which") else 0
    period = {"н": "week", "м": "month", "г": "year"}[match["period"][0].lower()]
    return _end_of_period(period, published, offset)


def _within(match: re.Match[str], published: date) -> date | None:
    """ "в течение двух недель": publication + the period; working days count as days and hours
    round up to whole days, as in English."""
    phrase = re.sub(r"(?:рабочих|календарных)\s+", "", match.group(0).lower())
    phrase = re.sub(r"^(?:в\s+ближайшие|через)", "в течение", phrase)
    parsed = _parse(phrase, published)
    if parsed is None:
        return None
    rounded_up = parsed.time() != datetime.min.time()
    return parsed.date() + timedelta(days=1 if rounded_up else 0)


def _weekday(match: re.Match[str], published: date) -> date | None:
    parsed = _parse(match["day"].lower())
    if parsed is None:
        return None
    return published + relativedelta(days=+1, weekday=weekday(parsed.weekday())(+1))


def _day_word(match: re.Match[str], published: date) -> date | None:
    word = match["word"].lower()
    if word == "сегодня":
        return published
    return published + timedelta(days=2 if word == "послезавтра" else 1)


END_OF = r"(?:(?P<prep>до|к|в|на)\s+)?(?:конц[ауе]|концу)\s+"
PART_OF_DAY = r"(?:\s+(?:утром|днём|днем|вечером|ночью|(?:во|в)\s+(?:первой|второй)\s+половине\s+дня))?"

END_OF_MONTH = rf"{END_OF}(?P<month>{MONTH})(?:\s+(?P<year>{YEAR}){YEAR_WORD}?)?"
MONTH_PHRASE = (
    rf"(?P<prep>{PREP})\s+(?:(?P<qualifier>середин[аеуы]|конц[ауе]|концу)\s+)?"
    rf"(?P<month>{MONTH})(?:\s+(?P<year>{YEAR}){YEAR_WORD}?)?(?!\s*\d)"
)

ANY = "*"  # Russian rules are few and claims short: every rule is tried once the gate lets a claim by

# Earlier rules win on overlapping spans.
RULES: list[Rule] = [
    # As "в декабре": in a commitment the coming December, in a report the nearest.
    _rule(END_OF_MONTH, _month_ahead, ANY, commitments_only=True),
    _rule(END_OF_MONTH, _end_of_month_named, ANY),
    _rule(rf"{END_OF}(?P<year>{YEAR}){YEAR_WORD}?", _year_only, ANY),
    _rule(rf"{END_OF}(?:{THIS}\s+|(?P<which>{NEXT})\s+)?(?P<period>{PERIOD_WORD})", _relative_period, ANY),
    _rule(rf"(?:(?P<prep>на|в|во|до|к)\s+)?(?P<which>{NEXT})\s+(?P<period>{PERIOD_WORD})",
          _relative_period, ANY),
    # "в этом году" yields to any other date ("в этом году, как обычно, в декабре" is December),
    # and reports use it for the past, as English "this year".
    _rule(rf"(?:(?P<prep>на|в|во|до|к)\s+)?{THIS}\s+(?P<period>{PERIOD_WORD})", _relative_period, ANY,
          commitments_only=True, weak=True),
    _rule(rf"(?:(?P<prep>{PREP})\s+)?(?P<when>{NUMERIC_DATE})", _numeric, ANY),
    _rule(rf"(?:(?P<prep>{PREP})\s+)?(?P<when>{DAY_MONTH})", _day_month, ANY),
    # The commitment version first: where it matches, the report version's span is taken.
    _rule(MONTH_PHRASE, _month_ahead, ANY, commitments_only=True),
    _rule(MONTH_PHRASE, _month_only, ANY),
    _rule(rf"(?P<prep>{PREP})\s+(?:течение\s+)?(?P<year>{YEAR}){YEAR_WORD}", _year_only, ANY),
    _rule(rf"(?:(?:в\s+течение|через)\s+(?:(?P<number>{NUMBER})\s+)?|в\s+ближайшие\s+(?P<count>\d{{1,3}})\s+)"
          rf"(?P<unit>{UNIT})", _within, ANY),
    _rule(rf"(?:(?P<prep>в|во|до|к|ко|на|с|со)\s+)?(?:{NEXT}\s+)?(?P<day>{WEEKDAY})", _weekday, ANY,
          commitments_only=True),
    _rule(rf"(?P<word>послезавтра|завтра|сегодня){PART_OF_DAY}", _day_word, ANY, commitments_only=True),
]

PAST = (
    rf"(?:(?:на|в|во)\s+)?(?:прошл|минувш|предыдущ)[а-яё]*\s+(?:{PERIOD_WORD}|{WEEKDAY}|{MONTH})"
    r"|позавчера|вчера|\d+\s+[а-яё]+\s+назад|[а-яё]+\s+(?:назад|тому\s+назад)"
    r"|ранее\s+(?:на\s+)?(?:эт(?:ой|ом)|текущ[а-яё]*)\s+(?:недел[а-яё]*|месяц[а-яё]*|году)"
)
# A stretch, not a day: no date, but the phrase is kept, and no rule may read one out of it.
PERIOD = (
    rf"(?:в|во|к|до)\s+(?:перв|втор)[а-яё]*\s+(?:половин|квартал)[а-яё]*\s+"
    rf"(?:(?:{NEXT}|{THIS})\s+)?(?:года|{YEAR}{YEAR_WORD}?)"
    rf"|(?:в|во|к|до)\s+(?:треть|четв[её]рт)[а-яё]*\s+квартал[а-яё]*\s+(?:(?:{NEXT}|{THIS})\s+)?(?:года|{YEAR}{YEAR_WORD}?)"
    rf"|(?:в|к|до)\s+(?:начал[аеу]|середин[аеуы])\s+(?:(?:{NEXT}|{THIS})\s+)?{PERIOD_WORD}"
    rf"|(?:в|к|до)\s+начал[аеу]\s+{MONTH}(?:\s+{YEAR}{YEAR_WORD}?)?"
    r"|(?:(?:этой|следующей|будущей)\s+)?(?:весной|летом|осенью|зимой)"
)
VAGUE = (
    r"(?:в\s+(?:самое\s+)?ближайшее\s+время|в\s+скором\s+времени|в\s+ближайш(?:ие|ем)\s+"
    r"(?:дни|недели|месяцы|годы|будущем)|в\s+кратчайшие\s+сроки|в\s+установленн(?:ый|ые)\s+сроки?"
    r"|как\s+можно\s+скорее|незамедлительно|немедленно|безотлагательно|в\s+дальнейшем|вскоре|скоро)"
)

# Every rule needs one of these; most claims have none, and skip the rules entirely.
GATE_RE = re.compile(
    rf"\d|{MONTH}|{WEEKDAY}|недел|месяц|год|\bдн[яеи]|\bдней|\bчас|сут|завтра|сегодня|ближайш|скор"
    r"|срок|немедлен|незамедл|безотлаг|дальнейш|вчера|назад|весной|летом|осенью|зимой|квартал"
    r"|половин|середин|начал|конц",
    FLAGS,
)


def _features(text: str) -> set[str]:
    return {ANY}


RUSSIAN = Rules(
    GATE_RE, _features, _compile(PAST), frozenset(ANY), _compile(PERIOD), frozenset(ANY),
    _compile(VAGUE), RULES,
)  # fmt: skip
