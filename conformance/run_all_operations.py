"""Checks every operation of a service's spec against the official Python SDK, on the wire.

For each operation it builds two calls from values drawn from the seed — one with every parameter
and body field set, one with only the required ones — and sends each through the generated
client's public builders (the conformance driver, `conformance/driver`, built for that spec) and
through the official SDK (the module and client class the facts file spec/services/S.yaml names:
`huaweicloudsdkhss.v5.HssClient` for HSS) to one recording loopback server. It compares method,
path, canonical query (repeated keys included), the headers the SDK sends (`region`,
`X-Project-Id`, `X-Security-Token`, `Content-Type` and every header parameter), the JSON body as values, and the `Authorization` that
the official `Signer` recomputes from what arrived. The server answers each Rust call with a body
built from the response schema (random values plus fields the schema does not know), and the
driver's decoded answer must equal it without the unknown fields.

Usage: python conformance/run_all_operations.py --seed N --driver PATH [--service hss]
       [--spec spec/hss.yaml] [--only OPERATION_ID ...]
Prints one line per failure, then `N passed, N failed`; exits 1 on any failure.
"""

import argparse
import importlib
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import warnings
from urllib.parse import parse_qsl, urlsplit

import yaml
from huaweicloudsdkcore.auth.credentials import BasicCredentials
from huaweicloudsdkcore.http.formdata import FormFile
from huaweicloudsdkcore.http.http_config import HttpConfig

from recording import header, official_authorization, start_server

AK = "CONFORMANCEAK000000001"
SK = "CONFORMANCESK0000000000000000000000000001"
TOKEN = "CONFORMANCE-SECURITY-TOKEN-0001"
PROJECT_ID = "0123456789abcdef0123456789abcdef"
UNKNOWN_FIELD = "x_field_the_spec_does_not_know"
TEMP_DIR = tempfile.mkdtemp(prefix="conformance-")
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")


class Sdk:
    """The official SDK of one service: its module (request and body models) and client class."""

    def __init__(self, service):
        with open(os.path.join(ROOT, "spec", "services", service + ".yaml"), encoding="utf-8") as file:
            facts = yaml.safe_load(file)
        self.module = importlib.import_module(facts["module"])
        self.client = getattr(self.module, facts["client"])
        self.spec = os.path.join(ROOT, facts["spec"])


SDK = None  # set by main()

# Strings that test encoding: spaces, unicode, every reserved character class, percent signs.
STRING_POOL = [
    "plain",
    "with space",
    "ünïcödé",
    "中文值",
    "a/b?c#d",
    "k=v&x=y",
    "~-._ unreserved",
    "100%25 and %",
    "plus+sign",
    "quote\"'`",
    "semi;colon,comma",
    "emoji 🚀",
]
# Header values must be visible ASCII: HTTP (and the SDK's `requests`) cannot carry the rest.
HEADER_POOL = ["plain", "with space", "a/b?c#d", "k=v&x=y", "~-._", "semi;colon,comma", "cn-north-4"]
# Path values: every character class the SDK and the client must encode alike (never `.` or `..`,
# which the client refuses because URL normalisation would move the request).
PATH_POOL = ["plain", "with space", "ünï", "a:b@c", "x+y", "id-123_~.z", "100%", "a;b=c"]


class Schemas:
    def __init__(self, spec):
        self.components = spec.get("components", {}).get("schemas", {})

    def resolve(self, schema):
        seen = 0
        while "$ref" in schema:
            name = schema["$ref"].rsplit("/", 1)[-1]
            schema = self.components[name]
            seen += 1
            if seen > 50:
                raise ValueError(f"$ref cycle at {name}")
        return schema

    def ref_name(self, schema):
        if "$ref" in schema:
            return schema["$ref"].rsplit("/", 1)[-1]
        return None


class Values:
    """Random values for schemas, from one seeded generator."""

    def __init__(self, rng, schemas):
        self.rng = rng
        self.schemas = schemas

    def string(self, pool=STRING_POOL):
        if self.rng.random() < 0.25:
            alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
            return "".join(self.rng.choice(alphabet) for _ in range(self.rng.randint(1, 12)))
        return self.rng.choice(pool)

    def scalar(self, schema, pool=STRING_POOL):
        if "enum" in schema and self.rng.random() < 0.8:
            return self.rng.choice(schema["enum"])
        # Otherwise a value the enum does not list: the client keeps it as `Unknown` and sends it.
        value = self.unlisted_scalar(schema, pool)
        if isinstance(value, str):
            # The client refuses strings outside the documented lengths before sending; the
            # values stay inside them (padded or cut, so every pool still shows through).
            low, high = schema.get("minLength", 0), schema.get("maxLength")
            if high is not None:
                value = value[:high]
            value += "x" * max(0, low - len(value))
        return value

    def unlisted_scalar(self, schema, pool):
        kind = schema.get("type")
        if kind == "integer":
            if schema.get("format") == "int32":
                return self.rng.randint(-(2**31), 2**31 - 1)
            return self.rng.choice([0, 1, self.rng.randint(2, 10**6), self.rng.randint(2**32, 2**53)])
        if kind == "number":
            return self.rng.choice([0.5, 1.25, 100.0, -3.75])
        if kind == "boolean":
            return self.rng.choice([True, False])
        return self.string(pool)

    def value(self, schema, full, depth=0):
        name = self.schemas.ref_name(schema)
        schema = self.schemas.resolve(schema)
        kind = schema.get("type")
        if kind == "array":
            count = self.rng.randint(1, 3) if depth < 4 else 0
            return [self.value(schema["items"], full, depth + 1) for _ in range(count)]
        if kind == "object" or "properties" in schema:
            properties = schema.get("properties")
            extra = schema.get("additionalProperties")
            if properties:
                required = set(schema.get("required", []))
                return {
                    key: self.value(sub, full, depth + 1)
                    for key, sub in properties.items()
                    if full or key in required
                }
            if isinstance(extra, dict):
                return {self.string(): self.value(extra, full, depth + 1) for _ in range(self.rng.randint(1, 2))}
            if name is not None:
                return {}
            # A free-form object.
            return {"k": self.string(), "n": self.rng.randint(0, 100), "nested": {"b": True}}
        if schema.get("format") == "binary":
            return "".join(self.rng.choice("abcdef") for _ in range(16))
        return self.scalar(schema)


def with_unknown_fields(value, schema, schemas, rng):
    """The answer the server sends: the value plus fields the schema does not declare."""
    schema = schemas.resolve(schema)
    if isinstance(value, dict) and schema.get("properties"):
        answer = {
            key: with_unknown_fields(item, schema["properties"][key], schemas, rng)
            for key, item in value.items()
        }
        answer[UNKNOWN_FIELD] = {"any": [1, "two", None]}
        return answer
    if isinstance(value, list) and schema.get("type") == "array":
        return [with_unknown_fields(item, schema["items"], schemas, rng) for item in value]
    return value


def operations(spec):
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method in ("get", "put", "post", "delete", "patch", "head", "options", "trace"):
                yield path, method.upper(), operation


def body_required(schemas, request_body):
    """Whether the client takes the body as an argument: a required body, or (as the generator
    decides) a model with required fields, which a call without it could only see refused."""
    if request_body.get("required"):
        return True
    schema = schemas.resolve(next(iter(request_body["content"].values()))["schema"])
    return bool(schema.get("properties")) and bool(schema.get("required"))


def make_case(rng, schemas, path, method, operation, full, token):
    values = Values(rng, schemas)
    params = {"path": {}, "query": {}, "header": {}}
    for parameter in operation.get("parameters", []):
        location = parameter["in"]
        if parameter.get("x-client-default"):
            continue
        if not (full or parameter.get("required")):
            continue
        schema = schemas.resolve(parameter["schema"])
        if location == "header":
            if parameter["name"].lower() == "x-security-token":
                value = "HEADER-PARAMETER-TOKEN"
            else:
                value = values.scalar(schema, HEADER_POOL)
        elif location == "path":
            value = values.scalar(schema, PATH_POOL)
        elif schema.get("type") == "array":
            value = [values.scalar(schemas.resolve(schema["items"])) for _ in range(rng.randint(1, 3))]
        else:
            value = values.scalar(schema)
        params[location][parameter["name"]] = value
    body = None
    body_content_type = None
    request_body = operation.get("requestBody")
    if request_body and (full or body_required(schemas, request_body)):
        body_content_type, media = next(iter(request_body["content"].items()))
        body = values.value(media["schema"], full)
    success = operation["responses"].get("2XX") or operation["responses"].get("200") or {}
    answer = None
    answer_kind = "empty"
    if "content" in success:
        media_type, media = next(iter(success["content"].items()))
        if media_type == "application/octet-stream":
            answer_kind = "bytes"
            answer = "".join(rng.choice("0123456789abcdef") for _ in range(32))
        else:
            answer_kind = "json"
            answer = values.value(media["schema"], True)
    content_type = operation.get("x-request-content-type")
    if request_body:
        content_type = next(iter(request_body["content"]))
    return {
        "content_type": content_type,
        "operation_id": operation["operationId"],
        "method": method,
        "path_template": path,
        "token": token,
        "params": params,
        "body": body,
        "body_content_type": body_content_type,
        "answer_kind": answer_kind,
        "answer": answer,
        "answer_schema": success.get("content", {}).get("application/json", {}).get("schema"),
    }


# ---------------------------------------------------------------------------------------------
# The recording server.


class Recorder:
    def __init__(self):
        self.lock = threading.Lock()
        self.requests = []
        self.answer = (200, {}, b"{}")

    def set_answer(self, answer):
        with self.lock:
            self.requests = []
            self.answer = answer

    def take(self, request):
        with self.lock:
            self.requests.append(request)
            return self.answer


# ---------------------------------------------------------------------------------------------
# The official SDK's side.


def sdk_model(type_string, value):
    """A value of the SDK's type `type_string` (a model class name, list[...], dict(...), scalar)."""
    if value is None:
        return None
    if type_string.startswith("list["):
        return [sdk_model(type_string[5:-1], item) for item in value]
    if type_string.startswith("dict("):
        inner = type_string[5:-1].split(",", 1)[1].strip()
        return {key: sdk_model(inner, item) for key, item in value.items()}
    if type_string in ("str", "int", "bool", "float", "object", "file"):
        return value
    cls = getattr(SDK.module, type_string)
    by_wire = {wire: attribute for attribute, wire in cls.attribute_map.items()}
    arguments = {
        by_wire[wire]: sdk_model(cls.openapi_types[by_wire[wire]], item) for wire, item in value.items()
    }
    return cls(**arguments)


def sdk_call(case, endpoint):
    credentials = BasicCredentials(AK, SK, PROJECT_ID)
    if case["token"]:
        credentials = credentials.with_security_token(case["token"])
    config = HttpConfig.get_default_config()
    config.timeout = (5, 10)
    config.retry_times = 0
    client = SDK.client.new_builder().with_credentials(credentials).with_endpoints([endpoint]).with_http_config(config).build()
    request_cls = getattr(SDK.module, case["operation_id"] + "Request")
    by_wire = {wire: attribute for attribute, wire in request_cls.attribute_map.items()}
    request = request_cls()
    for location in ("path", "query", "header"):
        for wire, value in case["params"][location].items():
            setattr(request, by_wire[wire], value)
    if case["body"] is not None:
        body_type = request_cls.openapi_types["body"]
        if case["body_content_type"] == "multipart/form-data":
            # The SDK reads file parts from files opened in binary mode.
            body = sdk_model(body_type, {})
            for wire, value in case["body"].items():
                path = os.path.join(TEMP_DIR, wire)
                with open(path, "wb") as file:
                    file.write(value.encode())
                setattr(body, wire, FormFile(open(path, "rb")))
            request.body = body
        else:
            request.body = sdk_model(body_type, case["body"])
    method = getattr(client, python_name(case["operation_id"]))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            method(request)
        except Exception:  # the answer does not matter here, only the request on the wire
            pass


def python_name(operation_id):
    """The SDK's method name: the class name in snake case, as its `_<op>_http_info` spells it."""
    for attribute in vars(SDK.client):
        if attribute.startswith("_") and attribute.endswith("_http_info"):
            name = attribute[1 : -len("_http_info")]
            if name.replace("_", "") == operation_id.lower():
                return name
    raise KeyError(operation_id)


# ---------------------------------------------------------------------------------------------
# Comparison.


def without_unknown(value):
    if isinstance(value, dict):
        return {key: without_unknown(item) for key, item in value.items() if key != UNKNOWN_FIELD}
    if isinstance(value, list):
        return [without_unknown(item) for item in value]
    return value


def json_equal(a, b):
    """Equal as JSON values, with 1 and 1.0 alike (serde writes floats as `1.0`)."""
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return a == b
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(json_equal(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(json_equal(x, y) for x, y in zip(a, b))
    return a == b


def compare(case, rust, official, decoded):
    problems = []
    if rust["method"] != official["method"]:
        problems.append(f"method {rust['method']} != official {official['method']}")
    rust_target, official_target = urlsplit(rust["target"]), urlsplit(official["target"])
    if rust_target.path != official_target.path:
        problems.append(f"path {rust_target.path!r} != official {official_target.path!r}")
    rust_query = sorted(parse_qsl(rust_target.query, keep_blank_values=True))
    official_query = sorted(parse_qsl(official_target.query, keep_blank_values=True))
    if rust_query != official_query:
        problems.append(f"query {rust_target.query!r} != official {official_target.query!r}")
    # X-Sdk-Content-Sha256: the official signer sends UNSIGNED-PAYLOAD for a body that is not
    # JSON (multipart); re-signing from the wire cannot tell, since it sees `content-type` in
    # lower case and so never adds it itself.
    names = {"region", "X-Project-Id", "X-Security-Token", "Content-Type", "X-Sdk-Content-Sha256"}
    names.update(case["params"]["header"])
    for name in sorted(names, key=str.lower):
        rust_value, official_value = header(rust, name), header(official, name)
        if name == "Content-Type" and case["content_type"] == "multipart/form-data":
            # The boundary is the sender's choice.
            rust_value = (rust_value or "").split(";")[0]
            official_value = (official_value or "").split(";")[0]
        if rust_value != official_value:
            problems.append(f"header {name} {rust_value!r} != official {official_value!r}")
    if case["content_type"] == "multipart/form-data":
        if multipart_parts(rust) != multipart_parts(official):
            problems.append(f"multipart parts {multipart_parts(rust)} != official {multipart_parts(official)}")
    elif rust["body"] or official["body"]:
        try:
            rust_body = json.loads(rust["body"] or b"null")
            official_body = json.loads(official["body"] or b"null")
        except ValueError as error:
            problems.append(f"body is not JSON: {error}")
        else:
            if not json_equal(rust_body, official_body):
                problems.append(f"body {rust['body'][:300]!r} != official {official['body'][:300]!r}")
    sent = header(rust, "Authorization")
    expected = official_authorization(rust, AK, SK)
    if sent != expected:
        problems.append(f"authorization {sent!r} != official signer's {expected!r}")
    if "error" in decoded:
        problems.append(f"the client failed: {decoded['error']}")
    else:
        expected_answer = without_unknown(case["answer"]) if case["answer_kind"] == "json" else case["answer"]
        if case["answer_kind"] == "empty":
            expected_answer = None
        if not json_equal(decoded.get("ok"), expected_answer):
            problems.append(f"decoded answer {json.dumps(decoded.get('ok'))[:300]} != {json.dumps(expected_answer)[:300]}")
    return problems


def multipart_parts(request):
    content_type = header(request, "Content-Type") or ""
    boundary = content_type.split("boundary=", 1)[-1].strip('"').encode()
    parts = []
    for chunk in request["body"].split(b"--" + boundary):
        if b"\r\n\r\n" not in chunk:
            continue
        head, _, content = chunk.partition(b"\r\n\r\n")
        disposition = [line for line in head.split(b"\r\n") if line.lower().startswith(b"content-disposition")]
        name = disposition[0].split(b'name="', 1)[-1].split(b'"', 1)[0].decode() if disposition else ""
        parts.append((name, content.rstrip(b"\r\n")))
    return sorted(parts)


# ---------------------------------------------------------------------------------------------


def answer_for(case):
    if case["answer_kind"] == "bytes":
        return (200, {"Content-Type": "application/octet-stream"}, case["answer"].encode())
    if case["answer_kind"] == "json":
        schemas = case["_schemas"]
        body = with_unknown_fields(case["answer"], case["answer_schema"], schemas, None)
        return (200, {"Content-Type": "application/json", "X-Request-Id": "req-1"}, json.dumps(body).encode())
    # An answer with no fields: the service may send `{}` or nothing at all.
    return (200, {"X-Request-Id": "req-1"}, b"{}" if case["seed_bit"] else b"")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--driver", required=True)
    parser.add_argument("--service", default="hss", help="the facts file spec/services/SERVICE.yaml")
    parser.add_argument("--spec", help="default: the spec the facts file names")
    parser.add_argument("--only", nargs="*")
    arguments = parser.parse_args()
    global SDK
    SDK = Sdk(arguments.service)
    arguments.spec = arguments.spec or SDK.spec

    with open(arguments.spec, encoding="utf-8") as file:
        spec = yaml.safe_load(file)
    schemas = Schemas(spec)
    rng = random.Random(arguments.seed)
    cases = []
    for path, method, operation in operations(spec):
        if arguments.only and operation["operationId"] not in arguments.only:
            continue
        for full in (True, False):
            token = TOKEN if rng.random() < 0.3 else None
            case = make_case(rng, schemas, path, method, operation, full, token)
            case["full"] = full
            case["seed_bit"] = rng.random() < 0.5
            cases.append(case)

    recorder = Recorder()
    server = start_server(recorder.take)
    endpoint = f"http://127.0.0.1:{server.server_address[1]}"
    driver = subprocess.Popen(
        [arguments.driver, "--endpoint", endpoint, "--project-id", PROJECT_ID, "--ak", AK, "--sk", SK],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    passed = failed = 0
    try:
        for number, case in enumerate(cases):
            case["_schemas"] = schemas
            label = f"{case['operation_id']} ({'every parameter' if case['full'] else 'required only'}{', temporary credentials' if case['token'] else ''})"
            recorder.set_answer(answer_for(case))
            wire_case = {key: case[key] for key in ("operation_id", "token", "params", "body")}
            wire_case["id"] = number
            driver.stdin.write(json.dumps(wire_case) + "\n")
            driver.stdin.flush()
            line = driver.stdout.readline()
            if not line:
                print(f"FAIL {label}: the driver stopped")
                failed += 1
                break
            decoded = json.loads(line)
            rust_requests = list(recorder.requests)
            recorder.set_answer((200, {}, b"{}"))
            sdk_call(case, endpoint)
            official_requests = list(recorder.requests)
            if len(rust_requests) != 1 or len(official_requests) != 1:
                problems = [f"{len(rust_requests)} rust request(s), {len(official_requests)} official request(s); driver said {decoded}"]
            else:
                problems = compare(case, rust_requests[0], official_requests[0], decoded)
            if problems:
                failed += 1
                print(f"FAIL {label}: " + "; ".join(problems))
            else:
                passed += 1
    finally:
        driver.stdin.close()
        driver.wait(timeout=30)
        server.shutdown()
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
