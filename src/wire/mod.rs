//! Wire types: the JSON shapes of the four systems' APIs. The clients and the emulator
//! share these and nothing else.

pub mod cloudlink;
pub mod graph;
pub mod micollab;
pub mod pbx;
