//! Proves that no secret (secret key, security token, IAM token, URL password) shows in the
//! `Debug` or `Display` output of the credentials, signing and endpoint types or their errors.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use hss_client::runtime::credentials::{
    CredentialSource, Credentials, CredentialsError, ResolvedCredentials, Secret,
};
use hss_client::runtime::endpoint::{Endpoint, resolve_endpoint};
use hss_client::runtime::signing::{self, SigningError, SigningInput};

const SK: &str = "SK-SECRET-d6f1c0ffee";
const TOKEN: &str = "SECURITY-TOKEN-SECRET-5ca1ab1e";
const IAM_TOKEN: &str = "IAM-TOKEN-SECRET-b16b00b5";
const PASSWORD: &str = "URL-PASSWORD-SECRET-f00d";
const SECRETS: &[&str] = &[SK, TOKEN, IAM_TOKEN, PASSWORD];

fn env_of(vars: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> + use<> {
    let vars: HashMap<String, String> = vars
        .iter()
        .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
        .collect();
    move |name| vars.get(name).cloned()
}

fn temp_home(name: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("hss-client-no-leak-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join(".huaweicloud")).expect("create temp home");
    dir
}

fn profile(name: &str, text: &str) -> PathBuf {
    let home = temp_home(name);
    std::fs::write(home.join(".huaweicloud/credentials"), text).expect("write profile");
    home
}

fn from_profile(home: &Path) -> Result<ResolvedCredentials, CredentialsError> {
    Credentials::from_env_with(env_of(&[]), Some(home))
}

/// Every rendering of `value` a log line or error report could use.
fn renderings_debug<T: std::fmt::Debug>(value: &T) -> Vec<String> {
    vec![format!("{value:?}"), format!("{value:#?}")]
}

fn renderings_error<T: std::fmt::Debug + std::fmt::Display>(value: &T) -> Vec<String> {
    vec![
        format!("{value:?}"),
        format!("{value:#?}"),
        format!("{value}"),
        format!("{value:#}"),
    ]
}

#[test]
fn no_secret_in_debug_or_display() {
    let mut outputs: Vec<(String, String)> = Vec::new();
    let mut record = |what: &str, texts: Vec<String>| {
        outputs.extend(texts.into_iter().map(|text| (what.to_owned(), text)));
    };

    // Credentials types.
    record("Secret", renderings_error(&Secret::new(SK)));
    record(
        "permanent",
        renderings_debug(&Credentials::permanent("AK", SK)),
    );
    record(
        "temporary",
        renderings_debug(&Credentials::temporary("AK", SK, TOKEN)),
    );
    record(
        "iam token",
        renderings_debug(&Credentials::iam_token(IAM_TOKEN)),
    );
    let from_env = Credentials::from_env_with(
        env_of(&[
            ("HUAWEICLOUD_SDK_AK", "AK"),
            ("HUAWEICLOUD_SDK_SK", SK),
            ("HUAWEICLOUD_SDK_SECURITY_TOKEN", TOKEN),
        ]),
        None,
    )
    .expect("resolves from the environment");
    record("resolved from env", renderings_debug(&from_env));
    let home = profile(
        "ok",
        &format!("[basic]\nak = AK\nsk = {SK}\nsecurity_token = {TOKEN}\n"),
    );
    let from_file = from_profile(&home).expect("resolves from the profile");
    assert!(matches!(from_file.source, CredentialSource::ProfileFile(_)));
    record("resolved from file", renderings_debug(&from_file));
    record("source", renderings_error(&from_file.source));
    let explicit =
        ResolvedCredentials::resolve(Some(Credentials::iam_token(IAM_TOKEN)), env_of(&[]), None)
            .expect("explicit");
    record("resolved explicit", renderings_debug(&explicit));

    // Every credentials error, built from inputs full of secrets.
    let errors: Vec<(&str, CredentialsError)> = vec![
        (
            "env sk without ak",
            Credentials::from_env_with(env_of(&[("HUAWEICLOUD_SDK_SK", SK)]), None)
                .expect_err("incomplete"),
        ),
        (
            "env token without ak/sk",
            Credentials::from_env_with(env_of(&[("HUAWEICLOUD_SDK_SECURITY_TOKEN", TOKEN)]), None)
                .expect_err("incomplete"),
        ),
        (
            "file sk without ak",
            from_profile(&profile(
                "half",
                &format!("[basic]\nsk = {SK}\nsecurity_token = {TOKEN}\n"),
            ))
            .expect_err("incomplete"),
        ),
        (
            "file line that is not ini",
            from_profile(&profile(
                "garbage",
                &format!("[basic]\nak = AK\n{SK} {TOKEN}\n"),
            ))
            .expect_err("parse"),
        ),
        (
            "named file missing",
            Credentials::from_env_with(
                env_of(&[(
                    "HUAWEICLOUD_SDK_CREDENTIALS_FILE",
                    "/nonexistent/hss-client/credentials",
                )]),
                None,
            )
            .expect_err("read"),
        ),
        (
            "half-set oidc with an inline id token",
            Credentials::from_env_with(env_of(&[("HUAWEICLOUD_OIDC_ID_TOKEN", TOKEN)]), None)
                .expect_err("incomplete"),
        ),
        (
            // Nothing is found at build time any more (ECS metadata ends the chain, asked at
            // the first call); the error it then gives lists places, never values.
            "nothing found",
            CredentialsError::NotFound {
                looked: vec!["explicit settings (none given)".to_owned()],
            },
        ),
    ];
    let kinds: Vec<&str> = errors
        .iter()
        .map(|(_, error)| match error {
            CredentialsError::Incomplete { .. } => "incomplete",
            CredentialsError::NotFound { .. } => "not found",
            CredentialsError::ReadProfile { .. } => "read",
            CredentialsError::ParseProfile { .. } => "parse",
            _ => "other",
        })
        .collect();
    for kind in ["incomplete", "not found", "read", "parse"] {
        assert!(kinds.contains(&kind), "no {kind} error covered: {kinds:?}");
    }
    for (what, error) in &errors {
        record(what, renderings_error(error));
    }

    // Signing: the input, the result (its canonical request holds the tokens) and the error.
    let headers: Vec<(String, String)> = [
        ("X-Sdk-Date", "20240101T000000Z"),
        ("Host", "hss.cn-north-4.myhuaweicloud.com"),
        ("X-Security-Token", TOKEN),
        ("X-Auth-Token", IAM_TOKEN),
    ]
    .iter()
    .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
    .collect();
    let input = SigningInput {
        method: "POST",
        path: "/v5/p/image/synchronize",
        query: &[],
        headers: &headers,
        body: b"{}",
    };
    let signature = signing::sign(&input, "AK", SK).expect("signs");
    record("signing input", renderings_debug(&input));
    record("signature", renderings_debug(&signature));
    let no_date = SigningInput {
        headers: &headers[1..],
        ..input
    };
    let error: SigningError = signing::sign(&no_date, "AK", SK).expect_err("no date");
    record("signing error", renderings_error(&error));

    // Endpoints: a password in the URL, explicit or from the environment override.
    let url = format!("https://user:{PASSWORD}@hss.example.com");
    record(
        "endpoint userinfo",
        renderings_error(&Endpoint::parse(&url).expect_err("userinfo")),
    );
    let error = resolve_endpoint(
        None,
        Some("cn-north-4"),
        &hss_client::service::SERVICE,
        env_of(&[("HUAWEICLOUD_SDK_REGION_HSS_CN_NORTH_4", &url)]),
    )
    .expect_err("userinfo");
    record("endpoint override userinfo", renderings_error(&error));

    // The IAM lookup's settings: a password in its URL (builder or environment), a client set up
    // for the lookup, and the error of IAM-token credentials, which cannot sign it.
    let lookup_builder = |vars: &[(&str, &str)]| {
        hss_client::Client::builder()
            .env_lookup(env_of(vars))
            .home_dir("/nonexistent-home-for-tests")
            .region_id("cn-north-4")
    };
    let iam_url = format!("https://user:{PASSWORD}@iam.example.com");
    let error = lookup_builder(&[])
        .credentials(Credentials::temporary("AK", SK, TOKEN))
        .iam_endpoint(&iam_url)
        .build()
        .expect_err("userinfo");
    record("iam endpoint userinfo", renderings_error(&error));
    let error = lookup_builder(&[("HUAWEICLOUD_SDK_IAM_ENDPOINT", &iam_url)])
        .credentials(Credentials::temporary("AK", SK, TOKEN))
        .build()
        .expect_err("userinfo");
    record("iam endpoint variable userinfo", renderings_error(&error));
    let client = lookup_builder(&[])
        .credentials(Credentials::temporary("AK", SK, TOKEN))
        .build()
        .expect("builds");
    assert!(format!("{client:?}").contains("iam.cn-north-4.myhuaweicloud.com"));
    record("client set up for the lookup", renderings_debug(&client));
    let client = lookup_builder(&[])
        .credentials(Credentials::iam_token(IAM_TOKEN))
        .build()
        .expect("builds");
    let error = hss_client::runtime::__private::client_param(
        client.as_runtime(),
        "project_id",
        hss_client::runtime::__private::ClientDefault::ProjectId,
        None,
    )
    .expect_err("cannot look it up");
    record("iam token lookup", renderings_error(&error));

    let leaks: Vec<String> = outputs
        .iter()
        .filter_map(|(what, text)| {
            let found: Vec<&str> = SECRETS
                .iter()
                .copied()
                .filter(|secret| text.contains(secret))
                .collect();
            (!found.is_empty()).then(|| format!("{what}: {found:?} in {text}"))
        })
        .collect();
    assert!(leaks.is_empty(), "secrets leaked:\n{}", leaks.join("\n"));
}

/// A security token given as an operation's parameter (the account operations' `X-Security-Token`,
/// `format: password` in the spec) stays out of the request builder's `Debug`.
#[test]
fn no_secret_parameter_in_a_request_builders_debug() {
    let client = hss_client::Client::builder()
        .endpoint("https://hss.example.test")
        .credentials(Credentials::permanent("AK", SK))
        .env_lookup(|_| None)
        .build()
        .expect("a client");
    let call = client
        .list_accounts()
        .x_security_token(TOKEN)
        .region("cn-north-4");
    let debug = format!("{call:?}");
    for secret in SECRETS {
        assert!(!debug.contains(secret), "{secret} in {debug}");
    }
    assert!(debug.contains("***"), "{debug}");
    assert!(debug.contains("cn-north-4"), "{debug}");
}

/// Passwords and tokens in models (marked `format: password` by `spec/overlays/20-secret-fields.yaml`)
/// stay out of `Debug`, in request bodies and in decoded answers, and still go on the wire.
#[test]
fn no_secret_field_in_a_models_debug() {
    use hss_client::models::{AddRegistryRequestBody, ListClusterProtectionPolicyResponse};

    let mut body = AddRegistryRequestBody::new(
        "registry",
        "harbor",
        "v2",
        "https",
        "registry.example.test",
        "user",
        PASSWORD,
        "cluster",
        "jenkins",
    );
    let debug = format!("{body:?}");
    assert!(!debug.contains(PASSWORD), "{debug}");
    assert!(debug.contains("***"), "{debug}");
    let wire = serde_json::to_value(&body).expect("serialises");
    assert_eq!(wire["registry_password"], PASSWORD);
    assert_eq!(
        serde_json::from_value::<AddRegistryRequestBody>(wire).expect("decodes"),
        body
    );
    body.registry_password = Secret::new(TOKEN);
    assert!(!format!("{body:?}").contains(TOKEN));

    let answer: ListClusterProtectionPolicyResponse =
        serde_json::from_value(serde_json::json!({ "x_auth_token": IAM_TOKEN }))
            .expect("an answer");
    let debug = format!("{answer:?}");
    assert!(!debug.contains(IAM_TOKEN), "{debug}");
    assert_eq!(
        answer.x_auth_token.as_ref().map(Secret::expose),
        Some(IAM_TOKEN)
    );
}
