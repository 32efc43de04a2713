// Rules that say the same whatever the incident: the cause's key (category and entity) names them.
// A template that quotes the command, the file or the error it met stays in the category's own file.
import type { Template } from './common.js';

export const FIXED: Record<string, Template> = {
  'git:no commit yet': {
    why: 'The repository has no commit yet, so HEAD names nothing and every command that reads it fails.',
    rule: {
      title: 'Make the first commit before using HEAD in a new repository',
      body: 'In a repository with no commit yet (`git rev-parse --verify HEAD` fails), unstage with `git rm --cached PATH` rather than `git reset HEAD PATH`, and make the first commit before `git log`, `git diff HEAD` or creating branches from it.',
      scope: 'project',
      trigger: 'Before a git command that reads HEAD in a new repository',
      enforcement: 'Check `git rev-parse --verify HEAD` first',
      verification: `No "ambiguous argument 'HEAD'" failures`,
    },
  },
  'git:pull diverged': {
    why: 'The local branch and its remote both had commits the other lacked, and git would not choose between a merge and a rebase for a plain pull.',
    rule: {
      title: 'Look at the branch before pulling when both sides may have moved',
      body: 'Run `git status -sb` before `git pull`: when it says the branch and its remote have diverged, pull with `git pull --rebase` (keeping your commits on top), or `git reset --hard origin/BRANCH` only when the person says the local commits are not wanted.',
      scope: 'project',
      trigger: 'Before `git pull` on a branch with local commits',
      enforcement: 'Run `git status -sb` first, then pull with `--rebase`',
      verification: 'No "Not possible to fast-forward" failures',
    },
  },
  'git:pull request from its base': {
    why: 'The pull request was opened from the branch it was to merge into: the work was committed on the base branch itself.',
    rule: {
      title: 'Work on a branch of its own before opening a pull request',
      body: 'A pull request needs a head branch other than its base: before committing, run `git switch -c NAME` (or move commits already made with `git switch -c NAME` then `git branch -f main origin/main`), push it, and run `gh pr create --head NAME`.',
      scope: 'project',
      trigger: 'Before committing work meant for a pull request',
      enforcement: 'Check `git branch --show-current` is not the base branch',
      verification: 'No "is the same as base branch" failures',
    },
  },
  'git:worktree not clean': {
    why: 'git would not remove a worktree that still has changed or untracked files.',
    rule: {
      title: "Look at a worktree's changes before removing it",
      body: 'Before `git worktree remove PATH`, run `git -C PATH status --short`: commit or copy out what it lists that is wanted, and pass `--force` only to throw the rest away.',
      scope: 'project',
      trigger: 'Before `git worktree remove`',
      enforcement: 'Run `git -C PATH status --short` first',
      verification: 'No "contains modified or untracked files" failures',
    },
  },
  'dependency conflict:outdated lockfile': {
    why: 'package.json changed and pnpm-lock.yaml did not, so an install with a frozen lockfile (the default in CI) refused to run.',
    rule: {
      title: 'Update pnpm-lock.yaml with package.json',
      body: 'After changing dependencies in package.json, run `pnpm install` (locally: `pnpm install --no-frozen-lockfile`) so pnpm-lock.yaml matches, and commit both files together.',
      scope: 'project',
      trigger: 'After changing dependencies in package.json',
      enforcement: 'Run `pnpm install` and commit the lockfile',
      verification: 'No ERR_PNPM_OUTDATED_LOCKFILE failures',
    },
  },
  'syntax error:crlf line endings': {
    why: 'The script was saved with Windows line endings (CRLF), so the shell read its first line as asking for an interpreter named with a carriage return.',
    rule: {
      title: 'Write shell scripts with Unix line endings',
      body: "Save shell scripts with LF line endings. A script that fails with \"bad interpreter: /bin/bash^M\" has CRLF endings: convert it with `sed -i 's/\\r$//' FILE` (or `dos2unix FILE`) before running it.",
      scope: 'project',
      trigger: 'Before running a shell script written or copied on Windows',
      enforcement: "Convert it with `sed -i 's/\\r$//' FILE`",
      verification: 'No "bad interpreter" failures naming ^M',
    },
  },
  'syntax error:import in commonjs': {
    why: 'Node read a file that uses `import` as CommonJS: the package has no "type": "module" and the file is not .mjs.',
    rule: {
      title: 'Name ES module scripts .mjs in a CommonJS package',
      body: 'This package\'s .js files are CommonJS: give a script that uses `import` the `.mjs` extension (or use `require`), and set `"type": "module"` in package.json only when the whole package is meant to be ES modules.',
      scope: 'project',
      trigger: 'Before writing a Node script that uses import',
      enforcement: 'Use .mjs for import, or require in .js',
      verification: 'No "Cannot use import statement outside a module" failures',
    },
  },
  'permission:npm login': {
    why: 'npm needed a logged-in user (publishing, a private package) and this machine has none.',
    rule: {
      title: 'Ask the person to log in to npm',
      body: 'Check with `npm whoami` before publishing or installing private packages; when it fails, ask the person to run `npm login` (or set a token) instead of retrying.',
      scope: 'project',
      trigger: 'Before npm publish or installing a private package',
      enforcement: 'Run `npm whoami` first',
      verification: 'No ENEEDAUTH or E401 failures',
    },
  },
  'timeout:polling loop': {
    why: "A loop that sleeps between checks (a CI run, a build) waited longer than the Bash tool's time limit, which killed it with what it had seen.",
    rule: {
      title: 'Run polling loops in the background',
      body: "Start a loop that waits for a CI run or a build with run_in_background and read its output when it ends, or bound it under the tool's time limit (fewer rounds, `timeout 100`). `gh run watch ID` waits for a workflow run by itself.",
      scope: 'agent:claude-code',
      trigger: 'Before a loop that sleeps until something finishes',
      enforcement: 'run_in_background, or a bound under the time limit',
      verification: 'No polling loops killed by "Command timed out"',
    },
  },
  'tool unavailable:database server': {
    why: 'The database the project talks to was not running (nothing answered at its address).',
    rule: {
      title: 'Check that the database is up before migrations and queries',
      body: 'Before a migration or a query, check the database answers (`pg_isready -h HOST`, `mysqladmin ping -h HOST`, `docker compose ps`); start it the way the project does (`docker compose up -d db`), or ask the person, instead of retrying.',
      scope: 'project',
      trigger: 'Before a migration, seed or query',
      enforcement: 'Run `pg_isready` or `docker compose ps` first',
      verification: 'No "Can\'t reach database server" or "Connection refused" failures',
    },
  },
  'tool unavailable:docker daemon': {
    why: 'The docker client found no daemon to talk to: Docker (Docker Desktop, or its service) is not running on this machine.',
    rule: {
      title: 'Check that Docker is running before docker commands',
      body: 'Run `docker info` before docker or docker compose commands; when it cannot connect to the daemon, ask the person to start Docker (Docker Desktop, or `sudo systemctl start docker`) instead of retrying.',
      scope: 'project',
      trigger: 'Before the first docker command of a session',
      enforcement: 'Run `docker info` first',
      verification: 'No "Cannot connect to the Docker daemon" failures',
    },
  },
  'edit mismatch:edits overlap': {
    why: 'MultiEdit applies its edits one after another, and a later edit looked for text that an earlier edit of the same call had just written.',
    rule: {
      title: "Keep one MultiEdit's edits apart",
      body: "In one MultiEdit, give each edit an old_string from the file as it was read, not text an earlier edit writes; when two changes touch the same lines, make them one edit, or use separate Edit calls in order.",
      scope: 'agent:claude-code',
      trigger: 'Before a MultiEdit with several edits near each other',
      enforcement: 'Merge edits that touch the same lines into one',
      verification: 'No "old_string is a substring of a new_string from a previous edit" failures',
    },
  },
  'input validation:worktree session': {
    why: 'EnterWorktree was called while the session was already working in a worktree it had entered.',
    rule: {
      title: 'Check which worktree the session is in before entering one',
      body: 'A session works in one worktree at a time: run `git rev-parse --show-toplevel` and `git branch --show-current` first; switch branches in the worktree you are in, or leave it with ExitWorktree before calling EnterWorktree again.',
      scope: 'agent:claude-code',
      trigger: 'Before EnterWorktree',
      enforcement: 'Check the current worktree first',
      verification: 'No "Already in a worktree session" failures',
    },
  },
  'usage error:alembic behind head': {
    why: 'Alembic would not write a new migration while the database had not yet run the migrations already written.',
    rule: {
      title: 'Bring the database to head before writing a migration',
      body: 'Run `alembic current` and `alembic upgrade head` before `alembic revision --autogenerate`; a migration compared against a database that is behind would repeat the changes already written.',
      scope: 'project',
      trigger: 'Before `alembic revision --autogenerate`',
      enforcement: 'Run `alembic upgrade head` first',
      verification: 'No "Target database is not up to date" failures',
    },
  },
  'usage error:go run of a test file': {
    why: '`go run` refuses files named `*_test.go`: Go builds them only for `go test`.',
    rule: {
      title: 'Run Go test files with go test, and scratch programs without the _test suffix',
      body: 'Run tests with `go test ./PKG -run TestName`; for a throwaway program, name the file without `_test` (`/tmp/check/main.go`) and run it with `go run`.',
      scope: 'project',
      trigger: 'Before `go run` of a file',
      enforcement: 'Use `go test -run` for test files',
      verification: 'No "cannot run *_test.go files" failures',
    },
  },
  'usage error:pre-commit with core.hooksPath': {
    why: "pre-commit will not install its hook while git's `core.hooksPath` points at another hooks folder, as this checkout's does.",
    rule: {
      title: 'Leave the hooks of a checkout with core.hooksPath alone',
      body: "This checkout sets `core.hooksPath` (see `git config --get core.hooksPath`): its hooks already run from there. Do not run `pre-commit install`; check the changes with `pre-commit run --all-files`, and ask the person before unsetting `core.hooksPath`.",
      scope: 'project',
      trigger: 'Before `pre-commit install`',
      enforcement: 'Run `git config --get core.hooksPath` first',
      verification: 'No "Cowardly refusing to install hooks" failures',
    },
  },
  'usage error:cargo run target': {
    why: '`cargo run` had no single binary to start: the crate is a library, or it has several binaries and none is the default.',
    rule: {
      title: 'Name the binary cargo should run',
      body: "Read Cargo.toml's `[[bin]]` and `[lib]` sections (or `src/bin/`) before `cargo run`: with several binaries run `cargo run --bin NAME`; a library crate has nothing to run, so use `cargo test` or `cargo run --example NAME`.",
      scope: 'project',
      trigger: 'Before `cargo run` in a crate with no or several binaries',
      enforcement: 'Check the binaries in Cargo.toml first',
      verification: 'No "could not determine which binary to run" or "a bin target must be available" failures',
    },
  },
  'usage error:go package path': {
    why: 'go was given a package path without `./`, so it looked for the package in the standard library.',
    rule: {
      title: 'Give go a package path that starts with ./',
      body: 'A package of this module is named from the module root with `./`: run `go run ./cmd/server`, `go build ./...`, `go test ./internal/...`. A bare path (`go run cmd/server`) is looked up in the standard library and fails with "is not in std".',
      scope: 'project',
      trigger: 'Before `go run`, `go build` or `go test` of a package by its path',
      enforcement: 'Start the package path with `./`',
      verification: 'No "is not in std" failures of a path given to go',
    },
  },
  'usage error:kubernetes manifest': {
    why: 'The Kubernetes API refused a manifest: a field it does not have (often misspelt) or one it needs was missing.',
    rule: {
      title: 'Check a Kubernetes manifest against the API before applying it',
      body: 'Look up field names with `kubectl explain KIND.spec` (for example `kubectl explain deployment.spec`) while writing a manifest, and check it with `kubectl apply --dry-run=server -f FILE` before applying it for real.',
      scope: 'project',
      trigger: 'Before `kubectl apply` or `kubectl create` of a manifest you wrote or changed',
      enforcement: 'Run `kubectl apply --dry-run=server -f FILE` first',
      verification: 'No "ValidationError" or "unknown field" failures from kubectl',
    },
  },
  'usage error:pending migrations': {
    why: 'A migration was written or pulled and not applied, so the app met a database schema behind its code.',
    rule: {
      title: 'Apply new migrations before starting the app or its tests',
      body: 'After writing or pulling a migration, apply it before running the server, a console or the tests: `bin/rails db:migrate` (check with `bin/rails db:migrate:status`), `python manage.py migrate` (check with `python manage.py showmigrations`), or the project\'s own migrate script.',
      scope: 'project',
      trigger: 'After writing or pulling a migration',
      enforcement: 'Apply pending migrations first',
      verification: 'No "Migrations are pending" or "no such table" failures',
    },
  },
  'tool unavailable:jdk': {
    why: 'The build needs a JDK, and JAVA_HOME named none that works here and no `java` was on the PATH.',
    rule: {
      title: 'Point JAVA_HOME at a JDK before building Java or Kotlin',
      body: 'Before `./gradlew` or `mvn`, check `java -version` and `echo $JAVA_HOME`: when no JDK is there, point JAVA_HOME at an installed one (`/usr/libexec/java_home -v VERSION` on macOS) or ask the person to install the version the build file names.',
      scope: 'project',
      trigger: 'Before running Gradle or Maven',
      enforcement: 'Check `java -version` first',
      verification: 'No "JAVA_HOME is not set" failures',
    },
  },
  'git:protected branch': {
    why: 'The push went straight to a protected branch, which the repository only takes through pull requests (and the checks they must pass).',
    rule: {
      title: 'Push work to a branch of its own and open a pull request',
      body: 'This repository protects its main branch: commit on a branch (`git switch -c NAME`), push that (`git push -u origin NAME`) and open a pull request (`gh pr create`), instead of pushing to the protected branch.',
      scope: 'project',
      trigger: 'Before pushing to the main branch',
      enforcement: 'Push a branch of its own and open a pull request',
      verification: 'No "Protected branch update failed" or "must be made through a pull request" failures',
    },
  },
  'git:large file': {
    why: "A commit held a file over GitHub's 100 MB limit, so the whole push was refused.",
    rule: {
      title: 'Keep files over 100 MB out of commits',
      body: "Before committing data, models or build output, check their sizes (`git diff --cached --stat`, `du -h FILE`): ignore them in .gitignore or track them with Git LFS (`git lfs track`). A large file already committed has to leave the unpushed commits (`git rm --cached FILE`, then amend or rebase) before the push goes through.",
      scope: 'project',
      trigger: 'Before committing data, models or generated files',
      enforcement: 'Check file sizes before `git add`',
      verification: 'No "Large files detected" push failures',
    },
  },
  'usage error:helm install': {
    why: '`helm install` was run for a release name that is already installed.',
    rule: {
      title: 'Deploy a helm release with `helm upgrade --install`',
      body: 'Use `helm upgrade --install RELEASE CHART` (it installs the first time and upgrades after), or look with `helm list` first; `helm install` of a name already in use fails.',
      scope: 'project',
      trigger: 'Before installing a helm chart',
      enforcement: 'Use `helm upgrade --install`',
      verification: 'No "cannot re-use a name that is still in use" failures',
    },
  },
  'file not found:docker build context': {
    why: 'A COPY or ADD in the Dockerfile named a path that was not in the build context: not built yet, outside the context folder, or left out by .dockerignore.',
    rule: {
      title: 'Copy into an image only what the build context holds',
      body: "Before `docker build`, check each COPY source exists relative to the context folder (the last argument, often `.`) and is not excluded in .dockerignore. Build output such as `dist/` has to be built first, or better in a build stage of the Dockerfile itself.",
      scope: 'project',
      trigger: 'Before `docker build` after changing a Dockerfile or .dockerignore',
      enforcement: 'Check COPY sources against the context and .dockerignore',
      verification: 'No "failed to compute cache key" or "COPY failed" failures',
    },
  },
  'syntax error:compose file': {
    why: 'docker compose refused its file: it did not parse, or it used a volume, network or property the file does not define.',
    rule: {
      title: 'Check a compose file with `docker compose config` after editing it',
      body: 'After editing compose.yaml (or docker-compose.yml), run `docker compose config -q`: it parses the file and names what is wrong (a top-level volume or network that is used but not declared, a misspelt property) before `up` or `build` fail on it.',
      scope: 'project',
      trigger: 'After editing a compose file',
      enforcement: 'Run `docker compose config -q` first',
      verification: 'No "invalid compose project" failures',
    },
  },
  'usage error:corepack': {
    why: 'The project pins its package manager\'s version in package.json (packageManager), and a different global version ran.',
    rule: {
      title: 'Use the package manager version the project pins, through corepack',
      body: 'This project pins its package manager in package.json ("packageManager"). Run `corepack enable` once, then use yarn or pnpm as usual: corepack runs the pinned version. Do not install another version globally or edit the field.',
      scope: 'project',
      trigger: 'Before running yarn or pnpm in this project',
      enforcement: 'Run `corepack enable` first',
      verification: 'No packageManager version mismatch failures',
    },
  },
  'usage error:bsd sed -i': {
    why: "macOS's sed (BSD) reads the word after `-i` as the backup file's suffix, so `sed -i 's/a/b/' FILE` took the script for a suffix and the file name for the script.",
    rule: {
      title: "Give BSD sed's -i an empty suffix on macOS",
      body: "On macOS, write `sed -i '' 's/a/b/' FILE` (an empty backup suffix after `-i`); GNU sed's `sed -i 's/a/b/' FILE` fails there with \"undefined label\" or \"invalid command code\". Or use the Edit tool.",
      scope: 'project',
      trigger: 'Before editing a file in place with sed on macOS',
      enforcement: "Write `sed -i ''` on macOS",
      verification: 'No "undefined label" or "invalid command code" failures from sed',
    },
  },
};
