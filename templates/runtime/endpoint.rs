//! Which operation a request is for, carried in the request itself.

/// The operation a request was built for: its `operationId` and its path
/// template as the spec writes them (`/v1/Conversations/{Sid}`), never the
/// values that fill it.
///
/// Every generated request builder puts one in the request's
/// [`http::Extensions`], so code between building and sending (a
/// middleware, a metrics layer, a test) can tell the operation without
/// parsing the URL: `request.extensions().get::<Endpoint>()`.
///
/// With the `tracing` feature the client records the template as the call
/// span's `path`: values in the path (SIDs, phone numbers, unique names)
/// never reach the logs. A listing's followed pages keep the endpoint of
/// its first request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Endpoint {
    operation_id: &'static str,
    path_template: &'static str,
}

impl Endpoint {
    /// The endpoint of operation `operation_id`, at `path_template`.
    pub const fn new(operation_id: &'static str, path_template: &'static str) -> Self {
        Endpoint {
            operation_id,
            path_template,
        }
    }

    /// The spec's `operationId` (`FetchRole`).
    pub const fn operation_id(&self) -> &'static str {
        self.operation_id
    }

    /// The path template as the spec writes it (`/v1/Roles/{Sid}`).
    pub const fn path_template(&self) -> &'static str {
        self.path_template
    }
}

/// Puts the [`Endpoint`] of `operation_id` at `path_template` in
/// `request`'s extensions (replacing one already there): what every
/// generated request builder does last.
pub fn mark_endpoint<B>(
    request: &mut http::Request<B>,
    operation_id: &'static str,
    path_template: &'static str,
) {
    request
        .extensions_mut()
        .insert(Endpoint::new(operation_id, path_template));
}
