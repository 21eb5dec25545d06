"""Print the held-out NLU figures and fail below a minimum intent accuracy."""

from __future__ import annotations

import argparse
import json
import sys


def main() -> int:
    """Read Rasa's intent_report.json and check the accuracy."""
    parser = argparse.ArgumentParser()
    parser.add_argument("report")
    parser.add_argument("--min-accuracy", type=float, required=True)
    args = parser.parse_args()
    with open(args.report, encoding="utf-8") as f:
        report = json.load(f)
    accuracy = report["accuracy"]
    macro_f1 = report["macro avg"]["f1-score"]
    weakest = sorted(
        (
            (k, v["f1-score"])
            for k, v in report.items()
            if isinstance(v, dict)
            and "support" in v
            and k not in ("macro avg", "weighted avg", "micro avg")
        ),
        key=lambda item: item[1],
    )[:5]
    print(
        f"held-out intent accuracy {accuracy:.3f}, macro F1 {macro_f1:.3f} "
        f"(minimum accuracy {args.min_accuracy})"
    )
    print("weakest intents: " + ", ".join(f"{k} {v:.2f}" for k, v in weakest))
    return 0 if accuracy >= args.min_accuracy else 1


if __name__ == "__main__":
    sys.exit(main())
