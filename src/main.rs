use clap::Parser;

// See Cargo.toml for why jemalloc.
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() -> std::process::ExitCode {
    let cli = mcteams::cli::Cli::parse();
    let status = mcteams::commands::run(cli);
    std::process::ExitCode::from(status.code())
}
