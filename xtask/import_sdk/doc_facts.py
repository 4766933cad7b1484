"""Reads the structured facts (enum values, limits, defaults) from an SDK field's documentation.

The SDK's property docstrings follow a template of labelled sections: `**参数解释**` (meaning),
`**约束限制**` (constraints), `**取值范围**` (allowed values) and `**默认取值**` (default). Only
the last two carry facts a schema can hold, and only some of their wordings are unambiguous. This
module recognises those wordings and nothing else: a text it does not fully understand gives no
fact, so a doubtful limit never turns into a client-side check that refuses a valid call. It
returns JSON Schema keywords only; no text of the documentation leaves this module.
"""

import re

SECTION = re.compile(r"\*\*(参数解释|约束限制|取值范围|默认取值)\*\*\s*[:：]")
NOT_APPLICABLE = {"不涉及", "不涉及。", "无", "无。", "-", ""}

INTEGER = r"-?\d+(?:\^\d+(?:-\d+)?)?"
# 字符长度1-64位 / 字符长度1-64 / 字符范围1-64位 / 字符串大小1-64 (optionally ending with 。)
STRING_LENGTH = re.compile(r"^(?:字符长度|字符范围|字符串大小|字符串长度)(\d+)\s*[-~到]\s*(\d+)\s*位?[。.]?$")
# 最小值0，最大值100 / 取值10-200 / 取值为1到100。 / 10-200 / 1到100 / 大小1-100, with an optional unit
# or time-zone note after a comma or in brackets (the numbers are still the limits).
NUMBER_RANGE = re.compile(
    r"^(?:最小值\s*(?P<min1>" + INTEGER + r")\s*[，,]\s*最大值\s*(?P<max1>" + INTEGER + r")"
    r"|(?:取值(?:为|范围)?|大小)?\s*(?P<min2>" + INTEGER + r")\s*(?:-|~|到|至)\s*(?P<max2>" + INTEGER + r"))"
    r"\s*(?:ms|位)?\s*(?:[，,（(].*)?[。.]?$"
)
# 最少1条，最多100条 (the number of items of a list)
ITEM_COUNT = re.compile(r"^最少\s*(\d+)\s*(?:条|个)\s*[，,]\s*最多\s*(\d+)\s*(?:条|个)[。.]?$")
# `- value：meaning` items; the value is a token, the separator a full-width or ASCII colon.
ENUM_ITEM = re.compile(r"(?:^|\s)-\s*([A-Za-z0-9][A-Za-z0-9_.\-]*)\s*[：:]")
DEFAULT_INTEGER = re.compile(r"^(?:默认为|默认值为|默认)?\s*(-?\d+)\s*[。.]?$")
DEFAULT_TOKEN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9_.\-]*)\s*[。.]?$")


def sections(doc):
    """The template's sections of a docstring, by label; empty when it does not follow it."""
    parts = SECTION.split(doc or "")
    found = {}
    for index in range(1, len(parts) - 1, 2):
        text = parts[index + 1].split(":return:")[0]
        found[parts[index]] = " ".join(text.split())
    return found


def integer(text):
    """`2^31-1` and plain integers; None for anything else or for a value beyond 64 bits."""
    match = re.fullmatch(r"(-?\d+)(?:\^(\d+)(?:-(\d+))?)?", text)
    if match is None:
        return None
    base, exponent, minus = match.groups()
    value = int(base) if exponent is None else int(base) ** int(exponent) - int(minus or 0)
    if not -(2**63) <= value < 2**63:
        return None
    return value


def enum_values(text, kind):
    """The values of a `- value：meaning` list, when the whole text is such a list."""
    first = re.search(r"(?:^|\s)-\s*[A-Za-z0-9]", text)
    if first is None:
        return None
    lead = text[: first.start()].strip()
    # A lead-in may announce the list; any other text before it may qualify the values.
    if lead and not (lead.endswith(("：", ":", "。")) or re.match(r"(?:包含|取值|如下)", lead)):
        return None
    values = ENUM_ITEM.findall(text)
    if len(values) < 2 or len(set(values)) != len(values):
        return None
    # Every dash-led item must have given a value, or the list is not what it seems.
    if len(re.findall(r"(?:^|\s)-\s", text)) != len(values):
        return None
    if kind == "int":
        numbers = [integer(value) for value in values]
        return numbers if all(number is not None for number in numbers) else None
    if kind == "str":
        return values
    return None


class DocReport:
    """Counts the template sections that state something this module could not read: facts the
    SDK documents and the spec does not carry, reported rather than silently dropped."""

    def __init__(self):
        self.not_taken = {}
        self.untemplated = 0

    def missed(self, label, kind):
        key = (label, kind)
        self.not_taken[key] = self.not_taken.get(key, 0) + 1

    def lines(self):
        """One line per section label and type, with the count of fields whose text gave nothing."""
        untemplated = [
            f"{self.untemplated} documented fields do not follow the SDK's template of labelled sections "
            f"(SECTION in doc_facts.py); no facts are read from them"
        ] if self.untemplated else []
        return untemplated + [
            f"{count} `{label}` sections of `{kind}` fields state a wording doc_facts.py does not read; "
            f"their facts are not in the spec"
            for (label, kind), count in sorted(self.not_taken.items())
        ]


# The SDK types whose allowed values or default a schema keyword can carry.
READABLE_KINDS = {"str", "int", "long", "float", "list", "bool"}


def schema_facts(doc, type_string, report=None):
    """JSON Schema keywords for a field of SDK type `type_string` (a scalar's name, or `list`
    for any list), from its documentation; a stated section that gives nothing is counted in
    `report`."""
    if type_string == "long":
        type_string = "int"
    found = sections(doc)
    if report is not None and not found and doc and doc.strip():
        report.untemplated += 1
    facts = {}
    allowed = found.get("取值范围", "")
    if allowed not in NOT_APPLICABLE:
        if type_string == "str":
            length = STRING_LENGTH.match(allowed)
            if length:
                low, high = int(length.group(1)), int(length.group(2))
                if low <= high:
                    facts["minLength"], facts["maxLength"] = low, high
            else:
                values = enum_values(allowed, "str")
                if values:
                    facts["enum"] = values
        elif type_string in ("int", "float"):
            match = NUMBER_RANGE.match(allowed)
            if match:
                low = integer(match.group("min1") or match.group("min2"))
                high = integer(match.group("max1") or match.group("max2"))
                if low is not None and high is not None and low <= high:
                    facts["minimum"], facts["maximum"] = low, high
            elif type_string == "int":
                values = enum_values(allowed, "int")
                if values:
                    facts["enum"] = values
        elif type_string == "list":
            count = ITEM_COUNT.match(allowed)
            if count:
                low, high = int(count.group(1)), int(count.group(2))
                if low <= high:
                    facts["minItems"], facts["maxItems"] = low, high
        if report is not None and type_string in READABLE_KINDS - {"bool"} and not facts:
            report.missed("取值范围", type_string)
    default = found.get("默认取值", "")
    if default not in NOT_APPLICABLE:
        value = default_value(default, type_string, facts)
        if value is not None:
            facts["default"] = value
        elif report is not None and type_string in READABLE_KINDS - {"list"}:
            report.missed("默认取值", type_string)
    return facts


def default_value(text, type_string, facts):
    """The default, when the text is just the value and the value fits the other facts."""
    if type_string == "int":
        match = DEFAULT_INTEGER.match(text)
        if match is None:
            return None
        value = int(match.group(1))
        if "minimum" in facts and not facts["minimum"] <= value <= facts["maximum"]:
            return None
        if "enum" in facts and value not in facts["enum"]:
            return None
        return value
    if type_string == "bool":
        lowered = text.rstrip("。.").strip().lower()
        return {"true": True, "false": False}.get(lowered)
    if type_string == "str":
        match = DEFAULT_TOKEN.match(text)
        # Only a listed value: a bare word could as well be a description.
        if match and match.group(1) in facts.get("enum", []):
            return match.group(1)
    return None
