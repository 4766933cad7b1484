//! Credentials (permanent or temporary AK/SK, IAM token) and the default provider chain that finds
//! them: explicit values, then the environment, then the profile file.
//!
//! The chain is a function of an environment lookup and a home directory, so tests never touch the
//! process environment; [`ResolvedCredentials::default_chain`] plugs in the real ones.

use std::fmt;
use std::path::{Path, PathBuf};

/// Environment variable for the access key id, as read by the official SDKs.
pub const ENV_AK: &str = "HUAWEICLOUD_SDK_AK";
/// Environment variable for the secret key.
pub const ENV_SK: &str = "HUAWEICLOUD_SDK_SK";
/// Environment variable for the security token of temporary credentials.
pub const ENV_SECURITY_TOKEN: &str = "HUAWEICLOUD_SDK_SECURITY_TOKEN";
/// Environment variable for the project id.
pub const ENV_PROJECT_ID: &str = "HUAWEICLOUD_SDK_PROJECT_ID";
/// Access key id as Huawei's published sample code reads it.
pub const ENV_SAMPLE_AK: &str = "CLOUD_SDK_AK";
/// Secret key as Huawei's published sample code reads it.
pub const ENV_SAMPLE_SK: &str = "CLOUD_SDK_SK";
/// Environment variable naming the profile file instead of `~/.huaweicloud/credentials`.
pub const ENV_CREDENTIALS_FILE: &str = "HUAWEICLOUD_SDK_CREDENTIALS_FILE";
/// The profile file's location under the home directory.
pub const DEFAULT_PROFILE_FILE: &str = ".huaweicloud/credentials";
/// The profile file's section that holds the credentials.
pub const PROFILE_SECTION: &str = "basic";

/// A secret string (secret key, security token, IAM token): `Debug` and `Display` print `***`.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The secret value, for the few places that must use it (signing, the token header).
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Self(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Self(value.to_owned())
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

/// How a request authenticates.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Credentials {
    /// Signed with SDK-HMAC-SHA256; a security token (sent and signed as `X-Security-Token`)
    /// makes them temporary credentials.
    AkSk {
        /// The access key id (not secret: it appears in every `Authorization` header).
        access_key: String,
        /// The secret key, the HMAC key.
        secret_key: Secret,
        /// The security token of temporary credentials.
        security_token: Option<Secret>,
    },
    /// An IAM token sent as `X-Auth-Token`; requests are not signed.
    Token(Secret),
}

impl Credentials {
    /// Permanent AK/SK.
    pub fn permanent(access_key: impl Into<String>, secret_key: impl Into<String>) -> Self {
        Self::AkSk {
            access_key: access_key.into(),
            secret_key: Secret::new(secret_key),
            security_token: None,
        }
    }

    /// Temporary AK/SK with their security token.
    pub fn temporary(
        access_key: impl Into<String>,
        secret_key: impl Into<String>,
        security_token: impl Into<String>,
    ) -> Self {
        Self::AkSk {
            access_key: access_key.into(),
            secret_key: Secret::new(secret_key),
            security_token: Some(Secret::new(security_token)),
        }
    }

    /// IAM token authentication.
    pub fn iam_token(token: impl Into<String>) -> Self {
        Self::Token(Secret::new(token))
    }

    /// Runs the default chain with the process environment, see
    /// [`ResolvedCredentials::default_chain`].
    pub fn from_env() -> Result<ResolvedCredentials, CredentialsError> {
        ResolvedCredentials::default_chain()
    }

    /// Runs the chain without explicit credentials on the given environment and home directory.
    pub fn from_env_with(
        env: impl Fn(&str) -> Option<String>,
        home: Option<&Path>,
    ) -> Result<ResolvedCredentials, CredentialsError> {
        ResolvedCredentials::resolve(None, env, home)
    }
}

/// Where the credentials were found.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum CredentialSource {
    /// Given by the caller.
    Explicit,
    /// Environment variables.
    Environment,
    /// The profile file at this path.
    ProfileFile(PathBuf),
}

impl fmt::Display for CredentialSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Explicit => f.write_str("explicit settings"),
            Self::Environment => f.write_str("the environment"),
            Self::ProfileFile(path) => write!(f, "profile file {}", path.display()),
        }
    }
}

/// Credentials found by the chain, with the project id that came along and where they came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedCredentials {
    /// The credentials.
    pub credentials: Credentials,
    /// `HUAWEICLOUD_SDK_PROJECT_ID` if set, else the profile file's `project_id` when the
    /// credentials came from that file. A project id set on the client wins over both.
    pub project_id: Option<String>,
    /// Where the credentials were found.
    pub source: CredentialSource,
}

impl ResolvedCredentials {
    /// The default chain on the process environment, the home directory taken from `HOME`
    /// (`USERPROFILE` on Windows).
    pub fn default_chain() -> Result<Self, CredentialsError> {
        let home = process_env("HOME")
            .or_else(|| process_env("USERPROFILE"))
            .map(PathBuf::from);
        Self::resolve(None, process_env, home.as_deref())
    }

    /// The chain: `explicit` credentials if given, else the environment, else the profile file
    /// (`HUAWEICLOUD_SDK_CREDENTIALS_FILE`, or `.huaweicloud/credentials` under `home`).
    ///
    /// Empty or blank values count as unset; values are trimmed. Half-set credentials in a
    /// source are an error rather than a reason to look further, so a typo is not papered over
    /// by other credentials.
    pub fn resolve(
        explicit: Option<Credentials>,
        env: impl Fn(&str) -> Option<String>,
        home: Option<&Path>,
    ) -> Result<Self, CredentialsError> {
        let get = |name: &str| non_empty(env(name));
        let env_project_id = get(ENV_PROJECT_ID);
        if let Some(credentials) = explicit {
            return Ok(Self {
                credentials,
                project_id: env_project_id,
                source: CredentialSource::Explicit,
            });
        }
        if let Some(credentials) = credentials_from_env(&get)? {
            return Ok(Self {
                credentials,
                project_id: env_project_id,
                source: CredentialSource::Environment,
            });
        }
        let (path, named_by_env) = match get(ENV_CREDENTIALS_FILE) {
            Some(path) => (Some(PathBuf::from(path)), true),
            None => (home.map(|home| home.join(DEFAULT_PROFILE_FILE)), false),
        };
        let profile_looked = match &path {
            Some(path) => match read_profile(path, named_by_env)? {
                ProfileRead::Found(profile) => {
                    return Ok(Self {
                        credentials: profile.credentials,
                        project_id: env_project_id.or(profile.project_id),
                        source: CredentialSource::ProfileFile(path.clone()),
                    });
                }
                ProfileRead::Absent => format!("profile file {} (does not exist)", path.display()),
                ProfileRead::Empty => format!(
                    "profile file {} (no ak and sk in section [{PROFILE_SECTION}])",
                    path.display()
                ),
            },
            None => format!(
                "profile file ~/{DEFAULT_PROFILE_FILE} (no home directory known, {ENV_CREDENTIALS_FILE} not set)"
            ),
        };
        Err(CredentialsError::NotFound {
            looked: vec![
                "explicit settings (none given)".to_owned(),
                format!("environment variables {ENV_AK} and {ENV_SK}"),
                format!("environment variables {ENV_SAMPLE_AK} and {ENV_SAMPLE_SK}"),
                profile_looked,
            ],
        })
    }
}

/// Reads a variable of the process environment (unset or not Unicode: `None`).
pub fn process_env(name: &str) -> Option<String> {
    std::env::var(name).ok()
}

fn non_empty(value: Option<String>) -> Option<String> {
    value
        .map(|value| value.trim().to_owned())
        .filter(|value| !value.is_empty())
}

fn credentials_from_env(
    get: &impl Fn(&str) -> Option<String>,
) -> Result<Option<Credentials>, CredentialsError> {
    let token = get(ENV_SECURITY_TOKEN);
    // The two naming schemes are never mixed: an AK of one with the SK of the other is more
    // likely a leftover than a pair.
    for (ak_name, sk_name) in [(ENV_AK, ENV_SK), (ENV_SAMPLE_AK, ENV_SAMPLE_SK)] {
        let missing = match (get(ak_name), get(sk_name)) {
            (Some(access_key), Some(secret_key)) => {
                return Ok(Some(Credentials::AkSk {
                    access_key,
                    secret_key: Secret::new(secret_key),
                    security_token: token.map(Secret::new),
                }));
            }
            (Some(_), None) => (ak_name, sk_name),
            (None, Some(_)) => (sk_name, ak_name),
            (None, None) => continue,
        };
        return Err(CredentialsError::Incomplete {
            place: "the environment".to_owned(),
            set: vec![missing.0.to_owned()],
            missing: vec![missing.1.to_owned()],
        });
    }
    match token {
        Some(_) => Err(CredentialsError::Incomplete {
            place: "the environment".to_owned(),
            set: vec![ENV_SECURITY_TOKEN.to_owned()],
            missing: vec![ENV_AK.to_owned(), ENV_SK.to_owned()],
        }),
        None => Ok(None),
    }
}

struct Profile {
    credentials: Credentials,
    project_id: Option<String>,
}

enum ProfileRead {
    Found(Profile),
    Absent,
    Empty,
}

fn read_profile(path: &Path, named_by_env: bool) -> Result<ProfileRead, CredentialsError> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        // A file named explicitly must exist; the default one is optional.
        Err(error) if error.kind() == std::io::ErrorKind::NotFound && !named_by_env => {
            return Ok(ProfileRead::Absent);
        }
        Err(source) => {
            return Err(CredentialsError::ReadProfile {
                path: path.to_owned(),
                source,
            });
        }
    };
    let section = parse_ini_section(&text, PROFILE_SECTION).map_err(|line| {
        CredentialsError::ParseProfile {
            path: path.to_owned(),
            line,
        }
    })?;
    let get = |key: &str| {
        section
            .iter()
            .rev()
            .find(|(name, _)| name.eq_ignore_ascii_case(key))
            .and_then(|(_, value)| non_empty(Some(value.clone())))
    };
    let place = format!(
        "profile file {}, section [{PROFILE_SECTION}]",
        path.display()
    );
    let (access_key, secret_key, token) = (get("ak"), get("sk"), get("security_token"));
    let credentials = match (access_key, secret_key) {
        (Some(access_key), Some(secret_key)) => Credentials::AkSk {
            access_key,
            secret_key: Secret::new(secret_key),
            security_token: token.map(Secret::new),
        },
        (Some(_), None) => return Err(incomplete(place, &["ak"], &["sk"])),
        (None, Some(_)) => return Err(incomplete(place, &["sk"], &["ak"])),
        (None, None) if token.is_some() => {
            return Err(incomplete(place, &["security_token"], &["ak", "sk"]));
        }
        (None, None) => return Ok(ProfileRead::Empty),
    };
    Ok(ProfileRead::Found(Profile {
        credentials,
        project_id: get("project_id"),
    }))
}

fn incomplete(place: String, set: &[&str], missing: &[&str]) -> CredentialsError {
    CredentialsError::Incomplete {
        place,
        set: set.iter().map(|name| (*name).to_owned()).collect(),
        missing: missing.iter().map(|name| (*name).to_owned()).collect(),
    }
}

/// The `key = value` pairs (`:` works as well as `=`) of the section `wanted` (name compared
/// without case) of an INI text, in file order, keys and values trimmed. Lines starting with `#`
/// or `;` are comments. A line that is none of these fails with its 1-based number; the line
/// itself is never echoed because it may hold a secret.
fn parse_ini_section(text: &str, wanted: &str) -> Result<Vec<(String, String)>, usize> {
    let mut in_wanted = false;
    let mut pairs = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        if let Some(name) = line
            .strip_prefix('[')
            .and_then(|rest| rest.strip_suffix(']'))
        {
            in_wanted = name.trim().eq_ignore_ascii_case(wanted);
            continue;
        }
        let Some(split) = line.find(['=', ':']) else {
            return Err(index + 1);
        };
        let (key, value) = (line[..split].trim(), line[split + 1..].trim());
        if key.is_empty() {
            return Err(index + 1);
        }
        if in_wanted {
            pairs.push((key.to_owned(), value.to_owned()));
        }
    }
    Ok(pairs)
}

/// Why no usable credentials were found. Messages name variables, keys and files, never values.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CredentialsError {
    /// Part of a credential set is present in one place, part is missing.
    #[error(
        "incomplete credentials in {place}: {} set but {} missing",
        names(set),
        names(missing)
    )]
    Incomplete {
        /// Where: `the environment` or `profile file <path>, section [basic]`.
        place: String,
        /// The variables or keys that are set.
        set: Vec<String>,
        /// The variables or keys that are missing.
        missing: Vec<String>,
    },
    /// No credentials anywhere.
    #[error("no credentials found; looked in: {}", looked.join("; "))]
    NotFound {
        /// Every place looked, with what was found there.
        looked: Vec<String>,
    },
    /// The profile file exists (or was named) but could not be read.
    #[error("could not read credentials file {}: {source}", path.display())]
    ReadProfile {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A line of the profile file is neither a section, a `key = value` pair nor a comment.
    #[error("credentials file {}, line {line}: expected `[section]`, `key = value` or a comment", path.display())]
    ParseProfile {
        /// The file.
        path: PathBuf,
        /// The 1-based line number.
        line: usize,
    },
}

fn names(names: &[String]) -> String {
    let verb = if names.len() == 1 { "is" } else { "are" };
    format!("{} {verb}", names.join(" and "))
}

/// An environment over fixed pairs, for tests that must not touch the process environment.
#[cfg(test)]
pub(crate) fn env_of(vars: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> + use<> {
    let vars: std::collections::HashMap<String, String> = vars
        .iter()
        .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
        .collect();
    move |name| vars.get(name).cloned()
}

#[cfg(test)]
mod tests {
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
        let resolved = Credentials::from_env_with(
            env_of(&[(ENV_AK, "envak"), (ENV_SK, "envsk")]),
            Some(&home),
        )
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
            Case {
                name: "no basic section",
                text: "[other]\nak = fak\nsk = fsk\n",
                expected: Err(
                    "no credentials found; looked in: explicit settings (none given); environment variables HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK; environment variables CLOUD_SDK_AK and CLOUD_SDK_SK; profile file {path} (no ak and sk in section [basic])",
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
        assert!(
            error.to_string().starts_with(&format!(
                "could not read credentials file {}: ",
                missing.display()
            )),
            "{error}"
        );
    }

    #[test]
    fn nothing_found_names_every_place_looked() {
        let home = temp_home();
        let error =
            Credentials::from_env_with(env_of(&[(ENV_AK, " ")]), Some(&home)).expect_err("fails");
        assert_eq!(
            error.to_string(),
            format!(
                "no credentials found; looked in: explicit settings (none given); environment variables HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK; environment variables CLOUD_SDK_AK and CLOUD_SDK_SK; profile file {} (does not exist)",
                home.join(DEFAULT_PROFILE_FILE).display()
            )
        );
        let error = Credentials::from_env_with(env_of(&[]), None).expect_err("fails");
        assert!(
            error.to_string().ends_with(
                "profile file ~/.huaweicloud/credentials (no home directory known, HUAWEICLOUD_SDK_CREDENTIALS_FILE not set)"
            ),
            "{error}"
        );
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
}
