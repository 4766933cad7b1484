"""Writes the OpenAPI 3.0 document of a service from the SDK's facts, the service's facts file and
the curated overlays.

Usage: build_spec.py --service SERVICE.yaml --sdk-version V [--allow-stale-overlays]
                     FACTS.json OUT.yaml [OVERLAY.yaml ...]

FACTS.json is what `read_sdk.py` printed; SERVICE.yaml the service's facts (see `service_facts.py`:
groups, paging names, client-filled parameters); types are written from the one table of
`sdk_types.py`. The document is built from facts only (names, wire names,
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
from sdk_types import kind_of, schema_of
from service_facts import load
from shared_enums import share_enums

ERROR_RESPONSES = {
    "4XX": {"$ref": "#/components/responses/ClientError"},
    "5XX": {"$ref": "#/components/responses/ServerError"},
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

METHOD_ORDER = ["get", "put", "post", "delete", "options", "head", "patch", "trace"]


def words(camel):
    """`ListHostStatus` -> `List host status`."""
    parts = re.findall(r"[A-Z]+(?![a-z])|[A-Z]?[a-z0-9]+", camel)
    text = " ".join(part if part.isupper() and len(part) > 1 else part.lower() for part in parts)
    return text[:1].upper() + text[1:]


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


def pagination(op, service):
    """`x-pagination` for an offset/limit list operation, else None.

    The names come from the service's facts (`paging`; none: no operation is paged). The shape:
    integer `offset` and `limit` in the query, and an answer holding an integer total and a list.
    The list is the only one, or the `items` name beside others; with several lists and none of
    that name (HSS's ListTaskResources: one list per task type, which the request does not say)
    no single list holds the pages' items, so the operation is left unpaged rather than
    streaming an empty list for half its calls.
    """
    names = service.paging
    if names is None or op["response_stream"]:
        return None
    integer = ("int", "long")
    query = {item["wire"]: kind_of(item["type"]) for item in op["parameters"] if item["in"] == "query"}
    if query.get(names["offset"]) not in integer or query.get(names["limit"]) not in integer:
        return None
    fields = {field["wire"]: field["type"] for field in op["response_fields"]}
    if names["total"] not in fields or kind_of(fields[names["total"]]) not in integer:
        return None
    lists = [wire for wire, type_string in fields.items() if kind_of(type_string) == "list"]
    if names["items"] in lists:
        items = names["items"]
    elif len(lists) == 1:
        items = lists[0]
    else:
        return None
    return {"offset": names["offset"], "limit": names["limit"], "total": names["total"], "items": items}


def client_filled_parameters(op, service):
    """The path parameters no request attribute holds: the client fills them (`client-filled`
    in the service's facts), or the import stops naming the operation and the file."""
    given = {item["wire"] for item in op["parameters"] if item["in"] == "path"}
    result = []
    for name in re.findall(r"\{([^}]+)\}", op["path"]):
        if name in given:
            continue
        if name not in service.client_filled:
            raise ValueError(
                f"{op['operation_id']}: path parameter `{name}` of `{op['path']}` is in no request attribute; "
                f"if the client fills it, add it to `client-filled` in {service.source}"
            )
        result.append(
            {
                "name": name,
                "in": "path",
                "required": True,
                "x-client-default": service.client_filled[name],
                "schema": {"type": "string"},
            }
        )
    return result


def operation_object(op, service):
    operation_id = op["operation_id"]
    result = {
        "tags": [service.group_of(op["path"], operation_id)],
        "operationId": operation_id,
        "summary": words(operation_id),
    }
    if op["deprecated"]:
        result["deprecated"] = True
    parameters = client_filled_parameters(op, service)
    parameters.extend(parameter(item, operation_id) for item in op["parameters"] if item["in"] != "form")
    if parameters:
        result["parameters"] = parameters
    content_type = op["content_type"] or "application/json"
    if op["body_type"]:
        result["requestBody"] = {"content": {content_type: {"schema": schema_of(op["body_type"])}}}
    if not op["body_type"] or not result.get("requestBody", {}).get("required"):
        # The official SDK sends (and signs) a Content-Type on every request, a body or not.
        result["x-request-content-type"] = content_type
    paging = pagination(op, service)
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


def build(facts, sdk_version, service):
    """The document before the overlays; ValueError naming the operation or model at fault."""
    paths = {}
    schemas = {}
    groups = {}
    for op in facts["operations"]:
        methods = paths.setdefault(op["path"], {})
        method = op["method"].lower()
        if method in methods:
            raise ValueError(f"two operations for {op['method']} {op['path']}")
        methods[method] = operation_object(op, service)
        group = methods[method]["tags"][0]
        groups[group] = groups.get(group, 0) + 1
        fields = op["response_fields"]
        wrapped_array = len(fields) == 1 and fields[0]["attribute"] == "body"
        if fields and not op["response_stream"] and not wrapped_array:
            schemas[op["response_type"]] = model_schema(fields)
    for name, fields in facts["models"].items():
        if name in schemas:
            raise ValueError(f"model `{name}` is also a response")
        schemas[name] = model_schema(fields)
    return {
        "openapi": "3.0.3",
        "info": {
            "title": service.title,
            "version": service.api_version,
            "x-imported-from": {"package": service.package, "version": sdk_version},
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


USAGE = (
    "usage: build_spec.py --service SERVICE.yaml --sdk-version V [--allow-stale-overlays] "
    "FACTS.json OUT.yaml [OVERLAY.yaml ...]"
)


def arguments(argv):
    """(service, version, allow_stale, facts, out, overlays) from the command line."""
    options = {"--service": None, "--sdk-version": None}
    allow_stale = False
    rest = list(argv)
    while rest and rest[0].startswith("--"):
        flag = rest.pop(0)
        if flag == "--allow-stale-overlays":
            allow_stale = True
        elif flag in options and rest:
            options[flag] = rest.pop(0)
        else:
            raise SystemExit(USAGE)
    if None in options.values() or len(rest) < 2:
        raise SystemExit(USAGE)
    return options["--service"], options["--sdk-version"], allow_stale, rest[0], rest[1], rest[2:]


def apply_overlays(document, overlay_paths, package, sdk_version, allow_stale):
    """Applies each overlay in order. A target the version lacks stops the import naming the
    overlay, the action and the version, or with `allow_stale` is reported as a warning."""
    for overlay_path in overlay_paths:
        with open(overlay_path, encoding="utf-8") as file:
            overlay = yaml.safe_load(file)

        def stale(where, target):
            print(
                f"warning: {overlay_path}: {where}: target `{target}` selects nothing in {package} "
                f"{sdk_version}; skipped (--allow-stale-overlays)",
                file=sys.stderr,
            )

        try:
            apply_overlay(document, overlay, stale if allow_stale else None)
        except ValueError as error:
            if "selects nothing" in str(error):
                error = f"{error} in {package} {sdk_version} (--allow-stale-overlays skips it, to look at an old version)"
            raise SystemExit(f"error: {overlay_path}: {error}") from None


def main():
    service_path, sdk_version, allow_stale, facts_path, out_path, overlay_paths = arguments(sys.argv[1:])
    try:
        service = load(service_path)
        with open(facts_path, encoding="utf-8") as file:
            facts = json.load(file)
        document = build(facts, sdk_version, service)
    except ValueError as error:
        raise SystemExit(f"error: {error}") from None
    apply_overlays(document, overlay_paths, service.package, sdk_version, allow_stale)
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
        f"# {service.overlays}/. Edit the overlays, not this file, and run the importer again.\n"
    )
    with open(out_path, "w", encoding="utf-8", newline="\n") as file:
        file.write(header + text)


if __name__ == "__main__":
    main()
