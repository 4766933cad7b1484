//! The `lib.rs` of a standalone crate: declares the generated modules and wraps the runtime client.

use proc_macro2::TokenStream;
use quote::quote;

use super::ident;

pub(crate) fn emit(crate_name: &str, spec_path: &str) -> TokenStream {
    let krate = ident(crate_name);
    let file_doc = format!(" A client for `{spec_path}`, generated on the `{crate_name}` runtime.");
    quote! {
        #![doc = #file_doc]

        pub mod models;
        pub mod operations;
        pub mod service;

        pub use service::regions;

        /// The client: the runtime client plus one method per operation.
        #[derive(Debug, Clone)]
        pub struct Client {
            inner: #krate::Client,
        }

        impl Client {
            /// Starts building a runtime client for this crate's service; wrap the built one
            /// with [`Client::new`] (or `.into()`).
            pub fn builder() -> #krate::ClientBuilder {
                #krate::ClientBuilder::for_service(&service::SERVICE)
            }

            /// Wraps a configured runtime client.
            pub fn new(inner: #krate::Client) -> Self {
                Self { inner }
            }

            /// The runtime client the operations run on.
            pub fn as_runtime(&self) -> &#krate::Client {
                &self.inner
            }
        }

        impl From<#krate::Client> for Client {
            fn from(inner: #krate::Client) -> Self {
                Self::new(inner)
            }
        }
    }
}
