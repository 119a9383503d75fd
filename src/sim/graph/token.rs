//! The identity platform's token endpoint: client credentials with a secret or a
//! certificate assertion, answered with an HS256 access token carrying the app's roles.

use axum::http::StatusCode;
use serde_json::json;

use crate::sim::State;
use crate::sim::certificate;
use crate::sim::directory::{UPN_DOMAIN, format_guid, guid_from};
use crate::sim::routes::Call;
use crate::sim::server::Reply;
use crate::sim::tokens;

fn oauth_error(status: StatusCode, error: &str, code: u64, description: &str) -> Reply {
    let trace = uuid::Uuid::new_v4().to_string();
    let correlation = uuid::Uuid::new_v4().to_string();
    let now = chrono::Utc::now().format("%Y-%m-%d %H:%M:%SZ");
    Reply::json(
        status,
        json!({
            "error": error,
            "error_description": format!(
                "AADSTS{code}: {description} Trace ID: {trace} Correlation ID: {correlation} Timestamp: {now}"
            ),
            "error_codes": [code],
            "timestamp": now.to_string(),
            "trace_id": trace,
            "correlation_id": correlation,
        }),
    )
}

/// The request's form fields.
struct Form(Vec<(String, String)>);

impl Form {
    fn field(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// `POST {authority}/{tenant}/oauth2/v2.0/token`.
pub(super) fn token(call: &mut Call) -> Reply {
    let tenant = call.param(0).to_string();
    let form = Form(
        url::form_urlencoded::parse(&call.req.body)
            .into_owned()
            .collect(),
    );
    match check_client(call, &tenant, &form) {
        Ok(()) => issue(call.state, &call.sim.credentials),
        Err(reply) => reply,
    }
}

/// The request's tenant, grant, client and scope, then its secret or assertion.
fn check_client(call: &Call, tenant: &str, form: &Form) -> Result<(), Reply> {
    let creds = &call.sim.credentials;
    let known_tenant = tenant.eq_ignore_ascii_case(&creds.tenant_id)
        || tenant.eq_ignore_ascii_case(UPN_DOMAIN)
        || tenant.eq_ignore_ascii_case("contoso.onmicrosoft.com");
    if !known_tenant {
        return Err(oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            90002,
            &format!(
                "Tenant '{tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud."
            ),
        ));
    }
    if form.field("grant_type") != Some("client_credentials") {
        return Err(oauth_error(
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
            70003,
            "The app requested an unsupported grant type; this emulator supports client_credentials.",
        ));
    }
    let client_id = form.field("client_id").unwrap_or_default();
    if client_id.is_empty() {
        return Err(oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            900144,
            "The request body must contain the following parameter: 'client_id'.",
        ));
    }
    if !client_id.eq_ignore_ascii_case(&creds.graph_client_id) {
        return Err(oauth_error(
            StatusCode::BAD_REQUEST,
            "unauthorized_client",
            700016,
            &format!(
                "Application with identifier '{client_id}' was not found in the directory '{tenant}'."
            ),
        ));
    }
    let scope = form.field("scope").unwrap_or_default();
    if !scope.ends_with("/.default") {
        return Err(oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_scope",
            1002012,
            &format!(
                "The provided value for scope {scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI)."
            ),
        ));
    }
    check_credential(call, tenant, client_id, form)
}

/// The client's secret, or its certificate assertion (signed for this token URL).
fn check_credential(call: &Call, tenant: &str, client_id: &str, form: &Form) -> Result<(), Reply> {
    let (state, req, creds) = (&*call.state, call.req, &call.sim.credentials);
    match (form.field("client_secret"), form.field("client_assertion")) {
        (Some(secret), _) => {
            if secret != creds.graph_client_secret {
                return Err(oauth_error(
                    StatusCode::UNAUTHORIZED,
                    "invalid_client",
                    7000215,
                    "Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app.",
                ));
            }
        }
        (None, Some(assertion)) => {
            if form.field("client_assertion_type") != Some(certificate::JWT_BEARER) {
                return Err(oauth_error(
                    StatusCode::BAD_REQUEST,
                    "invalid_request",
                    50027,
                    "client_assertion_type must be urn:ietf:params:oauth:client-assertion-type:jwt-bearer.",
                ));
            }
            let registered = match certificate::for_seed(sim_seed(state)) {
                Ok(found) => found,
                Err(e) => {
                    return Err(oauth_error(
                        StatusCode::INTERNAL_SERVER_ERROR,
                        "server_error",
                        50000,
                        &format!("The emulator could not set up the app's certificate: {e}"),
                    ));
                }
            };
            let token_url = format!("{}/login/{tenant}/oauth2/v2.0/token", req.origin);
            if let Err(refusal) = certificate::verify_assertion(
                &registered,
                assertion,
                client_id,
                &token_url,
                state.world.now_ms(),
            ) {
                return Err(oauth_error(
                    refusal.status,
                    refusal.error,
                    refusal.code,
                    &refusal.description,
                ));
            }
        }
        (None, None) => {
            return Err(oauth_error(
                StatusCode::UNAUTHORIZED,
                "invalid_client",
                7000218,
                "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
            ));
        }
    }
    Ok(())
}

/// A new access token for the app, with the roles it has now.
fn issue(state: &mut State, creds: &crate::sim::Credentials) -> Reply {
    let now_s = state.world.now_ms() / 1000;
    let lifetime = state.graph.token_lifetime_s;
    let serial = state.graph.next_serial;
    state.graph.next_serial += 1;
    let claims = json!({
        "aud": "https://graph.microsoft.com",
        "iss": format!("https://sts.windows.net/{}/", creds.tenant_id),
        "iat": now_s,
        "nbf": now_s,
        "exp": now_s + lifetime,
        "appid": creds.graph_client_id,
        "app_displayname": "mcteams (emulated)",
        "idtyp": "app",
        "oid": format_guid(guid_from(sim_seed(state), u64::MAX, 14)),
        "roles": state.graph.roles,
        "tid": creds.tenant_id,
        "uti": serial,
        "ver": "1.0",
    });
    Reply::ok(json!({
        "token_type": "Bearer",
        "expires_in": lifetime,
        "ext_expires_in": lifetime,
        "access_token": tokens::sign_hs256(&state.graph.key, &claims),
    }))
}

fn sim_seed(state: &State) -> u64 {
    state.world.dir.seed
}
