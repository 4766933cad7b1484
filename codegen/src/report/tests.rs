//! The classification rules, one mutation of a small API each, and the version arithmetic.

use super::manifest::{
    ApiManifest, BodyEntry, FieldEntry, ModelEntry, OperationEntry, ParameterEntry, Presence,
    Shape, StatusEnumEntry, StatusVariantEntry, UnionVariantEntry,
};
use super::*;

const SPEC: &str = r#"
openapi: 3.0.3
info: {title: t, version: '1'}
x-feature-groups: tags
paths:
  /{project_id}/hosts/{host_id}:
    get:
      operationId: ShowHost
      tags: [hosts]
      description: One host.
      parameters:
        - {name: project_id, in: path, required: true, x-client-default: true, schema: {type: string}}
        - {name: host_id, in: path, required: true, schema: {type: string}}
        - {name: limit, in: query, schema: {type: integer, format: int32}}
        - {name: X-Tag, in: header, schema: {type: string, maxLength: 8}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Host'}
  /ping:
    get:
      operationId: Ping
      tags: [other]
      responses: {'204': {description: none}}
components:
  schemas:
    Host:
      type: object
      required: [id, os]
      description: A host.
      properties:
        id: {type: string}
        os: {type: string}
        hostName: {type: string}
        state: {$ref: '#/components/schemas/State'}
        shape: {$ref: '#/components/schemas/Shape'}
    State:
      type: string
      enum: [on, off]
    Shape:
      oneOf:
        - {type: string}
        - {type: integer}
"#;

fn base() -> ApiManifest {
    let (spec, diagnostics) = crate::parse::parse(SPEC).unwrap_or_else(|e| panic!("{e:?}"));
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    let (api, diagnostics) = crate::lower::lower(&spec);
    assert!(
        !diagnostics.iter().any(crate::Diagnostic::is_error),
        "{diagnostics:?}"
    );
    manifest(&api, String::new())
}

fn operation(manifest: &mut ApiManifest) -> &mut OperationEntry {
    manifest
        .operations
        .get_mut("ShowHost")
        .unwrap_or_else(|| panic!("no ShowHost"))
}

fn param<'a>(manifest: &'a mut ApiManifest, wire: &str) -> &'a mut ParameterEntry {
    operation(manifest)
        .parameters
        .iter_mut()
        .find(|param| param.wire == wire)
        .unwrap_or_else(|| panic!("no parameter {wire}"))
}

fn model<'a>(manifest: &'a mut ApiManifest, name: &str) -> &'a mut ModelEntry {
    manifest
        .models
        .get_mut(name)
        .unwrap_or_else(|| panic!("no model {name}"))
}

fn fields(manifest: &mut ApiManifest) -> &mut Vec<FieldEntry> {
    match &mut model(manifest, "Host").shape {
        Shape::Struct { fields, .. } => fields,
        other => panic!("Host is {other:?}"),
    }
}

fn field<'a>(manifest: &'a mut ApiManifest, wire: &str) -> &'a mut FieldEntry {
    fields(manifest)
        .iter_mut()
        .find(|field| field.wire == wire)
        .unwrap_or_else(|| panic!("no field {wire}"))
}

fn new_field(wire: &str, presence: Presence) -> FieldEntry {
    FieldEntry {
        name: wire.to_owned(),
        wire: wire.to_owned(),
        ty: "String".to_owned(),
        presence,
        deprecated: false,
        docs: String::new(),
    }
}

fn add_required_field(m: &mut ApiManifest) {
    fields(m).push(new_field("zone", Presence::Required));
    if let Shape::Struct { constructor, .. } = &mut model(m, "Host").shape {
        constructor.push("zone".to_owned());
    }
}

type Mutation = fn(&mut ApiManifest);

fn body(argument: bool) -> Option<BodyEntry> {
    Some(BodyEntry {
        ty: "Host".to_owned(),
        argument,
        encoding: "json application/json".to_owned(),
        docs: String::new(),
    })
}

fn errors(statuses: &[&str]) -> Option<StatusEnumEntry> {
    Some(StatusEnumEntry {
        name: "ShowHostErrorBody".to_owned(),
        non_exhaustive: true,
        variants: statuses
            .iter()
            .map(|status| StatusVariantEntry {
                status: (*status).to_owned(),
                variant: format!("Status{}", status.to_lowercase()),
                body: "json Problem".to_owned(),
            })
            .collect(),
    })
}

fn tag_union(m: &mut ApiManifest) {
    if let Shape::Union {
        discriminator,
        non_exhaustive,
        unknown,
        ..
    } = &mut model(m, "Shape").shape
    {
        *discriminator = Some("kind".to_owned());
        *non_exhaustive = true;
        *unknown = true;
    }
}

/// Each rule: a change to the base API (made to both sides first when there are two), and the
/// one line it must give.
#[rustfmt::skip]
const RULES: &[(&str, &[Mutation], &str)] = &[
    ("feature added", &[|m| m.features.push("zz".to_owned())],
     "additive  feature zz: added"),
    ("feature removed", &[|m| m.features.retain(|f| f != "hosts")],
     "breaking  feature hosts: removed: a crate enabling it no longer resolves"),
    ("operation removed", &[|m| { m.operations.remove("ShowHost"); }],
     "breaking  operation ShowHost (show_host): removed: `show_host` is gone"),
    ("operation added", &[|m| {
        let mut copy = operation(m).clone();
        copy.method = "list_hosts".to_owned();
        m.operations.insert("ListHosts".to_owned(), copy);
     }],
     "additive  operation ListHosts (list_hosts): added: `list_hosts(host_id)`, feature `hosts`"),
    ("method renamed", &[|m| operation(m).method = "get_host".to_owned()],
     "breaking  operation ShowHost (get_host): method renamed from `show_host` to `get_host`"),
    ("path changed", &[|m| operation(m).http = "GET /v2/hosts/{host_id}".to_owned()],
     "breaking  operation ShowHost (show_host): sent as `GET /v2/hosts/{host_id}`, was `GET /{project_id}/hosts/{host_id}`"),
    ("operation moved to another feature", &[|m| operation(m).feature = Some("other".to_owned())],
     "breaking  operation ShowHost (show_host): no longer compiled with feature `hosts` (now with `other`)"),
    ("operation always compiled now", &[|m| operation(m).feature = None],
     "additive  operation ShowHost (show_host): always compiled now, was only with feature `hosts`"),
    ("operation deprecated", &[|m| operation(m).deprecated = Some("use v2".to_owned())],
     "additive  operation ShowHost (show_host): deprecated: calls warn, and still compile"),
    ("operation description", &[|m| operation(m).docs = "0".to_owned()],
     "docs      operation ShowHost (show_host): description changed"),
    ("optional parameter added", &[|m| {
        let mut copy = param(m, "limit").clone();
        copy.wire = "offset".to_owned();
        copy.name = "offset".to_owned();
        operation(m).parameters.push(copy);
     }],
     "additive  operation ShowHost (show_host): parameter query offset (offset): added, optional: a new setter `.offset(..)`"),
    ("required parameter added", &[|m| {
        let mut copy = param(m, "host_id").clone();
        copy.wire = "zone".to_owned();
        copy.name = "zone".to_owned();
        operation(m).parameters.push(copy);
        operation(m).arguments.push("zone".to_owned());
     }],
     "breaking  operation ShowHost (show_host): parameter path zone (zone): added, required: a new positional argument of type `String`"),
    ("parameter removed", &[|m| operation(m).parameters.retain(|p| p.wire != "limit")],
     "breaking  operation ShowHost (show_host): parameter query limit (limit): removed (a setter is gone)"),
    ("optional parameter made required", &[|m| {
        param(m, "limit").argument = true;
        operation(m).arguments.push("limit".to_owned());
     }],
     "breaking  operation ShowHost (show_host): parameter query limit (limit): required now: a new positional argument, the setter is gone"),
    ("parameter type changed", &[|m| param(m, "limit").ty = "String".to_owned()],
     "breaking  operation ShowHost (show_host): parameter query limit (limit): type `String` now, was `i32`"),
    ("parameter Rust name changed", &[|m| param(m, "limit").name = "page_size".to_owned()],
     "breaking  operation ShowHost (show_host): parameter query limit (page_size): Rust name changed from `limit`"),
    ("parameter length tightened", &[|m| param(m, "X-Tag").max_length = Some(4)],
     "breaking  operation ShowHost (show_host): parameter header X-Tag (x_tag): length checked as `..=4`, was `..=8`: values accepted before are refused"),
    ("parameter length loosened", &[|m| param(m, "X-Tag").max_length = None],
     "additive  operation ShowHost (show_host): parameter header X-Tag (x_tag): length checked as `..`, was `..=8`: looser"),
    ("parameter deprecated", &[|m| param(m, "limit").deprecated = Some(String::new())],
     "additive  operation ShowHost (show_host): parameter query limit (limit): deprecated"),
    ("response type changed", &[|m| operation(m).response = "json State".to_owned()],
     "breaking  operation ShowHost (show_host): `send()` decodes `json State`, was `json Host`"),
    ("model removed", &[|m| { m.models.remove("State"); }],
     "breaking  enum State: removed"),
    ("model renamed, schema unchanged", &[|m| {
        let state = m.models.remove("State").unwrap_or_else(|| panic!("no State"));
        m.models.insert("HostState".to_owned(), state);
     }],
     "breaking  enum HostState: Rust name changed from `State` (schema `#/components/schemas/State`)"),
    ("model added", &[|m| {
        let mut state = model(m, "State").clone();
        state.source = "#/components/schemas/Power".to_owned();
        m.models.insert("Power".to_owned(), state);
     }],
     "additive  enum Power: added"),
    ("model needs a feature now", &[|m| model(m, "State").features = None,
                                   |m| model(m, "State").features = Some(vec!["other".to_owned()])],
     "breaking  enum State: compiled only with feature `other` now, was always compiled"),
    ("model moved to another feature", &[|m| model(m, "State").features = Some(vec!["other".to_owned()])],
     "breaking  enum State: no longer compiled with feature `hosts` (now with `other`)"),
    ("model always compiled now", &[|m| model(m, "State").features = None],
     "additive  enum State: always compiled now, was only with feature `hosts`"),
    ("model compiled by one more feature", &[|m| {
        model(m, "State").features = Some(vec!["hosts".to_owned(), "other".to_owned()]);
     }],
     "additive  enum State: also compiled with feature `other`"),
    ("optional field added", &[|m| fields(m).push(new_field("zone", Presence::Optional))],
     "additive  struct Host: field zone (zone): added, optional (`Option<String>`): the struct is #[non_exhaustive] and `new()` keeps its arguments"),
    ("required field added", &[add_required_field],
     "breaking  struct Host: field zone (zone): added, required (`String`): `new()` takes it as a new argument"),
    ("field removed", &[|m| fields(m).retain(|f| f.wire != "hostName")],
     "breaking  struct Host: field hostName (host_name): removed"),
    ("field type changed", &[|m| field(m, "hostName").ty = "i64".to_owned()],
     "breaking  struct Host: field hostName (host_name): type `Option<i64>` now, was `Option<String>`"),
    ("field made required", &[|m| field(m, "hostName").presence = Presence::Required],
     "breaking  struct Host: field hostName (host_name): required now, was optional (`String`, was `Option<String>`): `new()` takes it as a new argument"),
    ("field made nullable, required, same Rust type", &[|m| field(m, "hostName").presence = Presence::RequiredNullable],
     "breaking  struct Host: field hostName (host_name): required, nullable now, was optional (`Option<String>`, was `Option<String>`): `new()` takes it as a new argument"),
    ("field Rust name changed", &[|m| field(m, "hostName").name = "name".to_owned()],
     "breaking  struct Host: field hostName (name): Rust name changed from `host_name`"),
    ("field deprecated", &[|m| field(m, "hostName").deprecated = true],
     "additive  struct Host: field hostName (host_name): deprecated"),
    ("field description", &[|m| field(m, "hostName").docs = "1".to_owned()],
     "docs      struct Host: field hostName (host_name): description changed"),
    ("constructor reordered", &[|m| {
        if let Shape::Struct { constructor, .. } = &mut model(m, "Host").shape {
            constructor.reverse();
        }
     }],
     "breaking  struct Host: `new(os, id)` takes its arguments in another order, was `new(id, os)`"),
    ("enum value added", &[|m| {
        if let Shape::Enum { variants, .. } = &mut model(m, "State").shape {
            let mut copy = variants[0].clone();
            copy.value = "standby".to_owned();
            copy.name = "Standby".to_owned();
            variants.push(copy);
        }
     }],
     "additive  enum State: value standby (Standby): added: the enum is #[non_exhaustive] and kept it as `Unknown` before"),
    ("enum value added to a closed enum", &[|m| {
        if let Shape::Enum { unknown, non_exhaustive, .. } = &mut model(m, "State").shape {
            *unknown = false;
            *non_exhaustive = false;
        }
     }, |m| {
        if let Shape::Enum { variants, .. } = &mut model(m, "State").shape {
            let mut copy = variants[0].clone();
            copy.value = "standby".to_owned();
            copy.name = "Standby".to_owned();
            variants.push(copy);
        }
     }],
     "breaking  enum State: value standby (Standby): added: exhaustive matches break"),
    ("enum value removed", &[|m| {
        if let Shape::Enum { variants, .. } = &mut model(m, "State").shape {
            variants.retain(|v| v.value != "off");
        }
     }],
     "breaking  enum State: value off (Off): removed"),
    ("untagged union variant added", &[|m| {
        if let Shape::Union { variants, .. } = &mut model(m, "Shape").shape {
            variants.push(UnionVariantEntry { name: "Bool".to_owned(), ty: "bool".to_owned(), tags: Vec::new() });
        }
     }],
     "breaking  union Shape: variant Bool (`bool`): added: the union is untagged and exhaustive, so matches break"),
    ("variant added to a tagged union", &[tag_union, |m| {
        if let Shape::Union { variants, .. } = &mut model(m, "Shape").shape {
            variants.push(UnionVariantEntry { name: "Bool".to_owned(), ty: "bool".to_owned(), tags: vec!["flag".to_owned()] });
        }
     }],
     "additive  union Shape: variant Bool (`bool`): added: the union is #[non_exhaustive]"),
    ("optional request body added", &[|m| operation(m).body = body(false)],
     "additive  operation ShowHost (show_host): request body added, optional: a new setter `.body(Host)`"),
    ("required request body added", &[|m| {
        operation(m).body = body(true);
        operation(m).arguments.push("body".to_owned());
     }],
     "breaking  operation ShowHost (show_host): request body added, required: a new positional argument `body: Host`"),
    ("request body made required", &[|m| operation(m).body = body(false), |m| {
        operation(m).body = body(true);
        operation(m).arguments.push("body".to_owned());
     }],
     "breaking  operation ShowHost (show_host): request body: required now: a new positional argument `body`, the setter is gone"),
    ("request body sent otherwise", &[|m| operation(m).body = body(false), |m| {
        if let Some(body) = &mut operation(m).body {
            body.encoding = "form".to_owned();
        }
     }],
     "breaking  operation ShowHost (show_host): request body: sent as `form`, was `json application/json`"),
    ("error status added", &[|m| operation(m).errors = errors(&["4XX"]), |m| operation(m).errors = errors(&["4XX", "5XX"])],
     "additive  operation ShowHost (show_host): enum `ShowHostErrorBody`: status 5XX (Status5xx) added: the enum is #[non_exhaustive]"),
    ("error status removed", &[|m| operation(m).errors = errors(&["4XX", "5XX"]), |m| operation(m).errors = errors(&["4XX"])],
     "breaking  operation ShowHost (show_host): enum `ShowHostErrorBody`: status 5XX (Status5xx) removed"),
    ("client default removed", &[|m| param(m, "project_id").client_default = None],
     "breaking  operation ShowHost (show_host): parameter path project_id (project_id): no longer filled from the client's `project_id`"),
    ("operation no longer deprecated", &[|m| operation(m).deprecated = Some("old".to_owned()), |m| operation(m).deprecated = None],
     "additive  operation ShowHost (show_host): no longer deprecated"),
    ("deprecation note changed", &[|m| operation(m).deprecated = Some("old".to_owned()), |m| operation(m).deprecated = Some("use v2".to_owned())],
     "docs      operation ShowHost (show_host): deprecation note changed"),
    ("model kind changed", &[|m| model(m, "State").shape = Shape::Alias { ty: "String".to_owned() }],
     "breaking  type State: is a type alias now, was a enum"),
];

#[test]
fn each_rule_gives_its_line() {
    let before = base();
    assert!(ApiChanges::between(&before, &before).is_empty());
    let mut failures = Vec::new();
    for (name, mutations, expected) in RULES {
        let (mut before, mut after) = (before.clone(), before.clone());
        if let [prepare, _] = mutations {
            prepare(&mut before);
            prepare(&mut after);
        }
        if let Some(mutate) = mutations.last() {
            mutate(&mut after);
        }
        let lines: Vec<String> = ApiChanges::between(&before, &after)
            .changes
            .iter()
            .map(ToString::to_string)
            .collect();
        if lines != [*expected] {
            failures.push(format!(
                "{name}:\n  expected {expected}\n  got      {lines:?}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_base_api_is_read_from_what_the_emitters_make_public() {
    let manifest = base();
    let show = &manifest.operations["ShowHost"];
    assert_eq!(show.method, "show_host");
    assert_eq!(show.arguments, ["host_id"]);
    assert_eq!(show.feature.as_deref(), Some("hosts"));
    assert_eq!(show.response, "json Host");
    let header = show.parameters.iter().find(|p| p.wire == "X-Tag");
    assert_eq!(
        header.map(|p| (p.argument, p.max_length)),
        Some((false, Some(8)))
    );
    let Shape::Struct {
        constructor,
        non_exhaustive,
        fields,
        ..
    } = &manifest.models["Host"].shape
    else {
        panic!("Host is not a struct");
    };
    assert_eq!(constructor.join(", "), "id, os");
    assert!(*non_exhaustive);
    assert_eq!(fields.len(), 5);
    assert_eq!(
        manifest.models["State"].features,
        Some(vec!["hosts".to_owned()])
    );
    assert!(matches!(
        manifest.models["Shape"].shape,
        Shape::Union {
            non_exhaustive: false,
            unknown: false,
            ..
        }
    ));
    assert!(matches!(
        manifest.models["State"].shape,
        Shape::Enum {
            non_exhaustive: true,
            unknown: true,
            ..
        }
    ));
}

#[test]
fn changes_are_sorted_by_class_then_item() {
    let before = base();
    let mut after = before.clone();
    operation(&mut after).docs = "0".to_owned();
    fields(&mut after).push(new_field("zone", Presence::Optional));
    after.operations.remove("ShowHost");
    let classes: Vec<ChangeClass> = ApiChanges::between(&before, &after)
        .changes
        .iter()
        .map(|change| change.class)
        .collect();
    assert_eq!(classes, [ChangeClass::Breaking, ChangeClass::Additive]);
}

#[test]
fn the_manifest_round_trips_through_json_byte_for_byte() {
    let manifest = base();
    let text = manifest.to_json();
    assert_eq!(ApiManifest::from_json(&text), Ok(manifest.clone()));
    assert_eq!(base().to_json(), text);
    assert!(text.ends_with("}\n"));
}

#[test]
fn unreadable_manifests_are_errors_naming_the_problem() {
    let error = ApiManifest::from_json("{\"format\": 1, \"operations\": [}").err();
    assert!(
        error
            .as_deref()
            .is_some_and(|e| e.starts_with("not an API manifest:") && e.contains("line 1")),
        "{error:?}"
    );
    assert_eq!(
        ApiManifest::from_json("{\"format\": 2}").err().as_deref(),
        Some("API manifest format 2 is not the format 1 this generator reads")
    );
}

#[test]
fn docs_digests_are_stable_and_empty_for_no_docs() {
    assert_eq!(build::docs_hash(&[]), "");
    assert_eq!(build::docs_hash(&[" ".to_owned()]), "");
    // FNV-1a 64 of "a": a published test vector.
    assert_eq!(build::docs_hash(&["a".to_owned()]), "af63dc4c8601ec8c");
    assert_ne!(
        build::docs_hash(&["a".to_owned(), "b".to_owned()]),
        build::docs_hash(&["ab".to_owned()])
    );
}

fn version(text: &str) -> Version {
    Version::parse(text).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn the_bump_follows_cargos_semver_rule() {
    use ChangeClass::{Additive, Breaking, Docs};
    #[rustfmt::skip]
    let cases = [
        (None, "0.1.0", Bump::None, "0.1.0"),
        (Some(Breaking), "0.1.0", Bump::Minor, "0.2.0"),
        (Some(Additive), "0.1.3", Bump::Patch, "0.1.4"),
        (Some(Docs), "0.1.3", Bump::Patch, "0.1.4"),
        (Some(Breaking), "0.0.3", Bump::Patch, "0.0.4"),
        (Some(Additive), "0.0.3", Bump::Patch, "0.0.4"),
        (Some(Breaking), "1.2.3", Bump::Major, "2.0.0"),
        (Some(Additive), "1.2.3", Bump::Minor, "1.3.0"),
        (Some(Docs), "1.2.3", Bump::Patch, "1.2.4"),
        (None, "1.2.3", Bump::None, "1.2.3"),
    ];
    for (worst, current, bump, next) in cases {
        let suggestion = suggest(worst, version(current));
        assert_eq!(
            (suggestion.bump, suggestion.next),
            (bump, version(next)),
            "{worst:?} from {current}"
        );
    }
    assert_eq!(
        suggest(Some(Breaking), version("0.1.0")).to_string(),
        "minor (0.1.0 -> 0.2.0): breaking changes; cargo's semver rule makes 0.y.z compatible only with the same 0.y, so a breaking change bumps y"
    );
    assert_eq!(
        suggest(None, version("0.1.0")).to_string(),
        "none (0.1.0 stays): no change to the Rust API"
    );
}

#[test]
fn versions_parse_or_name_the_problem() {
    assert_eq!(
        version("12.0.7"),
        Version {
            major: 12,
            minor: 0,
            patch: 7
        }
    );
    for bad in [
        "1.2",
        "1.2.3.4",
        "a.b.c",
        "1..2",
        "",
        "1.2.x",
        "99999999999999999999.0.0",
    ] {
        assert_eq!(
            Version::parse(bad),
            Err(format!(
                "version `{bad}` is not of the form MAJOR.MINOR.PATCH"
            )),
        );
    }
    assert_eq!(
        Version::parse("1.0.0-rc.1"),
        Err("version `1.0.0-rc.1` has a pre-release or build part; the suggestion needs a plain MAJOR.MINOR.PATCH".to_owned())
    );
}

#[test]
fn the_text_report_ends_with_the_counts_and_the_bump() {
    let before = base();
    let mut after = before.clone();
    fields(&mut after).retain(|f| f.wire != "hostName");
    operation(&mut after).docs = "0".to_owned();
    let changes = ApiChanges::between(&before, &after);
    assert_eq!(
        changes.text(version("0.3.1")),
        "breaking  struct Host: field hostName (host_name): removed\n\
         docs      operation ShowHost (show_host): description changed\n\
         2 changes: 1 breaking, 0 additive, 1 docs\n\
         suggested version bump: minor (0.3.1 -> 0.4.0): breaking changes; cargo's semver rule makes 0.y.z compatible only with the same 0.y, so a breaking change bumps y\n"
    );
    let markdown = changes.markdown("hss-client 0.4.0", version("0.3.1"));
    assert!(
        markdown.starts_with(
            "## hss-client 0.4.0\n\nSuggested version bump: **minor** (0.3.1 → 0.4.0)"
        ),
        "{markdown}"
    );
    assert!(
        markdown.contains(
            "\n### Breaking changes\n\n- `struct Host`: field hostName (host_name): removed\n"
        ),
        "{markdown}"
    );
    assert!(
        markdown.contains(
            "\n### Documentation\n\n- `operation ShowHost (show_host)`: description changed\n"
        ),
        "{markdown}"
    );
    assert!(!markdown.contains("### Additions"), "{markdown}");
    assert_eq!(
        ApiChanges::default().text(version("0.1.0")),
        "no changes to the Rust API\nsuggested version bump: none (0.1.0 stays): no change to the Rust API\n"
    );
}

#[test]
fn the_layout_puts_one_item_per_line_and_leaves_strings_alone() {
    let compact = r#"{"a":{"b":[{"x":"{[\"q\",]}","y":1},{"z":[]}],"c":[],"d":{}},"e":["f","g"]}"#;
    assert_eq!(
        manifest::layout(compact),
        r#"{
  "a": {
    "b": [
      {"x": "{[\"q\",]}", "y": 1},
      {"z": []}
    ],
    "c": [],
    "d": {}
  },
  "e": ["f", "g"]
}"#
    );
    let value: serde_json::Value =
        serde_json::from_str(&manifest::layout(compact)).unwrap_or_else(|e| panic!("{e}"));
    let original: serde_json::Value =
        serde_json::from_str(compact).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(value, original);
}

/// A field or parameter whose type changed has new docs too (they state formats and limits):
/// the breaking line says it, without a docs line beside it.
#[test]
fn the_docs_of_a_part_that_broke_are_not_reported_again() {
    let before = base();
    let mut after = before.clone();
    let changed = field(&mut after, "hostName");
    changed.ty = "i64".to_owned();
    changed.docs = "1".to_owned();
    let limit = param(&mut after, "limit");
    limit.ty = "i64".to_owned();
    limit.docs = "1".to_owned();
    let classes: Vec<ChangeClass> = ApiChanges::between(&before, &after)
        .changes
        .iter()
        .map(|change| change.class)
        .collect();
    assert_eq!(classes, [ChangeClass::Breaking, ChangeClass::Breaking]);
}

#[test]
fn the_layout_keeps_text_outside_ascii_intact() {
    let compact = r#"{"a":[{"é":"説明, {x}: [y]","n":-1.5e3}],"b":"ü"}"#;
    assert_eq!(
        manifest::layout(compact),
        "{\n  \"a\": [\n    {\"é\": \"説明, {x}: [y]\", \"n\": -1.5e3}\n  ],\n  \"b\": \"ü\"\n}"
    );
}
