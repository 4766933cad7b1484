"""Tests of the documentation-facts reader (run by .ci/run: python -m unittest discover)."""

import unittest

from doc_facts import integer, schema_facts, sections


def doc(allowed, default="不涉及"):
    """A docstring in the SDK's template, with made-up wording in the meaning section."""
    return (
        "Gets the x of this Model.\n\n"
        f"**参数解释**: 某个字段 **约束限制**: 不涉及 **取值范围**: {allowed} **默认取值**: {default} \n\n"
        ":return: The x of this Model.\n:rtype: str"
    )


# (SDK type, 取值范围 text, 默认取值 text, expected keywords)
CASES = [
    ("str", "字符长度1-64位", "不涉及", {"minLength": 1, "maxLength": 64}),
    ("str", "字符长度0-256", "不涉及", {"minLength": 0, "maxLength": 256}),
    ("str", "字符范围2-8位。", "不涉及", {"minLength": 2, "maxLength": 8}),
    ("str", "字符长度9-3位", "不涉及", {}),
    ("str", "字符长度1-64位，只能包含字母", "不涉及", {}),
    ("str", "- alpha：甲。 - beta_2 ：乙。", "beta_2", {"enum": ["alpha", "beta_2"], "default": "beta_2"}),
    ("str", "包含如下2种。 - a.b.c ：一。 - d-e：二。", "不涉及", {"enum": ["a.b.c", "d-e"]}),
    ("str", "包含如下:   - quick ：快 - full : 全", "gamma", {"enum": ["quick", "full"]}),
    ("str", "- only：唯一", "不涉及", {}),
    ("str", "- a：一 - a：二", "不涉及", {}),
    ("str", "当类型为x时 - a：一 - b：二", "不涉及", {}),
    ("str", "- a：一 - 二 - b：三", "不涉及", {}),
    ("str", "不涉及", "0，表示默认", {}),
    ("int", "最小值0，最大值2000000", "默认为0", {"minimum": 0, "maximum": 2000000, "default": 0}),
    ("int", "取值10-200", "10", {"minimum": 10, "maximum": 200, "default": 10}),
    ("int", "取值为1到100。", "500", {"minimum": 1, "maximum": 100}),
    ("int", "10-1000", "不涉及", {"minimum": 10, "maximum": 1000}),
    ("int", "最小值0，最大值2^31-1", "不涉及", {"minimum": 0, "maximum": 2147483647}),
    ("int", "最小值0，最大值100，单位：个", "不涉及", {"minimum": 0, "maximum": 100}),
    ("int", "最小值0，最大值2^70", "不涉及", {}),
    ("int", "- 1：一 - 2：二 - 30：三", "2", {"enum": [1, 2, 30], "default": 2}),
    ("int", "- 1：一 - x：二", "不涉及", {}),
    ("int", "非负整数", "不涉及", {}),
    ("float", "最小值0，最大值10", "不涉及", {"minimum": 0, "maximum": 10}),
    ("bool", "- true：是 - false：否", "false", {"default": False}),
    ("bool", "true或者false", "True", {"default": True}),
    ("bool", "不涉及", "是", {}),
    ("list", "最少1条，最多100条", "不涉及", {"minItems": 1, "maxItems": 100}),
    ("list", "最小值0，最大值10", "不涉及", {}),
    ("Model", "字符长度1-64位", "不涉及", {}),
]


class DocFactsTest(unittest.TestCase):
    def test_cases(self):
        for type_string, allowed, default, expected in CASES:
            with self.subTest(type=type_string, allowed=allowed, default=default):
                self.assertEqual(schema_facts(doc(allowed, default), type_string), expected)

    def test_text_outside_the_template_gives_nothing(self):
        self.assertEqual(schema_facts("free text, 1-64 characters", "str"), {})
        self.assertEqual(schema_facts(None, "int"), {})
        self.assertEqual(schema_facts("", "str"), {})

    def test_full_width_colons_and_line_breaks_are_read(self):
        text = "**参数解释**：名称\n**约束限制**: 不涉及\n**取值范围**：字符长度1-8位\n**默认取值**: 不涉及"
        self.assertEqual(sections(text)["取值范围"], "字符长度1-8位")
        self.assertEqual(schema_facts(text, "str"), {"minLength": 1, "maxLength": 8})

    def test_integer_forms(self):
        self.assertEqual(integer("2^31-1"), 2**31 - 1)
        self.assertEqual(integer("2^63"), None)
        self.assertEqual(integer("-5"), -5)
        self.assertEqual(integer("1e3"), None)


if __name__ == "__main__":
    unittest.main()
