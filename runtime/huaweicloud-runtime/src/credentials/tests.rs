//! The provider chain: explicit, environment and profile-file credentials, and what each refusal says.

use std::sync::atomic::{AtomicUsize, Ordering};

use super::*;

/// A fresh directory under the system temp dir; the tests write profile files there.
fn temp_home() -> PathBuf {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "hss-client-credentials-{}-{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join(".huaweicloud")).expect("create temp home");
    dir
}

fn write_profile(home: &Path, text: &str) -> PathBuf {
    let path = home.join(DEFAULT_PROFILE_FILE);
    std::fs::write(&path, text).expect("write profile");
    path
}

#[test]
fn secret_never_prints_its_value() {
    let secret = Secret::new("s3cr3t");
    assert_eq!(format!("{secret:?}"), "***");
    assert_eq!(format!("{secret}"), "***");
    assert_eq!(secret.expose(), "s3cr3t");
    assert_eq!(Secret::from("a"), Secret::from("a".to_owned()));
}

#[test]
fn constructors_build_the_variants() {
    assert_eq!(
        Credentials::permanent("ak", "sk"),
        Credentials::AkSk {
            access_key: "ak".into(),
            secret_key: "sk".into(),
            security_token: None
        }
    );
    assert_eq!(
        Credentials::temporary("ak", "sk", "tok"),
        Credentials::AkSk {
            access_key: "ak".into(),
            secret_key: "sk".into(),
            security_token: Some("tok".into())
        }
    );
    assert_eq!(
        Credentials::iam_token("tok"),
        Credentials::Token("tok".into())
    );
}

#[test]
fn environment_chain_resolves_or_explains() {
    let home = temp_home(); // holds no profile file
    struct Case {
        name: &'static str,
        vars: &'static [(&'static str, &'static str)],
        expected: Result<(Credentials, Option<&'static str>), &'static str>,
    }
    let cases = [
        Case {
            name: "official names",
            vars: &[(ENV_AK, "ak1"), (ENV_SK, "sk1"), (ENV_PROJECT_ID, "p1")],
            expected: Ok((Credentials::permanent("ak1", "sk1"), Some("p1"))),
        },
        Case {
            name: "temporary",
            vars: &[(ENV_AK, "ak1"), (ENV_SK, "sk1"), (ENV_SECURITY_TOKEN, "t1")],
            expected: Ok((Credentials::temporary("ak1", "sk1", "t1"), None)),
        },
        Case {
            name: "sample names",
            vars: &[(ENV_SAMPLE_AK, "ak2"), (ENV_SAMPLE_SK, "sk2")],
            expected: Ok((Credentials::permanent("ak2", "sk2"), None)),
        },
        Case {
            name: "sample names with the official token and project id",
            vars: &[
                (ENV_SAMPLE_AK, "ak2"),
                (ENV_SAMPLE_SK, "sk2"),
                (ENV_SECURITY_TOKEN, "t1"),
                (ENV_PROJECT_ID, "p1"),
            ],
            expected: Ok((Credentials::temporary("ak2", "sk2", "t1"), Some("p1"))),
        },
        Case {
            name: "official names win over sample names",
            vars: &[
                (ENV_AK, "ak1"),
                (ENV_SK, "sk1"),
                (ENV_SAMPLE_AK, "ak2"),
                (ENV_SAMPLE_SK, "sk2"),
            ],
            expected: Ok((Credentials::permanent("ak1", "sk1"), None)),
        },
        Case {
            name: "values are trimmed",
            vars: &[(ENV_AK, " ak1\n"), (ENV_SK, "\tsk1 ")],
            expected: Ok((Credentials::permanent("ak1", "sk1"), None)),
        },
        Case {
            name: "empty official names fall through to sample names",
            vars: &[
                (ENV_AK, ""),
                (ENV_SK, "  "),
                (ENV_SAMPLE_AK, "ak2"),
                (ENV_SAMPLE_SK, "sk2"),
            ],
            expected: Ok((Credentials::permanent("ak2", "sk2"), None)),
        },
        Case {
            name: "ak without sk",
            vars: &[(ENV_AK, "ak1")],
            expected: Err(
                "incomplete credentials in the environment: HUAWEICLOUD_SDK_AK is set but HUAWEICLOUD_SDK_SK is missing",
            ),
        },
        Case {
            name: "sk without ak, empty ak",
            vars: &[(ENV_AK, ""), (ENV_SK, "sk1")],
            expected: Err(
                "incomplete credentials in the environment: HUAWEICLOUD_SDK_SK is set but HUAWEICLOUD_SDK_AK is missing",
            ),
        },
        Case {
            name: "half official pair is not completed by sample names",
            vars: &[(ENV_AK, "ak1"), (ENV_SAMPLE_SK, "sk2")],
            expected: Err(
                "incomplete credentials in the environment: HUAWEICLOUD_SDK_AK is set but HUAWEICLOUD_SDK_SK is missing",
            ),
        },
        Case {
            name: "sample sk without ak",
            vars: &[(ENV_SAMPLE_SK, "sk2")],
            expected: Err(
                "incomplete credentials in the environment: CLOUD_SDK_SK is set but CLOUD_SDK_AK is missing",
            ),
        },
        Case {
            name: "token alone",
            vars: &[(ENV_SECURITY_TOKEN, "t1"), (ENV_PROJECT_ID, "p1")],
            expected: Err(
                "incomplete credentials in the environment: HUAWEICLOUD_SDK_SECURITY_TOKEN is set but HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK are missing",
            ),
        },
    ];
    for case in cases {
        let result = Credentials::from_env_with(env_of(case.vars), Some(&home));
        match (result, case.expected) {
            (Ok(resolved), Ok((credentials, project_id))) => {
                assert_eq!(resolved.credentials, credentials, "{}", case.name);
                assert_eq!(resolved.project_id.as_deref(), project_id, "{}", case.name);
                assert_eq!(
                    resolved.source,
                    CredentialSource::Environment,
                    "{}",
                    case.name
                );
            }
            (Err(error), Err(message)) => {
                assert_eq!(error.to_string(), message, "{}", case.name)
            }
            (result, expected) => {
                panic!("{}: got {result:?}, expected {expected:?}", case.name)
            }
        }
    }
}

#[test]
fn explicit_credentials_win_over_everything() {
    let home = temp_home();
    write_profile(&home, "[basic]\nak = fileak\nsk = filesk\n");
    let env = env_of(&[(ENV_AK, "envak"), (ENV_SK, "envsk"), (ENV_PROJECT_ID, "p1")]);
    let resolved =
        ResolvedCredentials::resolve(Some(Credentials::iam_token("tok")), env, Some(&home))
            .expect("resolves");
    assert_eq!(resolved.credentials, Credentials::iam_token("tok"));
    assert_eq!(resolved.source, CredentialSource::Explicit);
    assert_eq!(resolved.project_id.as_deref(), Some("p1"));
}

#[test]
fn environment_wins_over_the_profile_file() {
    let home = temp_home();
    write_profile(
        &home,
        "[basic]\nak = fileak\nsk = filesk\nproject_id = fp\n",
    );
    let resolved =
        Credentials::from_env_with(env_of(&[(ENV_AK, "envak"), (ENV_SK, "envsk")]), Some(&home))
            .expect("resolves");
    assert_eq!(
        resolved.credentials,
        Credentials::permanent("envak", "envsk")
    );
    // The file's project id belongs to the file's credentials, not to these.
    assert_eq!(resolved.project_id, None);
}

#[test]
fn profile_file_resolves_or_explains() {
    struct Case {
        name: &'static str,
        text: &'static str,
        expected: Result<(Credentials, Option<&'static str>), &'static str>,
    }
    let cases = [
        Case {
            name: "basic section",
            text: "[basic]\nak = fak\nsk = fsk\nproject_id = fp\n",
            expected: Ok((Credentials::permanent("fak", "fsk"), Some("fp"))),
        },
        Case {
            name: "comments, blank lines, case of keys and section, colon, other sections",
            text: "# comment\n; other comment\n\n[other]\nak = nope\nsk = nope\n  [ BASIC ]  \n  AK: fak  \nSk=fsk\nSecurity_Token = ft\n[after]\nproject_id = nope\n",
            expected: Ok((Credentials::temporary("fak", "fsk", "ft"), None)),
        },
        Case {
            name: "values keep inner = and :",
            text: "[basic]\nak=fak\nsk=fsk\nsecurity_token = a=b:c==\n",
            expected: Ok((Credentials::temporary("fak", "fsk", "a=b:c=="), None)),
        },
        Case {
            name: "last duplicate key wins",
            text: "[basic]\nak=old\nak=fak\nsk=fsk\n",
            expected: Ok((Credentials::permanent("fak", "fsk"), None)),
        },
        Case {
            name: "windows line ends",
            text: "[basic]\r\nak = fak\r\nsk = fsk\r\n",
            expected: Ok((Credentials::permanent("fak", "fsk"), None)),
        },
        Case {
            name: "ak without sk",
            text: "[basic]\nak = fak\nsk =\n",
            expected: Err(
                "incomplete credentials in profile file {path}, section [basic]: ak is set but sk is missing",
            ),
        },
        Case {
            name: "sk without ak",
            text: "[basic]\nsk = fsk\n",
            expected: Err(
                "incomplete credentials in profile file {path}, section [basic]: sk is set but ak is missing",
            ),
        },
        Case {
            name: "token without ak and sk",
            text: "[basic]\nsecurity_token = ft\n",
            expected: Err(
                "incomplete credentials in profile file {path}, section [basic]: security_token is set but ak and sk are missing",
            ),
        },
        Case {
            name: "a line that is not ini",
            text: "[basic]\nak = fak\nsk fsk-secret\n",
            expected: Err(
                "credentials file {path}, line 3: expected `[section]`, `key = value` or a comment",
            ),
        },
        Case {
            name: "a pair without key",
            text: "= value\n",
            expected: Err(
                "credentials file {path}, line 1: expected `[section]`, `key = value` or a comment",
            ),
        },
    ];
    for case in cases {
        let home = temp_home();
        let path = write_profile(&home, case.text);
        let result = Credentials::from_env_with(env_of(&[]), Some(&home));
        match (result, case.expected) {
            (Ok(resolved), Ok((credentials, project_id))) => {
                assert_eq!(resolved.credentials, credentials, "{}", case.name);
                assert_eq!(resolved.project_id.as_deref(), project_id, "{}", case.name);
                assert_eq!(
                    resolved.source,
                    CredentialSource::ProfileFile(path),
                    "{}",
                    case.name
                );
            }
            (Err(error), Err(message)) => assert_eq!(
                error.to_string(),
                message.replace("{path}", &path.display().to_string()),
                "{}",
                case.name
            ),
            (result, expected) => {
                panic!("{}: got {result:?}, expected {expected:?}", case.name)
            }
        }
    }
}

#[test]
fn environment_project_id_wins_over_the_profile_file() {
    let home = temp_home();
    write_profile(&home, "[basic]\nak = fak\nsk = fsk\nproject_id = fp\n");
    let resolved = Credentials::from_env_with(env_of(&[(ENV_PROJECT_ID, "ep")]), Some(&home))
        .expect("resolves");
    assert_eq!(resolved.project_id.as_deref(), Some("ep"));
}

#[test]
fn credentials_file_variable_names_the_profile_file() {
    let home = temp_home();
    write_profile(&home, "[basic]\nak = homeak\nsk = homesk\n");
    let other = temp_home().join("custom.ini");
    std::fs::write(&other, "[basic]\nak = customak\nsk = customsk\n").expect("write");
    let env = env_of(&[(
        ENV_CREDENTIALS_FILE,
        other.to_str().expect("utf-8 temp path"),
    )]);
    let resolved = Credentials::from_env_with(env, Some(&home)).expect("resolves");
    assert_eq!(
        resolved.credentials,
        Credentials::permanent("customak", "customsk")
    );
    assert_eq!(resolved.source, CredentialSource::ProfileFile(other));
}

#[test]
fn a_named_profile_file_must_exist() {
    let missing = temp_home().join("missing.ini");
    let env = env_of(&[(
        ENV_CREDENTIALS_FILE,
        missing.to_str().expect("utf-8 temp path"),
    )]);
    let error = Credentials::from_env_with(env, None).expect_err("fails");
    assert!(
        matches!(&error, CredentialsError::ReadProfile { path, .. } if *path == missing),
        "{error:?}"
    );
    assert_eq!(
        error.to_string(),
        format!("could not read credentials file {}", missing.display())
    );
    let cause = std::error::Error::source(&error).map(ToString::to_string);
    assert!(cause.is_some_and(|cause| !cause.is_empty()), "{error:?}");
}

#[test]
fn nothing_configured_ends_at_ecs_metadata() {
    let home = temp_home();
    write_profile(&home, "[other]\nak = fak\nsk = fsk\n");
    for env in [env_of(&[(ENV_AK, " ")]), env_of(&[])] {
        let resolved = Credentials::from_env_with(env, Some(&home)).expect("resolves");
        assert_eq!(resolved.source, CredentialSource::EcsMetadata);
        assert!(matches!(resolved.credentials, Credentials::Provider(_)));
    }
}

#[test]
fn source_displays_where() {
    let cases = [
        (CredentialSource::Explicit, "explicit settings"),
        (CredentialSource::Environment, "the environment"),
        (
            CredentialSource::ProfileFile(PathBuf::from("/x/y")),
            "profile file /x/y",
        ),
    ];
    for (source, expected) in cases {
        assert_eq!(source.to_string(), expected);
    }
}
