// Rules for a program called in a way it does not take: options and subcommands from memory,
// another package manager, Windows programs from Git Bash, gh's fields, killing by command line.
import { addCommand, runScript, type Template, type TemplateInput } from './common.js';

export function usageTemplate(input: TemplateInput): Template {
  const { cause, tool, cmd, pattern, entity, pm, error } = input;
  if (/^package manager \w+$/.test(entity)) {
    const pm = entity.slice('package manager '.length);
    return {
      why: `The project declares ${pm} as its package manager (packageManager in package.json); the agent ran another one, which refused to run.`,
      rule: {
        title: `Run this project's scripts and installs with ${pm}`,
        body: `This project uses ${pm} (the packageManager field of package.json). Run its scripts, tests and installs with ${pm}: \`${runScript(pm, 'test')}\`, \`${addCommand(pm, 'PKG')}\`, not with another package manager.`,
        scope: 'project',
        trigger: 'Before running a script, a test or an install',
        enforcement: `Use ${pm}, as package.json says`,
        verification: 'No "This project is configured to use" failures',
      },
    };
  }
  if (entity === 'prompt without a terminal') {
    return {
      why: `\`${cmd ?? tool}\` wanted to ask something (a choice, a confirmation, a login), and the Bash tool has no terminal to ask on.`,
      rule: {
        title: `Give ${cmd ? `\`${cmd}\`` : 'CLIs'} up front what it would prompt for`,
        body: `The Bash tool has no terminal, so a command that prompts fails. Pass the answers as flags (\`--yes\` to confirm, the flag that names the choice, such as \`--service NAME\`), put a token in the environment variable the tool documents, and drop \`-it\` from \`docker run\` or \`docker exec\`; see \`${cmd ?? 'the command'} --help\` for its non-interactive flags.`,
        scope: 'project',
        trigger: `Before running \`${cmd ?? 'a CLI'}\` that may prompt`,
        enforcement: 'Pass --yes, the choice and the token up front',
        verification: 'No "not a TTY", "Failed to prompt" or "requires confirmation" failures',
      },
    };
  }
  if (entity === 'database column') {
    return {
      why: 'The query named a column the table does not have: the schema was guessed, not read.',
      rule: {
        title: "Read a table's columns before querying it",
        body: 'Look at the schema before writing a query: `.schema TABLE` in sqlite3, `\\d TABLE` in psql, `DESCRIBE TABLE` in MySQL (or the ORM models in the code), and use only the columns it lists.',
        scope: 'project',
        trigger: 'Before a SQL query against a table not read this session',
        enforcement: 'Read the schema first',
        verification: 'No "no such column" or "column ... does not exist" failures',
      },
    };
  }
  if (entity === 'scaffold into a folder with files') {
    return {
      why: 'A project scaffolder refused a folder that already has files in it.',
      rule: {
        title: 'Scaffold into a new folder, then move what you need',
        body: 'Scaffolders (`create-next-app`, `create-vite`) refuse a folder with files: scaffold into a new folder (`npx create-next-app@latest app-new`), then move its files in, or move the existing files aside first with the person\'s agreement.',
        scope: 'project',
        trigger: 'Before running a create-* scaffolder',
        enforcement: 'Scaffold into an empty folder',
        verification: 'No "contains files that could conflict" or "is not empty" failures',
      },
    };
  }
  if (entity === 'grep perl class') {
    return {
      why: 'grep read a Perl class (`\\d`) in a basic or extended pattern, where it is not a digit: the pattern matched nothing, and the empty answer was taken as one.',
      rule: {
        title: 'Write digits as [0-9] in grep patterns, or use grep -P',
        body: 'grep without `-P` does not know `\\d` (nor other Perl classes): write `[0-9]` (`grep -c \'^[0-9]\\.\' FILE`), or use `grep -P` or `rg`, which read Perl classes.',
        scope: 'agent:claude-code',
        trigger: 'Before a grep pattern with \\d',
        enforcement: 'Use [0-9], or grep -P / rg',
        verification: 'No grep pattern with \\d without -P',
      },
    };
  }
  if (entity === 'pkill -f') {
    return {
      why: "`pkill -f PATTERN` matches whole command lines, and the shell that runs the call has PATTERN in its own command line: pkill killed that shell too, so the call ended with exit 143 or 144 and no output.",
      rule: {
        title: 'Stop processes by pid, not with pkill -f from the Bash tool',
        body: "Do not run `pkill -f PATTERN` in the Bash tool: the tool's own shell matches PATTERN and is killed with the process. Write the pattern so it cannot match itself (`pkill -f '[w]eb-server'`), or look the pid up in one call (`pgrep -f '[w]eb-server'`) and `kill PID` in the next; `kill $(pgrep -f PATTERN)` matches the shell too.",
        scope: 'agent:claude-code',
        trigger: 'Before stopping a process by its command line',
        enforcement: 'Use a bracketed pattern, or kill by a pid looked up first',
        verification: 'No Bash call ending with exit code 143 or 144 after a `pkill -f`',
      },
    };
  }
  if (entity === 'msys slash options') {
    return {
      why: 'A Windows program was given `/x` options from Git Bash, which rewrites every argument starting with `/` into a Windows path (`/i` became `C:/Program Files/Git/i`) before the program sees it.',
      rule: {
        title: "Double the slash of Windows programs' options in Git Bash",
        body: 'In the Bash tool on Windows, write the options of Windows programs with two slashes (`findstr //i`, `taskkill //F //PID 42`, `cmd //c dir`), or prefix the command with `MSYS_NO_PATHCONV=1`; Git Bash turns a single `/i` into a path.',
        scope: 'agent:claude-code',
        trigger: 'Before running a Windows program with /options from the Bash tool',
        enforcement: 'Write `//opt`, or set MSYS_NO_PATHCONV=1',
        verification: 'No "Invalid Parameters" or "Cannot open" failures from Windows programs given /options',
      },
    };
  }
  if (entity === 'gh classic projects') {
    return {
      why: '`gh pr edit` reads the classic Projects of the pull request through a GraphQL field GitHub has deprecated, so it fails whatever was asked.',
      rule: {
        title: 'Edit pull requests with the REST API where gh pr edit fails',
        body: 'When `gh pr edit` fails with "Projects (classic) is being deprecated", change the pull request with the REST API instead: `gh api -X PATCH repos/OWNER/REPO/pulls/N -f title=... -f body=...` (labels: `gh api repos/OWNER/REPO/issues/N/labels -f "labels[]=NAME"`).',
        scope: 'project',
        trigger: 'Before editing a pull request with gh',
        enforcement: 'Use `gh api -X PATCH .../pulls/N`',
        verification: 'No "Projects (classic) is being deprecated" failures',
      },
    };
  }
  if (entity === 'flags after --') {
    const runner = pm && pm !== 'npm' ? pm : 'pnpm';
    return {
      why: 'Flags were given to a package script after `--`; the package manager passed the `--` on, and the tool read the flags after it as file patterns.',
      rule: {
        title: 'Give script flags without a `--` the package manager passes on',
        body: `${runner} passes \`--\` on to the script, where the linter reads what follows as file patterns. Give the flags without it (\`${runner} lint --flag FILE\`), or run the tool directly (\`${runner} exec eslint --flag FILE\`).`,
        scope: 'project',
        trigger: 'Before passing flags to a package script',
        enforcement: 'Leave out the `--`, or run the tool itself',
        verification: 'No "No files matching the pattern --..." failures',
      },
    };
  }
  if (entity === 'package bin') {
    const pkg = cause.subject ?? 'PKG';
    return {
      why: `\`${pkg}\` was run through a package runner by its package name, but the executable it installs has another name, so the runner could not tell what to run.`,
      rule: {
        title: "Run a package's executable by its bin name",
        body: `\`npx\`, \`bunx\` and \`pnpm dlx\` run a package's bin, which may be named differently from the package. Look the name up with \`npm view ${pkg} bin\` (or in node_modules/.bin) and run that name, or use \`npx -p ${pkg} BIN\`.`,
        scope: 'project',
        trigger: 'Before running a package with npx, bunx or pnpm dlx',
        enforcement: `Check \`npm view ${pkg} bin\` first`,
        verification: 'No "could not determine executable to run" failures',
      },
    };
  }
  if (entity === 'coverage on part of the suite') {
    return {
      why: "The coverage script was run on a few test files: every test passed, but the project's global coverage threshold, measured over those files only, was not met.",
      rule: {
        title: 'Run coverage over the whole suite, and single test files without it',
        body: `This project's test config sets a global coverage threshold, so the coverage script fails on part of the suite even when every test passes. Run one file with \`${runScript(pm, 'test')} -- FILE\` (no coverage), and the coverage script only over the whole suite.`,
        scope: 'project',
        trigger: 'Before running the coverage script with test file arguments',
        enforcement: 'Use the plain test script for single files',
        verification: 'No coverage-threshold failures of runs whose tests all passed',
      },
    };
  }
  if (entity === 'json shape') {
    return {
      why: 'A filter or one-liner indexed JSON by a shape it assumed (a field, a list, an object) that the data did not have.',
      rule: {
        title: "Look at the JSON's shape before filtering it",
        body: "Before a jq filter, a `gh --jq` or a one-off script (`python3 -c`, `node -e`, one in /tmp) indexes data, print its shape first (`jq 'type, (keys? // length)'`, `print(type(d), list(d)[:20])`, or `gh ... --json FIELDS` without --jq) and write the filter from what it shows, not from memory.",
        scope: 'project',
        trigger: 'Before indexing data with jq, gh --jq or a one-off script',
        enforcement: "Print the shape (`jq 'type, keys'`) first",
        verification: 'No "Cannot index", KeyError or JSONDecodeError failures of one-liners',
      },
    };
  }
  const needs = / needs (--[\w-]+)$/.exec(entity);
  if (needs) {
    const flag = needs[1]!;
    const program = entity.slice(0, -needs[0].length);
    // A flag that accepts a consequence (visibility, deletion, skipping checks) is the person's to give.
    const consent = /force|accept|confirm|yes|admin|no-verify|unsafe|danger|allow|skip/i.test(flag);
    return {
      why: `\`${program}\` refused to go on without \`${flag}\`, and said so.`,
      rule: consent
        ? {
            title: `Ask before passing \`${flag}\` to \`${program}\``,
            body: `\`${program}\` asks for \`${flag}\` here, which accepts a consequence of the change. Tell the person what it accepts and pass it only when they agree; do not retry without it.`,
            scope: 'project',
            trigger: `Before \`${program}\` where it wants \`${flag}\``,
            enforcement: `Ask the person, then pass \`${flag}\``,
            verification: `No "requires ${flag}" failures`,
          }
        : {
            title: `Pass \`${flag}\` to \`${program}\` here`,
            body: `\`${program}\` needs \`${flag}\` in this project: pass it with its value (see \`${program} --help\`) in the first call, instead of calling it without and retrying.`,
            scope: 'project',
            trigger: `Before \`${program}\``,
            enforcement: `Pass \`${flag}\``,
            verification: `No failures asking for \`${flag}\``,
          },
    };
  }
  if (entity.startsWith('set up first: ')) {
    const command = entity.slice('set up first: '.length);
    const program = command.split(' ')[0]!;
    return {
      why: `\`${program}\` needs \`${command}\` to have run in this checkout first (it says so), and it had not.`,
      rule: {
        title: `Run \`${command}\` before using ${program} in a fresh checkout`,
        body: `In a fresh checkout, or after its dependencies change, run \`${command}\` first: \`${program}\` fails until it has. Run it again when the tool asks for it.`,
        scope: 'project',
        trigger: `Before the first ${program} command in a checkout`,
        enforcement: `Run \`${command}\` first`,
        verification: `No failures asking for \`${command}\``,
      },
    };
  }
  if (entity === 'pytest plugin option') {
    const option = /unrecognized arguments: (\S+)/.exec(error)?.[1];
    return {
      why: `pytest did not know ${option ? `\`${option}\`` : 'an option it was given'}: the option belongs to a plugin (\`--cov\` to pytest-cov, \`-n\` to pytest-xdist) that is not installed here.`,
      rule: {
        title: "Use a pytest plugin's options only when the plugin is installed",
        body: `Before passing ${option ? `\`${option}\`` : 'a plugin\'s option'} to pytest, check that its plugin is installed (\`pytest --help | grep -- ${option ?? '--cov'}\`, or the project's dev dependencies); add the plugin to the project if the task needs it, or run pytest without the option.`,
        scope: 'project',
        trigger: 'Before passing pytest options such as --cov or -n',
        enforcement: 'Check `pytest --help` lists the option',
        verification: 'No "unrecognized arguments" failures from pytest',
      },
    };
  }
  if (entity === 'gh label') {
    return {
      why: 'The agent added a label the repository does not have.',
      rule: {
        title: 'Use only labels the repository has',
        body: 'Before `--label` or `--add-label`, list the labels with `gh label list` and pick one of them; ask before creating a new label.',
        scope: 'project',
        trigger: 'Before adding a label with gh',
        enforcement: 'Pick the label from `gh label list`',
        verification: 'No "label not found" failures',
      },
    };
  }
  if (/ json fields$/.test(entity)) {
    const program = entity.slice(0, -' json fields'.length);
    return {
      why: `\`${program} ... --json\` was asked for a field that command does not have: the field names were written from memory (or from another of its commands).`,
      rule: {
        title: `Ask ${program} --json only for the fields it lists`,
        body: `Each \`${program}\` command has its own \`--json\` fields. Run the command with \`--json\` and no field list to see them (it prints "Available fields"), and ask only for those.`,
        scope: 'project',
        trigger: `Before using \`${program} ... --json FIELDS\` with a field not used in this project before`,
        enforcement: `List the command's fields with \`--json\` first`,
        verification: 'No "Unknown JSON field" failures',
      },
    };
  }
  if (entity === 'gh api') {
    return {
      why: 'A GraphQL query asked for a field or an argument the GitHub schema does not have: it was written from memory.',
      rule: {
        title: 'Check GitHub GraphQL fields against the schema before querying',
        body: 'Before a `gh api graphql` query, check each field and argument in the GitHub GraphQL schema (or start from a query that worked); guessed fields and arguments are refused.',
        scope: 'project',
        trigger: 'Before writing a gh api graphql query',
        enforcement: 'Look fields up in the schema first',
        verification: 'No argumentNotAccepted or undefinedField errors',
      },
    };
  }
  return {
    why: `\`${entity}\` was given an option or subcommand it does not take: its usage was written from memory (or from another version or platform).`,
    rule: {
      title: `Check what ${entity} accepts before using an option from memory`,
      body: `\`${entity}\` here does not take every option it takes elsewhere. Run \`${entity} --help\` (or the subcommand's help) and use the options it lists.`,
      scope: 'project',
      trigger: `Before using an option or subcommand of \`${entity}\` not used in this project before`,
      enforcement: `Read \`${entity} --help\` first`,
      verification: `No "unknown option" or usage failures from \`${entity}\``,
    },
  };
}
