"""The official SDK's type vocabulary: the one table the importer reads and writes types with.

Each model class of a Huawei Cloud Python SDK maps its attributes to type strings in
`openapi_types`. The names the SDK core itself decodes are the keys of `NATIVE_TYPES_MAPPING`
(`huaweicloudsdkcore/http/primitive_types.py`); besides those, a type string is `file` (a form
upload), `list[T]`, `dict(str, T)` or the name of a model class of the service's module. `read_sdk.py`
parses every type string with `parse` (an unknown one is an error naming the model and the field)
and `build_spec.py` turns the parsed type into a schema with `schema_of`: there is no second copy.
"""

import re

# Every entry of NATIVE_TYPES_MAPPING, plus `file`, with the OpenAPI schema of its wire value.
SCALARS = {
    # Python's `int` hides the width; the services' counters and ids can pass 32 bits.
    "int": {"type": "integer", "format": "int64"},
    "long": {"type": "integer", "format": "int64"},
    "float": {"type": "number", "format": "double"},
    "str": {"type": "string"},
    "bool": {"type": "boolean"},
    # The core sends dates and date-times as `isoformat()` text and reads them back with
    # `dateutil`: on the wire they are strings in RFC 3339 form.
    "date": {"type": "string", "format": "date"},
    "datetime": {"type": "string", "format": "date-time"},
    "object": {"type": "object"},
    "decimal.Decimal": {"type": "number"},
    # A form upload's file.
    "file": {"type": "string", "format": "binary"},
}

MODEL_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


class SdkTypeError(ValueError):
    """A type string outside the SDK's vocabulary; the message says what is wrong with it."""


def parse(type_string):
    """The parsed type: ("list", inner), ("dict", inner), ("scalar", name) or ("model", name).

    A name that is neither a scalar nor a possible class name, or a malformed `list[`/`dict(`,
    raises SdkTypeError. Whether a model name is a class of the module is the reader's to check.
    """
    text = type_string.strip() if isinstance(type_string, str) else None
    if not text:
        raise SdkTypeError(f"type `{type_string}` is not a type string")
    if text.startswith("list["):
        if not text.endswith("]"):
            raise SdkTypeError(f"type `{type_string}` has no closing `]`")
        return ("list", parse(text[5:-1]))
    if text.startswith("dict("):
        if not text.endswith(")"):
            raise SdkTypeError(f"type `{type_string}` has no closing `)`")
        key, comma, value = text[5:-1].partition(",")
        if not comma or key.strip() != "str":
            raise SdkTypeError(f"type `{type_string}` is not `dict(str, T)`: map keys are strings on the wire")
        return ("dict", parse(value))
    if text in SCALARS:
        return ("scalar", text)
    if MODEL_NAME.fullmatch(text):
        return ("model", text)
    raise SdkTypeError(f"type `{type_string}` is not in the SDK's type table (xtask/import_sdk/sdk_types.py)")


def models(parsed):
    """The model names a parsed type mentions."""
    kind, inner = parsed
    if kind in ("list", "dict"):
        return models(inner)
    return [inner] if kind == "model" else []


def kind_of(type_string):
    """`list`, `dict`, the scalar's name or `model`: what the outermost type is."""
    kind, inner = parse(type_string)
    return inner if kind == "scalar" else kind


def schema_of(type_string):
    """The OpenAPI schema of a type string; a model becomes a `$ref` to its component."""
    return _schema(parse(type_string))


def _schema(parsed):
    kind, inner = parsed
    if kind == "list":
        return {"type": "array", "items": _schema(inner)}
    if kind == "dict":
        return {"type": "object", "additionalProperties": _schema(inner)}
    if kind == "scalar":
        return dict(SCALARS[inner])
    return {"$ref": f"#/components/schemas/{inner}"}
