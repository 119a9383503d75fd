//! Maps and sets keyed by ids (Entra object ids, logins, extensions, principal ids).
//!
//! A sync cycle hashes every user's ids about a dozen times (deduplicating a request's ids,
//! indexing each answer, matching it to the user), so these use foldhash rather than the
//! standard SipHash: several times faster on short strings. It is seeded at random per
//! process and per map, so colliding ids cannot be chosen without learning the seeds; its
//! authors call it minimally DoS-resistant, which is enough here: the ids come from the
//! systems mcteams is configured to trust, not from the public.

pub type IdMap<V> = foldhash::HashMap<String, V>;
pub type IdSet<'a> = foldhash::HashSet<&'a str>;

/// An empty [`IdMap`] with room for `capacity` ids.
pub fn id_map<V>(capacity: usize) -> IdMap<V> {
    IdMap::with_capacity_and_hasher(capacity, Default::default())
}

/// An empty [`IdSet`] with room for `capacity` ids.
pub fn id_set<'a>(capacity: usize) -> IdSet<'a> {
    IdSet::with_capacity_and_hasher(capacity, Default::default())
}
