//! The admin commands' flags: `profile`, `user` and `status` (MiCollab's own settings).

use std::path::PathBuf;

use clap::{Args, Subcommand};

use super::WriteArgs;

#[derive(Debug, Subcommand)]
pub enum ProfileCommand {
    /// List user profiles: Teams presence on/off, default or custom, user count
    #[command(after_help = "Examples:\n  mcteams profile list -o json")]
    List,
    /// A profile's settings, Teams-managed statuses and users
    #[command(
        after_help = "With -o json: one object (settings, statuses, users). With -o csv: its users.\n\nExamples:\n  mcteams profile show Sales\n  mcteams profile show Sales --all -o csv"
    )]
    Show {
        /// Profile name (or id)
        name: String,
        /// List every user, not only the first ones
        #[arg(long, conflicts_with = "limit")]
        all: bool,
        /// How many users to list
        #[arg(long, value_name = "N", default_value_t = 20)]
        limit: usize,
    },
    /// Turn Teams presence on for every user of a profile
    #[command(
        after_help = "Refused (exit 1, nothing changed): MiCollab before R9.8 SP1, a PBX other than MiVoice \
Business, a default (migrated) profile. More users switching than sync.max_changes: exit 5 unless --force.\n\n\
Examples:\n  mcteams profile enable Sales --dry-run\n  mcteams profile enable Sales --yes"
    )]
    Enable {
        /// Profile name (or id)
        name: String,
        /// Go on past the max_changes guard
        #[arg(long)]
        force: bool,
        #[command(flatten)]
        write: WriteArgs,
    },
    /// Turn Teams presence off for a profile; users get their own statuses back
    #[command(
        after_help = "Refused (exit 1, nothing changed): a default (migrated) profile. More users switching \
than sync.max_changes: exit 5 unless --force.\n\nExamples:\n  mcteams profile disable Sales --dry-run\n  mcteams profile disable Sales --yes"
    )]
    Disable {
        /// Profile name (or id)
        name: String,
        /// Go on past the max_changes guard
        #[arg(long)]
        force: bool,
        #[command(flatten)]
        write: WriteArgs,
    },
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Check "Microsoft Teams status" for users
    #[command(
        after_help = "A result per user: not_found, already_set, planned (--dry-run), changed, failed. \
Exit 3 when a user is not found or failed (the others are applied); exit 5 when more users would \
change than sync.max_changes (nothing applied) unless --force; exit 1 when MiCollab is before \
R9.8 SP1 or its PBX is not MiVoice Business.\n\n\
Examples:\n  mcteams user enable alice bob\n  mcteams user enable --from-csv users.csv --yes"
    )]
    Enable(UserArgs),
    /// Uncheck "Microsoft Teams status" for users
    #[command(
        after_help = "A result per user: not_found, already_set, planned (--dry-run), changed, failed. \
Exit 3 when a user is not found or failed (the others are applied); exit 5 when more users would \
change than sync.max_changes (nothing applied) unless --force.\n\n\
Examples:\n  mcteams user disable alice\n  mcteams user disable --from-csv users.csv --dry-run"
    )]
    Disable(UserArgs),
    /// Everything about one user across the four systems: the mapping, the Teams flag, Teams
    /// presence and mcteams' session, the phone, the MiCollab status, the last sync and its
    /// last writes, and the reasons the report gives
    #[command(
        after_help = "Examples:\n  mcteams user show alice\n  mcteams user show alice@contoso.com -o json"
    )]
    Show {
        /// MiCollab login or Teams UPN
        user: String,
        /// The store's last observations instead of reading the systems
        #[arg(long)]
        from_state: bool,
    },
    /// The users the report knows (mapped, or with Teams presence on), a line each
    #[command(
        after_help = "Examples:\n  mcteams user list --profile Sales\n  mcteams user list --reason dnd_conflict,stale -o csv"
    )]
    List {
        /// Only users of this MiCollab profile
        #[arg(long, value_name = "PROFILE")]
        profile: Option<String>,
        /// Only users with these reason codes (repeatable, or comma-separated)
        #[arg(long, value_name = "CODE", num_args = 1.., value_delimiter = ',', value_parser = super::reason_codes())]
        reason: Vec<String>,
        /// The store's last observations instead of reading the systems
        #[arg(long)]
        from_state: bool,
    },
}

#[derive(Debug, Args)]
pub struct UserArgs {
    /// MiCollab logins
    #[arg(required_unless_present = "from_csv", conflicts_with = "from_csv")]
    pub logins: Vec<String>,
    /// Take the logins from the micollab_login column of a CSV file (a mapping CSV works as is)
    #[arg(long, value_name = "FILE")]
    pub from_csv: Option<PathBuf>,
    /// Go on past the max_changes guard
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub write: WriteArgs,
}

#[derive(Debug, Subcommand)]
pub enum StatusCommand {
    /// The Teams-managed statuses of a profile and their settings
    #[command(after_help = "Examples:\n  mcteams status list Sales")]
    List {
        /// Profile name
        profile: String,
    },
    /// Change settings of a Teams-managed status (never its name or Do-not-disturb)
    #[command(
        after_help = "Users who changed this status's settings for themselves keep theirs unless \
--override-users; the preview says how many. --name (a new name) and --dnd are refused with exit 1 \
and nothing is sent: Microsoft Teams owns the names, and Do not disturb is not editable.\n\n\
Examples:\n  mcteams status set Sales Away --call-routing voicemail --message \"Back soon\" --dry-run\n  \
mcteams status set Sales \"Be right back\" --message \"Back in 5\" --override-users --yes"
    )]
    Set(StatusSetArgs),
    /// Add a status: always refused while Teams manages the statuses
    #[command(
        after_help = "Always refused with exit 1, nothing sent: no dynamic status can be added while \
Microsoft Teams manages the statuses.\n\nExamples:\n  mcteams status add Sales Lunch"
    )]
    Add {
        /// Profile name
        profile: String,
        /// Name of the new status
        name: String,
    },
}

#[derive(Debug, Args)]
pub struct StatusSetArgs {
    /// Profile name
    pub profile: String,
    /// Status name (e.g. "Be right back")
    pub status: String,
    /// Where calls go in this status (e.g. voicemail, desk, mobile, or a number)
    #[arg(long, value_name = "ROUTE")]
    pub call_routing: Option<String>,
    /// Status message shown to other users
    #[arg(long)]
    pub message: Option<String>,
    /// New name: always refused, Teams owns the names
    #[arg(long)]
    pub name: Option<String>,
    /// Do-not-disturb setting: always refused, it is not editable for Teams statuses
    #[arg(long, value_name = "BOOL")]
    pub dnd: Option<bool>,
    /// Also overwrite users' own changes of this status's settings
    #[arg(long)]
    pub override_users: bool,
    #[command(flatten)]
    pub write: WriteArgs,
}
