//! Lowering tests: small specs in, IR and diagnostics out.

use super::lower;
use crate::ir::{
    Api, BodyEncoding, FloatKind, IntegerKind, Location, Model, ModelKind, Presence, Response,
    Segment, StatusResponses, StatusVariant, Struct, Type,
};

const HEAD: &str = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\n";

/// Lowers `body` (the spec after `openapi` and `info`); diagnostics as display strings.
fn run(body: &str) -> (Api, Vec<String>) {
    let text = format!("{HEAD}{body}");
    let (spec, _) = crate::parse::parse(&text).unwrap_or_else(|errors| panic!("{errors:?}"));
    let (api, diagnostics) = lower(&spec);
    (api, diagnostics.iter().map(ToString::to_string).collect())
}

fn model<'a>(api: &'a Api, name: &str) -> &'a Model {
    api.models.get(name).unwrap_or_else(|| {
        panic!(
            "no model {name} in {:?}",
            api.models.keys().collect::<Vec<_>>()
        )
    })
}

fn structure<'a>(api: &'a Api, name: &str) -> &'a Struct {
    match &model(api, name).kind {
        ModelKind::Struct(object) => object,
        other => panic!("{name} is not a struct: {other:?}"),
    }
}

fn field_types(api: &Api, name: &str) -> Vec<(String, Type, Presence)> {
    structure(api, name)
        .fields
        .iter()
        .map(|f| (f.name.clone(), f.ty.clone(), f.presence))
        .collect()
}

fn named(name: &str) -> Type {
    Type::Named(name.to_owned())
}

fn list(ty: Type) -> Type {
    Type::List(Box::new(ty))
}

#[test]
fn references_to_nothing_are_located_errors() {
    let (_, diagnostics) = run(r#"
paths:
  /a/{id}:
    post:
      operationId: a
      parameters:
        - $ref: '#/components/parameters/Missing'
        - {name: id, in: path, required: true, schema: {type: string}}
      requestBody: {$ref: '#/components/requestBodies/Missing'}
      responses:
        '200': {$ref: '#/components/responses/Missing'}
        '400':
          description: bad
          headers:
            X-Id: {$ref: '#/components/headers/Missing'}
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Missing'}
"#);
    assert_eq!(
        diagnostics,
        [
            "error: #/paths/~1a~1{id}/post/parameters/0: reference `#/components/parameters/Missing` points to nothing",
            "error: #/paths/~1a~1{id}/post/requestBody: reference `#/components/requestBodies/Missing` points to nothing",
            "error: #/paths/~1a~1{id}/post/responses/200: reference `#/components/responses/Missing` points to nothing",
            "error: #/paths/~1a~1{id}/post/responses/400/headers/X-Id: reference `#/components/headers/Missing` points to nothing",
            // Error bodies are lowered too (they become the operation's error-body type).
            "error: #/paths/~1a~1{id}/post/responses/400/content/application~1json/schema: reference `#/components/schemas/Missing` points to nothing",
        ]
    );
}

#[test]
fn schema_references_to_nothing_and_to_another_section_are_errors() {
    let (_, diagnostics) = run(r#"
paths: {}
components:
  schemas:
    A:
      type: object
      properties:
        b: {$ref: '#/components/schemas/B'}
        c: {$ref: '#/components/responses/C'}
"#);
    assert_eq!(
        diagnostics,
        [
            "error: #/components/schemas/A/properties/b: reference `#/components/schemas/B` points to nothing",
            "error: #/components/schemas/A/properties/c: unsupported reference `#/components/responses/C`: expected `#/components/schemas/<name>`",
        ]
    );
}

#[test]
fn reference_cycles_are_located_errors() {
    let (_, diagnostics) = run(r#"
paths: {}
components:
  schemas:
    A: {$ref: '#/components/schemas/B'}
    B: {$ref: '#/components/schemas/A'}
"#);
    assert_eq!(
        diagnostics,
        [
            "error: #/components/schemas/A: reference cycle: #/components/schemas/B -> #/components/schemas/A -> #/components/schemas/B",
            "error: #/components/schemas/B: reference cycle: #/components/schemas/A -> #/components/schemas/B -> #/components/schemas/A",
        ]
    );
}

#[test]
fn component_references_resolve_through_chains_to_aliases() {
    let (api, diagnostics) = run(r#"
paths: {}
components:
  schemas:
    Pet: {type: object, properties: {name: {type: string}}}
    Animal: {$ref: '#/components/schemas/Pet'}
"#);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    assert_eq!(model(&api, "Animal").kind, ModelKind::Alias(named("Pet")));
}

#[test]
fn recursive_structs_are_boxed_but_lists_are_not() {
    let (api, diagnostics) = run(r#"
paths: {}
components:
  schemas:
    Node:
      type: object
      properties:
        next: {$ref: '#/components/schemas/Node'}
        children: {type: array, items: {$ref: '#/components/schemas/Node'}}
"#);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    let boxed: Vec<bool> = structure(&api, "Node")
        .fields
        .iter()
        .map(|f| f.boxed)
        .collect();
    assert_eq!(boxed, [true, false]);
}

const PETS: &str = r#"
paths:
  /pets/{pet_id}:
    parameters:
      - {name: pet_id, in: path, required: true, description: path level, schema: {type: string}}
      - {name: limit, in: query, schema: {type: integer, format: int32}}
    get:
      operationId: getPet
      parameters:
        - {name: limit, in: query, description: operation level, schema: {type: integer, format: int64}}
        - {name: X-Trace, in: header, required: true, schema: {type: string, maxLength: 8}}
        - {name: tags, in: query, schema: {type: array, items: {type: string}}}
        - {name: ids, in: query, explode: false, schema: {type: array, items: {type: integer}}}
        - {name: session, in: cookie, schema: {type: string}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  owner:
                    type: object
                    properties:
                      name: {type: string}
"#;

#[test]
fn path_level_parameters_merge_and_operation_level_ones_override() {
    let (api, diagnostics) = run(PETS);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    let operation = api
        .operations
        .get("get_pet")
        .unwrap_or_else(|| panic!("no get_pet"));
    let params: Vec<(&str, Location, &Type, bool)> = operation
        .params
        .iter()
        .map(|p| (p.name.as_str(), p.location, &p.ty, p.required))
        .collect();
    assert_eq!(
        params,
        [
            ("pet_id", Location::Path, &Type::String, true),
            (
                "limit",
                Location::Query,
                &Type::Integer(IntegerKind::I64),
                false
            ),
            ("x_trace", Location::Header, &Type::String, true),
            ("tags", Location::Query, &list(Type::String), false),
            (
                "ids",
                Location::Query,
                &list(Type::Integer(IntegerKind::I64)),
                false
            ),
            ("session", Location::Cookie, &Type::String, false),
        ]
    );
    assert_eq!(
        operation.params.get(1).map(|p| p.docs.clone()),
        Some(vec![
            "operation level".to_owned(),
            String::new(),
            "Format: `int64`.".to_owned()
        ])
    );
    let separators: Vec<Option<&str>> = operation
        .params
        .iter()
        .map(|p| p.list_separator.as_deref())
        .collect();
    assert_eq!(
        separators,
        [Some(","), None, Some(","), None, Some(","), Some(",")]
    );
    assert_eq!(operation.params.get(2).and_then(|p| p.max_length), Some(8));
    assert_eq!(
        operation.segments,
        [
            Segment::Literal("/pets/".to_owned()),
            Segment::Param("pet_id".to_owned())
        ]
    );
}

#[test]
fn inline_schemas_are_named_after_where_they_appear() {
    let (api, _) = run(PETS);
    let operation = api
        .operations
        .get("get_pet")
        .unwrap_or_else(|| panic!("no get_pet"));
    assert_eq!(operation.builder, "GetPet");
    assert_eq!(operation.response, Response::Json(named("GetPetResponse")));
    assert_eq!(
        field_types(&api, "GetPetResponse"),
        [(
            "owner".to_owned(),
            named("GetPetResponseOwner"),
            Presence::Optional
        )]
    );
    assert!(api.models.contains_key("GetPetResponseOwner"));
}

#[test]
fn arrays_maps_and_numbers_map_to_rust_types() {
    let (api, diagnostics) = run(r#"
paths: {}
components:
  schemas:
    Shapes:
      type: object
      required: [a]
      properties:
        a: {type: array, items: {type: array, items: {type: number, format: float}}}
        b: {type: object, additionalProperties: {type: integer, format: int32}}
        c: {type: object, additionalProperties: true}
        d: {type: object}
        e: {type: number}
        f: {type: integer, format: uint64}
        g: {type: integer}
        h: {}
        i: {type: string, format: date-time}
        j: {type: boolean}
"#);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    let types: Vec<Type> = field_types(&api, "Shapes")
        .into_iter()
        .map(|f| f.1)
        .collect();
    let json_map = Type::Map(Box::new(Type::Json));
    assert_eq!(
        types,
        [
            list(list(Type::Float(FloatKind::F32))),
            Type::Map(Box::new(Type::Integer(IntegerKind::I32))),
            json_map.clone(),
            json_map,
            Type::Float(FloatKind::F64),
            Type::Integer(IntegerKind::U64),
            Type::Integer(IntegerKind::I64),
            Type::Json,
            Type::String,
            Type::Bool,
        ]
    );
    let date_docs = &structure(&api, "Shapes")
        .fields
        .get(8)
        .map(|f| f.docs.clone());
    assert_eq!(
        date_docs.as_deref(),
        Some(&["Format: `date-time` (RFC 3339), kept as a string.".to_owned()][..])
    );
}

#[test]
fn unknown_integer_formats_warn_and_use_i64() {
    let (api, diagnostics) = run(r#"
paths: {}
components:
  schemas:
    Count: {type: integer, format: int128}
"#);
    assert_eq!(
        diagnostics,
        ["warning: #/components/schemas/Count: unknown integer format `int128`; using i64"]
    );
    assert_eq!(
        model(&api, "Count").kind,
        ModelKind::Alias(Type::Integer(IntegerKind::I64))
    );
}

#[test]
fn nullable_and_required_give_four_presences() {
    let (api, _) = run(r#"
paths: {}
components:
  schemas:
    N:
      type: object
      required: [a, b]
      properties:
        a: {type: string}
        b: {type: string, nullable: true}
        c: {type: string}
        d: {type: string, nullable: true}
"#);
    let presences: Vec<Presence> = field_types(&api, "N").into_iter().map(|f| f.2).collect();
    assert_eq!(
        presences,
        [
            Presence::Required,
            Presence::RequiredNullable,
            Presence::Optional,
            Presence::OptionalNullable
        ]
    );
}

#[test]
fn docs_carry_limits_defaults_and_access() {
    let (api, _) = run(r#"
paths: {}
components:
  schemas:
    D:
      type: object
      properties:
        a: {type: string, description: Name., minLength: 1, maxLength: 64, pattern: '^[a-z]+$', default: abc, readOnly: true}
        b: {type: integer, minimum: 1, maximum: 100, exclusiveMaximum: true, writeOnly: true, deprecated: true}
"#);
    let docs: Vec<Vec<String>> = structure(&api, "D")
        .fields
        .iter()
        .map(|f| f.docs.clone())
        .collect();
    assert_eq!(
        docs,
        [
            vec![
                "Name.".to_owned(),
                String::new(),
                "Length: 1..=64. Pattern: `^[a-z]+$`. Default: `\"abc\"`. Read-only: set by the service, not sent in requests.".to_owned()
            ],
            vec!["Minimum: 1. Maximum: 100 (exclusive). Write-only: sent in requests, never returned. Deprecated.".to_owned()],
        ]
    );
}

#[test]
fn string_and_integer_enums_get_variants_with_reserved_unknown() {
    let (api, diagnostics) = run(r#"
paths: {}
components:
  schemas:
    Color: {type: string, enum: [red, unknown, Red, unknown_value]}
    Level: {type: integer, enum: [1, -1, 2]}
"#);
    // A listed `unknown` is expected beside the catch-all `Unknown`: a fixed name, no warning.
    assert_eq!(
        diagnostics,
        [
            "warning: #/components/schemas/Color: enum value `Red` maps to the taken variant name `Red`; it is named `Red2`",
            "warning: #/components/schemas/Color: enum value `unknown_value` maps to the taken variant name `UnknownValue`; it is named `UnknownValue2`",
        ]
    );
    let ModelKind::StringEnum(colors) = &model(&api, "Color").kind else {
        panic!("Color is not a string enum");
    };
    let names: Vec<&str> = colors.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(names, ["Red", "UnknownValue", "Red2", "UnknownValue2"]);
    let ModelKind::IntegerEnum(levels) = &model(&api, "Level").kind else {
        panic!("Level is not an integer enum");
    };
    let names: Vec<(&str, i64)> = levels.iter().map(|v| (v.name.as_str(), v.value)).collect();
    assert_eq!(names, [("V1", 1), ("Minus1", -1), ("V2", 2)]);
}

#[test]
fn all_of_merges_properties_and_requirements_across_parts() {
    let (api, diagnostics) = run(r#"
paths: {}
components:
  schemas:
    Base:
      type: object
      properties:
        id: {type: string}
    Dog:
      allOf:
        - $ref: '#/components/schemas/Base'
        - type: object
          properties:
            bark: {type: boolean}
        - required: [id]
"#);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    assert_eq!(
        field_types(&api, "Dog"),
        [
            ("id".to_owned(), Type::String, Presence::Required),
            ("bark".to_owned(), Type::Bool, Presence::Optional)
        ]
    );
}

#[test]
fn all_of_cycles_are_errors() {
    let (_, diagnostics) = run(r#"
paths: {}
components:
  schemas:
    A:
      allOf:
        - $ref: '#/components/schemas/B'
        - {type: object, properties: {a: {type: string}}}
    B:
      allOf:
        - $ref: '#/components/schemas/A'
        - {type: object, properties: {b: {type: string}}}
"#);
    assert_eq!(
        diagnostics,
        [
            "error: #/components/schemas/B/allOf/0: allOf cycle: #/components/schemas/A -> #/components/schemas/B -> #/components/schemas/A",
            "error: #/components/schemas/A/allOf/0: allOf cycle: #/components/schemas/B -> #/components/schemas/A -> #/components/schemas/B",
        ]
    );
}

#[test]
fn one_of_becomes_a_union_with_discriminator_tags() {
    let (api, diagnostics) = run(r#"
paths: {}
components:
  schemas:
    Cat: {type: object, properties: {kind: {type: string}}}
    Dog: {type: object, properties: {kind: {type: string}}}
    Pet:
      oneOf:
        - $ref: '#/components/schemas/Cat'
        - $ref: '#/components/schemas/Dog'
      discriminator:
        propertyName: kind
        mapping:
          kitty: '#/components/schemas/Cat'
    Id:
      anyOf:
        - {type: string}
        - {type: integer}
"#);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    let ModelKind::Union(pet) = &model(&api, "Pet").kind else {
        panic!("Pet is not a union");
    };
    assert_eq!(pet.discriminator.as_deref(), Some("kind"));
    let variants: Vec<(&str, Vec<String>)> = pet
        .variants
        .iter()
        .map(|v| (v.name.as_str(), v.tags.clone()))
        .collect();
    assert_eq!(
        variants,
        [
            ("Cat", vec!["kitty".to_owned()]),
            ("Dog", vec!["Dog".to_owned()])
        ]
    );
    let ModelKind::Union(id) = &model(&api, "Id").kind else {
        panic!("Id is not a union");
    };
    let names: Vec<&str> = id.variants.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(names, ["String", "Integer"]);
    assert_eq!(id.discriminator, None);
}

#[test]
fn names_that_are_keywords_digits_or_collide_are_repaired_with_warnings() {
    let (api, diagnostics) = run(r#"
paths: {}
components:
  schemas:
    pet_info: {type: object, properties: {type: {type: string}, self: {type: string}, 2nd: {type: string}, Type: {type: string}}}
    PetInfo: {type: string}
"#);
    assert_eq!(
        diagnostics,
        [
            "warning: #/components/schemas/pet_info: the type name `PetInfo` is already taken; this schema is named `PetInfo2`",
            "warning: #/components/schemas/pet_info/properties/Type: property `Type` maps to the taken field name `type`; it is named `type_2`",
        ]
    );
    let fields: Vec<(String, String)> = structure(&api, "PetInfo2")
        .fields
        .iter()
        .map(|f| (f.name.clone(), f.wire_name.clone()))
        .collect();
    let expected = [
        ("type", "type"),
        ("self_", "self"),
        ("_2nd", "2nd"),
        ("type_2", "Type"),
    ];
    let expected: Vec<(String, String)> = expected
        .iter()
        .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
        .collect();
    assert_eq!(fields, expected);
    assert_eq!(model(&api, "PetInfo").kind, ModelKind::Alias(Type::String));
}

#[test]
fn operation_ids_missing_duplicated_or_colliding() {
    let (api, diagnostics) = run(r#"
paths:
  /a:
    get: {operationId: listThings, responses: {'204': {description: none}}}
    post: {operationId: listThings, responses: {'204': {description: none}}}
  /b/{id}:
    delete: {parameters: [{name: id, in: path, required: true, schema: {type: string}}], responses: {'204': {description: none}}}
  /c:
    get: {operationId: list_things, responses: {'204': {description: none}}}
    put: {operationId: builder, responses: {'204': {description: none}}}
"#);
    assert_eq!(
        diagnostics,
        [
            "error: #/paths/~1a/post/operationId: duplicate operationId `listThings`, first used at #/paths/~1a/get",
            "warning: #/paths/~1a/post: the method name `list_things` is already taken; this operation is named `list_things_2`",
            "warning: #/paths/~1b~1{id}/delete: missing operationId; the operation is named `delete_b_id`",
            "warning: #/paths/~1c/get: the method name `list_things` is already taken; this operation is named `list_things_3`",
            "warning: #/paths/~1c/put: the method name `builder` is already taken; this operation is named `builder_2`",
        ]
    );
    assert!(api.operations.contains_key("delete_b_id"));
}

#[test]
fn path_templates_and_parameters_must_match() {
    let (_, diagnostics) = run(r#"
paths:
  /a/{id}/{other}:
    get:
      operationId: a
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
        - {name: extra, in: path, required: true, schema: {type: string}}
      responses: {'204': {description: none}}
  /b/{open:
    get: {operationId: b, responses: {'204': {description: none}}}
"#);
    assert_eq!(
        diagnostics,
        [
            "error: #/paths/~1a~1{id}~1{other}/get: path template variable `{other}` has no path parameter",
            "error: #/paths/~1a~1{id}~1{other}/get: path parameter `extra` does not appear in the path template",
            "error: #/paths/~1b~1{open/get: unclosed `{` in path template `/b/{open`",
        ]
    );
}

#[test]
fn request_bodies_pick_a_media_type_and_name_inline_schemas() {
    let (api, diagnostics) = run(r#"
paths:
  /json:
    post:
      operationId: sendJson
      requestBody:
        content:
          text/plain: {schema: {type: string}}
          application/merge-patch+json: {schema: {type: object, properties: {a: {type: string}}}}
      responses: {'204': {description: none}}
  /upload:
    post:
      operationId: upload
      requestBody:
        required: true
        content:
          multipart/form-data: {schema: {type: object}}
      responses: {'204': {description: none}}
  /octets:
    put:
      operationId: putOctets
      requestBody:
        required: true
        content:
          application/octet-stream: {}
      responses: {'204': {description: none}}
"#);
    assert_eq!(
        diagnostics,
        [
            "warning: #/paths/~1upload/post/requestBody/content/multipart~1form-data: a multipart body without an object schema is not encoded by the generator; the caller passes the encoded bytes"
        ]
    );
    let body = |name: &str| {
        api.operations
            .get(name)
            .and_then(|o| o.body.clone())
            .map(|b| (b.ty, b.required, b.encoding))
    };
    assert_eq!(
        body("send_json"),
        Some((
            named("SendJsonRequestBody"),
            false,
            BodyEncoding::Json("application/merge-patch+json".to_owned())
        ))
    );
    assert_eq!(
        body("upload"),
        Some((
            Type::Stream,
            true,
            BodyEncoding::Raw("multipart/form-data".to_owned())
        ))
    );
    assert_eq!(
        body("put_octets"),
        Some((
            Type::Stream,
            true,
            BodyEncoding::Raw("application/octet-stream".to_owned())
        ))
    );
}

#[test]
fn uploads_are_streams_unless_their_model_serves_elsewhere_too() {
    let (api, diagnostics) = run(r#"
paths:
  /only-upload:
    post:
      operationId: onlyUpload
      requestBody:
        content:
          multipart/form-data: {schema: {$ref: '#/components/schemas/Only'}}
      responses: {'204': {description: none}}
  /shared-upload:
    post:
      operationId: sharedUpload
      requestBody:
        content:
          multipart/form-data: {schema: {$ref: '#/components/schemas/Shared'}}
      responses: {'204': {description: none}}
  /shared-read:
    get:
      operationId: sharedRead
      responses:
        '200': {description: a, content: {application/json: {schema: {$ref: '#/components/schemas/Shared'}}}}
components:
  schemas:
    Only:
      type: object
      required: [file]
      properties:
        file: {type: string, format: binary}
        files: {type: array, items: {type: string, format: binary}}
        note: {type: string}
    Shared:
      type: object
      properties:
        file: {type: string, format: binary}
"#);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    let field_types = |model: &str| -> Vec<(String, Type)> {
        match api.models.get(model).map(|m| &m.kind) {
            Some(ModelKind::Struct(object)) => object
                .fields
                .iter()
                .map(|f| (f.wire_name.clone(), f.ty.clone()))
                .collect(),
            other => panic!("{model}: {other:?}"),
        }
    };
    // Only a multipart body uses `Only`: its file parts are streams, its text part stays.
    assert_eq!(
        field_types("Only"),
        [
            ("file".to_owned(), Type::Stream),
            ("files".to_owned(), Type::List(Box::new(Type::Stream))),
            ("note".to_owned(), Type::String),
        ]
    );
    // `Shared` is also an answer, which must stay cloneable and comparable.
    assert_eq!(field_types("Shared"), [("file".to_owned(), Type::String)]);
    let streams = |name: &str| {
        api.operations
            .get(name)
            .and_then(|o| o.body.as_ref())
            .map(|b| b.streams)
    };
    assert_eq!(streams("only_upload"), Some(true));
    assert_eq!(streams("shared_upload"), Some(false));
}

#[test]
fn success_responses_decide_the_return_type() {
    let (api, diagnostics) = run(r#"
paths:
  /same:
    get:
      operationId: same
      responses:
        '200': {description: a, content: {application/json: {schema: {$ref: '#/components/schemas/S'}}}}
        '201': {description: b, content: {application/json: {schema: {$ref: '#/components/schemas/S'}}}}
  /different:
    get:
      operationId: different
      responses:
        2XX: {description: c, content: {text/plain: {schema: {type: string}}}}
        '200': {description: a, content: {application/json: {schema: {$ref: '#/components/schemas/S'}}}}
        '204': {description: none}
  /different-response:
    get:
      operationId: differentResponse
      responses:
        '204': {description: none}
  /different-2:
    get:
      operationId: different_2
      responses:
        '200': {description: a}
        '201': {description: b, content: {text/plain: {schema: {type: string}}}}
  /text:
    get:
      operationId: text
      responses:
        '200': {description: a, content: {text/plain: {schema: {type: string}}}}
        default: {description: error, content: {application/json: {schema: {$ref: '#/components/schemas/S'}}}}
components:
  schemas:
    S: {type: object, properties: {a: {type: string}}}
"#);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    let response = |name: &str| api.operations.get(name).map(|o| o.response.clone());
    assert_eq!(response("same"), Some(Response::Json(named("S"))));
    assert_eq!(response("text"), Some(Response::Text));
    let variant = |status: &str, variant: &str, body: Response, docs: &[&str]| StatusVariant {
        status: status.to_owned(),
        variant: variant.to_owned(),
        body,
        docs: docs.iter().map(|line| (*line).to_owned()).collect(),
    };
    // Exact statuses before ranges, whatever the spec's order; never merged. The enum's name is
    // claimed against the builders: `DifferentResponse` is one already.
    assert_eq!(
        response("different"),
        Some(Response::ByStatus(StatusResponses {
            name: "DifferentResponse2".to_owned(),
            variants: vec![
                variant(
                    "200",
                    "Status200",
                    Response::Json(named("S")),
                    &["`200`", "", "a"]
                ),
                variant("204", "Status204", Response::Empty, &["`204`", "", "none"]),
                variant("2XX", "Status2xx", Response::Text, &["`2XX`", "", "c"]),
            ],
        }))
    );
    assert_eq!(
        api.operations.get("different_2").map(|o| &o.response),
        Some(&Response::ByStatus(StatusResponses {
            name: "Different2Response".to_owned(),
            variants: vec![
                variant("200", "Status200", Response::Empty, &["`200`", "", "a"]),
                variant("201", "Status201", Response::Text, &["`201`", "", "b"]),
            ],
        }))
    );
}

#[test]
fn deprecation_notes_come_from_the_extension_or_a_default() {
    let (api, _) = run(r#"
paths:
  /a:
    get: {operationId: a, deprecated: true, x-deprecation-note: use b, responses: {'204': {description: none}}}
    put: {operationId: b, deprecated: true, responses: {'204': {description: none}}}
    post: {operationId: c, responses: {'204': {description: none}}}
"#);
    let note = |name: &str| api.operations.get(name).and_then(|o| o.deprecated.clone());
    assert_eq!(note("a").as_deref(), Some("use b"));
    assert_eq!(
        note("b").as_deref(),
        Some("this operation is deprecated by the API")
    );
    assert_eq!(note("c"), None);
}

/// `x-client-default` is accepted only where the runtime can fill the parameter: a string path
/// parameter and a setting the runtime has; anything else is a located error.
#[test]
fn client_defaults_name_settings_the_runtime_can_fill() {
    let (api, diagnostics) = run(r#"
paths:
  /a/{project_id}/{pid}/{n}/{tenant}/{x}/{plain}:
    get:
      operationId: a
      parameters:
        - {name: project_id, in: path, required: true, x-client-default: true, schema: {type: string}}
        - {name: pid, in: path, required: true, x-client-default: project_id, schema: {type: string}}
        - {name: n, in: path, required: true, x-client-default: project_id, schema: {type: integer}}
        - {name: tenant, in: path, required: true, x-client-default: true, schema: {type: string}}
        - {name: x, in: path, required: true, x-client-default: 5, schema: {type: string}}
        - {name: plain, in: path, required: true, x-client-default: false, schema: {type: string}}
        - {name: q, in: query, x-client-default: project_id, schema: {type: string}}
      responses: {'204': {description: none}}
"#);
    let at = "#/paths/~1a~1{project_id}~1{pid}~1{n}~1{tenant}~1{x}~1{plain}/get/parameters";
    assert_eq!(
        diagnostics,
        [
            format!(
                "error: {at}/2/x-client-default: `x-client-default` applies only to string path parameters, and `n` is not one"
            ),
            format!(
                "error: {at}/3/x-client-default: the client has no setting `tenant` to fill parameter `tenant` with; it can fill: `project_id`"
            ),
            format!(
                "error: {at}/4/x-client-default: `x-client-default` must be `true` or the name of a client setting"
            ),
            format!(
                "error: {at}/6/x-client-default: `x-client-default` applies only to string path parameters, and `q` is not one"
            ),
        ]
    );
    let defaults: Vec<Option<(String, String)>> = api
        .operations
        .get("a")
        .map(|o| {
            o.params
                .iter()
                .map(|p| {
                    p.client_default
                        .as_ref()
                        .map(|d| (d.setting.clone(), d.variant.clone()))
                })
                .collect()
        })
        .unwrap_or_default();
    let project = Some(("project_id".to_owned(), "ProjectId".to_owned()));
    assert_eq!(
        defaults,
        [project.clone(), project, None, None, None, None, None]
    );
}

#[test]
fn parameters_without_display_are_sent_as_json_text() {
    let (api, diagnostics) = run(r#"
paths:
  /a:
    get:
      operationId: a
      parameters:
        - {name: filter, in: query, schema: {type: object, properties: {x: {type: string}}}}
        - {name: id, in: query, schema: {oneOf: [{type: string, title: name}, {type: integer}]}}
        - {name: n, in: query, schema: {type: integer}}
        - {name: deep, in: query, style: deepObject, schema: {type: object}}
      responses: {'204': {description: none}}
"#);
    assert_eq!(
        diagnostics,
        [
            // A deepObject parameter is sent member by member, not as JSON text.
            "warning: #/paths/~1a/get/parameters/0: parameter `filter` is not a scalar; it is sent as JSON text",
        ]
    );
    let as_json: Vec<(String, bool)> = api
        .operations
        .get("a")
        .map(|o| {
            o.params
                .iter()
                .map(|p| (p.name.clone(), p.as_json))
                .collect()
        })
        .unwrap_or_default();
    let expected = [
        ("filter", true),
        ("id", true),
        ("n", false),
        ("deep", false),
    ];
    let expected: Vec<(String, bool)> = expected
        .iter()
        .map(|(n, j)| ((*n).to_owned(), *j))
        .collect();
    assert_eq!(as_json, expected);
}

#[test]
fn single_part_wrappers_are_their_part_and_titles_name_variants() {
    let (api, diagnostics) = run(r#"
paths: {}
components:
  schemas:
    SortMode:
      description: How to sort.
      oneOf:
        - {type: string, enum: [ascending]}
    NameOrId:
      oneOf:
        - {title: id, type: string, format: uuid}
        - {title: name, type: string}
"#);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    assert!(matches!(
        model(&api, "SortMode").kind,
        ModelKind::StringEnum(_)
    ));
    assert!(!api.models.contains_key("SortMode2"));
    let ModelKind::Union(union) = &model(&api, "NameOrId").kind else {
        panic!("NameOrId is not a union");
    };
    let names: Vec<&str> = union.variants.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(names, ["Id", "Name"]);
}

#[test]
fn referenced_properties_take_the_summary_of_their_type() {
    let (api, _) = run(r#"
paths: {}
components:
  schemas:
    Kind: {type: string, description: "The kind.\n\nMore detail.", maxLength: 9}
    Thing: {type: object, properties: {kind: {$ref: '#/components/schemas/Kind'}}}
"#);
    let docs: Vec<Vec<String>> = structure(&api, "Thing")
        .fields
        .iter()
        .map(|f| f.docs.clone())
        .collect();
    assert_eq!(docs, [vec!["The kind.".to_owned()]]);
}

#[test]
fn parameters_may_reference_aliases_of_scalars() {
    let (api, diagnostics) = run(r#"
paths:
  /a:
    get:
      operationId: a
      parameters:
        - {name: id, in: query, schema: {$ref: '#/components/schemas/Id'}}
      responses: {'204': {description: none}}
components:
  schemas:
    Id: {$ref: '#/components/schemas/RawId'}
    RawId: {type: string}
"#);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    let types: Vec<Type> = api
        .operations
        .get("a")
        .map(|o| o.params.iter().map(|p| p.ty.clone()).collect())
        .unwrap_or_default();
    assert_eq!(types, [named("Id")]);
}

#[test]
fn required_read_only_and_write_only_properties_are_optional() {
    let (api, _) = run(r#"
paths: {}
components:
  schemas:
    User:
      type: object
      required: [id, name, password]
      properties:
        id: {type: string, readOnly: true}
        name: {type: string}
        password: {type: string, writeOnly: true}
"#);
    let presences: Vec<Presence> = field_types(&api, "User").into_iter().map(|f| f.2).collect();
    assert_eq!(
        presences,
        [Presence::Optional, Presence::Required, Presence::Optional]
    );
    let id_docs = structure(&api, "User")
        .fields
        .first()
        .map(|f| f.docs.clone());
    assert_eq!(
        id_docs.and_then(|docs| docs.last().cloned()).as_deref(),
        Some("Required in responses only, so optional here.")
    );
}

#[test]
fn only_inline_password_strings_are_secret_fields() {
    let (api, _) = run(r#"
paths: {}
components:
  schemas:
    Password:
      type: string
      format: password
    Login:
      type: object
      properties:
        secret: {type: string, format: password}
        plain: {type: string}
        pin: {type: integer, format: password}
        referenced: {$ref: '#/components/schemas/Password'}
        list: {type: array, items: {type: string, format: password}}
"#);
    let sensitive: Vec<(&str, bool)> = structure(&api, "Login")
        .fields
        .iter()
        .map(|field| (field.name.as_str(), field.sensitive))
        .collect();
    assert_eq!(
        sensitive,
        [
            ("secret", true),
            ("plain", false),
            ("pin", false),
            ("referenced", false),
            ("list", false)
        ]
    );
}

#[test]
fn error_bodies_by_status_exist_only_when_one_has_content() {
    let (api, diagnostics) = run(r#"
paths:
  /a:
    get:
      operationId: a
      responses:
        '204': {description: ok}
        default: {description: other, content: {application/json: {schema: {type: object}}}}
        5XX: {description: server}
        '409': {description: conflict, content: {application/json: {schema: {type: object, properties: {x: {type: string}}}}}}
  /b:
    get:
      operationId: b
      responses:
        '204': {description: ok}
        '404': {description: missing}
"#);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    let errors = |name: &str| api.operations.get(name).and_then(|o| o.errors.clone());
    let summary: Option<Vec<(String, String, Response)>> = errors("a").map(|errors| {
        errors
            .variants
            .into_iter()
            .map(|v| (v.status, v.variant, v.body))
            .collect()
    });
    assert_eq!(
        summary,
        Some(vec![
            (
                "409".to_owned(),
                "Status409".to_owned(),
                Response::Json(named("AError409"))
            ),
            ("5XX".to_owned(), "Status5xx".to_owned(), Response::Empty),
            (
                "default".to_owned(),
                "Default".to_owned(),
                Response::Json(Type::Map(Box::new(Type::Json)))
            ),
        ])
    );
    assert_eq!(errors("a").map(|e| e.name), Some("AErrorBody".to_owned()));
    assert_eq!(errors("b"), None);
}

#[test]
fn success_response_headers_merge_case_insensitively_and_type_scalars() {
    let (api, diagnostics) = run(r#"
paths:
  /a:
    get:
      operationId: a
      responses:
        '200':
          description: ok
          headers:
            ETag: {$ref: '#/components/headers/ETag'}
            X-Count: {schema: {type: integer, format: int32}}
        '2XX':
          description: ok
          headers:
            etag: {schema: {type: integer}}
            X-Done: {schema: {type: boolean}}
            X-List: {schema: {type: array, items: {type: string}}}
        '500':
          description: bad
          headers:
            X-Error: {schema: {type: string}}
    put: {operationId: b, responses: {'204': {description: none}}}
components:
  headers:
    ETag: {description: The tag., schema: {type: string}}
"#);
    let headers = api
        .operations
        .get("a")
        .and_then(|o| o.response_headers.as_ref())
        .map(|h| {
            (
                h.name.clone(),
                h.headers
                    .iter()
                    .map(|h| (h.name.clone(), h.wire_name.clone(), h.ty.clone()))
                    .collect::<Vec<_>>(),
            )
        });
    let header = |name: &str, wire: &str, ty: Type| (name.to_owned(), wire.to_owned(), ty);
    assert_eq!(
        headers,
        Some((
            "AResponseHeaders".to_owned(),
            vec![
                header("e_tag", "ETag", Type::String),
                header("x_count", "X-Count", Type::Integer(IntegerKind::I32)),
                header("x_done", "X-Done", Type::Bool),
                header("x_list", "X-List", Type::String),
            ]
        ))
    );
    assert_eq!(
        diagnostics,
        [
            "warning: #/paths/~1a/get/responses/2XX/headers/X-List: response header `X-List` is not a string, integer, number or boolean; it is read as text"
        ]
    );
    assert_eq!(
        api.operations
            .get("b")
            .map(|o| o.response_headers.is_some()),
        Some(false)
    );
}

#[test]
fn deprecated_parameters_and_inline_properties_are_marked() {
    let (api, _) = run(r#"
paths:
  /a:
    get:
      operationId: a
      parameters:
        - {name: old, in: query, deprecated: true, schema: {type: string}}
        - {name: noted, in: query, deprecated: true, x-deprecation-note: use new, schema: {type: string}}
        - {name: new, in: query, schema: {type: string}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/T'}
components:
  schemas:
    Old: {type: object, deprecated: true, properties: {id: {type: string}}}
    T:
      type: object
      properties:
        gone: {type: string, deprecated: true}
        old: {$ref: '#/components/schemas/Old'}
"#);
    let notes: Vec<_> = api
        .operations
        .get("a")
        .map(|o| o.params.iter().map(|p| p.deprecated.clone()).collect())
        .unwrap_or_default();
    assert_eq!(
        notes,
        [
            Some("this parameter is deprecated by the API".to_owned()),
            Some("use new".to_owned()),
            None
        ]
    );
    let fields: Vec<_> = structure(&api, "T")
        .fields
        .iter()
        .map(|f| (f.name.as_str(), f.deprecated))
        .collect();
    // A deprecated component deprecates its type, not the fields that use it.
    assert_eq!(fields, [("gone", true), ("old", false)]);
}

#[test]
fn enum_values_differing_by_sign_or_punctuation_get_distinct_variants() {
    let (api, diagnostics) = run(r#"
paths: {}
components:
  schemas:
    I: {type: integer, enum: [+1, 1, -1]}
    S: {type: string, enum: ['+1', '1', '-1', '1.5', '15', 'V1', '-', '+', '+']}
"#);
    let integer: Vec<(String, i64)> = match &model(&api, "I").kind {
        ModelKind::IntegerEnum(variants) => {
            variants.iter().map(|v| (v.name.clone(), v.value)).collect()
        }
        other => panic!("not an integer enum: {other:?}"),
    };
    assert_eq!(integer, [("V1".to_owned(), 1), ("Minus1".to_owned(), -1)]);
    let string: Vec<String> = match &model(&api, "S").kind {
        ModelKind::StringEnum(variants) => variants.iter().map(|v| v.name.clone()).collect(),
        other => panic!("not a string enum: {other:?}"),
    };
    assert_eq!(
        string,
        [
            "Plus1", "V1", "Minus1", "V1_5", "V15", "V1_2", "Minus", "Plus"
        ]
    );
    assert_eq!(
        diagnostics,
        [
            "warning: #/components/schemas/I/enum: enum value `1` is repeated; the repeat is ignored",
            "warning: #/components/schemas/S/enum: enum value `+` is repeated; the repeat is ignored",
            "warning: #/components/schemas/S: enum value `V1` maps to the taken variant name `V1`; it is named `V1_2`",
        ]
    );
}

/// `x-huaweicloud-service.api-reference`: an https URL with one `{operationId}`; anything else
/// is an error at the key.
#[test]
fn api_reference_templates_are_checked() {
    let at = "#/x-huaweicloud-service/api-reference";
    #[rustfmt::skip]
    let cases: &[(&str, Option<&str>)] = &[
        ("'https://docs.example.com/api?op={operationId}'", None),
        ("'http://docs.example.com/{operationId}'", Some("is not an https:// URL")),
        ("'https://docs.example.com/'", Some("holds no `{operationId}`")),
        ("'https://docs.example.com/{operationId}/{operationId}'", Some("holds a space, a bracket or a second placeholder")),
        ("'https://docs.example.com/a b/{operationId}'", Some("holds a space, a bracket or a second placeholder")),
        ("42", Some("expected a URL with `{operationId}`, found 42")),
    ];
    for (value, problem) in cases {
        let (api, diagnostics) = run(&format!(
            "x-huaweicloud-service: {{name: SVC, api-reference: {value}}}\npaths: {{}}\n"
        ));
        match problem {
            None => {
                assert_eq!(diagnostics, Vec::<String>::new(), "{value}");
                assert_eq!(
                    api.service.api_reference.as_deref(),
                    Some("https://docs.example.com/api?op={operationId}")
                );
            }
            Some(problem) => {
                assert_eq!(diagnostics.len(), 1, "{value}: {diagnostics:?}");
                assert!(
                    diagnostics[0].starts_with(&format!("error: {at}: "))
                        && diagnostics[0].ends_with(problem),
                    "{value}: {diagnostics:?}"
                );
                assert_eq!(api.service.api_reference, None);
            }
        }
    }
}

/// A body the spec leaves optional is still required when its model has a required field (a call
/// without it can only be refused); a model without required fields keeps it optional.
#[test]
fn a_body_whose_model_has_required_fields_is_required() {
    let (api, diagnostics) = run(r#"
paths:
  /a:
    post:
      operationId: withRequired
      requestBody: {content: {application/json: {schema: {$ref: '#/components/schemas/Named'}}}}
      responses: {'204': {description: none}}
  /b:
    post:
      operationId: withoutRequired
      requestBody: {content: {application/json: {schema: {$ref: '#/components/schemas/Loose'}}}}
      responses: {'204': {description: none}}
components:
  schemas:
    Named: {type: object, required: [name], properties: {name: {type: string}}}
    Loose: {type: object, properties: {name: {type: string}}}
"#);
    assert_eq!(diagnostics, Vec::<String>::new());
    let required = |name: &str| {
        api.operations
            .get(name)
            .and_then(|operation| operation.body.as_ref())
            .map(|body| body.required)
    };
    assert_eq!(required("with_required"), Some(true));
    assert_eq!(required("without_required"), Some(false));
}
