//! `Redacted`: what a marked field prints in `Debug`, set or unset.

use std::collections::BTreeMap;

use twilio_codegen_runtime::runtime::redact::Redacted;

#[test]
fn a_set_value_prints_redacted_and_an_unset_one_as_it_is() {
    let set = Some("+15558675310".to_owned());
    let unset: Option<String> = None;
    assert_eq!(format!("{:?}", Redacted::of(&set)), "<redacted>");
    assert_eq!(format!("{:?}", Redacted::of(&unset)), "None");
    assert_eq!(
        format!("{:?}", Redacted::of(&vec!["a@example.com"])),
        "<redacted>"
    );
    assert_eq!(format!("{:?}", Redacted::of(&Vec::<String>::new())), "[]");
    let map = BTreeMap::from([("k".to_owned(), 1)]);
    assert_eq!(format!("{:?}", Redacted::of(&map)), "<redacted>");
    assert_eq!(
        format!("{:?}", Redacted::of(&BTreeMap::<String, i64>::new())),
        "{}"
    );
    assert_eq!(format!("{:?}", Redacted::SET), "<redacted>");
    // Pretty printing changes nothing: the text has no structure.
    assert_eq!(format!("{:#?}", Redacted::of(&set)), "<redacted>");
}

#[test]
fn inside_debug_struct_it_reads_like_a_derived_debug() {
    struct Message {
        sid: Option<String>,
        to: Option<String>,
        body: Option<String>,
    }
    impl std::fmt::Debug for Message {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.debug_struct("Message")
                .field("sid", &self.sid)
                .field("to", &Redacted::of(&self.to))
                .field("body", &Redacted::of(&self.body))
                .finish()
        }
    }
    let message = Message {
        sid: Some("SM1".to_owned()),
        to: Some("+15558675310".to_owned()),
        body: None,
    };
    assert_eq!(
        format!("{message:?}"),
        r#"Message { sid: Some("SM1"), to: <redacted>, body: None }"#
    );
    assert_eq!(
        format!("{message:#?}"),
        "Message {\n    sid: Some(\n        \"SM1\",\n    ),\n    to: <redacted>,\n    body: None,\n}"
    );
}
