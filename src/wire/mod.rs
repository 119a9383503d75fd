//! Wire types: the JSON shapes of the four systems' APIs. The clients and the emulator
//! share these and nothing else.

pub mod graph;
