"""The README's table of cargo features, made from the service's facts file (`groups`).

Usage: feature_table.py SERVICE.yaml README.md   (rewrites only the table in README.md)

`test_feature_table.py` checks that README.md holds the table this makes from spec/services/hss.yaml,
so a group added to the facts file cannot leave the README stale.
"""

import sys

from service_facts import load

HEADER = "| feature | operations under | feature | operations under |"


def cell(prefixes, base):
    """The prefixes as the README shows them: relative to the base, absolute ones as written."""
    shown = []
    for prefix in prefixes:
        if base and prefix.startswith(base.rstrip("/") + "/"):
            shown.append(f"`{prefix[len(base.rstrip('/')) + 1:]}`")
        else:
            note = "" if "{project_id}" in prefix else " (no project id)"
            shown.append(f"`{prefix}`{note}")
    return ", ".join(shown)


def table(facts, base):
    """The Markdown table: the groups in name order, down the left pair of columns, then the right."""
    rows = [(f"`{group}`", cell(prefixes, base)) for group, prefixes in sorted(facts.groups().items())]
    half = (len(rows) + 1) // 2
    left, right = rows[:half], rows[half:] + [("", "")] * (2 * half - len(rows))
    lines = [HEADER, "|---|---|---|---|"]
    for (a, b), (c, d) in zip(left, right):
        lines.append("|" + "|".join(f" {text} " if text else " " for text in (a, b, c, d)) + "|")
    return "\n".join(lines) + "\n"


def readme_table(text):
    """(start, end) of the table in the README text, or a ValueError."""
    start = text.find(HEADER)
    if start < 0:
        raise ValueError(f"README.md has no feature table (a line `{HEADER}`)")
    end = text.find("\n\n", start)
    return start, (len(text) if end < 0 else end + 1)


def base_of(path):
    """`groups.base` of a facts file (the prefix the table leaves out)."""
    import yaml

    with open(path, encoding="utf-8") as file:
        return yaml.safe_load(file)["groups"].get("base", "")


def main():
    if len(sys.argv) != 3:
        raise SystemExit("usage: feature_table.py SERVICE.yaml README.md")
    facts_path, readme_path = sys.argv[1:]
    try:
        facts = load(facts_path)
        with open(readme_path, encoding="utf-8") as file:
            text = file.read()
        start, end = readme_table(text)
    except ValueError as error:
        raise SystemExit(f"error: {error}") from None
    with open(readme_path, "w", encoding="utf-8", newline="\n") as file:
        file.write(text[:start] + table(facts, base_of(facts_path)) + text[end:])


if __name__ == "__main__":
    main()
