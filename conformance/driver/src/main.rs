//! The Rust side of `conformance/run-all-operations`: reads one case per line on standard input,
//! makes the call through the client's public builders (the dispatch is generated from
//! spec/hss.yaml, or the spec `CONFORMANCE_SPEC` names, by the build script; the client is the
//! dependency named `service`: hss-client here, another service's generated crate in the scratch
//! manifest conformance/run-all-operations writes) and prints one JSON line per case:
//! `{"id": N, "ok": <decoded answer>}` or `{"id": N, "error": "..."}`.
//!
//! Usage: conformance-driver --endpoint URL --project-id ID --ak AK --sk SK

mod case;
// The dispatch names every helper of `case`; a service without binary answers (KMS) uses fewer.
#[allow(unused_imports)]
mod dispatch {
    include!(concat!(env!("OUT_DIR"), "/dispatch.rs"));
}

use std::process::ExitCode;

use service::{Client, Credentials, RetryPolicy};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

use crate::case::Case;

struct Options {
    endpoint: String,
    project_id: String,
    access_key: String,
    secret_key: String,
}

fn options(arguments: &[String]) -> Result<Options, String> {
    let mut values = std::collections::BTreeMap::new();
    let mut rest = arguments.iter();
    while let Some(flag) = rest.next() {
        let value = rest
            .next()
            .ok_or_else(|| format!("`{flag}` needs a value"))?;
        if !matches!(
            flag.as_str(),
            "--endpoint" | "--project-id" | "--ak" | "--sk"
        ) {
            return Err(format!("unexpected argument `{flag}`"));
        }
        values.insert(flag.clone(), value.clone());
    }
    let mut take = |flag: &str| {
        values
            .remove(flag)
            .ok_or_else(|| format!("missing `{flag}`"))
    };
    Ok(Options {
        endpoint: take("--endpoint")?,
        project_id: take("--project-id")?,
        access_key: take("--ak")?,
        secret_key: take("--sk")?,
    })
}

fn client(options: &Options, credentials: Credentials) -> Result<Client, String> {
    Client::builder()
        .endpoint(options.endpoint.clone())
        .project_id(options.project_id.clone())
        .credentials(credentials)
        // One request per call, like the official SDK the requests are compared with.
        .retry_policy(RetryPolicy::never())
        .env_lookup(|_| None)
        .build()
        .map_err(|error| error.to_string())
}

async fn run(options: Options) -> Result<(), String> {
    let permanent = client(
        &options,
        Credentials::permanent(options.access_key.clone(), options.secret_key.clone()),
    )?;
    let mut lines = BufReader::new(tokio::io::stdin()).lines();
    let mut stdout = tokio::io::stdout();
    while let Some(line) = lines.next_line().await.map_err(|error| error.to_string())? {
        let case: Case =
            serde_json::from_str(&line).map_err(|error| format!("bad case: {error}"))?;
        let outcome = match &case.token {
            None => dispatch::dispatch(&permanent, &case).await,
            Some(token) => {
                let temporary = client(
                    &options,
                    Credentials::temporary(
                        options.access_key.clone(),
                        options.secret_key.clone(),
                        token.clone(),
                    ),
                )?;
                dispatch::dispatch(&temporary, &case).await
            }
        };
        let answer = match outcome {
            Ok(value) => serde_json::json!({"id": case.id, "ok": value}),
            Err(error) => serde_json::json!({"id": case.id, "error": error}),
        };
        let mut text = answer.to_string();
        text.push('\n');
        stdout
            .write_all(text.as_bytes())
            .await
            .map_err(|error| error.to_string())?;
        stdout.flush().await.map_err(|error| error.to_string())?;
    }
    Ok(())
}

#[tokio::main]
async fn main() -> ExitCode {
    let arguments: Vec<String> = std::env::args().skip(1).collect();
    let result = match options(&arguments) {
        Ok(options) => run(options).await,
        Err(error) => Err(error),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}
