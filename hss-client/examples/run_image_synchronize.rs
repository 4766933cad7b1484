//! The Rust twin of the official SDK examples: synchronize the image list from SWR.
//!
//! ```text
//! # Credentials come from the default chain (README, "Credentials"): on an ECS or in a CCE pod
//! # with an agency nothing is needed; else e.g. HUAWEICLOUD_SDK_AK / HUAWEICLOUD_SDK_SK, the
//! # HUAWEICLOUD_OIDC_* variables, or HUAWEICLOUD_SDK_METADATA_ENDPOINT for a metadata fake.
//! cargo run -p hss-client --example run_image_synchronize -- \
//!     --region cn-north-4 [--project-id <project id>] [--image-type private_image|shared_image] \
//!     [--enterprise-project-id ID] [--region-header ID] [--endpoint URL]
//! ```
//!
//! With `--region` and no project id (no `--project-id`, `HUAWEICLOUD_SDK_PROJECT_ID` or profile
//! file `project_id`), the client finds it through IAM first; `HUAWEICLOUD_SDK_IAM_ENDPOINT` and
//! `HUAWEICLOUD_SDK_REGION_HSS_<ID>` may point both at other (also plain `http://`) servers.
//!
//! Success prints the response body as JSON on stdout and exits 0; a failure prints one line
//! starting with `error:` on stderr and exits 1; bad flags exit 2. The logic lives in [`run`] so
//! the end-to-end tests can drive it.

#![allow(deprecated)] // RunImageSynchronize is deprecated upstream; this example shows how to call it anyway.

use std::process::ExitCode;

use hss_client::Client;
use hss_client::models::{ImageType, RunImageSynchronizeRequestInfo};

const USAGE: &str = "usage: run_image_synchronize (--region ID | --endpoint URL) [--project-id ID] \
[--image-type private_image|shared_image] [--enterprise-project-id ID] [--region-header ID]";

/// The flags.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Options {
    pub region: Option<String>,
    pub endpoint: Option<String>,
    pub project_id: Option<String>,
    pub image_type: Option<String>,
    pub enterprise_project_id: Option<String>,
    pub region_header: Option<String>,
}

/// What the program prints and how it exits.
#[derive(Debug, PartialEq, Eq)]
pub struct Outcome {
    pub exit_code: u8,
    pub stdout: String,
    pub stderr: String,
}

impl Outcome {
    fn failure(exit_code: u8, message: &str) -> Self {
        // One line, whatever the message holds.
        let line = message.replace(['\n', '\r'], " ");
        Self {
            exit_code,
            stdout: String::new(),
            stderr: format!("error: {line}"),
        }
    }
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
        let slot = match flag {
            "--region" => &mut options.region,
            "--endpoint" => &mut options.endpoint,
            "--project-id" => &mut options.project_id,
            "--image-type" => &mut options.image_type,
            "--enterprise-project-id" => &mut options.enterprise_project_id,
            "--region-header" => &mut options.region_header,
            "-h" | "--help" => return Err(USAGE.to_owned()),
            other => return Err(format!("unknown argument {other:?}; {USAGE}")),
        };
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
        if slot.replace(value).is_some() {
            return Err(format!("{flag} is given twice"));
        }
    }
    if options.region.is_none() && options.endpoint.is_none() {
        return Err(format!("give --region or --endpoint; {USAGE}"));
    }
    Ok(options)
}

fn image_type(value: Option<&str>) -> Result<ImageType, String> {
    match value.unwrap_or("private_image") {
        "private_image" => Ok(ImageType::PrivateImage),
        "shared_image" => Ok(ImageType::SharedImage),
        other => Err(format!(
            "--image-type {other:?} is not one of private_image, shared_image"
        )),
    }
}

/// Runs the example with these arguments (without the program name) and environment.
pub async fn run(
    args: &[String],
    env: impl Fn(&str) -> Option<String> + Send + Sync + 'static,
) -> Outcome {
    let (options, image_type) = match parse_args(args).and_then(|options| {
        let image_type = image_type(options.image_type.as_deref())?;
        Ok((options, image_type))
    }) {
        Ok(parsed) => parsed,
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
    let mut call = client.run_image_synchronize(RunImageSynchronizeRequestInfo::new(image_type));
    if let Some(eps) = &options.enterprise_project_id {
        call = call.enterprise_project_id(eps);
    }
    if let Some(region) = &options.region_header {
        call = call.region(region);
    }
    match call.send().await {
        Ok(response) => match serde_json::to_string(response.body()) {
            Ok(json) => Outcome {
                exit_code: 0,
                stdout: json,
                stderr: String::new(),
            },
            Err(error) => Outcome::failure(1, &format!("could not print the response: {error}")),
        },
        Err(error) => Outcome::failure(1, &with_causes(&error)),
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
    let outcome = runtime.block_on(run(&args, hss_client::runtime::credentials::process_env));
    if !outcome.stdout.is_empty() {
        println!("{}", outcome.stdout);
    }
    if !outcome.stderr.is_empty() {
        eprintln!("{}", outcome.stderr);
    }
    ExitCode::from(outcome.exit_code)
}
