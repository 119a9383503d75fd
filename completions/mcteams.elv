
use builtin;
use str;

set edit:completion:arg-completer[mcteams] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'mcteams'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'mcteams'= {
            cand --config 'Configuration file [default: $XDG_CONFIG_HOME/mcteams/config.toml]'
            cand --state 'State store: a SQLite file, or postgres://user@host/db (its password from [state] password_env or password_file) [default: config''s [state] url or path, else $XDG_DATA_HOME/mcteams/state.db]'
            cand -o 'Output format for results on stdout'
            cand --output 'Output format for results on stdout'
            cand --out 'Write the results to this file instead of stdout (whole, once the command succeeded; a failed run leaves the file as it was)'
            cand --query 'Query a command''s result (a JMESPath, as CLI for Microsoft 365 and az take it) before it is formatted: -o table|csv show the query''s result too'
            cand --log-format 'Format of every line on stderr: json makes notes, warnings and errors JSON objects too'
            cand -v 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs'
            cand --verbose 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs'
            cand -q 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)'
            cand --quiet 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)'
            cand --no-color 'No colors (also with NO_COLOR or CLICOLOR=0, or when stderr is not a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand profile 'Turn Teams presence on or off for MiCollab user profiles'
            cand user 'Turn the per-user "Microsoft Teams status" checkbox on or off'
            cand status 'Settings of the Teams-managed statuses of a profile'
            cand import 'Import user mappings (MiCollab login <-> Teams user <-> extension) from CSV'
            cand mappings 'List, show, remove, export and discover user mappings'
            cand sync 'Synchronize presence: Teams -> MiCollab and phone -> Teams'
            cand release 'Clear everything mcteams set in Teams (its app sessions), with a preview'
            cand report 'Who is out of sync, why, and what to do about it'
            cand doctor 'Check reachability, TLS, credentials, versions, permissions and clock of every system'
            cand config 'Create, show and check the configuration file'
            cand sim 'The local emulator of Graph, MiCollab, MiVoice Business and CloudLink'
            cand demo 'The whole job against an in-process emulator, step by step'
            cand state 'Check, back up or rebind the state store'
            cand history 'The audit trail: every admin change (old -> new) and every write a sync sent, newest first'
            cand completion 'Print a shell completion script (static: a tab press never calls a server)'
            cand generate 'Write shell completions and man pages (for packaging)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'mcteams;profile'= {
            cand --config 'Configuration file [default: $XDG_CONFIG_HOME/mcteams/config.toml]'
            cand --state 'State store: a SQLite file, or postgres://user@host/db (its password from [state] password_env or password_file) [default: config''s [state] url or path, else $XDG_DATA_HOME/mcteams/state.db]'
            cand -o 'Output format for results on stdout'
            cand --output 'Output format for results on stdout'
            cand --out 'Write the results to this file instead of stdout (whole, once the command succeeded; a failed run leaves the file as it was)'
            cand --query 'Query a command''s result (a JMESPath, as CLI for Microsoft 365 and az take it) before it is formatted: -o table|csv show the query''s result too'
            cand --log-format 'Format of every line on stderr: json makes notes, warnings and errors JSON objects too'
            cand -v 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs'
            cand --verbose 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs'
            cand -q 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)'
            cand --quiet 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)'
            cand --no-color 'No colors (also with NO_COLOR or CLICOLOR=0, or when stderr is not a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand list 'List user profiles: Teams presence on/off, default or custom, user count'
            cand show 'A profile''s settings, Teams-managed statuses and users'
            cand enable 'Turn Teams presence on for every user of a profile'
            cand disable 'Turn Teams presence off for a profile; users get their own statuses back'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'mcteams;profile;list'= {
            cand --config 'Configuration file [default: $XDG_CONFIG_HOME/mcteams/config.toml]'
            cand --state 'State store: a SQLite file, or postgres://user@host/db (its password from [state] password_env or password_file) [default: config''s [state] url or path, else $XDG_DATA_HOME/mcteams/state.db]'
            cand -o 'Output format for results on stdout'
            cand --output 'Output format for results on stdout'
            cand --out 'Write the results to this file instead of stdout (whole, once the command succeeded; a failed run leaves the file as it was)'
            cand --query 'Query a command''s result (a JMESPath, as CLI for Microsoft 365 and az take it) before it is formatted: -o table|csv show the query''s result too'
            cand --log-format 'Format of every line on stderr: json makes notes, warnings and errors JSON objects too'
            cand -v 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs'
            cand --verbose 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs'
            cand -q 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)'
            cand --quiet 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)'
            cand --no-color 'No colors (also with NO_COLOR or CLICOLOR=0, or when stderr is not a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mcteams;profile;show'= {
            cand --limit 'How many users to list'
            cand --config 'Configuration file [default: $XDG_CONFIG_HOME/mcteams/config.toml]'
            cand --state 'State store: a SQLite file, or postgres://user@host/db (its password from [state] password_env or password_file) [default: config''s [state] url or path, else $XDG_DATA_HOME/mcteams/state.db]'
            cand -o 'Output format for results on stdout'
            cand --output 'Output format for results on stdout'
            cand --out 'Write the results to this file instead of stdout (whole, once the command succeeded; a failed run leaves the file as it was)'
            cand --query 'Query a command''s result (a JMESPath, as CLI for Microsoft 365 and az take it) before it is formatted: -o table|csv show the query''s result too'
            cand --log-format 'Format of every line on stderr: json makes notes, warnings and errors JSON objects too'
            cand --all 'List every user, not only the first ones'
            cand -v 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs'
            cand --verbose 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs'
            cand -q 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)'
            cand --quiet 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)'
            cand --no-color 'No colors (also with NO_COLOR or CLICOLOR=0, or when stderr is not a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mcteams;profile;enable'= {
            cand --config 'Configuration file [default: $XDG_CONFIG_HOME/mcteams/config.toml]'
            cand --state 'State store: a SQLite file, or postgres://user@host/db (its password from [state] password_env or password_file) [default: config''s [state] url or path, else $XDG_DATA_HOME/mcteams/state.db]'
            cand -o 'Output format for results on stdout'
            cand --output 'Output format for results on stdout'
            cand --out 'Write the results to this file instead of stdout (whole, once the command succeeded; a failed run leaves the file as it was)'
            cand --query 'Query a command''s result (a JMESPath, as CLI for Microsoft 365 and az take it) before it is formatted: -o table|csv show the query''s result too'
            cand --log-format 'Format of every line on stderr: json makes notes, warnings and errors JSON objects too'
            cand --force 'Go on past the max_changes guard'
            cand --dry-run 'Show what would change, change nothing'
            cand -y 'Do not ask for confirmation (required without a terminal)'
            cand --yes 'Do not ask for confirmation (required without a terminal)'
            cand -v 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs'
            cand --verbose 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs'
            cand -q 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)'
            cand --quiet 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)'
            cand --no-color 'No colors (also with NO_COLOR or CLICOLOR=0, or when stderr is not a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mcteams;profile;disable'= {
            cand --config 'Configuration file [default: $XDG_CONFIG_HOME/mcteams/config.toml]'
            cand --state 'State store: a SQLite file, or postgres://user@host/db (its password from [state] password_env or password_file) [default: config''s [state] url or path, else $XDG_DATA_HOME/mcteams/state.db]'
            cand -o 'Output format for results on stdout'
            cand --output 'Output format for results on stdout'
            cand --out 'Write the results to this file instead of stdout (whole, once the command succeeded; a failed run leaves the file as it was)'
            cand --query 'Query a command''s result (a JMESPath, as CLI for Microsoft 365 and az take it) before it is formatted: -o table|csv show the query''s result too'
            cand --log-format 'Format of every line on stderr: json makes notes, warnings and errors JSON objects too'
            cand --force 'Go on past the max_changes guard'
            cand --dry-run 'Show what would change, change nothing'
            cand -y 'Do not ask for confirmation (required without a terminal)'
            cand --yes 'Do not ask for confirmation (required without a terminal)'
            cand -v 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs'
            cand --verbose 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs'
            cand -q 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)'
            cand --quiet 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)'
            cand --no-color 'No colors (also with NO_COLOR or CLICOLOR=0, or when stderr is not a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mcteams;profile;help'= {
            cand list 'List user profiles: Teams presence on/off, default or custom, user count'
            cand show 'A profile''s settings, Teams-managed statuses and users'
            cand enable 'Turn Teams presence on for every user of a profile'
            cand disable 'Turn Teams presence off for a profile; users get their own statuses back'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'mcteams;profile;help;list'= {
        }
        &'mcteams;profile;help;show'= {
        }
        &'mcteams;profile;help;enable'= {
        }
        &'mcteams;profile;help;disable'= {
        }
        &'mcteams;profile;help;help'= {
        }
        &'mcteams;user'= {
            cand --config 'Configuration file [default: $XDG_CONFIG_HOME/mcteams/config.toml]'
            cand --state 'State store: a SQLite file, or postgres://user@host/db (its password from [state] password_env or password_file) [default: config''s [state] url or path, else $XDG_DATA_HOME/mcteams/state.db]'
            cand -o 'Output format for results on stdout'
            cand --output 'Output format for results on stdout'
            cand --out 'Write the results to this file instead of stdout (whole, once the command succeeded; a failed run leaves the file as it was)'
            cand --query 'Query a command''s result (a JMESPath, as CLI for Microsoft 365 and az take it) before it is formatted: -o table|csv show the query''s result too'
            cand --log-format 'Format of every line on stderr: json makes notes, warnings and errors JSON objects too'
            cand -v 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs'
            cand --verbose 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs'
            cand -q 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)'
            cand --quiet 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)'
            cand --no-color 'No colors (also with NO_COLOR or CLICOLOR=0, or when stderr is not a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand enable 'Check "Microsoft Teams status" for users'
            cand disable 'Uncheck "Microsoft Teams status" for users'
            cand show 'Everything about one user across the four systems: the mapping, the Teams flag, Teams presence and mcteams'' session, the phone, the MiCollab status, the last sync and its last writes, and the reasons the report gives'
            cand list 'The users the report knows (mapped, or with Teams presence on), a line each'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'mcteams;user;enable'= {
            cand --from-csv 'Take the logins from the micollab_login column of a CSV file (a mapping CSV works as is)'
            cand --config 'Configuration file [default: $XDG_CONFIG_HOME/mcteams/config.toml]'
            cand --state 'State store: a SQLite file, or postgres://user@host/db (its password from [state] password_env or password_file) [default: config''s [state] url or path, else $XDG_DATA_HOME/mcteams/state.db]'
            cand -o 'Output format for results on stdout'
            cand --output 'Output format for results on stdout'
            cand --out 'Write the results to this file instead of stdout (whole, once the command succeeded; a failed run leaves the file as it was)'
            cand --query 'Query a command''s result (a JMESPath, as CLI for Microsoft 365 and az take it) before it is formatted: -o table|csv show the query''s result too'
            cand --log-format 'Format of every line on stderr: json makes notes, warnings and errors JSON objects too'
            cand --force 'Go on past the max_changes guard'
            cand --dry-run 'Show what would change, change nothing'
            cand -y 'Do not ask for confirmation (required without a terminal)'
            cand --yes 'Do not ask for confirmation (required without a terminal)'
            cand -v 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs'
            cand --verbose 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs'
            cand -q 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)'
            cand --quiet 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)'
            cand --no-color 'No colors (also with NO_COLOR or CLICOLOR=0, or when stderr is not a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mcteams;user;disable'= {
            cand --from-csv 'Take the logins from the micollab_login column of a CSV file (a mapping CSV works as is)'
            cand --config 'Configuration file [default: $XDG_CONFIG_HOME/mcteams/config.toml]'
            cand --state 'State store: a SQLite file, or postgres://user@host/db (its password from [state] password_env or password_file) [default: config''s [state] url or path, else $XDG_DATA_HOME/mcteams/state.db]'
            cand -o 'Output format for results on stdout'
            cand --output 'Output format for results on stdout'
            cand --out 'Write the results to this file instead of stdout (whole, once the command succeeded; a failed run leaves the file as it was)'
            cand --query 'Query a command''s result (a JMESPath, as CLI for Microsoft 365 and az take it) before it is formatted: -o table|csv show the query''s result too'
            cand --log-format 'Format of every line on stderr: json makes notes, warnings and errors JSON objects too'
            cand --force 'Go on past the max_changes guard'
            cand --dry-run 'Show what would change, change nothing'
            cand -y 'Do not ask for confirmation (required without a terminal)'
            cand --yes 'Do not ask for confirmation (required without a terminal)'
            cand -v 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs'
            cand --verbose 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs'
            cand -q 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)'
            cand --quiet 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)'
            cand --no-color 'No colors (also with NO_COLOR or CLICOLOR=0, or when stderr is not a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mcteams;user;show'= {
            cand --config 'Configuration file [default: $XDG_CONFIG_HOME/mcteams/config.toml]'
            cand --state 'State store: a SQLite file, or postgres://user@host/db (its password from [state] password_env or password_file) [default: config''s [state] url or path, else $XDG_DATA_HOME/mcteams/state.db]'
            cand -o 'Output format for results on stdout'
            cand --output 'Output format for results on stdout'
            cand --out 'Write the results to this file instead of stdout (whole, once the command succeeded; a failed run leaves the file as it was)'
            cand --query 'Query a command''s result (a JMESPath, as CLI for Microsoft 365 and az take it) before it is formatted: -o table|csv show the query''s result too'
            cand --log-format 'Format of every line on stderr: json makes notes, warnings and errors JSON objects too'
            cand --from-state 'The store''s last observations instead of reading the systems'
            cand -v 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs'
            cand --verbose 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs'
            cand -q 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)'
            cand --quiet 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)'
            cand --no-color 'No colors (also with NO_COLOR or CLICOLOR=0, or when stderr is not a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mcteams;user;list'= {
            cand --profile 'Only users of this MiCollab profile'
            cand --reason 'Only users with these reason codes (repeatable, or comma-separated)'
            cand --config 'Configuration file [default: $XDG_CONFIG_HOME/mcteams/config.toml]'
            cand --state 'State store: a SQLite file, or postgres://user@host/db (its password from [state] password_env or password_file) [default: config''s [state] url or path, else $XDG_DATA_HOME/mcteams/state.db]'
            cand -o 'Output format for results on stdout'
            cand --output 'Output format for results on stdout'
            cand --out 'Write the results to this file instead of stdout (whole, once the command succeeded; a failed run leaves the file as it was)'
            cand --query 'Query a command''s result (a JMESPath, as CLI for Microsoft 365 and az take it) before it is formatted: -o table|csv show the query''s result too'
            cand --log-format 'Format of every line on stderr: json makes notes, warnings and errors JSON objects too'
            cand --from-state 'The store''s last observations instead of reading the systems'
            cand -v 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs'
            cand --verbose 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs'
            cand -q 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)'
            cand --quiet 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)'
            cand --no-color 'No colors (also with NO_COLOR or CLICOLOR=0, or when stderr is not a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mcteams;user;help'= {
            cand enable 'Check "Microsoft Teams status" for users'
            cand disable 'Uncheck "Microsoft Teams status" for users'
            cand show 'Everything about one user across the four systems: the mapping, the Teams flag, Teams presence and mcteams'' session, the phone, the MiCollab status, the last sync and its last writes, and the reasons the report gives'
            cand list 'The users the report knows (mapped, or with Teams presence on), a line each'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'mcteams;user;help;enable'= {
        }
        &'mcteams;user;help;disable'= {
        }
        &'mcteams;user;help;show'= {
        }
        &'mcteams;user;help;list'= {
        }
        &'mcteams;user;help;help'= {
        }
        &'mcteams;status'= {
            cand --config 'Configuration file [default: $XDG_CONFIG_HOME/mcteams/config.toml]'
            cand --state 'State store: a SQLite file, or postgres://user@host/db (its password from [state] password_env or password_file) [default: config''s [state] url or path, else $XDG_DATA_HOME/mcteams/state.db]'
            cand -o 'Output format for results on stdout'
            cand --output 'Output format for results on stdout'
            cand --out 'Write the results to this file instead of stdout (whole, once the command succeeded; a failed run leaves the file as it was)'
            cand --query 'Query a command''s result (a JMESPath, as CLI for Microsoft 365 and az take it) before it is formatted: -o table|csv show the query''s result too'
            cand --log-format 'Format of every line on stderr: json makes notes, warnings and errors JSON objects too'
            cand -v 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs'
            cand --verbose 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs'
            cand -q 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)'
            cand --quiet 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)'
            cand --no-color 'No colors (also with NO_COLOR or CLICOLOR=0, or when stderr is not a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand list 'The Teams-managed statuses of a profile and their settings'
            cand set 'Change settings of a Teams-managed status (never its name or Do-not-disturb)'
            cand add 'Add a status: always refused while Teams manages the statuses'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'mcteams;status;list'= {
            cand --config 'Configuration file [default: $XDG_CONFIG_HOME/mcteams/config.toml]'
            cand --state 'State store: a SQLite file, or postgres://user@host/db (its password from [state] password_env or password_file) [default: config''s [state] url or path, else $XDG_DATA_HOME/mcteams/state.db]'
            cand -o 'Output format for results on stdout'
            cand --output 'Output format for results on stdout'
            cand --out 'Write the results to this file instead of stdout (whole, once the command succeeded; a failed run leaves the file as it was)'
            cand --query 'Query a command''s result (a JMESPath, as CLI for Microsoft 365 and az take it) before it is formatted: -o table|csv show the query''s result too'
            cand --log-format 'Format of every line on stderr: json makes notes, warnings and errors JSON objects too'
            cand -v 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs'
            cand --verbose 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs'
            cand -q 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)'
            cand --quiet 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)'
            cand --no-color 'No colors (also with NO_COLOR or CLICOLOR=0, or when stderr is not a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mcteams;status;set'= {
            cand --call-routing 'Where calls go in this status (e.g. voicemail, desk, mobile, or a number)'
            cand --message 'Status message shown to other users'
            cand --name 'New name: always refused, Teams owns the names'
            cand --dnd 'Do-not-disturb setting: always refused, it is not editable for Teams statuses'
            cand --config 'Configuration file [default: $XDG_CONFIG_HOME/mcteams/config.toml]'
            cand --state 'State store: a SQLite file, or postgres://user@host/db (its password from [state] password_env or password_file) [default: config''s [state] url or path, else $XDG_DATA_HOME/mcteams/state.db]'
            cand -o 'Output format for results on stdout'
            cand --output 'Output format for results on stdout'
            cand --out 'Write the results to this file instead of stdout (whole, once the command succeeded; a failed run leaves the file as it was)'
            cand --query 'Query a command''s result (a JMESPath, as CLI for Microsoft 365 and az take it) before it is formatted: -o table|csv show the query''s result too'
            cand --log-format 'Format of every line on stderr: json makes notes, warnings and errors JSON objects too'
            cand --override-users 'Also overwrite users'' own changes of this status''s settings'
            cand --dry-run 'Show what would change, change nothing'
            cand -y 'Do not ask for confirmation (required without a terminal)'
            cand --yes 'Do not ask for confirmation (required without a terminal)'
            cand -v 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs'
            cand --verbose 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs'
            cand -q 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)'
            cand --quiet 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)'
            cand --no-color 'No colors (also with NO_COLOR or CLICOLOR=0, or when stderr is not a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mcteams;status;add'= {
            cand --config 'Configuration file [default: $XDG_CONFIG_HOME/mcteams/config.toml]'
            cand --state 'State store: a SQLite file, or postgres://user@host/db (its password from [state] password_env or password_file) [default: config''s [state] url or path, else $XDG_DATA_HOME/mcteams/state.db]'
            cand -o 'Output format for results on stdout'
            cand --output 'Output format for results on stdout'
            cand --out 'Write the results to this file instead of stdout (whole, once the command succeeded; a failed run leaves the file as it was)'
            cand --query 'Query a command''s result (a JMESPath, as CLI for Microsoft 365 and az take it) before it is formatted: -o table|csv show the query''s result too'
            cand --log-format 'Format of every line on stderr: json makes notes, warnings and errors JSON objects too'
            cand -v 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs'
            cand --verbose 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs'
            cand -q 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)'
            cand --quiet 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)'
            cand --no-color 'No colors (also with NO_COLOR or CLICOLOR=0, or when stderr is not a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mcteams;status;help'= {
            cand list 'The Teams-managed statuses of a profile and their settings'
            cand set 'Change settings of a Teams-managed status (never its name or Do-not-disturb)'
            cand add 'Add a status: always refused while Teams manages the statuses'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'mcteams;status;help;list'= {
        }
        &'mcteams;status;help;set'= {
        }
        &'mcteams;status;help;add'= {
        }
        &'mcteams;status;help;help'= {
        }
        &'mcteams;import'= {
            cand --results 'Write a result per row (input columns + row,action,status,error_code,message)'
            cand --max-deletes 'Stop when --prune would remove more [default: 50 or 10% of mappings, the smaller]'
            cand --columns 'Map other header names: their_name=our_name,...'
            cand --delimiter 'Field delimiter [default: detected, '','' or '';'']'
            cand --config 'Configuration file [default: $XDG_CONFIG_HOME/mcteams/config.toml]'
            cand --state 'State store: a SQLite file, or postgres://user@host/db (its password from [state] password_env or password_file) [default: config''s [state] url or path, else $XDG_DATA_HOME/mcteams/state.db]'
            cand -o 'Output format for results on stdout'
            cand --output 'Output format for results on stdout'
            cand --out 'Write the results to this file instead of stdout (whole, once the command succeeded; a failed run leaves the file as it was)'
            cand --query 'Query a command''s result (a JMESPath, as CLI for Microsoft 365 and az take it) before it is formatted: -o table|csv show the query''s result too'
            cand --log-format 'Format of every line on stderr: json makes notes, warnings and errors JSON objects too'
            cand --only-failed 'Only failed rows in --results (fix them and import that file as is)'
            cand --prune 'Remove mappings that are not in the file'
            cand --force 'Go on past the --max-deletes guard'
            cand --strict 'Apply nothing when any row fails'
            cand --offline 'Do not check rows against the systems (mappings stored as unverified)'
            cand --dry-run 'Show what would change, change nothing'
            cand -y 'Do not ask for confirmation (required without a terminal)'
            cand --yes 'Do not ask for confirmation (required without a terminal)'
            cand -v 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs'
            cand --verbose 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs'
            cand -q 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)'
            cand --quiet 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)'
            cand --no-color 'No colors (also with NO_COLOR or CLICOLOR=0, or when stderr is not a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mcteams;mappings'= {
            cand --config 'Configuration file [default: $XDG_CONFIG_HOME/mcteams/config.toml]'
            cand --state 'State store: a SQLite file, or postgres://user@host/db (its password from [state] password_env or password_file) [default: config''s [state] url or path, else $XDG_DATA_HOME/mcteams/state.db]'
            cand -o 'Output format for results on stdout'
            cand --output 'Output format for results on stdout'
            cand --out 'Write the results to this file instead of stdout (whole, once the command succeeded; a failed run leaves the file as it was)'
            cand --query 'Query a command''s result (a JMESPath, as CLI for Microsoft 365 and az take it) before it is formatted: -o table|csv show the query''s result too'
            cand --log-format 'Format of every line on stderr: json makes notes, warnings and errors JSON objects too'
            cand -v 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs'
            cand --verbose 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs'
            cand -q 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)'
            cand --quiet 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)'
            cand --no-color 'No colors (also with NO_COLOR or CLICOLOR=0, or when stderr is not a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand list 'List the stored mappings'
            cand show 'One mapping, with its sync record'
            cand remove 'Remove mappings (kept as tombstones until the sync has cleared what it set)'
            cand export 'Write all mappings as a mapping CSV (the import format)'
            cand discover 'Propose mappings for users not yet mapped, for review and import (with --out, the proposals are a mapping CSV plus confidence and notes, whatever -o says)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'mcteams;mappings;list'= {
            cand --config 'Configuration file [default: $XDG_CONFIG_HOME/mcteams/config.toml]'
            cand --state 'State store: a SQLite file, or postgres://user@host/db (its password from [state] password_env or password_file) [default: config''s [state] url or path, else $XDG_DATA_HOME/mcteams/state.db]'
            cand -o 'Output format for results on stdout'
            cand --output 'Output format for results on stdout'
            cand --out 'Write the results to this file instead of stdout (whole, once the command succeeded; a failed run leaves the file as it was)'
            cand --query 'Query a command''s result (a JMESPath, as CLI for Microsoft 365 and az take it) before it is formatted: -o table|csv show the query''s result too'
            cand --log-format 'Format of every line on stderr: json makes notes, warnings and errors JSON objects too'
            cand --removed 'Include removed mappings still waiting for the sync to clear them'
            cand -v 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs'
            cand --verbose 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs'
            cand -q 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)'
            cand --quiet 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)'
            cand --no-color 'No colors (also with NO_COLOR or CLICOLOR=0, or when stderr is not a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mcteams;mappings;show'= {
            cand --config 'Configuration file [default: $XDG_CONFIG_HOME/mcteams/config.toml]'
            cand --state 'State store: a SQLite file, or postgres://user@host/db (its password from [state] password_env or password_file) [default: config''s [state] url or path, else $XDG_DATA_HOME/mcteams/state.db]'
            cand -o 'Output format for results on stdout'
            cand --output 'Output format for results on stdout'
            cand --out 'Write the results to this file instead of stdout (whole, once the command succeeded; a failed run leaves the file as it was)'
            cand --query 'Query a command''s result (a JMESPath, as CLI for Microsoft 365 and az take it) before it is formatted: -o table|csv show the query''s result too'
            cand --log-format 'Format of every line on stderr: json makes notes, warnings and errors JSON objects too'
            cand -v 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs'
            cand --verbose 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs'
            cand -q 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)'
            cand --quiet 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)'
            cand --no-color 'No colors (also with NO_COLOR or CLICOLOR=0, or when stderr is not a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mcteams;mappings;remove'= {
            cand --config 'Configuration file [default: $XDG_CONFIG_HOME/mcteams/config.toml]'
            cand --state 'State store: a SQLite file, or postgres://user@host/db (its password from [state] password_env or password_file) [default: config''s [state] url or path, else $XDG_DATA_HOME/mcteams/state.db]'
            cand -o 'Output format for results on stdout'
            cand --output 'Output format for results on stdout'
            cand --out 'Write the results to this file instead of stdout (whole, once the command succeeded; a failed run leaves the file as it was)'
            cand --query 'Query a command''s result (a JMESPath, as CLI for Microsoft 365 and az take it) before it is formatted: -o table|csv show the query''s result too'
            cand --log-format 'Format of every line on stderr: json makes notes, warnings and errors JSON objects too'
            cand --dry-run 'Show what would change, change nothing'
            cand -y 'Do not ask for confirmation (required without a terminal)'
            cand --yes 'Do not ask for confirmation (required without a terminal)'
            cand -v 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs'
            cand --verbose 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs'
            cand -q 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)'
            cand --quiet 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)'
            cand --no-color 'No colors (also with NO_COLOR or CLICOLOR=0, or when stderr is not a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mcteams;mappings;export'= {
            cand --config 'Configuration file [default: $XDG_CONFIG_HOME/mcteams/config.toml]'
            cand --state 'State store: a SQLite file, or postgres://user@host/db (its password from [state] password_env or password_file) [default: config''s [state] url or path, else $XDG_DATA_HOME/mcteams/state.db]'
            cand -o 'Output format for results on stdout'
            cand --output 'Output format for results on stdout'
            cand --out 'Write the results to this file instead of stdout (whole, once the command succeeded; a failed run leaves the file as it was)'
            cand --query 'Query a command''s result (a JMESPath, as CLI for Microsoft 365 and az take it) before it is formatted: -o table|csv show the query''s result too'
            cand --log-format 'Format of every line on stderr: json makes notes, warnings and errors JSON objects too'
            cand -v 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs'
            cand --verbose 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs'
            cand -q 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)'
            cand --quiet 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)'
            cand --no-color 'No colors (also with NO_COLOR or CLICOLOR=0, or when stderr is not a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mcteams;mappings;discover'= {
            cand --config 'Configuration file [default: $XDG_CONFIG_HOME/mcteams/config.toml]'
            cand --state 'State store: a SQLite file, or postgres://user@host/db (its password from [state] password_env or password_file) [default: config''s [state] url or path, else $XDG_DATA_HOME/mcteams/state.db]'
            cand -o 'Output format for results on stdout'
            cand --output 'Output format for results on stdout'
            cand --out 'Write the results to this file instead of stdout (whole, once the command succeeded; a failed run leaves the file as it was)'
            cand --query 'Query a command''s result (a JMESPath, as CLI for Microsoft 365 and az take it) before it is formatted: -o table|csv show the query''s result too'
            cand --log-format 'Format of every line on stderr: json makes notes, warnings and errors JSON objects too'
            cand -v 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs'
            cand --verbose 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs'
            cand -q 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)'
            cand --quiet 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)'
            cand --no-color 'No colors (also with NO_COLOR or CLICOLOR=0, or when stderr is not a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mcteams;mappings;help'= {
            cand list 'List the stored mappings'
            cand show 'One mapping, with its sync record'
            cand remove 'Remove mappings (kept as tombstones until the sync has cleared what it set)'
            cand export 'Write all mappings as a mapping CSV (the import format)'
            cand discover 'Propose mappings for users not yet mapped, for review and import (with --out, the proposals are a mapping CSV plus confidence and notes, whatever -o says)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'mcteams;mappings;help;list'= {
        }
        &'mcteams;mappings;help;show'= {
        }
        &'mcteams;mappings;help;remove'= {
        }
        &'mcteams;mappings;help;export'= {
        }
        &'mcteams;mappings;help;discover'= {
        }
        &'mcteams;mappings;help;help'= {
        }
        &'mcteams;sync'= {
            cand --interval 'Time between cycles in --watch: "auto" (as fast as Graph''s budget and each system''s max_rps allow) or a duration [default: config''s sync.interval, auto]'
            cand --max-changes 'Stop when a cycle would make more changes [default: config''s sync.max_changes]'
            cand --direction 'Which way to synchronize'
            cand --metrics-addr 'Serve Prometheus /metrics and /healthz on this address (with --watch)'
            cand --config 'Configuration file [default: $XDG_CONFIG_HOME/mcteams/config.toml]'
            cand --state 'State store: a SQLite file, or postgres://user@host/db (its password from [state] password_env or password_file) [default: config''s [state] url or path, else $XDG_DATA_HOME/mcteams/state.db]'
            cand -o 'Output format for results on stdout'
            cand --output 'Output format for results on stdout'
            cand --out 'Write the results to this file instead of stdout (whole, once the command succeeded; a failed run leaves the file as it was)'
            cand --query 'Query a command''s result (a JMESPath, as CLI for Microsoft 365 and az take it) before it is formatted: -o table|csv show the query''s result too'
            cand --log-format 'Format of every line on stderr: json makes notes, warnings and errors JSON objects too'
            cand --watch 'Keep running, one cycle every --interval'
            cand --dry-run 'Print the plan, write nothing (with --watch: a plan every interval)'
            cand --force 'Go on past the max_changes guard'
            cand -v 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs'
            cand --verbose 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs'
            cand -q 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)'
            cand --quiet 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)'
            cand --no-color 'No colors (also with NO_COLOR or CLICOLOR=0, or when stderr is not a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand approve 'Approve the plan the mass-change guard holds: the watch applies those users'' changes'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'mcteams;sync;approve'= {
            cand --config 'Configuration file [default: $XDG_CONFIG_HOME/mcteams/config.toml]'
            cand --state 'State store: a SQLite file, or postgres://user@host/db (its password from [state] password_env or password_file) [default: config''s [state] url or path, else $XDG_DATA_HOME/mcteams/state.db]'
            cand -o 'Output format for results on stdout'
            cand --output 'Output format for results on stdout'
            cand --out 'Write the results to this file instead of stdout (whole, once the command succeeded; a failed run leaves the file as it was)'
            cand --query 'Query a command''s result (a JMESPath, as CLI for Microsoft 365 and az take it) before it is formatted: -o table|csv show the query''s result too'
            cand --log-format 'Format of every line on stderr: json makes notes, warnings and errors JSON objects too'
            cand --dry-run 'Show what would change, change nothing'
            cand -y 'Do not ask for confirmation (required without a terminal)'
            cand --yes 'Do not ask for confirmation (required without a terminal)'
            cand -v 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs'
            cand --verbose 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs'
            cand -q 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)'
            cand --quiet 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)'
            cand --no-color 'No colors (also with NO_COLOR or CLICOLOR=0, or when stderr is not a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mcteams;sync;help'= {
            cand approve 'Approve the plan the mass-change guard holds: the watch applies those users'' changes'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'mcteams;sync;help;approve'= {
        }
        &'mcteams;sync;help;help'= {
        }
        &'mcteams;release'= {
            cand --config 'Configuration file [default: $XDG_CONFIG_HOME/mcteams/config.toml]'
            cand --state 'State store: a SQLite file, or postgres://user@host/db (its password from [state] password_env or password_file) [default: config''s [state] url or path, else $XDG_DATA_HOME/mcteams/state.db]'
            cand -o 'Output format for results on stdout'
            cand --output 'Output format for results on stdout'
            cand --out 'Write the results to this file instead of stdout (whole, once the command succeeded; a failed run leaves the file as it was)'
            cand --query 'Query a command''s result (a JMESPath, as CLI for Microsoft 365 and az take it) before it is formatted: -o table|csv show the query''s result too'
            cand --log-format 'Format of every line on stderr: json makes notes, warnings and errors JSON objects too'
            cand --dry-run 'Show what would change, change nothing'
            cand -y 'Do not ask for confirmation (required without a terminal)'
            cand --yes 'Do not ask for confirmation (required without a terminal)'
            cand --directory 'Also clear mcteams'' session of every user of the Entra directory, not only of those the store records: the way back after a lost or emptied store (a user without one is left as is)'
            cand -v 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs'
            cand --verbose 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs'
            cand -q 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)'
            cand --quiet 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)'
            cand --no-color 'No colors (also with NO_COLOR or CLICOLOR=0, or when stderr is not a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mcteams;report'= {
            cand --reason 'Only users with these reason codes (repeatable, or comma-separated)'
            cand --user 'Only these users (MiCollab login or Teams UPN)'
            cand --config 'Configuration file [default: $XDG_CONFIG_HOME/mcteams/config.toml]'
            cand --state 'State store: a SQLite file, or postgres://user@host/db (its password from [state] password_env or password_file) [default: config''s [state] url or path, else $XDG_DATA_HOME/mcteams/state.db]'
            cand -o 'Output format for results on stdout'
            cand --output 'Output format for results on stdout'
            cand --out 'Write the results to this file instead of stdout (whole, once the command succeeded; a failed run leaves the file as it was)'
            cand --query 'Query a command''s result (a JMESPath, as CLI for Microsoft 365 and az take it) before it is formatted: -o table|csv show the query''s result too'
            cand --log-format 'Format of every line on stderr: json makes notes, warnings and errors JSON objects too'
            cand --detailed-exitcode 'Exit 4 when any user is out of sync'
            cand --from-state 'Use the last observations in the store; call no system'
            cand --all 'Also list users that are in sync'
            cand -v 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs'
            cand --verbose 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs'
            cand -q 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)'
            cand --quiet 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)'
            cand --no-color 'No colors (also with NO_COLOR or CLICOLOR=0, or when stderr is not a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mcteams;doctor'= {
            cand --write-check 'Also set and clear an app session on this test user'
            cand --config 'Configuration file [default: $XDG_CONFIG_HOME/mcteams/config.toml]'
            cand --state 'State store: a SQLite file, or postgres://user@host/db (its password from [state] password_env or password_file) [default: config''s [state] url or path, else $XDG_DATA_HOME/mcteams/state.db]'
            cand -o 'Output format for results on stdout'
            cand --output 'Output format for results on stdout'
            cand --out 'Write the results to this file instead of stdout (whole, once the command succeeded; a failed run leaves the file as it was)'
            cand --query 'Query a command''s result (a JMESPath, as CLI for Microsoft 365 and az take it) before it is formatted: -o table|csv show the query''s result too'
            cand --log-format 'Format of every line on stderr: json makes notes, warnings and errors JSON objects too'
            cand -v 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs'
            cand --verbose 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs'
            cand -q 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)'
            cand --quiet 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)'
            cand --no-color 'No colors (also with NO_COLOR or CLICOLOR=0, or when stderr is not a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mcteams;config'= {
            cand --config 'Configuration file [default: $XDG_CONFIG_HOME/mcteams/config.toml]'
            cand --state 'State store: a SQLite file, or postgres://user@host/db (its password from [state] password_env or password_file) [default: config''s [state] url or path, else $XDG_DATA_HOME/mcteams/state.db]'
            cand -o 'Output format for results on stdout'
            cand --output 'Output format for results on stdout'
            cand --out 'Write the results to this file instead of stdout (whole, once the command succeeded; a failed run leaves the file as it was)'
            cand --query 'Query a command''s result (a JMESPath, as CLI for Microsoft 365 and az take it) before it is formatted: -o table|csv show the query''s result too'
            cand --log-format 'Format of every line on stderr: json makes notes, warnings and errors JSON objects too'
            cand -v 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs'
            cand --verbose 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs'
            cand -q 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)'
            cand --quiet 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)'
            cand --no-color 'No colors (also with NO_COLOR or CLICOLOR=0, or when stderr is not a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand init 'Write a commented configuration template'
            cand show 'The effective configuration, secrets redacted, and where each value came from'
            cand check 'Validate the configuration and read every secret it names'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'mcteams;config;init'= {
            cand --config 'Configuration file [default: $XDG_CONFIG_HOME/mcteams/config.toml]'
            cand --state 'State store: a SQLite file, or postgres://user@host/db (its password from [state] password_env or password_file) [default: config''s [state] url or path, else $XDG_DATA_HOME/mcteams/state.db]'
            cand -o 'Output format for results on stdout'
            cand --output 'Output format for results on stdout'
            cand --out 'Write the results to this file instead of stdout (whole, once the command succeeded; a failed run leaves the file as it was)'
            cand --query 'Query a command''s result (a JMESPath, as CLI for Microsoft 365 and az take it) before it is formatted: -o table|csv show the query''s result too'
            cand --log-format 'Format of every line on stderr: json makes notes, warnings and errors JSON objects too'
            cand --force 'Overwrite an existing file'
            cand -v 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs'
            cand --verbose 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs'
            cand -q 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)'
            cand --quiet 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)'
            cand --no-color 'No colors (also with NO_COLOR or CLICOLOR=0, or when stderr is not a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mcteams;config;show'= {
            cand --config 'Configuration file [default: $XDG_CONFIG_HOME/mcteams/config.toml]'
            cand --state 'State store: a SQLite file, or postgres://user@host/db (its password from [state] password_env or password_file) [default: config''s [state] url or path, else $XDG_DATA_HOME/mcteams/state.db]'
            cand -o 'Output format for results on stdout'
            cand --output 'Output format for results on stdout'
            cand --out 'Write the results to this file instead of stdout (whole, once the command succeeded; a failed run leaves the file as it was)'
            cand --query 'Query a command''s result (a JMESPath, as CLI for Microsoft 365 and az take it) before it is formatted: -o table|csv show the query''s result too'
            cand --log-format 'Format of every line on stderr: json makes notes, warnings and errors JSON objects too'
            cand -v 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs'
            cand --verbose 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs'
            cand -q 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)'
            cand --quiet 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)'
            cand --no-color 'No colors (also with NO_COLOR or CLICOLOR=0, or when stderr is not a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mcteams;config;check'= {
            cand --config 'Configuration file [default: $XDG_CONFIG_HOME/mcteams/config.toml]'
            cand --state 'State store: a SQLite file, or postgres://user@host/db (its password from [state] password_env or password_file) [default: config''s [state] url or path, else $XDG_DATA_HOME/mcteams/state.db]'
            cand -o 'Output format for results on stdout'
            cand --output 'Output format for results on stdout'
            cand --out 'Write the results to this file instead of stdout (whole, once the command succeeded; a failed run leaves the file as it was)'
            cand --query 'Query a command''s result (a JMESPath, as CLI for Microsoft 365 and az take it) before it is formatted: -o table|csv show the query''s result too'
            cand --log-format 'Format of every line on stderr: json makes notes, warnings and errors JSON objects too'
            cand -v 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs'
            cand --verbose 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs'
            cand -q 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)'
            cand --quiet 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)'
            cand --no-color 'No colors (also with NO_COLOR or CLICOLOR=0, or when stderr is not a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mcteams;config;help'= {
            cand init 'Write a commented configuration template'
            cand show 'The effective configuration, secrets redacted, and where each value came from'
            cand check 'Validate the configuration and read every secret it names'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'mcteams;config;help;init'= {
        }
        &'mcteams;config;help;show'= {
        }
        &'mcteams;config;help;check'= {
        }
        &'mcteams;config;help;help'= {
        }
        &'mcteams;sim'= {
            cand --config 'Configuration file [default: $XDG_CONFIG_HOME/mcteams/config.toml]'
            cand --state 'State store: a SQLite file, or postgres://user@host/db (its password from [state] password_env or password_file) [default: config''s [state] url or path, else $XDG_DATA_HOME/mcteams/state.db]'
            cand -o 'Output format for results on stdout'
            cand --output 'Output format for results on stdout'
            cand --out 'Write the results to this file instead of stdout (whole, once the command succeeded; a failed run leaves the file as it was)'
            cand --query 'Query a command''s result (a JMESPath, as CLI for Microsoft 365 and az take it) before it is formatted: -o table|csv show the query''s result too'
            cand --log-format 'Format of every line on stderr: json makes notes, warnings and errors JSON objects too'
            cand -v 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs'
            cand --verbose 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs'
            cand -q 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)'
            cand --quiet 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)'
            cand --no-color 'No colors (also with NO_COLOR or CLICOLOR=0, or when stderr is not a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand serve 'Serve the emulator on loopback until SIGINT/SIGTERM'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'mcteams;sim;serve'= {
            cand --listen 'Address to listen on (loopback only; port 0 picks a free one)'
            cand --users 'Number of users in the directory'
            cand --seed 'Seed of the generated directory and of churn (same seed, same data)'
            cand --latency 'Latency added to every request'
            cand --churn 'Percentage of users whose Teams or phone state changes per minute'
            cand --write-config 'Write a complete mcteams config (secrets in files beside it) pointing at the emulator'
            cand --config 'Configuration file [default: $XDG_CONFIG_HOME/mcteams/config.toml]'
            cand --state 'State store: a SQLite file, or postgres://user@host/db (its password from [state] password_env or password_file) [default: config''s [state] url or path, else $XDG_DATA_HOME/mcteams/state.db]'
            cand -o 'Output format for results on stdout'
            cand --output 'Output format for results on stdout'
            cand --out 'Write the results to this file instead of stdout (whole, once the command succeeded; a failed run leaves the file as it was)'
            cand --query 'Query a command''s result (a JMESPath, as CLI for Microsoft 365 and az take it) before it is formatted: -o table|csv show the query''s result too'
            cand --log-format 'Format of every line on stderr: json makes notes, warnings and errors JSON objects too'
            cand -v 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs'
            cand --verbose 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs'
            cand -q 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)'
            cand --quiet 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)'
            cand --no-color 'No colors (also with NO_COLOR or CLICOLOR=0, or when stderr is not a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mcteams;sim;help'= {
            cand serve 'Serve the emulator on loopback until SIGINT/SIGTERM'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'mcteams;sim;help;serve'= {
        }
        &'mcteams;sim;help;help'= {
        }
        &'mcteams;demo'= {
            cand --users 'Number of users in the demo directory'
            cand --config 'Configuration file [default: $XDG_CONFIG_HOME/mcteams/config.toml]'
            cand --state 'State store: a SQLite file, or postgres://user@host/db (its password from [state] password_env or password_file) [default: config''s [state] url or path, else $XDG_DATA_HOME/mcteams/state.db]'
            cand -o 'Output format for results on stdout'
            cand --output 'Output format for results on stdout'
            cand --out 'Write the results to this file instead of stdout (whole, once the command succeeded; a failed run leaves the file as it was)'
            cand --query 'Query a command''s result (a JMESPath, as CLI for Microsoft 365 and az take it) before it is formatted: -o table|csv show the query''s result too'
            cand --log-format 'Format of every line on stderr: json makes notes, warnings and errors JSON objects too'
            cand -v 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs'
            cand --verbose 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs'
            cand -q 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)'
            cand --quiet 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)'
            cand --no-color 'No colors (also with NO_COLOR or CLICOLOR=0, or when stderr is not a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mcteams;state'= {
            cand --config 'Configuration file [default: $XDG_CONFIG_HOME/mcteams/config.toml]'
            cand --state 'State store: a SQLite file, or postgres://user@host/db (its password from [state] password_env or password_file) [default: config''s [state] url or path, else $XDG_DATA_HOME/mcteams/state.db]'
            cand -o 'Output format for results on stdout'
            cand --output 'Output format for results on stdout'
            cand --out 'Write the results to this file instead of stdout (whole, once the command succeeded; a failed run leaves the file as it was)'
            cand --query 'Query a command''s result (a JMESPath, as CLI for Microsoft 365 and az take it) before it is formatted: -o table|csv show the query''s result too'
            cand --log-format 'Format of every line on stderr: json makes notes, warnings and errors JSON objects too'
            cand -v 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs'
            cand --verbose 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs'
            cand -q 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)'
            cand --quiet 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)'
            cand --no-color 'No colors (also with NO_COLOR or CLICOLOR=0, or when stderr is not a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand check 'Check the store: SQLite''s full integrity check, its schema, estate, permissions, that it can be written, and its mappings (exit 78 when no command could use it)'
            cand backup 'Copy the store to a new file, consistent while syncs run (readable by its owner only)'
            cand rebind 'Bind the store to the MiCollab server the config names now (the server moved); the tenant stays: another tenant is another estate, with a store of its own'
            cand migrate 'Copy this (SQLite) store to a PostgreSQL database, for several `sync --watch` instances: every table in one transaction, each table''s count checked'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'mcteams;state;check'= {
            cand --config 'Configuration file [default: $XDG_CONFIG_HOME/mcteams/config.toml]'
            cand --state 'State store: a SQLite file, or postgres://user@host/db (its password from [state] password_env or password_file) [default: config''s [state] url or path, else $XDG_DATA_HOME/mcteams/state.db]'
            cand -o 'Output format for results on stdout'
            cand --output 'Output format for results on stdout'
            cand --out 'Write the results to this file instead of stdout (whole, once the command succeeded; a failed run leaves the file as it was)'
            cand --query 'Query a command''s result (a JMESPath, as CLI for Microsoft 365 and az take it) before it is formatted: -o table|csv show the query''s result too'
            cand --log-format 'Format of every line on stderr: json makes notes, warnings and errors JSON objects too'
            cand -v 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs'
            cand --verbose 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs'
            cand -q 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)'
            cand --quiet 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)'
            cand --no-color 'No colors (also with NO_COLOR or CLICOLOR=0, or when stderr is not a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mcteams;state;backup'= {
            cand --config 'Configuration file [default: $XDG_CONFIG_HOME/mcteams/config.toml]'
            cand --state 'State store: a SQLite file, or postgres://user@host/db (its password from [state] password_env or password_file) [default: config''s [state] url or path, else $XDG_DATA_HOME/mcteams/state.db]'
            cand -o 'Output format for results on stdout'
            cand --output 'Output format for results on stdout'
            cand --out 'Write the results to this file instead of stdout (whole, once the command succeeded; a failed run leaves the file as it was)'
            cand --query 'Query a command''s result (a JMESPath, as CLI for Microsoft 365 and az take it) before it is formatted: -o table|csv show the query''s result too'
            cand --log-format 'Format of every line on stderr: json makes notes, warnings and errors JSON objects too'
            cand -v 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs'
            cand --verbose 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs'
            cand -q 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)'
            cand --quiet 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)'
            cand --no-color 'No colors (also with NO_COLOR or CLICOLOR=0, or when stderr is not a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mcteams;state;rebind'= {
            cand --config 'Configuration file [default: $XDG_CONFIG_HOME/mcteams/config.toml]'
            cand --state 'State store: a SQLite file, or postgres://user@host/db (its password from [state] password_env or password_file) [default: config''s [state] url or path, else $XDG_DATA_HOME/mcteams/state.db]'
            cand -o 'Output format for results on stdout'
            cand --output 'Output format for results on stdout'
            cand --out 'Write the results to this file instead of stdout (whole, once the command succeeded; a failed run leaves the file as it was)'
            cand --query 'Query a command''s result (a JMESPath, as CLI for Microsoft 365 and az take it) before it is formatted: -o table|csv show the query''s result too'
            cand --log-format 'Format of every line on stderr: json makes notes, warnings and errors JSON objects too'
            cand --dry-run 'Show what would change, change nothing'
            cand -y 'Do not ask for confirmation (required without a terminal)'
            cand --yes 'Do not ask for confirmation (required without a terminal)'
            cand -v 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs'
            cand --verbose 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs'
            cand -q 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)'
            cand --quiet 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)'
            cand --no-color 'No colors (also with NO_COLOR or CLICOLOR=0, or when stderr is not a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mcteams;state;migrate'= {
            cand --to 'The PostgreSQL database (postgres://user@host/db; TLS verified unless on this host)'
            cand --config 'Configuration file [default: $XDG_CONFIG_HOME/mcteams/config.toml]'
            cand --state 'State store: a SQLite file, or postgres://user@host/db (its password from [state] password_env or password_file) [default: config''s [state] url or path, else $XDG_DATA_HOME/mcteams/state.db]'
            cand -o 'Output format for results on stdout'
            cand --output 'Output format for results on stdout'
            cand --out 'Write the results to this file instead of stdout (whole, once the command succeeded; a failed run leaves the file as it was)'
            cand --query 'Query a command''s result (a JMESPath, as CLI for Microsoft 365 and az take it) before it is formatted: -o table|csv show the query''s result too'
            cand --log-format 'Format of every line on stderr: json makes notes, warnings and errors JSON objects too'
            cand --force 'Replace a store already in the target (asks first on a terminal)'
            cand --dry-run 'Show what would change, change nothing'
            cand -y 'Do not ask for confirmation (required without a terminal)'
            cand --yes 'Do not ask for confirmation (required without a terminal)'
            cand -v 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs'
            cand --verbose 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs'
            cand -q 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)'
            cand --quiet 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)'
            cand --no-color 'No colors (also with NO_COLOR or CLICOLOR=0, or when stderr is not a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mcteams;state;help'= {
            cand check 'Check the store: SQLite''s full integrity check, its schema, estate, permissions, that it can be written, and its mappings (exit 78 when no command could use it)'
            cand backup 'Copy the store to a new file, consistent while syncs run (readable by its owner only)'
            cand rebind 'Bind the store to the MiCollab server the config names now (the server moved); the tenant stays: another tenant is another estate, with a store of its own'
            cand migrate 'Copy this (SQLite) store to a PostgreSQL database, for several `sync --watch` instances: every table in one transaction, each table''s count checked'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'mcteams;state;help;check'= {
        }
        &'mcteams;state;help;backup'= {
        }
        &'mcteams;state;help;rebind'= {
        }
        &'mcteams;state;help;migrate'= {
        }
        &'mcteams;state;help;help'= {
        }
        &'mcteams;history'= {
            cand --since 'Only entries since this time: RFC 3339 (2026-12-01T08:00:00Z) or an age (90m, 24h, 7d)'
            cand --user 'Only this user (MiCollab login or Teams UPN), or object (a profile''s name)'
            cand --run 'Only the entries of this run'
            cand --limit 'At most this many entries, the newest'
            cand --config 'Configuration file [default: $XDG_CONFIG_HOME/mcteams/config.toml]'
            cand --state 'State store: a SQLite file, or postgres://user@host/db (its password from [state] password_env or password_file) [default: config''s [state] url or path, else $XDG_DATA_HOME/mcteams/state.db]'
            cand -o 'Output format for results on stdout'
            cand --output 'Output format for results on stdout'
            cand --out 'Write the results to this file instead of stdout (whole, once the command succeeded; a failed run leaves the file as it was)'
            cand --query 'Query a command''s result (a JMESPath, as CLI for Microsoft 365 and az take it) before it is formatted: -o table|csv show the query''s result too'
            cand --log-format 'Format of every line on stderr: json makes notes, warnings and errors JSON objects too'
            cand -v 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs'
            cand --verbose 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs'
            cand -q 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)'
            cand --quiet 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)'
            cand --no-color 'No colors (also with NO_COLOR or CLICOLOR=0, or when stderr is not a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mcteams;completion'= {
            cand --config 'Configuration file [default: $XDG_CONFIG_HOME/mcteams/config.toml]'
            cand --state 'State store: a SQLite file, or postgres://user@host/db (its password from [state] password_env or password_file) [default: config''s [state] url or path, else $XDG_DATA_HOME/mcteams/state.db]'
            cand -o 'Output format for results on stdout'
            cand --output 'Output format for results on stdout'
            cand --out 'Write the results to this file instead of stdout (whole, once the command succeeded; a failed run leaves the file as it was)'
            cand --query 'Query a command''s result (a JMESPath, as CLI for Microsoft 365 and az take it) before it is formatted: -o table|csv show the query''s result too'
            cand --log-format 'Format of every line on stderr: json makes notes, warnings and errors JSON objects too'
            cand -v 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs'
            cand --verbose 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs'
            cand -q 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)'
            cand --quiet 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)'
            cand --no-color 'No colors (also with NO_COLOR or CLICOLOR=0, or when stderr is not a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mcteams;generate'= {
            cand --out 'Directory that receives completions/ and man/'
            cand --config 'Configuration file [default: $XDG_CONFIG_HOME/mcteams/config.toml]'
            cand --state 'State store: a SQLite file, or postgres://user@host/db (its password from [state] password_env or password_file) [default: config''s [state] url or path, else $XDG_DATA_HOME/mcteams/state.db]'
            cand -o 'Output format for results on stdout'
            cand --output 'Output format for results on stdout'
            cand --query 'Query a command''s result (a JMESPath, as CLI for Microsoft 365 and az take it) before it is formatted: -o table|csv show the query''s result too'
            cand --log-format 'Format of every line on stderr: json makes notes, warnings and errors JSON objects too'
            cand -v 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs'
            cand --verbose 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs'
            cand -q 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)'
            cand --quiet 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)'
            cand --no-color 'No colors (also with NO_COLOR or CLICOLOR=0, or when stderr is not a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mcteams;help'= {
            cand profile 'Turn Teams presence on or off for MiCollab user profiles'
            cand user 'Turn the per-user "Microsoft Teams status" checkbox on or off'
            cand status 'Settings of the Teams-managed statuses of a profile'
            cand import 'Import user mappings (MiCollab login <-> Teams user <-> extension) from CSV'
            cand mappings 'List, show, remove, export and discover user mappings'
            cand sync 'Synchronize presence: Teams -> MiCollab and phone -> Teams'
            cand release 'Clear everything mcteams set in Teams (its app sessions), with a preview'
            cand report 'Who is out of sync, why, and what to do about it'
            cand doctor 'Check reachability, TLS, credentials, versions, permissions and clock of every system'
            cand config 'Create, show and check the configuration file'
            cand sim 'The local emulator of Graph, MiCollab, MiVoice Business and CloudLink'
            cand demo 'The whole job against an in-process emulator, step by step'
            cand state 'Check, back up or rebind the state store'
            cand history 'The audit trail: every admin change (old -> new) and every write a sync sent, newest first'
            cand completion 'Print a shell completion script (static: a tab press never calls a server)'
            cand generate 'Write shell completions and man pages (for packaging)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'mcteams;help;profile'= {
            cand list 'List user profiles: Teams presence on/off, default or custom, user count'
            cand show 'A profile''s settings, Teams-managed statuses and users'
            cand enable 'Turn Teams presence on for every user of a profile'
            cand disable 'Turn Teams presence off for a profile; users get their own statuses back'
        }
        &'mcteams;help;profile;list'= {
        }
        &'mcteams;help;profile;show'= {
        }
        &'mcteams;help;profile;enable'= {
        }
        &'mcteams;help;profile;disable'= {
        }
        &'mcteams;help;user'= {
            cand enable 'Check "Microsoft Teams status" for users'
            cand disable 'Uncheck "Microsoft Teams status" for users'
            cand show 'Everything about one user across the four systems: the mapping, the Teams flag, Teams presence and mcteams'' session, the phone, the MiCollab status, the last sync and its last writes, and the reasons the report gives'
            cand list 'The users the report knows (mapped, or with Teams presence on), a line each'
        }
        &'mcteams;help;user;enable'= {
        }
        &'mcteams;help;user;disable'= {
        }
        &'mcteams;help;user;show'= {
        }
        &'mcteams;help;user;list'= {
        }
        &'mcteams;help;status'= {
            cand list 'The Teams-managed statuses of a profile and their settings'
            cand set 'Change settings of a Teams-managed status (never its name or Do-not-disturb)'
            cand add 'Add a status: always refused while Teams manages the statuses'
        }
        &'mcteams;help;status;list'= {
        }
        &'mcteams;help;status;set'= {
        }
        &'mcteams;help;status;add'= {
        }
        &'mcteams;help;import'= {
        }
        &'mcteams;help;mappings'= {
            cand list 'List the stored mappings'
            cand show 'One mapping, with its sync record'
            cand remove 'Remove mappings (kept as tombstones until the sync has cleared what it set)'
            cand export 'Write all mappings as a mapping CSV (the import format)'
            cand discover 'Propose mappings for users not yet mapped, for review and import (with --out, the proposals are a mapping CSV plus confidence and notes, whatever -o says)'
        }
        &'mcteams;help;mappings;list'= {
        }
        &'mcteams;help;mappings;show'= {
        }
        &'mcteams;help;mappings;remove'= {
        }
        &'mcteams;help;mappings;export'= {
        }
        &'mcteams;help;mappings;discover'= {
        }
        &'mcteams;help;sync'= {
            cand approve 'Approve the plan the mass-change guard holds: the watch applies those users'' changes'
        }
        &'mcteams;help;sync;approve'= {
        }
        &'mcteams;help;release'= {
        }
        &'mcteams;help;report'= {
        }
        &'mcteams;help;doctor'= {
        }
        &'mcteams;help;config'= {
            cand init 'Write a commented configuration template'
            cand show 'The effective configuration, secrets redacted, and where each value came from'
            cand check 'Validate the configuration and read every secret it names'
        }
        &'mcteams;help;config;init'= {
        }
        &'mcteams;help;config;show'= {
        }
        &'mcteams;help;config;check'= {
        }
        &'mcteams;help;sim'= {
            cand serve 'Serve the emulator on loopback until SIGINT/SIGTERM'
        }
        &'mcteams;help;sim;serve'= {
        }
        &'mcteams;help;demo'= {
        }
        &'mcteams;help;state'= {
            cand check 'Check the store: SQLite''s full integrity check, its schema, estate, permissions, that it can be written, and its mappings (exit 78 when no command could use it)'
            cand backup 'Copy the store to a new file, consistent while syncs run (readable by its owner only)'
            cand rebind 'Bind the store to the MiCollab server the config names now (the server moved); the tenant stays: another tenant is another estate, with a store of its own'
            cand migrate 'Copy this (SQLite) store to a PostgreSQL database, for several `sync --watch` instances: every table in one transaction, each table''s count checked'
        }
        &'mcteams;help;state;check'= {
        }
        &'mcteams;help;state;backup'= {
        }
        &'mcteams;help;state;rebind'= {
        }
        &'mcteams;help;state;migrate'= {
        }
        &'mcteams;help;history'= {
        }
        &'mcteams;help;completion'= {
        }
        &'mcteams;help;generate'= {
        }
        &'mcteams;help;help'= {
        }
    ]
    $completions[$command]
}
