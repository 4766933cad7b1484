# Run by `bench --python PATH`: times the official SDK's run_image_synchronize against the
# benchmark's loopback server. Arguments: URL PROJECT_ID CALLS WARM_UP; AK/SK in BENCH_AK/BENCH_SK.
# Prints one line per timed call: nanoseconds.
import os
import sys
import time

from huaweicloudsdkcore.auth.credentials import BasicCredentials
from huaweicloudsdkcore.http.http_config import HttpConfig
from huaweicloudsdkhss.v5 import HssClient, RunImageSynchronizeRequest, RunImageSynchronizeRequestInfo

url, project_id, calls, warm_up = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
config = HttpConfig.get_default_config()
config.ignore_ssl_verification = True
credentials = BasicCredentials(os.environ["BENCH_AK"], os.environ["BENCH_SK"], project_id)
client = (
    HssClient.new_builder()
    .with_http_config(config)
    .with_credentials(credentials)
    .with_endpoint(url)
    .build()
)


def call():
    request = RunImageSynchronizeRequest(body=RunImageSynchronizeRequestInfo(image_type="private_image"))
    response = client.run_image_synchronize(request)
    if response.error_description != "success":
        raise SystemExit("unexpected response: %r" % (response,))


for _ in range(warm_up):
    call()
lines = []
for _ in range(calls):
    started = time.perf_counter_ns()
    call()
    lines.append(str(time.perf_counter_ns() - started))
print("\n".join(lines))
