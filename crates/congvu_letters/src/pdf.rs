//! PDF through typst: a small, sealed typst world holding one template, the embedded Liberation
//! Serif faces and the letter as `sys.inputs.letter`. It reads no files, knows no packages and no
//! clock, so the same letter always gives the same bytes.

use std::sync::LazyLock;

use congvu_core::letter::compose::Document;
use typst::diag::{FileError, FileResult, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime, Dict, Duration, IntoValue, Smart};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_layout::PagedDocument;

use crate::Error;

const TEMPLATE: &str = include_str!("../templates/letter.typ");

/// Liberation Serif 2.1.5 (SIL Open Font License 1.1, `fonts/OFL.txt`): metric-compatible with
/// Times New Roman, the face Decree 30/2020 names, and covers Vietnamese.
const FONT_FILES: [&[u8]; 4] = [
    include_bytes!("../fonts/LiberationSerif-Regular.ttf"),
    include_bytes!("../fonts/LiberationSerif-Bold.ttf"),
    include_bytes!("../fonts/LiberationSerif-Italic.ttf"),
    include_bytes!("../fonts/LiberationSerif-BoldItalic.ttf"),
];

struct Fonts {
    fonts: Vec<Font>,
    book: LazyHash<FontBook>,
}

static FONTS: LazyLock<Fonts> = LazyLock::new(|| {
    let fonts: Vec<Font> = FONT_FILES
        .iter()
        .flat_map(|data| Font::iter(Bytes::new(*data)))
        .collect();
    let book = LazyHash::new(FontBook::from_fonts(&fonts));
    Fonts { fonts, book }
});

/// The PDF's producer line.
const CREATOR: &str = "congvu";

/// Renders the letter to PDF. `ident` names the document inside the PDF (the letter's id), so
/// two renders of the same letter are byte-identical.
pub fn render(doc: &Document, ident: &str) -> Result<Vec<u8>, Error> {
    let world = LetterWorld::new(doc)?;
    let compiled = typst::compile::<PagedDocument>(&world).output;
    // Typst memoises layouts across calls; letters rarely repeat, so keep the cache small.
    typst::comemo::evict(10);
    let document = compiled.map_err(|e| Error::Template(messages(e.as_slice())))?;
    let options = typst_pdf::PdfOptions {
        ident: Smart::Custom(ident.to_owned()),
        creator: Smart::Custom(Some(CREATOR.to_owned())),
        timestamp: None,
        ..Default::default()
    };
    typst_pdf::pdf(&document, &options).map_err(|e| Error::Pdf(messages(e.as_slice())))
}

fn messages(diagnostics: &[SourceDiagnostic]) -> String {
    diagnostics
        .iter()
        .map(|d| d.message.as_str())
        .collect::<Vec<_>>()
        .join("; ")
}

/// One letter's world.
struct LetterWorld {
    library: LazyHash<Library>,
    main: Source,
}

impl LetterWorld {
    fn new(doc: &Document) -> Result<Self, Error> {
        let path = VirtualPath::new("letter.typ").map_err(|e| Error::Template(e.to_string()))?;
        let id = RootedPath::new(VirtualRoot::Project, path).intern();
        let mut inputs = Dict::new();
        inputs.insert(
            "letter".into(),
            crate::data::to_json(doc).to_string().into_value(),
        );
        Ok(Self {
            library: LazyHash::new(Library::builder().with_inputs(inputs).build()),
            main: Source::new(id, TEMPLATE.to_owned()),
        })
    }
}

impl World for LetterWorld {
    fn library(&self) -> &LazyHash<Library> {
        &self.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &FONTS.book
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            Ok(self.main.clone())
        } else {
            Err(FileError::AccessDenied)
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.main.id() {
            Ok(Bytes::from_string(self.main.clone()))
        } else {
            Err(FileError::AccessDenied)
        }
    }

    fn font(&self, index: usize) -> Option<Font> {
        FONTS.fonts.get(index).cloned()
    }

    /// No clock: a template that asked for today's date would make output depend on the day.
    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        None
    }
}
