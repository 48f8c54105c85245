//! Formal letters laid out as Decree 30/2020 documents: HTML for preview and printing, PDF for
//! sending and archiving. Both take a composed [`congvu_core::letter::compose::Document`]; the
//! letter's text travels to the typesetter as data, never as template source.

pub mod html;
pub mod pdf;

mod data;

/// What can go wrong while rendering.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The shipped template failed to compile or lay out: a packaging bug, caught by tests.
    #[error("the letter template failed: {0}")]
    Template(String),
    /// The PDF writer refused the laid-out document.
    #[error("the PDF could not be written: {0}")]
    Pdf(String),
}
