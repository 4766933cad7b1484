"""Checks that hss-client fetches temporary credentials the way the official Python SDK does.

For each credential source — ECS metadata (with a session token, without one: the token `PUT`
answers 404, and a session token refused once with 401), CCE pod identity, OIDC STS (id token
inline, and from a file with every optional setting) and federated identity from the environment
(`HUAWEICLOUD_SDK_IDP_ID` + `HUAWEICLOUD_SDK_ID_TOKEN_FILE`) — one recording loopback server plays
the metadata service, the pod identity endpoint, STS, IAM and HSS, and:

1. the official SDK (huaweicloudsdkcore, pinned in .ci/requirements.txt) takes its credentials
   from its own provider for that source (`MetadataCredentialProvider`,
   `PodIdentityCredentialProvider`, `OidcStsCredentialProvider`, `EnvCredentialProvider`), its
   endpoints pointed at the server (the environment; the metadata endpoint, a class attribute,
   patched here), and makes one HSS call with them;
2. the Rust example (`run_image_synchronize --region cn-north-4 --project-id p1 --endpoint URL`)
   runs with only that source's variables (no AK/SK, an empty HOME, every endpoint on loopback);
3. the credential requests must agree one by one: method, path, query, the headers that matter
   (`X-Metadata-Token`, `X-Metadata-Token-Ttl-Seconds`, `Authorization`, `X-Idp-Id`,
   `Content-Type`, and no `X-Security-Token` or `X-Auth-Token`) and the JSON body as values;
   the example must exit 0, and its HSS request must carry the `Authorization` the official
   `Signer` computes from the fetched temporary AK/SK, and the fetched token as
   `X-Security-Token`, signed; the example's output must hold none of the secrets.

Usage: python conformance/credential_sources.py PATH/TO/run_image_synchronize
Prints one line per check (secrets masked) and closes with `N passed, N failed`; exits 1 on any
failure.
"""

import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import warnings
from datetime import datetime, timedelta, timezone
from urllib.parse import urlsplit

from huaweicloudsdkcore.auth import internal
from huaweicloudsdkcore.auth.provider import (EnvCredentialProvider, MetadataCredentialProvider,
                                              OidcStsCredentialProvider, PodIdentityCredentialProvider)
from huaweicloudsdkcore.http.http_config import HttpConfig
from huaweicloudsdkhss.v5 import HssClient, RunImageSynchronizeRequest, RunImageSynchronizeRequestInfo

from recording import Checks, header, official_authorization, start_server

PROJECT_ID = "p1"
HSS_PATH = f"/v5/{PROJECT_ID}/image/synchronize"
SUCCESS = (200, {"X-Request-Id": "req-ok", "Content-Type": "application/json"},
           b'{"error_code":0,"error_description":"success"}')
NOT_FOUND = (404, {"Content-Type": "application/json"}, b'{"error_msg":"not played here"}')
# The variables either client reads to find credentials or their endpoints: none may leak in.
CLEARED_PREFIXES = ("HUAWEICLOUD_", "CLOUD_SDK_", "HC_CONTAINER_")
PROXY_VARIABLES = ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY")
COMPARED_HEADERS = ("X-Metadata-Token", "X-Metadata-Token-Ttl-Seconds", "Authorization", "X-Idp-Id",
                    "Content-Type", "X-Security-Token", "X-Auth-Token")

# Every secret value the script plays; printed output replaces each with `***`.
SECRETS = set()


def secret(value):
    SECRETS.add(value)
    return value


def mask(text):
    text = str(text)
    for value in sorted(SECRETS, key=len, reverse=True):
        text = text.replace(value, "***")
    return text


def expiry():
    moment = datetime.now(timezone.utc) + timedelta(hours=6)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%f") + "Z"


def temporary_key(tag):
    return (f"TEMPAK{tag.upper()}000000", secret(f"temporary-sk-{tag}-0123456789abcdef"),
            secret(f"temporary-security-token-{tag}-0123456789"))


def answer(status, body, headers=None):
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    return (status, {"Content-Type": "application/json", **(headers or {})}, raw)


# The answer shapes each service writes; the readers of both clients accept all of them.
def metadata_answer(key):
    ak, sk, token = key
    return answer(200, {"credential": {"access": ak, "secret": sk, "securitytoken": token,
                                       "expires_at": expiry()}})


def pod_answer(key):
    ak, sk, token = key
    return answer(200, {"credentials": {"accessKeyId": ak, "secretAccessKey": sk,
                                        "securityToken": token, "expiration": expiry()}})


def sts_answer(key):
    ak, sk, token = key
    return answer(200, {"credentials": {"access_key_id": ak, "secret_access_key": sk,
                                        "security_token": token, "expiration": expiry()}})


class Router:
    """Plays every service on one port: a queue of answers per (method, path), else a default."""

    def __init__(self):
        self.lock = threading.Lock()
        self.requests = []
        self.queues = {}
        self.defaults = {}

    def play(self, queues, defaults):
        with self.lock:
            self.requests = []
            self.queues = {route: list(answers) for route, answers in queues.items()}
            self.defaults = dict(defaults)

    def take(self, request):
        route = (request["method"], urlsplit(request["target"]).path)
        with self.lock:
            self.requests.append(request)
            queue = self.queues.get(route)
            if queue:
                return queue.pop(0)
            return self.defaults.get(route, NOT_FOUND)

    def recorded(self):
        with self.lock:
            return list(self.requests)


class Source:
    """One credential source: what the server plays, the environment, the official provider."""

    def __init__(self, name, key, queues, env, official, files=None):
        self.name = name
        self.key = key
        self.queues = queues
        self.env = env
        self.official = official
        self.files = files or {}


def sources(endpoint, workdir):
    def path(name):
        return os.path.join(workdir, name)

    def metadata(name, tag, token_answers, get_answers):
        key = temporary_key(tag)
        queues = {("PUT", internal.MetadataAccessor._GET_TOKEN_PATH): token_answers,
                  ("GET", internal.MetadataAccessor._GET_SECURITY_KEY_PATH):
                      [*get_answers, metadata_answer(key)]}
        return Source(name, key, queues, {}, official_metadata)

    listed = [
        metadata("ECS metadata with a session token", "mdtoken",
                 [answer(200, secret("metadata-session-token-0001").encode())], []),
        metadata("ECS metadata without a session token (PUT answers 404)", "mdnotoken",
                 [answer(404, {"error": "not found"})], []),
        metadata("ECS metadata, session token refused once (401, a new token)", "md401",
                 [answer(200, secret("metadata-session-token-0002").encode()),
                  answer(200, secret("metadata-session-token-0003").encode())],
                 [answer(401, {"error": "token expired"})]),
    ]

    pod_key = temporary_key("pod")
    listed.append(Source(
        "CCE pod identity", pod_key, {("POST", "/pod/v1/credentials"): [pod_answer(pod_key)]},
        {"HC_CONTAINER_CREDENTIALS_FULL_URI": f"{endpoint}/pod/v1/credentials",
         "HC_CONTAINER_AUTHORIZATION_TOKEN_FILE": path("pod-token")},
        official_pod, files={path("pod-token"): secret("pod-authorization-token-0001") + "\n"}))

    oidc_route = ("POST", internal.OidcStsAccessor._ASSUME_AGENCY_WITH_OIDC_URI)
    oidc_base = {"HUAWEICLOUD_OIDC_PROVIDER_URN": "iam::0123456789:identityprovider:conformance",
                 "HUAWEICLOUD_OIDC_AGENCY_URN": "iam::0123456789:agency:conformance"}
    inline_key = temporary_key("oidcinline")
    listed.append(Source(
        "OIDC STS, id token inline", inline_key, {oidc_route: [sts_answer(inline_key)]},
        {**oidc_base, "HUAWEICLOUD_OIDC_ID_TOKEN": secret("oidc-id-token-inline-0001")}, official_oidc))
    file_key = temporary_key("oidcfile")
    listed.append(Source(
        "OIDC STS, id token from a file, every optional setting", file_key,
        {oidc_route: [sts_answer(file_key)]},
        {**oidc_base, "HUAWEICLOUD_OIDC_TOKEN_FILE": path("oidc-token"),
         "HUAWEICLOUD_OIDC_SESSION_NAME": "conformance-session",
         "HUAWEICLOUD_OIDC_DURATION_SECONDS": "900",
         "HUAWEICLOUD_OIDC_POLICY": json.dumps({"Version": "5.0", "Statement": [
             {"Effect": "Allow", "Action": ["hss:*:*"], "Resource": ["*"]}]}),
         "HUAWEICLOUD_OIDC_POLICY_IDS": "policy-a, policy-b"},
        official_oidc, files={path("oidc-token"): secret("oidc-id-token-file-0001") + "\n"}))

    federated_key = temporary_key("federated")
    ak, sk, token = federated_key
    subject_token = secret("iam-unscoped-token-0001")
    listed.append(Source(
        "federated identity (HUAWEICLOUD_SDK_IDP_ID + HUAWEICLOUD_SDK_ID_TOKEN_FILE)", federated_key,
        {("POST", internal.IamHelper.CREATE_TOKEN_BY_ID_TOKEN_URI): [
            answer(201, {"token": {"expires_at": expiry(), "methods": ["mapped"]}},
                   {"X-Subject-Token": subject_token})],
         ("POST", internal.IamHelper.CREATE_TEMPORARY_ACCESS_KEY_BY_TOKEN_URI): [
            answer(201, {"credential": {"access": ak, "secret": sk, "securitytoken": token,
                                        "expires_at": expiry()}})]},
        {"HUAWEICLOUD_SDK_IDP_ID": "conformance-idp",
         "HUAWEICLOUD_SDK_ID_TOKEN_FILE": path("federated-token")},
        official_federated, files={path("federated-token"): secret("federated-id-token-0001") + "\n"}))
    return listed


# The official SDK's providers, one per source. Each returns BasicCredentials for the HSS call.
def official_metadata():
    credentials = MetadataCredentialProvider.get_basic().get_credentials()
    credentials.project_id = PROJECT_ID
    return credentials


def official_pod():
    credentials = PodIdentityCredentialProvider.get_basic().get_credentials()
    credentials.project_id = PROJECT_ID
    return credentials


def official_oidc():
    return OidcStsCredentialProvider.get_basic().get_credentials()


def official_federated():
    return EnvCredentialProvider.get_basic().get_credentials()


def endpoint_env(endpoint):
    """Every endpoint either client may ask, on the loopback server; the proxies bypassed."""
    return {"HUAWEICLOUD_SDK_METADATA_ENDPOINT": endpoint, "HUAWEICLOUD_SDK_STS_ENDPOINT": endpoint,
            "HUAWEICLOUD_SDK_IAM_ENDPOINT": endpoint, "NO_PROXY": "127.0.0.1,localhost",
            "no_proxy": "127.0.0.1,localhost"}


def isolated_env(extra, home):
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(CLEARED_PREFIXES) and key not in PROXY_VARIABLES}
    env.update({"HOME": home, "TZ": "UTC"})
    env.update(extra)
    return env


def run_official(source, endpoint, home):
    """The official SDK's provider and one HSS call, in the source's environment only."""
    saved_env = dict(os.environ)
    saved_metadata = internal.MetadataAccessor._METADATA_ENDPOINT
    os.environ.clear()
    os.environ.update(isolated_env({**endpoint_env(endpoint), **source.env,
                                    "HUAWEICLOUD_SDK_PROJECT_ID": PROJECT_ID}, home))
    internal.MetadataAccessor._METADATA_ENDPOINT = endpoint
    try:
        credentials = source.official()
        config = HttpConfig.get_default_config()
        config.timeout = (5, 10)
        client = HssClient.new_builder().with_credentials(credentials).with_endpoints([endpoint]) \
            .with_http_config(config).build()
        request = RunImageSynchronizeRequest()
        request.body = RunImageSynchronizeRequestInfo(image_type="private_image")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            client.run_image_synchronize(request)
    finally:
        internal.MetadataAccessor._METADATA_ENDPOINT = saved_metadata
        os.environ.clear()
        os.environ.update(saved_env)


def run_rust(binary, source, endpoint, home):
    env = isolated_env({**endpoint_env(endpoint), **source.env}, home)
    return subprocess.run([binary, "--region", "cn-north-4", "--project-id", PROJECT_ID,
                           "--endpoint", endpoint], env=env, capture_output=True, text=True, timeout=60)


def body_value(raw):
    if not raw:
        return None
    try:
        return json.loads(raw)
    except ValueError:
        return ("not JSON", raw)


def compare_credential_requests(rust, official):
    problems = []
    if len(rust) != len(official):
        problems.append(f"{len(rust)} credential requests, the official SDK sent {len(official)}: "
                        f"{describe(rust)} vs {describe(official)}")
    for index, (mine, theirs) in enumerate(zip(rust, official), 1):
        mine_target, their_target = urlsplit(mine["target"]), urlsplit(theirs["target"])
        where = f"request {index} ({theirs['method']} {their_target.path})"
        for field, a, b in (("method", mine["method"], theirs["method"]),
                            ("path", mine_target.path, their_target.path),
                            ("query", mine_target.query, their_target.query),
                            ("JSON body", body_value(mine["body"]), body_value(theirs["body"]))):
            if a != b:
                problems.append(f"{where}: {field} {a!r} != official {b!r}")
        for name in COMPARED_HEADERS:
            a, b = header(mine, name), header(theirs, name)
            if a != b:
                problems.append(f"{where}: header {name} {a!r} != official {b!r}")
    return problems


def describe(requests):
    return [f"{request['method']} {urlsplit(request['target']).path}" for request in requests]


def signed_headers(request):
    authorization = header(request, "Authorization") or ""
    if "SignedHeaders=" not in authorization:
        return []
    return authorization.split("SignedHeaders=", 1)[1].split(",", 1)[0].split(";")


def check_hss_call(request, key):
    ak, sk, token = key
    problems = []
    if urlsplit(request["target"]).path != HSS_PATH:
        return [f"the last request is {request['method']} {request['target']}, not the HSS call"]
    sent = header(request, "Authorization")
    expected = official_authorization(request, ak, sk)
    if sent != expected:
        problems.append(f"Authorization {sent!r} != the official Signer's {expected!r} "
                        f"with the fetched key")
    if f"Access={ak}," not in (sent or ""):
        problems.append(f"Authorization {sent!r} does not name the fetched access key {ak}")
    if header(request, "X-Security-Token") != token:
        problems.append(f"X-Security-Token {header(request, 'X-Security-Token')!r} is not the "
                        f"fetched token")
    if "x-security-token" not in signed_headers(request):
        problems.append(f"X-Security-Token is not among the signed headers {signed_headers(request)}")
    return problems


def check_source(checks, binary, router, endpoint, source, home):
    for name, content in source.files.items():
        with open(name, "w", encoding="utf-8") as file:
            file.write(content)
    label = source.name

    router.play(source.queues, {("POST", HSS_PATH): SUCCESS})
    try:
        run_official(source, endpoint, home)
        official_problem = None
    except Exception as error:  # the official SDK failing on our fixture is a finding, not a crash
        official_problem = f"{type(error).__name__}: {error}"
    official = router.recorded()
    if official_problem is None and not (official and urlsplit(official[-1]["target"]).path == HSS_PATH
                                         and header(official[-1], "X-Security-Token") == source.key[2]):
        official_problem = f"did not end with an HSS call carrying the fetched token: {describe(official)}"
    checks.check(f"{label}: the official SDK fetches and calls HSS",
                 [official_problem] if official_problem else [])

    router.play(source.queues, {("POST", HSS_PATH): SUCCESS})
    outcome = run_rust(binary, source, endpoint, home)
    rust = router.recorded()
    if outcome.returncode != 0:
        checks.check(f"{label}: the example exits 0",
                     [f"exit {outcome.returncode}: {outcome.stderr.strip()}",
                      f"requests: {describe(rust)}"])
    else:
        checks.check(f"{label}: the example exits 0", [])

    rust_credentials = [r for r in rust if urlsplit(r["target"]).path != HSS_PATH]
    official_credentials = [r for r in official if urlsplit(r["target"]).path != HSS_PATH]
    problems = compare_credential_requests(rust_credentials, official_credentials)
    if not official_credentials:
        problems.append("the official SDK sent no credential request to compare with")
    checks.check(f"{label}: credential requests match the official SDK "
                 f"({', '.join(describe(official_credentials)) or 'none'})", problems)

    hss = [r for r in rust if urlsplit(r["target"]).path == HSS_PATH]
    if len(hss) != 1 or rust[-1] is not hss[0]:
        problems = [f"expected one HSS call, last; got {describe(rust)}"]
    else:
        problems = check_hss_call(hss[0], source.key)
    checks.check(f"{label}: the HSS call re-signs with the official Signer from the fetched key", problems)

    leaked = [value for value in SECRETS if value in outcome.stdout or value in outcome.stderr]
    checks.check(f"{label}: no secret in the example's output",
                 [f"{len(leaked)} secret value(s) printed"] if leaked else [])


def main():
    if len(sys.argv) != 2:
        print("usage: python conformance/credential_sources.py PATH/TO/run_image_synchronize",
              file=sys.stderr)
        return 2
    binary = sys.argv[1]
    if not os.access(binary, os.X_OK):
        print(f"error: {binary} is not an executable (build it with `cargo build --workspace "
              f"--all-features --example run_image_synchronize`)", file=sys.stderr)
        return 2
    # The official SDK reads expiry times as local time; UTC here makes them what was written.
    os.environ["TZ"] = "UTC"
    time.tzset()
    router = Router()
    server = start_server(router.take)
    endpoint = f"http://127.0.0.1:{server.server_address[1]}"
    checks = Checks(show=mask)
    try:
        with tempfile.TemporaryDirectory(prefix="hss-credential-sources-") as workdir:
            home = os.path.join(workdir, "home")
            os.mkdir(home)
            for source in sources(endpoint, workdir):
                check_source(checks, binary, router, endpoint, source, home)
    finally:
        server.shutdown()
    print(f"{checks.passed} passed, {checks.failed} failed")
    return 1 if checks.failed else 0


if __name__ == "__main__":
    sys.exit(main())
