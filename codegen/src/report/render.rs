//! The report of an API diff: one line per change and the version bump cargo's semver rule asks
//! for, as terminal text or as changelog Markdown.

use std::fmt;
use std::fmt::Write as _;

use super::diff::{ApiChanges, ChangeClass};

/// A crate version `MAJOR.MINOR.PATCH`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Version {
    pub major: u64,
    pub minor: u64,
    pub patch: u64,
}

impl Version {
    /// Parses `MAJOR.MINOR.PATCH`; a pre-release or build part is refused, since what follows
    /// it is the maintainer's call.
    pub fn parse(text: &str) -> Result<Self, String> {
        let bad = || format!("version `{text}` is not of the form MAJOR.MINOR.PATCH");
        if text.contains(['-', '+']) {
            return Err(format!(
                "version `{text}` has a pre-release or build part; the suggestion needs a plain MAJOR.MINOR.PATCH"
            ));
        }
        let mut parts = text.split('.').map(|part| {
            if part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad());
            }
            part.parse::<u64>().map_err(|_| bad())
        });
        let (Some(major), Some(minor), Some(patch), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(bad());
        };
        Ok(Self {
            major: major?,
            minor: minor?,
            patch: patch?,
        })
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)
    }
}

/// Which part of the version to bump.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Bump {
    None,
    Patch,
    Minor,
    Major,
}

impl Bump {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::Patch => "patch",
            Self::Minor => "minor",
            Self::Major => "major",
        }
    }
}

/// The bump a set of changes asks for, from a current version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suggestion {
    pub bump: Bump,
    pub current: Version,
    /// The version after the bump (the current one for [`Bump::None`]).
    pub next: Version,
    /// Why, in cargo's semver terms.
    pub reason: String,
}

impl fmt::Display for Suggestion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.bump == Bump::None {
            write!(f, "none ({} stays): {}", self.current, self.reason)
        } else {
            write!(
                f,
                "{} ({} -> {}): {}",
                self.bump.as_str(),
                self.current,
                self.next,
                self.reason
            )
        }
    }
}

/// Cargo's semver rule: versions are compatible when their left-most non-zero part is equal, so
/// for `0.y.z` the `y` plays the major part and the `z` the minor and patch parts together, and
/// every `0.0.z` is its own range.
pub fn suggest(worst: Option<ChangeClass>, current: Version) -> Suggestion {
    let Version {
        major,
        minor,
        patch,
    } = current;
    let with = |bump: Bump, next: Version, reason: &str| Suggestion {
        bump,
        current,
        next,
        reason: reason.to_owned(),
    };
    let major_bump = Version {
        major: major + 1,
        minor: 0,
        patch: 0,
    };
    let minor_bump = Version {
        major,
        minor: minor + 1,
        patch: 0,
    };
    let patch_bump = Version {
        major,
        minor,
        patch: patch + 1,
    };
    match worst {
        None => with(Bump::None, current, "no change to the Rust API"),
        Some(_) if major == 0 && minor == 0 => with(
            Bump::Patch,
            patch_bump,
            "cargo's semver rule makes every 0.0.z version incompatible with the others, so any release bumps z",
        ),
        Some(ChangeClass::Breaking) if major == 0 => with(
            Bump::Minor,
            minor_bump,
            "breaking changes; cargo's semver rule makes 0.y.z compatible only with the same 0.y, so a breaking change bumps y",
        ),
        Some(ChangeClass::Additive | ChangeClass::Docs) if major == 0 => with(
            Bump::Patch,
            patch_bump,
            "no breaking change; cargo's semver rule makes 0.y.z compatible with every 0.y.z' of the same 0.y, so additions and fixes bump z",
        ),
        Some(ChangeClass::Breaking) => with(
            Bump::Major,
            major_bump,
            "breaking changes; cargo's semver rule needs a new major version for them",
        ),
        Some(ChangeClass::Additive) => with(
            Bump::Minor,
            minor_bump,
            "additions only; cargo's semver rule bumps the minor version for new API",
        ),
        Some(ChangeClass::Docs) => with(
            Bump::Patch,
            patch_bump,
            "documentation only; cargo's semver rule bumps the patch version",
        ),
    }
}

impl ApiChanges {
    /// The bump these changes ask for from `current`.
    pub fn suggest(&self, current: Version) -> Suggestion {
        suggest(self.worst(), current)
    }

    /// One line per change, a count line, and `suggested version bump: …`.
    pub fn text(&self, current: Version) -> String {
        let mut text = self.lines();
        let _ = writeln!(text, "suggested version bump: {}", self.suggest(current));
        text
    }

    /// One line per change and a count line (or `no changes to the Rust API`), without the bump.
    pub fn lines(&self) -> String {
        let mut text = String::new();
        if self.is_empty() {
            text.push_str("no changes to the Rust API\n");
        }
        for change in &self.changes {
            let _ = writeln!(text, "{change}");
        }
        if !self.is_empty() {
            let _ = writeln!(text, "{}", self.counts());
        }
        text
    }

    /// Changelog Markdown: a heading, the bump, then the changes grouped by class.
    pub fn markdown(&self, title: &str, current: Version) -> String {
        let suggestion = self.suggest(current);
        let mut text = format!("## {title}\n\n");
        let _ = writeln!(
            text,
            "Suggested version bump: **{}** ({} → {}): {}.\n",
            suggestion.bump.as_str(),
            current,
            suggestion.next,
            suggestion.reason
        );
        if self.is_empty() {
            text.push_str("No changes to the Rust API.\n");
            return text;
        }
        let _ = writeln!(text, "{}.", capitalised(&self.counts()));
        for (class, heading) in [
            (ChangeClass::Breaking, "Breaking changes"),
            (ChangeClass::Additive, "Additions"),
            (ChangeClass::Docs, "Documentation"),
        ] {
            let changes: Vec<_> = self.changes.iter().filter(|c| c.class == class).collect();
            if changes.is_empty() {
                continue;
            }
            let _ = writeln!(text, "\n### {heading}\n");
            for change in changes {
                let _ = writeln!(text, "- `{}`: {}", change.item, change.detail);
            }
        }
        text
    }

    fn counts(&self) -> String {
        let plural = |n: usize| if n == 1 { "change" } else { "changes" };
        let total = self.changes.len();
        format!(
            "{total} {}: {} breaking, {} additive, {} docs",
            plural(total),
            self.count(ChangeClass::Breaking),
            self.count(ChangeClass::Additive),
            self.count(ChangeClass::Docs)
        )
    }
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}
