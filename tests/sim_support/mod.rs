//! Shared helpers of the emulator tests: start one in-process on a free loopback port and
//! talk to it over real HTTP, through its public APIs and its control API only.
#![allow(dead_code)]

use mcteams::sim::{SimHandle, SimOptions, start};
use serde_json::{Value, json};

pub struct TestSim {
    pub handle: SimHandle,
    pub http: reqwest::Client,
}

pub async fn sim(users: u32) -> TestSim {
    sim_with(SimOptions {
        users,
        seed: 42,
        ..SimOptions::default()
    })
    .await
}

pub async fn sim_with(options: SimOptions) -> TestSim {
    let handle = start(options).await.expect("emulator starts");
    TestSim {
        handle,
        http: reqwest::Client::new(),
    }
}

/// An answer: status, headers, JSON body (Null when empty).
pub struct Answer {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub body: Value,
}

impl Answer {
    pub fn header(&self, name: &str) -> Option<String> {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    }
}

impl TestSim {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.handle.base_url)
    }

    pub async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Answer {
        let mut request = self.http.request(method, self.url(path));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.expect("request reaches the emulator");
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let bytes = response.bytes().await.expect("body");
        let body = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes).expect("JSON body")
        };
        Answer {
            status,
            headers,
            body,
        }
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> Answer {
        self.send(reqwest::Method::GET, path, token, None).await
    }

    pub async fn post(&self, path: &str, token: Option<&str>, body: Value) -> Answer {
        self.send(reqwest::Method::POST, path, token, Some(body))
            .await
    }

    pub async fn control(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> Answer {
        let answer = self.send(method, &format!("/_sim{path}"), None, body).await;
        assert!(
            answer.status < 300,
            "control {path}: {} {}",
            answer.status,
            answer.body
        );
        answer
    }

    pub async fn advance(&self, seconds: f64) {
        self.control(
            reqwest::Method::POST,
            "/clock",
            Some(json!({"advance_s": seconds})),
        )
        .await;
    }

    /// The token endpoint with a form body; the raw answer.
    pub async fn token_request(&self, form: &[(&str, &str)]) -> Answer {
        let tenant = &self.handle.credentials.tenant_id;
        let response = self
            .http
            .post(self.url(&format!("/login/{tenant}/oauth2/v2.0/token")))
            .form(form)
            .send()
            .await
            .expect("token request");
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let body = response.json().await.expect("JSON");
        Answer {
            status,
            headers,
            body,
        }
    }

    pub async fn graph_token(&self) -> String {
        let c = &self.handle.credentials;
        let answer = self
            .token_request(&[
                ("client_id", &c.graph_client_id),
                ("scope", "https://graph.microsoft.com/.default"),
                ("grant_type", "client_credentials"),
                ("client_secret", &c.graph_client_secret),
            ])
            .await;
        assert_eq!(answer.status, 200, "{}", answer.body);
        answer.body["access_token"]
            .as_str()
            .expect("token")
            .to_string()
    }

    /// A bearer token of MiCollab ("micollab"), MiVB ("pbx") or CloudLink ("cloudlink").
    pub async fn mitel_token(&self, system: &str) -> String {
        let c = &self.handle.credentials;
        let (path, body) = match system {
            "micollab" => (
                "/micollab/2017-09-01/token".to_string(),
                json!({"grant_type": "password", "username": c.micollab_username, "password": c.micollab_password}),
            ),
            "pbx" => (
                "/pbx/2017-09-01/token".to_string(),
                json!({"grant_type": "password", "username": c.pbx_username, "password": c.pbx_password}),
            ),
            _ => (
                "/cloudlink/authentication/2017-09-01/token".to_string(),
                json!({"grant_type": "client_credentials", "client_id": c.cloudlink_client_id, "client_secret": c.cloudlink_client_secret, "account_id": c.cloudlink_account_id}),
            ),
        };
        let answer = self.post(&path, None, body).await;
        assert_eq!(answer.status, 200, "{}", answer.body);
        answer.body["access_token"]
            .as_str()
            .expect("token")
            .to_string()
    }

    /// The first `n` users of the directory as the control API lists them.
    pub async fn users(&self, n: usize) -> Vec<Value> {
        let answer = self
            .control(reqwest::Method::GET, &format!("/users?limit={n}"), None)
            .await;
        answer.body["items"].as_array().expect("items").clone()
    }

    pub async fn presence(&self, token: &str, object_id: &str) -> Value {
        let answer = self
            .get(
                &format!("/graph/v1.0/users/{object_id}/presence"),
                Some(token),
            )
            .await;
        assert_eq!(answer.status, 200, "{}", answer.body);
        answer.body
    }
}
