"""Tests of reading a service's facts file (service_facts.py; run by .ci/run: python -m unittest)."""

import unittest

from fake_service import FACTS, service


class ServiceFactsTest(unittest.TestCase):
    def test_mistakes_name_the_file_and_the_key(self):
        cases = [
            ({"modul": "x"}, "spec/services/demo.yaml: `modul` is not a fact this file holds"),
            ({"client": None}, "spec/services/demo.yaml: `client` is missing"),
            ({"groups": ["a"]}, "spec/services/demo.yaml: `groups` must be a mapping"),
            ({"paging": {"offset": "o"}}, "spec/services/demo.yaml: `paging` must give the names offset, limit, total, items"),
            ({"client-filled": {"project_id": 3}}, "`client-filled.project_id` must be true or a setting's name"),
            ({"groups": {"base": "/v5", "a": "x"}}, "`groups.a` must be a list of path prefixes"),
            ({"groups": {"base": "/v5", "a": ["x"], "b": ["/v5/x"]}}, "`groups.b`: `/v5/x` is also in group `a`"),
        ]
        for changes, message in cases:
            with self.subTest(message), self.assertRaisesRegex(ValueError, message.replace("(", r"\(").replace(")", r"\)")):
                service(**changes)

    def test_the_longest_prefix_wins_and_root_matches_only_itself(self):
        facts = service(groups={"base": "/v1", "all": ["a"], "deep": ["a/b"], "root": ["/"]})
        self.assertEqual(facts.group_of("/v1/a/c", "X"), "all")
        self.assertEqual(facts.group_of("/v1/a/b/c", "X"), "deep")
        self.assertEqual(facts.group_of("/", "X"), "root")
        with self.assertRaisesRegex(ValueError, "path `/v2/a` is in no feature group"):
            facts.group_of("/v2/a", "X")
        self.assertEqual(list(service().groups()), list(FACTS["groups"])[1:])


if __name__ == "__main__":
    unittest.main()
