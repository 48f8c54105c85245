//! Whether an uploaded file's bytes are what its declared media type says (issue 20 §6): a
//! Windows executable sent as `application/pdf` must not be stored and offered as a PDF.
//!
//! Written here rather than taken from a detection crate: congvu accepts eight fixed types, each
//! with a signature of a few bytes, and a plain-text rule (UTF-8, no NUL) that such crates do not
//! give; a table of eight checks reads more plainly than a general detector's answer mapped back.

/// Whether `bytes` look like a file of `media` (one of the accepted evidence and scan types);
/// an unknown type never matches.
pub fn matches(media: &str, bytes: &[u8]) -> bool {
    match media {
        "application/pdf" => bytes.starts_with(b"%PDF-"),
        "image/jpeg" => bytes.starts_with(&[0xFF, 0xD8, 0xFF]),
        "image/png" => bytes.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]),
        "image/webp" => bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP",
        // ISO base media (MP4, M4A): a box of type `ftyp` first.
        "video/mp4" | "audio/mp4" => bytes.len() >= 8 && &bytes[4..8] == b"ftyp",
        // MP3: an ID3 tag, or an MPEG audio frame's sync bits.
        "audio/mpeg" => {
            bytes.starts_with(b"ID3")
                || (bytes.len() >= 2 && bytes[0] == 0xFF && bytes[1] & 0xE0 == 0xE0)
        }
        "text/plain" => !bytes.contains(&0) && std::str::from_utf8(bytes).is_ok(),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A Windows executable declared as a PDF, a PNG or text is refused (issue 20 §6); real
    /// signatures pass.
    #[test]
    fn an_executable_is_not_a_pdf_nor_an_image_nor_text() {
        let exe: &[u8] = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00";
        for media in [
            "application/pdf",
            "image/png",
            "image/jpeg",
            "text/plain",
            "video/mp4",
        ] {
            assert!(!matches(media, exe), "{media}");
        }
        assert!(matches("application/pdf", b"%PDF-1.7\n%\xe2\xe3"));
        assert!(matches("image/png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"));
        assert!(matches("image/jpeg", b"\xff\xd8\xff\xe0\0\x10JFIF"));
        assert!(matches("image/webp", b"RIFF\x24\0\0\0WEBPVP8 "));
        assert!(matches("video/mp4", b"\0\0\0\x18ftypmp42"));
        assert!(matches("audio/mpeg", b"ID3\x04\0\0\0\0\0\0"));
        assert!(matches("text/plain", "Biên bản làm việc".as_bytes()));
        assert!(!matches("text/html", b"<html>"));
    }
}
