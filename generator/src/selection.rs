//! Choosing which operations to generate.

/// Include/exclude rules by operationId, path glob and tag.
///
/// An operation is generated when it matches at least one include rule (or there
/// are none) and no exclude rule. Path globs use `*` for any run of characters
/// (`/v1/Conversations/*/Webhooks*`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Selection {
    pub include_operations: Vec<String>,
    pub exclude_operations: Vec<String>,
    pub include_paths: Vec<String>,
    pub exclude_paths: Vec<String>,
    pub include_tags: Vec<String>,
    pub exclude_tags: Vec<String>,
}

impl Selection {
    pub fn includes(&self, operation_id: &str, path: &str, tags: &[String]) -> bool {
        let any_include = !(self.include_operations.is_empty()
            && self.include_paths.is_empty()
            && self.include_tags.is_empty());
        let included = !any_include
            || self.include_operations.iter().any(|id| id == operation_id)
            || self.include_paths.iter().any(|glob| glob_match(glob, path))
            || self.include_tags.iter().any(|tag| tags.contains(tag));
        let excluded = self.exclude_operations.iter().any(|id| id == operation_id)
            || self.exclude_paths.iter().any(|glob| glob_match(glob, path))
            || self.exclude_tags.iter().any(|tag| tags.contains(tag));
        included && !excluded
    }
}

/// `*` matches any run of characters (including `/`); everything else is literal.
pub fn glob_match(glob: &str, text: &str) -> bool {
    let parts: Vec<&str> = glob.split('*').collect();
    if parts.len() == 1 {
        return glob == text;
    }
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if !text.starts_with(first)
        || !text[first.len()..].ends_with(last)
        || text.len() < first.len() + last.len()
    {
        return false;
    }
    let mut rest = &text[first.len()..text.len() - last.len()];
    for middle in &parts[1..parts.len() - 1] {
        match rest.find(middle) {
            Some(i) => rest = &rest[i + middle.len()..],
            None => return false,
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs() {
        assert!(glob_match(
            "/v1/*/Webhooks",
            "/v1/Conversations/{ConversationSid}/Webhooks"
        ));
        assert!(glob_match("*Webhooks*", "/v1/Configuration/Webhooks"));
        assert!(!glob_match(
            "/v1/*/Webhooks",
            "/v1/Conversations/{Sid}/Messages"
        ));
        assert!(glob_match("/exact", "/exact"));
        assert!(!glob_match("a*a", "a"));
    }
}
