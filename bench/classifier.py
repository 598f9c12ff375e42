"""Benchmark of the Guichet classifier against the peer `alt-profanity-check` (same run).

Prints, for both: single-message latency (p50/p99 over a realistic mix of chat lines and
e-mails, one call per message), batch throughput (messages/s, one process and two), and
the harassment F1 on our held-out test split.

    .venv/bin/python bench/classifier.py [--messages 3000] [--batch 20000]

The mix: 70 % chat lines (test-split messages under 200 characters) and 30 % e-mails (a
test-split message inside a greeting, a signature and a quoted reply, 400-2,000 chars).
Speed is measured here, never asserted in tests.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import time
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path

from joblib import Parallel, delayed
from sklearn.metrics import f1_score

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from classifiers import Classifier
from classifiers.build import prepare_data
from classifiers.dataset import Example

_GREETINGS = ("Bonjour,\n\n", "Hello,\n\n", "Hi team,\n\n", "Madame, Monsieur,\n\n", "")
_SIGNATURES = (
    "\n\nCordialement,\nClaire Martin\nGérante — Atelier Martin\nTél. 01 99 00 12 34",
    "\n\nBest regards,\nJohn Smith\nCTO, Example Ltd\n+44 20 7946 0000",
    "\n\n-- \nEnvoyé de mon iPhone",
    "\n\nThanks,\nAna",
)
_QUOTE = (
    "\n\nLe lun. 3 mars 2025 à 10:12, Support <support@example.fr> a écrit :\n"
    "> Bonjour,\n> Pouvez-vous nous préciser l'adresse du site concerné ?\n"
    "> Nous restons à votre disposition.\n> L'équipe support\n" * 3
)


def realistic_mix(examples: Sequence[Example], count: int, *, seed: int = 0) -> list[str]:
    """70 % chat lines and 30 % e-mails built from test-split messages."""
    rng = random.Random(seed)
    short = [e.text for e in examples if len(e.text) < 200]
    bodies = [e.text for e in examples if 40 <= len(e.text) < 1500]
    mix = []
    for _ in range(count):
        if rng.random() < 0.7:
            mix.append(rng.choice(short))
        else:
            quote = _QUOTE if rng.random() < 0.6 else ""
            mix.append(
                rng.choice(_GREETINGS) + rng.choice(bodies) + rng.choice(_SIGNATURES) + quote
            )
    return mix


def long_emails(examples: Sequence[Example], count: int, *, seed: int = 0) -> list[str]:
    """E-mails only: three test-split bodies, a signature and a quoted reply (~1,350 chars)."""
    rng = random.Random(seed)
    bodies = [e.text for e in examples if len(e.text) >= 150]
    return [
        rng.choice(_GREETINGS)
        + " ".join(rng.choice(bodies) for _ in range(3))
        + rng.choice(_SIGNATURES)
        + _QUOTE
        for _ in range(count)
    ]


def latency(call: Callable[[str], object], texts: Sequence[str]) -> tuple[float, float, float]:
    """(p50, p99, max) in milliseconds of one call per text."""
    for text in texts[:50]:
        call(text)
    timings = []
    for text in texts:
        started = time.perf_counter_ns()
        call(text)
        timings.append((time.perf_counter_ns() - started) / 1e6)
    timings.sort()
    p99 = timings[min(len(timings) - 1, int(len(timings) * 0.99))]
    return statistics.median(timings), p99, timings[-1]


def throughput(call: Callable[[list[str]], object], texts: list[str], *, chunk: int) -> float:
    """Messages per second through `call` on chunks of `chunk` messages."""
    call(texts[:chunk])
    started = time.perf_counter()
    for start in range(0, len(texts), chunk):
        call(texts[start : start + chunk])
    return len(texts) / (time.perf_counter() - started)


def _worker_ours(texts: list[str], chunk: int) -> float:
    """Load, warm up on one chunk, then time a pass over `texts`; returns seconds."""
    classifier = Classifier.load()
    classifier.predict(texts[:chunk], explain=False)
    started = time.perf_counter()
    for start in range(0, len(texts), chunk):
        classifier.predict(texts[start : start + chunk], explain=False)
    return time.perf_counter() - started


def throughput_two_processes(texts: list[str], *, chunk: int) -> float:
    """Messages per second with two worker processes running at once (load excluded)."""
    halves = [texts[: len(texts) // 2], texts[len(texts) // 2 :]]
    with Parallel(n_jobs=2) as parallel:
        elapsed = [
            float(seconds)
            for seconds in parallel(delayed(_worker_ours)(half, chunk) for half in halves)
        ]
    return len(texts) / max(elapsed)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=3000, help="single-call samples")
    parser.add_argument("--batch", type=int, default=20000, help="messages in the batch run")
    parser.add_argument("--chunk", type=int, default=1000, help="messages per predict() call")
    args = parser.parse_args()

    print(
        f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}"
    )
    started = time.perf_counter()
    classifier = Classifier.load()
    print(f"Guichet classifier loaded in {time.perf_counter() - started:.2f}s")
    data = prepare_data()
    test = data.test
    singles = realistic_mix(test, args.messages, seed=1)
    batch = realistic_mix(test, args.batch, seed=2)
    mean_chars = statistics.mean(len(text) for text in batch)
    print(
        f"test split: {len(test)} messages; mix: {len(batch)} messages, "
        f"mean {mean_chars:.0f} chars\n"
    )

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # its pickle predates our scikit-learn
        from profanity_check import predict as peer_predict
        from profanity_check import predict_prob as peer_predict_prob

        peer_predict_prob(["warm up"])

    truth = [e.label == "harassment" for e in test]
    texts = [e.text for e in test]
    ours = classifier.predict(texts, explain=False)
    ours_label = [p.label == "harassment" for p in ours]
    ours_flag = [p.label == "harassment" and p.flagged for p in ours]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        peer = [bool(v) for v in peer_predict(texts)]
    for lang in ("fr", "en"):
        idx = [i for i, e in enumerate(test) if e.lang == lang]
        print(
            f"harassment F1 on test split [{lang}]: Guichet "
            f"{f1_score([truth[i] for i in idx], [ours_label[i] for i in idx]):.3f} | "
            f"alt-profanity-check {f1_score([truth[i] for i in idx], [peer[i] for i in idx]):.3f}"
        )
    print(
        f"harassment F1 on test split [all]: Guichet label {f1_score(truth, ours_label):.3f}, "
        f"Guichet flag {f1_score(truth, ours_flag):.3f} | "
        f"alt-profanity-check {f1_score(truth, peer):.3f}\n"
    )

    rows = []
    p50, p99, worst = latency(classifier.predict_one, singles)
    rows.append(("Guichet predict_one (with explanation)", p50, p99, worst))
    p50, p99, worst = latency(lambda t: classifier.predict([t], explain=False), singles)
    rows.append(("Guichet predict([text], explain=False)", p50, p99, worst))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        p50, p99, worst = latency(lambda t: peer_predict_prob([t]), singles)
    rows.append(("alt-profanity-check predict_prob([text])", p50, p99, worst))
    print(f"single message, {len(singles)} calls      p50 ms    p99 ms    max ms")
    for name, p50, p99, worst in rows:
        print(f"  {name:<42} {p50:7.3f}   {p99:7.3f}   {worst:7.3f}")

    print(f"\nbatch of {len(batch)} (chunks of {args.chunk})            messages/s")
    ours_batch = throughput(
        lambda chunk: classifier.predict(chunk, explain=False), batch, chunk=args.chunk
    )
    print(f"  Guichet, 1 process, explain=False            {ours_batch:9.0f}")
    ours_explained = throughput(classifier.predict, batch, chunk=args.chunk)
    print(f"  Guichet, 1 process, with explanations        {ours_explained:9.0f}")
    print(
        f"  Guichet, 2 processes, explain=False          "
        f"{throughput_two_processes(batch, chunk=args.chunk):9.0f}"
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        peer_batch = throughput(peer_predict_prob, batch, chunk=args.chunk)
    print(f"  alt-profanity-check, 1 process               {peer_batch:9.0f}")

    emails = long_emails(test, 3000, seed=3)
    mean_email = statistics.mean(len(text) for text in emails)
    print(f"\nlong e-mails only (mean {mean_email:.0f} chars)          p50 ms    p99 ms    max ms")
    for name, call in (
        ("Guichet predict_one (with explanation)", classifier.predict_one),
        (
            "Guichet predict([text], explain=False)",
            lambda t: classifier.predict([t], explain=False),
        ),
    ):
        p50, p99, worst = latency(call, emails[:2000])
        print(f"  {name:<42} {p50:7.3f}   {p99:7.3f}   {worst:7.3f}")
    email_batch = throughput(
        lambda chunk: classifier.predict(chunk, explain=False), emails, chunk=args.chunk
    )
    print(f"  Guichet batch, 1 process, explain=False      {email_batch:9.0f} messages/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
