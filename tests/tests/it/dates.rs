//! Typed dates (feature `time`): a response's `date-time`, `date` and
//! `date-time-rfc-2822` fields are `runtime::dates::Timestamp`, which keeps
//! the text as received (a value that does not parse never fails the
//! response), writes it back unchanged, and parses it on request.

use twilio_conversations_webhooks::models::ConversationScopedWebhook;
use twilio_conversations_webhooks::runtime::dates::Timestamp;

fn unix(text: &str) -> Option<i64> {
    Timestamp::new(text).parse().map(|t| t.unix_timestamp())
}

#[test]
fn rfc_3339_rfc_2822_and_plain_dates_parse_to_the_exact_instant() {
    assert_eq!(unix("2015-12-16T22:18:37Z"), Some(1_450_304_317));
    let offset = Timestamp::new("2015-12-16T22:18:37.123+01:00")
        .parse()
        .unwrap();
    assert_eq!(offset.unix_timestamp(), 1_450_300_717);
    assert_eq!(offset.millisecond(), 123);
    assert_eq!(offset.offset().whole_hours(), 1);
    // api_v2010 writes RFC 2822.
    assert_eq!(unix("Mon, 16 Aug 2010 03:45:01 +0000"), Some(1_281_930_301));
    // `format: date`: midnight UTC.
    assert_eq!(unix("2015-12-16"), Some(1_450_224_000));
    assert_eq!(
        Timestamp::new("2015-12-16").as_offset_date_time(),
        Timestamp::new("2015-12-16T00:00:00Z").parse()
    );
}

#[test]
fn text_that_is_no_date_is_kept_and_parses_to_none() {
    for bad in [
        "yesterday",
        "",
        "2015-13-01",
        "2015-12-16T25:00:00Z",
        "16/12/2015",
    ] {
        let timestamp = Timestamp::new(bad);
        assert_eq!(timestamp.parse(), None, "{bad:?}");
        assert_eq!(timestamp.as_str(), bad);
    }
}

#[test]
fn a_model_keeps_a_bad_date_raw_and_writes_every_date_back_as_received() {
    let body = r#"{"sid":"WH1","date_created":"not a date","date_updated":"Mon, 16 Aug 2010 03:45:01 +0000"}"#;
    let webhook: ConversationScopedWebhook = serde_json::from_str(body).unwrap();
    assert_eq!(webhook.date_created.as_deref(), Some("not a date"));
    assert_eq!(webhook.date_created.as_ref().unwrap().parse(), None);
    assert_eq!(
        webhook
            .date_updated
            .as_ref()
            .and_then(Timestamp::parse)
            .map(|t| t.unix_timestamp()),
        Some(1_281_930_301)
    );
    let written = serde_json::to_value(&webhook).unwrap();
    assert_eq!(written["date_created"], "not a date");
    assert_eq!(written["date_updated"], "Mon, 16 Aug 2010 03:45:01 +0000");
    // Built by hand in a user's test: `Default` and a string.
    let mut built = ConversationScopedWebhook::default();
    built.date_created = Some("2015-12-16T22:18:37Z".into());
    assert_eq!(
        built.date_created.unwrap().to_string(),
        "2015-12-16T22:18:37Z"
    );
}
