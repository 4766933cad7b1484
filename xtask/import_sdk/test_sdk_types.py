"""Tests of the SDK's type table (sdk_types.py; run by .ci/run: python -m unittest)."""

import unittest

from sdk_types import SCALARS, SdkTypeError, kind_of, models, parse, schema_of

# The keys of NATIVE_TYPES_MAPPING in huaweicloudsdkcore/http/primitive_types.py (3.1.150 to 3.1.219).
NATIVE_TYPES = ["int", "long", "float", "str", "bool", "date", "datetime", "object", "decimal.Decimal"]


class SdkTypesTest(unittest.TestCase):
    def test_every_native_type_of_the_core_has_a_schema(self):
        for name in NATIVE_TYPES + ["file"]:
            with self.subTest(name):
                self.assertIn(name, SCALARS)
                self.assertEqual(schema_of(name), SCALARS[name])
        self.assertEqual(schema_of("datetime"), {"type": "string", "format": "date-time"})
        self.assertEqual(schema_of("date"), {"type": "string", "format": "date"})
        self.assertEqual(schema_of("decimal.Decimal"), {"type": "number"})
        self.assertEqual(schema_of("long"), {"type": "integer", "format": "int64"})

    def test_containers_and_models(self):
        self.assertEqual(
            schema_of("dict(str, list[Host])"),
            {"type": "object", "additionalProperties": {"type": "array", "items": {"$ref": "#/components/schemas/Host"}}},
        )
        self.assertEqual(models(parse("list[dict(str, list[A])]")), ["A"])
        self.assertEqual(models(parse("list[datetime]")), [])
        self.assertEqual(kind_of("list[list[str]]"), "list")
        self.assertEqual(kind_of("Host"), "model")
        self.assertEqual(kind_of("long"), "long")

    def test_malformed_types_are_errors(self):
        for bad in ["", "list[str", "dict(str)", "dict(int, str)", "tuple(str, int)", "numpy.int64"]:
            with self.subTest(bad), self.assertRaises(SdkTypeError):
                parse(bad)


if __name__ == "__main__":
    unittest.main()
