#!/usr/bin/env python3
"""Share of the dynamic map's GetFrontiers answers that offer at least one frontier, over recorded episodes.

Usage: steve2 eval --agents teacher --tasks exploration --seeds 0-29 --output OUT --record REC
       python3 tools/frontier-usable/usable.py REC
Reads every <task>/<seed>-teacher/expert/context.jsonl under REC; an answer is a conductor's step whose expert
facts carry `frontiers` (null: no answer). "Usable" answers offer a frontier whose goal is more than 3 columns from the
agent's feet (the conductor's `feet` fact of the same step, in steps.jsonl). Answers with none are split by the
map's why_none: all groups unreachable, enclosed, or other.
"""
import glob
import json
import re
import sys

total = offered = usable = 0
reasons = {}
for path in sorted(glob.glob(sys.argv[1] + "/*/*-teacher/expert/context.jsonl")):
    feet = {}
    for line in open(path.replace("expert/context.jsonl", "steps.jsonl"), encoding="utf-8"):
        step = json.loads(line)
        if (step.get("facts") or {}).get("feet"):
            feet[step["step"]] = step["facts"]["feet"]
    for line in open(path, encoding="utf-8"):
        step = json.loads(line)
        facts = step.get("facts")
        if not facts or facts.get("frontiers") is None or step["step"] not in feet:
            continue  # no answer, or an actor's step repeating its conductor's expert context
        total += 1
        if facts["frontiers"]:
            offered += 1
            f = feet.get(step["step"])
            if f and any((g["goal"]["x"] - f["x"]) ** 2 + (g["goal"]["z"] - f["z"]) ** 2 > 9 for g in facts["frontiers"]):
                usable += 1
            continue
        text = step.get("text", "")
        kind = ("all unreachable" if re.search(r"none can be offered: \d+ unreachable", text)
                else "enclosed" if "fully explored" in text else "other")
        reasons[kind] = reasons.get(kind, 0) + 1
pct = lambda n: f"{100 * n / max(1, total):.0f}%"
print(f"answers {total}, offering a frontier {offered} ({pct(offered)}), usable (goal > 3 columns away) {usable} ({pct(usable)}), "
      f"none {total - offered} {reasons}")
