"""Validity of the post labels and language detection against the hand-labelled evaluation set.

Runs the tool's whole pipeline through its public API (``audit.audit_from_paths`` with an
``enriched`` sink) on every ``fixtures/eval/accounts-*.toml``, joins the enriched posts to the gold
labels of ``fixtures/eval/posts.csv`` on post_id, and reports:

* label (diplomacy / outreach / consular / other): accuracy, precision, recall and F1 per label,
  the confusion matrix and the accuracy per home country;
* the same accuracies on the two fixed halves of the set (``split_of`` in fixtures/eval/split.py):
  ``dev``, whose errors rule writers read, and ``held_out``, which they do not. The held-out figure is
  the honest one; a dev figure far above it means rules were fitted to the dev posts' wording;
* audience and mode: the same, when the pipeline produces such columns (else "not produced");
* signals, each against what the gold implies (``is_two_way`` against gold_mode, ``consular_term``
  against the consular label, ``addresses_foreign`` against a foreign audience...);
* language: accuracy overall and on posts of 20+ letters, per language, how many came out ``und``,
  the commonest confusions, and the platforms' own tags as a reference.

    .venv/bin/python benchmarks/bench_validity.py [--eval-dir fixtures/eval] [--json]

The set and how it was labelled: fixtures/eval/README.md and fixtures/eval/CODEBOOK.md.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import polars as pl

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DEFAULT_EVAL = ROOT / "fixtures" / "eval"
LABELS = ("diplomacy", "outreach", "consular", "other")
AUDIENCES = ("host_public", "global_public", "home_public", "nationals_abroad", "peers")
MODES = ("one_way", "two_way")
FOREIGN = ("host_public", "global_public", "peers")
HOME_SIDE = ("home_public", "nationals_abroad")
MIN_LETTERS = 20
UND = "und"
# Column names a later version may give the per-post audience and mode (first found wins).
AUDIENCE_COLUMNS = ("audience", "post_audience", "audience_label")
MODE_COLUMNS = ("mode", "post_mode", "engagement_mode")
# signal column -> (what the gold says a correct signal would mark, description of that truth)
SIGNALS: dict[str, tuple[pl.Expr, str]] = {
    "is_two_way": (pl.col("gold_mode") == "two_way", "gold_mode is two_way"),
    "reply_to_other": (pl.col("gold_mode") == "two_way", "gold_mode is two_way"),
    "mentions_external": (pl.col("gold_mode") == "two_way", "gold_mode is two_way"),
    "participation": (pl.col("gold_mode") == "two_way", "gold_mode is two_way"),
    "consular_term": (pl.col("gold_label") == "consular", "gold_label is consular"),
    "addresses_foreign": (pl.col("gold_audience").is_in(FOREIGN), "gold audience is foreign (host, global, peers)"),
    "audience_language": (pl.col("gold_audience").is_in(FOREIGN), "gold audience is foreign (host, global, peers)"),
    "home_language": (pl.col("gold_audience").is_in(HOME_SIDE), "gold audience is home public or nationals"),
}
LETTER = re.compile(r"[^\W\d_]")
NOISE = re.compile(r"https?://\S+|[@#][\w.@-]+")


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--eval-dir", type=Path, default=DEFAULT_EVAL, help="folder with posts.csv and accounts-*.toml")
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON document")
    return parser.parse_args(argv)


def run_pipeline(accounts_file: Path) -> pl.DataFrame:
    """Every enriched post of one accounts file, through the stable public API (the only use of `audit`)."""
    import audit

    frames: list[pl.DataFrame] = []
    audit.audit_from_paths(accounts_file, enriched=frames.append)
    if not frames:
        return pl.DataFrame(schema={"post_id": pl.String})
    return pl.concat(frames, how="diagonal_relaxed")


def split_of(eval_dir: Path) -> Callable[[str], str]:
    """The set's own dev/held-out rule (fixtures/eval/split.py), or everything "dev" for other sets."""
    script = eval_dir / "split.py"
    if not script.is_file():
        return lambda _post_id: "dev"
    import importlib.util

    spec = importlib.util.spec_from_file_location("eval_split", script)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    rule: Callable[[str], str] = getattr(module, "split_of", lambda _post_id: "dev")
    return rule


def load_gold(eval_dir: Path) -> pl.DataFrame:
    """The hand labels, with each post's letter count (URLs, @handles and #tags left out) and half."""
    gold = pl.read_csv(eval_dir / "posts.csv", infer_schema=False)
    letters = [len(LETTER.findall(NOISE.sub(" ", text))) for text in gold["text"]]
    half = split_of(eval_dir)
    return gold.with_columns(pl.Series("letters", letters, pl.Int64),
                             pl.Series("split", [half(p) for p in gold["post_id"]], pl.String),
                             pl.col("account").str.slice(0, 2).str.to_uppercase().alias("home_country"))


def load_predictions(eval_dir: Path) -> pl.DataFrame:
    """The enriched posts of every accounts file of the set, in one frame."""
    files = sorted(eval_dir.glob("accounts-*.toml"))
    if not files:
        raise SystemExit(f"{eval_dir}: expected accounts-*.toml files")
    return pl.concat([run_pipeline(f) for f in files], how="diagonal_relaxed")


def joined(gold: pl.DataFrame, pred: pl.DataFrame) -> tuple[pl.DataFrame, dict[str, Any]]:
    """Gold rows with their predictions (inner join on post_id), and what did not join or changed."""
    keep = pred.rename({c: f"pred_{c}" for c in pred.columns if c != "post_id"})
    both = gold.join(keep, on="post_id", how="inner")
    coverage = {
        "gold_posts": gold.height,
        "predicted_posts": pred.height,
        "joined": both.height,
        "gold_without_prediction": sorted(set(gold["post_id"]) - set(pred["post_id"])),
        "text_differs": both.filter(pl.col("text") != pl.col("pred_text"))["post_id"].to_list()
        if "pred_text" in both.columns else [],
    }
    return both, coverage


def ratio(numerator: int, denominator: int) -> float | None:
    """A share rounded to 4 places, None when there is nothing to divide by."""
    return round(numerator / denominator, 4) if denominator else None


def binary_scores(truth: pl.Series, predicted: pl.Series) -> dict[str, Any]:
    """Precision, recall, F1 and support of a boolean prediction against a boolean truth."""
    tp = int((truth & predicted).sum())
    fp = int((~truth & predicted).sum())
    fn = int((truth & ~predicted).sum())
    precision, recall = ratio(tp, tp + fp), ratio(tp, tp + fn)
    f1 = None
    if precision is not None and recall is not None:
        f1 = round(2 * precision * recall / (precision + recall), 4) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "support": tp + fn, "predicted": tp + fp}


def classification(df: pl.DataFrame, gold_col: str, pred_col: str, classes: Sequence[str]) -> dict[str, Any]:
    """Accuracy, per-class scores, macro F1 and the confusion matrix (gold row -> predicted column)."""
    gold, pred = df[gold_col], df[pred_col].fill_null("(null)")
    per_class = {c: binary_scores(gold == c, pred == c) for c in classes}
    f1s = [s["f1"] for s in per_class.values() if s["f1"] is not None]
    predicted_values = list(classes) + sorted(set(pred.to_list()) - set(classes))
    confusion = {g: {p: int(((gold == g) & (pred == p)).sum()) for p in predicted_values} for g in classes}
    return {"n": df.height, "accuracy": ratio(int((gold == pred).sum()), df.height),
            "macro_f1": round(sum(f1s) / len(f1s), 4) if f1s else None,
            "per_class": per_class, "confusion": confusion}


def first_column(df: pl.DataFrame, names: Sequence[str]) -> str | None:
    """The first of `names` that the predictions have (prefixed pred_), or None."""
    return next((f"pred_{n}" for n in names if f"pred_{n}" in df.columns), None)


def optional_classification(df: pl.DataFrame, gold_col: str, names: Sequence[str],
                            classes: Sequence[str]) -> dict[str, Any]:
    """Scores for a per-post column the pipeline may not produce yet."""
    column = first_column(df, names)
    if column is None:
        return {"produced": False, "note": "not produced by this version"}
    return {"produced": True, "column": column.removeprefix("pred_"), **classification(df, gold_col, column, classes),
            "accuracy_by_split": group_accuracy(df, "split", gold_col, column)}


def label_report(df: pl.DataFrame) -> dict[str, Any]:
    """Label scores overall and the accuracy per home country and per gold audience."""
    report = classification(df, "gold_label", "pred_label", LABELS)
    report["accuracy_by_home_country"] = group_accuracy(df, "home_country", "gold_label", "pred_label")
    report["accuracy_by_gold_audience"] = group_accuracy(df, "gold_audience", "gold_label", "pred_label")
    report["accuracy_by_split"] = group_accuracy(df, "split", "gold_label", "pred_label")
    return report


def group_accuracy(df: pl.DataFrame, by: str, gold_col: str, pred_col: str) -> dict[str, dict[str, Any]]:
    """Accuracy of `pred_col` against `gold_col` within each value of `by`."""
    groups = df.group_by(by).agg(n=pl.len(), correct=(pl.col(gold_col) == pl.col(pred_col)).sum()).sort(by)
    rows = groups.iter_rows(named=True)
    return {row[by]: {"n": row["n"], "accuracy": ratio(row["correct"], row["n"])} for row in rows}


def signal_report(df: pl.DataFrame) -> dict[str, Any]:
    """Each signal column the pipeline produces, scored against what the gold implies for it."""
    report: dict[str, Any] = {}
    for name, (truth, meaning) in SIGNALS.items():
        column = f"pred_{name}"
        if column not in df.columns:
            report[name] = {"produced": False, "note": "not produced by this version"}
            continue
        scored = df.select(truth.alias("truth"), pl.col(column).fill_null(False).alias("signal"))
        report[name] = {"produced": True, "truth": meaning, **binary_scores(scored["truth"], scored["signal"])}
    return report


def language_report(df: pl.DataFrame) -> dict[str, Any]:
    """Detected language against gold_lang: overall, 20+ letters, per language, und, confusions, platform tags."""
    if "pred_lang" not in df.columns:
        return {"produced": False, "note": "not produced by this version"}
    real = df.filter(pl.col("gold_lang") != UND)
    long = real.filter(pl.col("letters") >= MIN_LETTERS)
    return {
        "produced": True,
        "all": lang_scores(real),
        f"letters_{MIN_LETTERS}_plus": lang_scores(long),
        f"under_{MIN_LETTERS}_letters": lang_scores(real.filter(pl.col("letters") < MIN_LETTERS)),
        "gold_und_posts": {"n": df.height - real.height,
                           "detected_und": int((df.filter(pl.col("gold_lang") == UND)["pred_lang"] == UND).sum())},
        "ms_id_merged": lang_scores(real, merge_ms_id=True),
        "per_language": per_language(real),
        "confusions": confusions(real),
        "platform_tags": platform_tags(real),
    }


def lang_scores(df: pl.DataFrame, merge_ms_id: bool = False) -> dict[str, Any]:
    """Accuracy and the number and share of posts detected as und."""
    pred, gold = df["pred_lang"].fill_null(UND), df["gold_lang"]
    if merge_ms_id:
        pred, gold = pred.replace("ms", "id"), gold.replace("ms", "id")
    und = int((pred == UND).sum())
    return {"n": df.height, "accuracy": ratio(int((pred == gold).sum()), df.height), "und": und,
            "und_share": ratio(und, df.height)}


def per_language(df: pl.DataFrame) -> dict[str, dict[str, Any]]:
    """Per gold language: accuracy on all posts and on 20+ letters, und count, what else it became."""
    report = {}
    for lang in sorted(df["gold_lang"].unique().to_list()):
        part = df.filter(pl.col("gold_lang") == lang)
        wrong = part.filter((pl.col("pred_lang") != lang) & (pl.col("pred_lang") != UND))
        long = part.filter(pl.col("letters") >= MIN_LETTERS)
        detected_as = sorted(wrong["pred_lang"].value_counts().iter_rows(), key=lambda kv: (-kv[1], kv[0]))
        report[lang] = {**lang_scores(part), f"accuracy_{MIN_LETTERS}_plus": lang_scores(long)["accuracy"],
                        "detected_as": dict(detected_as)}
    return report


def confusions(df: pl.DataFrame, top: int = 12) -> list[dict[str, Any]]:
    """The commonest (gold, detected) pairs that differ, with an example post id."""
    wrong = df.filter(pl.col("pred_lang") != pl.col("gold_lang"))
    pairs = wrong.group_by("gold_lang", "pred_lang").agg(n=pl.len(), example=pl.col("post_id").min())
    pairs = pairs.sort(["n", "gold_lang", "pred_lang"], descending=[True, False, False]).head(top)
    return [{"gold": r["gold_lang"], "detected": r["pred_lang"], "n": r["n"], "example": r["example"]}
            for r in pairs.iter_rows(named=True)]


def platform_tags(df: pl.DataFrame) -> dict[str, Any]:
    """How often the platform's own tag (as the tool normalised it) is right, where there is one."""
    column = "pred_declared_lang" if "pred_declared_lang" in df.columns else None
    if column is None:
        return {"produced": False}
    tagged = df.filter(pl.col(column).is_not_null())
    tag = tagged[column].replace("in", "id")
    return {"tagged": tagged.height, "untagged": df.height - tagged.height,
            "accuracy": ratio(int((tag == tagged["gold_lang"]).sum()), tagged.height)}


def evaluate(eval_dir: Path) -> dict[str, Any]:
    """Every figure of the benchmark, as one JSON-ready document."""
    gold = load_gold(eval_dir)
    df, coverage = joined(gold, load_predictions(eval_dir))
    return {
        "eval_set": str(eval_dir.relative_to(ROOT) if eval_dir.is_relative_to(ROOT) else eval_dir),
        "tool_version": tool_version(),
        "coverage": coverage,
        "label": label_report(df),
        "audience": optional_classification(df, "gold_audience", AUDIENCE_COLUMNS, AUDIENCES),
        "mode": optional_classification(df, "gold_mode", MODE_COLUMNS, MODES),
        "signals": signal_report(df),
        "language": language_report(df),
    }


def tool_version() -> str:
    """The audited tool's version string."""
    import audit

    return str(getattr(audit, "__version__", "unknown"))


def pct(value: float | None) -> str:
    """A share as a percentage for the text report."""
    return "  n/a" if value is None else f"{value * 100:5.1f}%"


def print_classification(title: str, report: dict[str, Any]) -> None:
    """One classification block: accuracy, per-class table, confusion matrix."""
    print(f"\n{title}")
    if not report.get("produced", True):
        print(f"  {report['note']}")
        return
    print(f"  accuracy {pct(report['accuracy'])} on {report['n']} posts, macro F1 {report['macro_f1']}")
    print(f"  {'class':<18}{'precision':>10}{'recall':>9}{'F1':>8}{'gold':>6}{'pred':>6}")
    for name, s in report["per_class"].items():
        f1 = "n/a" if s["f1"] is None else f"{s['f1']:.3f}"
        print(f"  {name:<18}{pct(s['precision']):>10}{pct(s['recall']):>9}{f1:>8}{s['support']:>6}{s['predicted']:>6}")
    columns = list(next(iter(report["confusion"].values())))
    print("  confusion (rows gold, columns predicted):")
    print("  " + " " * 18 + "".join(f"{c[:10]:>11}" for c in columns))
    for g, row in report["confusion"].items():
        print(f"  {g:<18}" + "".join(f"{row[c]:>11}" for c in columns))


def print_groups(title: str, groups: dict[str, dict[str, Any]]) -> None:
    """Accuracy per group, one line each."""
    print(f"  {title}: " + ", ".join(f"{k} {pct(v['accuracy']).strip()} (n={v['n']})" for k, v in groups.items()))


def print_signals(signals: dict[str, Any]) -> None:
    """One line per signal: precision, recall, F1 against the gold it implies."""
    print("\nSignals against what the gold implies")
    print(f"  {'signal':<19}{'precision':>10}{'recall':>9}{'F1':>8}{'marked':>8}  truth")
    for name, s in signals.items():
        if not s["produced"]:
            print(f"  {name:<19}{s['note']}")
            continue
        f1 = "n/a" if s["f1"] is None else f"{s['f1']:.3f}"
        print(f"  {name:<19}{pct(s['precision']):>10}{pct(s['recall']):>9}{f1:>8}{s['predicted']:>8}  {s['truth']}")


def print_language(lang: dict[str, Any]) -> None:
    """Language accuracy blocks, per language, confusions and platform tags."""
    print("\nLanguage detection (posts with a real gold language)")
    if not lang["produced"]:
        print(f"  {lang['note']}")
        return
    for key, title in (("all", "all posts"), (f"letters_{MIN_LETTERS}_plus", f"{MIN_LETTERS}+ letters"),
                       (f"under_{MIN_LETTERS}_letters", f"under {MIN_LETTERS} letters"),
                       ("ms_id_merged", "ms and id counted as one")):
        s = lang[key]
        und_share = pct(s["und_share"]).strip()
        print(f"  {title:<26} accuracy {pct(s['accuracy'])} (n={s['n']}), und {s['und']} ({und_share})")
    und = lang["gold_und_posts"]
    print(f"  posts with no language (gold und): {und['n']}, detected und: {und['detected_und']}")
    print(f"  {'lang':<6}{'n':>5}{'accuracy':>10}{f'{MIN_LETTERS}+ acc':>10}{'und':>5}  detected as")
    for code, s in lang["per_language"].items():
        other = ", ".join(f"{k} {v}" for k, v in s["detected_as"].items()) or "-"
        plus = s[f"accuracy_{MIN_LETTERS}_plus"]
        print(f"  {code:<6}{s['n']:>5}{pct(s['accuracy']):>10}{pct(plus):>10}{s['und']:>5}  {other}")
    print("  commonest confusions: " + ", ".join(
        f"{c['gold']}->{c['detected']} {c['n']} (e.g. {c['example']})" for c in lang["confusions"]))
    tags = lang["platform_tags"]
    if tags.get("produced", True):
        print(f"  platform tags, where present: accuracy {pct(tags['accuracy'])} on {tags['tagged']} posts "
              f"({tags['untagged']} untagged)")


def print_report(result: dict[str, Any]) -> None:
    """The human-readable report."""
    cov = result["coverage"]
    print(f"Validity benchmark on {result['eval_set']} (tool {result['tool_version']})")
    print(f"  {cov['gold_posts']} gold posts, {cov['predicted_posts']} enriched posts, {cov['joined']} joined; "
          f"{len(cov['gold_without_prediction'])} without a prediction, {len(cov['text_differs'])} with changed text")
    label = result["label"]
    print_classification("Label (diplomacy / outreach / consular / other)", label)
    print_groups("accuracy by home country", label["accuracy_by_home_country"])
    print_groups("accuracy by gold audience", label["accuracy_by_gold_audience"])
    print_groups("accuracy by half of the set", label["accuracy_by_split"])
    for title in ("audience", "mode"):
        print_classification(title.capitalize(), result[title])
        if result[title].get("produced"):
            print_groups("accuracy by half of the set", result[title]["accuracy_by_split"])
    print_signals(result["signals"])
    print_language(result["language"])


def main(argv: Sequence[str] | None = None, out: Callable[[str], Any] = print) -> int:
    """Run the benchmark and print the text report or, with --json, the JSON document."""
    args = parse_args(argv)
    result = evaluate(args.eval_dir.resolve())
    if args.json:
        out(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        print_report(result)
    return 1 if result["coverage"]["gold_without_prediction"] else 0


if __name__ == "__main__":
    sys.exit(main())
