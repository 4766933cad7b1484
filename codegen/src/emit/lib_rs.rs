//! The crate's `lib.rs`: declares the generated modules, re-exports the runtime's public types
//! and wraps the runtime client in the crate's own `Client`.

use proc_macro2::TokenStream;
use quote::quote;

use super::ident;
use crate::Config;
use crate::ir::Api;

pub(crate) fn emit(api: &Api, config: &Config) -> TokenStream {
    let krate = ident(&config.runtime_crate);
    let service = api.service.name.as_deref().unwrap_or("the service");
    let file_doc = format!(
        " A client for {service}, generated from `{}` on the `{}` runtime.",
        config.spec_path, config.runtime_crate
    );
    let readme = config.readme_doctests.as_ref().map(|readme| {
        quote! {
            /// Runs the Rust examples of the README as doc tests, so they stay true.
            #[cfg(doctest)]
            #[doc = include_str!(#readme)]
            struct ReadmeDoctests;
        }
    });
    // `#[rustfmt::skip]` on the modules: the generated files are laid out by prettyplease, not
    // rustfmt, and a workspace's `cargo fmt --check` must not reformat them.
    quote! {
        #![doc = #file_doc]

        #[rustfmt::skip]
        pub mod models;
        #[rustfmt::skip]
        pub mod operations;
        #[rustfmt::skip]
        pub mod service;

        pub use service::regions;

        /// The runtime this crate is generated on: settings, credentials, transport, errors.
        pub use #krate as runtime;
        // In lists short enough for one line, which prettyplease and rustfmt lay out alike.
        pub use #krate::{ApiResponse, ByteStream, ConfigError, Credentials, Error};
        pub use #krate::{ErrorKind, Items, Page, Pages, Region, RetryCondition};
        pub use #krate::{RetryPolicy, Secret, ServiceError, TimeoutPhase};

        /// Builds a [`Client`]: [`Client::builder()`], a region (or an endpoint), then `build()`.
        pub type ClientBuilder = #krate::ClientBuilder<Client>;
        #[cfg(feature = "test-util")]
        pub use #krate::test_util;

        /// The client: the runtime client of this service plus one method per operation. Cheap
        /// to clone; clones share the settings and the connection pool.
        #[derive(Debug, Clone)]
        pub struct Client {
            inner: #krate::Client,
        }

        impl Client {
            /// Starts building a client for this service: set a region (or an endpoint), then
            /// `build()`.
            pub fn builder() -> ClientBuilder {
                ClientBuilder::for_service(&service::SERVICE)
            }

            /// The runtime client the operations run on: its endpoint, project id and settings.
            pub fn as_runtime(&self) -> &#krate::Client {
                &self.inner
            }
        }

        impl From<#krate::Client> for Client {
            fn from(inner: #krate::Client) -> Self {
                Self { inner }
            }
        }

        #readme
    }
}
