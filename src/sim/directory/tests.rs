use super::*;

#[test]
fn same_seed_same_directory_and_lookups_agree() {
    let a = Directory::generate(7, 500);
    let b = Directory::generate(7, 500);
    for i in [0u32, 7, 123, 499] {
        let fa = a.facts(i);
        assert_eq!(fa.upn, b.facts(i).upn);
        assert_eq!(a.object_id(i), b.object_id(i));
        assert_eq!(a.by_object_id(a.object_id(i)), Some(i));
        assert_eq!(a.by_generated_upn(&fa.upn), Some(i));
        assert_eq!(a.by_mail(&fa.mail), Some(i));
        assert_eq!(a.by_login(&fa.login), Some(i));
        assert_eq!(a.by_extension(&fa.extension), Some(i));
        assert_eq!(a.by_principal(&a.principal_id(i)), Some(i));
    }
    assert_ne!(Directory::generate(8, 1).object_id(0), a.object_id(0));
    assert_ne!(a.facts(7).mail, a.facts(7).upn);
}

proptest::proptest! {
    #[test]
    fn unmix_undoes_mix(seed: u64, index: u64, salt: u64) {
        proptest::prop_assert_eq!(unmix(seed, mix(seed, index, salt), salt), index);
    }

    #[test]
    fn every_users_guids_lead_back_to_it(seed: u64, index in 0..u32::MAX - 1) {
        let mut dir = Directory::generate(seed, 0);
        dir.count = u32::MAX;
        let object_id = guid_from(seed, u64::from(index), SALT_OBJECT_ID);
        let cloudlink = guid_from(seed, u64::from(index), SALT_CLOUDLINK);
        proptest::prop_assert_eq!(dir.by_object_id(object_id), Some(index));
        proptest::prop_assert_eq!(dir.by_cloudlink_user(cloudlink), Some(index));
    }
}

#[test]
fn computed_lookups_refuse_what_names_no_user() {
    let dir = Directory::generate(3, 60);
    let login = dir.facts(12).login;
    let cases = [
        (login.clone(), Some(12)),
        (format!("{login}0"), None),
        (login.replace("12", "012"), None),
        (login.replace("12", "13"), None),
        (login.trim_end_matches(char::is_numeric).to_string(), None),
        ("12".to_string(), None),
        (String::new(), None),
        (format!("x{login}"), None),
        (login.replace("12", "60"), None),
        (login.replace("12", "99999999999"), None),
    ];
    for (asked, expected) in cases {
        assert_eq!(dir.by_login(&asked), expected, "login {asked:?}");
    }
    assert_eq!(dir.by_principal(&dir.principal_id(59)), Some(59));
    let beyond = Directory::generate(3, 61);
    assert_eq!(dir.by_object_id(dir.object_id(59)), Some(59));
    assert_eq!(dir.by_object_id(beyond.object_id(60)), None);
    assert_eq!(dir.by_object_id(dir.object_id(59) ^ 1), None);
    assert_eq!(
        dir.by_object_id(Directory::generate(4, 60).object_id(5)),
        None
    );
    assert_eq!(dir.by_cloudlink_user(dir.cloudlink_user_id(7)), Some(7));
    assert_eq!(dir.by_cloudlink_user(dir.object_id(7)), None);
    assert_eq!(dir.by_cloudlink_user(beyond.cloudlink_user_id(60)), None);
    let beyond = beyond.principal_id(60);
    for principal in [beyond.as_str(), "p-0000000000000000", "p-", "p-zz", "x-01"] {
        assert_eq!(dir.by_principal(principal), None, "principal {principal:?}");
    }
}

#[test]
fn names_are_written_as_they_always_were() {
    let dir = Directory::generate(3, 60);
    for i in 0..60 {
        let (first, last) = dir.name_parts(i);
        let (first_l, last_l) = (first.to_ascii_lowercase(), last.to_ascii_lowercase());
        let upn = format!("{first_l}.{last_l}{i}@{UPN_DOMAIN}");
        let facts = dir.facts(i);
        assert_eq!(facts.display_name, format!("{first} {last}"));
        assert_eq!(facts.login, format!("{}{last_l}{i}", &first_l[..1]));
        assert_eq!(facts.upn, upn);
        let other = format!("{first_l}.{last_l}{i}@{OTHER_MAIL_DOMAIN}");
        assert_eq!(facts.mail, if i % 25 == 7 { other } else { upn });
        assert_eq!(
            dir.principal_id(i),
            format!("p-{:016x}", mix(3, i as u64, SALT_PRINCIPAL))
        );
    }
}

#[test]
fn an_extension_is_found_only_as_written() {
    let dir = Directory::generate(3, 60);
    assert_eq!(dir.by_extension("20001"), Some(1));
    for other in ["+20001", "020001", "20060", "19999", "2e4", "", "0"] {
        assert_eq!(dir.by_extension(other), None, "{other:?}");
    }
}
