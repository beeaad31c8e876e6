"""Generate readouts in the house style: varied speakers, markers, list styles, dates and
boilerplate, with unique text in every article. Used by the benchmark and by the tests that
need hundreds of articles (crash safety, concurrent reads)."""

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
BOILERPLATE = ["Follow our channel on Telegram for the latest news",
               "Read also: Talks Continue in {place}", "Share this article with your friends",
               "Subscribe to our newsletter to get the news first"]


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
    rng = random.Random(seed * 1_000_003 + index)
    published = date(2024, 1, 1) + timedelta(days=rng.randint(0, 900))
    speakers = rng.sample(range(len(LAST)), k=rng.choice([1, 1, 2]))
    people = [(f"{FIRST[i]} {LAST[i]}", LAST[i], rng.choice(OFFICES)) for i in speakers]
    title = f"{people[0][1]} Comments on Talks in {rng.choice(PLACES)} ({index})"
    intro = [f"{office[0].upper()}{office[1:]} {name} spoke to reporters on {published:%A}." for name, _, office in people]
    timestamp = f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d} GMT {published:%d.%m.%Y}"
    section = rng.choice(["World", "International", "Economy"])
    lines = [f" date {published.isoformat()} {section}", title, title, intro[0] + intro[0], title, "",
             timestamp, *intro]
    for number, (name, last, _) in enumerate(people):
        lines.append(rng.choice(MARKERS).format(last=last))
        bullet = rng.choice(BULLETS)
        for n in range(1, rng.randint(4, 12) + 1):
            serial = f"{index}-{number}-{n}-{seed}"
            lines.append(bullet.format(n=n) + _item(rng, published, serial, last))
    if rng.random() < 0.7:
        lines.append(rng.choice(BOILERPLATE).format(place=rng.choice(PLACES)))
    return "\n".join(lines) + "\n"


def write_corpus(folder: Path, count: int, seed: int = 0) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for index in range(count):
        path = folder / f"{index:06d}.txt"
        path.write_text(article(index, seed), encoding="utf-8")
        paths.append(path)
    return paths
