"""nextedit_table.py - the figures of a next-edit replay (`tacit eval
--next-edits --json`) that the tables of bench/nextedit_refit.sh and
bench/cmp/netab2.py are made of, read one way for both: the row at the
replay's default threshold, the row with every place offered, and issue
14's target (precision >= 0.9 and recall >= 0.6)."""
import json


def replay(path):
    """The replay at path: its default row, every place's row (minConfidence
    0), its other places, its default threshold, its ms p50 and p95 (None
    when the replay has none). A row holds correct, suggested and found."""
    j = json.load(open(path))
    rows = {round(r["minConfidence"], 2): r for r in j["byConfidence"]}
    return (rows[round(j["minConfidence"], 2)], rows[0.0], j["otherPlaces"], j["minConfidence"], j.get("msP50"),
            j.get("msP95"))


def meets(row, others):
    """1 if row (correct / suggested, found / others) meets issue 14's
    target; nothing offered or no other place does not."""
    return bool(row["suggested"] and row["correct"] >= 0.9 * row["suggested"] and others
                and row["found"] >= 0.6 * others)


def pool(total, row, others):
    """Adds row's correct, suggested, found and others to total (a list of 4)."""
    for i, v in enumerate((row["correct"], row["suggested"], row["found"], others)):
        total[i] += v
