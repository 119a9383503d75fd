// See Cargo.toml for why jemalloc.
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// jemalloc's options, read once at start. One arena rather than one per core and thread
/// pool: a cycle's memory is mostly allocated on one thread and freed on another, and
/// per-thread arenas each kept their own share (about 15 MB more at 100,000 users, for no
/// measurable speed). Freed pages go back to the system after one second instead of ten: a
/// first sync of 100,000 users (every presentity written) peaked at 153-159 MB keeping them
/// and 142-147 MB returning them, under the 150 MB bar, for about 0.1 s more CPU in a
/// 100,000-user cycle (a quarter second: 139 MB, but 0.3 s more CPU in every cycle).
#[cfg(not(target_env = "msvc"))]
#[unsafe(export_name = "_rjem_malloc_conf")]
static JEMALLOC_OPTIONS: JemallocOptions =
    JemallocOptions(c"narenas:1,dirty_decay_ms:1000,muzzy_decay_ms:0".as_ptr());

/// A C string pointer, as jemalloc's `malloc_conf` is declared (`const char *`).
#[cfg(not(target_env = "msvc"))]
#[repr(transparent)]
struct JemallocOptions(*const std::ffi::c_char);

// The pointer is to a static, never-written C string literal.
#[cfg(not(target_env = "msvc"))]
unsafe impl Sync for JemallocOptions {}

fn main() -> std::process::ExitCode {
    let cli = mcteams::commands::parse_args();
    let status = mcteams::commands::run(cli);
    std::process::ExitCode::from(status.code())
}
