//! Lists every host of a project, page after page, with `ListHostStatus(..).into_stream()`.
//!
//! ```text
//! # Credentials come from the default chain (README, "Credentials"): on an ECS or in a CCE pod
//! # with an agency nothing is needed; else e.g. HUAWEICLOUD_SDK_AK / HUAWEICLOUD_SDK_SK, the
//! # HUAWEICLOUD_OIDC_* variables, or HUAWEICLOUD_SDK_METADATA_ENDPOINT for a metadata fake.
//! cargo run -p hss-client --features host-management --example list_host_status -- \
//!     --region cn-north-4 --project-id <project id> [--page-size N] [--max-items N] [--endpoint URL]
//! ```
//!
//! Each host is printed as one JSON object per line on stdout, as its page arrives; a failure
//! prints one line starting with `error:` on stderr (the status, request id, error code and
//! message of a service error) and exits 1; bad flags exit 2. The logic lives in [`run`] so the
//! end-to-end tests can drive it.

use std::io::Write;
use std::process::ExitCode;

use futures_util::StreamExt;
use hss_client::Client;

const USAGE: &str = "usage: list_host_status (--region ID | --endpoint URL) [--project-id ID] \
[--page-size N] [--max-items N]";

/// The flags.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Options {
    pub region: Option<String>,
    pub endpoint: Option<String>,
    pub project_id: Option<String>,
    /// The `limit` of each page; the operation's default page size when unset.
    pub page_size: Option<i64>,
    /// Stop after this many hosts (fetching no page beyond the one holding the last).
    pub max_items: Option<usize>,
}

/// How the program exits and what it printed on stderr (stdout is written as it goes).
#[derive(Debug, PartialEq, Eq)]
pub struct Outcome {
    pub exit_code: u8,
    pub stderr: String,
}

impl Outcome {
    fn success() -> Self {
        Self {
            exit_code: 0,
            stderr: String::new(),
        }
    }

    fn failure(exit_code: u8, message: &str) -> Self {
        // One line, whatever the message holds.
        let line = message.replace(['\n', '\r'], " ");
        Self {
            exit_code,
            stderr: format!("error: {line}"),
        }
    }
}

/// Keeps a flag's text, refusing it twice.
fn text(slot: &mut Option<String>, flag: &str, value: String) -> Result<(), String> {
    if slot.replace(value).is_some() {
        return Err(format!("{flag} is given twice"));
    }
    Ok(())
}

/// Parses `--flag value` and `--flag=value`.
pub fn parse_args(args: &[String]) -> Result<Options, String> {
    let mut options = Options::default();
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((flag, value)) if flag.starts_with("--") => (flag, Some(value.to_owned())),
            _ => (arg.as_str(), None),
        };
        if matches!(flag, "-h" | "--help") {
            return Err(USAGE.to_owned());
        }
        if !matches!(
            flag,
            "--region" | "--endpoint" | "--project-id" | "--page-size" | "--max-items"
        ) {
            return Err(format!("unknown argument {flag:?}; {USAGE}"));
        }
        let value = match inline {
            Some(value) => value,
            None => args
                .next()
                .filter(|value| !value.starts_with("--"))
                .cloned()
                .ok_or_else(|| format!("{flag} needs a value; {USAGE}"))?,
        };
        if value.is_empty() {
            return Err(format!("{flag} needs a non-empty value"));
        }
        match flag {
            "--region" => text(&mut options.region, flag, value)?,
            "--endpoint" => text(&mut options.endpoint, flag, value)?,
            "--project-id" => text(&mut options.project_id, flag, value)?,
            "--page-size" => {
                let size = value
                    .parse::<i64>()
                    .ok()
                    .filter(|size| *size >= 1)
                    .ok_or_else(|| {
                        format!("--page-size {value:?} is not a whole number of at least 1")
                    })?;
                if options.page_size.replace(size).is_some() {
                    return Err(format!("{flag} is given twice"));
                }
            }
            _ => {
                let count = value
                    .parse::<usize>()
                    .map_err(|_| format!("--max-items {value:?} is not a whole number"))?;
                if options.max_items.replace(count).is_some() {
                    return Err(format!("{flag} is given twice"));
                }
            }
        }
    }
    if options.region.is_none() && options.endpoint.is_none() {
        return Err(format!("give --region or --endpoint; {USAGE}"));
    }
    Ok(options)
}

/// Runs the example with these arguments (without the program name) and environment, writing
/// one line of JSON per host to `stdout` as the pages arrive.
pub async fn run(
    args: &[String],
    env: impl Fn(&str) -> Option<String> + Send + Sync + 'static,
    stdout: &mut dyn Write,
) -> Outcome {
    let options = match parse_args(args) {
        Ok(options) => options,
        Err(message) => return Outcome::failure(2, &message),
    };
    let mut builder = Client::builder().env_lookup(env);
    if let Some(region) = &options.region {
        builder = builder.region_id(region);
    }
    if let Some(endpoint) = &options.endpoint {
        builder = builder.endpoint(endpoint);
    }
    if let Some(project_id) = &options.project_id {
        builder = builder.project_id(project_id);
    }
    let client = match builder.build() {
        Ok(client) => client,
        Err(error) => return Outcome::failure(1, &with_causes(&error)),
    };
    let mut call = client.list_host_status();
    if let Some(size) = options.page_size {
        call = call.limit(size);
    }
    let mut hosts = call
        .into_stream()
        .take(options.max_items.unwrap_or(usize::MAX));
    while let Some(host) = hosts.next().await {
        let host = match host {
            Ok(host) => host,
            Err(error) => return Outcome::failure(1, &with_causes(&error)),
        };
        let line = match serde_json::to_string(&host) {
            Ok(line) => line,
            Err(error) => return Outcome::failure(1, &format!("could not print a host: {error}")),
        };
        if let Err(error) = writeln!(stdout, "{line}") {
            return Outcome::failure(1, &format!("could not write to stdout: {error}"));
        }
    }
    match stdout.flush() {
        Ok(()) => Outcome::success(),
        Err(error) => Outcome::failure(1, &format!("could not write to stdout: {error}")),
    }
}

/// The error and each of its causes, joined by `: ` (each error's text names only itself).
fn with_causes(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut cause = error.source();
    while let Some(error) = cause {
        text.push_str(": ");
        text.push_str(&error.to_string());
        cause = error.source();
    }
    text
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("error: could not start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    let mut stdout = std::io::stdout().lock();
    let outcome = runtime.block_on(run(
        &args,
        hss_client::runtime::credentials::process_env,
        &mut stdout,
    ));
    if !outcome.stderr.is_empty() {
        eprintln!("{}", outcome.stderr);
    }
    ExitCode::from(outcome.exit_code)
}
