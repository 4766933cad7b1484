"""Writes the OpenAPI 3.0 document of HSS v5 from the SDK's facts and the curated overlays.

Usage: build_spec.py --sdk-version V FACTS.json OUT.yaml [OVERLAY.yaml ...]

FACTS.json is what `read_sdk.py` printed. The document is built from facts only (names, wire names,
types, locations, required-ness, deprecation, content types, response headers, and the enum values,
limits and defaults of fields whose SDK documentation states them in structured form); every sentence in
it is the project's own: an operation's summary is made from its name, and its description from
its method and path. Then each overlay (OpenAPI Overlay 1.0, see `overlay.py`) is applied in order,
so facts a maintainer curated by hand survive every re-import. Last, enums repeated across models
become shared schemas (see `shared_enums.py`). The output is byte-identical for the
same inputs.
"""

import json
import re
import sys

import yaml

from overlay import apply_overlay
from shared_enums import share_enums

ERROR_RESPONSES = {
    "4XX": {"$ref": "#/components/responses/ClientError"},
    "5XX": {"$ref": "#/components/responses/ServerError"},
}

# The first path segment names the group, except where one or two operations stand alone under a
# segment of their own; those join the group whose subject they share, so each cargo feature is a
# meaningful slice of the service.
GROUP_OF_SEGMENT = {
    "host": "host-management",
    "images": "image",
    "vul": "vulnerability",
    "quotas": "billing",
    "product": "billing",
    "download": "export",
    "export-task": "export",
    "cluster": "asset",
    "config": "setting",
    "browsing-history": "common",
    "resources": "common",
    "operational-report": "report",
    "{host_id}": "files",
    "{resource_type}": "tags",
}

TOP_LEVEL_ORDER = [
    "openapi",
    "info",
    "servers",
    "x-huaweicloud-service",
    "x-feature-groups",
    "tags",
    "security",
    "paths",
    "components",
]

# The list an offset/limit operation pages when its answer holds several lists: the SDK's name for
# a page's records. Beside it the others are filter values or summaries of the whole result
# (ListAlarmWhiteList's `event_type_list`, ListBaselineWhiteLists' `tag_list`, ListK8sPods'
# `pod_info_list`, ListQuotasDetail's `quota_statistics_list`).
PAGED_LIST = "data_list"

METHOD_ORDER = ["get", "put", "post", "delete", "options", "head", "patch", "trace"]


def group_of(path):
    segments = path.split("/")
    # /v5/{project_id}/<segment>/... or, for the account operations, /v5/setting/account/...
    if segments[2] != "{project_id}":
        return "account"
    segment = segments[3]
    return GROUP_OF_SEGMENT.get(segment, segment)


def words(camel):
    """`ListHostStatus` -> `List host status`."""
    parts = re.findall(r"[A-Z]+(?![a-z])|[A-Z]?[a-z0-9]+", camel)
    text = " ".join(part if part.isupper() and len(part) > 1 else part.lower() for part in parts)
    return text[:1].upper() + text[1:]


def split_type(type_string):
    """`list[X]` -> ('list', 'X'); `dict(str, X)` -> ('dict', 'X'); else (None, type_string)."""
    if type_string.startswith("list[") and type_string.endswith("]"):
        return "list", type_string[5:-1]
    if type_string.startswith("dict(") and type_string.endswith(")"):
        key, _, value = type_string[5:-1].partition(",")
        if key.strip() != "str":
            raise SystemExit(f"error: map key type `{key}` is not str")
        return "dict", value.strip()
    return None, type_string


def schema_of(type_string):
    kind, inner = split_type(type_string)
    if kind == "list":
        return {"type": "array", "items": schema_of(inner)}
    if kind == "dict":
        return {"type": "object", "additionalProperties": schema_of(inner)}
    scalar = {
        "str": {"type": "string"},
        # The SDK's `int` hides the width; the service's counters and ids can pass 32 bits.
        "int": {"type": "integer", "format": "int64"},
        "bool": {"type": "boolean"},
        "float": {"type": "number", "format": "double"},
        "object": {"type": "object"},
        "file": {"type": "string", "format": "binary"},
    }.get(inner)
    if scalar is not None:
        return dict(scalar)
    return {"$ref": f"#/components/schemas/{inner}"}


def with_facts(schema, facts):
    """`schema` with the keywords the SDK's field documentation gives (enum values, limits,
    defaults). A `$ref` takes no siblings in OpenAPI 3.0, so a referenced model gets none."""
    if not facts or "$ref" in schema:
        return schema
    return {**schema, **facts}


def model_schema(fields):
    schema = {"type": "object"}
    required = [field["wire"] for field in fields if field["required"]]
    if required:
        schema["required"] = required
    if fields:
        schema["properties"] = {
            field["wire"]: with_facts(schema_of(field["type"]), field.get("facts")) for field in fields
        }
    return schema


def parameter(item, operation_id):
    result = {"name": item["wire"], "in": item["in"]}
    if item["in"] == "path" or item["required"]:
        result["required"] = True
    schema = with_facts(schema_of(item["type"]), item.get("facts"))
    if item.get("sensitive") and schema.get("type") == "string":
        # A secret (the SDK masks it): the client keeps it out of `Debug`.
        schema["format"] = "password"
    result["schema"] = schema
    if schema.get("type") == "array":
        if item["in"] != "query":
            raise SystemExit(f"error: {operation_id}: array parameter `{item['wire']}` outside the query")
        # The SDK records `csv` for some lists, but its core sends every list as repeated keys
        # (`a=1&a=2`); the spec records what goes on the wire.
        result["style"] = "form"
        result["explode"] = True
    return result


def pagination(op):
    """`x-pagination` for an offset/limit list operation, else None.

    The shape: integer `offset` and `limit` in the query, and an answer holding an integer
    `total_num` and a list. The list is the only one, or `data_list` beside others; with several
    lists and no `data_list` (ListTaskResources: one list per task type, which the request does
    not say) no single list holds the pages' items, so the operation is left unpaged rather than
    streaming an empty list for half its calls.
    """
    query = {item["wire"]: item["type"] for item in op["parameters"] if item["in"] == "query"}
    if query.get("offset") != "int" or query.get("limit") != "int" or op["response_stream"]:
        return None
    fields = {field["wire"]: field["type"] for field in op["response_fields"]}
    if fields.get("total_num") != "int":
        return None
    lists = [wire for wire, type_string in fields.items() if split_type(type_string)[0] == "list"]
    if PAGED_LIST in lists:
        items = PAGED_LIST
    elif len(lists) == 1:
        items = lists[0]
    else:
        return None
    return {"offset": "offset", "limit": "limit", "total": "total_num", "items": items}


def operation_object(op):
    operation_id = op["operation_id"]
    result = {
        "tags": [group_of(op["path"])],
        "operationId": operation_id,
        "summary": words(operation_id),
    }
    if op["deprecated"]:
        result["deprecated"] = True
    parameters = []
    if "{project_id}" in op["path"]:
        parameters.append(
            {
                "name": "project_id",
                "in": "path",
                "required": True,
                "x-client-default": True,
                "schema": {"type": "string"},
            }
        )
    parameters.extend(parameter(item, operation_id) for item in op["parameters"] if item["in"] != "form")
    if parameters:
        result["parameters"] = parameters
    content_type = op["content_type"] or "application/json"
    if op["body_type"]:
        result["requestBody"] = {"content": {content_type: {"schema": schema_of(op["body_type"])}}}
    if not op["body_type"] or not result.get("requestBody", {}).get("required"):
        # The official SDK sends (and signs) a Content-Type on every request, a body or not.
        result["x-request-content-type"] = content_type
    paging = pagination(op)
    if paging:
        result["x-pagination"] = paging
    result["responses"] = {"2XX": success_response(op), **ERROR_RESPONSES}
    return result


def success_response(op):
    response = {"description": "Success."}
    if op["response_headers"]:
        response["headers"] = {
            header["wire"]: {"schema": schema_of(header["type"])} for header in op["response_headers"]
        }
    fields = op["response_fields"]
    if op["response_stream"]:
        response["content"] = {
            "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}
        }
    elif len(fields) == 1 and fields[0]["attribute"] == "body" and fields[0]["wire"] == "body":
        # The SDK wraps a top-level JSON array in an attribute named `body`.
        response["content"] = {"application/json": {"schema": schema_of(fields[0]["type"])}}
    elif fields:
        response["content"] = {
            "application/json": {"schema": {"$ref": f"#/components/schemas/{op['response_type']}"}}
        }
    return response


def build(facts, sdk_version):
    paths = {}
    schemas = {}
    groups = {}
    for op in facts["operations"]:
        methods = paths.setdefault(op["path"], {})
        method = op["method"].lower()
        if method in methods:
            raise SystemExit(f"error: two operations for {op['method']} {op['path']}")
        methods[method] = operation_object(op)
        group = group_of(op["path"])
        groups[group] = groups.get(group, 0) + 1
        fields = op["response_fields"]
        wrapped_array = len(fields) == 1 and fields[0]["attribute"] == "body"
        if fields and not op["response_stream"] and not wrapped_array:
            schemas[op["response_type"]] = model_schema(fields)
    for name, fields in facts["models"].items():
        if name in schemas:
            raise SystemExit(f"error: model `{name}` is also a response")
        schemas[name] = model_schema(fields)
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "HSS",
            "version": "v5",
            "x-imported-from": {"package": "huaweicloudsdkhss", "version": sdk_version},
        },
        "tags": [
            {"name": group, "description": f"{count} operations; cargo feature `{group}`."}
            for group, count in sorted(groups.items())
        ],
        "paths": {
            path: {method: methods[method] for method in METHOD_ORDER if method in methods}
            for path, methods in sorted(paths.items())
        },
        "components": {"schemas": dict(sorted(schemas.items()))},
    }


def ordered(document):
    known = {key: document[key] for key in TOP_LEVEL_ORDER if key in document}
    rest = {key: document[key] for key in sorted(document) if key not in known}
    return {**known, **rest}


class Dumper(yaml.SafeDumper):
    pass


def represent_str(dumper, value):
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


Dumper.add_representer(str, represent_str)
# Shared sub-objects (the error responses) are written out in full, never as YAML anchors.
Dumper.ignore_aliases = lambda self, data: True


def main():
    arguments = sys.argv[1:]
    if len(arguments) < 4 or arguments[0] != "--sdk-version":
        raise SystemExit("usage: build_spec.py --sdk-version V FACTS.json OUT.yaml [OVERLAY.yaml ...]")
    sdk_version, facts_path, out_path, overlay_paths = arguments[1], arguments[2], arguments[3], arguments[4:]
    with open(facts_path, encoding="utf-8") as file:
        facts = json.load(file)
    document = build(facts, sdk_version)
    for overlay_path in overlay_paths:
        with open(overlay_path, encoding="utf-8") as file:
            overlay = yaml.safe_load(file)
        try:
            apply_overlay(document, overlay)
        except ValueError as error:
            raise SystemExit(f"error: {overlay_path}: {error}") from None
    share_enums(document)
    text = yaml.dump(
        ordered(document),
        Dumper=Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=100,
        default_flow_style=False,
    )
    header = (
        "# Written by `cargo xtask import-sdk` from the official SDK's facts and the overlays in\n"
        "# spec/overlays/. Edit the overlays, not this file, and run the importer again.\n"
    )
    with open(out_path, "w", encoding="utf-8", newline="\n") as file:
        file.write(header + text)


if __name__ == "__main__":
    main()
