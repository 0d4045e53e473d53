"""Write realistic, deterministic X archive folders for benchmarking the collector and the audit.

    # 1M distinct multilingual posts in one account (4 parts), and the same over 200 accounts
    python benchmarks/make_x_archive.py --posts 1000000 --out /work/bench-data/x-1m-real/
    python benchmarks/make_x_archive.py --posts 1000000 --accounts 200 --out /work/bench-data/x-1m-200/
    # the earlier corpus of 22 repeated sentences, byte for byte (README "Collect" figures)
    python benchmarks/make_x_archive.py --corpus phrases --tweets 1000000 --parts 4 --out benchmarks/data/x-1m/

The layout and record shapes follow real archives (FORMATS.md section 1, the real sample in
../shared/samples/twitter/tweets.js): `data/manifest.js` listing every tweets part, `data/account.js`,
`data/tweets.js` + `data/tweets-partN.js` as `window.YTD.tweets.partN = [ ... ]` pretty-printed the way
X writes them (`"key" : value`, every number a string), and `data/note-tweet.js` for long posts.
The mix is what a ministry account looks like: posts, replies to others, self-threads, retweets,
quotes, edits, hashtags, t.co links with their expanded URLs, photos. Same seed, same bytes.

With `--corpus realistic` (the default) every post is composed for itself (corpus_text.py): more
than 98% of texts are distinct, in 15 languages. With `--accounts K` the posts are split evenly
over K archives (a ministry account and embassies/consulates posting in their host country's
language), each in its own folder. An `accounts.toml` for `audit run` and a `corpus.json` with the
corpus's figures (distinct-text share, language mix, lengths, generation time) are written to --out;
with one account the archive itself is --out, as before.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import time
import zlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Protocol

import orjson
from corpus_text import MINISTRY_MIX, Composer, Draft, embassy_mix

TWITTER_EPOCH_MS = 1288834974657
START = datetime(2013, 1, 1, tzinfo=UTC)
END = datetime(2025, 6, 30, tzinfo=UTC)
TWEETS_PER_PART = 250_000
"""Auto parts: about what X puts in one 450 MB part of a pretty-printed archive."""

PHRASES = {
    "en": ["The Minister met the ambassador to discuss trade and climate cooperation.",
           "Join us for the cultural festival this weekend at the embassy.",
           "Consular notice: passport services will be closed on Monday.",
           "We stand with the people affected by the earthquake.",
           "Thank you to everyone who joined the youth exchange programme!"],
    "ko": ["장관은 오늘 기후 협력에 관해 대사와 면담했습니다.",
           "이번 주말 대사관 문화 축제에 여러분을 초대합니다.",
           "영사 안내: 월요일에는 여권 업무가 중단됩니다."],
    "ja": ["大臣は本日、大使と貿易と気候協力について会談しました。",
           "今週末、大使館で文化祭を開催します。ぜひお越しください。",
           "地震の被害を受けた皆様に心よりお見舞い申し上げます。"],
    "fr": ["Le ministre a rencontré l'ambassadeur pour parler de coopération climatique.",
           "Rejoignez-nous ce week-end pour le festival culturel à l'ambassade."],
    "es": ["El ministro se reunió con el embajador para hablar de comercio.",
           "¡Gracias a todos los que participaron en el programa de intercambio!"],
    "ar": ["التقى الوزير بالسفير لمناقشة التعاون في مجال المناخ.",
           "انضموا إلينا في المهرجان الثقافي في السفارة هذا الأسبوع."],
    "zh": ["部长今天会见了大使，讨论贸易与气候合作。", "欢迎参加本周末在使馆举办的文化节。"],
    "ru": ["Министр встретился с послом, чтобы обсудить сотрудничество.",
           "Приглашаем на культурный фестиваль в посольстве в эти выходные."],
}
LANGS = list(PHRASES)
LANG_WEIGHTS = [40, 20, 15, 6, 6, 5, 5, 3]
HASHTAGS = ["KoreanWave", "ClimateAction", "PublicDiplomacy", "한국", "文化交流", "Hallyu", "BTS", "G20", "UNGA"]
OTHERS = ["un", "who", "embassy_jp", "unesco", "reliefweb", "kpop_fan_01", "traveler88", "gov_news"]
OTHER_PREFIXES = ["kpop_fan_", "traveler", "student_", "news_", "press_", "seoul_lover_", "kdrama_", "researcher_",
                  "gov_", "mission_"]
SITES = ["https://www.mofa.go.kr/eng/brd/m_5676/view.do?seq={n}", "https://www.un.org/en/story/{n}",
         "https://news.example.org/articles/{n}", "https://youtu.be/v{n}"]
SOURCE = '<a href="https://mobile.twitter.com" rel="nofollow">Twitter Web App</a>'
HOSTS = [("JP", "ja", "Japan"), ("CN", "zh", "China"), ("US", "en", "the United States"), ("FR", "fr", "France"),
         ("DE", "de", "Germany"), ("ES", "es", "Spain"), ("MX", "es", "Mexico"), ("RU", "ru", "Russia"),
         ("SA", "ar", "Saudi Arabia"), ("EG", "ar", "Egypt"), ("ID", "id", "Indonesia"), ("MY", "ms", "Malaysia"),
         ("TH", "th", "Thailand"), ("IN", "hi", "India"), ("VN", "vi", "Vietnam"), ("BR", "pt", "Brazil"),
         ("GB", "en", "the United Kingdom"), ("AR", "es", "Argentina"), ("AE", "ar", "the UAE"),
         ("PT", "pt", "Portugal"), ("TW", "zh", "Taiwan"), ("AT", "de", "Austria"), ("BE", "fr", "Belgium"),
         ("KZ", "ru", "Kazakhstan"),
         ("CL", "es", "Chile"), ("QA", "ar", "Qatar"), ("SN", "fr", "Senegal"), ("AU", "en", "Australia"),
         ("CO", "es", "Colombia"), ("CH", "de", "Switzerland"), ("PE", "es", "Peru"), ("JO", "ar", "Jordan")]
"""Host countries of the embassies (then consulates) and the language each mostly posts in besides ko/en."""


@dataclass(frozen=True)
class Owner:
    """The account an archive belongs to."""

    handle: str
    account_id: str
    display_name: str


@dataclass(frozen=True)
class Plan:
    """One account of the corpus: its archive folder, entry in accounts.toml and language mix."""

    id: str
    role: str
    owner: Owner
    mix: dict[str, int]
    host_country: str | None = None


class TextSource(Protocol):
    """Where a corpus gets its post texts, hashtags, other accounts and long (note) texts."""

    def post(self, rng: random.Random, when: datetime) -> Draft: ...
    def hashtag(self, rng: random.Random, lang: str) -> str: ...
    def other(self, rng: random.Random) -> str: ...
    def long_text(self, rng: random.Random, lang: str, start: str, when: datetime) -> str: ...


class PhraseTexts:
    """The earlier corpus: each post one of 22 fixed sentences. Kept to reproduce the earlier figures,
    so it draws from the rng exactly as the original generator did (same seed, same bytes)."""

    def post(self, rng: random.Random, when: datetime) -> Draft:
        lang = rng.choices(LANGS, LANG_WEIGHTS)[0]
        text = rng.choice(PHRASES[lang])
        return Draft(lang, lang, text, text)

    def hashtag(self, rng: random.Random, lang: str) -> str:
        return rng.choice(HASHTAGS)

    def other(self, rng: random.Random) -> str:
        return rng.choice(OTHERS)

    def long_text(self, rng: random.Random, lang: str, start: str, when: datetime) -> str:
        return " ".join([start] * 8)


class RealisticTexts:
    """Composed, distinct texts in the account's language mix; replies to thousands of other accounts."""

    def __init__(self, mix: dict[str, int]) -> None:
        self.composer = Composer(mix)

    def post(self, rng: random.Random, when: datetime) -> Draft:
        return self.composer.post(rng, when)

    def hashtag(self, rng: random.Random, lang: str) -> str:
        return self.composer.hashtag(rng, lang)

    def other(self, rng: random.Random) -> str:
        return rng.choice(OTHER_PREFIXES) + str(rng.randrange(1000))

    def long_text(self, rng: random.Random, lang: str, start: str, when: datetime) -> str:
        return self.composer.long_text(rng, lang, start, when)


@dataclass
class Stats:
    """What the README reports about a corpus: distinct texts, languages and lengths over all accounts."""

    texts: set[int] = field(default_factory=set)
    prose: set[int] = field(default_factory=set)
    languages: Counter[str] = field(default_factory=Counter)
    lengths: list[int] = field(default_factory=list)
    entries: int = 0
    posts: int = 0

    def summary(self) -> dict[str, Any]:
        """Shares and length percentiles (characters of `full_text`, as stored in tweets.js)."""
        lengths = sorted(self.lengths)

        def pct(q: float) -> int:
            return lengths[min(len(lengths) - 1, int(q * len(lengths)))] if lengths else 0

        return {
            "posts": self.posts, "entries": self.entries,
            "distinct_texts": len(self.texts), "distinct_share": round(len(self.texts) / max(1, self.entries), 4),
            "distinct_prose_share": round(len(self.prose) / max(1, self.posts), 4),
            "languages": {k: round(v / max(1, self.posts), 4) for k, v in self.languages.most_common()},
            "length_chars": {"p5": pct(0.05), "p25": pct(0.25), "median": pct(0.5), "p75": pct(0.75),
                             "p95": pct(0.95), "max": lengths[-1] if lengths else 0},
        }


def user_id(handle: str) -> str:
    """A stable numeric id for another account (the built-in hash() changes between runs)."""
    return str(zlib.crc32(handle.encode()) + 10**9)


_KEY_COLON = re.compile(rb'(?<!\\)": ')


def archive_json(value: Any) -> bytes:
    """JSON in the archive's pretty style: `"key" : value`, `[ ]` and `{ }` when empty, two-space indents.

    orjson's indented output with the key separator widened: a `"` followed by `: ` and not escaped
    can only close a key (inside strings every `"` is escaped). Byte for byte what the original,
    pure-Python printer wrote (checked on 20,000 tweets), about 20x faster. Texts must not contain
    `[]` or `{}`, which the corpora never do.
    """
    raw = orjson.dumps(value, option=orjson.OPT_INDENT_2)
    return _KEY_COLON.sub(b'" : ', raw).replace(b"[]", b"[ ]").replace(b"{}", b"{ }")


class Generator:
    """One account's tweets, newest first like an archive; ids are snowflakes of their creation time."""

    def __init__(self, rng: random.Random, total: int, owner: Owner, texts: TextSource, stats: Stats) -> None:
        self.rng = rng
        self.total = total
        self.owner = owner
        self.texts = texts
        self.stats = stats
        self.step = (END - START) / total
        self.recent: list[str] = []
        self.notes: list[dict[str, Any]] = []

    def snowflake(self, when: datetime) -> str:
        ms = int(when.timestamp() * 1000) - TWITTER_EPOCH_MS
        return str((ms << 22) | self.rng.getrandbits(22))

    def tco(self) -> str:
        alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
        return "https://t.co/" + "".join(self.rng.choice(alphabet) for _ in range(10))

    def tweet(self, i: int) -> list[dict[str, Any]]:
        """The archive entries for the i-th oldest tweet (two entries when it was edited)."""
        when = START + self.step * i + timedelta(seconds=self.rng.randint(0, 59))
        tid = self.snowflake(when)
        record = self.record(tid, when)
        self.recent = (self.recent + [tid])[-50:]
        entries = [record]
        if self.rng.random() < 0.02 and not record["full_text"].startswith("RT @") and "…" not in record["full_text"]:
            entries = [self.edited(record, when), record]
        self.stats.posts += 1
        self.stats.entries += len(entries)
        for entry in entries:
            self.stats.texts.add(hash(entry["full_text"]))
            self.stats.lengths.append(len(entry["full_text"]))
        return entries

    def record(self, tid: str, when: datetime) -> dict[str, Any]:
        rng = self.rng
        draft = self.texts.post(rng, when)
        self.stats.languages[draft.lang] += 1
        self.stats.prose.add(hash(draft.prose))
        text = draft.text
        entities: dict[str, Any] = {"hashtags": [], "symbols": [], "user_mentions": [], "urls": []}
        extra: dict[str, Any] = {}
        roll = rng.random()
        if roll < 0.15:
            who = self.texts.other(rng)
            text = f"RT @{who}: {text}"[:140]
            entities["user_mentions"].append(self.mention(who, 3))
        elif roll < 0.35:
            extra = self.reply(entities)
            owner = self.owner.handle
            text = (f"@{extra['in_reply_to_screen_name']} " if extra["in_reply_to_screen_name"] != owner else "") + text
        if rng.random() < 0.3:
            tag = self.texts.hashtag(rng, draft.lang)
            entities["hashtags"].append({"text": tag, "indices": [str(len(text) + 1), str(len(text) + 2 + len(tag))]})
            text += f" #{tag}"
        if roll >= 0.15 and rng.random() < 0.3:
            text = self.link(text, entities, quote=rng.random() < 0.25)
        record: dict[str, Any] = {
            "edit_info": {"initial": {"editTweetIds": [tid], "editableUntil": self.iso(when + timedelta(hours=1)),
                                      "editsRemaining": "5", "isEditEligible": False}},
            "retweeted": False, "source": SOURCE, "entities": entities,
            "display_text_range": ["0", str(len(text))],
            "favorite_count": str(int(rng.paretovariate(1.2)) - 1), "id_str": tid, "truncated": False,
            "retweet_count": str(int(rng.paretovariate(1.5)) - 1), "id": tid,
            "created_at": when.strftime("%a %b %d %H:%M:%S +0000 %Y"), "favorited": False,
        }
        if extra:
            record["in_reply_to_status_id_str"] = extra["in_reply_to_status_id_str"]
            record["in_reply_to_user_id"] = extra["in_reply_to_user_id_str"]
            record["in_reply_to_status_id"] = extra["in_reply_to_status_id_str"]
        if not text.startswith("RT @") and rng.random() < 0.01:
            text = self.note(text, when, entities, draft.lang)
        if not text.startswith("RT @") and rng.random() < 0.25:
            text = self.media(text, tid, entities, record)
        record["full_text"] = text
        record["lang"] = draft.declared
        if extra:
            record["in_reply_to_screen_name"] = extra["in_reply_to_screen_name"]
            record["in_reply_to_user_id_str"] = extra["in_reply_to_user_id_str"]
        return record

    def mention(self, who: str, start: int) -> dict[str, Any]:
        uid = user_id(who)
        return {"name": who.title(), "screen_name": who, "indices": [str(start), str(start + len(who) + 1)],
                "id_str": uid, "id": uid}

    def reply(self, entities: dict[str, Any]) -> dict[str, Any]:
        """Half the replies continue one of the account's recent posts (a self-thread)."""
        if self.recent and self.rng.random() < 0.5:
            return {"in_reply_to_status_id_str": self.rng.choice(self.recent),
                    "in_reply_to_user_id_str": self.owner.account_id, "in_reply_to_screen_name": self.owner.handle}
        who = self.texts.other(self.rng)
        entities["user_mentions"].append(self.mention(who, 0))
        parent = str(self.rng.getrandbits(60))
        return {"in_reply_to_status_id_str": parent, "in_reply_to_user_id_str": user_id(who),
                "in_reply_to_screen_name": who}

    def link(self, text: str, entities: dict[str, Any], quote: bool) -> str:
        """A t.co link with its expanded URL; a quote is a link to another account's status."""
        short = self.tco()
        n = self.rng.getrandbits(40)
        target = (f"https://twitter.com/{self.texts.other(self.rng)}/status/{n}" if quote
                  else self.rng.choice(SITES).format(n=n))
        start = len(text) + 1
        entities["urls"].append({"url": short, "expanded_url": target, "display_url": target[8:34] + "…",
                                 "indices": [str(start), str(start + len(short))]})
        return f"{text} {short}"

    def media(self, text: str, tid: str, entities: dict[str, Any], record: dict[str, Any]) -> str:
        short = self.tco()
        items = []
        for k in range(self.rng.choice([1, 1, 1, 2, 4])):
            mid = str(int(tid) - k - 1)
            items.append({
                "expanded_url": f"https://twitter.com/{self.owner.handle}/status/{tid}/photo/1",
                "indices": [str(len(text) + 1), str(len(text) + 1 + len(short))], "url": short,
                "media_url": f"http://pbs.twimg.com/media/F{mid}.jpg", "id_str": mid, "id": mid,
                "media_url_https": f"https://pbs.twimg.com/media/F{mid}.jpg",
                "sizes": {s: {"w": "1200", "h": "900", "resize": "fit" if s != "thumb" else "crop"}
                          for s in ("medium", "small", "thumb", "large")},
                "type": "photo", "display_url": "pic.twitter.com/" + short[-10:],
            })
        entities["media"] = items[:1]
        record["possibly_sensitive"] = False
        record["extended_entities"] = {"media": items}
        return f"{text} {short}"

    def note(self, text: str, when: datetime, entities: dict[str, Any], lang: str) -> str:
        """A long post: the full text goes to note-tweet.js, the tweet keeps a truncated copy.

        As in real archives, the note leaves out the reply @mentions and lists its own t.co links.
        """
        lead = re.match(r"^(?:@\w+ )*", text)
        prefix = lead.group(0) if lead else ""
        long_text = self.texts.long_text(self.rng, lang, text[len(prefix):], when)
        urls = [{"expandedUrl": u["expanded_url"], "shortUrl": u["url"], "displayUrl": u["display_url"]}
                for u in entities["urls"]]
        tags = [{"text": h["text"]} for h in entities["hashtags"]]
        self.notes.append({"noteTweet": {
            "noteTweetId": self.snowflake(when), "updatedAt": self.iso(when),
            "lifecycle": {"value": "1", "name": "Active", "originalName": "Active", "annotations": {}},
            "createdAt": self.iso(when),
            "core": {"styletags": [], "urls": urls, "text": long_text, "mentions": [], "cashtags": [],
                     "hashtags": tags},
        }})
        return prefix + long_text[:270] + "…"

    def edited(self, original: dict[str, Any], when: datetime) -> dict[str, Any]:
        """A later version of `original`, linked the way the archive links edits."""
        later = when + timedelta(minutes=self.rng.randint(1, 50))
        new_id = self.snowflake(later)
        original["edit_info"]["initial"]["editTweetIds"].append(new_id)
        record: dict[str, Any] = json.loads(json.dumps(original))
        record["edit_info"] = {"edit": {"initialTweetId": original["id_str"], "editControlInitial": {
            "editTweetIds": [original["id_str"], new_id], "editableUntil": self.iso(when + timedelta(hours=1)),
            "editsRemaining": "4", "isEditEligible": True}}}
        record.update(id_str=new_id, id=new_id, created_at=later.strftime("%a %b %d %H:%M:%S +0000 %Y"))
        record["full_text"] = original["full_text"] + " (corrected)"
        return record

    @staticmethod
    def iso(when: datetime) -> str:
        return when.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def write_part(path: Path, part: int, entries: Iterator[dict[str, Any]]) -> int:
    """One tweets part, streamed entry by entry: `window.YTD.tweets.partN = [ {...}, {...} ]`."""
    count = 0
    with path.open("wb") as f:
        f.write(f"window.YTD.tweets.part{part} = [ ".encode())
        for entry in entries:
            f.write((b", " if count else b"") + archive_json({"tweet": entry}))
            count += 1
        f.write(b" ]")
    return count


def part_name(part: int) -> str:
    return "data/tweets.js" if part == 0 else f"data/tweets-part{part}.js"


def write_manifest(out: Path, counts: list[int], notes: int, owner: Owner) -> None:
    def files(name: str, global_name: str, count: int) -> dict[str, Any]:
        return {"files": [{"fileName": name, "globalName": global_name, "count": str(count)}]}

    manifest = {
        "userInfo": {"accountId": owner.account_id, "userName": owner.handle, "displayName": owner.display_name},
        "archiveInfo": {"sizeBytes": "0", "generationDate": "2025-07-01T00:00:00.000Z", "isPartialArchive": False,
                        "maxPartSizeBytes": "53687091200"},
        "dataTypes": {
            "account": files("data/account.js", "YTD.account.part0", 1),
            "noteTweet": files("data/note-tweet.js", "YTD.note_tweet.part0", notes),
            "tweets": {"mediaDirectory": "data/tweets_media", "files": [
                {"fileName": part_name(p), "globalName": f"YTD.tweets.part{p}", "count": str(c)}
                for p, c in enumerate(counts)]},
        },
    }
    (out / "data" / "manifest.js").write_bytes(b"window.__THAR_CONFIG = " + archive_json(manifest))


def write_archive(out: Path, gen: Generator, parts: int) -> int:
    """One account's archive folder; returns how many tweet entries it holds."""
    (out / "data").mkdir(parents=True, exist_ok=True)
    per_part = -(-gen.total // parts)
    counts = []
    for part in range(parts):
        first, stop = gen.total - 1 - part * per_part, max(-1, gen.total - 1 - (part + 1) * per_part)
        entries = (entry for i in range(first, stop, -1) for entry in gen.tweet(i))
        counts.append(write_part(out / part_name(part), part, entries))
    owner = gen.owner
    account = [{"account": {"email": "press@example.org", "createdVia": "web", "username": owner.handle,
                            "accountId": owner.account_id, "createdAt": "2012-06-01T00:00:00.000Z",
                            "accountDisplayName": owner.display_name}}]
    (out / "data" / "account.js").write_bytes(b"window.YTD.account.part0 = " + archive_json(account))
    (out / "data" / "note-tweet.js").write_bytes(b"window.YTD.note_tweet.part0 = " + archive_json(gen.notes))
    write_manifest(out, counts, len(gen.notes), owner)
    return sum(counts)


def plans(accounts: int) -> list[Plan]:
    """The ministry's own account first, then embassies in HOSTS order, then consulates in the same countries."""
    result = [Plan("mofa", "ministry", Owner("mofa_example", "1234567890", "Ministry (example)"), MINISTRY_MIX)]
    for k in range(1, accounts):
        code, language, country = HOSTS[(k - 1) % len(HOSTS)]
        role = "embassy" if k <= len(HOSTS) else "consulate"
        account_id = f"{role[:3]}-{code.lower()}-{k:03d}"
        owner = Owner(account_id.replace("-", "_"), str(1234567890 + 7919 * k), f"Korean {role} in {country} ({k})")
        result.append(Plan(account_id, role, owner, embassy_mix(language), code))
    return result


def accounts_toml(plans_: list[Plan], folders: list[str]) -> str:
    """The accounts file `audit run` reads; sources are relative to it."""
    lines = ['[ministry]\nname = "Benchmark ministry"\ncountry = "KR"\n']
    for plan, folder in zip(plans_, folders, strict=True):
        lines.append(f'[[accounts]]\nid = "{plan.id}"\nname = "{plan.owner.display_name}"\nrole = "{plan.role}"\n'
                     f'platform = "x"\nhandle = "@{plan.owner.handle}"\nsource = "{folder}"\n')
        if plan.host_country:
            lines[-1] += f'host_country = "{plan.host_country}"\n'
    return "\n".join(lines)


def generate(args: argparse.Namespace) -> Stats:
    """Every account's archive, posts split evenly; one rng per account so accounts are independent."""
    stats = Stats()
    if args.corpus == "phrases":
        owner = Owner("mofa_example", "1234567890", "Ministry (example)")
        gen = Generator(random.Random(args.seed), args.posts, owner, PhraseTexts(), stats)
        write_archive(args.out, gen, args.parts or -(-args.posts // TWEETS_PER_PART))
        return stats
    accounts = plans(args.accounts)
    folders = ["./"] if len(accounts) == 1 else [f"{p.id}/" for p in accounts]
    for k, (plan, folder) in enumerate(zip(accounts, folders, strict=True)):
        total = args.posts // len(accounts) + (1 if k < args.posts % len(accounts) else 0)
        rng = random.Random(args.seed if k == 0 else f"{args.seed}/{k}")
        gen = Generator(rng, total, plan.owner, RealisticTexts(plan.mix), stats)
        write_archive(args.out / folder, gen, args.parts or -(-total // TWEETS_PER_PART))
        if len(accounts) > 1 and (k + 1) % 20 == 0:
            print(f"wrote {k + 1} of {len(accounts)} archives", flush=True)
    (args.out / "accounts.toml").write_text(accounts_toml(accounts, folders), encoding="utf-8")
    return stats


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", "--tweets", dest="posts", type=int, default=100_000,
                        help="tweets in all (edits add about 2%% more entries)")
    parser.add_argument("--accounts", type=int, default=1, help="split the posts evenly over this many archives")
    parser.add_argument("--parts", type=int, default=None,
                        help=f"tweets parts per archive (default: one per {TWEETS_PER_PART:,} tweets)")
    parser.add_argument("--corpus", choices=("realistic", "phrases"), default="realistic",
                        help="distinct composed texts, or the earlier 22 repeated sentences (one account only)")
    parser.add_argument("--seed", type=int, default=20250101)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    if args.corpus == "phrases" and args.accounts != 1:
        parser.error("--corpus phrases writes one account")
    if args.posts < args.accounts:
        parser.error("--posts must be at least --accounts")
    return args


def main() -> None:
    args = parse_args()
    started = time.perf_counter()
    stats = generate(args)
    seconds = time.perf_counter() - started
    size = sum(p.stat().st_size for p in args.out.rglob("*") if p.is_file())
    summary = {"corpus": args.corpus, "accounts": args.accounts, "seed": args.seed, "seconds": round(seconds, 1),
               "bytes": size, **stats.summary()}
    if args.corpus == "realistic":
        text = json.dumps(summary, indent=2, ensure_ascii=False) + "\n"
        (args.out / "corpus.json").write_text(text, encoding="utf-8")
    print(json.dumps(summary, ensure_ascii=False))


if __name__ == "__main__":
    main()
