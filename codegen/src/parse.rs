//! Spec text (YAML or JSON) to an `openapiv3::OpenAPI`, rejecting documents of other versions first.

mod schema_check;
mod wide_integers;

use serde::Deserialize;

use crate::diagnostics::Diagnostic;

/// Parses the spec; the version is checked on a plain YAML value before the typed parse, so a
/// Swagger 2.0 or OpenAPI 3.1 document gets a clear message rather than a confusing type error.
/// All errors are returned (several when schemas are mistyped in several places); on success,
/// the warnings of the parse (integer bounds narrowed to 64 bits).
pub(crate) fn parse(text: &str) -> Result<(openapiv3::OpenAPI, Vec<Diagnostic>), Vec<Diagnostic>> {
    let (mut value, wide) = wide_integers::read(text).map_err(|error| {
        vec![Diagnostic::error(
            "#",
            format!("invalid yaml: {}", describe(&error)),
        )]
    })?;
    check_version(&value).map_err(|error| vec![error])?;
    if let serde_yaml::Value::Mapping(document) = &value {
        let errors = schema_check::check(document);
        if !errors.is_empty() {
            return Err(errors);
        }
    }
    let warnings = wide_integers::narrow_integer_bounds(&mut value, "#");
    // The typed parse reads the value already parsed: reading the text again would cost as
    // much as the first parse. Only when that fails is the text parsed again, which keeps line
    // and column in the error and accepts what only YAML's text reading does (a plain scalar
    // such as `version: 1` read as a string).
    // The first read does not track the path (which costs about as much as the read): an error
    // is located by reading again through serde_path_to_error.
    let narrowed = wide || !warnings.is_empty();
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
    let spec = typed.map_err(|error| {
        let at = json_pointer(error.path());
        vec![Diagnostic::error(
            &at,
            format!("invalid openapi 3.0 document: {}", describe(error.inner())),
        )]
    })?;
    Ok((spec, warnings))
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

fn check_version(value: &serde_yaml::Value) -> Result<(), Diagnostic> {
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
        serde_yaml::Value::String(text) if text.starts_with("3.0.") || text == "3.0" => Ok(()),
        serde_yaml::Value::String(text) => Err(Diagnostic::error(
            "#/openapi",
            format!("openapi {text} is not supported: only openapi 3.0.x is"),
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
    fn rejects_openapi_3_1() {
        assert_eq!(
            error_of("openapi: 3.1.0\ninfo: {title: t, version: '1'}\n"),
            "error: #/openapi: openapi 3.1.0 is not supported: only openapi 3.0.x is"
        );
    }

    /// OpenAI's spec style: a 3.1 document with literals beyond 64 bits is refused for its
    /// version, not as invalid YAML.
    #[test]
    fn rejects_openapi_3_1_with_wide_integers_for_its_version() {
        assert_eq!(
            error_of(
                "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  \
                 schemas:\n    A: {type: integer, minimum: -9223372036854776000}\n"
            ),
            "error: #/openapi: openapi 3.1.0 is not supported: only openapi 3.0.x is"
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
