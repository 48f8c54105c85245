//! Retention of personal data (issue 20 §8; docs/LEGAL.md, "Retention"): once a day the worker
//! destroys what has been kept long enough, each step audited.
//!
//! - A report ended (rejected or concluded) `retention_identity_years` ago: its complainant's
//!   sealed identity is destroyed and their name, address, phone and e-mail, where they appear
//!   written out in the report's description, conclusion and timeline, are masked.
//! - A report ended `retention_attachment_years` ago: its attachments are deleted.
//! - Sessions expired or revoked `retention_session_days` ago are deleted.
//! - Mail delivered `retention_mail_days` ago keeps its subject and dates; its body and sealed
//!   recipient are cleared.

use std::time::Duration;

use chrono::{DateTime, Months, Utc};
use congvu_db::DbError;
use congvu_db::retention::{self as db, Expiring};
use serde_json::json;

use crate::error::{Error, Result};
use crate::service::complaints::SealedIdentity;
use crate::service::record;
use crate::state::AppState;

/// What replaces a complainant's details in texts.
pub const MASK: &str = "[đã xóa]";
/// Reports handled per transaction.
const BATCH: u64 = 200;
/// Who the purge's audit events name.
const ACTOR: &str = "retention";

/// What one purge did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Purged {
    pub identities: u64,
    pub attachments: u64,
    pub sessions: u64,
    pub mail: u64,
}

fn years_before(now: DateTime<Utc>, years: u32) -> DateTime<Utc> {
    now.checked_sub_months(Months::new(years.saturating_mul(12)))
        .unwrap_or(DateTime::<Utc>::MIN_UTC)
}

fn days_before(now: DateTime<Utc>, days: u32) -> DateTime<Utc> {
    now - chrono::Duration::days(i64::from(days))
}

/// Runs every step once.
pub async fn purge(state: &AppState) -> Result<Purged> {
    let now = state.clock.now();
    let c = &state.config;
    let identities =
        forget_identities(state, years_before(now, c.retention_identity_years)).await?;
    let attachments =
        delete_attachments(state, years_before(now, c.retention_attachment_years)).await?;
    let txn = state.db.begin().await?;
    let sessions =
        db::delete_dead_sessions(&txn, days_before(now, c.retention_session_days)).await?;
    let mail = db::clear_delivered_mail(&txn, days_before(now, c.retention_mail_days)).await?;
    if sessions + mail > 0 {
        let change = json!({"sessions_deleted": sessions, "mail_bodies_cleared": mail});
        record(
            &txn,
            ACTOR,
            "retention.purge",
            ("installation", "retention".into()),
            "retention period over",
            &change,
            now,
        )
        .await?;
    }
    txn.commit().await.map_err(DbError::from)?;
    Ok(Purged {
        identities,
        attachments,
        sessions,
        mail,
    })
}

/// The texts of a report with every written-out detail of its complainant masked.
fn masked(report: &Expiring, who: &SealedIdentity) -> Expiring {
    let details: Vec<&str> = [
        Some(who.name.as_str()),
        who.address.as_deref(),
        who.phone.as_deref(),
        who.email.as_deref(),
    ]
    .into_iter()
    .flatten()
    .map(str::trim)
    .filter(|d| d.chars().count() >= 3)
    .collect();
    // Longest first: a name inside the address must not break the address's match.
    let mut details = details;
    details.sort_by_key(|d| std::cmp::Reverse(d.len()));
    let mask = |text: &str| {
        details
            .iter()
            .fold(text.to_owned(), |t, d| t.replace(d, MASK))
    };
    Expiring {
        id: report.id,
        identity_sealed: Vec::new(),
        description: mask(&report.description),
        conclusion: report.conclusion.as_deref().map(mask),
        events: report
            .events
            .iter()
            .map(|(id, body)| (*id, mask(body)))
            .collect(),
    }
}

async fn forget_identities(state: &AppState, cutoff: DateTime<Utc>) -> Result<u64> {
    let mut done = 0;
    loop {
        let due = db::identities_due(state.db.reader(), cutoff, BATCH).await?;
        if due.is_empty() {
            return Ok(done);
        }
        let txn = state.db.begin().await?;
        for report in &due {
            let plain = state
                .secrets
                .open(&report.identity_sealed, report.id.as_bytes())?;
            let who: SealedIdentity =
                serde_json::from_slice(&plain).map_err(|e| Error::Internal(e.to_string()))?;
            db::forget_identity(&txn, &masked(report, &who)).await?;
            let change = json!({"identity": "destroyed", "texts_masked": true});
            record(
                &txn,
                ACTOR,
                "complaint.identity_destroyed",
                ("complaint", report.id.to_string()),
                "retention period over",
                &change,
                state.clock.now(),
            )
            .await?;
            done += 1;
        }
        txn.commit().await.map_err(DbError::from)?;
    }
}

async fn delete_attachments(state: &AppState, cutoff: DateTime<Utc>) -> Result<u64> {
    let mut done = 0;
    loop {
        let due = db::attachments_due(state.db.reader(), cutoff, BATCH).await?;
        if due.is_empty() {
            return Ok(done);
        }
        let txn = state.db.begin().await?;
        for (report, _) in &due {
            let n = db::delete_attachments(&txn, *report).await?;
            if n == 0 {
                continue;
            }
            let change = json!({"attachments_deleted": n});
            record(
                &txn,
                ACTOR,
                "complaint.attachments_deleted",
                ("complaint", report.to_string()),
                "retention period over",
                &change,
                state.clock.now(),
            )
            .await?;
            done += n;
        }
        txn.commit().await.map_err(DbError::from)?;
    }
}

/// Runs the purge now and then once a day while the process lives.
pub fn spawn_daily(state: AppState) {
    tokio::spawn(async move {
        loop {
            match purge(&state).await {
                Ok(p) if p != Purged::default() => tracing::info!(
                    identities = p.identities,
                    attachments = p.attachments,
                    sessions = p.sessions,
                    mail = p.mail,
                    "retention purge"
                ),
                Ok(_) => {}
                Err(e) => tracing::warn!("retention purge: {e}"),
            }
            tokio::time::sleep(Duration::from_secs(86_400)).await;
        }
    });
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]
    use super::*;

    #[test]
    fn every_written_out_detail_is_masked_and_nothing_else() {
        let who = SealedIdentity {
            name: "Trần Thị Mai".into(),
            address: Some("12 Điện Biên".into()),
            phone: Some("0912 345 678".into()),
            email: Some("mai@example.vn".into()),
        };
        let report = Expiring {
            id: uuid::Uuid::nil(),
            identity_sealed: vec![1],
            description: "Tôi là Trần Thị Mai, ở 12 Điện Biên, gọi 0912 345 678".into(),
            conclusion: Some("Đã trả lời bà Trần Thị Mai qua mai@example.vn".into()),
            events: vec![(uuid::Uuid::nil(), "Cán bộ xin lỗi".into())],
        };
        let m = masked(&report, &who);
        assert_eq!(m.description, "Tôi là [đã xóa], ở [đã xóa], gọi [đã xóa]");
        assert_eq!(
            m.conclusion.as_deref(),
            Some("Đã trả lời bà [đã xóa] qua [đã xóa]")
        );
        assert_eq!(m.events[0].1, "Cán bộ xin lỗi");
    }
}
