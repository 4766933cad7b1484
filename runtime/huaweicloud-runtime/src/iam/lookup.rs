//! The IAM request that finds a region's project id (`GET /v3/projects?name=<region>`) and the
//! reading of its answer, hostile answers included.

use http::{HeaderMap, StatusCode};
use serde_json::Value;

use super::ProjectIdError;
use crate::endpoint::Endpoint;
use crate::error::{ConfigError, Error, Repr};
use crate::orchestrator;
use crate::request::OperationRequest;
use crate::retry::jitter::JitterSource;
use crate::settings::Config;
use crate::transport::HttpSend;
use http::Method;

/// The IAM operation of the lookup, as errors and tracing spans name it.
pub const OPERATION_ID: &str = "KeystoneListProjects";

/// IAM's trace id header, the request id of its answers.
const TRACE_ID_HEADER: &str = "X-IAM-Trace-Id";

/// Asks IAM at `iam` for the project of `region` with the client's credentials and settings.
///
/// It is a call of its own through the client's sender and attempt loop: the same timeouts,
/// deadline, retry policy, TLS, proxy and body size limit; signed like every call, with the
/// headers the official SDKs sign for it (`Host`, `User-Agent`, `X-Sdk-Date`, and
/// `X-Security-Token` for temporary credentials): no `Content-Type` (no body) and no
/// `X-Project-Id` (the IAM config has none, the request no client parameter).
pub(super) async fn find_project_id(
    config: &Config,
    iam: &Endpoint,
    region: &str,
    sender: &dyn HttpSend,
    jitter: &JitterSource,
) -> Result<String, Error> {
    let iam_config = Config {
        project_id: None,
        endpoint: iam.clone(),
        region_id: None,
        iam_endpoint: None,
        ..config.clone()
    };
    let mut request = OperationRequest::new(OPERATION_ID, Method::GET, "/v3/projects".to_owned());
    request.query("name", region);
    let response = orchestrator::execute(&iam_config, sender, jitter, request)
        .await
        .map_err(with_trace_id)?;
    let project_id = read_answer(
        region,
        response.status(),
        response.headers(),
        response.body(),
    )?;
    // The id itself is left out, as the official SDKs mask it in their log.
    tracing::info!(region, "found the project id through IAM");
    Ok(project_id)
}

/// The project id of a success answer, or why there is none.
pub(super) fn read_answer(
    region: &str,
    status: StatusCode,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<String, Error> {
    let undecodable = |message: &str| {
        let mut error = Error::decode(
            OPERATION_ID,
            status,
            headers.clone(),
            bytes::Bytes::copy_from_slice(body),
            message.to_owned(),
        );
        if let Repr::Decode { request_id, .. } = error.repr_mut() {
            if request_id.is_none() {
                *request_id = trace_id(headers);
            }
        }
        error
    };
    let json: Value =
        serde_json::from_slice(body).map_err(|_| undecodable("IAM's answer is not JSON"))?;
    let projects = json
        .get("projects")
        .and_then(Value::as_array)
        .ok_or_else(|| undecodable("IAM's answer has no list `projects`"))?;
    let mut ids = Vec::with_capacity(projects.len());
    for project in projects {
        let id = project
            .get("id")
            .and_then(Value::as_str)
            .ok_or_else(|| undecodable("a project of IAM's answer has no text `id`"))?;
        // The id goes into a path and a header: anything but visible ASCII is not an id, and a
        // dot segment would change the path the call goes to.
        if id.is_empty() || !id.bytes().all(|byte| byte.is_ascii_graphic()) {
            return Err(undecodable(
                "a project id of IAM's answer is empty or not visible ASCII",
            ));
        }
        if id == "." || id == ".." {
            return Err(undecodable("a project id of IAM's answer is a dot segment"));
        }
        ids.push(id.to_owned());
    }
    let trace_id = trace_id(headers);
    match ids.len() {
        1 => Ok(ids.remove(0)),
        0 => Err(ConfigError::ProjectId(ProjectIdError::NoProject {
            region: region.to_owned(),
            trace_id,
        })
        .into()),
        _ => Err(ConfigError::ProjectId(ProjectIdError::SeveralProjects {
            region: region.to_owned(),
            ids,
            trace_id,
        })
        .into()),
    }
}

/// IAM's `X-IAM-Trace-Id`, on one line.
fn trace_id(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(TRACE_ID_HEADER)?;
    let text: String = String::from_utf8_lossy(value.as_bytes())
        .trim()
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    (!text.is_empty()).then_some(text)
}

/// IAM answers with `X-IAM-Trace-Id` where services send `X-Request-Id`: an error of an answer
/// without the latter reports the former as its request id.
fn with_trace_id(mut error: Error) -> Error {
    let Some(headers) = error.response_headers() else {
        return error;
    };
    let Some(trace) = trace_id(headers) else {
        return error;
    };
    match error.repr_mut() {
        Repr::Service { error, .. } => error.fill_request_id(trace),
        Repr::Decode { request_id, .. }
        | Repr::UnexpectedStatus { request_id, .. }
        | Repr::ResponseTooLarge { request_id, .. } => {
            request_id.get_or_insert(trace);
        }
        _ => {}
    }
    error
}

#[cfg(test)]
mod tests;
