//! Grouping operations by the resource they act on, for the crate's front
//! page (and any later per-resource output).
//!
//! # Rules
//!
//! **Resource groups.** An operation belongs to the resource its path names
//! first (`generator/src/normalise/resources.rs`): the path's first literal
//! segment after the version, read from the path alone, whatever the
//! document.
//!
//! - The version is a leading segment that starts with a digit, or with `v`
//!   and a digit (`v1`, `v2beta`, `2010-04-01`); it is skipped.
//! - A segment followed by an account parameter (`/Accounts/{AccountSid}`,
//!   see `ParamSource::Account`) is the account the requests act for, not a
//!   resource, and is skipped too: Twilio's 2010 API groups as `Calls`,
//!   `Messages`, `Recordings`, ..., not as one `Accounts`.
//! - An extension is not part of the name (`Messages.json` is `Messages`).
//! - A path with no segment left keeps the first one it skipped for an
//!   account (`/2010-04-01/Accounts.json` is `Accounts`), else is `Other`.
//!
//! A group's title splits the segment's words (`IncomingPhoneNumbers` is
//! "Incoming phone numbers"). Groups are sorted by title; the operations of
//! a group keep the document's order. Conversations groups as
//! `Configuration`, `Conversations`, `Credentials`, `Participant
//! conversations`, `Roles`, `Services`, `Users`.

use std::collections::BTreeMap;

use crate::model::{Operation, Resource};

/// The resource groups of `operations` (see the module docs).
pub(super) fn group(operations: &[Operation]) -> Vec<Resource> {
    let mut groups: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for op in operations {
        groups
            .entry(resource_of(op))
            .or_default()
            .push(op.id.clone());
    }
    let mut resources: Vec<Resource> = groups
        .into_iter()
        .map(|(segment, operations)| Resource {
            title: title(&segment),
            segment,
            operations,
        })
        .collect();
    // As a reader looks them up: by title, whatever its case.
    resources.sort_by_cached_key(|r| (r.title.to_lowercase(), r.segment.clone()));
    resources
}

/// The path segment naming `op`'s resource.
fn resource_of(op: &Operation) -> String {
    let accounts: Vec<String> = op
        .account_params()
        .map(|p| format!("{{{}}}", p.wire))
        .collect();
    let segments: Vec<&str> = op.path.split('/').filter(|s| !s.is_empty()).collect();
    let mut skipped_account = None;
    let mut index = 0;
    if segments.first().is_some_and(|s| is_version(s)) {
        index = 1;
    }
    while index < segments.len() {
        let segment = segments[index];
        if is_parameter(segment) {
            index += 1;
            continue;
        }
        let name = without_extension(segment);
        let next_is_account = segments.get(index + 1).is_some_and(|next| {
            accounts
                .iter()
                .any(|account| without_extension(next) == account)
        });
        if next_is_account {
            skipped_account.get_or_insert(name);
            index += 2;
            continue;
        }
        if !name.is_empty() {
            return name.to_owned();
        }
        index += 1;
    }
    skipped_account.unwrap_or("Other").to_owned()
}

/// `v1`, `v2beta`, `2010-04-01`: a leading segment that is a version.
fn is_version(segment: &str) -> bool {
    let mut chars = segment.chars();
    match chars.next() {
        Some(c) if c.is_ascii_digit() => true,
        Some('v' | 'V') => chars.next().is_some_and(|c| c.is_ascii_digit()),
        _ => false,
    }
}

/// `{Sid}` or `{Sid}.json`.
fn is_parameter(segment: &str) -> bool {
    segment.starts_with('{')
}

/// `Messages.json` → `Messages`.
fn without_extension(segment: &str) -> &str {
    match segment.find('.') {
        Some(dot) if dot > 0 => &segment[..dot],
        _ => segment,
    }
}

/// `IncomingPhoneNumbers` → `Incoming phone numbers`, `SIPDomains` → `SIP
/// domains`: words start at a capital after a lower-case letter or digit,
/// or at the last capital of a run followed by a lower-case letter; a word
/// in capitals (an acronym) keeps them, the others after the first are
/// lower-cased.
fn title(segment: &str) -> String {
    let chars: Vec<char> = segment.chars().filter(|c| c.is_alphanumeric()).collect();
    let mut words: Vec<String> = Vec::new();
    for (i, &c) in chars.iter().enumerate() {
        let starts_word = i > 0
            && c.is_uppercase()
            && (!chars[i - 1].is_uppercase()
                || chars.get(i + 1).is_some_and(|next| next.is_lowercase()));
        if starts_word || words.is_empty() {
            words.push(String::new());
        }
        if let Some(word) = words.last_mut() {
            word.push(c);
        }
    }
    let words: Vec<String> = words
        .into_iter()
        .enumerate()
        .map(|(i, word)| {
            let acronym = word.chars().count() > 1 && !word.chars().any(char::is_lowercase);
            if i == 0 || acronym {
                word
            } else {
                word.to_lowercase()
            }
        })
        .collect();
    words.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalise::normalise_text;
    use crate::Selection;

    fn groups(paths: &[&str]) -> Vec<(String, Vec<String>)> {
        let mut spec = String::from(
            "openapi: 3.0.1\ninfo: {title: T, version: '1'}\nservers: [{url: 'https://api.example.com'}]\npaths:\n",
        );
        for (i, path) in paths.iter().enumerate() {
            let params: String = path
                .split('/')
                .filter_map(|s| s.strip_prefix('{'))
                .map(|s| s.split('}').next().unwrap_or_default())
                .map(|name| format!("        - {{name: {name}, in: path, required: true, schema: {{type: string}}}}\n"))
                .collect();
            spec.push_str(&format!(
                "  '{path}':\n    get:\n      operationId: Op{i}\n      parameters:\n{params}      responses: {{'204': {{description: ok}}}}\n"
            ));
        }
        let spec = spec.replace("      parameters:\n      responses", "      responses");
        let api = normalise_text("spec.yaml", &spec, &Selection::default()).unwrap();
        api.resources
            .iter()
            .map(|r| (r.title.clone(), r.operations.clone()))
            .collect()
    }

    #[test]
    fn operations_group_by_the_first_resource_of_their_path() {
        let got = groups(&[
            "/2010-04-01/Accounts.json",
            "/2010-04-01/Accounts/{Sid}.json",
            "/2010-04-01/Accounts/{AccountSid}/Calls.json",
            "/2010-04-01/Accounts/{AccountSid}/Calls/{CallSid}/Recordings/{Sid}.json",
            "/2010-04-01/Accounts/{AccountSid}/IncomingPhoneNumbers/{Sid}.json",
            "/2010-04-01/Accounts/{AccountSid}/SIP/Domains.json",
            "/v1/Services/{ServiceSid}/Conversations",
            "/v2beta/Roles",
            "/",
        ]);
        let want = [
            ("Accounts", vec!["Op0", "Op1"]),
            ("Calls", vec!["Op2", "Op3"]),
            ("Incoming phone numbers", vec!["Op4"]),
            ("Other", vec!["Op8"]),
            ("Roles", vec!["Op7"]),
            ("Services", vec!["Op6"]),
            ("SIP", vec!["Op5"]),
        ];
        let want: Vec<(String, Vec<String>)> = want
            .into_iter()
            .map(|(t, ops)| (t.to_owned(), ops.into_iter().map(str::to_owned).collect()))
            .collect();
        assert_eq!(got, want);
    }

    #[test]
    fn titles_split_words_and_keep_acronyms() {
        assert_eq!(title("IncomingPhoneNumbers"), "Incoming phone numbers");
        assert_eq!(title("SIP"), "SIP");
        assert_eq!(title("Messages"), "Messages");
        assert_eq!(
            title("ParticipantConversations"),
            "Participant conversations"
        );
        assert_eq!(title("SIPDomains"), "SIP domains");
        assert_eq!(title("ConnectApps"), "Connect apps");
        assert_eq!(title("Tollfree2FA"), "Tollfree2 FA");
        assert_eq!(title(""), "");
    }
}
