//! The answer every temporary-credential source shares: the object under `credential` (or
//! `credentials`) with `access`, `secret`, `securitytoken` and `expires_at` (also spelt
//! `accessKeyId`/`access_key_id`, `secretAccessKey`/`secret_access_key`,
//! `securityToken`/`security_token`, `expiration`), the expiry in ISO 8601 UTC.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::Value;

use super::{Credentials, CredentialsError, FetchedCredentials, Secret};

/// Reads a credential answer of `provider` from `endpoint`. Errors name the field, never a value.
pub(crate) fn read_credentials(
    provider: &str,
    endpoint: &str,
    body: &[u8],
) -> Result<FetchedCredentials, CredentialsError> {
    let bad = |field: Option<&str>, message: String| CredentialsError::BadAnswer {
        provider: provider.to_owned(),
        endpoint: endpoint.to_owned(),
        field: field.map(str::to_owned),
        message,
    };
    let json: Value =
        serde_json::from_slice(body).map_err(|_| bad(None, "it is not JSON".to_owned()))?;
    let object = json
        .get("credential")
        .or_else(|| json.get("credentials"))
        .unwrap_or(&json);
    if !object.is_object() {
        return Err(bad(
            Some("credential"),
            "is not a JSON object of credentials".to_owned(),
        ));
    }
    let text = |names: &[&'static str]| -> Result<Option<String>, CredentialsError> {
        for name in names {
            match object.get(*name) {
                None | Some(Value::Null) => continue,
                Some(Value::String(value)) if !value.trim().is_empty() => {
                    return Ok(Some(value.trim().to_owned()));
                }
                Some(_) => return Err(bad(Some(name), "is empty or not text".to_owned())),
            }
        }
        Ok(None)
    };
    let required = |names: &[&'static str]| -> Result<String, CredentialsError> {
        text(names)?.ok_or_else(|| bad(Some(names[0]), "is missing".to_owned()))
    };
    let access_key = required(&["access", "accessKeyId", "access_key_id"])?;
    let secret_key = required(&["secret", "secretAccessKey", "secret_access_key"])?;
    let token = text(&["securitytoken", "securityToken", "security_token"])?;
    let expires = required(&["expires_at", "expiration"])?;
    let expires_at = parse_iso8601(&expires).ok_or_else(|| {
        bad(
            Some("expires_at"),
            "is not an ISO 8601 UTC time (like 2024-05-01T12:00:00.000000Z)".to_owned(),
        )
    })?;
    Ok(FetchedCredentials::new(
        Credentials::AkSk {
            access_key,
            secret_key: Secret::new(secret_key),
            security_token: token.map(Secret::new),
        },
        Some(expires_at),
    ))
}

/// `YYYY-MM-DDTHH:MM:SS[.fraction](Z|+00:00)` (a space works for the `T`), UTC only.
pub(crate) fn parse_iso8601(text: &str) -> Option<SystemTime> {
    let text = text.trim();
    let rest = text
        .strip_suffix('Z')
        .or_else(|| text.strip_suffix("+00:00"))?;
    let bytes = rest.as_bytes();
    if bytes.len() < 19 || !matches!(bytes[10], b'T' | b't' | b' ') {
        return None;
    }
    let number = |range: std::ops::Range<usize>| -> Option<u64> {
        let part = rest.get(range)?;
        if part.bytes().all(|b| b.is_ascii_digit()) {
            part.parse().ok()
        } else {
            None
        }
    };
    let separators = [(4, b'-'), (7, b'-'), (13, b':'), (16, b':')];
    if separators.iter().any(|(at, sep)| bytes[*at] != *sep) {
        return None;
    }
    let (year, month, day) = (number(0..4)?, number(5..7)?, number(8..10)?);
    let (hour, minute, second) = (number(11..13)?, number(14..16)?, number(17..19)?);
    if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
        return None;
    }
    if hour > 23 || minute > 59 || second > 60 || year < 1970 {
        return None;
    }
    let mut nanos = 0_u32;
    let fraction = &rest[19..];
    if !fraction.is_empty() {
        let digits = fraction.strip_prefix('.')?;
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        for (index, digit) in digits.bytes().take(9).enumerate() {
            nanos += u32::from(digit - b'0') * 10_u32.pow(8 - index as u32);
        }
    }
    let days = days_from_civil(year, month, day);
    let seconds = days * 86_400 + hour * 3600 + minute * 60 + second;
    UNIX_EPOCH.checked_add(Duration::new(seconds, nanos))
}

fn days_in_month(year: u64, month: u64) -> u64 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a date of the proleptic Gregorian calendar (year ≥ 1970).
fn days_from_civil(year: u64, month: u64, day: u64) -> u64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year / 400;
    let year_of_era = year - era * 400;
    let month_index = (month + 9) % 12;
    let day_of_year = (153 * month_index + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// A short, single-line excerpt of an error answer's body with the values of secret-looking
/// JSON keys masked, for error messages.
pub(crate) fn body_excerpt(body: &[u8]) -> String {
    const LIMIT: usize = 200;
    let text = match serde_json::from_slice::<Value>(body) {
        Ok(mut json) => {
            mask(&mut json);
            json.to_string()
        }
        Err(_) => String::from_utf8_lossy(body).into_owned(),
    };
    let mut excerpt: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(LIMIT)
        .collect();
    if text.chars().count() > LIMIT {
        excerpt.push('…');
    }
    excerpt
}

fn mask(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (key, value) in map.iter_mut() {
                let key = key.to_ascii_lowercase();
                let secret = ["secret", "token", "access", "password", "credential"]
                    .iter()
                    .any(|word| key.contains(word));
                if secret && !value.is_object() && !value.is_array() {
                    *value = Value::String("***".to_owned());
                } else {
                    mask(value);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(mask),
        _ => {}
    }
}
