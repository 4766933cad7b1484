"""Tests of the overlay subset and the spec builder (run by .ci/run: python -m unittest)."""

import copy
import unittest

import os

from build_spec import build, words
from fake_service import service
from sdk_types import schema_of
from service_facts import load

HSS_FACTS = os.path.join(os.path.dirname(__file__), "..", "..", "spec", "services", "hss.yaml")
from overlay import apply_overlay, parse_path

DOCUMENT = {
    "paths": {
        "/v5/{project_id}/a": {
            "get": {
                "parameters": [
                    {"name": "project_id", "in": "path"},
                    {"name": "region", "in": "header"},
                    {"name": "region", "in": "query"},
                ]
            }
        }
    },
    "components": {"schemas": {"A": {"type": "object", "properties": {"x": {"type": "string"}}}}},
}


def overlay(*actions):
    return {"overlay": "1.0.0", "info": {"title": "t", "version": "1"}, "actions": list(actions)}


class OverlayTest(unittest.TestCase):
    def apply(self, *actions):
        document = copy.deepcopy(DOCUMENT)
        apply_overlay(document, overlay(*actions))
        return document

    def test_update_merges_objects_recursively(self):
        document = self.apply(
            {"target": "$.components.schemas.A", "update": {"description": "d", "properties": {"x": {"maxLength": 3}}}}
        )
        self.assertEqual(
            document["components"]["schemas"]["A"],
            {"type": "object", "properties": {"x": {"type": "string", "maxLength": 3}}, "description": "d"},
        )

    def test_filters_select_by_every_test(self):
        target = "$.paths['/v5/{project_id}/a'].get.parameters[?@.name == 'region' && @.in == 'header']"
        document = self.apply({"target": target, "update": {"required": True}})
        parameters = document["paths"]["/v5/{project_id}/a"]["get"]["parameters"]
        self.assertEqual([p.get("required") for p in parameters], [None, True, None])

    def test_remove_deletes_every_selected_node(self):
        target = "$.paths['/v5/{project_id}/a'].get.parameters[?@.name == 'region']"
        document = self.apply({"target": target, "remove": True})
        parameters = document["paths"]["/v5/{project_id}/a"]["get"]["parameters"]
        self.assertEqual(parameters, [{"name": "project_id", "in": "path"}])

    def test_update_of_an_array_appends(self):
        target = "$.paths['/v5/{project_id}/a'].get.parameters"
        document = self.apply({"target": target, "update": {"name": "limit", "in": "query"}})
        self.assertEqual(len(document["paths"]["/v5/{project_id}/a"]["get"]["parameters"]), 4)

    def test_a_target_that_selects_nothing_is_an_error(self):
        with self.assertRaisesRegex(ValueError, r"actions\[0\]: target `\$.components.schemas.B` selects nothing"):
            self.apply({"target": "$.components.schemas.B", "update": {}})

    def test_bad_actions_are_errors(self):
        cases = [
            ({"target": "$.a", "update": {}, "remove": True}, "exactly one of"),
            ({"target": "$.a"}, "exactly one of"),
            ({"update": {}}, "needs a `target`"),
            ({"target": "components", "update": {}}, "does not start with"),
            ({"target": "$..x", "update": {}}, "cannot read"),
            ({"target": "$.a[?@.x > 1]", "update": {}}, "is not `@.key == 'value'`"),
        ]
        for action, message in cases:
            with self.subTest(action=action), self.assertRaisesRegex(ValueError, message):
                self.apply(action)
        with self.assertRaisesRegex(ValueError, "not an Overlay"):
            apply_overlay({}, {"actions": []})

    def test_paths_parse_into_steps(self):
        self.assertEqual(
            parse_path("$.a['b/c'][2][*].d"),
            [("member", "a"), ("member", "b/c"), ("index", 2), ("all", None), ("member", "d")],
        )


class BuildTest(unittest.TestCase):
    def test_groups_come_from_the_first_segment(self):
        group_of = load(HSS_FACTS).group_of
        self.assertEqual(group_of("/v5/{project_id}/image/synchronize", "A"), "image")
        self.assertEqual(group_of("/v5/{project_id}/images/vulnerabilities", "A"), "image")
        self.assertEqual(group_of("/v5/setting/account/accounts", "A"), "account")
        self.assertEqual(group_of("/v5/{project_id}/{resource_type}/tags", "A"), "tags")
        self.assertEqual(group_of("/v5/{project_id}/{host_id}/files/change-files", "A"), "files")
        # A prefix holds whole segments only.
        with self.assertRaisesRegex(ValueError, "path `/v5/{project_id}/images2/x` is in no feature group"):
            group_of("/v5/{project_id}/images2/x", "A")

    def test_summaries_are_words_of_the_name(self):
        self.assertEqual(words("ListHostStatus"), "List host status")
        self.assertEqual(words("ShowSWRImageList"), "Show SWR image list")

    def test_types(self):
        self.assertEqual(schema_of("int"), {"type": "integer", "format": "int64"})
        self.assertEqual(
            schema_of("dict(str, list[Host])"),
            {"type": "object", "additionalProperties": {"type": "array", "items": {"$ref": "#/components/schemas/Host"}}},
        )

    def test_an_operation_becomes_a_path_item(self):
        facts = {
            "operations": [
                {
                    "operation_id": "ListThings",
                    "method": "GET",
                    "path": "/v5/{project_id}/thing/list",
                    "deprecated": False,
                    "content_type": "application/json",
                    "parameters": [
                        {"in": "query", "wire": "ids", "type": "list[str]", "required": True, "collection_format": "csv"},
                        {"in": "header", "wire": "region", "type": "str", "required": False, "collection_format": None},
                    ],
                    "body_type": None,
                    "response_type": "ListThingsResponse",
                    "response_stream": False,
                    "response_fields": [{"attribute": "total_num", "wire": "total_num", "type": "int", "required": False}],
                    "response_headers": [],
                }
            ],
            "models": {},
        }
        document = build(facts, "1.2.3", service())
        operation = document["paths"]["/v5/{project_id}/thing/list"]["get"]
        self.assertEqual(operation["tags"], ["thing"])
        self.assertEqual(operation["parameters"][0]["x-client-default"], True)
        self.assertEqual(
            operation["parameters"][1],
            {"name": "ids", "in": "query", "required": True, "schema": {"type": "array", "items": {"type": "string"}}, "style": "form", "explode": True},
        )
        self.assertEqual(sorted(operation["responses"]), ["2XX", "4XX", "5XX"])
        self.assertEqual(document["components"]["schemas"]["ListThingsResponse"]["properties"]["total_num"]["format"], "int64")


class StaleOverlayTest(unittest.TestCase):
    OVERLAY = "overlay: 1.0.0\nactions:\n  - target: $.a\n    update: {x: 1}\n  - target: $.gone\n    update: {x: 1}\n"

    def write_overlay(self):
        import tempfile

        file = tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False, encoding="utf-8")
        file.write(self.OVERLAY)
        file.close()
        self.addCleanup(os.remove, file.name)
        return file.name

    def test_a_gone_target_names_the_overlay_the_action_and_the_version(self):
        from build_spec import apply_overlays

        path = self.write_overlay()
        with self.assertRaises(SystemExit) as stop:
            apply_overlays({"a": {}}, [path], "huaweicloudsdkdemo", "3.1.150", False)
        self.assertEqual(
            str(stop.exception),
            f"error: {path}: actions[1]: target `$.gone` selects nothing in huaweicloudsdkdemo 3.1.150 "
            "(--allow-stale-overlays skips it, to look at an old version)",
        )

    def test_allowed_stale_targets_are_warnings_and_the_rest_applies(self):
        import contextlib
        import io

        from build_spec import apply_overlays

        path = self.write_overlay()
        document = {"a": {}}
        errors = io.StringIO()
        with contextlib.redirect_stderr(errors):
            apply_overlays(document, [path], "huaweicloudsdkdemo", "3.1.150", True)
        self.assertEqual(document, {"a": {"x": 1}})
        self.assertEqual(
            errors.getvalue(),
            f"warning: {path}: actions[1]: target `$.gone` selects nothing in huaweicloudsdkdemo 3.1.150; "
            "skipped (--allow-stale-overlays)\n",
        )


if __name__ == "__main__":
    unittest.main()
