//! `into_stream()` and `into_pages()` on the builder of an offset/limit list operation: a few
//! lines handing the runtime's pager the call's start and how to send one page of it.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::super::{ident, rust_type};
use super::{is_argument, models_prefix};
use crate::ir::{Operation, PageField, Presence};

/// The two methods, or nothing for an operation without `x-pagination`.
pub(super) fn methods(operation: &Operation) -> TokenStream {
    let Some(pagination) = &operation.pagination else {
        return TokenStream::new();
    };
    let param = |name: &str| operation.params.iter().find(|param| param.name == name);
    let (Some(offset), Some(limit)) = (param(&pagination.offset), param(&pagination.limit)) else {
        return TokenStream::new();
    };
    let item = rust_type(&pagination.item, &models_prefix());
    let default_limit = Literal::u64_unsuffixed(pagination.default_limit);
    // A required parameter is a plain field of the builder; an optional one an `Option`.
    let (offset_wire, limit_wire) = (&offset.wire_name, &limit.wire_name);
    let (offset_field, limit_field) = (ident(&offset.name), ident(&limit.name));
    let given = |param, field| {
        if is_argument(param) {
            quote!(Some(self.#field))
        } else {
            quote!(self.#field)
        }
    };
    let set = |param, field, wire, local| {
        let value = quote!(runtime::page_parameter(#wire, #local)?);
        if is_argument(param) {
            quote!(call.#field = #value;)
        } else {
            quote!(call.#field = Some(#value);)
        }
    };
    let offset_given = given(offset, &offset_field);
    let limit_given = given(limit, &limit_field);
    let set_offset = set(offset, &offset_field, offset_wire, quote!(offset));
    let set_limit = set(limit, &limit_field, limit_wire, quote!(limit));
    let items = read(&pagination.items);
    let total = read(&pagination.total);
    let reads_deprecated = (pagination.items.deprecated || pagination.total.deprecated)
        .then(|| quote!(#[allow(deprecated)]));
    let items_name = &pagination.items.name;
    let stream_doc = format!(
        " Every item of every page, as a stream that fetches a page when it needs one: this call \
         with `{offset_wire}` advanced page by page, {} items a page unless `{limit_wire}` is set. \
         See [`Self::into_pages`] for when it ends.",
        pagination.default_limit
    );
    let pages_doc = format!(
        " Every page of this call (its `{items_name}`, `{}` and request id), as a lazy stream: \
         each page is the call sent again (signed afresh, retried like any call) with the next \
         `{offset_wire}`, from the call's own `{offset_wire}` (else 0). It ends after a page that \
         is empty, shorter than the page size, or reaches the total; an error ends it after the \
         pages before.",
        pagination.total.name
    );
    quote! {
        #[doc = #stream_doc]
        #[inline]
        pub fn into_stream(self) -> runtime::Items<'a, #item> {
            self.into_pages().into_items()
        }

        #[doc = #pages_doc]
        #reads_deprecated
        #[inline]
        pub fn into_pages(self) -> runtime::Pages<'a, #item> {
            let start = runtime::page_start(
                (#offset_wire, #offset_given),
                (#limit_wire, #limit_given),
                #default_limit,
            );
            runtime::Pages::new(start, move |offset, limit| {
                let mut call = self.clone();
                #set_offset
                #set_limit
                Ok(runtime::fetch_page(call.send(), |body| (#items, #total)))
            })
        }
    }
}

/// The field as an `Option` of its value.
fn read(field: &PageField) -> TokenStream {
    let name = ident(&field.name);
    match field.presence {
        Presence::Required => quote!(Some(body.#name)),
        Presence::RequiredNullable | Presence::Optional => quote!(body.#name),
        Presence::OptionalNullable => quote!(body.#name.flatten()),
    }
}
