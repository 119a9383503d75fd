//! The generated directory: N users consistent across Entra, MiCollab, MiVoice Business and
//! CloudLink, derived from `(seed, index)`.
//!
//! Only what cannot be derived cheaply is stored: the UPN and mail maps (→ index). Logins,
//! extensions, principal ids and GUIDs lead back to their index by computation (a trailing
//! number, or [`unmix`]); names and device facts are recomputed from the index on demand,
//! which keeps 100,000 users well under the emulator's memory budget.

use std::fmt::{self, Write as _};

const FIRST_NAMES: &[&str] = &[
    "Alice", "Bruno", "Chloe", "Dmitri", "Elena", "Farid", "Grace", "Hiro", "Ines", "Jonas",
    "Kavya", "Liam", "Maya", "Noah", "Olga", "Pedro", "Quinn", "Rosa", "Sven", "Tariq", "Uma",
    "Victor", "Wen", "Ximena", "Yusuf", "Zoe",
];
const LAST_NAMES: &[&str] = &[
    "Smith", "Martin", "Garcia", "Mueller", "Rossi", "Dubois", "Kowalski", "Nakamura", "Silva",
    "Okafor", "Larsen", "Novak", "Chen", "Patel", "Murphy", "Jensen", "Costa", "Haddad", "Ivanova",
    "Moreau", "Fischer", "Santos", "Byrne", "Tanaka",
];

/// The Entra (UPN) domain, and the other mail domain some users have.
pub const UPN_DOMAIN: &str = "contoso.com";
pub const OTHER_MAIL_DOMAIN: &str = "contoso-sales.com";
/// The first extension number; user `i` has extension `FIRST_EXTENSION + i`.
pub const FIRST_EXTENSION: u32 = 20_000;

/// A user profile of MiCollab. Default (migrated) profiles refuse every change.
#[derive(Debug, Clone, Copy)]
pub struct ProfileSeed {
    pub name: &'static str,
    pub is_default: bool,
    /// Share of users (in 1/1000) assigned to it.
    pub weight: u32,
}

pub const PROFILES: &[ProfileSeed] = &[
    ProfileSeed {
        name: "Default",
        is_default: true,
        weight: 100,
    },
    ProfileSeed {
        name: "Default (migrated)",
        is_default: true,
        weight: 50,
    },
    ProfileSeed {
        name: "Sales",
        is_default: false,
        weight: 250,
    },
    ProfileSeed {
        name: "Support",
        is_default: false,
        weight: 200,
    },
    ProfileSeed {
        name: "Engineering",
        is_default: false,
        weight: 250,
    },
    ProfileSeed {
        name: "Contact Center",
        is_default: false,
        weight: 100,
    },
    ProfileSeed {
        name: "Executives",
        is_default: false,
        weight: 50,
    },
];

/// MiCollab client types.
pub const CLIENT_TYPES: &[&str] = &["PC", "Web", "Mac"];

/// What kind of phone an extension is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeviceType {
    DeskPhone,
    Softphone,
}

impl DeviceType {
    pub fn as_str(self) -> &'static str {
        match self {
            DeviceType::DeskPhone => "deskPhone",
            DeviceType::Softphone => "softphone",
        }
    }
}

/// Everything about one user that never changes, recomputed from the index.
#[derive(Debug, Clone)]
pub struct UserFacts {
    pub index: u32,
    pub display_name: String,
    pub given_name: &'static str,
    pub surname: &'static str,
    pub upn: String,
    pub mail: String,
    pub login: String,
    pub extension: String,
    pub profile: usize,
    pub client_type: &'static str,
    pub telephony_only: bool,
    pub device: DeviceType,
    /// `Some(agent id)` when an ACD agent is logged in by hot-desking on this extension.
    pub acd_agent_id: Option<String>,
}

/// The directory: generation parameters, the GUIDs and the UPN and mail maps.
#[derive(Debug)]
pub struct Directory {
    pub seed: u64,
    pub count: u32,
    pub tenant_id: String,
    object_ids: Vec<u128>,
    cloudlink_user_ids: Vec<u128>,
    by_upn: foldhash::HashMap<String, u32>,
    by_mail: foldhash::HashMap<String, u32>,
}

/// splitmix64: a tiny, well-mixed hash so every derived value depends on (seed, index, salt).
pub fn mix(seed: u64, index: u64, salt: u64) -> u64 {
    let mut z = seed
        .wrapping_add(index.wrapping_mul(0x9E37_79B9_7F4A_7C15))
        .wrapping_add(salt.wrapping_mul(0xD1B5_4A32_D192_ED03));
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The index that [`mix`] turns into `value` for this seed and salt: every step of it can
/// be undone (multiplying by an odd constant, xor with a right shift).
pub fn unmix(seed: u64, value: u64, salt: u64) -> u64 {
    /// Inverse of `z ^ (z >> shift)` on 64 bits.
    fn unshift(z: u64, shift: u32) -> u64 {
        let mut x = z;
        let mut done = shift;
        while done < 64 {
            x = z ^ (x >> shift);
            done += shift;
        }
        x
    }
    /// Multiplicative inverse of an odd number modulo 2^64 (Newton's iteration: each step
    /// doubles the correct low bits, starting from 3).
    const fn inverse(odd: u64) -> u64 {
        let mut x = odd;
        let mut step = 0;
        while step < 5 {
            x = x.wrapping_mul(2u64.wrapping_sub(odd.wrapping_mul(x)));
            step += 1;
        }
        x
    }
    let mut z = unshift(value, 31);
    z = unshift(z.wrapping_mul(inverse(0x94D0_49BB_1331_11EB)), 27);
    z = unshift(z.wrapping_mul(inverse(0xBF58_476D_1CE4_E5B9)), 30);
    z.wrapping_sub(seed)
        .wrapping_sub(salt.wrapping_mul(0xD1B5_4A32_D192_ED03))
        .wrapping_mul(inverse(0x9E37_79B9_7F4A_7C15))
}

/// A version-4-shaped GUID from two hashes.
pub fn guid_from(seed: u64, index: u64, salt: u64) -> u128 {
    let hi = mix(seed, index, salt);
    let lo = mix(seed, index, salt ^ 0x5555);
    let raw = ((hi as u128) << 64) | lo as u128;
    // Version 4 and RFC 4122 variant bits, so the ids look like the real thing.
    (raw & !(0xF000u128 << 64) & !(0xC000u128 << 48)) | (0x4000u128 << 64) | (0x8000u128 << 48)
}

pub fn format_guid(value: u128) -> String {
    uuid::Uuid::from_u128(value).hyphenated().to_string()
}

pub fn parse_guid(text: &str) -> Option<u128> {
    uuid::Uuid::parse_str(text).ok().map(|u| u.as_u128())
}

const SALT_OBJECT_ID: u64 = 1;
const SALT_CLOUDLINK: u64 = 2;
const SALT_PROFILE: u64 = 3;
const SALT_CLIENT: u64 = 4;
const SALT_NAME: u64 = 5;
const SALT_TENANT: u64 = 6;
const SALT_PRINCIPAL: u64 = 7;

impl Directory {
    pub fn generate(seed: u64, count: u32) -> Directory {
        let n = count as usize;
        let mut dir = Directory {
            seed,
            count,
            tenant_id: format_guid(guid_from(seed, u64::MAX, SALT_TENANT)),
            object_ids: Vec::with_capacity(n),
            cloudlink_user_ids: Vec::with_capacity(n),
            by_upn: foldhash::HashMap::with_capacity_and_hasher(n, Default::default()),
            by_mail: foldhash::HashMap::default(),
        };
        for i in 0..count {
            let object_id = guid_from(seed, i as u64, SALT_OBJECT_ID);
            let cloudlink = guid_from(seed, i as u64, SALT_CLOUDLINK);
            dir.object_ids.push(object_id);
            dir.cloudlink_user_ids.push(cloudlink);
            let (upn, mail) = (dir.generated_upn(i).to_string(), dir.mail(i).to_string());
            if mail != upn {
                dir.by_mail.insert(mail, i);
            }
            dir.by_upn.insert(upn, i);
        }
        dir
    }

    fn name_parts(&self, i: u32) -> (&'static str, &'static str) {
        let h = mix(self.seed, i as u64, SALT_NAME);
        (
            FIRST_NAMES[(h % FIRST_NAMES.len() as u64) as usize],
            LAST_NAMES[((h >> 16) % LAST_NAMES.len() as u64) as usize],
        )
    }

    fn name(&self, i: u32, form: NameForm) -> Name {
        let (first, last) = self.name_parts(i);
        Name {
            first,
            last,
            i,
            form,
        }
    }

    /// "Given Surname".
    pub fn display_name(&self, i: u32) -> Name {
        self.name(i, NameForm::Display)
    }

    /// The MiCollab login: initial and surname, lowercase, and the index.
    pub fn login(&self, i: u32) -> Name {
        self.name(i, NameForm::Login)
    }

    /// The UPN the directory generated (renames are kept by the world, not here).
    pub fn generated_upn(&self, i: u32) -> Name {
        self.name(i, NameForm::Address(UPN_DOMAIN))
    }

    /// Every 25th user's mail lives in another domain: CloudLink matches them by mail.
    pub fn mail(&self, i: u32) -> Name {
        let domain = if i % 25 == 7 {
            OTHER_MAIL_DOMAIN
        } else {
            UPN_DOMAIN
        };
        self.name(i, NameForm::Address(domain))
    }

    pub fn extension_number(&self, i: u32) -> u32 {
        FIRST_EXTENSION + i
    }

    pub fn facts(&self, i: u32) -> UserFacts {
        let (given_name, surname) = self.name_parts(i);
        UserFacts {
            index: i,
            display_name: self.display_name(i).to_string(),
            given_name,
            surname,
            upn: self.generated_upn(i).to_string(),
            mail: self.mail(i).to_string(),
            login: self.login(i).to_string(),
            extension: self.extension_number(i).to_string(),
            profile: self.initial_profile(i),
            client_type: self.client_type(i),
            telephony_only: self.telephony_only(i),
            device: self.device(i),
            acd_agent_id: self.acd_agent_id(i),
        }
    }

    pub fn given_name(&self, i: u32) -> &'static str {
        self.name_parts(i).0
    }

    pub fn surname(&self, i: u32) -> &'static str {
        self.name_parts(i).1
    }

    pub fn client_type(&self, i: u32) -> &'static str {
        CLIENT_TYPES[(mix(self.seed, i as u64, SALT_CLIENT) % 3) as usize]
    }

    pub fn telephony_only(&self, i: u32) -> bool {
        (mix(self.seed, i as u64, SALT_CLIENT) >> 8).is_multiple_of(4)
    }

    pub fn initial_profile(&self, i: u32) -> usize {
        let total: u32 = PROFILES.iter().map(|p| p.weight).sum();
        let mut pick = (mix(self.seed, i as u64, SALT_PROFILE) % total as u64) as u32;
        for (index, profile) in PROFILES.iter().enumerate() {
            if pick < profile.weight {
                return index;
            }
            pick -= profile.weight;
        }
        PROFILES.len() - 1
    }

    /// One user in five has a softphone; hot-desk ACD softphone users are softphones too.
    pub fn device(&self, i: u32) -> DeviceType {
        if i % 5 == 4 || self.is_acd_hot_desk_softphone(i) {
            DeviceType::Softphone
        } else {
            DeviceType::DeskPhone
        }
    }

    /// Users logged in as ACD agents on a hot-desk softphone: the seed says these are not
    /// synchronized to Teams.
    pub fn is_acd_hot_desk_softphone(&self, i: u32) -> bool {
        i % 20 == 3
    }

    /// ACD agents on desk phones: synchronized like everybody else.
    pub fn is_acd_desk_phone_agent(&self, i: u32) -> bool {
        i % 20 == 8
    }

    pub fn acd_agent_id(&self, i: u32) -> Option<String> {
        self.acd_agent(i).map(|agent| agent.to_string())
    }

    /// The ACD agent number logged in on user `i`'s extension, if any.
    pub fn acd_agent(&self, i: u32) -> Option<u32> {
        (self.is_acd_hot_desk_softphone(i) || self.is_acd_desk_phone_agent(i)).then_some(5000 + i)
    }

    /// Users with their own custom dynamic statuses in MiCollab.
    pub fn own_statuses(&self, i: u32) -> &'static [OwnStatus] {
        match i % 7 {
            2 => &OWN_STATUSES_A,
            5 => &OWN_STATUSES_B,
            _ => &[],
        }
    }

    pub fn object_id(&self, i: u32) -> u128 {
        self.object_ids[i as usize]
    }

    pub fn cloudlink_user_id(&self, i: u32) -> u128 {
        self.cloudlink_user_ids[i as usize]
    }

    /// CloudLink's principal id (what presentities are keyed by), distinct from its user id.
    pub fn principal_id(&self, i: u32) -> String {
        self.principal(i).to_string()
    }

    pub fn principal(&self, i: u32) -> PrincipalId {
        PrincipalId(mix(self.seed, i as u64, SALT_PRINCIPAL))
    }

    pub fn by_object_id(&self, id: u128) -> Option<u32> {
        self.guid_index(id, SALT_OBJECT_ID)
    }

    /// The user whose GUID (for `salt`) is `id`, computed as for principal ids: the GUID's
    /// first half is [`mix`] with its version nibble overwritten, so each of the 16 nibbles
    /// it may have had is undone and the index checked.
    fn guid_index(&self, id: u128, salt: u64) -> Option<u32> {
        let first_half = (id >> 64) as u64 & !0xF000;
        (0..16u64).find_map(|nibble| {
            let index = unmix(self.seed, first_half | (nibble << 12), salt);
            let i = u32::try_from(index).ok().filter(|&i| i < self.count)?;
            (guid_from(self.seed, index, salt) == id).then_some(i)
        })
    }

    /// The generated UPN (renames are kept by the world, not here).
    pub fn by_generated_upn(&self, upn_lower: &str) -> Option<u32> {
        self.by_upn.get(upn_lower).copied()
    }

    pub fn by_mail(&self, mail_lower: &str) -> Option<u32> {
        self.by_mail
            .get(mail_lower)
            .copied()
            .or_else(|| self.by_upn.get(mail_lower).copied())
    }

    /// The index is the login's trailing number ("gsurname12"): computed and checked
    /// rather than looked up, since a bulk read asks for a thousand logins at a time and a
    /// map of 100,000 of them misses the cache on nearly every one.
    pub fn by_login(&self, login_lower: &str) -> Option<u32> {
        let digits = &login_lower[login_lower
            .trim_end_matches(|c: char| c.is_ascii_digit())
            .len()..];
        if digits.is_empty() || (digits.len() > 1 && digits.starts_with('0')) {
            return None;
        }
        let i: u32 = digits.parse().ok()?;
        (i < self.count && self.login(i).is(login_lower)).then_some(i)
    }

    pub fn by_extension(&self, extension: &str) -> Option<u32> {
        let n: u32 = extension.parse().ok()?;
        let i = n.checked_sub(FIRST_EXTENSION)?;
        // Only the number as written ("+20001" or "020001" name no extension); checked on
        // the text because an allocated `n.to_string()` per lookup is a batch read's cost.
        let canonical = extension.starts_with(|c: char| c.is_ascii_digit())
            && !(extension.len() > 1 && extension.starts_with('0'));
        (i < self.count && canonical).then_some(i)
    }

    pub fn by_cloudlink_user(&self, id: u128) -> Option<u32> {
        self.guid_index(id, SALT_CLOUDLINK)
    }

    pub fn by_principal(&self, principal: &str) -> Option<u32> {
        let hex = principal.strip_prefix("p-")?;
        let value = u64::from_str_radix(hex, 16).ok()?;
        // Computed (as for logins): the index whose principal id this is, if any.
        let i = u32::try_from(unmix(self.seed, value, SALT_PRINCIPAL)).ok()?;
        (i < self.count).then_some(i)
    }
}

/// How a user's name is written: see [`Name`].
#[derive(Debug, Clone, Copy)]
pub enum NameForm {
    /// "Given Surname".
    Display,
    /// "gsurname12".
    Login,
    /// "given.surname12@domain".
    Address(&'static str),
}

/// A user's name, login or address, written where it is wanted (an answer, a lookup key)
/// rather than allocated per user.
#[derive(Debug, Clone, Copy)]
pub struct Name {
    first: &'static str,
    last: &'static str,
    i: u32,
    form: NameForm,
}

impl fmt::Display for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (first, last, i) = (self.first, self.last, self.i);
        match self.form {
            NameForm::Display => write!(f, "{first} {last}"),
            NameForm::Login => write!(f, "{}{}{i}", Lower(&first[..1]), Lower(last)),
            NameForm::Address(domain) => {
                write!(f, "{}.{}{i}@{domain}", Lower(first), Lower(last))
            }
        }
    }
}

impl Name {
    /// Whether the name is written exactly `text`, compared as it is written (no copy).
    pub fn is(&self, text: &str) -> bool {
        struct Rest<'a>(&'a str);
        impl fmt::Write for Rest<'_> {
            fn write_str(&mut self, written: &str) -> fmt::Result {
                self.0 = self.0.strip_prefix(written).ok_or(fmt::Error)?;
                Ok(())
            }
        }
        let mut rest = Rest(text);
        fmt::write(&mut rest, format_args!("{self}")).is_ok() && rest.0.is_empty()
    }
}

/// ASCII-lowercase text, written without a lowercase copy.
struct Lower<'a>(&'a str);

impl fmt::Display for Lower<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0
            .chars()
            .try_for_each(|c| f.write_char(c.to_ascii_lowercase()))
    }
}

/// CloudLink's principal id, `p-` and 16 hex digits.
#[derive(Debug, Clone, Copy)]
pub struct PrincipalId(u64);

impl fmt::Display for PrincipalId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "p-{:016x}", self.0)
    }
}

/// A user's own dynamic status in MiCollab (hidden, never deleted, while Teams manages status).
#[derive(Debug, Clone, Copy, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OwnStatus {
    pub name: &'static str,
    pub call_routing: &'static str,
    pub message: &'static str,
    pub do_not_disturb: bool,
}

const OWN_STATUSES_A: [OwnStatus; 2] = [
    OwnStatus {
        name: "Lunch",
        call_routing: "voicemail",
        message: "Back at 14:00",
        do_not_disturb: false,
    },
    OwnStatus {
        name: "Focus time",
        call_routing: "voicemail",
        message: "Heads down",
        do_not_disturb: true,
    },
];
const OWN_STATUSES_B: [OwnStatus; 1] = [OwnStatus {
    name: "Working from home",
    call_routing: "mobile",
    message: "Reach me on my mobile",
    do_not_disturb: false,
}];

#[cfg(test)]
mod tests;
