use chrono::TimeZone;

use super::*;

fn chain(n: i64) -> Vec<AuditEvent> {
    let mut prev = GENESIS.to_owned();
    (1..=n)
        .map(|seq| {
            let new = NewAuditEvent::new(
                "admin",
                "unit.create",
                "unit",
                &seq.to_string(),
                "thành lập",
                format!("{{\"n\":{seq}}}"),
            )
            .unwrap();
            let e = seal(
                new,
                seq,
                Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap(),
                &prev,
            );
            prev.clone_from(&e.hash);
            e
        })
        .collect()
}

fn verify(events: &[AuditEvent]) -> Result<i64, AuditBreak> {
    let mut v = ChainVerifier::default();
    for e in events {
        v.check(e)?;
    }
    let last = events
        .last()
        .map(|e| (e.seq, e.hash.clone()))
        .unwrap_or((0, GENESIS.into()));
    v.finish(last.0, &last.1)
}

#[test]
fn intact_chain_verifies() {
    assert_eq!(verify(&chain(5)), Ok(5));
    assert_eq!(verify(&[]), Ok(0));
}

#[test]
fn edited_field_is_named() {
    let mut events = chain(5);
    events[2].reason = "sửa".into();
    assert_eq!(
        verify(&events),
        Err(AuditBreak {
            seq: 3,
            kind: BreakKind::Hash
        })
    );
}

#[test]
fn edited_payload_is_named() {
    let mut events = chain(5);
    events[3].change = "{}".into();
    assert_eq!(
        verify(&events),
        Err(AuditBreak {
            seq: 4,
            kind: BreakKind::Digest
        })
    );
}

#[test]
fn deleted_row_is_named() {
    let mut events = chain(5);
    events.remove(1);
    assert_eq!(
        verify(&events),
        Err(AuditBreak {
            seq: 2,
            kind: BreakKind::Gap
        })
    );
}

#[test]
fn swapped_rows_are_named() {
    let mut events = chain(5);
    let (a, b) = (events[1].clone(), events[2].clone());
    events[1] = AuditEvent { seq: 2, ..b };
    events[2] = AuditEvent { seq: 3, ..a };
    assert_eq!(verify(&events).unwrap_err().seq, 2);
}

#[test]
fn truncated_tail_is_caught_by_the_head() {
    let events = chain(5);
    let mut v = ChainVerifier::default();
    for e in &events[..3] {
        v.check(e).unwrap();
    }
    assert_eq!(
        v.finish(5, &events[4].hash),
        Err(AuditBreak {
            seq: 4,
            kind: BreakKind::Truncated
        })
    );
}

#[test]
fn reason_is_mandatory() {
    assert!(NewAuditEvent::new("a", "b", "c", "d", "  ", String::new()).is_err());
}
