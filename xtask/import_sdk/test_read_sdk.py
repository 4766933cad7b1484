"""Tests of reading an SDK (read_sdk.py) against small fake SDK modules: what it reads, and that
an unknown type, a renamed `_<op>_http_info` key and an unmapped path each stop the import with
a message naming the place (run by .ci/run: python -m unittest)."""

import importlib
import os
import sys
import tempfile
import textwrap
import types
import unittest

from build_spec import build
from fake_service import service
from read_sdk import ReadError, Reader

try:
    importlib.import_module("huaweicloudsdkcore.sdk_stream_response")
except ImportError:  # outside the SDK's environment: the one class read_sdk needs from the core
    core = types.ModuleType("huaweicloudsdkcore")
    stream = types.ModuleType("huaweicloudsdkcore.sdk_stream_response")
    stream.SdkStreamResponse = type("SdkStreamResponse", (), {})
    sys.modules.update({"huaweicloudsdkcore": core, "huaweicloudsdkcore.sdk_stream_response": stream})

SDK = '''
import warnings


def field(name):
    return property(lambda self: getattr(self, "_" + name), lambda self, value: setattr(self, "_" + name, value))


class ThingBody:
    openapi_types = {"when": "WHEN_TYPE", "count": "long"}
    attribute_map = {"when": "when", "count": "count"}
    when = field("when")
    count = field("count")

    def __init__(self, when=None, count=None):
        self._when = None
        self._count = None
        self.when = when
        if count is not None:
            self.count = count


class ShowThingRequest:
    openapi_types = {"thing_id": "str", "body": "ThingBody"}
    attribute_map = {"thing_id": "thing_id", "body": "body"}
    thing_id = field("thing_id")
    body = field("body")

    def __init__(self, thing_id=None, body=None):
        self._thing_id = None
        self._body = None
        self.thing_id = thing_id
        if body is not None:
            self.body = body


class ShowThingResponse:
    openapi_types = {"price": "decimal.Decimal", "day": "date"}
    attribute_map = {"price": "price", "day": "day"}
    price = field("price")
    day = field("day")

    def __init__(self, price=None, day=None):
        self._price = None
        self._day = None
        if price is not None:
            self.price = price
        if day is not None:
            self.day = day


class DemoClient:
    def show_thing(self, request):
        warnings.warn("deprecated", DeprecationWarning)
        return self._call_api(**self._show_thing_http_info(request))

    @classmethod
    def _show_thing_http_info(cls, request):
        return {
            "method": "POST",
            "PATH_KEY": "THING_PATH",
            "response_type": "ShowThingResponse",
            "collection_formats": {},
            "path_params": {"thing_id": request.thing_id},
            "query_params": [],
            "header_params": {"Content-Type": "application/json"},
            "body": request.body,
        }
'''


class FakeSdk:
    """Writes the fake SDK with the given changes as a new module and reads it."""

    count = 0

    def __init__(self, directory):
        self.directory = directory

    def read(self, when="datetime", path_key="resource_path", path="/v5/{project_id}/thing/{thing_id}"):
        FakeSdk.count += 1
        name = f"fake_sdk_{FakeSdk.count}"
        source = SDK.replace("WHEN_TYPE", when).replace("PATH_KEY", path_key).replace("THING_PATH", path)
        with open(os.path.join(self.directory, f"{name}.py"), "w", encoding="utf-8") as file:
            file.write(textwrap.dedent(source))
        facts = service(module=name)
        return Reader(facts).read(), facts


class ReadSdkTest(unittest.TestCase):
    def setUp(self):
        self.temp = tempfile.TemporaryDirectory()
        sys.path.insert(0, self.temp.name)
        self.sdk = FakeSdk(self.temp.name)

    def tearDown(self):
        sys.path.remove(self.temp.name)
        self.temp.cleanup()

    def test_reads_types_required_and_deprecation_by_running_the_sdk(self):
        facts, demo = self.sdk.read()
        (operation,) = facts["operations"]
        self.assertTrue(operation["deprecated"])
        self.assertEqual(operation["path"], "/v5/{project_id}/thing/{thing_id}")
        self.assertEqual([(p["wire"], p["in"], p["required"]) for p in operation["parameters"]], [("thing_id", "path", True)])
        self.assertEqual(operation["body_type"], "ThingBody")
        self.assertEqual([(f["wire"], f["type"], f["required"]) for f in facts["models"]["ThingBody"]], [("when", "datetime", True), ("count", "long", False)])
        # Every type of the SDK's table is written from the same table.
        document = build(facts, "1.0.0", demo)
        schemas = document["components"]["schemas"]
        self.assertEqual(schemas["ThingBody"]["properties"]["when"], {"type": "string", "format": "date-time"})
        self.assertEqual(schemas["ThingBody"]["properties"]["count"], {"type": "integer", "format": "int64"})
        self.assertEqual(schemas["ShowThingResponse"]["properties"]["price"], {"type": "number"})
        self.assertEqual(schemas["ShowThingResponse"]["properties"]["day"], {"type": "string", "format": "date"})

    def test_an_unknown_type_names_the_model_and_the_field(self):
        with self.assertRaisesRegex(ReadError, r"^ThingBody\.when: type `timedelta` names `timedelta`, which is neither in the SDK's type table"):
            self.sdk.read(when="timedelta")
        with self.assertRaisesRegex(ReadError, r"^ThingBody\.when: type `list\[str` has no closing"):
            self.sdk.read(when="list[str")
        with self.assertRaisesRegex(ReadError, r"^ThingBody\.when: type `dict\(int, str\)` is not `dict\(str, T\)`"):
            self.sdk.read(when="dict(int, str)")

    def test_a_renamed_http_info_key_names_the_operation(self):
        with self.assertRaisesRegex(ReadError, r"^operation `show_thing`: `_show_thing_http_info` has no `resource_path` key"):
            self.sdk.read(path_key="path")

    def test_a_path_in_no_group_names_it_and_the_file_to_edit(self):
        facts, demo = self.sdk.read(path="/v5/{project_id}/gadget/{thing_id}")
        with self.assertRaisesRegex(
            ValueError,
            r"^ShowThing: path `/v5/{project_id}/gadget/{thing_id}` is in no feature group; add its prefix to a group under `groups` in spec/services/demo.yaml$",
        ):
            build(facts, "1.0.0", demo)

    def test_a_path_parameter_no_one_fills_is_named(self):
        facts, demo = self.sdk.read(path="/v5/account/{domain_id}/{thing_id}")
        with self.assertRaisesRegex(ValueError, r"^ShowThing: path parameter `domain_id` .* add it to `client-filled` in spec/services/demo.yaml$"):
            build(facts, "1.0.0", demo)

    def test_a_missing_client_class_names_the_fact(self):
        self.sdk.read()
        with self.assertRaisesRegex(ReadError, r"no client class `NoClient` in fake_sdk_\d+ \(`client` in spec/services/demo.yaml\)"):
            Reader(service(module=f"fake_sdk_{FakeSdk.count}", client="NoClient"))


if __name__ == "__main__":
    unittest.main()
