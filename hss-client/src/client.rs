//! The client: holds the endpoint and the HTTP connection pool, and runs operation requests
//! (placeholder transport; the cloud runtime adds signing, credentials, regions and retries).

use crate::error::Error;
use crate::runtime::{OperationRequest, RawResponse, RequestBody};

/// The HSS client. Cheap to clone; clones share the connection pool.
#[derive(Debug, Clone)]
pub struct Client {
    http: reqwest::Client,
    endpoint: String,
    project_id: Option<String>,
}

impl Client {
    /// A client for `endpoint` (such as `https://hss.cn-north-4.myhuaweicloud.com`).
    pub fn new(endpoint: impl Into<String>) -> Self {
        Self {
            http: reqwest::Client::new(),
            endpoint: endpoint.into().trim_end_matches('/').to_owned(),
            project_id: None,
        }
    }

    /// Sets the project id that fills `{project_id}` unless a call overrides it.
    pub fn with_project_id(mut self, project_id: impl Into<String>) -> Self {
        self.project_id = Some(project_id.into());
        self
    }

    /// The client the generated operations run on (the standalone crates wrap it).
    #[doc(hidden)]
    pub fn as_runtime(&self) -> &Client {
        self
    }

    /// Resolves a parameter the client fills from its settings unless the call overrides it.
    pub fn client_param(&self, name: &'static str, call_value: Option<String>) -> Result<String, Error> {
        if let Some(value) = call_value {
            return Ok(value);
        }
        let setting = match name {
            "project_id" => self.project_id.clone(),
            _ => None,
        };
        setting.ok_or_else(|| {
            Error::invalid_argument(name, "is not set: set it on the client or on the call")
        })
    }

    /// Sends one operation request and returns the raw answer of a successful call.
    pub async fn execute(&self, request: OperationRequest) -> Result<RawResponse, Error> {
        let mut url = format!("{}{}", self.endpoint, request.path());
        if !request.query_pairs().is_empty() {
            let query: Vec<String> = request
                .query_pairs()
                .iter()
                .map(|(k, v)| {
                    format!(
                        "{}={}",
                        crate::runtime::encode_path_segment(k),
                        crate::runtime::encode_path_segment(v)
                    )
                })
                .collect();
            url.push('?');
            url.push_str(&query.join("&"));
        }
        let mut builder = self.http.request(request.method().clone(), url);
        for (name, value) in request.headers() {
            builder = builder.header(*name, value);
        }
        if let RequestBody::Bytes { content_type, bytes } = request.body() {
            builder = builder
                .header(http::header::CONTENT_TYPE, content_type)
                .body(bytes.clone());
        }
        let response = builder.send().await?;
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.bytes().await?;
        if status.as_u16() >= 400 {
            return Err(Error::Service {
                status,
                body: String::from_utf8_lossy(&body).into_owned(),
            });
        }
        Ok(RawResponse::new(request.operation_id(), status, headers, body))
    }
}
