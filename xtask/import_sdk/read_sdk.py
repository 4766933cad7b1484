"""Reads the facts of every operation of one service from the installed official Python SDK.

Usage: read_sdk.py SERVICE.yaml  (the service's facts file, see `service_facts.py`)

Run by `cargo xtask import-sdk` with the private virtual environment's interpreter; prints one JSON
document (operations and models, plain facts: names, wire names, types, locations, required-ness,
deprecation, content types, response headers) on standard output, and on standard error how many
documented facts it could not read. It reads no documentation text into the facts: descriptions in
the spec are the project's own, written by `build_spec.py`.

The SDK records each operation only in code, so the facts are read by running the SDK the way it
runs itself: `_<op>_http_info(request)` is called with a request whose every attribute holds a
marker, which shows where each attribute goes on the wire (path, query, header, body, form); the
operation's method is called with a client that sends nothing, and a DeprecationWarning it raises
marks the operation deprecated; a model's `__init__` is run with no arguments, and the attributes
it assigns anyway are the required ones. Types come from `openapi_types` (parsed by `sdk_types.py`),
wire names from `attribute_map`.
"""

import importlib
import inspect
import json
import sys
import warnings

import sdk_types
from doc_facts import DocReport, schema_facts
from service_facts import load

# The keys of the dict `_<op>_http_info` returns that the importer reads; `post_params`, `body`
# and `response_headers` may be absent.
HTTP_INFO_KEYS = ("method", "resource_path", "response_type", "path_params", "query_params", "header_params", "collection_formats")


class ReadError(Exception):
    """A fact of the SDK the importer cannot read; the message names where."""


class Marker:
    """Stands in for an attribute's value, so the metadata shows where the attribute goes."""

    def __init__(self, attribute):
        self.attribute = attribute


def required_attributes(cls):
    """The attributes `cls.__init__` assigns when given nothing: the SDK's required ones."""
    assigned = []

    class Recorder(cls):
        def __setattr__(self, name, value):
            if name in cls.openapi_types:
                assigned.append(name)
            object.__setattr__(self, name, value)

    # A stream response's `__init__` also takes the HTTP response, which holds no field.
    needed = {
        name: None
        for name, parameter in inspect.signature(cls.__init__).parameters.items()
        if name != "self" and parameter.default is inspect.Parameter.empty
        and parameter.kind in (parameter.POSITIONAL_OR_KEYWORD, parameter.KEYWORD_ONLY)
    }
    try:
        Recorder(**needed)
    except Exception as error:  # the SDK's own code: whatever it raises is reported, located
        raise ReadError(f"{cls.__name__}: `__init__` with no field values failed: {error}") from None
    return assigned


def deprecated(client_cls, name, request):
    """True when calling the operation warns with a DeprecationWarning (the SDK's only marker)."""
    client = client_cls.__new__(client_cls)
    client._call_api = lambda **_: None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        getattr(client, name)(request)
    return any(issubclass(warning.category, DeprecationWarning) for warning in caught)


def check_type_table():
    """Every type name the installed core decodes must be in the type table: a name a new core
    adds stops the import here, naming it, before any model could use it."""
    try:
        primitive_types = importlib.import_module("huaweicloudsdkcore.http.primitive_types")
    except ImportError:
        return
    missing = sorted(set(getattr(primitive_types, "NATIVE_TYPES_MAPPING", {})) - set(sdk_types.SCALARS))
    if missing:
        raise ReadError(
            f"huaweicloudsdkcore's NATIVE_TYPES_MAPPING has {', '.join(f'`{m}`' for m in missing)}, "
            f"which the SDK's type table (xtask/import_sdk/sdk_types.py) lacks"
        )


class Reader:
    """Reads one service's module; `report` counts the documented facts not taken."""

    def __init__(self, facts):
        self.facts = facts
        self.module = importlib.import_module(facts.module)
        self.client = getattr(self.module, facts.client, None)
        if self.client is None:
            raise ReadError(f"no client class `{facts.client}` in {facts.module} (`client` in {facts.source})")
        self.report = DocReport()
        check_type_table()

    def type_of(self, owner, attribute, type_string):
        """The type string, checked against the SDK's type table and the module's models."""
        try:
            parsed = sdk_types.parse(type_string)
        except sdk_types.SdkTypeError as error:
            raise ReadError(f"{owner}.{attribute}: {error}") from None
        for model in sdk_types.models(parsed):
            if not isinstance(getattr(self.module, model, None), type):
                raise ReadError(
                    f"{owner}.{attribute}: type `{type_string}` names `{model}`, which is neither in the SDK's "
                    f"type table (xtask/import_sdk/sdk_types.py) nor a model class of {self.facts.module}"
                )
        return type_string

    def documented_facts(self, cls, attribute, type_string):
        """Enum values, limits and defaults from the attribute's documentation (see doc_facts)."""
        prop = getattr(cls, attribute, None)
        doc = inspect.getdoc(prop.fget) if isinstance(prop, property) and prop.fget else None
        return schema_facts(doc, sdk_types.kind_of(type_string), self.report)

    def fields(self, cls):
        """The attributes of a model class in declaration order: name, wire name, type, required,
        and the facts its documentation gives in structured form."""
        required = set(required_attributes(cls))
        return [
            {
                "attribute": attribute,
                "wire": cls.attribute_map[attribute],
                "type": self.type_of(cls.__name__, attribute, type_string),
                "required": attribute in required,
                "facts": self.documented_facts(cls, attribute, type_string),
            }
            for attribute, type_string in cls.openapi_types.items()
        ]

    def http_info(self, name, request):
        info_method = getattr(self.client, f"_{name}_http_info")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            info = info_method(request)
        if not isinstance(info, dict):
            raise ReadError(f"operation `{name}`: `_{name}_http_info` returned no dict")
        for key in HTTP_INFO_KEYS:
            if key not in info:
                raise ReadError(
                    f"operation `{name}`: `_{name}_http_info` has no `{key}` key; the SDK's metadata "
                    f"changed shape (HTTP_INFO_KEYS in xtask/import_sdk/read_sdk.py)"
                )
        return info

    def request_class(self, name):
        # The SDK's class names keep acronyms as written in its model files: match case-blind.
        wanted = "".join(part.capitalize() for part in name.split("_")) + "Request"
        for candidate in dir(self.module):
            if candidate.lower() == wanted.lower():
                return getattr(self.module, candidate)
        raise ReadError(f"operation `{name}`: no request class `{wanted}` in {self.facts.module}")

    def operation(self, name):
        request_cls = self.request_class(name)
        request = request_cls()
        for attribute in request_cls.openapi_types:
            setattr(request, attribute, Marker(attribute))
        info = self.http_info(name, request)

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

        owner = request_cls.__name__
        required = set(required_attributes(request_cls))
        # The SDK masks these attributes when it prints a request: secrets (the security token).
        sensitive = set(getattr(request_cls, "sensitive_list", []))
        parameters = []
        body_type = None
        for attribute, type_string in request_cls.openapi_types.items():
            if attribute not in locations:
                raise ReadError(f"operation `{name}`: attribute `{attribute}` goes nowhere on the wire")
            self.type_of(owner, attribute, type_string)
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
                    "facts": self.documented_facts(request_cls, attribute, type_string),
                }
            )

        response_cls = getattr(self.module, info["response_type"], None)
        if not isinstance(response_cls, type):
            raise ReadError(f"operation `{name}`: response class `{info['response_type']}` is not in {self.facts.module}")
        response_headers = list(info.get("response_headers") or [])
        header_attributes = {
            attribute for attribute, wire in response_cls.attribute_map.items() if wire in response_headers
        }
        response_fields = [field for field in self.fields(response_cls) if field["attribute"] not in header_attributes]
        stream_base = importlib.import_module("huaweicloudsdkcore.sdk_stream_response").SdkStreamResponse
        return {
            "python_name": name,
            "operation_id": owner[: -len("Request")],
            "method": info["method"],
            "path": info["resource_path"],
            "deprecated": deprecated(self.client, name, request_cls()),
            "content_type": content_type,
            "parameters": parameters,
            "body_type": body_type,
            "response_type": response_cls.__name__,
            "response_stream": issubclass(response_cls, stream_base),
            "response_fields": response_fields,
            "response_headers": [
                {"wire": wire, "type": response_cls.openapi_types[attribute]}
                for attribute, wire in response_cls.attribute_map.items()
                if attribute in header_attributes
            ],
        }

    def read(self):
        names = sorted(
            attribute[1 : -len("_http_info")]
            for attribute in vars(self.client)
            if attribute.startswith("_") and attribute.endswith("_http_info")
        )
        if not names:
            raise ReadError(f"{self.facts.client} has no `_<operation>_http_info` methods: the SDK's layout changed")
        operations = [self.operation(name) for name in names]
        models = {}
        pending = []
        for operation in operations:
            if operation["body_type"]:
                pending.extend(sdk_types.models(sdk_types.parse(operation["body_type"])))
            for item in operation["parameters"] + operation["response_fields"]:
                pending.extend(sdk_types.models(sdk_types.parse(item["type"])))
        while pending:
            model = pending.pop()
            if model in models:
                continue
            models[model] = self.fields(getattr(self.module, model))
            for field in models[model]:
                pending.extend(sdk_types.models(sdk_types.parse(field["type"])))
        return {"operations": operations, "models": dict(sorted(models.items()))}


def main():
    if len(sys.argv) != 2:
        raise SystemExit("usage: read_sdk.py SERVICE.yaml")
    try:
        reader = Reader(load(sys.argv[1]))
        facts = reader.read()
    except (ReadError, ValueError) as error:
        raise SystemExit(f"error: {error}") from None
    json.dump(facts, sys.stdout, ensure_ascii=False, indent=1)
    for line in reader.report.lines():
        print(f"note: {line}", file=sys.stderr)


if __name__ == "__main__":
    main()
