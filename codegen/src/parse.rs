//! Spec text (YAML or JSON) to an `openapiv3::OpenAPI`: the version checked first, references
//! to other files and deeper pointers bundled (`bundle`), 3.1 brought into the 3.0 shape (`v31`).

mod bundle;
mod chunks;
mod schema_check;
mod v31;
mod wide_integers;

pub(crate) use bundle::{Loader, Origins};

use serde::Deserialize;

use crate::diagnostics::Diagnostic;

/// Parses a spec given as one text: a reference to another file is an error.
pub(crate) fn parse(text: &str) -> Result<(openapiv3::OpenAPI, Vec<Diagnostic>), Vec<Diagnostic>> {
    let refuse = |path: &str| -> Result<String, String> {
        Err(format!(
            "only the spec's own text was given, so `{path}` cannot be read"
        ))
    };
    parse_files(text, "", &refuse).map(|parsed| (parsed.spec, parsed.warnings))
}

/// A parsed spec, the warnings of the parse, and where bundled parts were written.
pub(crate) struct Parsed {
    pub(crate) spec: openapiv3::OpenAPI,
    pub(crate) warnings: Vec<Diagnostic>,
    pub(crate) origins: Origins,
}

/// Parses the spec `text` of the file `root_path`, reading the files its references name
/// through `load`. The version is checked on the plain value before the typed parse, so a
/// Swagger 2.0 document gets a clear message rather than a confusing type error. All errors are
/// returned (several when schemas are mistyped in several places); on success, the warnings of
/// the parse (integer bounds narrowed to 64 bits, what 3.1 says that the code cannot). Every
/// diagnostic names the file and pointer the user wrote.
pub(crate) fn parse_files(
    text: &str,
    root_path: &str,
    load: Loader<'_>,
) -> Result<Parsed, Vec<Diagnostic>> {
    let (mut value, wide) = wide_integers::read(text).map_err(|error| {
        vec![Diagnostic::error(
            "#",
            format!("invalid yaml: {}", describe(&error)),
        )]
    })?;
    let is_v31 = check_version(&value).map_err(|error| vec![error])?;
    let mut origins = Origins::default();
    let mut early = Vec::new();
    if bundle::needed(&value) {
        let (found, diagnostics) = bundle::bundle(&mut value, root_path, load);
        origins = found;
        early.extend(diagnostics);
    }
    if is_v31 && let serde_yaml::Value::Mapping(document) = &mut value {
        early.extend(v31::convert(document));
    }
    let converted = is_v31 || !origins.is_empty();
    if early.iter().any(Diagnostic::is_error) {
        origins.relocate(&mut early);
        return Err(early);
    }
    if let serde_yaml::Value::Mapping(document) = &value {
        let mut errors = schema_check::check(document);
        if !errors.is_empty() {
            origins.relocate(&mut errors);
            return Err(errors);
        }
    }
    let mut warnings = wide_integers::narrow_integer_bounds(&mut value, "#");
    let narrowed = wide || !warnings.is_empty();
    warnings.splice(0..0, early);
    if converted {
        version_as_text(&mut value);
        // The text says something else than the value: errors are located on the value.
        let spec = match openapiv3::OpenAPI::deserialize(&value) {
            Ok(spec) => spec,
            Err(_) => {
                let typed: Result<openapiv3::OpenAPI, _> = serde_path_to_error::deserialize(&value);
                let error = typed.err().map_or_else(
                    || Diagnostic::error("#", "invalid openapi document"),
                    |error| typed_error(&error),
                );
                let mut errors = vec![error];
                origins.relocate(&mut errors);
                return Err(errors);
            }
        };
        origins.relocate(&mut warnings);
        return Ok(Parsed {
            spec,
            warnings,
            origins,
        });
    }
    // The typed parse reads the value already parsed: reading the text again would cost as
    // much as the first parse. Only when that fails is the text parsed again, which keeps line
    // and column in the error and accepts what only YAML's text reading does (a plain scalar
    // such as `version: 1` read as a string).
    // The first read does not track the path (which costs about as much as the read): an error
    // is located by reading again through serde_path_to_error.
    let located = if narrowed {
        value.clone()
    } else {
        serde_yaml::Value::Null
    };
    let typed = match openapiv3::OpenAPI::deserialize(value) {
        Ok(spec) => Ok(spec),
        // Only the narrowed value parses; its errors name the place but not the line.
        Err(_) if narrowed => serde_path_to_error::deserialize(located),
        Err(_) => serde_path_to_error::deserialize(serde_yaml::Deserializer::from_str(text)),
    };
    let spec = typed.map_err(|error| vec![typed_error(&error)])?;
    Ok(Parsed {
        spec,
        warnings,
        origins,
    })
}

/// `version: 1.0` is a number to the value but text to YAML's typed reading of the text.
fn version_as_text(value: &mut serde_yaml::Value) {
    if let Some(version) = value
        .get_mut("info")
        .and_then(|info| info.get_mut("version"))
        && let serde_yaml::Value::Number(number) = version
    {
        *version = serde_yaml::Value::String(number.to_string());
    }
}

fn typed_error(error: &serde_path_to_error::Error<serde_yaml::Error>) -> Diagnostic {
    let at = json_pointer(error.path());
    Diagnostic::error(
        &at,
        format!("invalid openapi 3.0 document: {}", describe(error.inner())),
    )
}

/// The JSON pointer of the place serde was at when it failed. Inside openapiv3's untagged enums
/// serde buffers the input and the path stops at the enum, which is still the right neighbourhood.
fn json_pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    path.iter()
        .fold("#".to_owned(), |at, segment| match segment {
            Segment::Map { key } => crate::diagnostics::pointer(&at, key),
            Segment::Seq { index } => format!("{at}/{index}"),
            Segment::Enum { .. } | Segment::Unknown => at,
        })
}

fn describe(error: &serde_yaml::Error) -> String {
    let text = error.to_string();
    match error.location() {
        Some(location) if !text.contains("line ") => format!(
            "{text} at line {} column {}",
            location.line(),
            location.column()
        ),
        _ => text,
    }
}

/// Whether the document is OpenAPI 3.1 (else 3.0); any other version is an error.
fn check_version(value: &serde_yaml::Value) -> Result<bool, Diagnostic> {
    let serde_yaml::Value::Mapping(document) = value else {
        return Err(Diagnostic::error(
            "#",
            "the document is not a mapping: expected an openapi 3.0 document",
        ));
    };
    if let Some(swagger) = document.get("swagger") {
        return Err(Diagnostic::error(
            "#/swagger",
            format!(
                "swagger {} is not supported: convert the document to openapi 3.0",
                scalar_text(swagger)
            ),
        ));
    }
    let Some(version) = document.get("openapi") else {
        return Err(Diagnostic::error(
            "#",
            "missing `openapi` version: expected an openapi 3.0 document",
        ));
    };
    match version {
        serde_yaml::Value::String(text) if text.starts_with("3.0.") || text == "3.0" => Ok(false),
        serde_yaml::Value::String(text) if v31::is_v31(text) => Ok(true),
        serde_yaml::Value::String(text) => Err(Diagnostic::error(
            "#/openapi",
            format!("openapi {text} is not supported: only openapi 3.0.x and 3.1.x are"),
        )),
        other => Err(Diagnostic::error(
            "#/openapi",
            format!(
                "the version must be a string such as \"3.0.3\", found {}",
                scalar_text(other)
            ),
        )),
    }
}

fn scalar_text(value: &serde_yaml::Value) -> String {
    match value {
        serde_yaml::Value::String(text) => text.clone(),
        serde_yaml::Value::Number(number) => number.to_string(),
        serde_yaml::Value::Bool(flag) => flag.to_string(),
        serde_yaml::Value::Null => "null".to_owned(),
        _ => "a non-scalar value".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error_of(text: &str) -> String {
        match parse(text) {
            Ok(_) => "parsed".to_owned(),
            Err(diagnostics) => diagnostics
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n"),
        }
    }

    #[test]
    fn accepts_yaml_and_json() {
        let yaml = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n";
        assert_eq!(error_of(yaml), "parsed");
        let json = r#"{"openapi": "3.0.0", "info": {"title": "t", "version": "1"}, "paths": {}}"#;
        assert_eq!(error_of(json), "parsed");
    }

    #[test]
    fn yaml_syntax_errors_name_line_and_column() {
        let message = error_of("openapi: 3.0.3\ninfo: [unclosed\n");
        assert!(message.starts_with("error: #: invalid yaml: "), "{message}");
        assert!(message.contains("line 3 column 1"), "{message}");
    }

    #[test]
    fn accepts_openapi_3_1_and_rejects_other_versions() {
        assert_eq!(
            error_of("openapi: 3.1.0\ninfo: {title: t, version: '1'}\n"),
            "parsed"
        );
        assert_eq!(
            error_of("openapi: 3.2.0\ninfo: {title: t, version: '1'}\n"),
            "error: #/openapi: openapi 3.2.0 is not supported: only openapi 3.0.x and 3.1.x are"
        );
    }

    /// OpenAI's spec style: a 3.1 document with literals beyond 64 bits parses, the bounds
    /// narrowed with a warning.
    #[test]
    fn accepts_openapi_3_1_with_wide_integers() {
        let text = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  \
                    schemas:\n    A: {type: [integer, 'null'], minimum: -9223372036854776000}\n";
        let (_, warnings) = parse(text).unwrap_or_else(|errors| panic!("{errors:?}"));
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert_eq!(warnings[0].pointer, "#/components/schemas/A/minimum");
    }

    #[test]
    fn a_3_1_document_that_does_not_parse_is_located_on_the_value() {
        assert_eq!(
            error_of("openapi: 3.1.0\ninfo: {title: t, version: 1.0}\npaths: 5\n")
                .split(": invalid")
                .next(),
            Some("error: #/paths")
        );
    }

    #[test]
    fn a_reference_to_another_file_needs_the_files() {
        let message = error_of(
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  \
             schemas:\n    A: {$ref: 'other.yaml#/B'}\n",
        );
        assert_eq!(
            message,
            "error: #/components/schemas/A: reference `other.yaml#/B`: cannot read `other.yaml`: \
             only the spec's own text was given, so `other.yaml` cannot be read"
        );
    }

    #[test]
    fn accepts_3_0_with_wide_integers_and_warns_for_narrowed_bounds() {
        let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  \
                    schemas:\n    A: {type: integer, minimum: -9223372036854776000, \
                    example: 99999999999999999999, default: 123456789012345678901234}\n";
        let (spec, warnings) = parse(text).unwrap_or_else(|errors| panic!("{errors:?}"));
        assert_eq!(spec.components.map(|c| c.schemas.len()), Some(1));
        let warnings: Vec<String> = warnings.iter().map(ToString::to_string).collect();
        assert_eq!(
            warnings,
            [
                "warning: #/components/schemas/A/minimum: -9.223372036854776e18 is beyond the \
              64-bit integer range; taken as -9223372036854775808"
            ]
        );
    }

    /// With a wide literal the typed parse reads the value, and its errors are still located.
    #[test]
    fn type_errors_beside_wide_integers_are_located() {
        let message = error_of(
            "openapi: 3.0.3\ninfo: {title: t, version: 5}\npaths: {}\nx-big: 99999999999999999999\n",
        );
        assert!(
            message.starts_with("error: #/info/version: invalid openapi 3.0 document: "),
            "{message}"
        );
    }

    #[test]
    fn rejects_swagger_2() {
        assert_eq!(
            error_of("swagger: '2.0'\ninfo: {title: t, version: '1'}\n"),
            "error: #/swagger: swagger 2.0 is not supported: convert the document to openapi 3.0"
        );
    }

    #[test]
    fn rejects_documents_without_a_version_or_not_a_mapping() {
        assert_eq!(
            error_of("info: {}\n"),
            "error: #: missing `openapi` version: expected an openapi 3.0 document"
        );
        assert_eq!(
            error_of("- a\n"),
            "error: #: the document is not a mapping: expected an openapi 3.0 document"
        );
        assert_eq!(
            error_of("openapi: 3.0\n"),
            "error: #/openapi: the version must be a string such as \"3.0.3\", found 3.0"
        );
    }

    #[test]
    fn type_errors_after_the_version_check_are_located() {
        let cases = [
            ("openapi: 3.0.3\ninfo: 5\npaths: {}\n", "error: #/info: "),
            (
                "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: 5\n",
                "error: #/paths: ",
            ),
            (
                "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\nservers: [{url: [1]}]\n",
                "error: #/servers/0/url: ",
            ),
        ];
        for (text, start) in cases {
            let message = error_of(text);
            assert!(message.starts_with(start), "{message}");
            assert!(
                message.contains("invalid openapi 3.0 document: "),
                "{message}"
            );
            assert!(message.contains("line"), "{message}");
        }
    }
}
