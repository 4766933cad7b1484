"""Applies an OpenAPI Overlay 1.0 document to an OpenAPI document held as plain dicts and lists.

The overlay's actions run in order. Each names its `target` with a JSONPath expression and either
merges `update` into every node it selects or, with `remove: true`, removes them. Merging follows the
Overlay specification: an object update is merged key by key into a target object (recursively for
objects, replacing anything else), and an update of an array target appends to it.

The JSONPath subset understood here is what curating an OpenAPI document needs, and anything
outside it is an error rather than a silent no-op:
  $                      the document
  .name  ['name']        a member (quote names holding `/`, `{`, `.` or spaces)
  [N]                    an array element
  [*]  .*                every member or element
  [?@.key == 'value']    the elements (or members) whose `key` equals the string; `&&` joins tests
An action whose target selects nothing is an error too: a curated fact that no longer applies after
a re-import must be noticed, not dropped.
"""

import re

_TOKEN = re.compile(
    r"""
    \.(?P<name>[A-Za-z_$][A-Za-z0-9_$-]*)
  | \.\*(?P<dot_star>)
  | \[\s*'(?P<single>(?:[^'\\]|\\.)*)'\s*\]
  | \[\s*"(?P<double>(?:[^"\\]|\\.)*)"\s*\]
  | \[\s*(?P<index>-?\d+)\s*\]
  | \[\s*\*\s*\](?P<star>)
  | \[\s*\?\s*\(?(?P<filter>[^\]]*?)\)?\s*\]
    """,
    re.VERBOSE,
)

_TEST = re.compile(r"""^\s*@\.(?P<key>[A-Za-z_$][A-Za-z0-9_$-]*)\s*==\s*(?:'(?P<s>[^']*)'|"(?P<d>[^"]*)")\s*$""")


def parse_path(expression):
    """The steps of a JSONPath expression, or ValueError naming what is not understood."""
    if not expression.startswith("$"):
        raise ValueError(f"target `{expression}` does not start with `$`")
    steps = []
    position = 1
    while position < len(expression):
        match = _TOKEN.match(expression, position)
        if match is None:
            raise ValueError(f"target `{expression}`: cannot read `{expression[position:]}`")
        position = match.end()
        if match.group("name") is not None:
            steps.append(("member", match.group("name")))
        elif match.group("single") is not None:
            steps.append(("member", match.group("single").replace("\\'", "'")))
        elif match.group("double") is not None:
            steps.append(("member", match.group("double").replace('\\"', '"')))
        elif match.group("index") is not None:
            steps.append(("index", int(match.group("index"))))
        elif match.group("filter") is not None:
            tests = []
            for test in match.group("filter").split("&&"):
                parsed = _TEST.match(test)
                if parsed is None:
                    raise ValueError(f"target `{expression}`: filter `{test.strip()}` is not `@.key == 'value'`")
                value = parsed.group("s") if parsed.group("s") is not None else parsed.group("d")
                tests.append((parsed.group("key"), value))
            steps.append(("filter", tests))
        else:
            steps.append(("all", None))
    return steps


def select(document, steps):
    """(parent, key) pairs of the nodes the steps select; the root's parent is None."""
    current = [(None, None, document)]
    for kind, argument in steps:
        following = []
        for _, _, node in current:
            if kind == "member":
                if isinstance(node, dict) and argument in node:
                    following.append((node, argument, node[argument]))
            elif kind == "index":
                if isinstance(node, list) and -len(node) <= argument < len(node):
                    following.append((node, argument % len(node), node[argument]))
            else:
                children = list(node.items()) if isinstance(node, dict) else list(enumerate(node)) if isinstance(node, list) else []
                for key, child in children:
                    if kind == "all" or (
                        isinstance(child, dict)
                        and all(child.get(k) == v for k, v in argument)
                    ):
                        following.append((node, key, child))
        current = following
    return [(parent, key) for parent, key, _ in current]


def merge(target, update):
    """Merges `update` into `target` in place and returns the result (for replaced scalars)."""
    if isinstance(target, dict) and isinstance(update, dict):
        for key, value in update.items():
            target[key] = merge(target[key], value) if key in target else value
        return target
    return update


def apply_overlay(document, overlay, stale=None):
    """Applies every action of `overlay` to `document` in place; ValueError on a bad overlay.

    An action whose target selects nothing is an error, unless `stale` is given: then it is
    called with the action's place and target, and the action is skipped (for looking at an old
    SDK version the overlays were not written for)."""
    if not isinstance(overlay, dict) or not str(overlay.get("overlay", "")).startswith("1."):
        raise ValueError("not an Overlay 1.x document (no `overlay: 1.0.0`)")
    actions = overlay.get("actions")
    if not isinstance(actions, list) or not actions:
        raise ValueError("`actions` must be a non-empty list")
    for number, action in enumerate(actions):
        where = f"actions[{number}]"
        if not isinstance(action, dict) or not isinstance(action.get("target"), str):
            raise ValueError(f"{where}: needs a `target` string")
        target = action["target"]
        remove = action.get("remove", False)
        if remove not in (True, False):
            raise ValueError(f"{where}: `remove` must be true or false")
        if remove == ("update" in action):
            raise ValueError(f"{where}: give exactly one of `update` and `remove: true`")
        selected = select(document, parse_path(target))
        if not selected:
            if stale is None:
                raise ValueError(f"{where}: target `{target}` selects nothing")
            stale(where, target)
            continue
        if remove:
            # Remove from the back so list indices stay valid.
            ordered = sorted(
                selected,
                key=lambda item: item[1] if isinstance(item[1], int) else -1,
                reverse=True,
            )
            for parent, key in ordered:
                if parent is None:
                    raise ValueError(f"{where}: cannot remove the whole document")
                del parent[key]
            continue
        for parent, key in selected:
            node = document if parent is None else parent[key]
            update = action["update"]
            if isinstance(node, list):
                node.append(update)
            elif isinstance(node, dict) and isinstance(update, dict):
                merge(node, update)
            else:
                raise ValueError(f"{where}: target `{target}` is not an object or an array")
