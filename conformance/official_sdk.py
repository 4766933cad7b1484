"""Checks hss-client against the official Huawei Cloud Python SDK on the same inputs.

Runs the Rust example (`run_image_synchronize`) and the official SDK (`huaweicloudsdkcore`,
`huaweicloudsdkhss`, pinned in .ci/requirements.txt) against one recording HTTP server on
loopback, and checks:

1. signatures: every request the Rust client sends, for permanent and temporary credentials, with
   and without the optional parameters, is re-signed by the official SDK's own `Signer` from what
   arrived on the wire, and the two `Authorization` values must be equal;
2. the request: path, canonical query, JSON body, `X-Project-Id`, `region` and `X-Security-Token`
   are what the official SDK sends for the same call;
3. errors: for the same canned error answers, the example's `error:` line reports the status,
   request id, error code and message the official SDK reports;
4. project id discovery: with a region and no project id, both find the project id through a
   recording IAM (`HUAWEICLOUD_SDK_IAM_ENDPOINT`); the IAM requests agree (method, path, query,
   signed header names, no `Content-Type` or `X-Project-Id`), the official `Signer` re-signs the
   Rust one to the same `Authorization`, and the HSS call then carries the id found in its path
   and `X-Project-Id`.

Usage: python conformance/official_sdk.py PATH/TO/run_image_synchronize
Prints one line per check and closes with `N passed, N failed`; exits 1 on any failure.
"""

import json
import os
import subprocess
import sys
import threading
import warnings
from urllib.parse import urlsplit

from huaweicloudsdkcore.auth.credentials import BasicCredentials
from huaweicloudsdkcore.exceptions import exceptions
from huaweicloudsdkcore.http.http_config import HttpConfig
from huaweicloudsdkhss.v5 import HssClient, RunImageSynchronizeRequest, RunImageSynchronizeRequestInfo

from recording import Checks, header, official_authorization, start_server

AK = "CONFORMANCEAK000000001"
SK = "CONFORMANCESK0000000000000000000000000001"
TOKEN = "CONFORMANCE-SECURITY-TOKEN-0001"
PROJECT_ID = "0123456789abcdef0123456789abcdef"
SUCCESS = (200, {"X-Request-Id": "req-ok"}, b'{"error_code":0,"error_description":"success"}')


class Recorder:
    """Answers from a queue of canned responses and keeps every request it saw."""

    def __init__(self):
        self.requests = []
        self.answers = []
        self.lock = threading.Lock()

    def script(self, *answers):
        with self.lock:
            self.requests.clear()
            self.answers = list(answers)

    def take(self, request):
        with self.lock:
            self.requests.append(request)
            return self.answers.pop(0) if self.answers else SUCCESS


def run_rust(binary, endpoint, options, token):
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("HUAWEICLOUD_SDK_", "CLOUD_SDK_"))}
    env.update({"HUAWEICLOUD_SDK_AK": AK, "HUAWEICLOUD_SDK_SK": SK, "HOME": "/nonexistent"})
    if token:
        env["HUAWEICLOUD_SDK_SECURITY_TOKEN"] = token
    args = [binary, "--endpoint", endpoint, "--project-id", options.get("project_id", PROJECT_ID),
            "--image-type", options.get("image_type", "private_image")]
    if "enterprise_project_id" in options:
        args += ["--enterprise-project-id", options["enterprise_project_id"]]
    if "region" in options:
        args += ["--region-header", options["region"]]
    return subprocess.run(args, env=env, capture_output=True, text=True, timeout=60)


def run_official(endpoint, options, token):
    credentials = BasicCredentials(AK, SK, options.get("project_id", PROJECT_ID))
    if token:
        credentials = credentials.with_security_token(token)
    config = HttpConfig.get_default_config()
    config.timeout = (5, 10)
    client = HssClient.new_builder().with_credentials(credentials).with_endpoints([endpoint]) \
        .with_http_config(config).build()
    request = RunImageSynchronizeRequest(
        enterprise_project_id=options.get("enterprise_project_id"), region=options.get("region"))
    request.body = RunImageSynchronizeRequestInfo(image_type=options.get("image_type", "private_image"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return client.run_image_synchronize(request)


REQUEST_CASES = {
    "no optional parameters": {},
    "enterprise_project_id": {"enterprise_project_id": "all_granted_eps"},
    "region header": {"region": "cn-north-4"},
    "all optional parameters": {"enterprise_project_id": "all_granted_eps", "region": "cn-north-4",
                                "image_type": "shared_image"},
    "query value that needs encoding": {"enterprise_project_id": "a b/c+d~é*%"},
    "project id that needs encoding": {"project_id": "proj ü-1"},
}


def check_requests(checks, binary, recorder, endpoint):
    for token in (None, TOKEN):
        kind = "temporary" if token else "permanent"
        for name, options in REQUEST_CASES.items():
            problems = []
            recorder.script(SUCCESS)
            outcome = run_rust(binary, endpoint, options, token)
            if outcome.returncode != 0 or len(recorder.requests) != 1:
                checks.check(f"{kind} credentials, {name}: rust call",
                             [f"exit {outcome.returncode}: {outcome.stderr.strip()}"])
                continue
            rust = recorder.requests[0]
            sent = header(rust, "Authorization")
            expected = official_authorization(rust, AK, SK)
            if sent != expected:
                problems.append(f"authorization {sent!r} != official signer's {expected!r}")
            signed = (sent or "").split("SignedHeaders=", 1)[-1].split(",", 1)[0].split(";")
            required = ["content-type", "host", "x-project-id", "x-sdk-date"]
            required += ["region"] if "region" in options else []
            required += ["x-security-token"] if token else []
            problems += [f"header {h} is not signed" for h in required if h not in signed]

            recorder.script(SUCCESS)
            run_official(endpoint, options, token)
            official = recorder.requests[0]
            rust_target, official_target = urlsplit(rust["target"]), urlsplit(official["target"])
            if rust_target.path != official_target.path:
                problems.append(f"path {rust_target.path!r} != official {official_target.path!r}")
            if rust_target.query != official_target.query:
                problems.append(f"query {rust_target.query!r} != official {official_target.query!r}")
            if json.loads(rust["body"]) != json.loads(official["body"]):
                problems.append(f"body {rust['body']!r} != official {official['body']!r}")
            for name_ in ("X-Project-Id", "region", "X-Security-Token", "Content-Type"):
                if header(rust, name_) != header(official, name_):
                    problems.append(f"{name_} {header(rust, name_)!r} != official {header(official, name_)!r}")
            checks.check(f"{kind} credentials, {name}", problems)


def error_answer(status, body, content_type="application/json"):
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    # A request id of its own per case, so a report cannot borrow another answer's fields.
    request_id = f"req-{status}-{len(raw)}"
    return (status, {"X-Request-Id": request_id, "Content-Type": content_type}, raw)


ERROR_CASES = {
    "error_code/error_msg": error_answer(400, {"error_code": "HSS.0001", "error_msg": "bad image type"}),
    "APIGW 401": error_answer(401, {"error_code": "APIGW.0301",
                                    "error_msg": "Incorrect IAM authentication information"}),
    "errorCode/errorMsg": error_answer(403, {"errorCode": "HSS.1003", "errorMsg": "forbidden"}),
    "code/message": error_answer(404, {"code": "HSS.0404", "message": "not found"}),
    "nested error object": error_answer(409, {"error": {"code": "HSS.0409", "message": "conflict"}}),
    "encoded authorization message": error_answer(
        403, {"error_code": "IAM.0101", "error_msg": "denied", "encoded_authorization_message": "ENC"}),
    "429 throttled": error_answer(429, {"error_code": "APIGW.0308", "error_msg": "throttled"}),
    "500 server error": error_answer(500, {"error_code": "HSS.0500", "error_msg": "internal error"}),
    "502 non-JSON body": error_answer(502, b"Bad Gateway", content_type="text/plain"),
    "503 empty body": error_answer(503, b""),
}


def check_errors(checks, binary, recorder, endpoint):
    for name, answer in ERROR_CASES.items():
        problems = []
        recorder.script(answer)
        try:
            run_official(endpoint, {}, None)
            checks.check(f"error {name}", ["the official SDK did not raise"])
            continue
        except exceptions.ServiceResponseException as error:
            official = error
        # Enough answers for the Rust client's retries (429 and 503 are retried by default).
        recorder.script(answer, answer, answer, answer)
        outcome = run_rust(binary, endpoint, {}, None)
        line = outcome.stderr.strip()
        if outcome.returncode == 0 or not line.startswith("error:") or "\n" in line:
            problems.append(f"expected one error: line and a failing exit, got exit "
                            f"{outcome.returncode}: {line!r}")
        for field, value in (("status", official.status_code), ("request id", official.request_id),
                             ("error code", official.error_code), ("error message", official.error_msg)):
            if value not in (None, "") and str(value) not in line:
                problems.append(f"{field} {value!r} (official SDK) missing from {line!r}")
        checks.check(f"error {name}", problems)


DISCOVERED_PROJECT_ID = "9f8e7d6c5b4a39281706f5e4d3c2b1a0"
IAM_PROJECTS = (200, {"X-IAM-Trace-Id": "trace-conformance", "Content-Type": "application/json"},
                json.dumps({"projects": [{"id": DISCOVERED_PROJECT_ID, "name": "cn-north-4"}]}).encode())
DISCOVERY_ENV = ("HUAWEICLOUD_SDK_IAM_ENDPOINT", "HUAWEICLOUD_SDK_REGION_HSS_CN_NORTH_4")


def run_rust_discovery(binary, endpoint, ak, token):
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("HUAWEICLOUD_SDK_", "CLOUD_SDK_"))}
    env.update({"HUAWEICLOUD_SDK_AK": ak, "HUAWEICLOUD_SDK_SK": SK, "HOME": "/nonexistent"})
    env.update({name: endpoint for name in DISCOVERY_ENV})
    if token:
        env["HUAWEICLOUD_SDK_SECURITY_TOKEN"] = token
    return subprocess.run([binary, "--region", "cn-north-4"], env=env, capture_output=True, text=True,
                          timeout=60)


def run_official_discovery(endpoint, ak, token):
    # The official SDK reads both variables from the process environment while it builds.
    saved = {name: os.environ.get(name) for name in DISCOVERY_ENV}
    os.environ.update({name: endpoint for name in DISCOVERY_ENV})
    try:
        from huaweicloudsdkhss.v5.region.hss_region import HssRegion
        credentials = BasicCredentials(ak, SK)
        if token:
            credentials = credentials.with_security_token(token)
        config = HttpConfig.get_default_config()
        config.timeout = (5, 10)
        client = HssClient.new_builder().with_credentials(credentials) \
            .with_region(HssRegion.value_of("cn-north-4")).with_http_config(config).build()
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    request = RunImageSynchronizeRequest()
    request.body = RunImageSynchronizeRequestInfo(image_type="private_image")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return client.run_image_synchronize(request)


def signed_headers(request):
    authorization = header(request, "Authorization") or ""
    return authorization.split("SignedHeaders=", 1)[-1].split(",", 1)[0].split(";")


def check_discovery(checks, binary, recorder, endpoint):
    for token in (None, TOKEN):
        kind = "temporary" if token else "permanent"
        # An access key per case: the official SDK caches project ids per access key and region.
        ak = f"CONFORMANCEDISCOVERY{kind.upper()}"
        problems = []
        recorder.script(IAM_PROJECTS, SUCCESS)
        outcome = run_rust_discovery(binary, endpoint, ak, token)
        rust = list(recorder.requests)
        if outcome.returncode != 0 or len(rust) != 2:
            checks.check(f"{kind} credentials, project id discovery: rust call",
                         [f"exit {outcome.returncode}, {len(rust)} requests: {outcome.stderr.strip()}"])
            continue
        recorder.script(IAM_PROJECTS, SUCCESS)
        try:
            run_official_discovery(endpoint, ak, token)
        except Exception as error:  # the official SDK's own failure is a finding, not a crash
            checks.check(f"{kind} credentials, project id discovery: official call", [repr(error)])
            continue
        official = list(recorder.requests)
        if len(official) != 2:
            checks.check(f"{kind} credentials, project id discovery: official call",
                         [f"{len(official)} requests"])
            continue
        for which, requests in (("rust", rust), ("official", official)):
            for request in requests:
                sent = header(request, "Authorization")
                expected = official_authorization(request, ak, SK)
                if sent != expected:
                    problems.append(f"{which} {request['target']}: authorization {sent!r} != official "
                                    f"signer's {expected!r}")
        (rust_iam, rust_hss), (official_iam, official_hss) = rust, official
        rust_target, official_target = urlsplit(rust_iam["target"]), urlsplit(official_iam["target"])
        for field, mine, theirs in (
                ("method", rust_iam["method"], official_iam["method"]),
                ("IAM path", rust_target.path, official_target.path),
                ("IAM query", rust_target.query, official_target.query),
                ("IAM signed headers", signed_headers(rust_iam), signed_headers(official_iam)),
                ("IAM body", rust_iam["body"], official_iam["body"])):
            if mine != theirs:
                problems.append(f"{field} {mine!r} != official {theirs!r}")
        for name_ in ("Content-Type", "X-Project-Id", "X-Security-Token"):
            if header(rust_iam, name_) != header(official_iam, name_):
                problems.append(f"IAM {name_} {header(rust_iam, name_)!r} != official "
                                f"{header(official_iam, name_)!r}")
        expected_path = f"/v5/{DISCOVERED_PROJECT_ID}/image/synchronize"
        for which, request in (("rust", rust_hss), ("official", official_hss)):
            if urlsplit(request["target"]).path != expected_path:
                problems.append(f"{which} HSS path {request['target']!r} lacks the id found")
            if header(request, "X-Project-Id") != DISCOVERED_PROJECT_ID:
                problems.append(f"{which} HSS X-Project-Id {header(request, 'X-Project-Id')!r}")
        checks.check(f"{kind} credentials, project id discovery", problems)


def main():
    if len(sys.argv) != 2:
        print("usage: python conformance/official_sdk.py PATH/TO/run_image_synchronize", file=sys.stderr)
        return 2
    binary = sys.argv[1]
    if not os.access(binary, os.X_OK):
        print(f"error: {binary} is not an executable (build it with `cargo build -p hss-client "
              f"--example run_image_synchronize`)", file=sys.stderr)
        return 2
    recorder = Recorder()
    server = start_server(recorder.take)
    endpoint = f"http://127.0.0.1:{server.server_address[1]}"
    checks = Checks()
    try:
        check_requests(checks, binary, recorder, endpoint)
        check_errors(checks, binary, recorder, endpoint)
        check_discovery(checks, binary, recorder, endpoint)
    finally:
        server.shutdown()
    print(f"{checks.passed} passed, {checks.failed} failed")
    return 1 if checks.failed else 0


if __name__ == "__main__":
    sys.exit(main())
