"""Write a realistic, deterministic X archive folder for benchmarking the x_archive collector.

    python benchmarks/make_x_archive.py --tweets 1000000 --parts 4 --out benchmarks/data/x-1m/

The layout and record shapes follow real archives (FORMATS.md section 1, the real sample in
../shared/samples/twitter/tweets.js): `data/manifest.js` listing every tweets part, `data/account.js`,
`data/tweets.js` + `data/tweets-partN.js` as `window.YTD.tweets.partN = [ ... ]` pretty-printed the way
X writes them (`"key" : value`, every number a string), and `data/note-tweet.js` for long posts.
The mix is what a ministry account looks like: posts, replies to others, self-threads, retweets,
quotes, edits, hashtags, t.co links, photos, and text in several scripts. Same seed, same bytes.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import zlib
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

TWITTER_EPOCH_MS = 1288834974657
OWNER_ID = "1234567890"
OWNER = "mofa_example"
START = datetime(2013, 1, 1, tzinfo=UTC)
END = datetime(2025, 6, 30, tzinfo=UTC)

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
SITES = ["https://www.mofa.go.kr/eng/brd/m_5676/view.do?seq={n}", "https://www.un.org/en/story/{n}",
         "https://news.example.org/articles/{n}", "https://youtu.be/v{n}"]
SOURCE = '<a href="https://mobile.twitter.com" rel="nofollow">Twitter Web App</a>'


def user_id(handle: str) -> str:
    """A stable numeric id for another account (the built-in hash() changes between runs)."""
    return str(zlib.crc32(handle.encode()) + 10**9)


def dump(value: Any, indent: str = "") -> str:
    """JSON in the archive's pretty style: `"key" : value`, `[ ]` for empty lists, two-space indents."""
    inner = indent + "  "
    if isinstance(value, dict):
        if not value:
            return "{ }"
        items = ",\n".join(f'{inner}"{k}" : {dump(v, inner)}' for k, v in value.items())
        return "{\n" + items + "\n" + indent + "}"
    if isinstance(value, list):
        if not value:
            return "[ ]"
        return "[\n" + ",\n".join(inner + dump(v, inner) for v in value) + "\n" + indent + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    return json.dumps(value, ensure_ascii=False)


class Generator:
    """Tweets newest first, like an archive; ids are snowflakes of their creation time."""

    def __init__(self, seed: int, total: int) -> None:
        self.rng = random.Random(seed)
        self.total = total
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
        if self.rng.random() < 0.02 and not record["full_text"].startswith("RT @") and "…" not in record["full_text"]:
            return [self.edited(record, when), record]
        return [record]

    def record(self, tid: str, when: datetime) -> dict[str, Any]:
        rng = self.rng
        lang = rng.choices(LANGS, LANG_WEIGHTS)[0]
        text = rng.choice(PHRASES[lang])
        entities: dict[str, Any] = {"hashtags": [], "symbols": [], "user_mentions": [], "urls": []}
        extra: dict[str, Any] = {}
        roll = rng.random()
        if roll < 0.15:
            who = rng.choice(OTHERS)
            text = f"RT @{who}: {text}"[:140]
            entities["user_mentions"].append(self.mention(who, 3))
        elif roll < 0.35:
            extra = self.reply(entities)
            text = (f"@{extra['in_reply_to_screen_name']} " if extra["in_reply_to_screen_name"] != OWNER else "") + text
        if rng.random() < 0.3:
            tag = rng.choice(HASHTAGS)
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
            text = self.note(text, when, entities)
        if not text.startswith("RT @") and rng.random() < 0.25:
            text = self.media(text, tid, entities, record)
        record["full_text"] = text
        record["lang"] = lang
        if extra:
            record["in_reply_to_screen_name"] = extra["in_reply_to_screen_name"]
            record["in_reply_to_user_id_str"] = extra["in_reply_to_user_id_str"]
        return record

    def mention(self, who: str, start: int) -> dict[str, Any]:
        uid = user_id(who)
        return {"name": who.title(), "screen_name": who, "indices": [str(start), str(start + len(who) + 1)],
                "id_str": uid, "id": uid}

    def reply(self, entities: dict[str, Any]) -> dict[str, Any]:
        if self.recent and self.rng.random() < 0.5:
            return {"in_reply_to_status_id_str": self.rng.choice(self.recent),
                    "in_reply_to_user_id_str": OWNER_ID, "in_reply_to_screen_name": OWNER}
        who = self.rng.choice(OTHERS)
        entities["user_mentions"].append(self.mention(who, 0))
        parent = str(self.rng.getrandbits(60))
        return {"in_reply_to_status_id_str": parent, "in_reply_to_user_id_str": user_id(who),
                "in_reply_to_screen_name": who}

    def link(self, text: str, entities: dict[str, Any], quote: bool) -> str:
        short = self.tco()
        n = self.rng.getrandbits(40)
        target = (f"https://twitter.com/{self.rng.choice(OTHERS)}/status/{n}" if quote
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
                "expanded_url": f"https://twitter.com/{OWNER}/status/{tid}/photo/1",
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

    def note(self, text: str, when: datetime, entities: dict[str, Any]) -> str:
        """A long post: the full text goes to note-tweet.js, the tweet keeps a truncated copy.

        As in real archives, the note leaves out the reply @mentions and lists its own t.co links.
        """
        lead = re.match(r"^(?:@\w+ )*", text)
        prefix = lead.group(0) if lead else ""
        long_text = " ".join([text[len(prefix):]] * 8)
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


def write_part(path: Path, part: int, entries: list[dict[str, Any]]) -> None:
    with path.open("w", encoding="utf-8") as f:
        f.write(f"window.YTD.tweets.part{part} = [ ")
        for k, entry in enumerate(entries):
            f.write(("" if k == 0 else ", ") + dump({"tweet": entry}))
        f.write(" ]")


def part_name(part: int) -> str:
    return "data/tweets.js" if part == 0 else f"data/tweets-part{part}.js"


def write_manifest(out: Path, counts: list[int], notes: int) -> None:
    def files(name: str, global_name: str, count: int) -> dict[str, Any]:
        return {"files": [{"fileName": name, "globalName": global_name, "count": str(count)}]}

    manifest = {
        "userInfo": {"accountId": OWNER_ID, "userName": OWNER, "displayName": "Ministry (example)"},
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
    (out / "data" / "manifest.js").write_text("window.__THAR_CONFIG = " + dump(manifest), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tweets", type=int, default=100_000)
    parser.add_argument("--parts", type=int, default=1)
    parser.add_argument("--seed", type=int, default=20250101)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    (args.out / "data").mkdir(parents=True, exist_ok=True)
    gen = Generator(args.seed, args.tweets)
    per_part = -(-args.tweets // args.parts)
    counts = []
    for part in range(args.parts):
        newest_first = range(args.tweets - 1 - part * per_part, max(-1, args.tweets - 1 - (part + 1) * per_part), -1)
        entries = [entry for i in newest_first for entry in gen.tweet(i)]
        write_part(args.out / part_name(part), part, entries)
        counts.append(len(entries))
        print(f"wrote {part_name(part)}: {len(entries)} entries", flush=True)
    account = [{"account": {"email": "press@example.org", "createdVia": "web", "username": OWNER,
                            "accountId": OWNER_ID, "createdAt": "2012-06-01T00:00:00.000Z",
                            "accountDisplayName": "Ministry (example)"}}]
    (args.out / "data" / "account.js").write_text("window.YTD.account.part0 = " + dump(account), encoding="utf-8")
    notes = "window.YTD.note_tweet.part0 = " + dump(gen.notes)
    (args.out / "data" / "note-tweet.js").write_text(notes, encoding="utf-8")
    write_manifest(args.out, counts, len(gen.notes))
    print(f"wrote {sum(counts)} tweet entries, {len(gen.notes)} note tweets to {args.out}")


if __name__ == "__main__":
    main()
