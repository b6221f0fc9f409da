//! Personal data (`x-twilio.pii`) in `Debug`: real generated structs of
//! `tests/cases/pii_fields.yaml` (in `request-wire-cases`) formatted with
//! `{:?}` and `{:#?}`, the exact text asserted: a marked value never
//! appears (`<redacted>` when set, `None`/`[]` when not), unmarked ones do.
//! Serialize is unchanged: the values round-trip through serde_json.

use request_wire_cases::models::{Contact, ContactUpdate};
use request_wire_cases::requests::{CreateContactParams, ListContactParams};
use request_wire_cases::webhooks::ContactEvent;
use serde_json::json;

/// A contact as Twilio would send it, every kind of marked field set.
fn contact_json() -> serde_json::Value {
    json!({
        "sid": "CO1",
        "phone_number": "+15558675310",
        "emails": ["ada@example.com"],
        "address": {"street": "1 Main St", "city": "Springfield"},
        "nickname": "Ada",
        "home": {"street": "2 Side St", "kind": "house"},
    })
}

const SECRETS: [&str; 6] = [
    "+15558675310",
    "ada@example.com",
    "1 Main St",
    "Springfield",
    "Ada",
    "2 Side St",
];

fn assert_no_secret(text: &str) {
    for secret in SECRETS {
        assert!(!text.contains(secret), "{secret:?} leaked in {text}");
    }
}

#[test]
fn a_model_prints_marked_fields_redacted_inline_referenced_and_nested() {
    let contact: Contact = serde_json::from_value(contact_json()).unwrap();
    let text = format!("{contact:?}");
    assert_eq!(
        text,
        r#"Contact { sid: Some("CO1"), phone_number: <redacted>, emails: <redacted>, address: <redacted>, nickname: <redacted>, home: Some(Place { street: <redacted>, kind: Some("house") }), date_created: None }"#
    );
    assert_no_secret(&text);
    let pretty = format!("{contact:#?}");
    assert_eq!(
        pretty,
        r#"Contact {
    sid: Some(
        "CO1",
    ),
    phone_number: <redacted>,
    emails: <redacted>,
    address: <redacted>,
    nickname: <redacted>,
    home: Some(
        Place {
            street: <redacted>,
            kind: Some(
                "house",
            ),
        },
    ),
    date_created: None,
}"#
    );
    assert_no_secret(&pretty);
}

#[test]
fn an_unset_marked_field_prints_none() {
    let contact: Contact = serde_json::from_value(json!({"sid": "CO2"})).unwrap();
    assert_eq!(
        format!("{contact:?}"),
        r#"Contact { sid: Some("CO2"), phone_number: None, emails: None, address: None, nickname: None, home: None, date_created: None }"#
    );
}

#[test]
fn serialize_keeps_every_value() {
    let contact: Contact = serde_json::from_value(contact_json()).unwrap();
    assert_eq!(contact.phone_number.as_deref(), Some("+15558675310"));
    assert_eq!(
        serde_json::to_value(&contact).unwrap()["phone_number"],
        "+15558675310"
    );
    let again: Contact = serde_json::from_str(&serde_json::to_string(&contact).unwrap()).unwrap();
    assert_eq!(again, contact);
    let update = ContactUpdate::new("+15558675310").label("work");
    assert_eq!(
        serde_json::to_value(&update).unwrap(),
        json!({"phone_number": "+15558675310", "label": "work"})
    );
}

#[test]
fn a_request_body_type_redacts_its_required_marked_field() {
    let update = ContactUpdate::new("+15558675310").label("work");
    assert_eq!(
        format!("{update:?}"),
        r#"ContactUpdate { phone_number: <redacted>, label: Some("work") }"#
    );
}

#[test]
fn params_redact_marked_form_fields_and_query_parameters() {
    let params = CreateContactParams::new("+15558675310")
        .notes("Ada's number")
        .emails(["ada@example.com"])
        .friendly_name("Ada L.");
    assert_eq!(
        format!("{params:?}"),
        r#"CreateContactParams { phone_number: <redacted>, notes: <redacted>, emails: <redacted>, friendly_name: Some("Ada L."), event_url: None }"#
    );
    let unset = CreateContactParams::new("+15558675310");
    assert_eq!(
        format!("{unset:#?}"),
        "CreateContactParams {\n    phone_number: <redacted>,\n    notes: None,\n    emails: [],\n    friendly_name: None,\n    event_url: None,\n}"
    );
    let list = ListContactParams::new()
        .phone_number("+15558675310")
        .page_size(5);
    assert_eq!(
        format!("{list:?}"),
        "ListContactParams { phone_number: <redacted>, page_size: Some(5) }"
    );
}

#[test]
fn a_webhook_event_redacts_marked_fields_and_keeps_its_other_map() {
    let mut event = ContactEvent::default();
    event.contact_sid = Some("CO1".to_owned());
    event.from = Some("+15558675310".to_owned());
    event.emails = vec!["ada@example.com".to_owned()];
    event
        .other
        .insert("ApiVersion".to_owned(), "2010-04-01".to_owned());
    assert_eq!(
        format!("{event:?}"),
        r#"ContactEvent { contact_sid: Some("CO1"), from: <redacted>, emails: <redacted>, other: {"ApiVersion": "2010-04-01"} }"#
    );
    assert_eq!(
        serde_json::to_value(&event).unwrap(),
        json!({"ContactSid": "CO1", "From": "+15558675310", "Emails": ["ada@example.com"], "ApiVersion": "2010-04-01"})
    );
}
