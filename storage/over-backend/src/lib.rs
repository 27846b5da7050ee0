//! `#[over_backend]` on an `impl<B> … for Db<B>` block adds the `where`
//! clause every generic SQL impl needs: what the code asks of the database
//! (an executor on a connection, arguments, and encoding and decoding for the
//! column types it uses).
//!
//! Why a macro rather than a trait alias: Rust carries a trait's supertraits
//! to its users but not the rest of its `where` clause (rust-lang/rust#20671),
//! and these bounds are on other types (`i64: Encode<B::DB>`), so a helper
//! trait would still make every impl repeat them. Written here once, the
//! impls read like business code and rustfmt still formats them (it leaves the
//! bodies of `macro_rules!` invocations alone).

use proc_macro::TokenStream;
use quote::quote;
use syn::{parse_macro_input, parse_quote, GenericParam, ItemImpl, WherePredicate};

#[proc_macro_attribute]
pub fn over_backend(args: TokenStream, item: TokenStream) -> TokenStream {
    if !args.is_empty() {
        return syn::Error::new(proc_macro2::Span::call_site(), "#[over_backend] takes no arguments")
            .to_compile_error()
            .into();
    }
    let mut block = parse_macro_input!(item as ItemImpl);
    let Some(b) = block.generics.params.iter().find_map(|p| match p {
        GenericParam::Type(t) => Some(t.ident.clone()),
        _ => None,
    }) else {
        return syn::Error::new_spanned(
            block.impl_token,
            "#[over_backend] needs a backend type parameter: impl<B> … for Db<B>",
        )
        .to_compile_error()
        .into();
    };
    let db = quote!(<#b as crate::sql::Backend>::DB);
    let both = |t: proc_macro2::TokenStream| -> WherePredicate {
        parse_quote!(#t: for<'q> sqlx::Encode<'q, #db> + for<'r> sqlx::Decode<'r, #db> + sqlx::Type<#db>)
    };
    let mut bounds: Vec<WherePredicate> = vec![
        parse_quote!(#b: crate::sql::Backend),
        parse_quote!(for<'c> &'c mut <#db as sqlx::Database>::Connection: sqlx::Executor<'c, Database = #db>),
        parse_quote!(for<'q> <#db as sqlx::Database>::Arguments<'q>: sqlx::IntoArguments<'q, #db>),
        parse_quote!(for<'r> &'r str: sqlx::ColumnIndex<<#db as sqlx::Database>::Row>),
        parse_quote!(usize: sqlx::ColumnIndex<<#db as sqlx::Database>::Row>),
        parse_quote!(for<'q> &'q str: sqlx::Encode<'q, #db> + sqlx::Type<#db>),
        parse_quote!(for<'q> Option<&'q str>: sqlx::Encode<'q, #db> + sqlx::Type<#db>),
        parse_quote!(<#db as sqlx::Database>::QueryResult: crate::sql::RowsAffected),
    ];
    for t in [
        quote!(i64),
        quote!(bool),
        quote!(String),
        quote!(chrono::DateTime<chrono::Utc>),
        quote!(chrono::NaiveDate),
    ] {
        bounds.push(both(t.clone()));
        bounds.push(both(quote!(Option<#t>)));
    }
    block.generics.make_where_clause().predicates.extend(bounds);
    quote!(#block).into()
}
