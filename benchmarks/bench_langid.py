"""Throughput of language detection on synthetic short posts (texts per second).

Posts are two 10-50 character slices of the multilingual test sentences with 1-3 pieces of social
noise (URL, @handle, #tag, emoji, :shortcode:) carrying random ids, so that almost every post is
distinct and the deduplication in detect_languages() does not flatter the numbers.

    .venv/bin/python benchmarks/bench_langid.py [--posts 200000] [--threads N]

Reference (reference/LANGID.md, 2-core box): ~50,000 texts/s per core for the detector alone,
~23,700 texts/s with the regex preclean.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=200_000)
    parser.add_argument("--threads", type=int, default=None, help="POLARS_MAX_THREADS (default: all cores)")
    parser.add_argument("--seed", type=int, default=7)
    return parser.parse_args()


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


def synthetic_posts(count: int, seed: int) -> list[str]:
    """Two slices of test sentences in one language (20-100 characters in all) plus noise."""
    from tests.test_langid import POSTS

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


def timed(label: str, count: int, work: Callable[[], object], repeats: int = 3) -> float:
    """Warm up once, then the best of `repeats` runs (the machine may be shared); print texts/s."""
    work()
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - start)
    rate = count / best
    print(f"{label:<48} {rate:>12,.0f} texts/s")
    return rate


def main() -> None:
    args = parse_args()
    if args.threads:
        os.environ["POLARS_MAX_THREADS"] = str(args.threads)
    import polars as pl

    from audit.enrich import langid
    from audit.enrich.text import clean_for_detection

    texts = pl.Series("text", synthetic_posts(args.posts, args.seed))
    cleaned = pl.select(clean_for_detection(pl.lit(texts))).to_series()
    lines = (cleaned + "\n").to_list()
    predict = langid._model().predict
    print(f"{args.posts:,} posts, {cleaned.n_unique():,} distinct after cleaning, "
          f"polars threads: {pl.thread_pool_size()}, cores: {os.cpu_count()}")
    timed("clean only (polars regex)", len(texts), lambda: pl.select(clean_for_detection(pl.lit(texts))))
    timed("detect only (model on pre-cleaned text)", len(lines), lambda: [predict(x, 1, 0.0, "replace") for x in lines])
    timed("detect_languages on pre-cleaned text", len(texts), lambda: langid.detect_languages(cleaned))
    timed("detect_languages on raw posts (clean + detect)", len(texts), lambda: langid.detect_languages(texts))
    shares = langid.detect_languages(texts)["lang"].value_counts(sort=True, normalize=True).head(16)
    print("detected:", ", ".join(f"{lang} {share:.3f}" for lang, share in shares.iter_rows()))


if __name__ == "__main__":
    main()
