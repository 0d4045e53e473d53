"""Language detection: throughput on 1 and on every core, and accuracy per language on short posts.

Throughput: posts composed by the realistic corpus generator (`corpus_text.py`, a ministry's language
mix, 15 languages, almost every text distinct) or, with ``--corpus slices``, the older synthetic posts
(slices of test sentences with social noise). Each `detect_languages` run is timed with 1 worker
process and with N (default: every core), and the outputs are compared.

Accuracy (``--accuracy``): the model alone (no declared tags) on single sentences of 20+ letters,
per language: 15 languages from the corpus generator's templates (`--per-language` each) and the
hand-written posts in `fixtures/langid/short_posts.csv` (it, tr, uk, nl, pl, fa, he). Malay and
Indonesian are scored both strictly and as one language (the model cannot tell them apart).

    .venv/bin/python benchmarks/bench_langid.py [--posts 200000] [--workers 1,2] [--threads N]
    .venv/bin/python benchmarks/bench_langid.py --accuracy

Reference (reference/LANGID.md, 2-core box): ~50,000 texts/s per core for the detector alone,
~23,700 texts/s with the regex preclean.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import resource
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
for folder in (ROOT, ROOT / "benchmarks"):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

SHORT_POSTS = ROOT / "fixtures" / "langid" / "short_posts.csv"
MIN_LETTERS = 20
LETTER = re.compile(r"[^\W\d_]")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=200_000)
    parser.add_argument("--corpus", choices=("realistic", "slices"), default="realistic")
    parser.add_argument("--workers", default=f"1,{os.cpu_count() or 1}", help="worker counts to time, e.g. 1,2")
    parser.add_argument("--threads", type=int, default=None, help="POLARS_MAX_THREADS (default: all cores)")
    parser.add_argument("--repeats", type=int, default=2, help="timed runs per worker count (best is kept)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--accuracy", action="store_true", help="accuracy per language instead of throughput")
    parser.add_argument("--per-language", type=int, default=300, help="generated sentences per language")
    return parser.parse_args()


def realistic_posts(count: int, seed: int) -> list[str]:
    """Posts of a ministry's global account as the corpus generator writes them (distinct texts)."""
    from corpus_text import MINISTRY_MIX, Composer

    composer, rng = Composer(MINISTRY_MIX), random.Random(seed)
    when = datetime(2026, 6, 1, tzinfo=UTC)
    return [composer.post(rng, when).text for _ in range(count)]


def noise(rng: random.Random) -> str:
    """One piece of social-media noise with a random id."""
    pieces = [
        lambda: f"https://t.co/{rng.getrandbits(40):x}",
        lambda: f"@mofa_{rng.randrange(10_000)}",
        lambda: f"#G{rng.randrange(100)}",
        lambda: rng.choice(["👍", "🇰🇷", "🤝🏽", "❤️", "🎉✨"]),
        lambda: rng.choice([":flag_kr:", ":wave:", "#외교", "#外交"]),
    ]
    return rng.choice(pieces)()


def sliced_posts(count: int, seed: int) -> list[str]:
    """Two slices of test sentences in one language (20-100 characters in all) plus noise."""
    from tests.enrich.test_langid import POSTS

    languages = list(POSTS.values())
    rng = random.Random(seed)
    posts = []
    for _ in range(count):
        texts = rng.choice(languages)
        body = " ".join(random_slice(rng, rng.choice(texts), rng.randrange(10, 50)) for _ in range(2))
        extras = [noise(rng) for _ in range(rng.randrange(1, 4))]
        posts.append(" ".join([body, *extras]) if rng.random() < 0.7 else " ".join([*extras, body]))
    return posts


def random_slice(rng: random.Random, sentence: str, length: int) -> str:
    start = rng.randrange(max(1, len(sentence) - length))
    return sentence[start : start + length]


def cpu_seconds() -> float:
    """CPU time of this process and of its finished children (the detection workers)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timed(label: str, count: int, work: Callable[[], Any], repeats: int) -> tuple[float, Any]:
    """Warm up once, then the best of `repeats` runs (the machine may be shared); print texts/s of wall
    time and per CPU second (which a busy machine disturbs less)."""
    output = work()
    best, best_cpu = float("inf"), float("inf")
    for _ in range(repeats):
        start, start_cpu = time.perf_counter(), cpu_seconds()
        work()
        best, best_cpu = min(best, time.perf_counter() - start), min(best_cpu, cpu_seconds() - start_cpu)
    rate = count / best
    print(f"{label:<52} {rate:>10,.0f} texts/s  ({best:.2f} s wall, {best_cpu:.2f} s CPU: "
          f"{count / best_cpu:,.0f} texts per CPU second)")
    return rate, output


def throughput(args: argparse.Namespace) -> None:
    import polars as pl

    from audit.enrich import langid, lidmodel
    from audit.enrich.text import clean_for_detection

    make = realistic_posts if args.corpus == "realistic" else sliced_posts
    texts = pl.Series("text", make(args.posts, args.seed))
    cleaned = pl.select(clean_for_detection(pl.lit(texts))).to_series()
    lines = (cleaned.unique() + "\n").to_list()
    print(f"{args.posts:,} {args.corpus} posts, {texts.n_unique():,} distinct, {len(lines):,} distinct after "
          f"cleaning; polars threads: {pl.thread_pool_size()}, cores: {os.cpu_count()}")
    timed("clean only (polars regex)", len(texts), lambda: pl.select(clean_for_detection(pl.lit(texts))), args.repeats)
    outputs = []
    for workers in (int(w) for w in args.workers.split(",")):
        timed(f"model only, distinct texts, {workers} worker(s)", len(lines),
              lambda w=workers: lidmodel.predict_many(lines, w), args.repeats)
        _, out = timed(f"detect_languages on raw posts, {workers} worker(s)", len(texts),
                       lambda w=workers: langid.detect_languages(texts, workers=w), args.repeats)
        outputs.append(out)
    print("outputs identical across worker counts:", all(o.equals(outputs[0]) for o in outputs))
    shares = outputs[0]["lang"].value_counts(sort=True, normalize=True).head(16)
    print("detected:", ", ".join(f"{lang} {share:.3f}" for lang, share in shares.iter_rows()))


def generated_sentences(per_language: int, seed: int) -> list[tuple[str, str, str | None]]:
    """(language, sentence, X's tag) from the corpus generator's templates and short notices, 20+ letters each."""
    from corpus_text import LANGUAGES, Composer

    composer, rng = Composer({"en": 1}), random.Random(seed)
    when = datetime(2026, 6, 1, tzinfo=UTC)
    rows = []
    for code, language in LANGUAGES.items():
        pool = language.templates + language.shorts
        found = 0
        while found < per_language:
            text = composer.sentence(rng, language, pool, when)
            if len(LETTER.findall(text)) >= MIN_LETTERS:
                rows.append((code, text, language.declared))
                found += 1
    return rows


def hand_written() -> list[tuple[str, str, str | None]]:
    import polars as pl

    table = pl.read_csv(SHORT_POSTS, infer_schema=False)
    return [(lang, text, None) for lang, text in table.iter_rows() if len(LETTER.findall(text)) >= MIN_LETTERS]


def accuracy(args: argparse.Namespace) -> None:
    import polars as pl

    from audit.enrich.langid import detect_languages

    rows = [("generated", *r) for r in generated_sentences(args.per_language, args.seed)]
    rows += [("hand-written", *r) for r in hand_written()]
    frame = pl.DataFrame(rows, schema=["source", "gold", "text", "tag"], orient="row")
    detected = detect_languages(frame["text"], declared=frame["tag"], workers=1)
    frame = frame.with_columns(got=detected["detected_lang"], used=detected["lang"])
    merged = pl.col("got").replace({"ms": "id"}) == pl.col("gold").replace({"ms": "id"})
    table = frame.group_by("source", "gold").agg(
        n=pl.len(), accuracy=(pl.col("got") == pl.col("gold")).mean(), ms_id_as_one=merged.mean(),
        und=(pl.col("got") == "und").sum(), with_tag=(pl.col("used") == pl.col("gold")).mean(),
        wrong=pl.col("got").filter((pl.col("got") != pl.col("gold")) & (pl.col("got") != "und"))
        .value_counts(sort=True),
    ).sort("source", "gold")
    print(f"Accuracy of the model alone on sentences of {MIN_LETTERS}+ letters "
          f"({table.height} languages, {frame.height} texts)")
    print("(with tag: the language used when the platform's tag is known, as X writes it: `in` for id and ms)")
    print(f"{'source':<13} {'lang':<5} {'n':>5} {'accuracy':>9} {'ms=id':>7} {'und':>4} {'with tag':>9}  detected as")
    for r in table.iter_rows(named=True):
        wrong = ", ".join(f"{w['got']} {w['count']}" for w in r["wrong"][:3])
        print(f"{r['source']:<13} {r['gold']:<5} {r['n']:>5} {r['accuracy']:>9.1%} {r['ms_id_as_one']:>7.1%} "
              f"{r['und']:>4} {r['with_tag']:>9.1%}  {wrong}")
    overall, as_one = (frame["got"] == frame["gold"]).mean(), frame.select(merged.mean()).item()
    as_one_used = pl.col("used").replace({"ms": "id"}) == pl.col("gold").replace({"ms": "id"})
    with_tag = frame.select(as_one_used.mean()).item()
    print(f"all: {overall:.1%}, ms and id as one: {as_one:.1%}, with the tag (ms and id as one): {with_tag:.1%}")


def main() -> None:
    args = parse_args()
    if args.threads:
        os.environ["POLARS_MAX_THREADS"] = str(args.threads)
    accuracy(args) if args.accuracy else throughput(args)


if __name__ == "__main__":
    main()
