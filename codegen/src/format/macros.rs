//! The layout of the `json_struct!` invocations the model emitter writes, which prettyplease
//! prints as one run of tokens: here one field to a line, as a reviewer reads a struct.

use proc_macro2::{Delimiter, TokenStream, TokenTree};
use quote::ToTokens;

/// The invocation laid out, or `None` when `mac` is not a `json_struct!` call of the shape the
/// emitter writes (prettyplease prints those).
pub(crate) fn json_struct(mac: &syn::ItemMacro) -> Option<String> {
    let path = &mac.mac.path;
    if path.segments.last()?.ident != "json_struct" || mac.ident.is_some() {
        return None;
    }
    let body: JsonStruct = syn::parse2(mac.mac.tokens.clone()).ok()?;
    let mut text = String::new();
    for attr in &mac.attrs {
        text.push_str(&attribute(attr));
    }
    let path: String = path
        .to_token_stream()
        .to_string()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    text.push_str(&format!("{path}! {{\n"));
    for attr in &body.attrs {
        text.push_str("    ");
        text.push_str(&attribute(attr));
    }
    text.push_str(&format!("    {} {{\n", body.name));
    for (field, presence, wire) in &body.fields {
        text.push_str(&format!("        {field}: {presence} {wire},\n"));
    }
    text.push_str("    }\n");
    if let Some(rest) = &body.rest {
        text.push_str(&format!("    {rest}\n"));
    }
    text.push_str("}\n");
    Some(text)
}

/// `#[...]` as prettyplease prints it on an item.
fn attribute(attr: &syn::Attribute) -> String {
    let Ok(item) = syn::parse2::<syn::Item>(quote::quote!(#attr struct X;)) else {
        return format!("{}\n", attr.to_token_stream());
    };
    let printed = prettyplease::unparse(&syn::File {
        shebang: None,
        attrs: Vec::new(),
        items: vec![item],
    });
    let attribute = printed
        .split_once("struct X;")
        .map_or(printed.as_str(), |(attribute, _)| attribute);
    format!("{}\n", attribute.trim_end())
}

/// `#[attr]* Name { field: presence "wire", ... } additional_properties?`.
struct JsonStruct {
    attrs: Vec<syn::Attribute>,
    name: syn::Ident,
    fields: Vec<(String, String, String)>,
    rest: Option<syn::Ident>,
}

impl syn::parse::Parse for JsonStruct {
    fn parse(input: syn::parse::ParseStream<'_>) -> syn::Result<Self> {
        let attrs = input.call(syn::Attribute::parse_outer)?;
        let name: syn::Ident = input.parse()?;
        let group: proc_macro2::Group = input.parse()?;
        if group.delimiter() != Delimiter::Brace {
            return Err(syn::Error::new(group.span(), "expected braces"));
        }
        let rest = if input.is_empty() {
            None
        } else {
            Some(input.parse()?)
        };
        Ok(Self {
            attrs,
            name,
            fields: fields(group.stream())?,
            rest,
        })
    }
}

/// `field: presence "wire",` repeated.
fn fields(tokens: TokenStream) -> syn::Result<Vec<(String, String, String)>> {
    let parser = |input: syn::parse::ParseStream<'_>| {
        let mut fields = Vec::new();
        while !input.is_empty() {
            let field: syn::Ident = syn::ext::IdentExt::parse_any(input)?;
            input.parse::<syn::Token![:]>()?;
            let presence: syn::Ident = input.parse()?;
            let wire: syn::LitStr = input.parse()?;
            if !input.is_empty() {
                input.parse::<syn::Token![,]>()?;
            }
            fields.push((
                field.to_string(),
                presence.to_string(),
                TokenTree::Literal(wire.token()).to_string(),
            ));
        }
        Ok(fields)
    };
    syn::parse::Parser::parse2(parser, tokens)
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    fn laid_out(tokens: TokenStream) -> Option<String> {
        json_struct(&syn::parse2(tokens).expect("an item macro"))
    }

    #[test]
    fn one_field_to_a_line() {
        let text = laid_out(quote! {
            rt::json_struct! {
                #[allow(deprecated)]
                Host { r#type: required "type", name: optional "host \"name\"", }
                additional_properties
            }
        });
        assert_eq!(
            text.as_deref(),
            Some(
                "rt::json_struct! {\n    #[allow(deprecated)]\n    Host {\n        r#type: required \"type\",\n        name: optional \"host \\\"name\\\"\",\n    }\n    additional_properties\n}\n"
            )
        );
        let empty = laid_out(quote!(rt::json_struct! { Empty {} }));
        assert_eq!(
            empty.as_deref(),
            Some("rt::json_struct! {\n    Empty {\n    }\n}\n")
        );
    }

    #[test]
    fn other_macros_and_other_shapes_are_left_to_prettyplease() {
        assert_eq!(laid_out(quote!(println! { "x" })), None);
        assert_eq!(laid_out(quote!(rt::json_struct! { (a, b) })), None);
    }
}
