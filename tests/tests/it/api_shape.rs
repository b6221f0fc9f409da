//! The generated API's shape across spec versions: a wire-identical refactor
//! (inline enums moved to `*_enum_*` components) keeps every Rust type name,
//! as the type itself or as a `#[deprecated]` alias of the shared one.

use std::collections::BTreeSet;
use std::path::Path;

use integration_tests::shared_dir;
use twilio_codegen::Generator;

use crate::snapshots::{cases, relative};

/// The `pub enum` and `pub type` names at the top of the generated `models.rs`.
fn enum_names(spec: &Path) -> (BTreeSet<String>, BTreeSet<String>) {
    let generated = Generator::new(spec).generate().unwrap();
    let models = generated.file("src/models.rs").unwrap();
    let names = |prefix: &str| -> BTreeSet<String> {
        models
            .lines()
            .filter_map(|line| line.strip_prefix(prefix))
            .map(|rest| rest.split([' ', '{', '=', ';']).next().unwrap().to_owned())
            .collect()
    };
    (names("pub enum "), names("pub type "))
}

fn case(name: &str) -> std::path::PathBuf {
    let path = cases()
        .into_iter()
        .find(|c| c.file_stem().is_some_and(|s| s == name))
        .unwrap();
    relative(&path)
}

#[test]
fn inline_enums_moved_to_components_keep_their_names() {
    let (before, no_aliases) = enum_names(&case("enum_inline_names"));
    assert!(no_aliases.is_empty());
    assert_eq!(
        before,
        BTreeSet::from(
            [
                "CreateWidgetStatus",
                "UpdateWidgetColorsItem",
                "UpdateWidgetStatus",
                "WidgetColorsItem",
                "WidgetWidgetStatus",
            ]
            .map(String::from)
        )
    );
    let (enums, aliases) = enum_names(&case("enum_component_names"));
    // The owner's property names the shared enum as it was named inline.
    assert_eq!(
        enums,
        BTreeSet::from(["WidgetColorsItem", "WidgetShape", "WidgetWidgetStatus"].map(String::from))
    );
    // Every other inline name stays, deprecated.
    assert_eq!(
        aliases,
        BTreeSet::from(
            [
                "CreateWidgetShape",
                "CreateWidgetStatus",
                "UpdateWidgetColorsItem",
                "UpdateWidgetStatus",
            ]
            .map(String::from)
        )
    );
    let after: BTreeSet<String> = enums.union(&aliases).cloned().collect();
    assert!(
        before.is_subset(&after),
        "lost: {:?}",
        before.difference(&after)
    );
}

/// Twilio's own 2022-06 → 2022-11 step of Conversations v1, where many inline
/// enums became `*_enum_*` components: no name of the older crate is lost.
#[test]
fn twilio_conversations_2022_refactor_keeps_every_enum_name() {
    let Some(shared) = shared_dir().map(|d| d.join("twilio-oai-history")) else {
        assert!(
            std::env::var_os("CI").is_none(),
            "../shared/twilio-oai-history is required in CI"
        );
        eprintln!("skipped: ../shared/twilio-oai-history is not beside the repository");
        return;
    };
    let (old_enums, old_aliases) =
        enum_names(&shared.join("twilio_conversations_v1.2022-06-29.json"));
    let (new_enums, new_aliases) =
        enum_names(&shared.join("twilio_conversations_v1.2022-11-16.json"));
    let before: BTreeSet<String> = old_enums.union(&old_aliases).cloned().collect();
    let after: BTreeSet<String> = new_enums.union(&new_aliases).cloned().collect();
    let lost: Vec<&String> = before.difference(&after).collect();
    assert!(lost.is_empty(), "names lost in the refactor: {lost:?}");
    // The response side keeps its real enums (not aliases), e.g. the state
    // of a participant's conversation.
    assert!(old_enums.contains("ParticipantConversationConversationState"));
    assert!(new_enums.contains("ParticipantConversationConversationState"));
    // The request side's per-operation enums are now one shared type.
    assert!(new_aliases.contains("CreateConversationState"));
    assert!(new_aliases.contains("UpdateConversationState"));
}
