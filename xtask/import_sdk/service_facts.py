"""Reads a service's facts file (`spec/services/<service>.yaml`): what the official SDK's code
holds only implicitly, kept as data so that the scripts name no service.

The file gives the SDK package, its module and client class, the API's title and version, the
spec and overlays it makes, the path parameters the client fills (`project_id`), the names of an
offset/limit page, and how paths map to feature groups. Every mistake in it is a ValueError whose
message names the file and the key.
"""

import yaml

KEYS = {
    "service": str,
    "package": str,
    "module": str,
    "client": str,
    "title": str,
    "api-version": str,
    "spec": str,
    "overlays": str,
    "groups": dict,
    "client-filled": dict,
    "paging": dict,
}
REQUIRED = ("service", "package", "module", "client", "title", "api-version", "spec", "overlays", "groups")
PAGING_KEYS = ("offset", "limit", "total", "items")


class ServiceFacts:
    """The facts of one service; `group_of` maps an operation's path to its feature group."""

    def __init__(self, source, data):
        self.source = source
        where = lambda key: f"{source}: `{key}`"  # noqa: E731
        if not isinstance(data, dict):
            raise ValueError(f"{source}: not a mapping of facts")
        for key in data:
            if key not in KEYS:
                raise ValueError(f"{where(key)} is not a fact this file holds ({', '.join(KEYS)})")
        for key in REQUIRED:
            if key not in data:
                raise ValueError(f"{where(key)} is missing")
        for key, kind in KEYS.items():
            if key in data and not isinstance(data[key], kind):
                raise ValueError(f"{where(key)} must be a {'mapping' if kind is dict else 'string'}")
        self.service = data["service"]
        self.package = data["package"]
        self.module = data["module"]
        self.client = data["client"]
        self.title = data["title"]
        self.api_version = data["api-version"]
        self.spec = data["spec"]
        self.overlays = data["overlays"]
        self.client_filled = data.get("client-filled", {})
        for name, value in self.client_filled.items():
            if value is not True and not isinstance(value, str):
                raise ValueError(f"{where('client-filled.' + str(name))} must be true or a setting's name")
        self.paging = data.get("paging")
        if self.paging is not None:
            if sorted(self.paging) != sorted(PAGING_KEYS) or not all(isinstance(v, str) for v in self.paging.values()):
                raise ValueError(f"{where('paging')} must give the names {', '.join(PAGING_KEYS)}")
        self.prefixes = self._prefixes(data["groups"], where)

    @staticmethod
    def _prefixes(groups, where):
        base = groups.get("base", "")
        if not isinstance(base, str) or (base and not base.startswith("/")):
            raise ValueError(f"{where('groups.base')} must be a path such as /v5/{{project_id}}")
        prefixes = {}
        for group, entries in groups.items():
            if group == "base":
                continue
            if not isinstance(entries, list) or not entries or not all(isinstance(e, str) and e for e in entries):
                raise ValueError(f"{where('groups.' + str(group))} must be a list of path prefixes")
            for entry in entries:
                prefix = entry if entry.startswith("/") else f"{base.rstrip('/')}/{entry}"
                if prefix in prefixes:
                    raise ValueError(f"{where('groups.' + str(group))}: `{entry}` is also in group `{prefixes[prefix]}`")
                prefixes[prefix] = group
        if not prefixes:
            raise ValueError(f"{where('groups')} names no group")
        return prefixes

    def groups(self):
        """Each group with its prefixes, in file order (for the README table)."""
        result = {}
        for prefix, group in self.prefixes.items():
            result.setdefault(group, []).append(prefix)
        return result

    def group_of(self, path, operation):
        """The group of the longest prefix that holds `path` segment by segment, or a ValueError
        naming the operation, the path and the file to edit."""
        best = None
        for prefix, group in self.prefixes.items():
            if path == prefix or path.startswith(prefix.rstrip("/") + "/") and prefix != "/":
                if best is None or len(prefix) > len(best[0]):
                    best = (prefix, group)
        if best is None:
            raise ValueError(
                f"{operation}: path `{path}` is in no feature group; add its prefix to a group "
                f"under `groups` in {self.source}"
            )
        return best[1]


def load(path):
    """The facts of the file at `path`; ValueError on a missing file or a bad fact."""
    try:
        with open(path, encoding="utf-8") as file:
            data = yaml.safe_load(file)
    except OSError as error:
        raise ValueError(f"cannot read {path}: {error.strerror.lower()}") from None
    except yaml.YAMLError as error:
        raise ValueError(f"{path}: not YAML: {error}") from None
    return ServiceFacts(path, data)
