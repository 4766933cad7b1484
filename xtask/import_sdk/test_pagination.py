"""Tests of `x-pagination` in the spec builder (run by .ci/run: python -m unittest)."""

import unittest

from build_spec import build, pagination
from fake_service import service


def operation(query=(("offset", "int"), ("limit", "int")), fields=(), stream=False):
    """The facts of one operation with these query parameters and response fields."""
    return {
        "operation_id": "ListThings",
        "method": "GET",
        "path": "/v5/{project_id}/thing/list",
        "deprecated": False,
        "content_type": "application/json",
        "parameters": [
            {"in": "query", "wire": wire, "type": type_string, "required": False, "collection_format": None}
            for wire, type_string in query
        ],
        "body_type": None,
        "response_type": "ListThingsResponse",
        "response_stream": stream,
        "response_fields": [
            {"attribute": wire, "wire": wire, "type": type_string, "required": False} for wire, type_string in fields
        ],
        "response_headers": [],
    }


def paged(items):
    return {"offset": "offset", "limit": "limit", "total": "total_num", "items": items}


class PaginationTest(unittest.TestCase):
    def test_operations_of_the_shape_page_their_list(self):
        cases = [
            ([("total_num", "int"), ("data_list", "list[Host]")], paged("data_list")),
            # Another name, when it is the only list.
            ([("total_num", "int"), ("cluster_info_list", "list[Cluster]")], paged("cluster_info_list")),
            # `data_list` beside another list, whatever the order.
            ([("total_num", "int"), ("event_type_list", "list[int]"), ("data_list", "list[Rule]")], paged("data_list")),
            ([("total_num", "int"), ("data_list", "list[Pod]"), ("pod_info_list", "list[Info]")], paged("data_list")),
        ]
        for fields, expected in cases:
            with self.subTest(fields=fields):
                self.assertEqual(pagination(operation(fields=fields), service()), expected)

    def test_other_shapes_are_not_paged(self):
        page = [("total_num", "int"), ("data_list", "list[Host]")]
        cases = [
            ("no offset", operation(query=[("limit", "int")], fields=page)),
            ("no limit", operation(query=[("offset", "int")], fields=page)),
            ("a string offset", operation(query=[("offset", "str"), ("limit", "int")], fields=page)),
            ("no total", operation(fields=[("data_list", "list[Host]")])),
            ("another total", operation(fields=[("total_rule_num", "int"), ("data_list", "list[Host]")])),
            ("a string total", operation(fields=[("total_num", "str"), ("data_list", "list[Host]")])),
            ("no list", operation(fields=[("total_num", "int"), ("task_id", "str")])),
            ("a map, not a list", operation(fields=[("total_num", "int"), ("data", "dict(str, Host)")])),
            (
                "two lists, neither data_list",
                operation(fields=[("total_num", "int"), ("a_list", "list[A]"), ("b_list", "list[B]")]),
            ),
            ("a binary answer", operation(fields=page, stream=True)),
        ]
        for name, facts in cases:
            with self.subTest(name):
                self.assertIsNone(pagination(facts, service()))

    def test_the_names_come_from_the_service_facts(self):
        names = {"offset": "start", "limit": "size", "total": "count", "items": "records"}
        op = operation(query=[("start", "long"), ("size", "int")], fields=[("count", "long"), ("records", "list[A]")])
        self.assertEqual(pagination(op, service(paging=names)), names)
        # HSS's names page nothing here, and a service without `paging` pages nothing.
        self.assertIsNone(pagination(op, service()))
        self.assertIsNone(pagination(operation(fields=[("total_num", "int"), ("data_list", "list[A]")]), service(paging=None)))

    def test_the_document_carries_the_extension_only_where_it_applies(self):
        paged_op = operation(fields=[("total_num", "int"), ("data_list", "list[str]")])
        plain_op = dict(operation(query=[], fields=[("total_num", "int")]), operation_id="ShowThing", method="POST")
        document = build({"operations": [paged_op, plain_op], "models": {}}, "1.2.3", service())
        methods = document["paths"]["/v5/{project_id}/thing/list"]
        self.assertEqual(methods["get"]["x-pagination"], paged("data_list"))
        self.assertNotIn("x-pagination", methods["post"])
        # Before the answers, so that the generated spec reads in the order of the request.
        keys = list(methods["get"])
        self.assertLess(keys.index("x-pagination"), keys.index("responses"))


if __name__ == "__main__":
    unittest.main()
