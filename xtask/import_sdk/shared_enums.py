"""Gives each enum the SDK documents in several places one shared schema.

The SDK repeats a field's allowed values in every model that has the field (`asset_value` lists
`important`, `common`, `test` in dozens of models). Inline, each copy becomes a Rust type of its
own, which costs compile time and makes users convert between identical types. After the overlays
are applied, every inline enum that occurs at least twice with the same field name and the same
schema becomes one component schema, and its sites `$ref` it. The name is the field's name in
PascalCase when that is free and this enum is the most used of those sharing the field name, else
the name the generator would have given the site whose owner sorts first (owner + field). Sites a
maintainer curated (anything beyond type, format, enum and default) stay as they are.
"""

import re

SHAREABLE_KEYS = {"type", "format", "enum", "default"}


def pascal(name):
    return "".join(part[:1].upper() + part[1:] for part in re.split(r"[^A-Za-z0-9]+", name) if part)


def sites(document):
    """(owner, field name, container, key) of every inline enum a model field or a parameter has."""
    found = []
    for owner, schema in document.get("components", {}).get("schemas", {}).items():
        for field, sub in (schema.get("properties") or {}).items():
            found.append((owner, field, schema["properties"], field))
            if isinstance(sub, dict) and sub.get("type") == "array":
                found.append((owner, field, sub, "items"))
    for path_item in document.get("paths", {}).values():
        for operation in path_item.values():
            if not isinstance(operation, dict):
                continue
            for parameter in operation.get("parameters", []):
                owner, field = operation.get("operationId", ""), parameter.get("name", "")
                found.append((owner, field, parameter, "schema"))
                sub = parameter.get("schema")
                if isinstance(sub, dict) and sub.get("type") == "array":
                    found.append((owner, field, sub, "items"))
    return [
        site
        for site in found
        if isinstance(site[2].get(site[3]), dict)
        and "enum" in site[2][site[3]]
        and set(site[2][site[3]]) <= SHAREABLE_KEYS
    ]


def share_enums(document):
    """Rewrites `document` in place; returns the names of the schemas it added."""
    groups = {}
    for site in sites(document):
        owner, field, container, key = site
        schema = container[key]
        identity = (field, repr(sorted(schema.items(), key=lambda item: item[0])))
        groups.setdefault(identity, []).append(site)
    shared = {identity: members for identity, members in groups.items() if len(members) >= 2}
    # Of the enums that share a field name, the most used one gets the plain name.
    plain = {}
    for identity, members in sorted(shared.items()):
        field = identity[0]
        if field not in plain or len(members) > len(shared[plain[field]]):
            plain[field] = identity
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    added = []
    for identity in sorted(shared, key=lambda identity: (identity[0], shared[identity][0][0])):
        members = shared[identity]
        field = identity[0]
        first_owner = min(owner for owner, _, _, _ in members)
        candidates = [pascal(field)] if plain[field] == identity else []
        candidates.append(pascal(first_owner) + pascal(field))
        name = next((candidate for candidate in candidates if candidate not in schemas), None)
        if name is None:
            continue
        schemas[name] = dict(members[0][2][members[0][3]])
        for _, _, container, key in members:
            container[key] = {"$ref": f"#/components/schemas/{name}"}
        added.append(name)
    document["components"]["schemas"] = dict(sorted(schemas.items()))
    return added
