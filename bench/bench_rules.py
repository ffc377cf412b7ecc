"""Rules pipeline throughput: the full default policy vs better-profanity and alt-profanity-check, on the Davidson
tweets.

Run: ``python bench/bench_rules.py`` (or ``python -m bench rules``). Prints comments per second for

* the full default policy, learned detector included, one comment at a time (``Policy.evaluate``) and in batches
  of 1,000 as triage reads them (``Policy.evaluate_many``: the learned model scores each batch in one pass), and
  the policy without the learned detector, over every Davidson tweet, best of three runs;
* alt-profanity-check's ``predict`` over all the tweets in one call (its batched rate), when installed;
* a plain Aho-Corasick pass over the same folded texts (the floor any lexicon matcher pays);
* better-profanity's ``contains_profanity``, timed on a sample (it is slow) and extrapolated;
* the suppression-order matcher (the retroactive sweep), projected to 1,000,000 comments (``--sweep``: this
  figure alone);

and the ratios of the policy (batched, learned detector included) to alt-profanity-check
and to better-profanity. Times are CPU time of this process
(``time.process_time``), so a busy machine distorts them less than wall-clock time would.
"""

from __future__ import annotations

import csv
import html
import shutil
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import ahocorasick  # noqa: E402

from moderation.domain import CommentInput, SuppressionOrder  # noqa: E402
from moderation.rules import default_policy_dir, load_policy  # noqa: E402
from moderation.rules.labelled_sets import data_dir  # noqa: E402
from moderation.rules.normalise import normalise  # noqa: E402
from moderation.rules.orders import OrderMatcher  # noqa: E402

DAVIDSON = data_dir() / "davidson" / "labeled_data.csv"
PROFANITY_SAMPLE = 500
BATCH = 1_000  # comments per batch, as triage reads them


def texts() -> list[str]:
    with DAVIDSON.open(encoding="utf-8", newline="") as fh:
        # HTML entities decoded, as the eval command and a platform connector do.
        return [html.unescape(row["tweet"]) for row in csv.DictReader(fh)]


def rate(count: int, seconds: float) -> float:
    return count / seconds if seconds > 0 else float("inf")


def best_of(n: int, fn: object) -> float:
    best = float("inf")
    for _ in range(n):
        start = time.process_time()
        fn()  # type: ignore[operator]
        best = min(best, time.process_time() - start)
    return best


def main() -> int:
    if not DAVIDSON.is_file():
        print(f"Davidson data not found at {DAVIDSON}; it lives beside the clone in ../shared/data/")
        return 2
    corpus = texts()
    if "--sweep" in sys.argv[1:]:
        sweep(corpus)
        return 0
    items = [CommentInput(text=t, platform="x") for t in corpus]
    policy = load_policy()
    print(f"policy {policy.version}: {len(policy.rules)} rules; {len(corpus)} Davidson tweets")

    evaluate = policy.evaluate
    for item in items[:2000]:  # warm caches
        evaluate(item)
    secs = best_of(3, lambda: [evaluate(i) for i in items])
    single_rate = rate(len(items), secs)
    print(
        f"full default policy      {single_rate:12,.0f} comments/s  ({secs:.2f} s CPU for {len(items)}, one at a time)"
    )
    many = policy.evaluate_many
    secs = best_of(3, lambda: [many(items[lo : lo + BATCH]) for lo in range(0, len(items), BATCH)])
    policy_rate = rate(len(items), secs)
    print(f"  batched ({BATCH:,} a batch) {policy_rate:12,.0f} comments/s  ({secs:.2f} s CPU; the rate compared below)")
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "policies"
        shutil.copytree(default_policy_dir(), copy)
        (copy / "rules" / "learned.toml").unlink(missing_ok=True)
        rules_only = load_policy(copy)
    plain = rules_only.evaluate
    secs = best_of(3, lambda: [plain(i) for i in items])
    rules_rate = rate(len(items), secs)
    print(
        f"  without learned detector {rules_rate:12,.0f} comments/s  "
        f"(the learned detector costs {1 - policy_rate / rules_rate:.0%} of the batched rate)"
    )

    auto = policy.automaton.auto  # the combined automaton the policy itself uses
    folded = [normalise(t).text for t in corpus]
    ac_secs = best_of(3, lambda: [sum(1 for _ in auto.iter(t)) for t in folded])
    print(f"plain Aho-Corasick pass  {rate(len(folded), ac_secs):12,.0f} comments/s  (same automaton, no rules)")

    # The same kind of pass with the word lists alone (no detector triggers, no evasion triggers), as the
    # issue's reference figure (about 1,000,000 comments/s on its machine) describes: it calibrates this
    # machine against that one.
    words_only = ahocorasick.Automaton()
    for rule in policy.rules:
        for term in rule.terms:
            words_only.add_word(term.rstrip("*"), rule.id)
    words_only.make_automaton()
    lowered = [t.lower() for t in corpus]
    wo_secs = best_of(3, lambda: [sum(1 for _ in words_only.iter(t)) for t in lowered])
    wo_rate = rate(len(lowered), wo_secs)
    print(
        f"word lists only, AC pass {wo_rate:12,.0f} comments/s  (this machine runs it at "
        f"{wo_rate / 1_000_000:.0%} of the issue's reference figure of 1,000,000/s)"
    )
    print(
        f"policy / word-lists pass: {policy_rate / wo_rate:.3f}  (the target, 100,000/s against 1,000,000/s, "
        f"is 0.100; estimate for the reference machine: {policy_rate / wo_rate * 1_000_000:,.0f}/s)"
    )

    try:
        from profanity_check import predict
    except ImportError:
        print("alt-profanity-check      not installed (pip install alt-profanity-check)")
    else:
        predict(corpus[:100])  # load its model
        apc_secs = best_of(3, lambda: predict(corpus))
        apc_rate = rate(len(corpus), apc_secs)
        print(f"alt-profanity-check      {apc_rate:12,.0f} comments/s  (predict over all {len(corpus)} in one call)")
        print(
            f"ratio policy / alt-profanity-check: {policy_rate / apc_rate:.2f}x batched with the learned detector, "
            f"{single_rate / apc_rate:.2f}x one at a time, {rules_rate / apc_rate:.2f}x without it"
        )

    from better_profanity import profanity

    profanity.load_censor_words()
    sample = corpus[:PROFANITY_SAMPLE]
    start = time.process_time()
    for t in sample:
        profanity.contains_profanity(t)
    bp_secs = time.process_time() - start
    bp_rate = rate(len(sample), bp_secs)
    print(
        f"better-profanity         {bp_rate:12,.0f} comments/s  (contains_profanity timed on the first "
        f"{len(sample)} tweets, extrapolated: about {len(corpus) / bp_rate:,.0f} s for all {len(corpus)})"
    )
    print(f"ratio policy / better-profanity: {policy_rate / bp_rate:,.0f}x")

    sweep(corpus)
    return 0


def sweep(corpus: list[str]) -> None:
    """The retroactive sweep's matcher over every tweet, as the sweep runs it (``text_hits`` on each stored text)."""
    order = SuppressionOrder(
        1, "DPP v J.M. (a minor)", "County Court of Victoria", ("Jordan Mills", "J-Mills"),
        datetime(2026, 1, 1), datetime(2027, 12, 31),
    )  # fmt: skip
    matcher = OrderMatcher([order], datetime(2026, 11, 21))
    sweep_secs = best_of(3, lambda: [matcher.findings(t) for t in corpus])
    per = sweep_secs / len(corpus)
    print(
        f"suppression-order sweep  {rate(len(corpus), sweep_secs):12,.0f} comments/s  "
        f"(1,000,000 stored comments in about {per * 1_000_000:.1f} s; target 5 s)"
    )


if __name__ == "__main__":
    raise SystemExit(main())
