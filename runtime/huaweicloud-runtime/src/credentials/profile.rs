//! The profile file (`~/.huaweicloud/credentials`): an INI text whose `[basic]` section (else
//! `[basiccredentials]`, the official builder's) holds `ak`, `sk`, `security_token`, or `idp_id`
//! and `id_token_file` (which win), `project_id` and `iam_endpoint`.

use std::path::Path;

use super::{
    Credentials, CredentialsError, PROFILE_SECTION, PROFILE_SECTION_OFFICIAL, Secret, non_empty,
};

pub(super) struct Profile {
    pub(super) credentials: Credentials,
    pub(super) project_id: Option<String>,
    pub(super) iam_endpoint: Option<String>,
    /// `idp_id` and `id_token_file`, when both are set (federated identity wins over AK/SK).
    pub(super) federated: Option<(String, String)>,
}

pub(super) enum ProfileRead {
    Found(Profile),
    Absent,
    Empty,
}

pub(super) fn read_profile(
    path: &Path,
    named_by_env: bool,
) -> Result<ProfileRead, CredentialsError> {
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
    let parse = |wanted| {
        parse_ini_section(&text, wanted).map_err(|line| CredentialsError::ParseProfile {
            path: path.to_owned(),
            line,
        })
    };
    let mut section = parse(PROFILE_SECTION)?;
    let mut section_name = PROFILE_SECTION;
    if section.is_empty() {
        section = parse(PROFILE_SECTION_OFFICIAL)?;
        section_name = PROFILE_SECTION_OFFICIAL;
    }
    let get = |key: &str| {
        section
            .iter()
            .rev()
            .find(|(name, _)| name.eq_ignore_ascii_case(key))
            .and_then(|(_, value)| non_empty(Some(value.clone())))
    };
    let place = format!("profile file {}, section [{section_name}]", path.display());
    let federated = match (get("idp_id"), get("id_token_file")) {
        (Some(idp), Some(file)) => Some((idp, file)),
        (Some(_), None) => return Err(incomplete(place, &["idp_id"], &["id_token_file"])),
        (None, Some(_)) => return Err(incomplete(place, &["id_token_file"], &["idp_id"])),
        (None, None) => None,
    };
    if let Some(federated) = federated {
        return Ok(ProfileRead::Found(Profile {
            credentials: Credentials::Token(Secret::new("")),
            project_id: get("project_id"),
            iam_endpoint: get(crate::iam::PROFILE_IAM_ENDPOINT_KEY),
            federated: Some(federated),
        }));
    }
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
        iam_endpoint: get(crate::iam::PROFILE_IAM_ENDPOINT_KEY),
        federated: None,
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
