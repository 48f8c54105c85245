//! SeaORM entities, one per table, hand-owned. They never leave this crate: query functions map
//! them to domain types or to plain row structs.

pub mod audit_event;
pub mod audit_head;
pub mod case_document;
pub mod case_pause;
pub mod case_step;
pub mod case_violation;
pub mod code_item;
pub mod code_set;
pub mod complaint;
pub mod complaint_attachment;
pub mod complaint_event;
pub mod complaint_violation;
pub mod discipline_case;
pub mod employment;
pub mod evidence_file;
pub mod idempotency_key;
pub mod identity_request;
pub mod letter;
pub mod letter_counter;
pub mod letterhead;
pub mod outbox;
pub mod person;
pub mod person_relation;
pub mod role_grant;
pub mod session;
pub mod unit;
pub mod unit_calendar_day;
pub mod unit_successor;
pub mod user;
pub mod violation;
pub mod violation_note;
pub mod violation_transition;
