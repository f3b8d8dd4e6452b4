"""A deterministic digest-shaped corpus for the search, entity, export and load benchmarks.

Places (2,000), actors (5,000) and sources (60) are drawn with Zipf-like
weights, and every entity a story mentions also occurs in its text, as the
extractor would have found it. Names include hyphens, dots, apostrophes and
accents, the characters stock faceting loses. The prose draws on a real-sized
vocabulary (Prose, which bench/ingest.py's archive uses too), so the index has
a real archive's many terms and short posting lists. The same seed and size
always give the same stories, so runs compare; VERSION names the archives the
benchmarks build from it (`tag`), so a changed generator never meets an
archive built by the old one.
"""
import datetime
import hashlib
import itertools
import random
from dataclasses import dataclass

STORIES_PER_DIGEST = 25
FIRST_DAY = datetime.date(2012, 1, 1)
# 1: prose from the 190 WORDS alone (a median 39% of shingles shared by unrelated stories, posting
# lists of a third of the archive, a term table that hardly grows). 2: Prose.
VERSION = 2

SYLLABLES = ["ra", "qa", "da", "ma", "ha", "ka", "za", "la", "ba", "ta", "sha", "na", "ya", "wa", "fa", "ja",
             "ri", "mi", "ni", "si", "li", "di", "bu", "ru", "mu", "ku", "zu", "hu", "dar", "mar", "sal", "kar"]
PLACE_FORMS = ["{a}", "{a}", "Deir {a}", "Tal {a}", "Kafr {a}", "Ain al-{a}", "{a} ez-{b}", "Ma'arrat {a}",
               "Jisr al-{a}", "{a}'s {b}", "St. {a}", "Ḥ{a}"]
FIRST_NAMES = ["Ahmad", "Mohammed", "Rami", "Walid", "Laurent", "John", "Sergei", "Staffan", "Salim", "Hassan",
               "Omar", "Riad", "Bashar", "Maher", "Zahran", "Abu", "Khaled", "Yusuf", "Hadi", "Nour", "Leila"]
ACTOR_FORMS = ["{f} al-{a}", "{f} {a}", "{f} {a}-{b}", "the {a} Brigade", "Free {a} Army", "{a} Front",
               "Jaish al-{a}", "the U.N. {a} Mission", "Liwa {a}", "the {a} Council"]
OUTLETS = ["Reuters", "AFP", "the BBC", "the Associated Press", "Al Jazeera", "The Guardian", "the New York Times",
           "the Washington Post", "Deutsche Welle", "Al-Monitor", "U.S. News", "Le Monde", "Asharq Al-Awsat",
           "Syria Deeply", "the Syrian Observatory", "SANA", "Enab Baladi", "Al-Hayat", "L'Orient-Le Jour",
           "Orient News"]
WORDS = ("government forces rebels fighters killed wounded civilians attack airstrikes shelling town city village "
         "province border crossing aid convoy humanitarian ceasefire talks negotiations opposition regime coalition "
         "militants offensive siege residents activists reported clashes army troops commander officials statement "
         "refugees camp displaced thousands hundreds dozens weapons supplies control territory checkpoint district "
         "northern southern eastern western countryside highway bridge hospital school market mosque council "
         "election minister president foreign envoy meeting proposal agreement violation monitoring observers "
         "drone helicopter barrel bombs chemical investigation report evidence sanctions economy currency fuel "
         "bread water electricity winter shelter medical doctors injured evacuation corridor truce local tribal "
         "kurdish militia alliance support training funding intelligence prisoners exchange release detained "
         "kidnapped journalist media video footage claimed responsibility denied accused condemned urged warned "
         "announced confirmed according sources said reports week month year morning night tuesday monday").split()


class Prose:
    """Words as a newsletter's prose has them: a few recur in every story (the, of, forces, killed),
    most are rare (Zipf's law over FUNCTION_WORDS, the conflict WORDS and RARE_WORDS made-up ones).
    So two stories about different events share about a tenth of their shingles (13% in the
    median), as real ones do: the seed's stories share 9%, the labelled near-duplicate fixtures'
    unrelated stories 3%. Drawn from the conflict words alone, stories shared 39%, a quarter of
    all pairs passed for near-duplicates and two thirds of the archive for recurring text."""

    FUNCTION_WORDS = "the of and to in a on for with at by from that as was were had has after".split()
    RARE_WORDS = 20_000

    def __init__(self, rng):
        rare = set()
        while len(rare) < self.RARE_WORDS:
            rare.add("".join(rng.choice(SYLLABLES).lower() for _ in range(rng.randint(2, 4))))
        self.words = self.FUNCTION_WORDS + WORDS + sorted(rare - set(WORDS))
        self.cum_weights = list(itertools.accumulate(1 / rank for rank in range(1, len(self.words) + 1)))

    def words_of(self, rng, count):
        return " ".join(rng.choices(self.words, cum_weights=self.cum_weights, k=count))



def tag(stories):
    """The name of an archive of `stories` stories of this VERSION (files under var/bench/)."""
    return f"{stories}-v{VERSION}"


@dataclass
class CorpusStory:
    digest: int  # index of the digest
    position: int
    headline: str
    body: str
    places: list
    actors: list
    sources: list


@dataclass
class Corpus:
    places: list
    actors: list  # (name, actor_type)
    sources: list
    digest_dates: list
    stories: list


def _names(rng, forms, count, extra=()):
    names, seen = [], set()
    for name in extra:
        seen.add(name)
        names.append(name)
    while len(names) < count:
        a = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()
        b = "".join(rng.choice(SYLLABLES) for _ in range(2)).capitalize()
        form = rng.choice(forms)
        name = form.format(a=a, b=b, f=rng.choice(FIRST_NAMES))
        if name not in seen:
            seen.add(name)
            names.append(name)
    return names


def _zipf_weights(n, s=1.0):
    return list(itertools.accumulate(1.0 / (i + 1) ** s for i in range(n)))


def _sample(rng, items, cum_weights, k):
    chosen = []
    for item in rng.choices(items, cum_weights=cum_weights, k=k * 2):
        if item not in chosen:
            chosen.append(item)
        if len(chosen) == k:
            break
    return chosen


def build_corpus(stories, seed=5):
    rng = random.Random(seed)
    places = _names(rng, PLACE_FORMS, 2000, ["Aleppo", "Deir ez-Zor", "Homs", "Raqqa", "Idlib", "Ma'arrat al-Nu'man"])
    actor_names = _names(rng, ACTOR_FORMS, 5000, ["Bashar al-Assad", "the Free Syrian Army", "ISIS", "Staffan de Mistura"])
    actors = [(name, "person" if name.split()[0] in FIRST_NAMES else "armed_group") for name in actor_names]
    sources = OUTLETS + [f"{rng.choice(['the', 'Al', 'Radio'])} {a}" for a in _names(rng, ["{a} {b}"], 40)]
    place_w, actor_w, source_w = _zipf_weights(len(places)), _zipf_weights(len(actors)), _zipf_weights(len(sources))
    prose = Prose(rng)
    digests = (stories + STORIES_PER_DIGEST - 1) // STORIES_PER_DIGEST
    digest_dates = [FIRST_DAY + datetime.timedelta(days=i) for i in range(digests)]
    out = []
    for i in range(stories):
        story_places = _sample(rng, places, place_w, rng.randint(1, 4))
        story_actors = _sample(rng, actor_names, actor_w, rng.randint(1, 5))
        story_sources = _sample(rng, sources, source_w, rng.randint(1, 3))
        headline = " ".join(w.capitalize() for w in prose.words_of(rng, rng.randint(3, 6)).split())
        headline = f"{headline} in {story_places[0]}"
        paragraphs = []
        mentions = [*story_places, *story_actors]
        for p in range(rng.randint(3, 5)):
            sentences = []
            for _ in range(rng.randint(3, 5)):
                ws = prose.words_of(rng, rng.randint(8, 16)).split()
                if mentions:
                    ws.insert(rng.randrange(len(ws)), mentions.pop())
                sentence = " ".join(ws)
                sentences.append(sentence[0].upper() + sentence[1:] + ".")
            source = story_sources[p % len(story_sources)]
            sentences[-1] = sentences[-1][:-1] + f", {source} reports."
            paragraphs.append(" ".join(sentences))
        out.append(CorpusStory(i // STORIES_PER_DIGEST, i % STORIES_PER_DIGEST + 1, headline,
                               "\n\n".join(paragraphs), story_places, story_actors, story_sources))
    return Corpus(places, actors, sources, digest_dates, out)


def store_corpus(corpus):
    """Store the corpus through the models, with its own entities as Mention rows."""
    from django.db import connection, transaction
    from django.utils.text import slugify

    from digest.models import Alias, Digest, Entity, Mention, Story

    with transaction.atomic():
        # The bench database is the corpus's alone: drop the registry the migrations load
        # (plain SQL: it holds no stories yet, and per-row delete signals would only cost).
        with connection.cursor() as cursor:
            for model in (Alias, Entity):
                cursor.execute(f"DELETE FROM {model._meta.db_table}")
        digests = Digest.objects.bulk_create(
            Digest(date=day, title=f"Bench digest {day}", newsletter="Bench Digest", file_name=f"{day}.txt",
                   source_format="txt", sha256=hashlib.sha256(str(day).encode()).hexdigest(), source_text="")
            for day in corpus.digest_dates
        )
        entities = {}
        rows = [Entity(kind="place", name=n, slug=f"p-{i}") for i, n in enumerate(corpus.places)]
        rows += [Entity(kind="actor", name=n, actor_type=t, slug=f"a-{i}") for i, (n, t) in enumerate(corpus.actors)]
        rows += [Entity(kind="source", name=n, slug=f"s-{i}") for i, n in enumerate(corpus.sources)]
        for entity in Entity.objects.bulk_create(rows, batch_size=2000):
            entities[entity.kind, entity.name] = entity
        for start in range(0, len(corpus.stories), 5000):
            chunk = corpus.stories[start:start + 5000]
            stories = Story.objects.bulk_create(
                Story(digest=digests[s.digest], position=s.position, headline=s.headline, body=s.body,
                      slug=slugify(s.headline)[:200])
                for s in chunk
            )
            Mention.objects.bulk_create(
                (Mention(story=story, entity=entities[kind, name], surface_forms=[name])
                 for story, s in zip(stories, chunk)
                 for kind, names in (("place", s.places), ("actor", s.actors), ("source", s.sources))
                 for name in names),
                batch_size=5000,
            )
