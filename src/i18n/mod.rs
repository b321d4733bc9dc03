//! Languages: what a reader sees in their own language, with the facts stated once.
//! [`messages`] holds the interface strings (Project Fluent, embedded en/ru/kk, overridable
//! per site), [`dates`] formats partial dates per language at their precision (ICU4X,
//! CLDR data compiled in), [`stamp`] records which version of an original a translation
//! translates, so that `check` can say when and where the original changed since.
//! This module reads no files and knows no routes: callers give it text and codes.

pub mod collate;
pub mod dates;
#[cfg(test)]
mod goldens;
pub mod labels;
pub mod messages;
pub mod stamp;
