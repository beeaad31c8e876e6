"""Find a claim's follow-up deadline: a stated date, normalised against the article's date.

Cheap compiled regexes find candidate time phrases; python-dateutil turns the matched phrase into
a date (it knows month names and day/month orders) and relativedelta does the calendar arithmetic.
Rules (see README "Deadlines"):

- "on/scheduled for/by/before/after X" -> X; a month-day without a year takes the year nearest
  to publication, so "January 10" in a December article is next January.
- "within N days/weeks/months", "in N days" -> publication date + N.
- "next week" -> Sunday of next week; "this week"/"end of the week" -> Sunday of this week;
  "end of the month/year", "by July", "by 2026" -> the period's last day.
- weekdays, "today" and "tomorrow" only count in commitments (reports use them for the past).
- a resolved date before publication is never a deadline ("agreements reached on June 2").
- vague phrases ("soon", "in the coming days") keep the phrase but give no date.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

from dateutil import parser as date_parser
from dateutil.relativedelta import SU, relativedelta, weekday


@dataclass(frozen=True)
class Deadline:
    date: date | None
    text: str


@dataclass(frozen=True)
class _Candidate:
    start: int
    end: int
    date: date | None
    text: str
    past: bool = False
    weak: bool = False  # a whole year ("в этом году"): any other stated date is more precise


def _alternation(words: list[str]) -> str:
    return "|".join(sorted((re.escape(w) for w in words if w), key=len, reverse=True))


# Month and day names are matched case-sensitively: "may" is a modal verb, "May" a month.
MONTH = (
    rf"(?-i:(?:{_alternation(list(calendar.month_name))})"
    rf"|(?:{_alternation(list(calendar.month_abbr) + ['Sept'])})\.?)(?![a-z])"
)
WEEKDAY = rf"(?-i:{_alternation(list(calendar.day_name))})"
ORDINAL = r"(?:st|nd|rd|th)?"
YEAR = r"(?:19|20)\d{2}"
DAY_MONTH = (
    rf"(?:{MONTH}\s+\d{{1,2}}{ORDINAL}(?:,?\s+{YEAR})?(?![\d:])"
    rf"|\d{{1,2}}{ORDINAL}\s+(?:of\s+)?{MONTH}(?:,?\s+{YEAR})?)"
)
NUMERIC_DATE = rf"(?:{YEAR}-\d{{2}}-\d{{2}}|\d{{1,2}}\.\d{{1,2}}\.{YEAR})"
PREP = (
    r"(?:(?:no|not)\s+later\s+than|(?:scheduled|set|slated|planned|due|expected)\s+(?:for|on|by)"
    r"|as\s+of|starting(?:\s+(?:on|from))?|on|by|before|after|until|till|from|in|during"
    r"|for|through|prior\s+to)"
)
NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "fourteen": 14, "fifteen": 15, "twenty": 20, "thirty": 30, "a couple of": 2,
}  # fmt: skip
NUMBER = rf"(?:\d{{1,3}}|{_alternation(list(NUMBER_WORDS))})"
UNIT = r"(?:(?:working|business|calendar)\s+)?(?:hour|day|week|fortnight|month|year)s?"
VAGUE = (
    r"(?:in\s+the\s+(?:coming|next\s+few|next\s+several|near)\s+(?:days|weeks|months|future)"
    r"|in\s+the\s+near\s+term|within\s+(?:a\s+few|several|the\s+next\s+few)\s+(?:days|weeks|months)"
    r"|as\s+soon\s+as\s+possible|without\s+delay|in\s+due\s+course|at\s+a\s+later\s+date"
    r"|shortly|soon|immediately|promptly)"
)
PAST = (
    rf"(?:(?:last|past|previous)\s+(?:week|month|year|{WEEKDAY})|yesterday"
    rf"|earlier\s+(?:this|that)\s+(?:week|month|year)|{NUMBER}\s+{UNIT}\s+ago"
    rf"|since\s+(?:(?:early|late|mid)[\s-]+)?(?:{DAY_MONTH}|{MONTH}|{YEAR}|{WEEKDAY}|last\s+\w+|the\s+\w+))"
)
# A period, not a day: "the first half of next year", "early next week". No date, but the
# phrase is kept, and no rule may read a date out of it ("next year" -> December 31).
PERIOD = (
    r"(?:(?:in|by|during)\s+)?(?:(?:the\s+)?(?:first|second)\s+half|(?:the\s+)?(?:first|second|third|fourth|last)\s+quarter)"
    rf"\s+of\s+(?:the\s+|this\s+|next\s+)?(?:year|{YEAR})"
    r"|(?:by\s+|in\s+)?(?:early|late|mid|the\s+middle\s+of)[\s-]+(?:next|this|the\s+coming)\s+(?:week|month|year)"
    # "in early January": ten days or so, no one day to hold anyone to ("mid-July" is the 15th,
    # "by late May" the month's end)
    rf"|(?:by\s+|in\s+)?early[\s-]+{MONTH}(?:\s+{YEAR})?"
)

FLAGS = re.IGNORECASE


def _compile(pattern: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w-]){pattern}(?![\w])", FLAGS)


def _group(match: re.Match[str], name: str) -> str | None:
    return match.groupdict().get(name)


def _prep(match: re.Match[str]) -> str:
    prep = _group(match, "prep")
    return prep.lower().split()[0] if prep else ""


def _nearest_year(month: int, day: int, published: date) -> date:
    """A month-day without a year means the occurrence nearest to the publication date."""
    candidates = []
    for year in (published.year - 1, published.year, published.year + 1):
        try:
            candidates.append(date(year, month, day))
        except ValueError:  # February 29 in a non-leap year
            continue
    return min(candidates, key=lambda d: abs((d - published).days))


def _last_day(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


@lru_cache(maxsize=8192)
def _parse(phrase: str, default_year: int | None = None, dayfirst: bool = False) -> datetime:
    """python-dateutil's parse, remembered: the same phrases ("March 3") recur article after
    article, and parsing one costs far more than finding it."""
    default = datetime(default_year, 1, 1) if default_year is not None else None
    return date_parser.parse(phrase, default=default, dayfirst=dayfirst)


def _day_month(match: re.Match[str], published: date) -> date | None:
    phrase = match["when"]
    has_year = re.search(YEAR + r"\s*$", phrase) is not None
    try:
        parsed = _parse(phrase, published.year).date()
    except (ValueError, OverflowError):
        return None  # "February 30"
    return parsed if has_year else _nearest_year(parsed.month, parsed.day, published)


def _numeric(match: re.Match[str], published: date) -> date | None:
    try:
        return _parse(match["when"], dayfirst="." in match["when"]).date()
    except (ValueError, OverflowError):
        return None


def _month_only(match: re.Match[str], published: date) -> date | None:
    parsed = _parse(match["when"], published.year)
    year = parsed.year if re.search(YEAR, match["when"]) else None
    if year is None:
        year = _nearest_year(parsed.month, 1, published.replace(day=1)).year
    qualifier = (_group(match, "qualifier") or "").lower()
    if qualifier.startswith("mid"):
        return date(year, parsed.month, 15)
    if qualifier == "early":
        return date(year, parsed.month, 10)
    if _prep(match) in {"after", "from", "starting", "before", "prior"} and not qualifier:
        return date(year, parsed.month, 1)
    return _last_day(year, parsed.month)


def _year_only(match: re.Match[str], published: date) -> date | None:
    year = int(match["year"])
    if _prep(match) in {"after", "from", "starting", "before", "prior"}:
        return date(year, 1, 1)
    return date(year, 12, 31)


def _within(match: re.Match[str], published: date) -> date | None:
    raw = match["number"].lower()
    count = int(raw) if raw.isdigit() else NUMBER_WORDS[re.sub(r"\s+", " ", raw)]
    unit = match["unit"].lower().split()[-1].rstrip("s")  # "working days" count as days
    if unit == "fortnight":
        unit, count = "week", 2 * count
    elif unit == "hour":
        unit, count = "day", -(-count // 24)  # "within 48 hours": two days
    return published + relativedelta(**{unit + "s": count})


def _end_of_period(period: str, published: date, offset: int = 0) -> date:
    if period == "week":
        return published + relativedelta(weeks=offset, weekday=SU(+1))
    if period == "month":
        first = published.replace(day=1) + relativedelta(months=offset)
        return _last_day(first.year, first.month)
    return date(published.year + offset, 12, 31)


def _relative_period(match: re.Match[str], published: date) -> date | None:
    offset = 1 if (_group(match, "which") or "").lower() == "next" else 0
    return _end_of_period(match["period"].lower(), published, offset)


def _end_of_month_named(match: re.Match[str], published: date) -> date | None:
    parsed = _parse(match["month"], published.year)
    year = int(match["year"]) if match["year"] else None
    if year is None:
        year = _nearest_year(parsed.month, 1, published.replace(day=1)).year
    return _last_day(year, parsed.month)


def _end_of_year_named(match: re.Match[str], published: date) -> date | None:
    return date(int(match["year"]), 12, 31)


def _day_of_month(match: re.Match[str], published: date) -> date | None:
    """ "on the 25th": the next 25th on or after publication."""
    day = int(match["day"])
    for months in range(3):
        first = published.replace(day=1) + relativedelta(months=months)
        if day <= calendar.monthrange(first.year, first.month)[1] and first.replace(day=day) >= published:
            return first.replace(day=day)
    return None


def _weekday(match: re.Match[str], published: date) -> date | None:
    target = weekday(list(calendar.day_name).index(match["day"].capitalize()))
    return published + relativedelta(days=+1, weekday=target(+1))


def _day_word(match: re.Match[str], published: date) -> date | None:
    word = match["word"].lower()
    if word == "today":
        return published
    return published + timedelta(days=2 if "after" in word else 1)


Resolver = Callable[[re.Match[str], date], "date | None"]

END_OF = r"(?:(?P<prep>by|before|until|till|at|towards?|in)\s+)?(?:the\s+)?end\s+of\s+"

@dataclass(frozen=True)
class Rule:
    pattern: re.Pattern[str]
    resolve: Resolver
    needs: frozenset[str]  # the rule can only match if the text has one of these features
    commitments_only: bool = False
    weak: bool = False  # its date yields to any other rule's


def _rule(
    pattern: str, resolve: Resolver, needs: str, commitments_only: bool = False, weak: bool = False
) -> Rule:
    return Rule(_compile(pattern), resolve, frozenset(needs.split()), commitments_only, weak)


# Earlier rules win on overlapping spans.
RULES: list[Rule] = [
    _rule(rf"{END_OF}(?P<month>{MONTH})(?:\s+(?P<year>{YEAR}))?", _end_of_month_named, "end"),
    _rule(rf"{END_OF}(?P<year>{YEAR})", _end_of_year_named, "end"),
    _rule(rf"{END_OF}(?:the\s+|this\s+|(?P<which>next)\s+)?(?P<period>week|month|year)",
          _relative_period, "end"),
    _rule(r"(?:(?P<prep>by|before|until|till)\s+)?(?P<which>next)\s+(?P<period>week|month|year)",
          _relative_period, "next"),
    # Reports use "this year" for the past ("exports grew by a third this year").
    _rule(r"(?:(?P<prep>by|before|until|till)\s+)?(?P<which>this)\s+(?P<period>week|month|year)",
          _relative_period, "this", commitments_only=True),
    _rule(r"(?P<prep>by)\s+(?:the\s+)?(?P<period>year)[- ]end", _relative_period, "end"),
    _rule(rf"(?:(?P<prep>{PREP})\s+)?(?P<when>{NUMERIC_DATE})", _numeric, "#year"),
    _rule(rf"(?:(?P<prep>{PREP})\s+)?(?:(?:the|{WEEKDAY}),?\s+)?(?P<when>{DAY_MONTH})",
          _day_month, "#month"),
    _rule(rf"(?P<prep>{PREP})\s+(?:(?P<qualifier>early|mid|late)[\s-]+)?"
          rf"(?P<when>{MONTH}(?:\s+{YEAR})?)(?!\s*\d)", _month_only, "#month"),
    _rule(r"(?P<prep>on|by|before|until|till|after|from)\s+the\s+(?P<day>[1-3]?\d)(?:st|nd|rd|th)(?!\s+of\b)",
          _day_of_month, "st nd rd th"),  # the letters after the digits of "25th"
    _rule(rf"(?P<prep>in|by|until|till|before|after|from|during|prior\s+to)\s+(?P<year>{YEAR})"
          r"(?![\d-])(?![.]\d)", _year_only, "#year"),
    _rule(rf"(?P<prep>within|in|over\s+the\s+next|during\s+the\s+next)\s+(?:the\s+next\s+)?"
          rf"(?P<number>{NUMBER})\s+(?P<unit>{UNIT})", _within,
          "hour hours day days week weeks fortnight fortnights month months year years"),
    _rule(rf"(?:(?P<prep>next|this|on|by|until|before|coming)\s+)?(?P<day>{WEEKDAY})", _weekday,
          "#weekday", commitments_only=True),
    _rule(r"(?P<word>the\s+day\s+after\s+tomorrow|tomorrow|today)", _day_word, "tomorrow today",
          commitments_only=True),
]
PAST_NEEDS = frozenset(["last", "past", "previous", "yesterday", "earlier", "ago", "since"])
PERIOD_NEEDS = frozenset(["half", "quarter", "early", "late", "mid", "middle"])
CALENDAR_NAMES = {
    **{name: "#month" for name in [*calendar.month_name, *calendar.month_abbr, "Sept"] if name},
    **{name: "#weekday" for name in calendar.day_name},
}
FEATURE_WORD_RE = re.compile(r"[A-Za-z]+")
YEAR_RUN_RE = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")  # a run of exactly four digits, 1900-2099


def _features(text: str) -> set[str]:
    """Lower-cased words, plus #year (a run of four digits from 1900 to 2099), #month and
    #weekday: what decides which rules to try. One cheap scan instead of a dozen regex scans per
    claim, most of which find nothing."""
    words = set(FEATURE_WORD_RE.findall(text))
    features = set(map(str.lower, words))
    features.update(CALENDAR_NAMES[word] for word in words & CALENDAR_NAMES.keys())
    if YEAR_RUN_RE.search(text):
        features.add("#year")
    return features


VAGUE_RE = _compile(VAGUE)
PAST_RE = _compile(PAST)
PERIOD_RE = _compile(PERIOD)


def _overlaps(candidate: _Candidate, taken: list[_Candidate]) -> bool:
    return any(candidate.start < other.end and other.start < candidate.end for other in taken)


@dataclass(frozen=True)
class Rules:
    """One language's deadline rules: the cheap gate, the feature scan that picks rules, the
    past, period and vague phrases, and the dated rules in order of precedence."""

    gate: re.Pattern[str]
    features: Callable[[str], set[str]]
    past: re.Pattern[str]
    past_needs: frozenset[str]
    period: re.Pattern[str]
    period_needs: frozenset[str]
    vague: re.Pattern[str]
    rules: list[Rule]


def _candidates(text: str, published: date, is_commitment: bool, rules: Rules) -> list[_Candidate]:
    features = rules.features(text)
    taken = []
    if not features.isdisjoint(rules.past_needs):
        taken += [_Candidate(m.start(), m.end(), None, m.group(0), past=True) for m in rules.past.finditer(text)]
    if not features.isdisjoint(rules.period_needs):
        taken += [_Candidate(m.start(), m.end(), None, m.group(0)) for m in rules.period.finditer(text)]
    for rule in rules.rules:
        if (rule.commitments_only and not is_commitment) or features.isdisjoint(rule.needs):
            continue
        for match in rule.pattern.finditer(text):
            candidate = _Candidate(
                match.start(), match.end(), rule.resolve(match, published), match.group(0), weak=rule.weak
            )
            if candidate.date is not None and not _overlaps(candidate, taken):
                taken.append(candidate)
    return sorted(taken, key=lambda c: (c.weak, c.start))


# Every rule below needs one of these; most claims have none, and skip the rules entirely.
DIGIT_RE = re.compile(r"\d")
GATE_RE = re.compile(
    rf"\d|{MONTH}|{WEEKDAY}|\b(?:weeks?|months?|years?|days?|hours?|fortnights?|tomorrow|today|soon|immediately|coming"
    r"|near|shortly|promptly|delay|course|later|possible|ago)\b",
    FLAGS,
)


ENGLISH = Rules(GATE_RE, _features, PAST_RE, PAST_NEEDS, PERIOD_RE, PERIOD_NEEDS, VAGUE_RE, RULES)


def rules_for(language: str) -> Rules:
    """The rules for an ISO 639-1 code; English for a language that has none of its own."""
    if language == "ru":
        # Imported on first use: dateparser's language data takes a while to load, and a run
        # over English articles never needs it.
        from tracker.dates_ru import RUSSIAN

        return RUSSIAN
    return ENGLISH


def find_deadline(
    text: str, published: date, is_commitment: bool = True, language: str = "en"
) -> Deadline | None:
    """Return the first future date stated in `text`, else a vague time phrase, else None."""
    rules = rules_for(language)
    # A digit opens both languages' gates, and is far cheaper to look for than the whole gate.
    if not (DIGIT_RE.search(text) or rules.gate.search(text)):
        return None
    candidates = _candidates(text, published, is_commitment, rules)
    for candidate in candidates:
        if candidate.past or candidate.date is None:
            continue
        if candidate.date >= published:
            return Deadline(candidate.date, candidate.text.strip())
    period = next((c for c in candidates if c.date is None and not c.past), None)
    if period:
        return Deadline(None, period.text.strip())
    vague = rules.vague.search(text)
    if vague:
        return Deadline(None, vague.group(0))
    return None
