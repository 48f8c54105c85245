use super::*;

#[test]
fn nfd_input_becomes_nfc() {
    let nfd = "Nguye\u{302}\u{303}n";
    assert_eq!(normalize(nfd), "Nguyễn");
    assert_eq!(normalize(nfd).chars().count(), 6);
}

#[test]
fn fold_removes_accents_and_d_stroke() {
    assert_eq!(fold("  Nguyễn   Thị ĐÀO "), "nguyen thi dao");
    assert_eq!(fold("Trần Văn Đức"), fold("tran van duc"));
}

#[test]
fn required_rejects_empty_long_and_control() {
    assert!(required("f", "   ", 10).is_err());
    assert!(required("f", "abcdefghijk", 10).is_err());
    assert!(required("f", "a\u{0007}b", 10).is_err());
    assert_eq!(required("f", " Hà  Nội ", 10).unwrap(), "Hà Nội");
}

#[test]
fn codes_and_emails() {
    assert_eq!(code("c", " hy-01 ", 16).unwrap(), "HY-01");
    assert!(code("c", "Hưng Yên", 16).is_err());
    assert_eq!(
        email("e", Some(" A@B.vn ")).unwrap().as_deref(),
        Some("a@b.vn")
    );
    assert!(email("e", Some("nope")).is_err());
    assert_eq!(email("e", Some("  ")).unwrap(), None);
}

/// Issue 20 §6: a right-to-left override and zero-width characters are removed from every text
/// (unit and file names included), so `hóa-đơn\u{202E}fdp.exe` cannot pose as a PDF and two names
/// that look alike are alike.
#[test]
fn bidi_overrides_and_zero_width_characters_are_removed() {
    assert_eq!(normalize("hóa-đơn\u{202E}fdp.exe"), "hóa-đơnfdp.exe");
    assert_eq!(
        normalize("Phường\u{200B} Phố\u{FEFF} Hiến\u{2066}\u{2069}"),
        "Phường Phố Hiến"
    );
    assert_eq!(
        required("name", "\u{200B}\u{200D}", 10).map_err(|_| ()),
        Err(())
    );
    assert_eq!(fold("Hi\u{200C}ến"), "hien");
}
