# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_mcteams_global_optspecs
    string join \n config= state= o/output= v/verbose q/quiet no-color out= query= log-format= h/help V/version
end

function __fish_mcteams_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_mcteams_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_mcteams_using_subcommand
    set -l cmd (__fish_mcteams_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c mcteams -n "__fish_mcteams_needs_command" -l config -d 'Configuration file [default: $XDG_CONFIG_HOME/mcteams/config.toml]' -r -F
complete -c mcteams -n "__fish_mcteams_needs_command" -l state -d 'State store: a SQLite file, or postgres://user@host/db (its password from [state] password_env or password_file) [default: config\'s [state] url or path, else $XDG_DATA_HOME/mcteams/state.db]' -r -F
complete -c mcteams -n "__fish_mcteams_needs_command" -s o -l output -d 'Output format for results on stdout' -r -f -a "table\t'Aligned table for people'
json\t'One JSON document'
jsonl\t'One JSON object per line'
csv\t'Comma-separated values with a header'
wide\t'A table with every column, as wide as they need (no column left out, no wrapping)'"
complete -c mcteams -n "__fish_mcteams_needs_command" -l out -d 'Write the results to this file instead of stdout (whole, once the command succeeded; a failed run leaves the file as it was)' -r -F
complete -c mcteams -n "__fish_mcteams_needs_command" -l query -d 'Query a command\'s result (a JMESPath, as CLI for Microsoft 365 and az take it) before it is formatted: -o table|csv show the query\'s result too' -r
complete -c mcteams -n "__fish_mcteams_needs_command" -l log-format -d 'Format of every line on stderr: json makes notes, warnings and errors JSON objects too' -r -f -a "text\t'Human-readable lines'
json\t'One JSON object per line (for services and log shippers)'"
complete -c mcteams -n "__fish_mcteams_needs_command" -s v -l verbose -d 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs'
complete -c mcteams -n "__fish_mcteams_needs_command" -s q -l quiet -d 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)'
complete -c mcteams -n "__fish_mcteams_needs_command" -l no-color -d 'No colors (also with NO_COLOR or CLICOLOR=0, or when stderr is not a terminal)'
complete -c mcteams -n "__fish_mcteams_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcteams -n "__fish_mcteams_needs_command" -s V -l version -d 'Print version'
complete -c mcteams -n "__fish_mcteams_needs_command" -f -a "profile" -d 'Turn Teams presence on or off for MiCollab user profiles'
complete -c mcteams -n "__fish_mcteams_needs_command" -f -a "user" -d 'Turn the per-user "Microsoft Teams status" checkbox on or off'
complete -c mcteams -n "__fish_mcteams_needs_command" -f -a "status" -d 'Settings of the Teams-managed statuses of a profile'
complete -c mcteams -n "__fish_mcteams_needs_command" -f -a "import" -d 'Import user mappings (MiCollab login <-> Teams user <-> extension) from CSV'
complete -c mcteams -n "__fish_mcteams_needs_command" -f -a "mappings" -d 'List, show, remove, export and discover user mappings'
complete -c mcteams -n "__fish_mcteams_needs_command" -f -a "sync" -d 'Synchronize presence: Teams -> MiCollab and phone -> Teams'
complete -c mcteams -n "__fish_mcteams_needs_command" -f -a "release" -d 'Clear everything mcteams set in Teams (its app sessions), with a preview'
complete -c mcteams -n "__fish_mcteams_needs_command" -f -a "report" -d 'Who is out of sync, why, and what to do about it'
complete -c mcteams -n "__fish_mcteams_needs_command" -f -a "doctor" -d 'Check reachability, TLS, credentials, versions, permissions and clock of every system'
complete -c mcteams -n "__fish_mcteams_needs_command" -f -a "config" -d 'Create, show and check the configuration file'
complete -c mcteams -n "__fish_mcteams_needs_command" -f -a "sim" -d 'The local emulator of Graph, MiCollab, MiVoice Business and CloudLink'
complete -c mcteams -n "__fish_mcteams_needs_command" -f -a "demo" -d 'The whole job against an in-process emulator, step by step'
complete -c mcteams -n "__fish_mcteams_needs_command" -f -a "state" -d 'Check, back up or rebind the state store'
complete -c mcteams -n "__fish_mcteams_needs_command" -f -a "history" -d 'The audit trail: every admin change (old -> new) and every write a sync sent, newest first'
complete -c mcteams -n "__fish_mcteams_needs_command" -f -a "completion" -d 'Print a shell completion script (static: a tab press never calls a server)'
complete -c mcteams -n "__fish_mcteams_needs_command" -f -a "generate" -d 'Write shell completions and man pages (for packaging)'
complete -c mcteams -n "__fish_mcteams_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mcteams -n "__fish_mcteams_using_subcommand profile; and not __fish_seen_subcommand_from list show enable disable help" -l config -d 'Configuration file [default: $XDG_CONFIG_HOME/mcteams/config.toml]' -r -F
complete -c mcteams -n "__fish_mcteams_using_subcommand profile; and not __fish_seen_subcommand_from list show enable disable help" -l state -d 'State store: a SQLite file, or postgres://user@host/db (its password from [state] password_env or password_file) [default: config\'s [state] url or path, else $XDG_DATA_HOME/mcteams/state.db]' -r -F
complete -c mcteams -n "__fish_mcteams_using_subcommand profile; and not __fish_seen_subcommand_from list show enable disable help" -s o -l output -d 'Output format for results on stdout' -r -f -a "table\t'Aligned table for people'
json\t'One JSON document'
jsonl\t'One JSON object per line'
csv\t'Comma-separated values with a header'
wide\t'A table with every column, as wide as they need (no column left out, no wrapping)'"
complete -c mcteams -n "__fish_mcteams_using_subcommand profile; and not __fish_seen_subcommand_from list show enable disable help" -l out -d 'Write the results to this file instead of stdout (whole, once the command succeeded; a failed run leaves the file as it was)' -r -F
complete -c mcteams -n "__fish_mcteams_using_subcommand profile; and not __fish_seen_subcommand_from list show enable disable help" -l query -d 'Query a command\'s result (a JMESPath, as CLI for Microsoft 365 and az take it) before it is formatted: -o table|csv show the query\'s result too' -r
complete -c mcteams -n "__fish_mcteams_using_subcommand profile; and not __fish_seen_subcommand_from list show enable disable help" -l log-format -d 'Format of every line on stderr: json makes notes, warnings and errors JSON objects too' -r -f -a "text\t'Human-readable lines'
json\t'One JSON object per line (for services and log shippers)'"
complete -c mcteams -n "__fish_mcteams_using_subcommand profile; and not __fish_seen_subcommand_from list show enable disable help" -s v -l verbose -d 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs'
complete -c mcteams -n "__fish_mcteams_using_subcommand profile; and not __fish_seen_subcommand_from list show enable disable help" -s q -l quiet -d 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)'
complete -c mcteams -n "__fish_mcteams_using_subcommand profile; and not __fish_seen_subcommand_from list show enable disable help" -l no-color -d 'No colors (also with NO_COLOR or CLICOLOR=0, or when stderr is not a terminal)'
complete -c mcteams -n "__fish_mcteams_using_subcommand profile; and not __fish_seen_subcommand_from list show enable disable help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcteams -n "__fish_mcteams_using_subcommand profile; and not __fish_seen_subcommand_from list show enable disable help" -s V -l version -d 'Print version'
complete -c mcteams -n "__fish_mcteams_using_subcommand profile; and not __fish_seen_subcommand_from list show enable disable help" -f -a "list" -d 'List user profiles: Teams presence on/off, default or custom, user count'
complete -c mcteams -n "__fish_mcteams_using_subcommand profile; and not __fish_seen_subcommand_from list show enable disable help" -f -a "show" -d 'A profile\'s settings, Teams-managed statuses and users'
complete -c mcteams -n "__fish_mcteams_using_subcommand profile; and not __fish_seen_subcommand_from list show enable disable help" -f -a "enable" -d 'Turn Teams presence on for every user of a profile'
complete -c mcteams -n "__fish_mcteams_using_subcommand profile; and not __fish_seen_subcommand_from list show enable disable help" -f -a "disable" -d 'Turn Teams presence off for a profile; users get their own statuses back'
complete -c mcteams -n "__fish_mcteams_using_subcommand profile; and not __fish_seen_subcommand_from list show enable disable help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mcteams -n "__fish_mcteams_using_subcommand profile; and __fish_seen_subcommand_from list" -l config -d 'Configuration file [default: $XDG_CONFIG_HOME/mcteams/config.toml]' -r -F
complete -c mcteams -n "__fish_mcteams_using_subcommand profile; and __fish_seen_subcommand_from list" -l state -d 'State store: a SQLite file, or postgres://user@host/db (its password from [state] password_env or password_file) [default: config\'s [state] url or path, else $XDG_DATA_HOME/mcteams/state.db]' -r -F
complete -c mcteams -n "__fish_mcteams_using_subcommand profile; and __fish_seen_subcommand_from list" -s o -l output -d 'Output format for results on stdout' -r -f -a "table\t'Aligned table for people'
json\t'One JSON document'
jsonl\t'One JSON object per line'
csv\t'Comma-separated values with a header'
wide\t'A table with every column, as wide as they need (no column left out, no wrapping)'"
complete -c mcteams -n "__fish_mcteams_using_subcommand profile; and __fish_seen_subcommand_from list" -l out -d 'Write the results to this file instead of stdout (whole, once the command succeeded; a failed run leaves the file as it was)' -r -F
complete -c mcteams -n "__fish_mcteams_using_subcommand profile; and __fish_seen_subcommand_from list" -l query -d 'Query a command\'s result (a JMESPath, as CLI for Microsoft 365 and az take it) before it is formatted: -o table|csv show the query\'s result too' -r
complete -c mcteams -n "__fish_mcteams_using_subcommand profile; and __fish_seen_subcommand_from list" -l log-format -d 'Format of every line on stderr: json makes notes, warnings and errors JSON objects too' -r -f -a "text\t'Human-readable lines'
json\t'One JSON object per line (for services and log shippers)'"
complete -c mcteams -n "__fish_mcteams_using_subcommand profile; and __fish_seen_subcommand_from list" -s v -l verbose -d 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs'
complete -c mcteams -n "__fish_mcteams_using_subcommand profile; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)'
complete -c mcteams -n "__fish_mcteams_using_subcommand profile; and __fish_seen_subcommand_from list" -l no-color -d 'No colors (also with NO_COLOR or CLICOLOR=0, or when stderr is not a terminal)'
complete -c mcteams -n "__fish_mcteams_using_subcommand profile; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcteams -n "__fish_mcteams_using_subcommand profile; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c mcteams -n "__fish_mcteams_using_subcommand profile; and __fish_seen_subcommand_from show" -l limit -d 'How many users to list' -r
complete -c mcteams -n "__fish_mcteams_using_subcommand profile; and __fish_seen_subcommand_from show" -l config -d 'Configuration file [default: $XDG_CONFIG_HOME/mcteams/config.toml]' -r -F
complete -c mcteams -n "__fish_mcteams_using_subcommand profile; and __fish_seen_subcommand_from show" -l state -d 'State store: a SQLite file, or postgres://user@host/db (its password from [state] password_env or password_file) [default: config\'s [state] url or path, else $XDG_DATA_HOME/mcteams/state.db]' -r -F
complete -c mcteams -n "__fish_mcteams_using_subcommand profile; and __fish_seen_subcommand_from show" -s o -l output -d 'Output format for results on stdout' -r -f -a "table\t'Aligned table for people'
json\t'One JSON document'
jsonl\t'One JSON object per line'
csv\t'Comma-separated values with a header'
wide\t'A table with every column, as wide as they need (no column left out, no wrapping)'"
complete -c mcteams -n "__fish_mcteams_using_subcommand profile; and __fish_seen_subcommand_from show" -l out -d 'Write the results to this file instead of stdout (whole, once the command succeeded; a failed run leaves the file as it was)' -r -F
complete -c mcteams -n "__fish_mcteams_using_subcommand profile; and __fish_seen_subcommand_from show" -l query -d 'Query a command\'s result (a JMESPath, as CLI for Microsoft 365 and az take it) before it is formatted: -o table|csv show the query\'s result too' -r
complete -c mcteams -n "__fish_mcteams_using_subcommand profile; and __fish_seen_subcommand_from show" -l log-format -d 'Format of every line on stderr: json makes notes, warnings and errors JSON objects too' -r -f -a "text\t'Human-readable lines'
json\t'One JSON object per line (for services and log shippers)'"
complete -c mcteams -n "__fish_mcteams_using_subcommand profile; and __fish_seen_subcommand_from show" -l all -d 'List every user, not only the first ones'
complete -c mcteams -n "__fish_mcteams_using_subcommand profile; and __fish_seen_subcommand_from show" -s v -l verbose -d 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs'
complete -c mcteams -n "__fish_mcteams_using_subcommand profile; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)'
complete -c mcteams -n "__fish_mcteams_using_subcommand profile; and __fish_seen_subcommand_from show" -l no-color -d 'No colors (also with NO_COLOR or CLICOLOR=0, or when stderr is not a terminal)'
complete -c mcteams -n "__fish_mcteams_using_subcommand profile; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcteams -n "__fish_mcteams_using_subcommand profile; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c mcteams -n "__fish_mcteams_using_subcommand profile; and __fish_seen_subcommand_from enable" -l config -d 'Configuration file [default: $XDG_CONFIG_HOME/mcteams/config.toml]' -r -F
complete -c mcteams -n "__fish_mcteams_using_subcommand profile; and __fish_seen_subcommand_from enable" -l state -d 'State store: a SQLite file, or postgres://user@host/db (its password from [state] password_env or password_file) [default: config\'s [state] url or path, else $XDG_DATA_HOME/mcteams/state.db]' -r -F
complete -c mcteams -n "__fish_mcteams_using_subcommand profile; and __fish_seen_subcommand_from enable" -s o -l output -d 'Output format for results on stdout' -r -f -a "table\t'Aligned table for people'
json\t'One JSON document'
jsonl\t'One JSON object per line'
csv\t'Comma-separated values with a header'
wide\t'A table with every column, as wide as they need (no column left out, no wrapping)'"
complete -c mcteams -n "__fish_mcteams_using_subcommand profile; and __fish_seen_subcommand_from enable" -l out -d 'Write the results to this file instead of stdout (whole, once the command succeeded; a failed run leaves the file as it was)' -r -F
complete -c mcteams -n "__fish_mcteams_using_subcommand profile; and __fish_seen_subcommand_from enable" -l query -d 'Query a command\'s result (a JMESPath, as CLI for Microsoft 365 and az take it) before it is formatted: -o table|csv show the query\'s result too' -r
complete -c mcteams -n "__fish_mcteams_using_subcommand profile; and __fish_seen_subcommand_from enable" -l log-format -d 'Format of every line on stderr: json makes notes, warnings and errors JSON objects too' -r -f -a "text\t'Human-readable lines'
json\t'One JSON object per line (for services and log shippers)'"
complete -c mcteams -n "__fish_mcteams_using_subcommand profile; and __fish_seen_subcommand_from enable" -l force -d 'Go on past the max_changes guard'
complete -c mcteams -n "__fish_mcteams_using_subcommand profile; and __fish_seen_subcommand_from enable" -l dry-run -d 'Show what would change, change nothing'
complete -c mcteams -n "__fish_mcteams_using_subcommand profile; and __fish_seen_subcommand_from enable" -s y -l yes -d 'Do not ask for confirmation (required without a terminal)'
complete -c mcteams -n "__fish_mcteams_using_subcommand profile; and __fish_seen_subcommand_from enable" -s v -l verbose -d 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs'
complete -c mcteams -n "__fish_mcteams_using_subcommand profile; and __fish_seen_subcommand_from enable" -s q -l quiet -d 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)'
complete -c mcteams -n "__fish_mcteams_using_subcommand profile; and __fish_seen_subcommand_from enable" -l no-color -d 'No colors (also with NO_COLOR or CLICOLOR=0, or when stderr is not a terminal)'
complete -c mcteams -n "__fish_mcteams_using_subcommand profile; and __fish_seen_subcommand_from enable" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcteams -n "__fish_mcteams_using_subcommand profile; and __fish_seen_subcommand_from enable" -s V -l version -d 'Print version'
complete -c mcteams -n "__fish_mcteams_using_subcommand profile; and __fish_seen_subcommand_from disable" -l config -d 'Configuration file [default: $XDG_CONFIG_HOME/mcteams/config.toml]' -r -F
complete -c mcteams -n "__fish_mcteams_using_subcommand profile; and __fish_seen_subcommand_from disable" -l state -d 'State store: a SQLite file, or postgres://user@host/db (its password from [state] password_env or password_file) [default: config\'s [state] url or path, else $XDG_DATA_HOME/mcteams/state.db]' -r -F
complete -c mcteams -n "__fish_mcteams_using_subcommand profile; and __fish_seen_subcommand_from disable" -s o -l output -d 'Output format for results on stdout' -r -f -a "table\t'Aligned table for people'
json\t'One JSON document'
jsonl\t'One JSON object per line'
csv\t'Comma-separated values with a header'
wide\t'A table with every column, as wide as they need (no column left out, no wrapping)'"
complete -c mcteams -n "__fish_mcteams_using_subcommand profile; and __fish_seen_subcommand_from disable" -l out -d 'Write the results to this file instead of stdout (whole, once the command succeeded; a failed run leaves the file as it was)' -r -F
complete -c mcteams -n "__fish_mcteams_using_subcommand profile; and __fish_seen_subcommand_from disable" -l query -d 'Query a command\'s result (a JMESPath, as CLI for Microsoft 365 and az take it) before it is formatted: -o table|csv show the query\'s result too' -r
complete -c mcteams -n "__fish_mcteams_using_subcommand profile; and __fish_seen_subcommand_from disable" -l log-format -d 'Format of every line on stderr: json makes notes, warnings and errors JSON objects too' -r -f -a "text\t'Human-readable lines'
json\t'One JSON object per line (for services and log shippers)'"
complete -c mcteams -n "__fish_mcteams_using_subcommand profile; and __fish_seen_subcommand_from disable" -l force -d 'Go on past the max_changes guard'
complete -c mcteams -n "__fish_mcteams_using_subcommand profile; and __fish_seen_subcommand_from disable" -l dry-run -d 'Show what would change, change nothing'
complete -c mcteams -n "__fish_mcteams_using_subcommand profile; and __fish_seen_subcommand_from disable" -s y -l yes -d 'Do not ask for confirmation (required without a terminal)'
complete -c mcteams -n "__fish_mcteams_using_subcommand profile; and __fish_seen_subcommand_from disable" -s v -l verbose -d 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs'
complete -c mcteams -n "__fish_mcteams_using_subcommand profile; and __fish_seen_subcommand_from disable" -s q -l quiet -d 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)'
complete -c mcteams -n "__fish_mcteams_using_subcommand profile; and __fish_seen_subcommand_from disable" -l no-color -d 'No colors (also with NO_COLOR or CLICOLOR=0, or when stderr is not a terminal)'
complete -c mcteams -n "__fish_mcteams_using_subcommand profile; and __fish_seen_subcommand_from disable" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcteams -n "__fish_mcteams_using_subcommand profile; and __fish_seen_subcommand_from disable" -s V -l version -d 'Print version'
complete -c mcteams -n "__fish_mcteams_using_subcommand profile; and __fish_seen_subcommand_from help" -f -a "list" -d 'List user profiles: Teams presence on/off, default or custom, user count'
complete -c mcteams -n "__fish_mcteams_using_subcommand profile; and __fish_seen_subcommand_from help" -f -a "show" -d 'A profile\'s settings, Teams-managed statuses and users'
complete -c mcteams -n "__fish_mcteams_using_subcommand profile; and __fish_seen_subcommand_from help" -f -a "enable" -d 'Turn Teams presence on for every user of a profile'
complete -c mcteams -n "__fish_mcteams_using_subcommand profile; and __fish_seen_subcommand_from help" -f -a "disable" -d 'Turn Teams presence off for a profile; users get their own statuses back'
complete -c mcteams -n "__fish_mcteams_using_subcommand profile; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mcteams -n "__fish_mcteams_using_subcommand user; and not __fish_seen_subcommand_from enable disable show list help" -l config -d 'Configuration file [default: $XDG_CONFIG_HOME/mcteams/config.toml]' -r -F
complete -c mcteams -n "__fish_mcteams_using_subcommand user; and not __fish_seen_subcommand_from enable disable show list help" -l state -d 'State store: a SQLite file, or postgres://user@host/db (its password from [state] password_env or password_file) [default: config\'s [state] url or path, else $XDG_DATA_HOME/mcteams/state.db]' -r -F
complete -c mcteams -n "__fish_mcteams_using_subcommand user; and not __fish_seen_subcommand_from enable disable show list help" -s o -l output -d 'Output format for results on stdout' -r -f -a "table\t'Aligned table for people'
json\t'One JSON document'
jsonl\t'One JSON object per line'
csv\t'Comma-separated values with a header'
wide\t'A table with every column, as wide as they need (no column left out, no wrapping)'"
complete -c mcteams -n "__fish_mcteams_using_subcommand user; and not __fish_seen_subcommand_from enable disable show list help" -l out -d 'Write the results to this file instead of stdout (whole, once the command succeeded; a failed run leaves the file as it was)' -r -F
complete -c mcteams -n "__fish_mcteams_using_subcommand user; and not __fish_seen_subcommand_from enable disable show list help" -l query -d 'Query a command\'s result (a JMESPath, as CLI for Microsoft 365 and az take it) before it is formatted: -o table|csv show the query\'s result too' -r
complete -c mcteams -n "__fish_mcteams_using_subcommand user; and not __fish_seen_subcommand_from enable disable show list help" -l log-format -d 'Format of every line on stderr: json makes notes, warnings and errors JSON objects too' -r -f -a "text\t'Human-readable lines'
json\t'One JSON object per line (for services and log shippers)'"
complete -c mcteams -n "__fish_mcteams_using_subcommand user; and not __fish_seen_subcommand_from enable disable show list help" -s v -l verbose -d 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs'
complete -c mcteams -n "__fish_mcteams_using_subcommand user; and not __fish_seen_subcommand_from enable disable show list help" -s q -l quiet -d 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)'
complete -c mcteams -n "__fish_mcteams_using_subcommand user; and not __fish_seen_subcommand_from enable disable show list help" -l no-color -d 'No colors (also with NO_COLOR or CLICOLOR=0, or when stderr is not a terminal)'
complete -c mcteams -n "__fish_mcteams_using_subcommand user; and not __fish_seen_subcommand_from enable disable show list help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcteams -n "__fish_mcteams_using_subcommand user; and not __fish_seen_subcommand_from enable disable show list help" -s V -l version -d 'Print version'
complete -c mcteams -n "__fish_mcteams_using_subcommand user; and not __fish_seen_subcommand_from enable disable show list help" -f -a "enable" -d 'Check "Microsoft Teams status" for users'
complete -c mcteams -n "__fish_mcteams_using_subcommand user; and not __fish_seen_subcommand_from enable disable show list help" -f -a "disable" -d 'Uncheck "Microsoft Teams status" for users'
complete -c mcteams -n "__fish_mcteams_using_subcommand user; and not __fish_seen_subcommand_from enable disable show list help" -f -a "show" -d 'Everything about one user across the four systems: the mapping, the Teams flag, Teams presence and mcteams\' session, the phone, the MiCollab status, the last sync and its last writes, and the reasons the report gives'
complete -c mcteams -n "__fish_mcteams_using_subcommand user; and not __fish_seen_subcommand_from enable disable show list help" -f -a "list" -d 'The users the report knows (mapped, or with Teams presence on), a line each'
complete -c mcteams -n "__fish_mcteams_using_subcommand user; and not __fish_seen_subcommand_from enable disable show list help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mcteams -n "__fish_mcteams_using_subcommand user; and __fish_seen_subcommand_from enable" -l from-csv -d 'Take the logins from the micollab_login column of a CSV file (a mapping CSV works as is)' -r -F
complete -c mcteams -n "__fish_mcteams_using_subcommand user; and __fish_seen_subcommand_from enable" -l config -d 'Configuration file [default: $XDG_CONFIG_HOME/mcteams/config.toml]' -r -F
complete -c mcteams -n "__fish_mcteams_using_subcommand user; and __fish_seen_subcommand_from enable" -l state -d 'State store: a SQLite file, or postgres://user@host/db (its password from [state] password_env or password_file) [default: config\'s [state] url or path, else $XDG_DATA_HOME/mcteams/state.db]' -r -F
complete -c mcteams -n "__fish_mcteams_using_subcommand user; and __fish_seen_subcommand_from enable" -s o -l output -d 'Output format for results on stdout' -r -f -a "table\t'Aligned table for people'
json\t'One JSON document'
jsonl\t'One JSON object per line'
csv\t'Comma-separated values with a header'
wide\t'A table with every column, as wide as they need (no column left out, no wrapping)'"
complete -c mcteams -n "__fish_mcteams_using_subcommand user; and __fish_seen_subcommand_from enable" -l out -d 'Write the results to this file instead of stdout (whole, once the command succeeded; a failed run leaves the file as it was)' -r -F
complete -c mcteams -n "__fish_mcteams_using_subcommand user; and __fish_seen_subcommand_from enable" -l query -d 'Query a command\'s result (a JMESPath, as CLI for Microsoft 365 and az take it) before it is formatted: -o table|csv show the query\'s result too' -r
complete -c mcteams -n "__fish_mcteams_using_subcommand user; and __fish_seen_subcommand_from enable" -l log-format -d 'Format of every line on stderr: json makes notes, warnings and errors JSON objects too' -r -f -a "text\t'Human-readable lines'
json\t'One JSON object per line (for services and log shippers)'"
complete -c mcteams -n "__fish_mcteams_using_subcommand user; and __fish_seen_subcommand_from enable" -l force -d 'Go on past the max_changes guard'
complete -c mcteams -n "__fish_mcteams_using_subcommand user; and __fish_seen_subcommand_from enable" -l dry-run -d 'Show what would change, change nothing'
complete -c mcteams -n "__fish_mcteams_using_subcommand user; and __fish_seen_subcommand_from enable" -s y -l yes -d 'Do not ask for confirmation (required without a terminal)'
complete -c mcteams -n "__fish_mcteams_using_subcommand user; and __fish_seen_subcommand_from enable" -s v -l verbose -d 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs'
complete -c mcteams -n "__fish_mcteams_using_subcommand user; and __fish_seen_subcommand_from enable" -s q -l quiet -d 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)'
complete -c mcteams -n "__fish_mcteams_using_subcommand user; and __fish_seen_subcommand_from enable" -l no-color -d 'No colors (also with NO_COLOR or CLICOLOR=0, or when stderr is not a terminal)'
complete -c mcteams -n "__fish_mcteams_using_subcommand user; and __fish_seen_subcommand_from enable" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcteams -n "__fish_mcteams_using_subcommand user; and __fish_seen_subcommand_from enable" -s V -l version -d 'Print version'
complete -c mcteams -n "__fish_mcteams_using_subcommand user; and __fish_seen_subcommand_from disable" -l from-csv -d 'Take the logins from the micollab_login column of a CSV file (a mapping CSV works as is)' -r -F
complete -c mcteams -n "__fish_mcteams_using_subcommand user; and __fish_seen_subcommand_from disable" -l config -d 'Configuration file [default: $XDG_CONFIG_HOME/mcteams/config.toml]' -r -F
complete -c mcteams -n "__fish_mcteams_using_subcommand user; and __fish_seen_subcommand_from disable" -l state -d 'State store: a SQLite file, or postgres://user@host/db (its password from [state] password_env or password_file) [default: config\'s [state] url or path, else $XDG_DATA_HOME/mcteams/state.db]' -r -F
complete -c mcteams -n "__fish_mcteams_using_subcommand user; and __fish_seen_subcommand_from disable" -s o -l output -d 'Output format for results on stdout' -r -f -a "table\t'Aligned table for people'
json\t'One JSON document'
jsonl\t'One JSON object per line'
csv\t'Comma-separated values with a header'
wide\t'A table with every column, as wide as they need (no column left out, no wrapping)'"
complete -c mcteams -n "__fish_mcteams_using_subcommand user; and __fish_seen_subcommand_from disable" -l out -d 'Write the results to this file instead of stdout (whole, once the command succeeded; a failed run leaves the file as it was)' -r -F
complete -c mcteams -n "__fish_mcteams_using_subcommand user; and __fish_seen_subcommand_from disable" -l query -d 'Query a command\'s result (a JMESPath, as CLI for Microsoft 365 and az take it) before it is formatted: -o table|csv show the query\'s result too' -r
complete -c mcteams -n "__fish_mcteams_using_subcommand user; and __fish_seen_subcommand_from disable" -l log-format -d 'Format of every line on stderr: json makes notes, warnings and errors JSON objects too' -r -f -a "text\t'Human-readable lines'
json\t'One JSON object per line (for services and log shippers)'"
complete -c mcteams -n "__fish_mcteams_using_subcommand user; and __fish_seen_subcommand_from disable" -l force -d 'Go on past the max_changes guard'
complete -c mcteams -n "__fish_mcteams_using_subcommand user; and __fish_seen_subcommand_from disable" -l dry-run -d 'Show what would change, change nothing'
complete -c mcteams -n "__fish_mcteams_using_subcommand user; and __fish_seen_subcommand_from disable" -s y -l yes -d 'Do not ask for confirmation (required without a terminal)'
complete -c mcteams -n "__fish_mcteams_using_subcommand user; and __fish_seen_subcommand_from disable" -s v -l verbose -d 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs'
complete -c mcteams -n "__fish_mcteams_using_subcommand user; and __fish_seen_subcommand_from disable" -s q -l quiet -d 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)'
complete -c mcteams -n "__fish_mcteams_using_subcommand user; and __fish_seen_subcommand_from disable" -l no-color -d 'No colors (also with NO_COLOR or CLICOLOR=0, or when stderr is not a terminal)'
complete -c mcteams -n "__fish_mcteams_using_subcommand user; and __fish_seen_subcommand_from disable" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcteams -n "__fish_mcteams_using_subcommand user; and __fish_seen_subcommand_from disable" -s V -l version -d 'Print version'
complete -c mcteams -n "__fish_mcteams_using_subcommand user; and __fish_seen_subcommand_from show" -l config -d 'Configuration file [default: $XDG_CONFIG_HOME/mcteams/config.toml]' -r -F
complete -c mcteams -n "__fish_mcteams_using_subcommand user; and __fish_seen_subcommand_from show" -l state -d 'State store: a SQLite file, or postgres://user@host/db (its password from [state] password_env or password_file) [default: config\'s [state] url or path, else $XDG_DATA_HOME/mcteams/state.db]' -r -F
complete -c mcteams -n "__fish_mcteams_using_subcommand user; and __fish_seen_subcommand_from show" -s o -l output -d 'Output format for results on stdout' -r -f -a "table\t'Aligned table for people'
json\t'One JSON document'
jsonl\t'One JSON object per line'
csv\t'Comma-separated values with a header'
wide\t'A table with every column, as wide as they need (no column left out, no wrapping)'"
complete -c mcteams -n "__fish_mcteams_using_subcommand user; and __fish_seen_subcommand_from show" -l out -d 'Write the results to this file instead of stdout (whole, once the command succeeded; a failed run leaves the file as it was)' -r -F
complete -c mcteams -n "__fish_mcteams_using_subcommand user; and __fish_seen_subcommand_from show" -l query -d 'Query a command\'s result (a JMESPath, as CLI for Microsoft 365 and az take it) before it is formatted: -o table|csv show the query\'s result too' -r
complete -c mcteams -n "__fish_mcteams_using_subcommand user; and __fish_seen_subcommand_from show" -l log-format -d 'Format of every line on stderr: json makes notes, warnings and errors JSON objects too' -r -f -a "text\t'Human-readable lines'
json\t'One JSON object per line (for services and log shippers)'"
complete -c mcteams -n "__fish_mcteams_using_subcommand user; and __fish_seen_subcommand_from show" -l from-state -d 'The store\'s last observations instead of reading the systems'
complete -c mcteams -n "__fish_mcteams_using_subcommand user; and __fish_seen_subcommand_from show" -s v -l verbose -d 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs'
complete -c mcteams -n "__fish_mcteams_using_subcommand user; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)'
complete -c mcteams -n "__fish_mcteams_using_subcommand user; and __fish_seen_subcommand_from show" -l no-color -d 'No colors (also with NO_COLOR or CLICOLOR=0, or when stderr is not a terminal)'
complete -c mcteams -n "__fish_mcteams_using_subcommand user; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcteams -n "__fish_mcteams_using_subcommand user; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c mcteams -n "__fish_mcteams_using_subcommand user; and __fish_seen_subcommand_from list" -l profile -d 'Only users of this MiCollab profile' -r
complete -c mcteams -n "__fish_mcteams_using_subcommand user; and __fish_seen_subcommand_from list" -l reason -d 'Only users with these reason codes (repeatable, or comma-separated)' -r -f -a "teams_micollab_mismatch\t''
pbx_teams_mismatch\t''
dnd_conflict\t''
unmapped_enabled_user\t''
mapping_target_missing\t''
unverified_mapping\t''
integration_disabled\t''
unsupported_system\t''
foreign_writer\t''
held_by_guard\t''
stale\t''
sync_error\t''
in_sync\t''
source_unavailable\t''
teams_unknown\t''
acd_hotdesk_unsynced\t''
client_drift_risk\t''
settling\t''"
complete -c mcteams -n "__fish_mcteams_using_subcommand user; and __fish_seen_subcommand_from list" -l config -d 'Configuration file [default: $XDG_CONFIG_HOME/mcteams/config.toml]' -r -F
complete -c mcteams -n "__fish_mcteams_using_subcommand user; and __fish_seen_subcommand_from list" -l state -d 'State store: a SQLite file, or postgres://user@host/db (its password from [state] password_env or password_file) [default: config\'s [state] url or path, else $XDG_DATA_HOME/mcteams/state.db]' -r -F
complete -c mcteams -n "__fish_mcteams_using_subcommand user; and __fish_seen_subcommand_from list" -s o -l output -d 'Output format for results on stdout' -r -f -a "table\t'Aligned table for people'
json\t'One JSON document'
jsonl\t'One JSON object per line'
csv\t'Comma-separated values with a header'
wide\t'A table with every column, as wide as they need (no column left out, no wrapping)'"
complete -c mcteams -n "__fish_mcteams_using_subcommand user; and __fish_seen_subcommand_from list" -l out -d 'Write the results to this file instead of stdout (whole, once the command succeeded; a failed run leaves the file as it was)' -r -F
complete -c mcteams -n "__fish_mcteams_using_subcommand user; and __fish_seen_subcommand_from list" -l query -d 'Query a command\'s result (a JMESPath, as CLI for Microsoft 365 and az take it) before it is formatted: -o table|csv show the query\'s result too' -r
complete -c mcteams -n "__fish_mcteams_using_subcommand user; and __fish_seen_subcommand_from list" -l log-format -d 'Format of every line on stderr: json makes notes, warnings and errors JSON objects too' -r -f -a "text\t'Human-readable lines'
json\t'One JSON object per line (for services and log shippers)'"
complete -c mcteams -n "__fish_mcteams_using_subcommand user; and __fish_seen_subcommand_from list" -l from-state -d 'The store\'s last observations instead of reading the systems'
complete -c mcteams -n "__fish_mcteams_using_subcommand user; and __fish_seen_subcommand_from list" -s v -l verbose -d 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs'
complete -c mcteams -n "__fish_mcteams_using_subcommand user; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)'
complete -c mcteams -n "__fish_mcteams_using_subcommand user; and __fish_seen_subcommand_from list" -l no-color -d 'No colors (also with NO_COLOR or CLICOLOR=0, or when stderr is not a terminal)'
complete -c mcteams -n "__fish_mcteams_using_subcommand user; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcteams -n "__fish_mcteams_using_subcommand user; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c mcteams -n "__fish_mcteams_using_subcommand user; and __fish_seen_subcommand_from help" -f -a "enable" -d 'Check "Microsoft Teams status" for users'
complete -c mcteams -n "__fish_mcteams_using_subcommand user; and __fish_seen_subcommand_from help" -f -a "disable" -d 'Uncheck "Microsoft Teams status" for users'
complete -c mcteams -n "__fish_mcteams_using_subcommand user; and __fish_seen_subcommand_from help" -f -a "show" -d 'Everything about one user across the four systems: the mapping, the Teams flag, Teams presence and mcteams\' session, the phone, the MiCollab status, the last sync and its last writes, and the reasons the report gives'
complete -c mcteams -n "__fish_mcteams_using_subcommand user; and __fish_seen_subcommand_from help" -f -a "list" -d 'The users the report knows (mapped, or with Teams presence on), a line each'
complete -c mcteams -n "__fish_mcteams_using_subcommand user; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mcteams -n "__fish_mcteams_using_subcommand status; and not __fish_seen_subcommand_from list set add help" -l config -d 'Configuration file [default: $XDG_CONFIG_HOME/mcteams/config.toml]' -r -F
complete -c mcteams -n "__fish_mcteams_using_subcommand status; and not __fish_seen_subcommand_from list set add help" -l state -d 'State store: a SQLite file, or postgres://user@host/db (its password from [state] password_env or password_file) [default: config\'s [state] url or path, else $XDG_DATA_HOME/mcteams/state.db]' -r -F
complete -c mcteams -n "__fish_mcteams_using_subcommand status; and not __fish_seen_subcommand_from list set add help" -s o -l output -d 'Output format for results on stdout' -r -f -a "table\t'Aligned table for people'
json\t'One JSON document'
jsonl\t'One JSON object per line'
csv\t'Comma-separated values with a header'
wide\t'A table with every column, as wide as they need (no column left out, no wrapping)'"
complete -c mcteams -n "__fish_mcteams_using_subcommand status; and not __fish_seen_subcommand_from list set add help" -l out -d 'Write the results to this file instead of stdout (whole, once the command succeeded; a failed run leaves the file as it was)' -r -F
complete -c mcteams -n "__fish_mcteams_using_subcommand status; and not __fish_seen_subcommand_from list set add help" -l query -d 'Query a command\'s result (a JMESPath, as CLI for Microsoft 365 and az take it) before it is formatted: -o table|csv show the query\'s result too' -r
complete -c mcteams -n "__fish_mcteams_using_subcommand status; and not __fish_seen_subcommand_from list set add help" -l log-format -d 'Format of every line on stderr: json makes notes, warnings and errors JSON objects too' -r -f -a "text\t'Human-readable lines'
json\t'One JSON object per line (for services and log shippers)'"
complete -c mcteams -n "__fish_mcteams_using_subcommand status; and not __fish_seen_subcommand_from list set add help" -s v -l verbose -d 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs'
complete -c mcteams -n "__fish_mcteams_using_subcommand status; and not __fish_seen_subcommand_from list set add help" -s q -l quiet -d 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)'
complete -c mcteams -n "__fish_mcteams_using_subcommand status; and not __fish_seen_subcommand_from list set add help" -l no-color -d 'No colors (also with NO_COLOR or CLICOLOR=0, or when stderr is not a terminal)'
complete -c mcteams -n "__fish_mcteams_using_subcommand status; and not __fish_seen_subcommand_from list set add help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcteams -n "__fish_mcteams_using_subcommand status; and not __fish_seen_subcommand_from list set add help" -s V -l version -d 'Print version'
complete -c mcteams -n "__fish_mcteams_using_subcommand status; and not __fish_seen_subcommand_from list set add help" -f -a "list" -d 'The Teams-managed statuses of a profile and their settings'
complete -c mcteams -n "__fish_mcteams_using_subcommand status; and not __fish_seen_subcommand_from list set add help" -f -a "set" -d 'Change settings of a Teams-managed status (never its name or Do-not-disturb)'
complete -c mcteams -n "__fish_mcteams_using_subcommand status; and not __fish_seen_subcommand_from list set add help" -f -a "add" -d 'Add a status: always refused while Teams manages the statuses'
complete -c mcteams -n "__fish_mcteams_using_subcommand status; and not __fish_seen_subcommand_from list set add help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mcteams -n "__fish_mcteams_using_subcommand status; and __fish_seen_subcommand_from list" -l config -d 'Configuration file [default: $XDG_CONFIG_HOME/mcteams/config.toml]' -r -F
complete -c mcteams -n "__fish_mcteams_using_subcommand status; and __fish_seen_subcommand_from list" -l state -d 'State store: a SQLite file, or postgres://user@host/db (its password from [state] password_env or password_file) [default: config\'s [state] url or path, else $XDG_DATA_HOME/mcteams/state.db]' -r -F
complete -c mcteams -n "__fish_mcteams_using_subcommand status; and __fish_seen_subcommand_from list" -s o -l output -d 'Output format for results on stdout' -r -f -a "table\t'Aligned table for people'
json\t'One JSON document'
jsonl\t'One JSON object per line'
csv\t'Comma-separated values with a header'
wide\t'A table with every column, as wide as they need (no column left out, no wrapping)'"
complete -c mcteams -n "__fish_mcteams_using_subcommand status; and __fish_seen_subcommand_from list" -l out -d 'Write the results to this file instead of stdout (whole, once the command succeeded; a failed run leaves the file as it was)' -r -F
complete -c mcteams -n "__fish_mcteams_using_subcommand status; and __fish_seen_subcommand_from list" -l query -d 'Query a command\'s result (a JMESPath, as CLI for Microsoft 365 and az take it) before it is formatted: -o table|csv show the query\'s result too' -r
complete -c mcteams -n "__fish_mcteams_using_subcommand status; and __fish_seen_subcommand_from list" -l log-format -d 'Format of every line on stderr: json makes notes, warnings and errors JSON objects too' -r -f -a "text\t'Human-readable lines'
json\t'One JSON object per line (for services and log shippers)'"
complete -c mcteams -n "__fish_mcteams_using_subcommand status; and __fish_seen_subcommand_from list" -s v -l verbose -d 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs'
complete -c mcteams -n "__fish_mcteams_using_subcommand status; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)'
complete -c mcteams -n "__fish_mcteams_using_subcommand status; and __fish_seen_subcommand_from list" -l no-color -d 'No colors (also with NO_COLOR or CLICOLOR=0, or when stderr is not a terminal)'
complete -c mcteams -n "__fish_mcteams_using_subcommand status; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcteams -n "__fish_mcteams_using_subcommand status; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c mcteams -n "__fish_mcteams_using_subcommand status; and __fish_seen_subcommand_from set" -l call-routing -d 'Where calls go in this status (e.g. voicemail, desk, mobile, or a number)' -r
complete -c mcteams -n "__fish_mcteams_using_subcommand status; and __fish_seen_subcommand_from set" -l message -d 'Status message shown to other users' -r
complete -c mcteams -n "__fish_mcteams_using_subcommand status; and __fish_seen_subcommand_from set" -l name -d 'New name: always refused, Teams owns the names' -r
complete -c mcteams -n "__fish_mcteams_using_subcommand status; and __fish_seen_subcommand_from set" -l dnd -d 'Do-not-disturb setting: always refused, it is not editable for Teams statuses' -r -f -a "true\t''
false\t''"
complete -c mcteams -n "__fish_mcteams_using_subcommand status; and __fish_seen_subcommand_from set" -l config -d 'Configuration file [default: $XDG_CONFIG_HOME/mcteams/config.toml]' -r -F
complete -c mcteams -n "__fish_mcteams_using_subcommand status; and __fish_seen_subcommand_from set" -l state -d 'State store: a SQLite file, or postgres://user@host/db (its password from [state] password_env or password_file) [default: config\'s [state] url or path, else $XDG_DATA_HOME/mcteams/state.db]' -r -F
complete -c mcteams -n "__fish_mcteams_using_subcommand status; and __fish_seen_subcommand_from set" -s o -l output -d 'Output format for results on stdout' -r -f -a "table\t'Aligned table for people'
json\t'One JSON document'
jsonl\t'One JSON object per line'
csv\t'Comma-separated values with a header'
wide\t'A table with every column, as wide as they need (no column left out, no wrapping)'"
complete -c mcteams -n "__fish_mcteams_using_subcommand status; and __fish_seen_subcommand_from set" -l out -d 'Write the results to this file instead of stdout (whole, once the command succeeded; a failed run leaves the file as it was)' -r -F
complete -c mcteams -n "__fish_mcteams_using_subcommand status; and __fish_seen_subcommand_from set" -l query -d 'Query a command\'s result (a JMESPath, as CLI for Microsoft 365 and az take it) before it is formatted: -o table|csv show the query\'s result too' -r
complete -c mcteams -n "__fish_mcteams_using_subcommand status; and __fish_seen_subcommand_from set" -l log-format -d 'Format of every line on stderr: json makes notes, warnings and errors JSON objects too' -r -f -a "text\t'Human-readable lines'
json\t'One JSON object per line (for services and log shippers)'"
complete -c mcteams -n "__fish_mcteams_using_subcommand status; and __fish_seen_subcommand_from set" -l override-users -d 'Also overwrite users\' own changes of this status\'s settings'
complete -c mcteams -n "__fish_mcteams_using_subcommand status; and __fish_seen_subcommand_from set" -l dry-run -d 'Show what would change, change nothing'
complete -c mcteams -n "__fish_mcteams_using_subcommand status; and __fish_seen_subcommand_from set" -s y -l yes -d 'Do not ask for confirmation (required without a terminal)'
complete -c mcteams -n "__fish_mcteams_using_subcommand status; and __fish_seen_subcommand_from set" -s v -l verbose -d 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs'
complete -c mcteams -n "__fish_mcteams_using_subcommand status; and __fish_seen_subcommand_from set" -s q -l quiet -d 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)'
complete -c mcteams -n "__fish_mcteams_using_subcommand status; and __fish_seen_subcommand_from set" -l no-color -d 'No colors (also with NO_COLOR or CLICOLOR=0, or when stderr is not a terminal)'
complete -c mcteams -n "__fish_mcteams_using_subcommand status; and __fish_seen_subcommand_from set" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcteams -n "__fish_mcteams_using_subcommand status; and __fish_seen_subcommand_from set" -s V -l version -d 'Print version'
complete -c mcteams -n "__fish_mcteams_using_subcommand status; and __fish_seen_subcommand_from add" -l config -d 'Configuration file [default: $XDG_CONFIG_HOME/mcteams/config.toml]' -r -F
complete -c mcteams -n "__fish_mcteams_using_subcommand status; and __fish_seen_subcommand_from add" -l state -d 'State store: a SQLite file, or postgres://user@host/db (its password from [state] password_env or password_file) [default: config\'s [state] url or path, else $XDG_DATA_HOME/mcteams/state.db]' -r -F
complete -c mcteams -n "__fish_mcteams_using_subcommand status; and __fish_seen_subcommand_from add" -s o -l output -d 'Output format for results on stdout' -r -f -a "table\t'Aligned table for people'
json\t'One JSON document'
jsonl\t'One JSON object per line'
csv\t'Comma-separated values with a header'
wide\t'A table with every column, as wide as they need (no column left out, no wrapping)'"
complete -c mcteams -n "__fish_mcteams_using_subcommand status; and __fish_seen_subcommand_from add" -l out -d 'Write the results to this file instead of stdout (whole, once the command succeeded; a failed run leaves the file as it was)' -r -F
complete -c mcteams -n "__fish_mcteams_using_subcommand status; and __fish_seen_subcommand_from add" -l query -d 'Query a command\'s result (a JMESPath, as CLI for Microsoft 365 and az take it) before it is formatted: -o table|csv show the query\'s result too' -r
complete -c mcteams -n "__fish_mcteams_using_subcommand status; and __fish_seen_subcommand_from add" -l log-format -d 'Format of every line on stderr: json makes notes, warnings and errors JSON objects too' -r -f -a "text\t'Human-readable lines'
json\t'One JSON object per line (for services and log shippers)'"
complete -c mcteams -n "__fish_mcteams_using_subcommand status; and __fish_seen_subcommand_from add" -s v -l verbose -d 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs'
complete -c mcteams -n "__fish_mcteams_using_subcommand status; and __fish_seen_subcommand_from add" -s q -l quiet -d 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)'
complete -c mcteams -n "__fish_mcteams_using_subcommand status; and __fish_seen_subcommand_from add" -l no-color -d 'No colors (also with NO_COLOR or CLICOLOR=0, or when stderr is not a terminal)'
complete -c mcteams -n "__fish_mcteams_using_subcommand status; and __fish_seen_subcommand_from add" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcteams -n "__fish_mcteams_using_subcommand status; and __fish_seen_subcommand_from add" -s V -l version -d 'Print version'
complete -c mcteams -n "__fish_mcteams_using_subcommand status; and __fish_seen_subcommand_from help" -f -a "list" -d 'The Teams-managed statuses of a profile and their settings'
complete -c mcteams -n "__fish_mcteams_using_subcommand status; and __fish_seen_subcommand_from help" -f -a "set" -d 'Change settings of a Teams-managed status (never its name or Do-not-disturb)'
complete -c mcteams -n "__fish_mcteams_using_subcommand status; and __fish_seen_subcommand_from help" -f -a "add" -d 'Add a status: always refused while Teams manages the statuses'
complete -c mcteams -n "__fish_mcteams_using_subcommand status; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mcteams -n "__fish_mcteams_using_subcommand import" -l results -d 'Write a result per row (input columns + row,action,status,error_code,message)' -r -F
complete -c mcteams -n "__fish_mcteams_using_subcommand import" -l max-deletes -d 'Stop when --prune would remove more [default: 50 or 10% of mappings, the smaller]' -r
complete -c mcteams -n "__fish_mcteams_using_subcommand import" -l columns -d 'Map other header names: their_name=our_name,...' -r
complete -c mcteams -n "__fish_mcteams_using_subcommand import" -l delimiter -d 'Field delimiter [default: detected, \',\' or \';\']' -r
complete -c mcteams -n "__fish_mcteams_using_subcommand import" -l config -d 'Configuration file [default: $XDG_CONFIG_HOME/mcteams/config.toml]' -r -F
complete -c mcteams -n "__fish_mcteams_using_subcommand import" -l state -d 'State store: a SQLite file, or postgres://user@host/db (its password from [state] password_env or password_file) [default: config\'s [state] url or path, else $XDG_DATA_HOME/mcteams/state.db]' -r -F
complete -c mcteams -n "__fish_mcteams_using_subcommand import" -s o -l output -d 'Output format for results on stdout' -r -f -a "table\t'Aligned table for people'
json\t'One JSON document'
jsonl\t'One JSON object per line'
csv\t'Comma-separated values with a header'
wide\t'A table with every column, as wide as they need (no column left out, no wrapping)'"
complete -c mcteams -n "__fish_mcteams_using_subcommand import" -l out -d 'Write the results to this file instead of stdout (whole, once the command succeeded; a failed run leaves the file as it was)' -r -F
complete -c mcteams -n "__fish_mcteams_using_subcommand import" -l query -d 'Query a command\'s result (a JMESPath, as CLI for Microsoft 365 and az take it) before it is formatted: -o table|csv show the query\'s result too' -r
complete -c mcteams -n "__fish_mcteams_using_subcommand import" -l log-format -d 'Format of every line on stderr: json makes notes, warnings and errors JSON objects too' -r -f -a "text\t'Human-readable lines'
json\t'One JSON object per line (for services and log shippers)'"
complete -c mcteams -n "__fish_mcteams_using_subcommand import" -l only-failed -d 'Only failed rows in --results (fix them and import that file as is)'
complete -c mcteams -n "__fish_mcteams_using_subcommand import" -l prune -d 'Remove mappings that are not in the file'
complete -c mcteams -n "__fish_mcteams_using_subcommand import" -l force -d 'Go on past the --max-deletes guard'
complete -c mcteams -n "__fish_mcteams_using_subcommand import" -l strict -d 'Apply nothing when any row fails'
complete -c mcteams -n "__fish_mcteams_using_subcommand import" -l offline -d 'Do not check rows against the systems (mappings stored as unverified)'
complete -c mcteams -n "__fish_mcteams_using_subcommand import" -l dry-run -d 'Show what would change, change nothing'
complete -c mcteams -n "__fish_mcteams_using_subcommand import" -s y -l yes -d 'Do not ask for confirmation (required without a terminal)'
complete -c mcteams -n "__fish_mcteams_using_subcommand import" -s v -l verbose -d 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs'
complete -c mcteams -n "__fish_mcteams_using_subcommand import" -s q -l quiet -d 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)'
complete -c mcteams -n "__fish_mcteams_using_subcommand import" -l no-color -d 'No colors (also with NO_COLOR or CLICOLOR=0, or when stderr is not a terminal)'
complete -c mcteams -n "__fish_mcteams_using_subcommand import" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcteams -n "__fish_mcteams_using_subcommand import" -s V -l version -d 'Print version'
complete -c mcteams -n "__fish_mcteams_using_subcommand mappings; and not __fish_seen_subcommand_from list show remove export discover help" -l config -d 'Configuration file [default: $XDG_CONFIG_HOME/mcteams/config.toml]' -r -F
complete -c mcteams -n "__fish_mcteams_using_subcommand mappings; and not __fish_seen_subcommand_from list show remove export discover help" -l state -d 'State store: a SQLite file, or postgres://user@host/db (its password from [state] password_env or password_file) [default: config\'s [state] url or path, else $XDG_DATA_HOME/mcteams/state.db]' -r -F
complete -c mcteams -n "__fish_mcteams_using_subcommand mappings; and not __fish_seen_subcommand_from list show remove export discover help" -s o -l output -d 'Output format for results on stdout' -r -f -a "table\t'Aligned table for people'
json\t'One JSON document'
jsonl\t'One JSON object per line'
csv\t'Comma-separated values with a header'
wide\t'A table with every column, as wide as they need (no column left out, no wrapping)'"
complete -c mcteams -n "__fish_mcteams_using_subcommand mappings; and not __fish_seen_subcommand_from list show remove export discover help" -l out -d 'Write the results to this file instead of stdout (whole, once the command succeeded; a failed run leaves the file as it was)' -r -F
complete -c mcteams -n "__fish_mcteams_using_subcommand mappings; and not __fish_seen_subcommand_from list show remove export discover help" -l query -d 'Query a command\'s result (a JMESPath, as CLI for Microsoft 365 and az take it) before it is formatted: -o table|csv show the query\'s result too' -r
complete -c mcteams -n "__fish_mcteams_using_subcommand mappings; and not __fish_seen_subcommand_from list show remove export discover help" -l log-format -d 'Format of every line on stderr: json makes notes, warnings and errors JSON objects too' -r -f -a "text\t'Human-readable lines'
json\t'One JSON object per line (for services and log shippers)'"
complete -c mcteams -n "__fish_mcteams_using_subcommand mappings; and not __fish_seen_subcommand_from list show remove export discover help" -s v -l verbose -d 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs'
complete -c mcteams -n "__fish_mcteams_using_subcommand mappings; and not __fish_seen_subcommand_from list show remove export discover help" -s q -l quiet -d 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)'
complete -c mcteams -n "__fish_mcteams_using_subcommand mappings; and not __fish_seen_subcommand_from list show remove export discover help" -l no-color -d 'No colors (also with NO_COLOR or CLICOLOR=0, or when stderr is not a terminal)'
complete -c mcteams -n "__fish_mcteams_using_subcommand mappings; and not __fish_seen_subcommand_from list show remove export discover help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcteams -n "__fish_mcteams_using_subcommand mappings; and not __fish_seen_subcommand_from list show remove export discover help" -s V -l version -d 'Print version'
complete -c mcteams -n "__fish_mcteams_using_subcommand mappings; and not __fish_seen_subcommand_from list show remove export discover help" -f -a "list" -d 'List the stored mappings'
complete -c mcteams -n "__fish_mcteams_using_subcommand mappings; and not __fish_seen_subcommand_from list show remove export discover help" -f -a "show" -d 'One mapping, with its sync record'
complete -c mcteams -n "__fish_mcteams_using_subcommand mappings; and not __fish_seen_subcommand_from list show remove export discover help" -f -a "remove" -d 'Remove mappings (kept as tombstones until the sync has cleared what it set)'
complete -c mcteams -n "__fish_mcteams_using_subcommand mappings; and not __fish_seen_subcommand_from list show remove export discover help" -f -a "export" -d 'Write all mappings as a mapping CSV (the import format)'
complete -c mcteams -n "__fish_mcteams_using_subcommand mappings; and not __fish_seen_subcommand_from list show remove export discover help" -f -a "discover" -d 'Propose mappings for users not yet mapped, for review and import (with --out, the proposals are a mapping CSV plus confidence and notes, whatever -o says)'
complete -c mcteams -n "__fish_mcteams_using_subcommand mappings; and not __fish_seen_subcommand_from list show remove export discover help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mcteams -n "__fish_mcteams_using_subcommand mappings; and __fish_seen_subcommand_from list" -l config -d 'Configuration file [default: $XDG_CONFIG_HOME/mcteams/config.toml]' -r -F
complete -c mcteams -n "__fish_mcteams_using_subcommand mappings; and __fish_seen_subcommand_from list" -l state -d 'State store: a SQLite file, or postgres://user@host/db (its password from [state] password_env or password_file) [default: config\'s [state] url or path, else $XDG_DATA_HOME/mcteams/state.db]' -r -F
complete -c mcteams -n "__fish_mcteams_using_subcommand mappings; and __fish_seen_subcommand_from list" -s o -l output -d 'Output format for results on stdout' -r -f -a "table\t'Aligned table for people'
json\t'One JSON document'
jsonl\t'One JSON object per line'
csv\t'Comma-separated values with a header'
wide\t'A table with every column, as wide as they need (no column left out, no wrapping)'"
complete -c mcteams -n "__fish_mcteams_using_subcommand mappings; and __fish_seen_subcommand_from list" -l out -d 'Write the results to this file instead of stdout (whole, once the command succeeded; a failed run leaves the file as it was)' -r -F
complete -c mcteams -n "__fish_mcteams_using_subcommand mappings; and __fish_seen_subcommand_from list" -l query -d 'Query a command\'s result (a JMESPath, as CLI for Microsoft 365 and az take it) before it is formatted: -o table|csv show the query\'s result too' -r
complete -c mcteams -n "__fish_mcteams_using_subcommand mappings; and __fish_seen_subcommand_from list" -l log-format -d 'Format of every line on stderr: json makes notes, warnings and errors JSON objects too' -r -f -a "text\t'Human-readable lines'
json\t'One JSON object per line (for services and log shippers)'"
complete -c mcteams -n "__fish_mcteams_using_subcommand mappings; and __fish_seen_subcommand_from list" -l removed -d 'Include removed mappings still waiting for the sync to clear them'
complete -c mcteams -n "__fish_mcteams_using_subcommand mappings; and __fish_seen_subcommand_from list" -s v -l verbose -d 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs'
complete -c mcteams -n "__fish_mcteams_using_subcommand mappings; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)'
complete -c mcteams -n "__fish_mcteams_using_subcommand mappings; and __fish_seen_subcommand_from list" -l no-color -d 'No colors (also with NO_COLOR or CLICOLOR=0, or when stderr is not a terminal)'
complete -c mcteams -n "__fish_mcteams_using_subcommand mappings; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcteams -n "__fish_mcteams_using_subcommand mappings; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c mcteams -n "__fish_mcteams_using_subcommand mappings; and __fish_seen_subcommand_from show" -l config -d 'Configuration file [default: $XDG_CONFIG_HOME/mcteams/config.toml]' -r -F
complete -c mcteams -n "__fish_mcteams_using_subcommand mappings; and __fish_seen_subcommand_from show" -l state -d 'State store: a SQLite file, or postgres://user@host/db (its password from [state] password_env or password_file) [default: config\'s [state] url or path, else $XDG_DATA_HOME/mcteams/state.db]' -r -F
complete -c mcteams -n "__fish_mcteams_using_subcommand mappings; and __fish_seen_subcommand_from show" -s o -l output -d 'Output format for results on stdout' -r -f -a "table\t'Aligned table for people'
json\t'One JSON document'
jsonl\t'One JSON object per line'
csv\t'Comma-separated values with a header'
wide\t'A table with every column, as wide as they need (no column left out, no wrapping)'"
complete -c mcteams -n "__fish_mcteams_using_subcommand mappings; and __fish_seen_subcommand_from show" -l out -d 'Write the results to this file instead of stdout (whole, once the command succeeded; a failed run leaves the file as it was)' -r -F
complete -c mcteams -n "__fish_mcteams_using_subcommand mappings; and __fish_seen_subcommand_from show" -l query -d 'Query a command\'s result (a JMESPath, as CLI for Microsoft 365 and az take it) before it is formatted: -o table|csv show the query\'s result too' -r
complete -c mcteams -n "__fish_mcteams_using_subcommand mappings; and __fish_seen_subcommand_from show" -l log-format -d 'Format of every line on stderr: json makes notes, warnings and errors JSON objects too' -r -f -a "text\t'Human-readable lines'
json\t'One JSON object per line (for services and log shippers)'"
complete -c mcteams -n "__fish_mcteams_using_subcommand mappings; and __fish_seen_subcommand_from show" -s v -l verbose -d 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs'
complete -c mcteams -n "__fish_mcteams_using_subcommand mappings; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)'
complete -c mcteams -n "__fish_mcteams_using_subcommand mappings; and __fish_seen_subcommand_from show" -l no-color -d 'No colors (also with NO_COLOR or CLICOLOR=0, or when stderr is not a terminal)'
complete -c mcteams -n "__fish_mcteams_using_subcommand mappings; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcteams -n "__fish_mcteams_using_subcommand mappings; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c mcteams -n "__fish_mcteams_using_subcommand mappings; and __fish_seen_subcommand_from remove" -l config -d 'Configuration file [default: $XDG_CONFIG_HOME/mcteams/config.toml]' -r -F
complete -c mcteams -n "__fish_mcteams_using_subcommand mappings; and __fish_seen_subcommand_from remove" -l state -d 'State store: a SQLite file, or postgres://user@host/db (its password from [state] password_env or password_file) [default: config\'s [state] url or path, else $XDG_DATA_HOME/mcteams/state.db]' -r -F
complete -c mcteams -n "__fish_mcteams_using_subcommand mappings; and __fish_seen_subcommand_from remove" -s o -l output -d 'Output format for results on stdout' -r -f -a "table\t'Aligned table for people'
json\t'One JSON document'
jsonl\t'One JSON object per line'
csv\t'Comma-separated values with a header'
wide\t'A table with every column, as wide as they need (no column left out, no wrapping)'"
complete -c mcteams -n "__fish_mcteams_using_subcommand mappings; and __fish_seen_subcommand_from remove" -l out -d 'Write the results to this file instead of stdout (whole, once the command succeeded; a failed run leaves the file as it was)' -r -F
complete -c mcteams -n "__fish_mcteams_using_subcommand mappings; and __fish_seen_subcommand_from remove" -l query -d 'Query a command\'s result (a JMESPath, as CLI for Microsoft 365 and az take it) before it is formatted: -o table|csv show the query\'s result too' -r
complete -c mcteams -n "__fish_mcteams_using_subcommand mappings; and __fish_seen_subcommand_from remove" -l log-format -d 'Format of every line on stderr: json makes notes, warnings and errors JSON objects too' -r -f -a "text\t'Human-readable lines'
json\t'One JSON object per line (for services and log shippers)'"
complete -c mcteams -n "__fish_mcteams_using_subcommand mappings; and __fish_seen_subcommand_from remove" -l dry-run -d 'Show what would change, change nothing'
complete -c mcteams -n "__fish_mcteams_using_subcommand mappings; and __fish_seen_subcommand_from remove" -s y -l yes -d 'Do not ask for confirmation (required without a terminal)'
complete -c mcteams -n "__fish_mcteams_using_subcommand mappings; and __fish_seen_subcommand_from remove" -s v -l verbose -d 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs'
complete -c mcteams -n "__fish_mcteams_using_subcommand mappings; and __fish_seen_subcommand_from remove" -s q -l quiet -d 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)'
complete -c mcteams -n "__fish_mcteams_using_subcommand mappings; and __fish_seen_subcommand_from remove" -l no-color -d 'No colors (also with NO_COLOR or CLICOLOR=0, or when stderr is not a terminal)'
complete -c mcteams -n "__fish_mcteams_using_subcommand mappings; and __fish_seen_subcommand_from remove" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcteams -n "__fish_mcteams_using_subcommand mappings; and __fish_seen_subcommand_from remove" -s V -l version -d 'Print version'
complete -c mcteams -n "__fish_mcteams_using_subcommand mappings; and __fish_seen_subcommand_from export" -l config -d 'Configuration file [default: $XDG_CONFIG_HOME/mcteams/config.toml]' -r -F
complete -c mcteams -n "__fish_mcteams_using_subcommand mappings; and __fish_seen_subcommand_from export" -l state -d 'State store: a SQLite file, or postgres://user@host/db (its password from [state] password_env or password_file) [default: config\'s [state] url or path, else $XDG_DATA_HOME/mcteams/state.db]' -r -F
complete -c mcteams -n "__fish_mcteams_using_subcommand mappings; and __fish_seen_subcommand_from export" -s o -l output -d 'Output format for results on stdout' -r -f -a "table\t'Aligned table for people'
json\t'One JSON document'
jsonl\t'One JSON object per line'
csv\t'Comma-separated values with a header'
wide\t'A table with every column, as wide as they need (no column left out, no wrapping)'"
complete -c mcteams -n "__fish_mcteams_using_subcommand mappings; and __fish_seen_subcommand_from export" -l out -d 'Write the results to this file instead of stdout (whole, once the command succeeded; a failed run leaves the file as it was)' -r -F
complete -c mcteams -n "__fish_mcteams_using_subcommand mappings; and __fish_seen_subcommand_from export" -l query -d 'Query a command\'s result (a JMESPath, as CLI for Microsoft 365 and az take it) before it is formatted: -o table|csv show the query\'s result too' -r
complete -c mcteams -n "__fish_mcteams_using_subcommand mappings; and __fish_seen_subcommand_from export" -l log-format -d 'Format of every line on stderr: json makes notes, warnings and errors JSON objects too' -r -f -a "text\t'Human-readable lines'
json\t'One JSON object per line (for services and log shippers)'"
complete -c mcteams -n "__fish_mcteams_using_subcommand mappings; and __fish_seen_subcommand_from export" -s v -l verbose -d 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs'
complete -c mcteams -n "__fish_mcteams_using_subcommand mappings; and __fish_seen_subcommand_from export" -s q -l quiet -d 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)'
complete -c mcteams -n "__fish_mcteams_using_subcommand mappings; and __fish_seen_subcommand_from export" -l no-color -d 'No colors (also with NO_COLOR or CLICOLOR=0, or when stderr is not a terminal)'
complete -c mcteams -n "__fish_mcteams_using_subcommand mappings; and __fish_seen_subcommand_from export" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcteams -n "__fish_mcteams_using_subcommand mappings; and __fish_seen_subcommand_from export" -s V -l version -d 'Print version'
complete -c mcteams -n "__fish_mcteams_using_subcommand mappings; and __fish_seen_subcommand_from discover" -l config -d 'Configuration file [default: $XDG_CONFIG_HOME/mcteams/config.toml]' -r -F
complete -c mcteams -n "__fish_mcteams_using_subcommand mappings; and __fish_seen_subcommand_from discover" -l state -d 'State store: a SQLite file, or postgres://user@host/db (its password from [state] password_env or password_file) [default: config\'s [state] url or path, else $XDG_DATA_HOME/mcteams/state.db]' -r -F
complete -c mcteams -n "__fish_mcteams_using_subcommand mappings; and __fish_seen_subcommand_from discover" -s o -l output -d 'Output format for results on stdout' -r -f -a "table\t'Aligned table for people'
json\t'One JSON document'
jsonl\t'One JSON object per line'
csv\t'Comma-separated values with a header'
wide\t'A table with every column, as wide as they need (no column left out, no wrapping)'"
complete -c mcteams -n "__fish_mcteams_using_subcommand mappings; and __fish_seen_subcommand_from discover" -l out -d 'Write the results to this file instead of stdout (whole, once the command succeeded; a failed run leaves the file as it was)' -r -F
complete -c mcteams -n "__fish_mcteams_using_subcommand mappings; and __fish_seen_subcommand_from discover" -l query -d 'Query a command\'s result (a JMESPath, as CLI for Microsoft 365 and az take it) before it is formatted: -o table|csv show the query\'s result too' -r
complete -c mcteams -n "__fish_mcteams_using_subcommand mappings; and __fish_seen_subcommand_from discover" -l log-format -d 'Format of every line on stderr: json makes notes, warnings and errors JSON objects too' -r -f -a "text\t'Human-readable lines'
json\t'One JSON object per line (for services and log shippers)'"
complete -c mcteams -n "__fish_mcteams_using_subcommand mappings; and __fish_seen_subcommand_from discover" -s v -l verbose -d 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs'
complete -c mcteams -n "__fish_mcteams_using_subcommand mappings; and __fish_seen_subcommand_from discover" -s q -l quiet -d 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)'
complete -c mcteams -n "__fish_mcteams_using_subcommand mappings; and __fish_seen_subcommand_from discover" -l no-color -d 'No colors (also with NO_COLOR or CLICOLOR=0, or when stderr is not a terminal)'
complete -c mcteams -n "__fish_mcteams_using_subcommand mappings; and __fish_seen_subcommand_from discover" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcteams -n "__fish_mcteams_using_subcommand mappings; and __fish_seen_subcommand_from discover" -s V -l version -d 'Print version'
complete -c mcteams -n "__fish_mcteams_using_subcommand mappings; and __fish_seen_subcommand_from help" -f -a "list" -d 'List the stored mappings'
complete -c mcteams -n "__fish_mcteams_using_subcommand mappings; and __fish_seen_subcommand_from help" -f -a "show" -d 'One mapping, with its sync record'
complete -c mcteams -n "__fish_mcteams_using_subcommand mappings; and __fish_seen_subcommand_from help" -f -a "remove" -d 'Remove mappings (kept as tombstones until the sync has cleared what it set)'
complete -c mcteams -n "__fish_mcteams_using_subcommand mappings; and __fish_seen_subcommand_from help" -f -a "export" -d 'Write all mappings as a mapping CSV (the import format)'
complete -c mcteams -n "__fish_mcteams_using_subcommand mappings; and __fish_seen_subcommand_from help" -f -a "discover" -d 'Propose mappings for users not yet mapped, for review and import (with --out, the proposals are a mapping CSV plus confidence and notes, whatever -o says)'
complete -c mcteams -n "__fish_mcteams_using_subcommand mappings; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mcteams -n "__fish_mcteams_using_subcommand sync; and not __fish_seen_subcommand_from approve help" -l interval -d 'Time between cycles in --watch: "auto" (as fast as Graph\'s budget and each system\'s max_rps allow) or a duration [default: config\'s sync.interval, auto]' -r
complete -c mcteams -n "__fish_mcteams_using_subcommand sync; and not __fish_seen_subcommand_from approve help" -l max-changes -d 'Stop when a cycle would make more changes [default: config\'s sync.max_changes]' -r
complete -c mcteams -n "__fish_mcteams_using_subcommand sync; and not __fish_seen_subcommand_from approve help" -l direction -d 'Which way to synchronize' -r -f -a "both\t'Both directions'
teams-to-micollab\t'Teams presence -> MiCollab dynamic status'
pbx-to-teams\t'Phone call/DND state -> Teams presence'"
complete -c mcteams -n "__fish_mcteams_using_subcommand sync; and not __fish_seen_subcommand_from approve help" -l metrics-addr -d 'Serve Prometheus /metrics and /healthz on this address (with --watch)' -r
complete -c mcteams -n "__fish_mcteams_using_subcommand sync; and not __fish_seen_subcommand_from approve help" -l config -d 'Configuration file [default: $XDG_CONFIG_HOME/mcteams/config.toml]' -r -F
complete -c mcteams -n "__fish_mcteams_using_subcommand sync; and not __fish_seen_subcommand_from approve help" -l state -d 'State store: a SQLite file, or postgres://user@host/db (its password from [state] password_env or password_file) [default: config\'s [state] url or path, else $XDG_DATA_HOME/mcteams/state.db]' -r -F
complete -c mcteams -n "__fish_mcteams_using_subcommand sync; and not __fish_seen_subcommand_from approve help" -s o -l output -d 'Output format for results on stdout' -r -f -a "table\t'Aligned table for people'
json\t'One JSON document'
jsonl\t'One JSON object per line'
csv\t'Comma-separated values with a header'
wide\t'A table with every column, as wide as they need (no column left out, no wrapping)'"
complete -c mcteams -n "__fish_mcteams_using_subcommand sync; and not __fish_seen_subcommand_from approve help" -l out -d 'Write the results to this file instead of stdout (whole, once the command succeeded; a failed run leaves the file as it was)' -r -F
complete -c mcteams -n "__fish_mcteams_using_subcommand sync; and not __fish_seen_subcommand_from approve help" -l query -d 'Query a command\'s result (a JMESPath, as CLI for Microsoft 365 and az take it) before it is formatted: -o table|csv show the query\'s result too' -r
complete -c mcteams -n "__fish_mcteams_using_subcommand sync; and not __fish_seen_subcommand_from approve help" -l log-format -d 'Format of every line on stderr: json makes notes, warnings and errors JSON objects too' -r -f -a "text\t'Human-readable lines'
json\t'One JSON object per line (for services and log shippers)'"
complete -c mcteams -n "__fish_mcteams_using_subcommand sync; and not __fish_seen_subcommand_from approve help" -l watch -d 'Keep running, one cycle every --interval'
complete -c mcteams -n "__fish_mcteams_using_subcommand sync; and not __fish_seen_subcommand_from approve help" -l dry-run -d 'Print the plan, write nothing (with --watch: a plan every interval)'
complete -c mcteams -n "__fish_mcteams_using_subcommand sync; and not __fish_seen_subcommand_from approve help" -l force -d 'Go on past the max_changes guard'
complete -c mcteams -n "__fish_mcteams_using_subcommand sync; and not __fish_seen_subcommand_from approve help" -s v -l verbose -d 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs'
complete -c mcteams -n "__fish_mcteams_using_subcommand sync; and not __fish_seen_subcommand_from approve help" -s q -l quiet -d 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)'
complete -c mcteams -n "__fish_mcteams_using_subcommand sync; and not __fish_seen_subcommand_from approve help" -l no-color -d 'No colors (also with NO_COLOR or CLICOLOR=0, or when stderr is not a terminal)'
complete -c mcteams -n "__fish_mcteams_using_subcommand sync; and not __fish_seen_subcommand_from approve help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcteams -n "__fish_mcteams_using_subcommand sync; and not __fish_seen_subcommand_from approve help" -s V -l version -d 'Print version'
complete -c mcteams -n "__fish_mcteams_using_subcommand sync; and not __fish_seen_subcommand_from approve help" -f -a "approve" -d 'Approve the plan the mass-change guard holds: the watch applies those users\' changes'
complete -c mcteams -n "__fish_mcteams_using_subcommand sync; and not __fish_seen_subcommand_from approve help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mcteams -n "__fish_mcteams_using_subcommand sync; and __fish_seen_subcommand_from approve" -l config -d 'Configuration file [default: $XDG_CONFIG_HOME/mcteams/config.toml]' -r -F
complete -c mcteams -n "__fish_mcteams_using_subcommand sync; and __fish_seen_subcommand_from approve" -l state -d 'State store: a SQLite file, or postgres://user@host/db (its password from [state] password_env or password_file) [default: config\'s [state] url or path, else $XDG_DATA_HOME/mcteams/state.db]' -r -F
complete -c mcteams -n "__fish_mcteams_using_subcommand sync; and __fish_seen_subcommand_from approve" -s o -l output -d 'Output format for results on stdout' -r -f -a "table\t'Aligned table for people'
json\t'One JSON document'
jsonl\t'One JSON object per line'
csv\t'Comma-separated values with a header'
wide\t'A table with every column, as wide as they need (no column left out, no wrapping)'"
complete -c mcteams -n "__fish_mcteams_using_subcommand sync; and __fish_seen_subcommand_from approve" -l out -d 'Write the results to this file instead of stdout (whole, once the command succeeded; a failed run leaves the file as it was)' -r -F
complete -c mcteams -n "__fish_mcteams_using_subcommand sync; and __fish_seen_subcommand_from approve" -l query -d 'Query a command\'s result (a JMESPath, as CLI for Microsoft 365 and az take it) before it is formatted: -o table|csv show the query\'s result too' -r
complete -c mcteams -n "__fish_mcteams_using_subcommand sync; and __fish_seen_subcommand_from approve" -l log-format -d 'Format of every line on stderr: json makes notes, warnings and errors JSON objects too' -r -f -a "text\t'Human-readable lines'
json\t'One JSON object per line (for services and log shippers)'"
complete -c mcteams -n "__fish_mcteams_using_subcommand sync; and __fish_seen_subcommand_from approve" -l dry-run -d 'Show what would change, change nothing'
complete -c mcteams -n "__fish_mcteams_using_subcommand sync; and __fish_seen_subcommand_from approve" -s y -l yes -d 'Do not ask for confirmation (required without a terminal)'
complete -c mcteams -n "__fish_mcteams_using_subcommand sync; and __fish_seen_subcommand_from approve" -s v -l verbose -d 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs'
complete -c mcteams -n "__fish_mcteams_using_subcommand sync; and __fish_seen_subcommand_from approve" -s q -l quiet -d 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)'
complete -c mcteams -n "__fish_mcteams_using_subcommand sync; and __fish_seen_subcommand_from approve" -l no-color -d 'No colors (also with NO_COLOR or CLICOLOR=0, or when stderr is not a terminal)'
complete -c mcteams -n "__fish_mcteams_using_subcommand sync; and __fish_seen_subcommand_from approve" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcteams -n "__fish_mcteams_using_subcommand sync; and __fish_seen_subcommand_from approve" -s V -l version -d 'Print version'
complete -c mcteams -n "__fish_mcteams_using_subcommand sync; and __fish_seen_subcommand_from help" -f -a "approve" -d 'Approve the plan the mass-change guard holds: the watch applies those users\' changes'
complete -c mcteams -n "__fish_mcteams_using_subcommand sync; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mcteams -n "__fish_mcteams_using_subcommand release" -l config -d 'Configuration file [default: $XDG_CONFIG_HOME/mcteams/config.toml]' -r -F
complete -c mcteams -n "__fish_mcteams_using_subcommand release" -l state -d 'State store: a SQLite file, or postgres://user@host/db (its password from [state] password_env or password_file) [default: config\'s [state] url or path, else $XDG_DATA_HOME/mcteams/state.db]' -r -F
complete -c mcteams -n "__fish_mcteams_using_subcommand release" -s o -l output -d 'Output format for results on stdout' -r -f -a "table\t'Aligned table for people'
json\t'One JSON document'
jsonl\t'One JSON object per line'
csv\t'Comma-separated values with a header'
wide\t'A table with every column, as wide as they need (no column left out, no wrapping)'"
complete -c mcteams -n "__fish_mcteams_using_subcommand release" -l out -d 'Write the results to this file instead of stdout (whole, once the command succeeded; a failed run leaves the file as it was)' -r -F
complete -c mcteams -n "__fish_mcteams_using_subcommand release" -l query -d 'Query a command\'s result (a JMESPath, as CLI for Microsoft 365 and az take it) before it is formatted: -o table|csv show the query\'s result too' -r
complete -c mcteams -n "__fish_mcteams_using_subcommand release" -l log-format -d 'Format of every line on stderr: json makes notes, warnings and errors JSON objects too' -r -f -a "text\t'Human-readable lines'
json\t'One JSON object per line (for services and log shippers)'"
complete -c mcteams -n "__fish_mcteams_using_subcommand release" -l dry-run -d 'Show what would change, change nothing'
complete -c mcteams -n "__fish_mcteams_using_subcommand release" -s y -l yes -d 'Do not ask for confirmation (required without a terminal)'
complete -c mcteams -n "__fish_mcteams_using_subcommand release" -l directory -d 'Also clear mcteams\' session of every user of the Entra directory, not only of those the store records: the way back after a lost or emptied store (a user without one is left as is)'
complete -c mcteams -n "__fish_mcteams_using_subcommand release" -s v -l verbose -d 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs'
complete -c mcteams -n "__fish_mcteams_using_subcommand release" -s q -l quiet -d 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)'
complete -c mcteams -n "__fish_mcteams_using_subcommand release" -l no-color -d 'No colors (also with NO_COLOR or CLICOLOR=0, or when stderr is not a terminal)'
complete -c mcteams -n "__fish_mcteams_using_subcommand release" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcteams -n "__fish_mcteams_using_subcommand release" -s V -l version -d 'Print version'
complete -c mcteams -n "__fish_mcteams_using_subcommand report" -l reason -d 'Only users with these reason codes (repeatable, or comma-separated)' -r -f -a "teams_micollab_mismatch\t''
pbx_teams_mismatch\t''
dnd_conflict\t''
unmapped_enabled_user\t''
mapping_target_missing\t''
unverified_mapping\t''
integration_disabled\t''
unsupported_system\t''
foreign_writer\t''
held_by_guard\t''
stale\t''
sync_error\t''
in_sync\t''
source_unavailable\t''
teams_unknown\t''
acd_hotdesk_unsynced\t''
client_drift_risk\t''
settling\t''"
complete -c mcteams -n "__fish_mcteams_using_subcommand report" -l user -d 'Only these users (MiCollab login or Teams UPN)' -r
complete -c mcteams -n "__fish_mcteams_using_subcommand report" -l config -d 'Configuration file [default: $XDG_CONFIG_HOME/mcteams/config.toml]' -r -F
complete -c mcteams -n "__fish_mcteams_using_subcommand report" -l state -d 'State store: a SQLite file, or postgres://user@host/db (its password from [state] password_env or password_file) [default: config\'s [state] url or path, else $XDG_DATA_HOME/mcteams/state.db]' -r -F
complete -c mcteams -n "__fish_mcteams_using_subcommand report" -s o -l output -d 'Output format for results on stdout' -r -f -a "table\t'Aligned table for people'
json\t'One JSON document'
jsonl\t'One JSON object per line'
csv\t'Comma-separated values with a header'
wide\t'A table with every column, as wide as they need (no column left out, no wrapping)'"
complete -c mcteams -n "__fish_mcteams_using_subcommand report" -l out -d 'Write the results to this file instead of stdout (whole, once the command succeeded; a failed run leaves the file as it was)' -r -F
complete -c mcteams -n "__fish_mcteams_using_subcommand report" -l query -d 'Query a command\'s result (a JMESPath, as CLI for Microsoft 365 and az take it) before it is formatted: -o table|csv show the query\'s result too' -r
complete -c mcteams -n "__fish_mcteams_using_subcommand report" -l log-format -d 'Format of every line on stderr: json makes notes, warnings and errors JSON objects too' -r -f -a "text\t'Human-readable lines'
json\t'One JSON object per line (for services and log shippers)'"
complete -c mcteams -n "__fish_mcteams_using_subcommand report" -l detailed-exitcode -d 'Exit 4 when any user is out of sync'
complete -c mcteams -n "__fish_mcteams_using_subcommand report" -l from-state -d 'Use the last observations in the store; call no system'
complete -c mcteams -n "__fish_mcteams_using_subcommand report" -l all -d 'Also list users that are in sync'
complete -c mcteams -n "__fish_mcteams_using_subcommand report" -s v -l verbose -d 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs'
complete -c mcteams -n "__fish_mcteams_using_subcommand report" -s q -l quiet -d 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)'
complete -c mcteams -n "__fish_mcteams_using_subcommand report" -l no-color -d 'No colors (also with NO_COLOR or CLICOLOR=0, or when stderr is not a terminal)'
complete -c mcteams -n "__fish_mcteams_using_subcommand report" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcteams -n "__fish_mcteams_using_subcommand report" -s V -l version -d 'Print version'
complete -c mcteams -n "__fish_mcteams_using_subcommand doctor" -l write-check -d 'Also set and clear an app session on this test user' -r
complete -c mcteams -n "__fish_mcteams_using_subcommand doctor" -l config -d 'Configuration file [default: $XDG_CONFIG_HOME/mcteams/config.toml]' -r -F
complete -c mcteams -n "__fish_mcteams_using_subcommand doctor" -l state -d 'State store: a SQLite file, or postgres://user@host/db (its password from [state] password_env or password_file) [default: config\'s [state] url or path, else $XDG_DATA_HOME/mcteams/state.db]' -r -F
complete -c mcteams -n "__fish_mcteams_using_subcommand doctor" -s o -l output -d 'Output format for results on stdout' -r -f -a "table\t'Aligned table for people'
json\t'One JSON document'
jsonl\t'One JSON object per line'
csv\t'Comma-separated values with a header'
wide\t'A table with every column, as wide as they need (no column left out, no wrapping)'"
complete -c mcteams -n "__fish_mcteams_using_subcommand doctor" -l out -d 'Write the results to this file instead of stdout (whole, once the command succeeded; a failed run leaves the file as it was)' -r -F
complete -c mcteams -n "__fish_mcteams_using_subcommand doctor" -l query -d 'Query a command\'s result (a JMESPath, as CLI for Microsoft 365 and az take it) before it is formatted: -o table|csv show the query\'s result too' -r
complete -c mcteams -n "__fish_mcteams_using_subcommand doctor" -l log-format -d 'Format of every line on stderr: json makes notes, warnings and errors JSON objects too' -r -f -a "text\t'Human-readable lines'
json\t'One JSON object per line (for services and log shippers)'"
complete -c mcteams -n "__fish_mcteams_using_subcommand doctor" -s v -l verbose -d 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs'
complete -c mcteams -n "__fish_mcteams_using_subcommand doctor" -s q -l quiet -d 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)'
complete -c mcteams -n "__fish_mcteams_using_subcommand doctor" -l no-color -d 'No colors (also with NO_COLOR or CLICOLOR=0, or when stderr is not a terminal)'
complete -c mcteams -n "__fish_mcteams_using_subcommand doctor" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcteams -n "__fish_mcteams_using_subcommand doctor" -s V -l version -d 'Print version'
complete -c mcteams -n "__fish_mcteams_using_subcommand config; and not __fish_seen_subcommand_from init show check help" -l config -d 'Configuration file [default: $XDG_CONFIG_HOME/mcteams/config.toml]' -r -F
complete -c mcteams -n "__fish_mcteams_using_subcommand config; and not __fish_seen_subcommand_from init show check help" -l state -d 'State store: a SQLite file, or postgres://user@host/db (its password from [state] password_env or password_file) [default: config\'s [state] url or path, else $XDG_DATA_HOME/mcteams/state.db]' -r -F
complete -c mcteams -n "__fish_mcteams_using_subcommand config; and not __fish_seen_subcommand_from init show check help" -s o -l output -d 'Output format for results on stdout' -r -f -a "table\t'Aligned table for people'
json\t'One JSON document'
jsonl\t'One JSON object per line'
csv\t'Comma-separated values with a header'
wide\t'A table with every column, as wide as they need (no column left out, no wrapping)'"
complete -c mcteams -n "__fish_mcteams_using_subcommand config; and not __fish_seen_subcommand_from init show check help" -l out -d 'Write the results to this file instead of stdout (whole, once the command succeeded; a failed run leaves the file as it was)' -r -F
complete -c mcteams -n "__fish_mcteams_using_subcommand config; and not __fish_seen_subcommand_from init show check help" -l query -d 'Query a command\'s result (a JMESPath, as CLI for Microsoft 365 and az take it) before it is formatted: -o table|csv show the query\'s result too' -r
complete -c mcteams -n "__fish_mcteams_using_subcommand config; and not __fish_seen_subcommand_from init show check help" -l log-format -d 'Format of every line on stderr: json makes notes, warnings and errors JSON objects too' -r -f -a "text\t'Human-readable lines'
json\t'One JSON object per line (for services and log shippers)'"
complete -c mcteams -n "__fish_mcteams_using_subcommand config; and not __fish_seen_subcommand_from init show check help" -s v -l verbose -d 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs'
complete -c mcteams -n "__fish_mcteams_using_subcommand config; and not __fish_seen_subcommand_from init show check help" -s q -l quiet -d 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)'
complete -c mcteams -n "__fish_mcteams_using_subcommand config; and not __fish_seen_subcommand_from init show check help" -l no-color -d 'No colors (also with NO_COLOR or CLICOLOR=0, or when stderr is not a terminal)'
complete -c mcteams -n "__fish_mcteams_using_subcommand config; and not __fish_seen_subcommand_from init show check help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcteams -n "__fish_mcteams_using_subcommand config; and not __fish_seen_subcommand_from init show check help" -s V -l version -d 'Print version'
complete -c mcteams -n "__fish_mcteams_using_subcommand config; and not __fish_seen_subcommand_from init show check help" -f -a "init" -d 'Write a commented configuration template'
complete -c mcteams -n "__fish_mcteams_using_subcommand config; and not __fish_seen_subcommand_from init show check help" -f -a "show" -d 'The effective configuration, secrets redacted, and where each value came from'
complete -c mcteams -n "__fish_mcteams_using_subcommand config; and not __fish_seen_subcommand_from init show check help" -f -a "check" -d 'Validate the configuration and read every secret it names'
complete -c mcteams -n "__fish_mcteams_using_subcommand config; and not __fish_seen_subcommand_from init show check help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mcteams -n "__fish_mcteams_using_subcommand config; and __fish_seen_subcommand_from init" -l config -d 'Configuration file [default: $XDG_CONFIG_HOME/mcteams/config.toml]' -r -F
complete -c mcteams -n "__fish_mcteams_using_subcommand config; and __fish_seen_subcommand_from init" -l state -d 'State store: a SQLite file, or postgres://user@host/db (its password from [state] password_env or password_file) [default: config\'s [state] url or path, else $XDG_DATA_HOME/mcteams/state.db]' -r -F
complete -c mcteams -n "__fish_mcteams_using_subcommand config; and __fish_seen_subcommand_from init" -s o -l output -d 'Output format for results on stdout' -r -f -a "table\t'Aligned table for people'
json\t'One JSON document'
jsonl\t'One JSON object per line'
csv\t'Comma-separated values with a header'
wide\t'A table with every column, as wide as they need (no column left out, no wrapping)'"
complete -c mcteams -n "__fish_mcteams_using_subcommand config; and __fish_seen_subcommand_from init" -l out -d 'Write the results to this file instead of stdout (whole, once the command succeeded; a failed run leaves the file as it was)' -r -F
complete -c mcteams -n "__fish_mcteams_using_subcommand config; and __fish_seen_subcommand_from init" -l query -d 'Query a command\'s result (a JMESPath, as CLI for Microsoft 365 and az take it) before it is formatted: -o table|csv show the query\'s result too' -r
complete -c mcteams -n "__fish_mcteams_using_subcommand config; and __fish_seen_subcommand_from init" -l log-format -d 'Format of every line on stderr: json makes notes, warnings and errors JSON objects too' -r -f -a "text\t'Human-readable lines'
json\t'One JSON object per line (for services and log shippers)'"
complete -c mcteams -n "__fish_mcteams_using_subcommand config; and __fish_seen_subcommand_from init" -l force -d 'Overwrite an existing file'
complete -c mcteams -n "__fish_mcteams_using_subcommand config; and __fish_seen_subcommand_from init" -s v -l verbose -d 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs'
complete -c mcteams -n "__fish_mcteams_using_subcommand config; and __fish_seen_subcommand_from init" -s q -l quiet -d 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)'
complete -c mcteams -n "__fish_mcteams_using_subcommand config; and __fish_seen_subcommand_from init" -l no-color -d 'No colors (also with NO_COLOR or CLICOLOR=0, or when stderr is not a terminal)'
complete -c mcteams -n "__fish_mcteams_using_subcommand config; and __fish_seen_subcommand_from init" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcteams -n "__fish_mcteams_using_subcommand config; and __fish_seen_subcommand_from init" -s V -l version -d 'Print version'
complete -c mcteams -n "__fish_mcteams_using_subcommand config; and __fish_seen_subcommand_from show" -l config -d 'Configuration file [default: $XDG_CONFIG_HOME/mcteams/config.toml]' -r -F
complete -c mcteams -n "__fish_mcteams_using_subcommand config; and __fish_seen_subcommand_from show" -l state -d 'State store: a SQLite file, or postgres://user@host/db (its password from [state] password_env or password_file) [default: config\'s [state] url or path, else $XDG_DATA_HOME/mcteams/state.db]' -r -F
complete -c mcteams -n "__fish_mcteams_using_subcommand config; and __fish_seen_subcommand_from show" -s o -l output -d 'Output format for results on stdout' -r -f -a "table\t'Aligned table for people'
json\t'One JSON document'
jsonl\t'One JSON object per line'
csv\t'Comma-separated values with a header'
wide\t'A table with every column, as wide as they need (no column left out, no wrapping)'"
complete -c mcteams -n "__fish_mcteams_using_subcommand config; and __fish_seen_subcommand_from show" -l out -d 'Write the results to this file instead of stdout (whole, once the command succeeded; a failed run leaves the file as it was)' -r -F
complete -c mcteams -n "__fish_mcteams_using_subcommand config; and __fish_seen_subcommand_from show" -l query -d 'Query a command\'s result (a JMESPath, as CLI for Microsoft 365 and az take it) before it is formatted: -o table|csv show the query\'s result too' -r
complete -c mcteams -n "__fish_mcteams_using_subcommand config; and __fish_seen_subcommand_from show" -l log-format -d 'Format of every line on stderr: json makes notes, warnings and errors JSON objects too' -r -f -a "text\t'Human-readable lines'
json\t'One JSON object per line (for services and log shippers)'"
complete -c mcteams -n "__fish_mcteams_using_subcommand config; and __fish_seen_subcommand_from show" -s v -l verbose -d 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs'
complete -c mcteams -n "__fish_mcteams_using_subcommand config; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)'
complete -c mcteams -n "__fish_mcteams_using_subcommand config; and __fish_seen_subcommand_from show" -l no-color -d 'No colors (also with NO_COLOR or CLICOLOR=0, or when stderr is not a terminal)'
complete -c mcteams -n "__fish_mcteams_using_subcommand config; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcteams -n "__fish_mcteams_using_subcommand config; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c mcteams -n "__fish_mcteams_using_subcommand config; and __fish_seen_subcommand_from check" -l config -d 'Configuration file [default: $XDG_CONFIG_HOME/mcteams/config.toml]' -r -F
complete -c mcteams -n "__fish_mcteams_using_subcommand config; and __fish_seen_subcommand_from check" -l state -d 'State store: a SQLite file, or postgres://user@host/db (its password from [state] password_env or password_file) [default: config\'s [state] url or path, else $XDG_DATA_HOME/mcteams/state.db]' -r -F
complete -c mcteams -n "__fish_mcteams_using_subcommand config; and __fish_seen_subcommand_from check" -s o -l output -d 'Output format for results on stdout' -r -f -a "table\t'Aligned table for people'
json\t'One JSON document'
jsonl\t'One JSON object per line'
csv\t'Comma-separated values with a header'
wide\t'A table with every column, as wide as they need (no column left out, no wrapping)'"
complete -c mcteams -n "__fish_mcteams_using_subcommand config; and __fish_seen_subcommand_from check" -l out -d 'Write the results to this file instead of stdout (whole, once the command succeeded; a failed run leaves the file as it was)' -r -F
complete -c mcteams -n "__fish_mcteams_using_subcommand config; and __fish_seen_subcommand_from check" -l query -d 'Query a command\'s result (a JMESPath, as CLI for Microsoft 365 and az take it) before it is formatted: -o table|csv show the query\'s result too' -r
complete -c mcteams -n "__fish_mcteams_using_subcommand config; and __fish_seen_subcommand_from check" -l log-format -d 'Format of every line on stderr: json makes notes, warnings and errors JSON objects too' -r -f -a "text\t'Human-readable lines'
json\t'One JSON object per line (for services and log shippers)'"
complete -c mcteams -n "__fish_mcteams_using_subcommand config; and __fish_seen_subcommand_from check" -s v -l verbose -d 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs'
complete -c mcteams -n "__fish_mcteams_using_subcommand config; and __fish_seen_subcommand_from check" -s q -l quiet -d 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)'
complete -c mcteams -n "__fish_mcteams_using_subcommand config; and __fish_seen_subcommand_from check" -l no-color -d 'No colors (also with NO_COLOR or CLICOLOR=0, or when stderr is not a terminal)'
complete -c mcteams -n "__fish_mcteams_using_subcommand config; and __fish_seen_subcommand_from check" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcteams -n "__fish_mcteams_using_subcommand config; and __fish_seen_subcommand_from check" -s V -l version -d 'Print version'
complete -c mcteams -n "__fish_mcteams_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "init" -d 'Write a commented configuration template'
complete -c mcteams -n "__fish_mcteams_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "show" -d 'The effective configuration, secrets redacted, and where each value came from'
complete -c mcteams -n "__fish_mcteams_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "check" -d 'Validate the configuration and read every secret it names'
complete -c mcteams -n "__fish_mcteams_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mcteams -n "__fish_mcteams_using_subcommand sim; and not __fish_seen_subcommand_from serve help" -l config -d 'Configuration file [default: $XDG_CONFIG_HOME/mcteams/config.toml]' -r -F
complete -c mcteams -n "__fish_mcteams_using_subcommand sim; and not __fish_seen_subcommand_from serve help" -l state -d 'State store: a SQLite file, or postgres://user@host/db (its password from [state] password_env or password_file) [default: config\'s [state] url or path, else $XDG_DATA_HOME/mcteams/state.db]' -r -F
complete -c mcteams -n "__fish_mcteams_using_subcommand sim; and not __fish_seen_subcommand_from serve help" -s o -l output -d 'Output format for results on stdout' -r -f -a "table\t'Aligned table for people'
json\t'One JSON document'
jsonl\t'One JSON object per line'
csv\t'Comma-separated values with a header'
wide\t'A table with every column, as wide as they need (no column left out, no wrapping)'"
complete -c mcteams -n "__fish_mcteams_using_subcommand sim; and not __fish_seen_subcommand_from serve help" -l out -d 'Write the results to this file instead of stdout (whole, once the command succeeded; a failed run leaves the file as it was)' -r -F
complete -c mcteams -n "__fish_mcteams_using_subcommand sim; and not __fish_seen_subcommand_from serve help" -l query -d 'Query a command\'s result (a JMESPath, as CLI for Microsoft 365 and az take it) before it is formatted: -o table|csv show the query\'s result too' -r
complete -c mcteams -n "__fish_mcteams_using_subcommand sim; and not __fish_seen_subcommand_from serve help" -l log-format -d 'Format of every line on stderr: json makes notes, warnings and errors JSON objects too' -r -f -a "text\t'Human-readable lines'
json\t'One JSON object per line (for services and log shippers)'"
complete -c mcteams -n "__fish_mcteams_using_subcommand sim; and not __fish_seen_subcommand_from serve help" -s v -l verbose -d 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs'
complete -c mcteams -n "__fish_mcteams_using_subcommand sim; and not __fish_seen_subcommand_from serve help" -s q -l quiet -d 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)'
complete -c mcteams -n "__fish_mcteams_using_subcommand sim; and not __fish_seen_subcommand_from serve help" -l no-color -d 'No colors (also with NO_COLOR or CLICOLOR=0, or when stderr is not a terminal)'
complete -c mcteams -n "__fish_mcteams_using_subcommand sim; and not __fish_seen_subcommand_from serve help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcteams -n "__fish_mcteams_using_subcommand sim; and not __fish_seen_subcommand_from serve help" -s V -l version -d 'Print version'
complete -c mcteams -n "__fish_mcteams_using_subcommand sim; and not __fish_seen_subcommand_from serve help" -f -a "serve" -d 'Serve the emulator on loopback until SIGINT/SIGTERM'
complete -c mcteams -n "__fish_mcteams_using_subcommand sim; and not __fish_seen_subcommand_from serve help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mcteams -n "__fish_mcteams_using_subcommand sim; and __fish_seen_subcommand_from serve" -l listen -d 'Address to listen on (loopback only; port 0 picks a free one)' -r
complete -c mcteams -n "__fish_mcteams_using_subcommand sim; and __fish_seen_subcommand_from serve" -l users -d 'Number of users in the directory' -r
complete -c mcteams -n "__fish_mcteams_using_subcommand sim; and __fish_seen_subcommand_from serve" -l seed -d 'Seed of the generated directory and of churn (same seed, same data)' -r
complete -c mcteams -n "__fish_mcteams_using_subcommand sim; and __fish_seen_subcommand_from serve" -l latency -d 'Latency added to every request' -r
complete -c mcteams -n "__fish_mcteams_using_subcommand sim; and __fish_seen_subcommand_from serve" -l churn -d 'Percentage of users whose Teams or phone state changes per minute' -r
complete -c mcteams -n "__fish_mcteams_using_subcommand sim; and __fish_seen_subcommand_from serve" -l write-config -d 'Write a complete mcteams config (secrets in files beside it) pointing at the emulator' -r -F
complete -c mcteams -n "__fish_mcteams_using_subcommand sim; and __fish_seen_subcommand_from serve" -l config -d 'Configuration file [default: $XDG_CONFIG_HOME/mcteams/config.toml]' -r -F
complete -c mcteams -n "__fish_mcteams_using_subcommand sim; and __fish_seen_subcommand_from serve" -l state -d 'State store: a SQLite file, or postgres://user@host/db (its password from [state] password_env or password_file) [default: config\'s [state] url or path, else $XDG_DATA_HOME/mcteams/state.db]' -r -F
complete -c mcteams -n "__fish_mcteams_using_subcommand sim; and __fish_seen_subcommand_from serve" -s o -l output -d 'Output format for results on stdout' -r -f -a "table\t'Aligned table for people'
json\t'One JSON document'
jsonl\t'One JSON object per line'
csv\t'Comma-separated values with a header'
wide\t'A table with every column, as wide as they need (no column left out, no wrapping)'"
complete -c mcteams -n "__fish_mcteams_using_subcommand sim; and __fish_seen_subcommand_from serve" -l out -d 'Write the results to this file instead of stdout (whole, once the command succeeded; a failed run leaves the file as it was)' -r -F
complete -c mcteams -n "__fish_mcteams_using_subcommand sim; and __fish_seen_subcommand_from serve" -l query -d 'Query a command\'s result (a JMESPath, as CLI for Microsoft 365 and az take it) before it is formatted: -o table|csv show the query\'s result too' -r
complete -c mcteams -n "__fish_mcteams_using_subcommand sim; and __fish_seen_subcommand_from serve" -l log-format -d 'Format of every line on stderr: json makes notes, warnings and errors JSON objects too' -r -f -a "text\t'Human-readable lines'
json\t'One JSON object per line (for services and log shippers)'"
complete -c mcteams -n "__fish_mcteams_using_subcommand sim; and __fish_seen_subcommand_from serve" -s v -l verbose -d 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs'
complete -c mcteams -n "__fish_mcteams_using_subcommand sim; and __fish_seen_subcommand_from serve" -s q -l quiet -d 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)'
complete -c mcteams -n "__fish_mcteams_using_subcommand sim; and __fish_seen_subcommand_from serve" -l no-color -d 'No colors (also with NO_COLOR or CLICOLOR=0, or when stderr is not a terminal)'
complete -c mcteams -n "__fish_mcteams_using_subcommand sim; and __fish_seen_subcommand_from serve" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcteams -n "__fish_mcteams_using_subcommand sim; and __fish_seen_subcommand_from serve" -s V -l version -d 'Print version'
complete -c mcteams -n "__fish_mcteams_using_subcommand sim; and __fish_seen_subcommand_from help" -f -a "serve" -d 'Serve the emulator on loopback until SIGINT/SIGTERM'
complete -c mcteams -n "__fish_mcteams_using_subcommand sim; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mcteams -n "__fish_mcteams_using_subcommand demo" -l users -d 'Number of users in the demo directory' -r
complete -c mcteams -n "__fish_mcteams_using_subcommand demo" -l config -d 'Configuration file [default: $XDG_CONFIG_HOME/mcteams/config.toml]' -r -F
complete -c mcteams -n "__fish_mcteams_using_subcommand demo" -l state -d 'State store: a SQLite file, or postgres://user@host/db (its password from [state] password_env or password_file) [default: config\'s [state] url or path, else $XDG_DATA_HOME/mcteams/state.db]' -r -F
complete -c mcteams -n "__fish_mcteams_using_subcommand demo" -s o -l output -d 'Output format for results on stdout' -r -f -a "table\t'Aligned table for people'
json\t'One JSON document'
jsonl\t'One JSON object per line'
csv\t'Comma-separated values with a header'
wide\t'A table with every column, as wide as they need (no column left out, no wrapping)'"
complete -c mcteams -n "__fish_mcteams_using_subcommand demo" -l out -d 'Write the results to this file instead of stdout (whole, once the command succeeded; a failed run leaves the file as it was)' -r -F
complete -c mcteams -n "__fish_mcteams_using_subcommand demo" -l query -d 'Query a command\'s result (a JMESPath, as CLI for Microsoft 365 and az take it) before it is formatted: -o table|csv show the query\'s result too' -r
complete -c mcteams -n "__fish_mcteams_using_subcommand demo" -l log-format -d 'Format of every line on stderr: json makes notes, warnings and errors JSON objects too' -r -f -a "text\t'Human-readable lines'
json\t'One JSON object per line (for services and log shippers)'"
complete -c mcteams -n "__fish_mcteams_using_subcommand demo" -s v -l verbose -d 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs'
complete -c mcteams -n "__fish_mcteams_using_subcommand demo" -s q -l quiet -d 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)'
complete -c mcteams -n "__fish_mcteams_using_subcommand demo" -l no-color -d 'No colors (also with NO_COLOR or CLICOLOR=0, or when stderr is not a terminal)'
complete -c mcteams -n "__fish_mcteams_using_subcommand demo" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcteams -n "__fish_mcteams_using_subcommand demo" -s V -l version -d 'Print version'
complete -c mcteams -n "__fish_mcteams_using_subcommand state; and not __fish_seen_subcommand_from check backup rebind migrate help" -l config -d 'Configuration file [default: $XDG_CONFIG_HOME/mcteams/config.toml]' -r -F
complete -c mcteams -n "__fish_mcteams_using_subcommand state; and not __fish_seen_subcommand_from check backup rebind migrate help" -l state -d 'State store: a SQLite file, or postgres://user@host/db (its password from [state] password_env or password_file) [default: config\'s [state] url or path, else $XDG_DATA_HOME/mcteams/state.db]' -r -F
complete -c mcteams -n "__fish_mcteams_using_subcommand state; and not __fish_seen_subcommand_from check backup rebind migrate help" -s o -l output -d 'Output format for results on stdout' -r -f -a "table\t'Aligned table for people'
json\t'One JSON document'
jsonl\t'One JSON object per line'
csv\t'Comma-separated values with a header'
wide\t'A table with every column, as wide as they need (no column left out, no wrapping)'"
complete -c mcteams -n "__fish_mcteams_using_subcommand state; and not __fish_seen_subcommand_from check backup rebind migrate help" -l out -d 'Write the results to this file instead of stdout (whole, once the command succeeded; a failed run leaves the file as it was)' -r -F
complete -c mcteams -n "__fish_mcteams_using_subcommand state; and not __fish_seen_subcommand_from check backup rebind migrate help" -l query -d 'Query a command\'s result (a JMESPath, as CLI for Microsoft 365 and az take it) before it is formatted: -o table|csv show the query\'s result too' -r
complete -c mcteams -n "__fish_mcteams_using_subcommand state; and not __fish_seen_subcommand_from check backup rebind migrate help" -l log-format -d 'Format of every line on stderr: json makes notes, warnings and errors JSON objects too' -r -f -a "text\t'Human-readable lines'
json\t'One JSON object per line (for services and log shippers)'"
complete -c mcteams -n "__fish_mcteams_using_subcommand state; and not __fish_seen_subcommand_from check backup rebind migrate help" -s v -l verbose -d 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs'
complete -c mcteams -n "__fish_mcteams_using_subcommand state; and not __fish_seen_subcommand_from check backup rebind migrate help" -s q -l quiet -d 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)'
complete -c mcteams -n "__fish_mcteams_using_subcommand state; and not __fish_seen_subcommand_from check backup rebind migrate help" -l no-color -d 'No colors (also with NO_COLOR or CLICOLOR=0, or when stderr is not a terminal)'
complete -c mcteams -n "__fish_mcteams_using_subcommand state; and not __fish_seen_subcommand_from check backup rebind migrate help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcteams -n "__fish_mcteams_using_subcommand state; and not __fish_seen_subcommand_from check backup rebind migrate help" -s V -l version -d 'Print version'
complete -c mcteams -n "__fish_mcteams_using_subcommand state; and not __fish_seen_subcommand_from check backup rebind migrate help" -f -a "check" -d 'Check the store: SQLite\'s full integrity check, its schema, estate, permissions, that it can be written, and its mappings (exit 78 when no command could use it)'
complete -c mcteams -n "__fish_mcteams_using_subcommand state; and not __fish_seen_subcommand_from check backup rebind migrate help" -f -a "backup" -d 'Copy the store to a new file, consistent while syncs run (readable by its owner only)'
complete -c mcteams -n "__fish_mcteams_using_subcommand state; and not __fish_seen_subcommand_from check backup rebind migrate help" -f -a "rebind" -d 'Bind the store to the MiCollab server the config names now (the server moved); the tenant stays: another tenant is another estate, with a store of its own'
complete -c mcteams -n "__fish_mcteams_using_subcommand state; and not __fish_seen_subcommand_from check backup rebind migrate help" -f -a "migrate" -d 'Copy this (SQLite) store to a PostgreSQL database, for several `sync --watch` instances: every table in one transaction, each table\'s count checked'
complete -c mcteams -n "__fish_mcteams_using_subcommand state; and not __fish_seen_subcommand_from check backup rebind migrate help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mcteams -n "__fish_mcteams_using_subcommand state; and __fish_seen_subcommand_from check" -l config -d 'Configuration file [default: $XDG_CONFIG_HOME/mcteams/config.toml]' -r -F
complete -c mcteams -n "__fish_mcteams_using_subcommand state; and __fish_seen_subcommand_from check" -l state -d 'State store: a SQLite file, or postgres://user@host/db (its password from [state] password_env or password_file) [default: config\'s [state] url or path, else $XDG_DATA_HOME/mcteams/state.db]' -r -F
complete -c mcteams -n "__fish_mcteams_using_subcommand state; and __fish_seen_subcommand_from check" -s o -l output -d 'Output format for results on stdout' -r -f -a "table\t'Aligned table for people'
json\t'One JSON document'
jsonl\t'One JSON object per line'
csv\t'Comma-separated values with a header'
wide\t'A table with every column, as wide as they need (no column left out, no wrapping)'"
complete -c mcteams -n "__fish_mcteams_using_subcommand state; and __fish_seen_subcommand_from check" -l out -d 'Write the results to this file instead of stdout (whole, once the command succeeded; a failed run leaves the file as it was)' -r -F
complete -c mcteams -n "__fish_mcteams_using_subcommand state; and __fish_seen_subcommand_from check" -l query -d 'Query a command\'s result (a JMESPath, as CLI for Microsoft 365 and az take it) before it is formatted: -o table|csv show the query\'s result too' -r
complete -c mcteams -n "__fish_mcteams_using_subcommand state; and __fish_seen_subcommand_from check" -l log-format -d 'Format of every line on stderr: json makes notes, warnings and errors JSON objects too' -r -f -a "text\t'Human-readable lines'
json\t'One JSON object per line (for services and log shippers)'"
complete -c mcteams -n "__fish_mcteams_using_subcommand state; and __fish_seen_subcommand_from check" -s v -l verbose -d 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs'
complete -c mcteams -n "__fish_mcteams_using_subcommand state; and __fish_seen_subcommand_from check" -s q -l quiet -d 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)'
complete -c mcteams -n "__fish_mcteams_using_subcommand state; and __fish_seen_subcommand_from check" -l no-color -d 'No colors (also with NO_COLOR or CLICOLOR=0, or when stderr is not a terminal)'
complete -c mcteams -n "__fish_mcteams_using_subcommand state; and __fish_seen_subcommand_from check" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcteams -n "__fish_mcteams_using_subcommand state; and __fish_seen_subcommand_from check" -s V -l version -d 'Print version'
complete -c mcteams -n "__fish_mcteams_using_subcommand state; and __fish_seen_subcommand_from backup" -l config -d 'Configuration file [default: $XDG_CONFIG_HOME/mcteams/config.toml]' -r -F
complete -c mcteams -n "__fish_mcteams_using_subcommand state; and __fish_seen_subcommand_from backup" -l state -d 'State store: a SQLite file, or postgres://user@host/db (its password from [state] password_env or password_file) [default: config\'s [state] url or path, else $XDG_DATA_HOME/mcteams/state.db]' -r -F
complete -c mcteams -n "__fish_mcteams_using_subcommand state; and __fish_seen_subcommand_from backup" -s o -l output -d 'Output format for results on stdout' -r -f -a "table\t'Aligned table for people'
json\t'One JSON document'
jsonl\t'One JSON object per line'
csv\t'Comma-separated values with a header'
wide\t'A table with every column, as wide as they need (no column left out, no wrapping)'"
complete -c mcteams -n "__fish_mcteams_using_subcommand state; and __fish_seen_subcommand_from backup" -l out -d 'Write the results to this file instead of stdout (whole, once the command succeeded; a failed run leaves the file as it was)' -r -F
complete -c mcteams -n "__fish_mcteams_using_subcommand state; and __fish_seen_subcommand_from backup" -l query -d 'Query a command\'s result (a JMESPath, as CLI for Microsoft 365 and az take it) before it is formatted: -o table|csv show the query\'s result too' -r
complete -c mcteams -n "__fish_mcteams_using_subcommand state; and __fish_seen_subcommand_from backup" -l log-format -d 'Format of every line on stderr: json makes notes, warnings and errors JSON objects too' -r -f -a "text\t'Human-readable lines'
json\t'One JSON object per line (for services and log shippers)'"
complete -c mcteams -n "__fish_mcteams_using_subcommand state; and __fish_seen_subcommand_from backup" -s v -l verbose -d 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs'
complete -c mcteams -n "__fish_mcteams_using_subcommand state; and __fish_seen_subcommand_from backup" -s q -l quiet -d 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)'
complete -c mcteams -n "__fish_mcteams_using_subcommand state; and __fish_seen_subcommand_from backup" -l no-color -d 'No colors (also with NO_COLOR or CLICOLOR=0, or when stderr is not a terminal)'
complete -c mcteams -n "__fish_mcteams_using_subcommand state; and __fish_seen_subcommand_from backup" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcteams -n "__fish_mcteams_using_subcommand state; and __fish_seen_subcommand_from backup" -s V -l version -d 'Print version'
complete -c mcteams -n "__fish_mcteams_using_subcommand state; and __fish_seen_subcommand_from rebind" -l config -d 'Configuration file [default: $XDG_CONFIG_HOME/mcteams/config.toml]' -r -F
complete -c mcteams -n "__fish_mcteams_using_subcommand state; and __fish_seen_subcommand_from rebind" -l state -d 'State store: a SQLite file, or postgres://user@host/db (its password from [state] password_env or password_file) [default: config\'s [state] url or path, else $XDG_DATA_HOME/mcteams/state.db]' -r -F
complete -c mcteams -n "__fish_mcteams_using_subcommand state; and __fish_seen_subcommand_from rebind" -s o -l output -d 'Output format for results on stdout' -r -f -a "table\t'Aligned table for people'
json\t'One JSON document'
jsonl\t'One JSON object per line'
csv\t'Comma-separated values with a header'
wide\t'A table with every column, as wide as they need (no column left out, no wrapping)'"
complete -c mcteams -n "__fish_mcteams_using_subcommand state; and __fish_seen_subcommand_from rebind" -l out -d 'Write the results to this file instead of stdout (whole, once the command succeeded; a failed run leaves the file as it was)' -r -F
complete -c mcteams -n "__fish_mcteams_using_subcommand state; and __fish_seen_subcommand_from rebind" -l query -d 'Query a command\'s result (a JMESPath, as CLI for Microsoft 365 and az take it) before it is formatted: -o table|csv show the query\'s result too' -r
complete -c mcteams -n "__fish_mcteams_using_subcommand state; and __fish_seen_subcommand_from rebind" -l log-format -d 'Format of every line on stderr: json makes notes, warnings and errors JSON objects too' -r -f -a "text\t'Human-readable lines'
json\t'One JSON object per line (for services and log shippers)'"
complete -c mcteams -n "__fish_mcteams_using_subcommand state; and __fish_seen_subcommand_from rebind" -l dry-run -d 'Show what would change, change nothing'
complete -c mcteams -n "__fish_mcteams_using_subcommand state; and __fish_seen_subcommand_from rebind" -s y -l yes -d 'Do not ask for confirmation (required without a terminal)'
complete -c mcteams -n "__fish_mcteams_using_subcommand state; and __fish_seen_subcommand_from rebind" -s v -l verbose -d 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs'
complete -c mcteams -n "__fish_mcteams_using_subcommand state; and __fish_seen_subcommand_from rebind" -s q -l quiet -d 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)'
complete -c mcteams -n "__fish_mcteams_using_subcommand state; and __fish_seen_subcommand_from rebind" -l no-color -d 'No colors (also with NO_COLOR or CLICOLOR=0, or when stderr is not a terminal)'
complete -c mcteams -n "__fish_mcteams_using_subcommand state; and __fish_seen_subcommand_from rebind" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcteams -n "__fish_mcteams_using_subcommand state; and __fish_seen_subcommand_from rebind" -s V -l version -d 'Print version'
complete -c mcteams -n "__fish_mcteams_using_subcommand state; and __fish_seen_subcommand_from migrate" -l to -d 'The PostgreSQL database (postgres://user@host/db; TLS verified unless on this host)' -r
complete -c mcteams -n "__fish_mcteams_using_subcommand state; and __fish_seen_subcommand_from migrate" -l config -d 'Configuration file [default: $XDG_CONFIG_HOME/mcteams/config.toml]' -r -F
complete -c mcteams -n "__fish_mcteams_using_subcommand state; and __fish_seen_subcommand_from migrate" -l state -d 'State store: a SQLite file, or postgres://user@host/db (its password from [state] password_env or password_file) [default: config\'s [state] url or path, else $XDG_DATA_HOME/mcteams/state.db]' -r -F
complete -c mcteams -n "__fish_mcteams_using_subcommand state; and __fish_seen_subcommand_from migrate" -s o -l output -d 'Output format for results on stdout' -r -f -a "table\t'Aligned table for people'
json\t'One JSON document'
jsonl\t'One JSON object per line'
csv\t'Comma-separated values with a header'
wide\t'A table with every column, as wide as they need (no column left out, no wrapping)'"
complete -c mcteams -n "__fish_mcteams_using_subcommand state; and __fish_seen_subcommand_from migrate" -l out -d 'Write the results to this file instead of stdout (whole, once the command succeeded; a failed run leaves the file as it was)' -r -F
complete -c mcteams -n "__fish_mcteams_using_subcommand state; and __fish_seen_subcommand_from migrate" -l query -d 'Query a command\'s result (a JMESPath, as CLI for Microsoft 365 and az take it) before it is formatted: -o table|csv show the query\'s result too' -r
complete -c mcteams -n "__fish_mcteams_using_subcommand state; and __fish_seen_subcommand_from migrate" -l log-format -d 'Format of every line on stderr: json makes notes, warnings and errors JSON objects too' -r -f -a "text\t'Human-readable lines'
json\t'One JSON object per line (for services and log shippers)'"
complete -c mcteams -n "__fish_mcteams_using_subcommand state; and __fish_seen_subcommand_from migrate" -l force -d 'Replace a store already in the target (asks first on a terminal)'
complete -c mcteams -n "__fish_mcteams_using_subcommand state; and __fish_seen_subcommand_from migrate" -l dry-run -d 'Show what would change, change nothing'
complete -c mcteams -n "__fish_mcteams_using_subcommand state; and __fish_seen_subcommand_from migrate" -s y -l yes -d 'Do not ask for confirmation (required without a terminal)'
complete -c mcteams -n "__fish_mcteams_using_subcommand state; and __fish_seen_subcommand_from migrate" -s v -l verbose -d 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs'
complete -c mcteams -n "__fish_mcteams_using_subcommand state; and __fish_seen_subcommand_from migrate" -s q -l quiet -d 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)'
complete -c mcteams -n "__fish_mcteams_using_subcommand state; and __fish_seen_subcommand_from migrate" -l no-color -d 'No colors (also with NO_COLOR or CLICOLOR=0, or when stderr is not a terminal)'
complete -c mcteams -n "__fish_mcteams_using_subcommand state; and __fish_seen_subcommand_from migrate" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcteams -n "__fish_mcteams_using_subcommand state; and __fish_seen_subcommand_from migrate" -s V -l version -d 'Print version'
complete -c mcteams -n "__fish_mcteams_using_subcommand state; and __fish_seen_subcommand_from help" -f -a "check" -d 'Check the store: SQLite\'s full integrity check, its schema, estate, permissions, that it can be written, and its mappings (exit 78 when no command could use it)'
complete -c mcteams -n "__fish_mcteams_using_subcommand state; and __fish_seen_subcommand_from help" -f -a "backup" -d 'Copy the store to a new file, consistent while syncs run (readable by its owner only)'
complete -c mcteams -n "__fish_mcteams_using_subcommand state; and __fish_seen_subcommand_from help" -f -a "rebind" -d 'Bind the store to the MiCollab server the config names now (the server moved); the tenant stays: another tenant is another estate, with a store of its own'
complete -c mcteams -n "__fish_mcteams_using_subcommand state; and __fish_seen_subcommand_from help" -f -a "migrate" -d 'Copy this (SQLite) store to a PostgreSQL database, for several `sync --watch` instances: every table in one transaction, each table\'s count checked'
complete -c mcteams -n "__fish_mcteams_using_subcommand state; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mcteams -n "__fish_mcteams_using_subcommand history" -l since -d 'Only entries since this time: RFC 3339 (2026-12-01T08:00:00Z) or an age (90m, 24h, 7d)' -r
complete -c mcteams -n "__fish_mcteams_using_subcommand history" -l user -d 'Only this user (MiCollab login or Teams UPN), or object (a profile\'s name)' -r
complete -c mcteams -n "__fish_mcteams_using_subcommand history" -l run -d 'Only the entries of this run' -r
complete -c mcteams -n "__fish_mcteams_using_subcommand history" -l limit -d 'At most this many entries, the newest' -r
complete -c mcteams -n "__fish_mcteams_using_subcommand history" -l config -d 'Configuration file [default: $XDG_CONFIG_HOME/mcteams/config.toml]' -r -F
complete -c mcteams -n "__fish_mcteams_using_subcommand history" -l state -d 'State store: a SQLite file, or postgres://user@host/db (its password from [state] password_env or password_file) [default: config\'s [state] url or path, else $XDG_DATA_HOME/mcteams/state.db]' -r -F
complete -c mcteams -n "__fish_mcteams_using_subcommand history" -s o -l output -d 'Output format for results on stdout' -r -f -a "table\t'Aligned table for people'
json\t'One JSON document'
jsonl\t'One JSON object per line'
csv\t'Comma-separated values with a header'
wide\t'A table with every column, as wide as they need (no column left out, no wrapping)'"
complete -c mcteams -n "__fish_mcteams_using_subcommand history" -l out -d 'Write the results to this file instead of stdout (whole, once the command succeeded; a failed run leaves the file as it was)' -r -F
complete -c mcteams -n "__fish_mcteams_using_subcommand history" -l query -d 'Query a command\'s result (a JMESPath, as CLI for Microsoft 365 and az take it) before it is formatted: -o table|csv show the query\'s result too' -r
complete -c mcteams -n "__fish_mcteams_using_subcommand history" -l log-format -d 'Format of every line on stderr: json makes notes, warnings and errors JSON objects too' -r -f -a "text\t'Human-readable lines'
json\t'One JSON object per line (for services and log shippers)'"
complete -c mcteams -n "__fish_mcteams_using_subcommand history" -s v -l verbose -d 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs'
complete -c mcteams -n "__fish_mcteams_using_subcommand history" -s q -l quiet -d 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)'
complete -c mcteams -n "__fish_mcteams_using_subcommand history" -l no-color -d 'No colors (also with NO_COLOR or CLICOLOR=0, or when stderr is not a terminal)'
complete -c mcteams -n "__fish_mcteams_using_subcommand history" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcteams -n "__fish_mcteams_using_subcommand history" -s V -l version -d 'Print version'
complete -c mcteams -n "__fish_mcteams_using_subcommand completion" -l config -d 'Configuration file [default: $XDG_CONFIG_HOME/mcteams/config.toml]' -r -F
complete -c mcteams -n "__fish_mcteams_using_subcommand completion" -l state -d 'State store: a SQLite file, or postgres://user@host/db (its password from [state] password_env or password_file) [default: config\'s [state] url or path, else $XDG_DATA_HOME/mcteams/state.db]' -r -F
complete -c mcteams -n "__fish_mcteams_using_subcommand completion" -s o -l output -d 'Output format for results on stdout' -r -f -a "table\t'Aligned table for people'
json\t'One JSON document'
jsonl\t'One JSON object per line'
csv\t'Comma-separated values with a header'
wide\t'A table with every column, as wide as they need (no column left out, no wrapping)'"
complete -c mcteams -n "__fish_mcteams_using_subcommand completion" -l out -d 'Write the results to this file instead of stdout (whole, once the command succeeded; a failed run leaves the file as it was)' -r -F
complete -c mcteams -n "__fish_mcteams_using_subcommand completion" -l query -d 'Query a command\'s result (a JMESPath, as CLI for Microsoft 365 and az take it) before it is formatted: -o table|csv show the query\'s result too' -r
complete -c mcteams -n "__fish_mcteams_using_subcommand completion" -l log-format -d 'Format of every line on stderr: json makes notes, warnings and errors JSON objects too' -r -f -a "text\t'Human-readable lines'
json\t'One JSON object per line (for services and log shippers)'"
complete -c mcteams -n "__fish_mcteams_using_subcommand completion" -s v -l verbose -d 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs'
complete -c mcteams -n "__fish_mcteams_using_subcommand completion" -s q -l quiet -d 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)'
complete -c mcteams -n "__fish_mcteams_using_subcommand completion" -l no-color -d 'No colors (also with NO_COLOR or CLICOLOR=0, or when stderr is not a terminal)'
complete -c mcteams -n "__fish_mcteams_using_subcommand completion" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcteams -n "__fish_mcteams_using_subcommand completion" -s V -l version -d 'Print version'
complete -c mcteams -n "__fish_mcteams_using_subcommand generate" -l out -d 'Directory that receives completions/ and man/' -r -F
complete -c mcteams -n "__fish_mcteams_using_subcommand generate" -l config -d 'Configuration file [default: $XDG_CONFIG_HOME/mcteams/config.toml]' -r -F
complete -c mcteams -n "__fish_mcteams_using_subcommand generate" -l state -d 'State store: a SQLite file, or postgres://user@host/db (its password from [state] password_env or password_file) [default: config\'s [state] url or path, else $XDG_DATA_HOME/mcteams/state.db]' -r -F
complete -c mcteams -n "__fish_mcteams_using_subcommand generate" -s o -l output -d 'Output format for results on stdout' -r -f -a "table\t'Aligned table for people'
json\t'One JSON document'
jsonl\t'One JSON object per line'
csv\t'Comma-separated values with a header'
wide\t'A table with every column, as wide as they need (no column left out, no wrapping)'"
complete -c mcteams -n "__fish_mcteams_using_subcommand generate" -l query -d 'Query a command\'s result (a JMESPath, as CLI for Microsoft 365 and az take it) before it is formatted: -o table|csv show the query\'s result too' -r
complete -c mcteams -n "__fish_mcteams_using_subcommand generate" -l log-format -d 'Format of every line on stderr: json makes notes, warnings and errors JSON objects too' -r -f -a "text\t'Human-readable lines'
json\t'One JSON object per line (for services and log shippers)'"
complete -c mcteams -n "__fish_mcteams_using_subcommand generate" -s v -l verbose -d 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs'
complete -c mcteams -n "__fish_mcteams_using_subcommand generate" -s q -l quiet -d 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)'
complete -c mcteams -n "__fish_mcteams_using_subcommand generate" -l no-color -d 'No colors (also with NO_COLOR or CLICOLOR=0, or when stderr is not a terminal)'
complete -c mcteams -n "__fish_mcteams_using_subcommand generate" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcteams -n "__fish_mcteams_using_subcommand generate" -s V -l version -d 'Print version'
complete -c mcteams -n "__fish_mcteams_using_subcommand help; and not __fish_seen_subcommand_from profile user status import mappings sync release report doctor config sim demo state history completion generate help" -f -a "profile" -d 'Turn Teams presence on or off for MiCollab user profiles'
complete -c mcteams -n "__fish_mcteams_using_subcommand help; and not __fish_seen_subcommand_from profile user status import mappings sync release report doctor config sim demo state history completion generate help" -f -a "user" -d 'Turn the per-user "Microsoft Teams status" checkbox on or off'
complete -c mcteams -n "__fish_mcteams_using_subcommand help; and not __fish_seen_subcommand_from profile user status import mappings sync release report doctor config sim demo state history completion generate help" -f -a "status" -d 'Settings of the Teams-managed statuses of a profile'
complete -c mcteams -n "__fish_mcteams_using_subcommand help; and not __fish_seen_subcommand_from profile user status import mappings sync release report doctor config sim demo state history completion generate help" -f -a "import" -d 'Import user mappings (MiCollab login <-> Teams user <-> extension) from CSV'
complete -c mcteams -n "__fish_mcteams_using_subcommand help; and not __fish_seen_subcommand_from profile user status import mappings sync release report doctor config sim demo state history completion generate help" -f -a "mappings" -d 'List, show, remove, export and discover user mappings'
complete -c mcteams -n "__fish_mcteams_using_subcommand help; and not __fish_seen_subcommand_from profile user status import mappings sync release report doctor config sim demo state history completion generate help" -f -a "sync" -d 'Synchronize presence: Teams -> MiCollab and phone -> Teams'
complete -c mcteams -n "__fish_mcteams_using_subcommand help; and not __fish_seen_subcommand_from profile user status import mappings sync release report doctor config sim demo state history completion generate help" -f -a "release" -d 'Clear everything mcteams set in Teams (its app sessions), with a preview'
complete -c mcteams -n "__fish_mcteams_using_subcommand help; and not __fish_seen_subcommand_from profile user status import mappings sync release report doctor config sim demo state history completion generate help" -f -a "report" -d 'Who is out of sync, why, and what to do about it'
complete -c mcteams -n "__fish_mcteams_using_subcommand help; and not __fish_seen_subcommand_from profile user status import mappings sync release report doctor config sim demo state history completion generate help" -f -a "doctor" -d 'Check reachability, TLS, credentials, versions, permissions and clock of every system'
complete -c mcteams -n "__fish_mcteams_using_subcommand help; and not __fish_seen_subcommand_from profile user status import mappings sync release report doctor config sim demo state history completion generate help" -f -a "config" -d 'Create, show and check the configuration file'
complete -c mcteams -n "__fish_mcteams_using_subcommand help; and not __fish_seen_subcommand_from profile user status import mappings sync release report doctor config sim demo state history completion generate help" -f -a "sim" -d 'The local emulator of Graph, MiCollab, MiVoice Business and CloudLink'
complete -c mcteams -n "__fish_mcteams_using_subcommand help; and not __fish_seen_subcommand_from profile user status import mappings sync release report doctor config sim demo state history completion generate help" -f -a "demo" -d 'The whole job against an in-process emulator, step by step'
complete -c mcteams -n "__fish_mcteams_using_subcommand help; and not __fish_seen_subcommand_from profile user status import mappings sync release report doctor config sim demo state history completion generate help" -f -a "state" -d 'Check, back up or rebind the state store'
complete -c mcteams -n "__fish_mcteams_using_subcommand help; and not __fish_seen_subcommand_from profile user status import mappings sync release report doctor config sim demo state history completion generate help" -f -a "history" -d 'The audit trail: every admin change (old -> new) and every write a sync sent, newest first'
complete -c mcteams -n "__fish_mcteams_using_subcommand help; and not __fish_seen_subcommand_from profile user status import mappings sync release report doctor config sim demo state history completion generate help" -f -a "completion" -d 'Print a shell completion script (static: a tab press never calls a server)'
complete -c mcteams -n "__fish_mcteams_using_subcommand help; and not __fish_seen_subcommand_from profile user status import mappings sync release report doctor config sim demo state history completion generate help" -f -a "generate" -d 'Write shell completions and man pages (for packaging)'
complete -c mcteams -n "__fish_mcteams_using_subcommand help; and not __fish_seen_subcommand_from profile user status import mappings sync release report doctor config sim demo state history completion generate help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mcteams -n "__fish_mcteams_using_subcommand help; and __fish_seen_subcommand_from profile" -f -a "list" -d 'List user profiles: Teams presence on/off, default or custom, user count'
complete -c mcteams -n "__fish_mcteams_using_subcommand help; and __fish_seen_subcommand_from profile" -f -a "show" -d 'A profile\'s settings, Teams-managed statuses and users'
complete -c mcteams -n "__fish_mcteams_using_subcommand help; and __fish_seen_subcommand_from profile" -f -a "enable" -d 'Turn Teams presence on for every user of a profile'
complete -c mcteams -n "__fish_mcteams_using_subcommand help; and __fish_seen_subcommand_from profile" -f -a "disable" -d 'Turn Teams presence off for a profile; users get their own statuses back'
complete -c mcteams -n "__fish_mcteams_using_subcommand help; and __fish_seen_subcommand_from user" -f -a "enable" -d 'Check "Microsoft Teams status" for users'
complete -c mcteams -n "__fish_mcteams_using_subcommand help; and __fish_seen_subcommand_from user" -f -a "disable" -d 'Uncheck "Microsoft Teams status" for users'
complete -c mcteams -n "__fish_mcteams_using_subcommand help; and __fish_seen_subcommand_from user" -f -a "show" -d 'Everything about one user across the four systems: the mapping, the Teams flag, Teams presence and mcteams\' session, the phone, the MiCollab status, the last sync and its last writes, and the reasons the report gives'
complete -c mcteams -n "__fish_mcteams_using_subcommand help; and __fish_seen_subcommand_from user" -f -a "list" -d 'The users the report knows (mapped, or with Teams presence on), a line each'
complete -c mcteams -n "__fish_mcteams_using_subcommand help; and __fish_seen_subcommand_from status" -f -a "list" -d 'The Teams-managed statuses of a profile and their settings'
complete -c mcteams -n "__fish_mcteams_using_subcommand help; and __fish_seen_subcommand_from status" -f -a "set" -d 'Change settings of a Teams-managed status (never its name or Do-not-disturb)'
complete -c mcteams -n "__fish_mcteams_using_subcommand help; and __fish_seen_subcommand_from status" -f -a "add" -d 'Add a status: always refused while Teams manages the statuses'
complete -c mcteams -n "__fish_mcteams_using_subcommand help; and __fish_seen_subcommand_from mappings" -f -a "list" -d 'List the stored mappings'
complete -c mcteams -n "__fish_mcteams_using_subcommand help; and __fish_seen_subcommand_from mappings" -f -a "show" -d 'One mapping, with its sync record'
complete -c mcteams -n "__fish_mcteams_using_subcommand help; and __fish_seen_subcommand_from mappings" -f -a "remove" -d 'Remove mappings (kept as tombstones until the sync has cleared what it set)'
complete -c mcteams -n "__fish_mcteams_using_subcommand help; and __fish_seen_subcommand_from mappings" -f -a "export" -d 'Write all mappings as a mapping CSV (the import format)'
complete -c mcteams -n "__fish_mcteams_using_subcommand help; and __fish_seen_subcommand_from mappings" -f -a "discover" -d 'Propose mappings for users not yet mapped, for review and import (with --out, the proposals are a mapping CSV plus confidence and notes, whatever -o says)'
complete -c mcteams -n "__fish_mcteams_using_subcommand help; and __fish_seen_subcommand_from sync" -f -a "approve" -d 'Approve the plan the mass-change guard holds: the watch applies those users\' changes'
complete -c mcteams -n "__fish_mcteams_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "init" -d 'Write a commented configuration template'
complete -c mcteams -n "__fish_mcteams_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "show" -d 'The effective configuration, secrets redacted, and where each value came from'
complete -c mcteams -n "__fish_mcteams_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "check" -d 'Validate the configuration and read every secret it names'
complete -c mcteams -n "__fish_mcteams_using_subcommand help; and __fish_seen_subcommand_from sim" -f -a "serve" -d 'Serve the emulator on loopback until SIGINT/SIGTERM'
complete -c mcteams -n "__fish_mcteams_using_subcommand help; and __fish_seen_subcommand_from state" -f -a "check" -d 'Check the store: SQLite\'s full integrity check, its schema, estate, permissions, that it can be written, and its mappings (exit 78 when no command could use it)'
complete -c mcteams -n "__fish_mcteams_using_subcommand help; and __fish_seen_subcommand_from state" -f -a "backup" -d 'Copy the store to a new file, consistent while syncs run (readable by its owner only)'
complete -c mcteams -n "__fish_mcteams_using_subcommand help; and __fish_seen_subcommand_from state" -f -a "rebind" -d 'Bind the store to the MiCollab server the config names now (the server moved); the tenant stays: another tenant is another estate, with a store of its own'
complete -c mcteams -n "__fish_mcteams_using_subcommand help; and __fish_seen_subcommand_from state" -f -a "migrate" -d 'Copy this (SQLite) store to a PostgreSQL database, for several `sync --watch` instances: every table in one transaction, each table\'s count checked'
