use clap::Parser;

fn main() -> std::process::ExitCode {
    let cli = mcteams::cli::Cli::parse();
    let status = mcteams::commands::run(cli);
    std::process::ExitCode::from(status.code())
}
