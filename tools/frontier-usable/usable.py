#!/usr/bin/env python3
"""Share of the dynamic map's GetFrontiers answers that offer at least one frontier, over recorded episodes.

Usage: steve2 eval --agents teacher --tasks exploration --seeds 0-29 --output OUT --record REC
       python3 tools/frontier-usable/usable.py REC
Reads every <task>/<seed>-teacher/expert/context.jsonl under REC; an answer is a step whose expert facts carry
`frontiers` (null: no answer). Answers with none are split by the map's why_none: all groups unreachable, or other.
"""
import glob
import json
import re
import sys

total = offered = 0
reasons = {}
for path in sorted(glob.glob(sys.argv[1] + "/*/*-teacher/expert/context.jsonl")):
    for line in open(path, encoding="utf-8"):
        step = json.loads(line)
        facts = step.get("facts")
        if not facts or facts.get("frontiers") is None:
            continue
        total += 1
        if facts["frontiers"]:
            offered += 1
            continue
        text = step.get("text", "")
        kind = ("all unreachable" if re.search(r"none can be offered: \d+ unreachable", text)
                else "enclosed" if "fully explored" in text else "other")
        reasons[kind] = reasons.get(kind, 0) + 1
print(f"answers {total}, offering a frontier {offered} ({100 * offered / max(1, total):.0f}%), none {total - offered} {reasons}")
