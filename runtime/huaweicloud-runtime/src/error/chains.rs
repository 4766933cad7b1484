//! Every error of the crate, walked along its `source()` chain: each cause's text appears once,
//! so a reporter that prints the chain repeats nothing. Exhaustive matches make a new variant fail
//! to compile here until it has a sample.

use std::error::Error as StdError;
use std::path::PathBuf;

use super::*;
use crate::credentials::CredentialsError;
use crate::endpoint::EndpointError;
use crate::iam::ProjectIdError;
use crate::signing::SigningError;

fn error_variant(error: &Error) -> usize {
    match error.repr() {
        Repr::Connect { .. } => 0,
        Repr::Timeout { .. } => 1,
        Repr::ConnectionDropped { .. } => 2,
        Repr::Service { .. } => 3,
        Repr::Decode { .. } => 4,
        Repr::ResponseTooLarge { .. } => 5,
        Repr::InvalidConfig(_) => 6,
        Repr::InvalidArgument { .. } => 7,
        Repr::EncodeBody { .. } => 8,
        Repr::Transport { .. } => 9,
        Repr::UnexpectedStatus { .. } => 10,
        Repr::Protocol { .. } => 11,
        Repr::Credentials(_) => 12,
        Repr::BodyInterrupted { .. } => 13,
    }
}
const ERROR_VARIANTS: usize = 14;

fn config_variant(error: &ConfigError) -> usize {
    match error {
        ConfigError::Credentials(_) => 0,
        ConfigError::Endpoint(_) => 1,
        ConfigError::Setting { .. } => 2,
        ConfigError::ProjectId(_) => 3,
    }
}
const CONFIG_VARIANTS: usize = 4;

fn project_id_variant(error: &ProjectIdError) -> usize {
    match error {
        ProjectIdError::NoProject { .. } => 0,
        ProjectIdError::SeveralProjects { .. } => 1,
        ProjectIdError::TokenCredentials { .. } => 2,
    }
}
const PROJECT_ID_VARIANTS: usize = 3;

fn project_id_errors() -> Vec<ProjectIdError> {
    vec![
        ProjectIdError::NoProject {
            region: "cn-north-4".into(),
            trace_id: Some("trace-1".into()),
        },
        ProjectIdError::SeveralProjects {
            region: "cn-north-4".into(),
            ids: vec!["p1".into(), "p2".into()],
            trace_id: None,
        },
        ProjectIdError::TokenCredentials {
            region: "cn-north-4".into(),
        },
    ]
}

fn credentials_variant(error: &CredentialsError) -> usize {
    match error {
        CredentialsError::Incomplete { .. } => 0,
        CredentialsError::NotFound { .. } => 1,
        CredentialsError::ReadProfile { .. } => 2,
        CredentialsError::ParseProfile { .. } => 3,
        CredentialsError::BadSetting { .. } => 4,
        CredentialsError::Fetch { .. } => 5,
        CredentialsError::BadAnswer { .. } => 6,
        CredentialsError::Expired { .. } => 7,
        CredentialsError::Shared(_) => 8,
    }
}
const CREDENTIALS_VARIANTS: usize = 9;

fn endpoint_variant(error: &EndpointError) -> usize {
    match error {
        EndpointError::NoRegion => 0,
        EndpointError::InvalidRegionId { .. } => 1,
        EndpointError::UnknownRegion { .. } => 2,
        EndpointError::Empty => 3,
        EndpointError::InvalidUrl { .. } => 4,
        EndpointError::UnsupportedScheme { .. } => 5,
        EndpointError::MissingHost { .. } => 6,
        EndpointError::QueryOrFragment { .. } => 7,
        EndpointError::UserInfo { .. } => 8,
        EndpointError::Override { .. } => 9,
    }
}
const ENDPOINT_VARIANTS: usize = 10;

fn signing_variant(error: &SigningError) -> usize {
    match error {
        SigningError::MissingDate => 0,
        SigningError::InvalidKey => 1,
        // A variant the signer added: out of the table, so the coverage test fails and names it.
        _ => SIGNING_VARIANTS,
    }
}
const SIGNING_VARIANTS: usize = 2;

fn credentials_errors() -> Vec<CredentialsError> {
    vec![
        CredentialsError::Incomplete {
            place: "the environment".into(),
            set: vec!["HUAWEICLOUD_SDK_AK".into()],
            missing: vec!["HUAWEICLOUD_SDK_SK".into()],
        },
        CredentialsError::NotFound {
            looked: vec!["explicit settings (none given)".into()],
        },
        CredentialsError::ReadProfile {
            path: PathBuf::from("/home/u/.huaweicloud/credentials"),
            source: std::io::Error::new(std::io::ErrorKind::PermissionDenied, "permission denied"),
        },
        CredentialsError::ParseProfile {
            path: PathBuf::from("/home/u/.huaweicloud/credentials"),
            line: 3,
        },
        CredentialsError::BadSetting {
            provider: "oidc sts".into(),
            variable: "HUAWEICLOUD_OIDC_DURATION_SECONDS".into(),
            message: "is not a positive whole number of seconds".into(),
        },
        fetch_error(),
        CredentialsError::BadAnswer {
            provider: "ecs metadata".into(),
            endpoint: "http://169.254.169.254/openstack/latest/securitykey".into(),
            field: Some("expires_at".into()),
            message: "is missing".into(),
        },
        CredentialsError::Expired {
            provider: "ecs metadata".into(),
            last: std::sync::Arc::new(fetch_error()),
        },
        CredentialsError::Shared(std::sync::Arc::new(CredentialsError::ReadProfile {
            path: PathBuf::from("/p"),
            source: std::io::Error::new(std::io::ErrorKind::PermissionDenied, "denied"),
        })),
    ]
}

fn fetch_error() -> CredentialsError {
    CredentialsError::Fetch {
        provider: "ecs metadata".into(),
        endpoint: "http://169.254.169.254/openstack/latest/securitykey".into(),
        status: Some(500),
        message: "answered 500: {}".into(),
    }
}

fn endpoint_errors() -> Vec<EndpointError> {
    let value = || "ftp://x".to_owned();
    vec![
        EndpointError::NoRegion,
        EndpointError::InvalidRegionId {
            region: "a b".into(),
        },
        EndpointError::UnknownRegion {
            region: "xx-1".into(),
            variable: "HUAWEICLOUD_SDK_REGION_HSS_XX_1".into(),
            known: "cn-north-4, eu-west-101".into(),
        },
        EndpointError::Empty,
        EndpointError::InvalidUrl {
            value: value(),
            reason: "relative URL without a base".into(),
        },
        EndpointError::UnsupportedScheme {
            value: value(),
            scheme: "ftp".into(),
        },
        EndpointError::MissingHost { value: value() },
        EndpointError::QueryOrFragment { value: value() },
        EndpointError::UserInfo { host: "x".into() },
        EndpointError::Override {
            variable: "HUAWEICLOUD_SDK_REGION_HSS_XX_1".into(),
            error: Box::new(EndpointError::Empty),
        },
    ]
}

fn config_errors() -> Vec<ConfigError> {
    let mut errors: Vec<ConfigError> = credentials_errors()
        .into_iter()
        .map(ConfigError::from)
        .collect();
    errors.extend(endpoint_errors().into_iter().map(ConfigError::from));
    errors.extend(project_id_errors().into_iter().map(ConfigError::from));
    errors.push(ConfigError::Setting {
        setting: "proxy",
        message: "is not a valid proxy URL".into(),
    });
    errors
}

fn errors() -> Vec<Error> {
    let encode = serde_json::from_str::<u8>("x").expect_err("not a number");
    let mut headers = HeaderMap::new();
    headers.insert("x-request-id", http::HeaderValue::from_static("rid"));
    let mut errors = vec![
        Error::from(Repr::Connect {
            operation_id: "Op",
            message: "tcp connect error: connection refused".into(),
        }),
        Error::from(Repr::Timeout {
            operation_id: "Op",
            phase: TimeoutPhase::Read,
            limit: Duration::from_secs(1),
        }),
        Error::from(Repr::ConnectionDropped {
            operation_id: "Op",
            message: "connection closed before message completed".into(),
        }),
        Error::service(
            "Op",
            parse_service_error(
                StatusCode::FORBIDDEN,
                &headers,
                br#"{"error_code":"HSS.0003","error_msg":"denied"}"#,
            ),
        ),
        Error::decode(
            "Op",
            StatusCode::OK,
            headers,
            Bytes::from_static(b"x"),
            "expected value at line 1 column 1".into(),
        ),
        Error::too_large("Op", StatusCode::OK, HeaderMap::new(), 10),
        Error::from(Repr::Protocol {
            operation_id: "Op",
            message: "invalid HTTP version parsed".into(),
        }),
        Error::unexpected_status(
            "Op",
            StatusCode::MOVED_PERMANENTLY,
            HeaderMap::new(),
            Bytes::new(),
        ),
        Error::invalid_argument("project_id", "is empty"),
        Error::encode_body("Op", encode),
        Error::from(Repr::Transport {
            operation_id: "Op",
            message: "header x cannot be sent".into(),
        }),
        Error::connection_dropped("Op", "connection reset").with_body_bytes(5, Some(10)),
    ];
    errors.extend(config_errors().into_iter().map(Error::from));
    errors.push(Error::credentials(fetch_error()));
    errors
}

/// The texts of `error` and of each cause after it.
fn chain(error: &dyn StdError) -> Vec<String> {
    let mut texts = vec![error.to_string()];
    let mut cause = error.source();
    while let Some(error) = cause {
        texts.push(error.to_string());
        cause = error.source();
    }
    texts
}

/// Problems of one chain: an empty text, or a cause whose text an earlier level already holds.
fn repeats(error: &dyn StdError) -> Vec<String> {
    let texts = chain(error);
    let mut problems = Vec::new();
    for (index, text) in texts.iter().enumerate() {
        if text.is_empty() {
            problems.push(format!("level {index} of {texts:?} is empty"));
        }
        for earlier in &texts[..index] {
            if earlier.contains(text.as_str()) {
                problems.push(format!("{text:?} is repeated by {earlier:?}"));
            }
        }
    }
    problems
}

#[test]
fn every_variant_has_a_sample() {
    let covered = |variants: Vec<usize>, count: usize, name: &str| {
        let mut seen = vec![false; count];
        for variant in variants {
            seen[variant] = true;
        }
        let missing: Vec<usize> = (0..count).filter(|index| !seen[*index]).collect();
        assert!(
            missing.is_empty(),
            "{name}: no sample of variants {missing:?}"
        );
    };
    covered(
        errors().iter().map(error_variant).collect(),
        ERROR_VARIANTS,
        "Error",
    );
    covered(
        config_errors().iter().map(config_variant).collect(),
        CONFIG_VARIANTS,
        "ConfigError",
    );
    covered(
        credentials_errors()
            .iter()
            .map(credentials_variant)
            .collect(),
        CREDENTIALS_VARIANTS,
        "CredentialsError",
    );
    covered(
        endpoint_errors().iter().map(endpoint_variant).collect(),
        ENDPOINT_VARIANTS,
        "EndpointError",
    );
    covered(
        project_id_errors().iter().map(project_id_variant).collect(),
        PROJECT_ID_VARIANTS,
        "ProjectIdError",
    );
    covered(
        [SigningError::MissingDate, SigningError::InvalidKey]
            .iter()
            .map(signing_variant)
            .collect(),
        SIGNING_VARIANTS,
        "SigningError",
    );
}

#[test]
fn each_cause_is_printed_once() {
    let mut problems = Vec::new();
    for error in errors() {
        problems.extend(repeats(&error));
    }
    for error in [SigningError::MissingDate, SigningError::InvalidKey] {
        problems.extend(repeats(&error));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn causes_stay_reachable() {
    // Described and linked: the message names the failure, the chain holds the cause.
    let encode = Error::encode_body("Op", serde_json::from_str::<u8>("x").expect_err("nan"));
    assert_eq!(
        chain(&encode),
        [
            "Op: could not encode the request body",
            "expected value at line 1 column 1"
        ]
    );
    // Wrapped: the configuration error shows as itself.
    let config = Error::from(ConfigError::from(CredentialsError::ReadProfile {
        path: PathBuf::from("/p"),
        source: std::io::Error::new(std::io::ErrorKind::PermissionDenied, "permission denied"),
    }));
    assert_eq!(
        chain(&config),
        ["could not read credentials file /p", "permission denied"]
    );
}

#[test]
fn the_check_catches_a_repeated_cause() {
    #[derive(Debug, thiserror::Error)]
    #[error("outer: {0}")]
    struct Repeating(#[source] std::io::Error);
    let error = Repeating(std::io::Error::other("inner"));
    assert_eq!(
        repeats(&error),
        ["\"inner\" is repeated by \"outer: inner\""]
    );
}
