"""Generate articles with every structure the extractor reads, in rough proportions of a news
feed: list readouts (markers and bullets of every style, ~45%), running-text wire stories
(reported speech, quotations, "according to", narration, ~30%), Q&A transcripts (~10%) and
reposts of an earlier article by a second outlet (~15%: the same statements, partly reworded, so
grouping them into statements has work). Dates and deadlines, and the outlets' own boilerplate
lines, appear in all of them. Used by the benchmark and by the tests that need hundreds of
articles (crash safety, concurrent reads).

Unlike real articles (README, Performance): the wording comes from a few dozen templates, every
original statement carries a unique project number, and lines are shorter and more regular."""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path

FIRST = ["Maria", "Sergei", "Yuri", "Dmitry", "Anna", "Kerem", "Lin", "Daniel", "Rania", "Carlos",
         "Ingrid", "Kwame", "Aliya", "Rahmat", "Hisham", "Jan", "Elena", "Pavel", "Amina", "Tomas"]
LAST = ["Zakharova", "Ryabkov", "Ushakov", "Peskov", "Volkova", "Aydin", "Haoran", "Okafor",
        "Haddad", "Silva", "Halvorsen", "Mensah", "Serikbayeva", "Hidayat", "Rahman", "Kowalski",
        "Petrova", "Novak", "Okonjo", "Lindqvist"]
OFFICES = ["Foreign Ministry spokeswoman", "Deputy Foreign Minister", "presidential aide",
           "Kremlin spokesman", "Energy Minister", "Trade Ministry spokesperson", "UN envoy",
           "Defence Minister", "central bank governor", "Transport Minister"]
MARKERS = ["{last} also revealed that:", "{last} stressed that:", "{last} told journalists the following:",
           "In {last}'s words:", "According to {last}:", "{last} noted the following:",
           "{last} added that:"]
BULLETS = ["", "• ", "- ", "– ", "* ", "{n}. ", "{n}) "]
PLACES = ["Geneva", "Ankara", "Istanbul", "Beijing", "Cairo", "Brasilia", "Astana", "Jakarta",
          "Belgrade", "Riyadh", "Hanoi", "Nairobi"]
TOPICS = ["grain deliveries", "energy cooperation", "prisoner exchange", "navigation safety",
          "nuclear safety", "trade settlement", "humanitarian aid", "visa facilitation",
          "fisheries quotas", "rail transit", "satellite launches", "vaccine supplies"]
COMMITMENTS = ["The sides will hold a new round of talks on {topic} in {place} {when}.",
               "{country} is ready to expand {topic} {when}.",
               "The working group on {topic} is scheduled to report {when}.",
               "The ministries agreed to sign a memorandum on {topic} {when}.",
               "{country} intends to resume {topic} {when}"]
REPORTS = ["The talks on {topic} in {place} were constructive, {last} said.",
           "{country} received the proposals on {topic} last week.",
           "The sides discussed {topic} and regional security.",
           "{country} did not rule out new consultations on {topic}.",
           "Exports related to {topic} grew by {pct} percent last year."]
WHEN = ["after {month} {day}", "on {month} {day}", "by {month} {day}", "within {n} days",
        "next week", "by the end of the month", "by the end of the year", "in the coming weeks", "soon"]
COUNTRIES = ["Russia", "Turkey", "China", "Brazil", "Egypt", "Kazakhstan", "Indonesia", "Serbia",
             "India", "Iran"]
GENERIC_MARKERS = ["Key takeaways:", "The main points:", "Highlights:", "Key points from {last}'s remarks:"]
REPOST_BULLETS = ["— ", "▪️ ", "• "]
CITIES = ["MOSCOW", "ANKARA", "BEIJING", "CAIRO", "ASTANA", "BELGRADE", "NAIROBI"]
REPORTERS = ["Anna Korolyova", "Mark Ellison", "Helen Carrow", "Omar Said", "Lena Fischer"]
NARRATION = ["The two countries signed a framework agreement on {topic} in {year}.",
             "Talks on {topic} stalled last year after a dispute over prices.",
             "{place} hosted a similar meeting in {year}."]
QUESTIONS = ["What was agreed on {topic}?", "When will the next round of talks take place?",
             "Is {country} ready to sign the agreement?", "Will the ministers meet in {place}?"]
# A second outlet's rewording: the same statement, other words (grouping should still join it).
REWORDINGS = [("The sides will hold", "The parties will hold"), ("is ready to", "stands ready to"),
              ("agreed to sign", "have agreed to sign"), ("The sides discussed", "The two sides discussed"),
              ("received the proposals", "has received the proposals")]
BOILERPLATE = ["Follow our channel on Telegram for the latest news",
               "Read also: Talks Continue in {place}", "Share this article with your friends",
               "Subscribe to our newsletter to get the news first", "Read more on the site →"]


def _when(rng: random.Random, published: date) -> str:
    future = published + timedelta(days=rng.randint(3, 120))
    return rng.choice(WHEN).format(month=future.strftime("%B"), day=future.day, n=rng.randint(5, 30))


def _item(rng: random.Random, published: date, serial: str, speaker_last: str) -> str:
    template = rng.choice(COMMITMENTS if rng.random() < 0.5 else REPORTS)
    text = template.format(topic=rng.choice(TOPICS), place=rng.choice(PLACES), country=rng.choice(COUNTRIES),
                           when=_when(rng, published), last=speaker_last, pct=rng.randint(2, 40))
    # A project number keeps every claim unique across the corpus.
    return text.replace(" on ", f" on project {serial} ", 1) if " on " in text else f"{text} (project {serial})"


def article(index: int, seed: int = 0) -> str:
    """One article; the same (index, seed) always gives the same text."""
    kind = random.Random(seed * 1_000_003 + index).random()
    if kind < 0.15 and index > 0:
        return _repost(index, seed)
    if kind < 0.45:
        return _wire_story(index, seed)
    if kind < 0.55:
        return _transcript(index, seed)
    return _list_readout(index, seed)


def _people(rng: random.Random) -> list[tuple[str, str, str]]:
    speakers = rng.sample(range(len(LAST)), k=rng.choice([1, 1, 2]))
    return [(f"{FIRST[i]} {LAST[i]}", LAST[i], rng.choice(OFFICES)) for i in speakers]


def _header(rng: random.Random, published: date, title: str, lead: str) -> list[str]:
    timestamp = f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d} GMT {published:%d.%m.%Y}"
    section = rng.choice(["World", "International", "Economy"])
    return [f" date {published.isoformat()} {section}", title, title, lead + lead, title, "", timestamp]


def _readout(index: int, seed: int) -> tuple[random.Random, date, list[tuple[str, str, str]], list[list[str]]]:
    """A list readout's speakers and their items: what an original and its repost share."""
    rng = random.Random(seed * 1_000_003 + index)
    rng.random()  # the article's kind
    published = date(2024, 1, 1) + timedelta(days=rng.randint(0, 900))
    people = _people(rng)
    items = [[_item(rng, published, f"{index}-{number}-{n}-{seed}", last) for n in range(1, rng.randint(4, 12) + 1)]
             for number, (_, last, _) in enumerate(people)]  # fmt: skip
    return rng, published, people, items


def _intro(people: list[tuple[str, str, str]], published: date) -> list[str]:
    return [f"{office[0].upper()}{office[1:]} {name} spoke to reporters on {published:%A}." for name, _, office in people]


def _list_readout(index: int, seed: int) -> str:
    rng, published, people, items = _readout(index, seed)
    title = f"{people[0][1]} Comments on Talks in {rng.choice(PLACES)} ({index})"
    intro = _intro(people, published)
    lines = [*_header(rng, published, title, intro[0]), *intro]
    for (_, last, _), said in zip(people, items):
        lines.append(rng.choice(MARKERS).format(last=last))
        bullet = rng.choice(BULLETS)
        lines += [bullet.format(n=n) + item for n, item in enumerate(said, start=1)]
    if rng.random() < 0.7:
        lines.append(rng.choice(BOILERPLATE).format(place=rng.choice(PLACES)))
    return "\n".join(lines) + "\n"


def _repost(index: int, seed: int) -> str:
    """A second outlet's copy of an earlier list readout: its first speaker's statements under a
    generic marker, other bullets, some reworded, published the same day."""
    original = index - 1 - random.Random(seed * 7 + index).randrange(min(index, 20))
    while original > 0 and random.Random(seed * 1_000_003 + original).random() < 0.55:
        original -= 1  # back to a list readout (index 0 always is one)
    rng, published, people, items = _readout(original, seed)
    name, last, office = people[0]
    title = f"{last} on the talks: what was said ({index})"
    lead = f"{office[0].upper()}{office[1:]} {name} briefed journalists."
    lines = [*_header(rng, published, title, lead), lead, rng.choice(GENERIC_MARKERS).format(last=last)]
    bullet = rng.choice(REPOST_BULLETS)
    for item in items[0]:
        for old, new in REWORDINGS:
            item = item.replace(old, new, 1)
        lines.append(f"{bullet}{item.removesuffix('.')};")
    lines.append(rng.choice(BOILERPLATE).format(place=rng.choice(PLACES)))
    return "\n".join(lines) + "\n"


def _clause(text: str) -> str:
    """An item as the clause of a reported sentence: no final period, a lower-case article."""
    text = text.removesuffix(".")
    return text[0].lower() + text[1:] if text.startswith("The ") else text


def _wire_story(index: int, seed: int) -> str:
    """Running text: reported speech, a quotation, "according to", narration and credits."""
    rng = random.Random(seed * 1_000_003 + index)
    rng.random()
    published = date(2024, 1, 1) + timedelta(days=rng.randint(0, 900))
    (name, last, office), *_ = _people(rng)
    said = [_item(rng, published, f"{index}-0-{n}-{seed}", last) for n in range(1, rng.randint(5, 9) + 1)]
    topic = rng.choice(TOPICS)
    lines = [f" date {published.isoformat()} World", f"{last} says talks on {topic} will go on ({index})",
             f"By {rng.choice(REPORTERS)}", f"{published:%B} {published.day}, {published.year} 11:52 AM GMT+3", "",
             (f"{rng.choice(CITIES)}, {published:%B} {published.day} (Wire) - {office[0].upper()}{office[1:]} "
              f"{name} told reporters on {published:%A} that {_clause(said[0])}."), "",
             f'"{said[1].removesuffix(".")}. {said[2].removesuffix(".")}," {last} said.', "",
             rng.choice(NARRATION).format(topic=topic, year=published.year - 2, place=rng.choice(PLACES)), "",
             f"{said[3].removesuffix('.')}, according to {last}.", ""]  # fmt: skip
    for number in range(4, len(said) - 1, 2):
        lines += [f"{last} said {_clause(said[number])}, adding that {_clause(said[number + 1])}.", ""]
    lines += [f"(Reporting by {rng.choice(REPORTERS)}; Editing by {rng.choice(REPORTERS)})", "",
              "Our Standards: The Wire Trust Principles."]  # fmt: skip
    return "\n".join(lines) + "\n"


def _transcript(index: int, seed: int) -> str:
    """A Q&A transcript: questions hold no claims, each sentence of an answer is one."""
    rng = random.Random(seed * 1_000_003 + index)
    rng.random()
    published = date(2024, 1, 1) + timedelta(days=rng.randint(0, 900))
    (name, last, office), *_ = _people(rng)
    title = f"{office[0].upper()}{office[1:]} {name} answered journalists' questions ({index})"
    lines = [*_header(rng, published, title, f"{name} spoke after the talks."), f"{office[0].upper()}{office[1:]} {name}:"]
    for turn in range(rng.randint(3, 5)):
        answer = [_item(rng, published, f"{index}-0-{turn}{n}-{seed}", last) for n in range(rng.randint(1, 2))]
        question = rng.choice(QUESTIONS).format(topic=rng.choice(TOPICS), country=rng.choice(COUNTRIES),
                                                place=rng.choice(PLACES))  # fmt: skip
        lines += ["Question:", question, f"{last}:", " ".join(answer)]
    return "\n".join(lines) + "\n"


def write_corpus(folder: Path, count: int, seed: int = 0) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for index in range(count):
        path = folder / f"{index:06d}.txt"
        path.write_text(article(index, seed), encoding="utf-8")
        paths.append(path)
    return paths
