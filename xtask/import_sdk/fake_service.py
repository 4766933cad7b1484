"""Service facts for the tests: a small service under `/v5/{project_id}` with HSS's paging names."""

from service_facts import ServiceFacts

FACTS = {
    "service": "demo",
    "package": "huaweicloudsdkdemo",
    "module": "fake_sdk.v5",
    "client": "DemoClient",
    "title": "Demo",
    "api-version": "v5",
    "spec": "spec/demo.yaml",
    "overlays": "spec/demo-overlays",
    "client-filled": {"project_id": True},
    "paging": {"offset": "offset", "limit": "limit", "total": "total_num", "items": "data_list"},
    "groups": {"base": "/v5/{project_id}", "thing": ["thing"], "account": ["/v5/account"]},
}


def service(**changes):
    """The demo facts with `changes` (a value of None removes the key)."""
    data = {**FACTS, **changes}
    return ServiceFacts("spec/services/demo.yaml", {key: value for key, value in data.items() if value is not None})
