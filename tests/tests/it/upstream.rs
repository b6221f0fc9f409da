//! Twilio's own full Conversations v1 document (`../shared/twilio-oai/`), as
//! users download it. A fresh clone of the repository alone does not have it,
//! so these tests skip, saying so, when it is absent. (`.ci/run`'s corpus
//! check also compiles and lints the crate generated from it.)

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use quote::ToTokens;
use twilio_codegen::model::{Api, ParamIn, TypeDef};
use twilio_codegen::{Generated, Generator, Selection};

use integration_tests::{repo_root, shared_dir};

fn upstream_document() -> Option<PathBuf> {
    let Some(shared) = shared_dir() else {
        eprintln!("skipped: ../shared/twilio-oai is not beside the repository");
        return None;
    };
    let path = shared.join("twilio-oai/twilio_conversations_v1.json");
    if path.is_file() {
        Some(path)
    } else {
        eprintln!(
            "skipped: {} is absent (it sits in ../shared beside the repository)",
            path.display()
        );
        None
    }
}

macro_rules! upstream_or_skip {
    () => {
        match upstream_document() {
            Some(path) => path,
            // `upstream_document` has said why.
            None => return,
        }
    };
}

fn generate(path: &PathBuf, selection: Selection) -> Generated {
    Generator::new(path)
        .selection(selection)
        .generate()
        .unwrap_or_else(|errors| panic!("{errors}"))
}

fn operation_ids(api: &Api) -> BTreeSet<String> {
    api.operations.iter().map(|op| op.id.clone()).collect()
}

#[test]
fn the_whole_document_generates_all_103_operations() {
    let path = upstream_or_skip!();
    let generated = generate(&path, Selection::default());
    let api = &generated.api;
    assert_eq!(api.operations.len(), 103);
    assert_eq!(api.base_url, "https://conversations.twilio.com");
    // Every `X-Twilio-Webhook-Enabled` header parameter (26 operations) is a header field.
    let with_header: Vec<&str> = api
        .operations
        .iter()
        .filter(|op| {
            op.params.as_ref().is_some_and(|p| {
                p.located(ParamIn::Header)
                    .any(|h| h.wire == "X-Twilio-Webhook-Enabled" && !h.required)
            })
        })
        .map(|op| op.id.as_str())
        .collect();
    assert_eq!(with_header.len(), 26, "{with_header:?}");
    assert!(with_header.contains(&"CreateConversation"));
    // `links` (`format: uri-map`) is a map of link name to URL.
    let conversation = api.type_named("Conversation").expect("Conversation model");
    let TypeDef::Struct(conversation) = conversation else {
        panic!("Conversation is a struct")
    };
    let links = conversation
        .fields
        .iter()
        .find(|f| f.wire == "links")
        .unwrap();
    assert_eq!(
        links.ty,
        twilio_codegen::model::Type::Map(Box::new(twilio_codegen::model::Type::String))
    );
    // Every Rust file the crate is made of parses.
    for file in &generated.files {
        if file.path.ends_with(".rs") {
            syn::parse_file(&file.contents)
                .unwrap_or_else(|e| panic!("{} does not parse: {e}", file.path));
        }
    }
    let requests = generated.file("src/requests.rs").unwrap();
    assert!(requests.contains("set_header(&mut request, \"X-Twilio-Webhook-Enabled\", value)?;"));
}

#[test]
fn selection_by_path_tag_and_operation_id_picks_the_same_14_webhook_operations() {
    let path = upstream_or_skip!();
    let by_path = generate(
        &path,
        Selection {
            include_paths: vec!["*/Webhooks*".into()],
            ..Selection::default()
        },
    );
    let ids = operation_ids(&by_path.api);
    assert_eq!(ids.len(), 14, "{ids:?}");
    let by_tag = generate(
        &path,
        Selection {
            include_tags: vec!["ConversationsV1Webhook".into()],
            ..Selection::default()
        },
    );
    assert_eq!(operation_ids(&by_tag.api), ids);
    let by_id = generate(
        &path,
        Selection {
            include_operations: ids.iter().cloned().collect(),
            ..Selection::default()
        },
    );
    assert_eq!(operation_ids(&by_id.api), ids);
    // Excluding wins over including, and excluding alone keeps the rest.
    let without_deletes = generate(
        &path,
        Selection {
            include_paths: vec!["*/Webhooks*".into()],
            exclude_operations: vec![
                "DeleteConversationScopedWebhook".into(),
                "DeleteServiceConversationScopedWebhook".into(),
            ],
            ..Selection::default()
        },
    );
    assert_eq!(without_deletes.api.operations.len(), 12);
    let all_but_webhooks = generate(
        &path,
        Selection {
            exclude_tags: vec!["ConversationsV1Webhook".into()],
            ..Selection::default()
        },
    );
    assert_eq!(all_but_webhooks.api.operations.len(), 103 - 14);
    assert!(operation_ids(&all_but_webhooks.api).is_disjoint(&ids));
}

/// The webhook operations of the upstream document give the crate our
/// `spec/` gives, item for item, apart from the differences listed here.
#[test]
fn the_webhook_selection_of_upstream_equals_the_crate_from_our_spec() {
    let path = upstream_or_skip!();
    let upstream = generate(
        &path,
        Selection {
            include_paths: vec!["*/Webhooks*".into()],
            ..Selection::default()
        },
    );
    let ours = generate(&repo_root().join("spec"), Selection::default());
    // Same operations; upstream lists them in its own path order.
    assert_eq!(operation_ids(&upstream.api), operation_ids(&ours.api));
    // Ours also describes the requests Twilio sends to the webhooks (OpenAPI
    // `callbacks`, which upstream does not have): lib.rs declares the
    // `webhooks` module and models.rs has the types only those events use.
    let event_types: BTreeSet<&str> = ours
        .api
        .callbacks
        .events
        .iter()
        .flat_map(|e| &e.fields)
        .filter_map(|f| f.ty.named())
        .collect();
    assert!(!event_types.is_empty());
    assert!(upstream.api.callbacks.is_empty());
    let only_ours = |item: &str| {
        item.contains("mod webhooks")
            || item
                .split(|c: char| !c.is_alphanumeric() && c != '_')
                .any(|word| event_types.contains(word))
    };
    for path in [
        "src/models.rs",
        "src/requests.rs",
        "src/responses.rs",
        "src/client.rs",
        "src/lib.rs",
    ] {
        let (upstream_items, upstream_docs) = items(upstream.file(path).unwrap());
        let (mut our_items, mut our_docs) = items(ours.file(path).unwrap());
        let before = our_items.len();
        our_items.retain(|item| !only_ours(item));
        our_docs.retain(|name, _| !only_ours(name));
        assert_eq!(
            before != our_items.len(),
            matches!(path, "src/lib.rs" | "src/models.rs"),
            "{path}: the items only our callbacks add"
        );
        assert_eq!(
            upstream_items
                .symmetric_difference(&our_items)
                .collect::<Vec<_>>(),
            Vec::<&String>::new(),
            "{path}: items differ"
        );
        // The one documented difference: our spec describes the two account-level
        // configuration operations, upstream has no description for them.
        let differing: BTreeMap<&String, (Option<&String>, Option<&String>)> = upstream_docs
            .keys()
            .chain(our_docs.keys())
            .filter(|k| upstream_docs.get(*k) != our_docs.get(*k))
            .map(|k| (k, (upstream_docs.get(k), our_docs.get(k))))
            .collect();
        let expected: Vec<&str> = match path {
            "src/requests.rs" => vec![
                "fn fetch_configuration_webhook",
                "fn update_configuration_webhook",
            ],
            "src/client.rs" => vec![
                "fn Client::fetch_configuration_webhook",
                "fn Client::update_configuration_webhook",
            ],
            _ => vec![],
        };
        assert_eq!(
            differing.keys().map(|k| k.as_str()).collect::<Vec<_>>(),
            expected,
            "{path}: docs differ: {differing:#?}"
        );
        for (upstream_doc, our_doc) in differing.values() {
            let (upstream_doc, our_doc) = (upstream_doc.unwrap(), our_doc.unwrap());
            assert!(
                our_doc.ends_with(upstream_doc.as_str()) && our_doc.len() > upstream_doc.len(),
                "ours only adds a description: {our_doc:?} vs {upstream_doc:?}"
            );
        }
    }
}

/// Every item of a file without its docs (impl blocks split into their
/// members, so order does not matter), and the docs of functions by name.
fn items(text: &str) -> (BTreeSet<String>, BTreeMap<String, String>) {
    let mut file = syn::parse_file(text).unwrap();
    let mut docs = BTreeMap::new();
    for item in &file.items {
        match item {
            syn::Item::Fn(f) => {
                docs.insert(format!("fn {}", f.sig.ident), doc_of(&f.attrs));
            }
            syn::Item::Impl(block) => {
                let self_ty = block.self_ty.to_token_stream().to_string();
                for member in &block.items {
                    if let syn::ImplItem::Fn(f) = member {
                        docs.insert(format!("fn {self_ty}::{}", f.sig.ident), doc_of(&f.attrs));
                    }
                }
            }
            _ => {}
        }
    }
    // prettyplease prints every doc attribute as a `///` or `//!` line.
    let without_docs: String = text
        .lines()
        .filter(|line| {
            !line.trim_start().starts_with("///") && !line.trim_start().starts_with("//!")
        })
        .map(|line| format!("{line}\n"))
        .collect();
    file = syn::parse_file(&without_docs).unwrap();
    let mut out = BTreeSet::new();
    for item in file.items {
        match item {
            syn::Item::Impl(mut block) => {
                let members = std::mem::take(&mut block.items);
                let header = block.to_token_stream().to_string();
                for member in members {
                    out.insert(format!("{header} :: {}", member.to_token_stream()));
                }
            }
            other => {
                out.insert(other.to_token_stream().to_string());
            }
        }
    }
    (out, docs)
}

fn doc_of(attrs: &[syn::Attribute]) -> String {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("doc"))
        .map(|a| a.to_token_stream().to_string())
        .collect::<Vec<_>>()
        .join("\n")
}
