
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'mcteams' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'mcteams'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'mcteams' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: $XDG_CONFIG_HOME/mcteams/config.toml]')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'State store: a SQLite file, or postgres://user@host/db (its password from [state] password_env or password_file) [default: config''s [state] url or path, else $XDG_DATA_HOME/mcteams/state.db]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format for results on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format for results on stdout')
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Write the results to this file instead of stdout (whole, once the command succeeded; a failed run leaves the file as it was)')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'Query a command''s result (a JMESPath, as CLI for Microsoft 365 and az take it) before it is formatted: -o table|csv show the query''s result too')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Format of every line on stderr: json makes notes, warnings and errors JSON objects too')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colors (also with NO_COLOR or CLICOLOR=0, or when stderr is not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('profile', 'profile', [CompletionResultType]::ParameterValue, 'Turn Teams presence on or off for MiCollab user profiles')
            [CompletionResult]::new('user', 'user', [CompletionResultType]::ParameterValue, 'Turn the per-user "Microsoft Teams status" checkbox on or off')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Settings of the Teams-managed statuses of a profile')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Import user mappings (MiCollab login <-> Teams user <-> extension) from CSV')
            [CompletionResult]::new('mappings', 'mappings', [CompletionResultType]::ParameterValue, 'List, show, remove, export and discover user mappings')
            [CompletionResult]::new('sync', 'sync', [CompletionResultType]::ParameterValue, 'Synchronize presence: Teams -> MiCollab and phone -> Teams')
            [CompletionResult]::new('release', 'release', [CompletionResultType]::ParameterValue, 'Clear everything mcteams set in Teams (its app sessions), with a preview')
            [CompletionResult]::new('report', 'report', [CompletionResultType]::ParameterValue, 'Who is out of sync, why, and what to do about it')
            [CompletionResult]::new('doctor', 'doctor', [CompletionResultType]::ParameterValue, 'Check reachability, TLS, credentials, versions, permissions and clock of every system')
            [CompletionResult]::new('config', 'config', [CompletionResultType]::ParameterValue, 'Create, show and check the configuration file')
            [CompletionResult]::new('sim', 'sim', [CompletionResultType]::ParameterValue, 'The local emulator of Graph, MiCollab, MiVoice Business and CloudLink')
            [CompletionResult]::new('demo', 'demo', [CompletionResultType]::ParameterValue, 'The whole job against an in-process emulator, step by step')
            [CompletionResult]::new('state', 'state', [CompletionResultType]::ParameterValue, 'Check, back up or rebind the state store')
            [CompletionResult]::new('history', 'history', [CompletionResultType]::ParameterValue, 'The audit trail: every admin change (old -> new) and every write a sync sent, newest first')
            [CompletionResult]::new('completion', 'completion', [CompletionResultType]::ParameterValue, 'Print a shell completion script (static: a tab press never calls a server)')
            [CompletionResult]::new('generate', 'generate', [CompletionResultType]::ParameterValue, 'Write shell completions and man pages (for packaging)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'mcteams;profile' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: $XDG_CONFIG_HOME/mcteams/config.toml]')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'State store: a SQLite file, or postgres://user@host/db (its password from [state] password_env or password_file) [default: config''s [state] url or path, else $XDG_DATA_HOME/mcteams/state.db]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format for results on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format for results on stdout')
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Write the results to this file instead of stdout (whole, once the command succeeded; a failed run leaves the file as it was)')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'Query a command''s result (a JMESPath, as CLI for Microsoft 365 and az take it) before it is formatted: -o table|csv show the query''s result too')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Format of every line on stderr: json makes notes, warnings and errors JSON objects too')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colors (also with NO_COLOR or CLICOLOR=0, or when stderr is not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List user profiles: Teams presence on/off, default or custom, user count')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'A profile''s settings, Teams-managed statuses and users')
            [CompletionResult]::new('enable', 'enable', [CompletionResultType]::ParameterValue, 'Turn Teams presence on for every user of a profile')
            [CompletionResult]::new('disable', 'disable', [CompletionResultType]::ParameterValue, 'Turn Teams presence off for a profile; users get their own statuses back')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'mcteams;profile;list' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: $XDG_CONFIG_HOME/mcteams/config.toml]')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'State store: a SQLite file, or postgres://user@host/db (its password from [state] password_env or password_file) [default: config''s [state] url or path, else $XDG_DATA_HOME/mcteams/state.db]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format for results on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format for results on stdout')
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Write the results to this file instead of stdout (whole, once the command succeeded; a failed run leaves the file as it was)')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'Query a command''s result (a JMESPath, as CLI for Microsoft 365 and az take it) before it is formatted: -o table|csv show the query''s result too')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Format of every line on stderr: json makes notes, warnings and errors JSON objects too')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colors (also with NO_COLOR or CLICOLOR=0, or when stderr is not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mcteams;profile;show' {
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'How many users to list')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: $XDG_CONFIG_HOME/mcteams/config.toml]')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'State store: a SQLite file, or postgres://user@host/db (its password from [state] password_env or password_file) [default: config''s [state] url or path, else $XDG_DATA_HOME/mcteams/state.db]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format for results on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format for results on stdout')
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Write the results to this file instead of stdout (whole, once the command succeeded; a failed run leaves the file as it was)')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'Query a command''s result (a JMESPath, as CLI for Microsoft 365 and az take it) before it is formatted: -o table|csv show the query''s result too')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Format of every line on stderr: json makes notes, warnings and errors JSON objects too')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'List every user, not only the first ones')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colors (also with NO_COLOR or CLICOLOR=0, or when stderr is not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mcteams;profile;enable' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: $XDG_CONFIG_HOME/mcteams/config.toml]')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'State store: a SQLite file, or postgres://user@host/db (its password from [state] password_env or password_file) [default: config''s [state] url or path, else $XDG_DATA_HOME/mcteams/state.db]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format for results on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format for results on stdout')
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Write the results to this file instead of stdout (whole, once the command succeeded; a failed run leaves the file as it was)')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'Query a command''s result (a JMESPath, as CLI for Microsoft 365 and az take it) before it is formatted: -o table|csv show the query''s result too')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Format of every line on stderr: json makes notes, warnings and errors JSON objects too')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Go on past the max_changes guard')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change, change nothing')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (required without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (required without a terminal)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colors (also with NO_COLOR or CLICOLOR=0, or when stderr is not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mcteams;profile;disable' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: $XDG_CONFIG_HOME/mcteams/config.toml]')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'State store: a SQLite file, or postgres://user@host/db (its password from [state] password_env or password_file) [default: config''s [state] url or path, else $XDG_DATA_HOME/mcteams/state.db]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format for results on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format for results on stdout')
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Write the results to this file instead of stdout (whole, once the command succeeded; a failed run leaves the file as it was)')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'Query a command''s result (a JMESPath, as CLI for Microsoft 365 and az take it) before it is formatted: -o table|csv show the query''s result too')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Format of every line on stderr: json makes notes, warnings and errors JSON objects too')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Go on past the max_changes guard')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change, change nothing')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (required without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (required without a terminal)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colors (also with NO_COLOR or CLICOLOR=0, or when stderr is not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mcteams;profile;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List user profiles: Teams presence on/off, default or custom, user count')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'A profile''s settings, Teams-managed statuses and users')
            [CompletionResult]::new('enable', 'enable', [CompletionResultType]::ParameterValue, 'Turn Teams presence on for every user of a profile')
            [CompletionResult]::new('disable', 'disable', [CompletionResultType]::ParameterValue, 'Turn Teams presence off for a profile; users get their own statuses back')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'mcteams;profile;help;list' {
            break
        }
        'mcteams;profile;help;show' {
            break
        }
        'mcteams;profile;help;enable' {
            break
        }
        'mcteams;profile;help;disable' {
            break
        }
        'mcteams;profile;help;help' {
            break
        }
        'mcteams;user' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: $XDG_CONFIG_HOME/mcteams/config.toml]')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'State store: a SQLite file, or postgres://user@host/db (its password from [state] password_env or password_file) [default: config''s [state] url or path, else $XDG_DATA_HOME/mcteams/state.db]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format for results on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format for results on stdout')
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Write the results to this file instead of stdout (whole, once the command succeeded; a failed run leaves the file as it was)')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'Query a command''s result (a JMESPath, as CLI for Microsoft 365 and az take it) before it is formatted: -o table|csv show the query''s result too')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Format of every line on stderr: json makes notes, warnings and errors JSON objects too')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colors (also with NO_COLOR or CLICOLOR=0, or when stderr is not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('enable', 'enable', [CompletionResultType]::ParameterValue, 'Check "Microsoft Teams status" for users')
            [CompletionResult]::new('disable', 'disable', [CompletionResultType]::ParameterValue, 'Uncheck "Microsoft Teams status" for users')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Everything about one user across the four systems: the mapping, the Teams flag, Teams presence and mcteams'' session, the phone, the MiCollab status, the last sync and its last writes, and the reasons the report gives')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'The users the report knows (mapped, or with Teams presence on), a line each')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'mcteams;user;enable' {
            [CompletionResult]::new('--from-csv', '--from-csv', [CompletionResultType]::ParameterName, 'Take the logins from the micollab_login column of a CSV file (a mapping CSV works as is)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: $XDG_CONFIG_HOME/mcteams/config.toml]')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'State store: a SQLite file, or postgres://user@host/db (its password from [state] password_env or password_file) [default: config''s [state] url or path, else $XDG_DATA_HOME/mcteams/state.db]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format for results on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format for results on stdout')
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Write the results to this file instead of stdout (whole, once the command succeeded; a failed run leaves the file as it was)')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'Query a command''s result (a JMESPath, as CLI for Microsoft 365 and az take it) before it is formatted: -o table|csv show the query''s result too')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Format of every line on stderr: json makes notes, warnings and errors JSON objects too')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Go on past the max_changes guard')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change, change nothing')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (required without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (required without a terminal)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colors (also with NO_COLOR or CLICOLOR=0, or when stderr is not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mcteams;user;disable' {
            [CompletionResult]::new('--from-csv', '--from-csv', [CompletionResultType]::ParameterName, 'Take the logins from the micollab_login column of a CSV file (a mapping CSV works as is)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: $XDG_CONFIG_HOME/mcteams/config.toml]')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'State store: a SQLite file, or postgres://user@host/db (its password from [state] password_env or password_file) [default: config''s [state] url or path, else $XDG_DATA_HOME/mcteams/state.db]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format for results on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format for results on stdout')
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Write the results to this file instead of stdout (whole, once the command succeeded; a failed run leaves the file as it was)')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'Query a command''s result (a JMESPath, as CLI for Microsoft 365 and az take it) before it is formatted: -o table|csv show the query''s result too')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Format of every line on stderr: json makes notes, warnings and errors JSON objects too')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Go on past the max_changes guard')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change, change nothing')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (required without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (required without a terminal)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colors (also with NO_COLOR or CLICOLOR=0, or when stderr is not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mcteams;user;show' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: $XDG_CONFIG_HOME/mcteams/config.toml]')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'State store: a SQLite file, or postgres://user@host/db (its password from [state] password_env or password_file) [default: config''s [state] url or path, else $XDG_DATA_HOME/mcteams/state.db]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format for results on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format for results on stdout')
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Write the results to this file instead of stdout (whole, once the command succeeded; a failed run leaves the file as it was)')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'Query a command''s result (a JMESPath, as CLI for Microsoft 365 and az take it) before it is formatted: -o table|csv show the query''s result too')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Format of every line on stderr: json makes notes, warnings and errors JSON objects too')
            [CompletionResult]::new('--from-state', '--from-state', [CompletionResultType]::ParameterName, 'The store''s last observations instead of reading the systems')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colors (also with NO_COLOR or CLICOLOR=0, or when stderr is not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mcteams;user;list' {
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Only users of this MiCollab profile')
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Only users with these reason codes (repeatable, or comma-separated)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: $XDG_CONFIG_HOME/mcteams/config.toml]')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'State store: a SQLite file, or postgres://user@host/db (its password from [state] password_env or password_file) [default: config''s [state] url or path, else $XDG_DATA_HOME/mcteams/state.db]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format for results on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format for results on stdout')
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Write the results to this file instead of stdout (whole, once the command succeeded; a failed run leaves the file as it was)')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'Query a command''s result (a JMESPath, as CLI for Microsoft 365 and az take it) before it is formatted: -o table|csv show the query''s result too')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Format of every line on stderr: json makes notes, warnings and errors JSON objects too')
            [CompletionResult]::new('--from-state', '--from-state', [CompletionResultType]::ParameterName, 'The store''s last observations instead of reading the systems')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colors (also with NO_COLOR or CLICOLOR=0, or when stderr is not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mcteams;user;help' {
            [CompletionResult]::new('enable', 'enable', [CompletionResultType]::ParameterValue, 'Check "Microsoft Teams status" for users')
            [CompletionResult]::new('disable', 'disable', [CompletionResultType]::ParameterValue, 'Uncheck "Microsoft Teams status" for users')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Everything about one user across the four systems: the mapping, the Teams flag, Teams presence and mcteams'' session, the phone, the MiCollab status, the last sync and its last writes, and the reasons the report gives')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'The users the report knows (mapped, or with Teams presence on), a line each')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'mcteams;user;help;enable' {
            break
        }
        'mcteams;user;help;disable' {
            break
        }
        'mcteams;user;help;show' {
            break
        }
        'mcteams;user;help;list' {
            break
        }
        'mcteams;user;help;help' {
            break
        }
        'mcteams;status' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: $XDG_CONFIG_HOME/mcteams/config.toml]')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'State store: a SQLite file, or postgres://user@host/db (its password from [state] password_env or password_file) [default: config''s [state] url or path, else $XDG_DATA_HOME/mcteams/state.db]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format for results on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format for results on stdout')
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Write the results to this file instead of stdout (whole, once the command succeeded; a failed run leaves the file as it was)')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'Query a command''s result (a JMESPath, as CLI for Microsoft 365 and az take it) before it is formatted: -o table|csv show the query''s result too')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Format of every line on stderr: json makes notes, warnings and errors JSON objects too')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colors (also with NO_COLOR or CLICOLOR=0, or when stderr is not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'The Teams-managed statuses of a profile and their settings')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Change settings of a Teams-managed status (never its name or Do-not-disturb)')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add a status: always refused while Teams manages the statuses')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'mcteams;status;list' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: $XDG_CONFIG_HOME/mcteams/config.toml]')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'State store: a SQLite file, or postgres://user@host/db (its password from [state] password_env or password_file) [default: config''s [state] url or path, else $XDG_DATA_HOME/mcteams/state.db]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format for results on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format for results on stdout')
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Write the results to this file instead of stdout (whole, once the command succeeded; a failed run leaves the file as it was)')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'Query a command''s result (a JMESPath, as CLI for Microsoft 365 and az take it) before it is formatted: -o table|csv show the query''s result too')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Format of every line on stderr: json makes notes, warnings and errors JSON objects too')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colors (also with NO_COLOR or CLICOLOR=0, or when stderr is not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mcteams;status;set' {
            [CompletionResult]::new('--call-routing', '--call-routing', [CompletionResultType]::ParameterName, 'Where calls go in this status (e.g. voicemail, desk, mobile, or a number)')
            [CompletionResult]::new('--message', '--message', [CompletionResultType]::ParameterName, 'Status message shown to other users')
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'New name: always refused, Teams owns the names')
            [CompletionResult]::new('--dnd', '--dnd', [CompletionResultType]::ParameterName, 'Do-not-disturb setting: always refused, it is not editable for Teams statuses')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: $XDG_CONFIG_HOME/mcteams/config.toml]')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'State store: a SQLite file, or postgres://user@host/db (its password from [state] password_env or password_file) [default: config''s [state] url or path, else $XDG_DATA_HOME/mcteams/state.db]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format for results on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format for results on stdout')
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Write the results to this file instead of stdout (whole, once the command succeeded; a failed run leaves the file as it was)')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'Query a command''s result (a JMESPath, as CLI for Microsoft 365 and az take it) before it is formatted: -o table|csv show the query''s result too')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Format of every line on stderr: json makes notes, warnings and errors JSON objects too')
            [CompletionResult]::new('--override-users', '--override-users', [CompletionResultType]::ParameterName, 'Also overwrite users'' own changes of this status''s settings')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change, change nothing')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (required without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (required without a terminal)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colors (also with NO_COLOR or CLICOLOR=0, or when stderr is not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mcteams;status;add' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: $XDG_CONFIG_HOME/mcteams/config.toml]')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'State store: a SQLite file, or postgres://user@host/db (its password from [state] password_env or password_file) [default: config''s [state] url or path, else $XDG_DATA_HOME/mcteams/state.db]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format for results on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format for results on stdout')
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Write the results to this file instead of stdout (whole, once the command succeeded; a failed run leaves the file as it was)')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'Query a command''s result (a JMESPath, as CLI for Microsoft 365 and az take it) before it is formatted: -o table|csv show the query''s result too')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Format of every line on stderr: json makes notes, warnings and errors JSON objects too')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colors (also with NO_COLOR or CLICOLOR=0, or when stderr is not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mcteams;status;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'The Teams-managed statuses of a profile and their settings')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Change settings of a Teams-managed status (never its name or Do-not-disturb)')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add a status: always refused while Teams manages the statuses')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'mcteams;status;help;list' {
            break
        }
        'mcteams;status;help;set' {
            break
        }
        'mcteams;status;help;add' {
            break
        }
        'mcteams;status;help;help' {
            break
        }
        'mcteams;import' {
            [CompletionResult]::new('--results', '--results', [CompletionResultType]::ParameterName, 'Write a result per row (input columns + row,action,status,error_code,message)')
            [CompletionResult]::new('--max-deletes', '--max-deletes', [CompletionResultType]::ParameterName, 'Stop when --prune would remove more [default: 50 or 10% of mappings, the smaller]')
            [CompletionResult]::new('--columns', '--columns', [CompletionResultType]::ParameterName, 'Map other header names: their_name=our_name,...')
            [CompletionResult]::new('--delimiter', '--delimiter', [CompletionResultType]::ParameterName, 'Field delimiter [default: detected, '','' or '';'']')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: $XDG_CONFIG_HOME/mcteams/config.toml]')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'State store: a SQLite file, or postgres://user@host/db (its password from [state] password_env or password_file) [default: config''s [state] url or path, else $XDG_DATA_HOME/mcteams/state.db]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format for results on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format for results on stdout')
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Write the results to this file instead of stdout (whole, once the command succeeded; a failed run leaves the file as it was)')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'Query a command''s result (a JMESPath, as CLI for Microsoft 365 and az take it) before it is formatted: -o table|csv show the query''s result too')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Format of every line on stderr: json makes notes, warnings and errors JSON objects too')
            [CompletionResult]::new('--only-failed', '--only-failed', [CompletionResultType]::ParameterName, 'Only failed rows in --results (fix them and import that file as is)')
            [CompletionResult]::new('--prune', '--prune', [CompletionResultType]::ParameterName, 'Remove mappings that are not in the file')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Go on past the --max-deletes guard')
            [CompletionResult]::new('--strict', '--strict', [CompletionResultType]::ParameterName, 'Apply nothing when any row fails')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Do not check rows against the systems (mappings stored as unverified)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change, change nothing')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (required without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (required without a terminal)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colors (also with NO_COLOR or CLICOLOR=0, or when stderr is not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mcteams;mappings' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: $XDG_CONFIG_HOME/mcteams/config.toml]')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'State store: a SQLite file, or postgres://user@host/db (its password from [state] password_env or password_file) [default: config''s [state] url or path, else $XDG_DATA_HOME/mcteams/state.db]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format for results on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format for results on stdout')
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Write the results to this file instead of stdout (whole, once the command succeeded; a failed run leaves the file as it was)')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'Query a command''s result (a JMESPath, as CLI for Microsoft 365 and az take it) before it is formatted: -o table|csv show the query''s result too')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Format of every line on stderr: json makes notes, warnings and errors JSON objects too')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colors (also with NO_COLOR or CLICOLOR=0, or when stderr is not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the stored mappings')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'One mapping, with its sync record')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove mappings (kept as tombstones until the sync has cleared what it set)')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Write all mappings as a mapping CSV (the import format)')
            [CompletionResult]::new('discover', 'discover', [CompletionResultType]::ParameterValue, 'Propose mappings for users not yet mapped, for review and import (with --out, the proposals are a mapping CSV plus confidence and notes, whatever -o says)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'mcteams;mappings;list' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: $XDG_CONFIG_HOME/mcteams/config.toml]')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'State store: a SQLite file, or postgres://user@host/db (its password from [state] password_env or password_file) [default: config''s [state] url or path, else $XDG_DATA_HOME/mcteams/state.db]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format for results on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format for results on stdout')
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Write the results to this file instead of stdout (whole, once the command succeeded; a failed run leaves the file as it was)')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'Query a command''s result (a JMESPath, as CLI for Microsoft 365 and az take it) before it is formatted: -o table|csv show the query''s result too')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Format of every line on stderr: json makes notes, warnings and errors JSON objects too')
            [CompletionResult]::new('--removed', '--removed', [CompletionResultType]::ParameterName, 'Include removed mappings still waiting for the sync to clear them')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colors (also with NO_COLOR or CLICOLOR=0, or when stderr is not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mcteams;mappings;show' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: $XDG_CONFIG_HOME/mcteams/config.toml]')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'State store: a SQLite file, or postgres://user@host/db (its password from [state] password_env or password_file) [default: config''s [state] url or path, else $XDG_DATA_HOME/mcteams/state.db]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format for results on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format for results on stdout')
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Write the results to this file instead of stdout (whole, once the command succeeded; a failed run leaves the file as it was)')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'Query a command''s result (a JMESPath, as CLI for Microsoft 365 and az take it) before it is formatted: -o table|csv show the query''s result too')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Format of every line on stderr: json makes notes, warnings and errors JSON objects too')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colors (also with NO_COLOR or CLICOLOR=0, or when stderr is not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mcteams;mappings;remove' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: $XDG_CONFIG_HOME/mcteams/config.toml]')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'State store: a SQLite file, or postgres://user@host/db (its password from [state] password_env or password_file) [default: config''s [state] url or path, else $XDG_DATA_HOME/mcteams/state.db]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format for results on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format for results on stdout')
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Write the results to this file instead of stdout (whole, once the command succeeded; a failed run leaves the file as it was)')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'Query a command''s result (a JMESPath, as CLI for Microsoft 365 and az take it) before it is formatted: -o table|csv show the query''s result too')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Format of every line on stderr: json makes notes, warnings and errors JSON objects too')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change, change nothing')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (required without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (required without a terminal)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colors (also with NO_COLOR or CLICOLOR=0, or when stderr is not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mcteams;mappings;export' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: $XDG_CONFIG_HOME/mcteams/config.toml]')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'State store: a SQLite file, or postgres://user@host/db (its password from [state] password_env or password_file) [default: config''s [state] url or path, else $XDG_DATA_HOME/mcteams/state.db]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format for results on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format for results on stdout')
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Write the results to this file instead of stdout (whole, once the command succeeded; a failed run leaves the file as it was)')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'Query a command''s result (a JMESPath, as CLI for Microsoft 365 and az take it) before it is formatted: -o table|csv show the query''s result too')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Format of every line on stderr: json makes notes, warnings and errors JSON objects too')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colors (also with NO_COLOR or CLICOLOR=0, or when stderr is not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mcteams;mappings;discover' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: $XDG_CONFIG_HOME/mcteams/config.toml]')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'State store: a SQLite file, or postgres://user@host/db (its password from [state] password_env or password_file) [default: config''s [state] url or path, else $XDG_DATA_HOME/mcteams/state.db]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format for results on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format for results on stdout')
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Write the results to this file instead of stdout (whole, once the command succeeded; a failed run leaves the file as it was)')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'Query a command''s result (a JMESPath, as CLI for Microsoft 365 and az take it) before it is formatted: -o table|csv show the query''s result too')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Format of every line on stderr: json makes notes, warnings and errors JSON objects too')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colors (also with NO_COLOR or CLICOLOR=0, or when stderr is not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mcteams;mappings;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the stored mappings')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'One mapping, with its sync record')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove mappings (kept as tombstones until the sync has cleared what it set)')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Write all mappings as a mapping CSV (the import format)')
            [CompletionResult]::new('discover', 'discover', [CompletionResultType]::ParameterValue, 'Propose mappings for users not yet mapped, for review and import (with --out, the proposals are a mapping CSV plus confidence and notes, whatever -o says)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'mcteams;mappings;help;list' {
            break
        }
        'mcteams;mappings;help;show' {
            break
        }
        'mcteams;mappings;help;remove' {
            break
        }
        'mcteams;mappings;help;export' {
            break
        }
        'mcteams;mappings;help;discover' {
            break
        }
        'mcteams;mappings;help;help' {
            break
        }
        'mcteams;sync' {
            [CompletionResult]::new('--interval', '--interval', [CompletionResultType]::ParameterName, 'Time between cycles in --watch: "auto" (as fast as Graph''s budget and each system''s max_rps allow) or a duration [default: config''s sync.interval, auto]')
            [CompletionResult]::new('--max-changes', '--max-changes', [CompletionResultType]::ParameterName, 'Stop when a cycle would make more changes [default: config''s sync.max_changes]')
            [CompletionResult]::new('--direction', '--direction', [CompletionResultType]::ParameterName, 'Which way to synchronize')
            [CompletionResult]::new('--metrics-addr', '--metrics-addr', [CompletionResultType]::ParameterName, 'Serve Prometheus /metrics and /healthz on this address (with --watch)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: $XDG_CONFIG_HOME/mcteams/config.toml]')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'State store: a SQLite file, or postgres://user@host/db (its password from [state] password_env or password_file) [default: config''s [state] url or path, else $XDG_DATA_HOME/mcteams/state.db]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format for results on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format for results on stdout')
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Write the results to this file instead of stdout (whole, once the command succeeded; a failed run leaves the file as it was)')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'Query a command''s result (a JMESPath, as CLI for Microsoft 365 and az take it) before it is formatted: -o table|csv show the query''s result too')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Format of every line on stderr: json makes notes, warnings and errors JSON objects too')
            [CompletionResult]::new('--watch', '--watch', [CompletionResultType]::ParameterName, 'Keep running, one cycle every --interval')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the plan, write nothing (with --watch: a plan every interval)')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Go on past the max_changes guard')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colors (also with NO_COLOR or CLICOLOR=0, or when stderr is not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('approve', 'approve', [CompletionResultType]::ParameterValue, 'Approve the plan the mass-change guard holds: the watch applies those users'' changes')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'mcteams;sync;approve' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: $XDG_CONFIG_HOME/mcteams/config.toml]')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'State store: a SQLite file, or postgres://user@host/db (its password from [state] password_env or password_file) [default: config''s [state] url or path, else $XDG_DATA_HOME/mcteams/state.db]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format for results on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format for results on stdout')
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Write the results to this file instead of stdout (whole, once the command succeeded; a failed run leaves the file as it was)')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'Query a command''s result (a JMESPath, as CLI for Microsoft 365 and az take it) before it is formatted: -o table|csv show the query''s result too')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Format of every line on stderr: json makes notes, warnings and errors JSON objects too')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change, change nothing')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (required without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (required without a terminal)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colors (also with NO_COLOR or CLICOLOR=0, or when stderr is not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mcteams;sync;help' {
            [CompletionResult]::new('approve', 'approve', [CompletionResultType]::ParameterValue, 'Approve the plan the mass-change guard holds: the watch applies those users'' changes')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'mcteams;sync;help;approve' {
            break
        }
        'mcteams;sync;help;help' {
            break
        }
        'mcteams;release' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: $XDG_CONFIG_HOME/mcteams/config.toml]')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'State store: a SQLite file, or postgres://user@host/db (its password from [state] password_env or password_file) [default: config''s [state] url or path, else $XDG_DATA_HOME/mcteams/state.db]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format for results on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format for results on stdout')
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Write the results to this file instead of stdout (whole, once the command succeeded; a failed run leaves the file as it was)')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'Query a command''s result (a JMESPath, as CLI for Microsoft 365 and az take it) before it is formatted: -o table|csv show the query''s result too')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Format of every line on stderr: json makes notes, warnings and errors JSON objects too')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change, change nothing')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (required without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (required without a terminal)')
            [CompletionResult]::new('--directory', '--directory', [CompletionResultType]::ParameterName, 'Also clear mcteams'' session of every user of the Entra directory, not only of those the store records: the way back after a lost or emptied store (a user without one is left as is)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colors (also with NO_COLOR or CLICOLOR=0, or when stderr is not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mcteams;report' {
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Only users with these reason codes (repeatable, or comma-separated)')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'Only these users (MiCollab login or Teams UPN)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: $XDG_CONFIG_HOME/mcteams/config.toml]')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'State store: a SQLite file, or postgres://user@host/db (its password from [state] password_env or password_file) [default: config''s [state] url or path, else $XDG_DATA_HOME/mcteams/state.db]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format for results on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format for results on stdout')
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Write the results to this file instead of stdout (whole, once the command succeeded; a failed run leaves the file as it was)')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'Query a command''s result (a JMESPath, as CLI for Microsoft 365 and az take it) before it is formatted: -o table|csv show the query''s result too')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Format of every line on stderr: json makes notes, warnings and errors JSON objects too')
            [CompletionResult]::new('--detailed-exitcode', '--detailed-exitcode', [CompletionResultType]::ParameterName, 'Exit 4 when any user is out of sync')
            [CompletionResult]::new('--from-state', '--from-state', [CompletionResultType]::ParameterName, 'Use the last observations in the store; call no system')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Also list users that are in sync')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colors (also with NO_COLOR or CLICOLOR=0, or when stderr is not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mcteams;doctor' {
            [CompletionResult]::new('--write-check', '--write-check', [CompletionResultType]::ParameterName, 'Also set and clear an app session on this test user')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: $XDG_CONFIG_HOME/mcteams/config.toml]')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'State store: a SQLite file, or postgres://user@host/db (its password from [state] password_env or password_file) [default: config''s [state] url or path, else $XDG_DATA_HOME/mcteams/state.db]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format for results on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format for results on stdout')
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Write the results to this file instead of stdout (whole, once the command succeeded; a failed run leaves the file as it was)')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'Query a command''s result (a JMESPath, as CLI for Microsoft 365 and az take it) before it is formatted: -o table|csv show the query''s result too')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Format of every line on stderr: json makes notes, warnings and errors JSON objects too')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colors (also with NO_COLOR or CLICOLOR=0, or when stderr is not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mcteams;config' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: $XDG_CONFIG_HOME/mcteams/config.toml]')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'State store: a SQLite file, or postgres://user@host/db (its password from [state] password_env or password_file) [default: config''s [state] url or path, else $XDG_DATA_HOME/mcteams/state.db]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format for results on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format for results on stdout')
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Write the results to this file instead of stdout (whole, once the command succeeded; a failed run leaves the file as it was)')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'Query a command''s result (a JMESPath, as CLI for Microsoft 365 and az take it) before it is formatted: -o table|csv show the query''s result too')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Format of every line on stderr: json makes notes, warnings and errors JSON objects too')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colors (also with NO_COLOR or CLICOLOR=0, or when stderr is not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Write a commented configuration template')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'The effective configuration, secrets redacted, and where each value came from')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Validate the configuration and read every secret it names')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'mcteams;config;init' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: $XDG_CONFIG_HOME/mcteams/config.toml]')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'State store: a SQLite file, or postgres://user@host/db (its password from [state] password_env or password_file) [default: config''s [state] url or path, else $XDG_DATA_HOME/mcteams/state.db]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format for results on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format for results on stdout')
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Write the results to this file instead of stdout (whole, once the command succeeded; a failed run leaves the file as it was)')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'Query a command''s result (a JMESPath, as CLI for Microsoft 365 and az take it) before it is formatted: -o table|csv show the query''s result too')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Format of every line on stderr: json makes notes, warnings and errors JSON objects too')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Overwrite an existing file')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colors (also with NO_COLOR or CLICOLOR=0, or when stderr is not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mcteams;config;show' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: $XDG_CONFIG_HOME/mcteams/config.toml]')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'State store: a SQLite file, or postgres://user@host/db (its password from [state] password_env or password_file) [default: config''s [state] url or path, else $XDG_DATA_HOME/mcteams/state.db]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format for results on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format for results on stdout')
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Write the results to this file instead of stdout (whole, once the command succeeded; a failed run leaves the file as it was)')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'Query a command''s result (a JMESPath, as CLI for Microsoft 365 and az take it) before it is formatted: -o table|csv show the query''s result too')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Format of every line on stderr: json makes notes, warnings and errors JSON objects too')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colors (also with NO_COLOR or CLICOLOR=0, or when stderr is not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mcteams;config;check' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: $XDG_CONFIG_HOME/mcteams/config.toml]')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'State store: a SQLite file, or postgres://user@host/db (its password from [state] password_env or password_file) [default: config''s [state] url or path, else $XDG_DATA_HOME/mcteams/state.db]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format for results on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format for results on stdout')
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Write the results to this file instead of stdout (whole, once the command succeeded; a failed run leaves the file as it was)')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'Query a command''s result (a JMESPath, as CLI for Microsoft 365 and az take it) before it is formatted: -o table|csv show the query''s result too')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Format of every line on stderr: json makes notes, warnings and errors JSON objects too')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colors (also with NO_COLOR or CLICOLOR=0, or when stderr is not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mcteams;config;help' {
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Write a commented configuration template')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'The effective configuration, secrets redacted, and where each value came from')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Validate the configuration and read every secret it names')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'mcteams;config;help;init' {
            break
        }
        'mcteams;config;help;show' {
            break
        }
        'mcteams;config;help;check' {
            break
        }
        'mcteams;config;help;help' {
            break
        }
        'mcteams;sim' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: $XDG_CONFIG_HOME/mcteams/config.toml]')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'State store: a SQLite file, or postgres://user@host/db (its password from [state] password_env or password_file) [default: config''s [state] url or path, else $XDG_DATA_HOME/mcteams/state.db]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format for results on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format for results on stdout')
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Write the results to this file instead of stdout (whole, once the command succeeded; a failed run leaves the file as it was)')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'Query a command''s result (a JMESPath, as CLI for Microsoft 365 and az take it) before it is formatted: -o table|csv show the query''s result too')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Format of every line on stderr: json makes notes, warnings and errors JSON objects too')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colors (also with NO_COLOR or CLICOLOR=0, or when stderr is not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Serve the emulator on loopback until SIGINT/SIGTERM')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'mcteams;sim;serve' {
            [CompletionResult]::new('--listen', '--listen', [CompletionResultType]::ParameterName, 'Address to listen on (loopback only; port 0 picks a free one)')
            [CompletionResult]::new('--users', '--users', [CompletionResultType]::ParameterName, 'Number of users in the directory')
            [CompletionResult]::new('--seed', '--seed', [CompletionResultType]::ParameterName, 'Seed of the generated directory and of churn (same seed, same data)')
            [CompletionResult]::new('--latency', '--latency', [CompletionResultType]::ParameterName, 'Latency added to every request')
            [CompletionResult]::new('--churn', '--churn', [CompletionResultType]::ParameterName, 'Percentage of users whose Teams or phone state changes per minute')
            [CompletionResult]::new('--write-config', '--write-config', [CompletionResultType]::ParameterName, 'Write a complete mcteams config (secrets in files beside it) pointing at the emulator')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: $XDG_CONFIG_HOME/mcteams/config.toml]')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'State store: a SQLite file, or postgres://user@host/db (its password from [state] password_env or password_file) [default: config''s [state] url or path, else $XDG_DATA_HOME/mcteams/state.db]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format for results on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format for results on stdout')
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Write the results to this file instead of stdout (whole, once the command succeeded; a failed run leaves the file as it was)')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'Query a command''s result (a JMESPath, as CLI for Microsoft 365 and az take it) before it is formatted: -o table|csv show the query''s result too')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Format of every line on stderr: json makes notes, warnings and errors JSON objects too')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colors (also with NO_COLOR or CLICOLOR=0, or when stderr is not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mcteams;sim;help' {
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Serve the emulator on loopback until SIGINT/SIGTERM')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'mcteams;sim;help;serve' {
            break
        }
        'mcteams;sim;help;help' {
            break
        }
        'mcteams;demo' {
            [CompletionResult]::new('--users', '--users', [CompletionResultType]::ParameterName, 'Number of users in the demo directory')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: $XDG_CONFIG_HOME/mcteams/config.toml]')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'State store: a SQLite file, or postgres://user@host/db (its password from [state] password_env or password_file) [default: config''s [state] url or path, else $XDG_DATA_HOME/mcteams/state.db]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format for results on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format for results on stdout')
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Write the results to this file instead of stdout (whole, once the command succeeded; a failed run leaves the file as it was)')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'Query a command''s result (a JMESPath, as CLI for Microsoft 365 and az take it) before it is formatted: -o table|csv show the query''s result too')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Format of every line on stderr: json makes notes, warnings and errors JSON objects too')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colors (also with NO_COLOR or CLICOLOR=0, or when stderr is not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mcteams;state' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: $XDG_CONFIG_HOME/mcteams/config.toml]')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'State store: a SQLite file, or postgres://user@host/db (its password from [state] password_env or password_file) [default: config''s [state] url or path, else $XDG_DATA_HOME/mcteams/state.db]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format for results on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format for results on stdout')
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Write the results to this file instead of stdout (whole, once the command succeeded; a failed run leaves the file as it was)')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'Query a command''s result (a JMESPath, as CLI for Microsoft 365 and az take it) before it is formatted: -o table|csv show the query''s result too')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Format of every line on stderr: json makes notes, warnings and errors JSON objects too')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colors (also with NO_COLOR or CLICOLOR=0, or when stderr is not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Check the store: SQLite''s full integrity check, its schema, estate, permissions, that it can be written, and its mappings (exit 78 when no command could use it)')
            [CompletionResult]::new('backup', 'backup', [CompletionResultType]::ParameterValue, 'Copy the store to a new file, consistent while syncs run (readable by its owner only)')
            [CompletionResult]::new('rebind', 'rebind', [CompletionResultType]::ParameterValue, 'Bind the store to the MiCollab server the config names now (the server moved); the tenant stays: another tenant is another estate, with a store of its own')
            [CompletionResult]::new('migrate', 'migrate', [CompletionResultType]::ParameterValue, 'Copy this (SQLite) store to a PostgreSQL database, for several `sync --watch` instances: every table in one transaction, each table''s count checked')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'mcteams;state;check' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: $XDG_CONFIG_HOME/mcteams/config.toml]')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'State store: a SQLite file, or postgres://user@host/db (its password from [state] password_env or password_file) [default: config''s [state] url or path, else $XDG_DATA_HOME/mcteams/state.db]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format for results on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format for results on stdout')
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Write the results to this file instead of stdout (whole, once the command succeeded; a failed run leaves the file as it was)')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'Query a command''s result (a JMESPath, as CLI for Microsoft 365 and az take it) before it is formatted: -o table|csv show the query''s result too')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Format of every line on stderr: json makes notes, warnings and errors JSON objects too')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colors (also with NO_COLOR or CLICOLOR=0, or when stderr is not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mcteams;state;backup' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: $XDG_CONFIG_HOME/mcteams/config.toml]')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'State store: a SQLite file, or postgres://user@host/db (its password from [state] password_env or password_file) [default: config''s [state] url or path, else $XDG_DATA_HOME/mcteams/state.db]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format for results on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format for results on stdout')
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Write the results to this file instead of stdout (whole, once the command succeeded; a failed run leaves the file as it was)')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'Query a command''s result (a JMESPath, as CLI for Microsoft 365 and az take it) before it is formatted: -o table|csv show the query''s result too')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Format of every line on stderr: json makes notes, warnings and errors JSON objects too')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colors (also with NO_COLOR or CLICOLOR=0, or when stderr is not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mcteams;state;rebind' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: $XDG_CONFIG_HOME/mcteams/config.toml]')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'State store: a SQLite file, or postgres://user@host/db (its password from [state] password_env or password_file) [default: config''s [state] url or path, else $XDG_DATA_HOME/mcteams/state.db]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format for results on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format for results on stdout')
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Write the results to this file instead of stdout (whole, once the command succeeded; a failed run leaves the file as it was)')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'Query a command''s result (a JMESPath, as CLI for Microsoft 365 and az take it) before it is formatted: -o table|csv show the query''s result too')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Format of every line on stderr: json makes notes, warnings and errors JSON objects too')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change, change nothing')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (required without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (required without a terminal)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colors (also with NO_COLOR or CLICOLOR=0, or when stderr is not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mcteams;state;migrate' {
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'The PostgreSQL database (postgres://user@host/db; TLS verified unless on this host)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: $XDG_CONFIG_HOME/mcteams/config.toml]')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'State store: a SQLite file, or postgres://user@host/db (its password from [state] password_env or password_file) [default: config''s [state] url or path, else $XDG_DATA_HOME/mcteams/state.db]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format for results on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format for results on stdout')
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Write the results to this file instead of stdout (whole, once the command succeeded; a failed run leaves the file as it was)')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'Query a command''s result (a JMESPath, as CLI for Microsoft 365 and az take it) before it is formatted: -o table|csv show the query''s result too')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Format of every line on stderr: json makes notes, warnings and errors JSON objects too')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Replace a store already in the target (asks first on a terminal)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change, change nothing')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (required without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (required without a terminal)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colors (also with NO_COLOR or CLICOLOR=0, or when stderr is not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mcteams;state;help' {
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Check the store: SQLite''s full integrity check, its schema, estate, permissions, that it can be written, and its mappings (exit 78 when no command could use it)')
            [CompletionResult]::new('backup', 'backup', [CompletionResultType]::ParameterValue, 'Copy the store to a new file, consistent while syncs run (readable by its owner only)')
            [CompletionResult]::new('rebind', 'rebind', [CompletionResultType]::ParameterValue, 'Bind the store to the MiCollab server the config names now (the server moved); the tenant stays: another tenant is another estate, with a store of its own')
            [CompletionResult]::new('migrate', 'migrate', [CompletionResultType]::ParameterValue, 'Copy this (SQLite) store to a PostgreSQL database, for several `sync --watch` instances: every table in one transaction, each table''s count checked')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'mcteams;state;help;check' {
            break
        }
        'mcteams;state;help;backup' {
            break
        }
        'mcteams;state;help;rebind' {
            break
        }
        'mcteams;state;help;migrate' {
            break
        }
        'mcteams;state;help;help' {
            break
        }
        'mcteams;history' {
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Only entries since this time: RFC 3339 (2026-12-01T08:00:00Z) or an age (90m, 24h, 7d)')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'Only this user (MiCollab login or Teams UPN), or object (a profile''s name)')
            [CompletionResult]::new('--run', '--run', [CompletionResultType]::ParameterName, 'Only the entries of this run')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'At most this many entries, the newest')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: $XDG_CONFIG_HOME/mcteams/config.toml]')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'State store: a SQLite file, or postgres://user@host/db (its password from [state] password_env or password_file) [default: config''s [state] url or path, else $XDG_DATA_HOME/mcteams/state.db]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format for results on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format for results on stdout')
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Write the results to this file instead of stdout (whole, once the command succeeded; a failed run leaves the file as it was)')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'Query a command''s result (a JMESPath, as CLI for Microsoft 365 and az take it) before it is formatted: -o table|csv show the query''s result too')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Format of every line on stderr: json makes notes, warnings and errors JSON objects too')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colors (also with NO_COLOR or CLICOLOR=0, or when stderr is not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mcteams;completion' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: $XDG_CONFIG_HOME/mcteams/config.toml]')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'State store: a SQLite file, or postgres://user@host/db (its password from [state] password_env or password_file) [default: config''s [state] url or path, else $XDG_DATA_HOME/mcteams/state.db]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format for results on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format for results on stdout')
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Write the results to this file instead of stdout (whole, once the command succeeded; a failed run leaves the file as it was)')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'Query a command''s result (a JMESPath, as CLI for Microsoft 365 and az take it) before it is formatted: -o table|csv show the query''s result too')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Format of every line on stderr: json makes notes, warnings and errors JSON objects too')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colors (also with NO_COLOR or CLICOLOR=0, or when stderr is not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mcteams;generate' {
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Directory that receives completions/ and man/')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: $XDG_CONFIG_HOME/mcteams/config.toml]')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'State store: a SQLite file, or postgres://user@host/db (its password from [state] password_env or password_file) [default: config''s [state] url or path, else $XDG_DATA_HOME/mcteams/state.db]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format for results on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format for results on stdout')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'Query a command''s result (a JMESPath, as CLI for Microsoft 365 and az take it) before it is formatted: -o table|csv show the query''s result too')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Format of every line on stderr: json makes notes, warnings and errors JSON objects too')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colors (also with NO_COLOR or CLICOLOR=0, or when stderr is not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mcteams;help' {
            [CompletionResult]::new('profile', 'profile', [CompletionResultType]::ParameterValue, 'Turn Teams presence on or off for MiCollab user profiles')
            [CompletionResult]::new('user', 'user', [CompletionResultType]::ParameterValue, 'Turn the per-user "Microsoft Teams status" checkbox on or off')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Settings of the Teams-managed statuses of a profile')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Import user mappings (MiCollab login <-> Teams user <-> extension) from CSV')
            [CompletionResult]::new('mappings', 'mappings', [CompletionResultType]::ParameterValue, 'List, show, remove, export and discover user mappings')
            [CompletionResult]::new('sync', 'sync', [CompletionResultType]::ParameterValue, 'Synchronize presence: Teams -> MiCollab and phone -> Teams')
            [CompletionResult]::new('release', 'release', [CompletionResultType]::ParameterValue, 'Clear everything mcteams set in Teams (its app sessions), with a preview')
            [CompletionResult]::new('report', 'report', [CompletionResultType]::ParameterValue, 'Who is out of sync, why, and what to do about it')
            [CompletionResult]::new('doctor', 'doctor', [CompletionResultType]::ParameterValue, 'Check reachability, TLS, credentials, versions, permissions and clock of every system')
            [CompletionResult]::new('config', 'config', [CompletionResultType]::ParameterValue, 'Create, show and check the configuration file')
            [CompletionResult]::new('sim', 'sim', [CompletionResultType]::ParameterValue, 'The local emulator of Graph, MiCollab, MiVoice Business and CloudLink')
            [CompletionResult]::new('demo', 'demo', [CompletionResultType]::ParameterValue, 'The whole job against an in-process emulator, step by step')
            [CompletionResult]::new('state', 'state', [CompletionResultType]::ParameterValue, 'Check, back up or rebind the state store')
            [CompletionResult]::new('history', 'history', [CompletionResultType]::ParameterValue, 'The audit trail: every admin change (old -> new) and every write a sync sent, newest first')
            [CompletionResult]::new('completion', 'completion', [CompletionResultType]::ParameterValue, 'Print a shell completion script (static: a tab press never calls a server)')
            [CompletionResult]::new('generate', 'generate', [CompletionResultType]::ParameterValue, 'Write shell completions and man pages (for packaging)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'mcteams;help;profile' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List user profiles: Teams presence on/off, default or custom, user count')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'A profile''s settings, Teams-managed statuses and users')
            [CompletionResult]::new('enable', 'enable', [CompletionResultType]::ParameterValue, 'Turn Teams presence on for every user of a profile')
            [CompletionResult]::new('disable', 'disable', [CompletionResultType]::ParameterValue, 'Turn Teams presence off for a profile; users get their own statuses back')
            break
        }
        'mcteams;help;profile;list' {
            break
        }
        'mcteams;help;profile;show' {
            break
        }
        'mcteams;help;profile;enable' {
            break
        }
        'mcteams;help;profile;disable' {
            break
        }
        'mcteams;help;user' {
            [CompletionResult]::new('enable', 'enable', [CompletionResultType]::ParameterValue, 'Check "Microsoft Teams status" for users')
            [CompletionResult]::new('disable', 'disable', [CompletionResultType]::ParameterValue, 'Uncheck "Microsoft Teams status" for users')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Everything about one user across the four systems: the mapping, the Teams flag, Teams presence and mcteams'' session, the phone, the MiCollab status, the last sync and its last writes, and the reasons the report gives')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'The users the report knows (mapped, or with Teams presence on), a line each')
            break
        }
        'mcteams;help;user;enable' {
            break
        }
        'mcteams;help;user;disable' {
            break
        }
        'mcteams;help;user;show' {
            break
        }
        'mcteams;help;user;list' {
            break
        }
        'mcteams;help;status' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'The Teams-managed statuses of a profile and their settings')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Change settings of a Teams-managed status (never its name or Do-not-disturb)')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add a status: always refused while Teams manages the statuses')
            break
        }
        'mcteams;help;status;list' {
            break
        }
        'mcteams;help;status;set' {
            break
        }
        'mcteams;help;status;add' {
            break
        }
        'mcteams;help;import' {
            break
        }
        'mcteams;help;mappings' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the stored mappings')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'One mapping, with its sync record')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove mappings (kept as tombstones until the sync has cleared what it set)')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Write all mappings as a mapping CSV (the import format)')
            [CompletionResult]::new('discover', 'discover', [CompletionResultType]::ParameterValue, 'Propose mappings for users not yet mapped, for review and import (with --out, the proposals are a mapping CSV plus confidence and notes, whatever -o says)')
            break
        }
        'mcteams;help;mappings;list' {
            break
        }
        'mcteams;help;mappings;show' {
            break
        }
        'mcteams;help;mappings;remove' {
            break
        }
        'mcteams;help;mappings;export' {
            break
        }
        'mcteams;help;mappings;discover' {
            break
        }
        'mcteams;help;sync' {
            [CompletionResult]::new('approve', 'approve', [CompletionResultType]::ParameterValue, 'Approve the plan the mass-change guard holds: the watch applies those users'' changes')
            break
        }
        'mcteams;help;sync;approve' {
            break
        }
        'mcteams;help;release' {
            break
        }
        'mcteams;help;report' {
            break
        }
        'mcteams;help;doctor' {
            break
        }
        'mcteams;help;config' {
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Write a commented configuration template')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'The effective configuration, secrets redacted, and where each value came from')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Validate the configuration and read every secret it names')
            break
        }
        'mcteams;help;config;init' {
            break
        }
        'mcteams;help;config;show' {
            break
        }
        'mcteams;help;config;check' {
            break
        }
        'mcteams;help;sim' {
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Serve the emulator on loopback until SIGINT/SIGTERM')
            break
        }
        'mcteams;help;sim;serve' {
            break
        }
        'mcteams;help;demo' {
            break
        }
        'mcteams;help;state' {
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Check the store: SQLite''s full integrity check, its schema, estate, permissions, that it can be written, and its mappings (exit 78 when no command could use it)')
            [CompletionResult]::new('backup', 'backup', [CompletionResultType]::ParameterValue, 'Copy the store to a new file, consistent while syncs run (readable by its owner only)')
            [CompletionResult]::new('rebind', 'rebind', [CompletionResultType]::ParameterValue, 'Bind the store to the MiCollab server the config names now (the server moved); the tenant stays: another tenant is another estate, with a store of its own')
            [CompletionResult]::new('migrate', 'migrate', [CompletionResultType]::ParameterValue, 'Copy this (SQLite) store to a PostgreSQL database, for several `sync --watch` instances: every table in one transaction, each table''s count checked')
            break
        }
        'mcteams;help;state;check' {
            break
        }
        'mcteams;help;state;backup' {
            break
        }
        'mcteams;help;state;rebind' {
            break
        }
        'mcteams;help;state;migrate' {
            break
        }
        'mcteams;help;history' {
            break
        }
        'mcteams;help;completion' {
            break
        }
        'mcteams;help;generate' {
            break
        }
        'mcteams;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
