"""The README's feature table is the one the service's facts give (run by .ci/run: python -m unittest)."""

import os
import unittest

from feature_table import base_of, readme_table, table
from service_facts import load

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
FACTS = os.path.join(ROOT, "spec", "services", "hss.yaml")


class FeatureTableTest(unittest.TestCase):
    def test_the_readme_table_is_made_from_the_facts_file(self):
        with open(os.path.join(ROOT, "README.md"), encoding="utf-8") as file:
            text = file.read()
        start, end = readme_table(text)
        expected = table(load(FACTS), base_of(FACTS))
        self.assertEqual(
            text[start:end],
            expected,
            "README.md's feature table is not what spec/services/hss.yaml gives; run "
            "`python xtask/import_sdk/feature_table.py spec/services/hss.yaml README.md`",
        )

    def test_every_group_is_a_row(self):
        made = table(load(FACTS), base_of(FACTS))
        for group in load(FACTS).groups():
            self.assertIn(f"| `{group}` |", made)


if __name__ == "__main__":
    unittest.main()
