//! The Entra directory as mcteams reads it: the user count, `$filter` passes by UPN or mail,
//! the whole directory paged, and matching names to users.

use super::*;

impl GraphClient {
    /// `GET /users/$count` (needs `ConsistencyLevel: eventual`).
    pub(super) async fn count_users(&self) -> Result<usize, HttpError> {
        let call =
            Call::get(self.endpoint("/users/$count")?).header("ConsistencyLevel", "eventual");
        let response = self.api.send(&call).await?;
        let text = String::from_utf8_lossy(&response.body);
        text.trim_start_matches('\u{feff}')
            .trim()
            .parse()
            .map_err(|_| {
                self.api.error(
                    &call,
                    HttpErrorKind::Decode("the user count is not a number".to_string()),
                )
            })
    }

    /// Users whose `property` is one of `names`, 15 names per `$filter`, batched.
    pub(super) async fn filter_pass(
        &self,
        property: &str,
        names: &[String],
    ) -> Result<Vec<User>, HttpError> {
        let urls: Vec<String> = names
            .chunks(MAX_FILTER_IN_VALUES)
            .map(|chunk| filter_url(property, chunk))
            .collect();
        let mut users = Vec::new();
        if let [only] = urls.as_slice() {
            let page: Page<User> = self.api.send_json(&Call::get(self.endpoint(only)?)).await?;
            return Ok(page.value);
        }
        let items: Vec<BatchRequestItem> = urls
            .into_iter()
            .map(|url| BatchRequestItem {
                id: String::new(),
                method: "GET".to_string(),
                url,
                headers: Default::default(),
                body: None,
                depends_on: Vec::new(),
            })
            .collect();
        let answers = self.run_batch(&items, 0).await?;
        for (item, batched) in items.iter().zip(answers) {
            let answer = batched.result(self, item, |answer| answer.status == 200)?;
            let page: Page<User> = answer
                .body
                .clone()
                .ok_or("no body")
                .and_then(|b| serde_json::from_value(b).map_err(|_| "not a page of users"))
                .map_err(|why| {
                    let mut e = self.inner_failure(item, &answer);
                    e.kind = HttpErrorKind::Decode(why.to_string());
                    e
                })?;
            users.extend(page.value);
        }
        Ok(users)
    }

    /// Every user of the Entra directory (`release --directory`).
    pub async fn directory_users(&self) -> Result<Vec<User>, HttpError> {
        self.page_directory().await
    }

    /// Every user of the directory, following `@odata.nextLink` (only within Graph's own
    /// origin: a link elsewhere would be handed the bearer token).
    pub(super) async fn page_directory(&self) -> Result<Vec<User>, HttpError> {
        let mut url = self.endpoint(&format!(
            "/users?$select=id,userPrincipalName,mail&$top={MAX_USERS_PAGE}"
        ))?;
        let mut users = Vec::new();
        let mut seen = HashSet::new();
        loop {
            let call = Call::get(url.clone());
            let page: Page<User> = self.api.send_json(&call).await?;
            users.extend(page.value);
            let Some(next) = page.next_link else {
                return Ok(users);
            };
            let next = url::Url::parse(&next).map_err(|_| {
                self.api.error(
                    &call,
                    HttpErrorKind::Decode("@odata.nextLink is not a URL".to_string()),
                )
            })?;
            if !same_origin(&self.base_url, &next) {
                return Err(self.api.error(
                    &call,
                    HttpErrorKind::InsecureUrl(format!(
                        "@odata.nextLink leads to {}, not to {}",
                        next.origin().ascii_serialization(),
                        self.base_url.origin().ascii_serialization()
                    )),
                ));
            }
            if !seen.insert(next.to_string()) {
                return Err(self.api.error(
                    &call,
                    HttpErrorKind::Decode("@odata.nextLink repeats a page already read".into()),
                ));
            }
            url = next;
        }
    }
}

/// Matches `names` against `users`: by UPN first, then by mail, case-insensitively.
pub(super) fn match_users(
    names: &[String],
    users: &[User],
    resolution: &mut UserResolution,
    on: MatchedOn,
) -> Vec<String> {
    let mut index: HashMap<String, &User> = HashMap::new();
    for user in users {
        let key = match on {
            MatchedOn::UserPrincipalName => Some(user.user_principal_name.to_lowercase()),
            MatchedOn::Mail => user.mail.as_ref().map(|m| m.to_lowercase()),
        };
        if let Some(key) = key {
            index.entry(key).or_insert(user);
        }
    }
    let mut unmatched = Vec::new();
    for name in names {
        match index.get(&name.to_lowercase()) {
            Some(user) => {
                resolution.found.insert(
                    name.clone(),
                    ResolvedUser {
                        user: (*user).clone(),
                        matched_on: on,
                    },
                );
            }
            None => unmatched.push(name.clone()),
        }
    }
    unmatched
}
