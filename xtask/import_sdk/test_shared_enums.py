"""Tests of the enum sharing pass (run by .ci/run: python -m unittest discover)."""

import unittest

from shared_enums import share_enums

LEVEL = {"type": "string", "enum": ["low", "high"]}
KIND_A = {"type": "string", "enum": ["a", "b"]}
KIND_B = {"type": "string", "enum": ["c", "d"]}


def document():
    return {
        "paths": {
            "/x": {
                "get": {
                    "operationId": "ListX",
                    "parameters": [
                        {"name": "level", "in": "query", "schema": dict(LEVEL)},
                        {"name": "levels", "in": "query", "schema": {"type": "array", "items": dict(LEVEL)}},
                    ],
                }
            }
        },
        "components": {
            "schemas": {
                "Alpha": {"type": "object", "properties": {"level": dict(LEVEL), "kind": dict(KIND_A)}},
                "Beta": {"type": "object", "properties": {"level": dict(LEVEL), "kind": dict(KIND_A)}},
                "Gamma": {"type": "object", "properties": {"kind": dict(KIND_B)}},
                "Delta": {
                    "type": "object",
                    "properties": {"kind": dict(KIND_B), "levels": {"type": "array", "items": dict(LEVEL)}},
                },
                "Eta": {"type": "object", "properties": {"kind": dict(KIND_B)}},
                "Epsilon": {"type": "object", "properties": {"level": {**LEVEL, "description": "curated"}}},
                "Zeta": {"type": "object", "properties": {"once": {"type": "string", "enum": ["x", "y"]}}},
                "Level": {"type": "object"},
            }
        },
    }


class ShareEnumsTest(unittest.TestCase):
    def test_repeated_enums_become_one_schema_each(self):
        doc = document()
        added = share_enums(doc)
        schemas = doc["components"]["schemas"]
        # `Level` is taken, so the level enum is named after its first owner; of the two `kind`
        # enums the one used three times is `Kind`, the other is named after its first owner.
        self.assertEqual(sorted(added), ["AlphaKind", "AlphaLevel", "Kind", "Levels"])
        self.assertEqual(schemas["AlphaLevel"], LEVEL)
        ref = {"$ref": "#/components/schemas/AlphaLevel"}
        self.assertEqual(schemas["Alpha"]["properties"]["level"], ref)
        self.assertEqual(schemas["Beta"]["properties"]["level"], ref)
        parameters = doc["paths"]["/x"]["get"]["parameters"]
        self.assertEqual(parameters[0]["schema"], ref)
        # Another field name is another enum, even with the same values; `levels` is free, and
        # array items share too.
        self.assertEqual(parameters[1]["schema"]["items"], {"$ref": "#/components/schemas/Levels"})
        self.assertEqual(schemas["Gamma"]["properties"]["kind"], {"$ref": "#/components/schemas/Kind"})
        self.assertEqual(schemas["Beta"]["properties"]["kind"], {"$ref": "#/components/schemas/AlphaKind"})
        self.assertEqual(schemas["Delta"]["properties"]["levels"]["items"], {"$ref": "#/components/schemas/Levels"})
        self.assertEqual(list(schemas), sorted(schemas))

    def test_curated_and_single_enums_stay_inline(self):
        doc = document()
        share_enums(doc)
        schemas = doc["components"]["schemas"]
        self.assertEqual(schemas["Epsilon"]["properties"]["level"]["description"], "curated")
        self.assertEqual(schemas["Zeta"]["properties"]["once"]["enum"], ["x", "y"])

    def test_a_free_field_name_is_used(self):
        doc = document()
        del doc["components"]["schemas"]["Level"]
        self.assertIn("Level", share_enums(doc))

    def test_the_result_is_the_same_every_time(self):
        first, second = document(), document()
        share_enums(first)
        share_enums(second)
        self.assertEqual(first, second)


if __name__ == "__main__":
    unittest.main()
