//! The Twilio Conversations webhook API, generated from `spec/` by `build.rs`:
//! the same `models`, `requests`, `responses`, `runtime` and `Client` as the
//! checked-in `twilio-conversations-webhooks` crate.

include!(concat!(env!("OUT_DIR"), "/twilio_conversations.rs"));
