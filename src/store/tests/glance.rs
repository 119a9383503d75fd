//! What a glance of `sync --watch` reads of the store: the mapped users a page at a time,
//! and whether the rollout is quiet.

use super::*;

#[test]
fn a_glance_pages_through_live_mappings_with_an_entra_id_and_sees_which_changed() {
    each_backend(|| {
        let (_dir, mut store) = temp_store();
        let with_id = |login: &str, ext: &str| Mapping {
            teams_id: Some(format!("id-{login}")),
            ..mapping(login, &format!("{login}@example.com"), ext)
        };
        let before = chrono::Utc::now() - chrono::Duration::seconds(5);
        let mappings = [
            with_id("ann", "2001"),
            mapping("bob", "bob@example.com", "2002"),
            with_id("cid", "2003"),
            with_id("dee", "2004"),
        ];
        store.upsert_mappings(&mappings, None).unwrap();
        store.remove_mappings(&["dee".into()], None).unwrap();
        let logins = |page: &[(i64, crate::engine::GlancedUser)]| -> Vec<(String, bool)> {
            page.iter()
                .map(|(_, u)| (u.login.clone(), u.touched))
                .collect()
        };
        // Bob has no Entra object id and Dee is removed: nothing to read in Graph.
        let all = store.glance_page(0, 10, before).unwrap();
        assert_eq!(logins(&all), [("ann".into(), true), ("cid".into(), true)]);
        assert_eq!(all[0].1.teams_id, "id-ann");
        let later = chrono::Utc::now() + chrono::Duration::seconds(5);
        let first = store.glance_page(0, 1, later).unwrap();
        assert_eq!(logins(&first), [("ann".into(), false)]);
        let second = store.glance_page(first[0].0, 1, later).unwrap();
        assert_eq!(logins(&second), [("cid".into(), false)]);
        assert!(store.glance_page(second[0].0, 1, later).unwrap().is_empty());
    });
}

#[test]
fn the_rollout_is_quiet_without_onboarding_users_or_a_plan_held() {
    each_backend(|| {
        let (_dir, mut store) = temp_store();
        let now = chrono::Utc::now();
        assert!(store.rollout_quiet(now).unwrap());
        store
            .mark_onboarding(None, &["ann".into()], "profile enable")
            .unwrap();
        assert!(!store.rollout_quiet(now).unwrap());
        store.finish_onboarding(&["ann".into()], now).unwrap();
        assert!(store.rollout_quiet(now).unwrap());
        store.hold_plan(&["bob".into()], 50, 10, now).unwrap();
        assert!(!store.rollout_quiet(now).unwrap());
    });
}
