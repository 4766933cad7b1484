"""Reads the facts of every HSS v5 operation from the installed official Python SDK.

Run by `cargo xtask import-sdk` with the private virtual environment's interpreter; prints one JSON
document (operations and models, plain facts: names, wire names, types, locations, required-ness,
deprecation, content types, response headers) on standard output. It reads no documentation text:
descriptions in the spec are the project's own, written by `build_spec.py`.

The SDK records each operation only in code, so the facts are read the way the SDK itself uses
them: `_<op>_http_info(request)` is called with a request whose every attribute holds a marker, which
shows where each attribute goes on the wire (path, query, header, body, form); types come from
`openapi_types`, wire names from `attribute_map`, and required-ness from how `__init__` assigns each
attribute (unconditionally: required; under `if x is not None`: optional).
"""

import ast
import inspect
import json
import re
import sys
import textwrap
import warnings

from doc_facts import schema_facts
from huaweicloudsdkcore.sdk_stream_response import SdkStreamResponse
import huaweicloudsdkhss.v5 as hss
from huaweicloudsdkhss.v5 import HssClient


class Marker:
    """Stands in for an attribute's value, so the metadata shows where the attribute goes."""

    def __init__(self, attribute):
        self.attribute = attribute


def required_attributes(cls):
    """The attributes `cls.__init__` assigns unconditionally."""
    source = textwrap.dedent(inspect.getsource(cls.__init__))
    function = ast.parse(source).body[0]
    required = []
    for statement in function.body:
        if (
            isinstance(statement, ast.Assign)
            and len(statement.targets) == 1
            and isinstance(statement.targets[0], ast.Attribute)
            and isinstance(statement.targets[0].value, ast.Name)
            and statement.targets[0].value.id == "self"
            and isinstance(statement.value, ast.Name)
            and statement.targets[0].attr == statement.value.id
        ):
            required.append(statement.value.id)
    return required


def deprecated(client_cls, name):
    """True when calling the operation warns with a DeprecationWarning (the SDK's only marker)."""
    source = inspect.getsource(getattr(client_cls, name))
    return "DeprecationWarning" in source


def documented_facts(cls, attribute, type_string):
    """Enum values, limits and defaults from the attribute's documentation (see doc_facts)."""
    prop = getattr(cls, attribute, None)
    doc = inspect.getdoc(prop.fget) if isinstance(prop, property) and prop.fget else None
    return schema_facts(doc, type_string)


def fields(cls):
    """The attributes of a model class in declaration order: name, wire name, type, required,
    and the facts its documentation gives in structured form."""
    required = set(required_attributes(cls))
    return [
        {
            "attribute": attribute,
            "wire": cls.attribute_map[attribute],
            "type": type_string,
            "required": attribute in required,
            "facts": documented_facts(cls, attribute, type_string),
        }
        for attribute, type_string in cls.openapi_types.items()
    ]


MODEL_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
SCALARS = {"str", "int", "bool", "float", "object", "file"}


def referenced_models(type_string):
    """The model class names a type string such as `list[dict(str, Host)]` mentions."""
    return [
        name
        for name in MODEL_NAME.findall(type_string)
        if name not in SCALARS and name not in ("list", "dict")
    ]


def read_operation(name):
    http_info = getattr(HssClient, f"_{name}_http_info")
    request_cls_name = "".join(part.capitalize() for part in name.split("_")) + "Request"
    # The SDK's class names keep acronyms as written in its model files; find the class by the
    # request_type the metadata reports instead of trusting the capitalisation above.
    request_cls = None
    for candidate in dir(hss):
        if candidate.lower() == request_cls_name.lower():
            request_cls = getattr(hss, candidate)
            break
    if request_cls is None:
        raise SystemExit(f"error: no request class for operation {name}")
    request = request_cls()
    for attribute in request_cls.openapi_types:
        setattr(request, attribute, Marker(attribute))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        info = http_info(request)

    locations = {}
    for wire, value in info["path_params"].items():
        locations[value.attribute] = ("path", wire)
    for wire, value in info["query_params"]:
        locations[value.attribute] = ("query", wire)
    content_type = None
    for wire, value in info["header_params"].items():
        if wire == "Content-Type":
            content_type = value
            continue
        locations[value.attribute] = ("header", wire)
    for wire, value in (info.get("post_params") or {}).items():
        locations[value.attribute] = ("form", wire)
    body = info.get("body")
    if isinstance(body, Marker):
        locations[body.attribute] = ("body", None)

    required = set(required_attributes(request_cls))
    # The SDK masks these attributes when it prints a request: secrets (the security token).
    sensitive = set(getattr(request_cls, "sensitive_list", []))
    parameters = []
    body_type = None
    for attribute, type_string in request_cls.openapi_types.items():
        if attribute not in locations:
            raise SystemExit(f"error: {name}: attribute `{attribute}` goes nowhere on the wire")
        where, wire = locations[attribute]
        if where == "body":
            body_type = type_string
            continue
        parameters.append(
            {
                "attribute": attribute,
                "in": where,
                "wire": wire,
                "type": type_string,
                "required": attribute in required,
                "sensitive": attribute in sensitive,
                "collection_format": info["collection_formats"].get(attribute),
                "facts": documented_facts(request_cls, attribute, type_string),
            }
        )

    response_cls = getattr(hss, info["response_type"])
    response_headers = list(info.get("response_headers") or [])
    header_attributes = {
        attribute
        for attribute, wire in response_cls.attribute_map.items()
        if wire in response_headers
    }
    response_fields = [
        field for field in fields(response_cls) if field["attribute"] not in header_attributes
    ]
    return {
        "python_name": name,
        "operation_id": request_cls.__name__[: -len("Request")],
        "method": info["method"],
        "path": info["resource_path"],
        "deprecated": deprecated(HssClient, name),
        "content_type": content_type,
        "parameters": parameters,
        "body_type": body_type,
        "response_type": response_cls.__name__,
        "response_stream": issubclass(response_cls, SdkStreamResponse),
        "response_fields": response_fields,
        "response_headers": [
            {"wire": wire, "type": response_cls.openapi_types[attribute]}
            for attribute, wire in response_cls.attribute_map.items()
            if attribute in header_attributes
        ],
    }


def main():
    names = sorted(
        attribute[1 : -len("_http_info")]
        for attribute in vars(HssClient)
        if attribute.startswith("_") and attribute.endswith("_http_info")
    )
    operations = [read_operation(name) for name in names]

    models = {}
    pending = []
    for operation in operations:
        if operation["body_type"]:
            pending.extend(referenced_models(operation["body_type"]))
        for item in operation["parameters"] + operation["response_fields"]:
            pending.extend(referenced_models(item["type"]))
    while pending:
        model = pending.pop()
        if model in models:
            continue
        cls = getattr(hss, model, None)
        if cls is None:
            raise SystemExit(f"error: model class `{model}` is not in huaweicloudsdkhss.v5")
        models[model] = fields(cls)
        for field in models[model]:
            pending.extend(referenced_models(field["type"]))

    json.dump(
        {"operations": operations, "models": dict(sorted(models.items()))},
        sys.stdout,
        ensure_ascii=False,
        indent=1,
    )


if __name__ == "__main__":
    main()
