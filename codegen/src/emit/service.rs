//! The service file: the `SERVICE` facts the runtime reads (`ServiceInfo`) and the region
//! constants.

use proc_macro2::TokenStream;
use quote::quote;

use super::{RuntimePaths, ident};
use crate::ir::Service;

pub(crate) fn emit(service: &Service, paths: &RuntimePaths, spec_path: &str) -> TokenStream {
    let krate = &paths.krate;
    let file_doc = format!(
        " The facts of the service of `{spec_path}` the runtime reads: its regions and endpoints, \
         its name in the endpoint override variables, its user-agent product."
    );
    let name = match &service.name {
        Some(name) => quote!(#name),
        None => quote!(env!("CARGO_PKG_NAME")),
    };
    let product = match &service.user_agent {
        Some(product) => quote!(#product),
        None => quote!(env!("CARGO_PKG_NAME")),
    };
    let env_example = format!(
        " `HUAWEICLOUD_SDK_REGION_{}_<REGION_ID>` overrides a region's endpoint.",
        service
            .name
            .as_deref()
            .unwrap_or("<PACKAGE_NAME>")
            .to_ascii_uppercase()
            .replace('-', "_")
    );
    let constants: Vec<TokenStream> = service
        .regions
        .iter()
        .map(|region| {
            let constant = ident(&region.name);
            let (id, endpoint) = (&region.id, &region.endpoint);
            let doc = format!(" `{id}`: <{endpoint}>");
            quote! {
                #[doc = #doc]
                pub const #constant: Region = Region::new(#id, #endpoint);
            }
        })
        .collect();
    let names: Vec<_> = service
        .regions
        .iter()
        .map(|region| ident(&region.name))
        .collect();
    let service_static = |regions: TokenStream| {
        quote! {
            /// The service, as the runtime reads it.
            #[doc = #env_example]
            pub static SERVICE: ServiceInfo = ServiceInfo::new(
                #name,
                concat!(#product, "/", env!("CARGO_PKG_VERSION")),
                #regions,
            );
        }
    };
    let service = service_static(quote!(regions::ALL));
    quote! {
        #![doc = #file_doc]

        use #krate::ServiceInfo;

        #service

        /// The service's regions as constants.
        pub mod regions {
            use #krate::Region;

            #(#constants)*

            /// Every region, in the spec's order.
            pub const ALL: &[Region] = &[#(#names),*];

            /// The region with this id (exact, as the official SDKs look it up).
            pub fn from_id(id: &str) -> Option<Region> {
                super::SERVICE.region(id)
            }
        }
    }
}
