// Rules for git's and gh's refusals: upstreams, remotes, signing, pushes, merges and pull requests.
import type { Template, TemplateInput } from './common.js';

/** Commit signing that waits for the person: gpg's passphrase, or an SSH agent's approval. */
const SIGNING: Record<string, { key: string; waits: string; who: string; or: string; error: string }> = {
  'gpg signing': { key: 'gpg', waits: "needs the person's passphrase", who: 'gpg', or: '', error: 'gpg failed to sign the data' },
  'ssh signing agent': { key: "an SSH key in the person's agent (1Password)", waits: 'waits for their approval of each signature', who: 'their signing agent', or: ' or approve it in the agent', error: '1Password: failed to fill whole buffer' },
};

export function gitTemplate(input: TemplateInput): Template | undefined {
  const { error, tool, entity } = input;
  if (entity === 'pull without upstream') {
    return {
      why: 'The branch has no upstream, so a plain `git pull` did not know what to pull.',
      rule: {
        title: 'Name the branch to pull when yours has no upstream',
        body: 'A branch with no upstream cannot be pulled plainly: run `git pull origin BRANCH` (or `git pull --rebase origin main` to catch up with main), or set the upstream once with `git branch --set-upstream-to=origin/BRANCH`.',
        scope: 'project',
        trigger: 'Before git pull on a new or local branch',
        enforcement: 'Name the remote and branch, or set the upstream first',
        verification: 'No "There is no tracking information" failures',
      },
    };
  }
  if (entity === 'remote missing') {
    return {
      why: 'The command named a git remote this repository does not have.',
      rule: {
        title: "Check the repository's remotes before using one",
        body: 'Run `git remote -v` before pushing, fetching or asking a tool about `origin`: use a remote it lists. When none fits, ask the person for the URL before `git remote add`.',
        scope: 'project',
        trigger: 'Before git push, git fetch or a command that reads a remote',
        enforcement: 'Use a remote `git remote -v` lists',
        verification: 'No "does not appear to be a git repository" or "remote not found" failures',
      },
    };
  }
  if (entity === 'gh remote not on github') {
    return {
      why: "gh finds the repository from the checkout's remotes, and none of them is on GitHub here.",
      rule: {
        title: 'Tell gh which repository to use when the remotes are not on GitHub',
        body: "This checkout's remotes do not point at GitHub, so gh cannot tell the repository: pass `--repo OWNER/REPO` (`gh pr view 12 --repo OWNER/REPO`), or set it once with `gh repo set-default OWNER/REPO`.",
        scope: 'project',
        trigger: 'Before any gh command in this checkout',
        enforcement: 'Pass `--repo OWNER/REPO`, or set the default once',
        verification: 'No "none of the git remotes configured for this repository point to a known GitHub host" failures',
      },
    };
  }
  if (entity === 'revision not here') {
    return {
      why: 'git was given a commit or branch this clone does not have: it came from elsewhere (a pull request, another clone) and was never fetched.',
      rule: {
        title: 'Fetch before using a commit or branch from elsewhere',
        body: 'A commit or branch named in a pull request, an issue or another clone may not be in this one: run `git fetch origin` (or `git fetch origin pull/N/head` for a pull request) and find it with `git branch -a` or `git log --all --oneline | grep SHA` before using it.',
        scope: 'project',
        trigger: 'Before git show, checkout or diff of a commit or branch not made here',
        enforcement: 'Fetch first, then look it up',
        verification: 'No "unknown revision" or "bad revision" failures',
      },
    };
  }
  if (entity === 'clone into existing folder') {
    return {
      why: '`git clone` was pointed at a folder that already has files in it.',
      rule: {
        title: 'Clone into a new or empty folder',
        body: '`git clone URL DIR` needs DIR to be new or empty: check with `ls -A DIR`, clone into a new folder, or, to connect a folder that already has the files, run `git init`, `git remote add origin URL` and `git fetch origin` instead.',
        scope: 'project',
        trigger: 'Before git clone',
        enforcement: 'Clone into a new folder, or fetch into the existing one',
        verification: 'No "already exists and is not an empty directory" failures',
      },
    };
  }
  if (entity === 'mv untracked') {
    return {
      why: '`git mv` was given a file git does not track (new, never added).',
      rule: {
        title: 'Move files git does not track with mv, not git mv',
        body: '`git mv` only moves tracked files. For a new file use `mv SRC DST` (then `git add DST` to stage it); `git ls-files --error-unmatch SRC` tells whether git tracks it.',
        scope: 'agent:claude-code',
        trigger: 'Before git mv',
        enforcement: 'Use mv for untracked files',
        verification: 'No "not under version control" failures',
      },
    };
  }
  if (entity === 'no upstream') {
    return {
      why: 'A new branch was pushed without an upstream, so git refused the plain `git push`.',
      rule: {
        title: 'Push a new branch with its upstream set',
        body: 'A branch pushed for the first time has no upstream: push it with `git push -u origin HEAD`, not a plain `git push`.',
        scope: 'project',
        trigger: 'When pushing a branch for the first time',
        enforcement: 'Use `git push -u origin HEAD`',
        verification: 'No "has no upstream branch" failures',
      },
    };
  }
  if (entity === 'local changes in the way') {
    return {
      why: 'git refused to merge, rebase, switch or pop a stash over uncommitted changes.',
      rule: {
        title: 'Commit or stash local changes before merging, switching or popping a stash',
        body: 'Before `git merge`, `git rebase`, `git switch`, `git checkout BRANCH` or `git stash pop`, run `git status`; commit or stash what it lists (or restore generated files such as test results) so git has nothing to overwrite.',
        scope: 'project',
        trigger: 'Before git merge, switch, checkout or stash pop',
        enforcement: 'Run `git status` and clear the changes first',
        verification: 'No "would be overwritten by merge" failures',
      },
    };
  }
  if (entity === 'ignored path') {
    return {
      why: 'The agent added (or stashed) a file under a folder .gitignore excludes, so git refused the whole command.',
      rule: {
        title: 'Check .gitignore before adding files to git',
        body: 'Before `git add PATH` or `git stash push -- PATH`, check it with `git check-ignore -v PATH`. An ignored path is meant to stay out of the repository: put the file elsewhere, leave it out of the command, or ask before adding it with `git add -f`.',
        scope: 'project',
        trigger: 'Before `git add` of a new file',
        enforcement: 'Run `git check-ignore -v PATH` first',
        verification: 'No "paths are ignored by one of your .gitignore files" failures',
      },
    };
  }
  if (entity === 'commit to main') {
    return {
      why: "The project's commit hook refuses commits on main: every change goes through a branch and a pull request, and the agent committed on main.",
      rule: {
        title: 'Commit on a feature branch, never on main',
        body: 'This project refuses commits to main. Before the first commit of a change, check the branch with `git branch --show-current`; on main, create one with `git switch -c feature/NAME` (or the workflow script the hook names) and commit there, then open a pull request.',
        scope: 'project',
        trigger: 'Before committing',
        enforcement: 'Run `git branch --show-current` and switch to a feature branch when it says main',
        verification: 'No "Cannot commit directly to main" refusals',
      },
    };
  }
  if (entity === 'branch exists') {
    return {
      why: 'The agent created a branch whose name was already taken: it did not look at the branches first.',
      rule: {
        title: 'Look for a branch before creating it',
        body: 'Before `git checkout -b NAME`, run `git branch --list NAME`; when it exists, switch to it with `git switch NAME` (or pick another name) instead of creating it again.',
        scope: 'project',
        trigger: 'Before creating a branch',
        enforcement: 'Check `git branch --list NAME` first',
        verification: 'No "a branch named ... already exists" failures',
      },
    };
  }
  if (entity === 'push protection') {
    return {
      why: 'The push carried a secret in one of its commits, and the remote refused it: the secret was committed before anyone checked.',
      rule: {
        title: 'Keep secrets out of commits, and out of history before a push',
        body: 'Never commit keys or tokens: keep them in ignored files or the environment. When a push is refused for a secret, remove it from every commit being pushed (rewrite them) and tell the person; do not use the bypass link yourself.',
        scope: 'project',
        trigger: 'Before committing files that may hold credentials, and when a push is refused',
        enforcement: 'Check staged changes for secrets; rewrite the commits that hold one',
        verification: 'No pushes refused by secret scanning',
      },
    };
  }
  const signing = SIGNING[entity];
  if (signing) {
    return {
      why: `Commits here are signed with ${signing.key}, which ${signing.waits}: the agent's shell cannot give it.`,
      rule: {
        title: `Let the person make commits that ${signing.who} must sign`,
        body: `This repository signs commits with ${signing.key}, which ${signing.waits}. Stage the changes, write the commit message, and ask the person to run the commit${signing.or}; do not turn signing off.`,
        scope: 'project',
        trigger: 'Before git commit',
        enforcement: 'Hand the commit command to the person',
        verification: `No "${signing.error}" failures`,
      },
    };
  }
  if (entity === 'push denied') {
    return {
      why: 'The remote refused the push: the account git uses here may not write to that repository.',
      rule: {
        title: 'Push only where this account may write',
        body: 'This account cannot push to the repository it tried. Check `git remote -v` and push to a fork or branch it owns (`gh repo fork --remote`), or ask the person for access; do not change credentials yourself.',
        scope: 'project',
        trigger: 'Before `git push` to a repository not pushed to before',
        enforcement: 'Check `git remote -v` against the repositories this account owns',
        verification: 'No "Permission to ... denied" push failures',
      },
    };
  }
  if (entity === 'identity unknown') {
    return {
      why: 'git has no user name or email on this machine, so it refused to commit.',
      rule: {
        title: 'Ask the person to set the git identity before committing',
        body: 'git here has no `user.name` or `user.email`. Ask the person to set them (`git config user.name` and `user.email`); do not invent an identity or commit with one of your own.',
        scope: 'project',
        trigger: 'Before the first git commit on this machine',
        enforcement: 'Check `git config user.email` first',
        verification: 'No "identity unknown" failures',
      },
    };
  }
  if (entity === 'pull request exists') {
    return {
      why: 'The branch already had an open pull request, and the agent tried to open another.',
      rule: {
        title: 'Look for an open pull request before creating one',
        body: 'Before `gh pr create`, run `gh pr view --json url` on the branch; when one is open, push to the branch (it updates the pull request) or edit it with `gh pr edit` instead.',
        scope: 'project',
        trigger: 'Before `gh pr create`',
        enforcement: 'Run `gh pr view` first',
        verification: 'No "a pull request for branch ... already exists" failures',
      },
    };
  }
  if (entity === 'branch in another worktree') {
    return {
      why: 'git would not check out a branch that another worktree of the repository has checked out (as `gh pr merge --delete-branch` does to switch back to main).',
      rule: {
        title: 'Merge pull requests from a worktree without switching branches',
        body: 'This checkout is a git worktree and main is checked out elsewhere. Merge with `gh pr merge N --squash` without `--delete-branch` (delete the branch afterwards with `git push origin --delete BRANCH`), or run the merge from the main checkout.',
        scope: 'project',
        trigger: 'Before `gh pr merge` or `git checkout` of main in a worktree',
        enforcement: 'Check `git worktree list` first',
        verification: 'No "is already checked out at" failures',
      },
    };
  }
  if (entity === 'pull request head') {
    return {
      why: 'gh could not tell which pushed branch the pull request is for, so it stopped before creating it.',
      rule: {
        title: 'Name the branch when creating a pull request',
        body: 'After pushing a new branch, run `gh pr create --head BRANCH ...` with the branch from `git branch --show-current`; without `--head`, gh may not find the pushed branch and aborts.',
        scope: 'project',
        trigger: 'Before `gh pr create`',
        enforcement: 'Pass `--head BRANCH`',
        verification: 'No "you must first push the current branch" failures',
      },
    };
  }
  if (entity === 'merge blocked by branch policy') {
    return {
      why: 'The base branch requires checks or reviews the pull request has not passed yet, so GitHub refused the merge.',
      rule: {
        title: 'Wait for the required checks before merging a pull request',
        body: 'Run `gh pr checks N` before `gh pr merge N`: merge when the required checks pass, or queue the merge with `gh pr merge N --auto`. Do not use `--admin` to get past the branch protection unless the person asks for it.',
        scope: 'project',
        trigger: 'Before `gh pr merge`',
        enforcement: 'Run `gh pr checks N` first',
        verification: 'No "base branch policy prohibits the merge" failures',
      },
    };
  }
  if (entity === 'branch not merged') {
    return {
      why: '`git branch -d` refuses a branch whose commits are not in the current branch, as happens when its pull request was squash-merged.',
      rule: {
        title: 'Check the pull request before deleting a squash-merged branch',
        body: 'A branch whose pull request was squash-merged is "not fully merged" for git. Check the pull request with `gh pr view BRANCH --json state,mergedAt`; when it is merged, delete the branch with `git branch -D BRANCH` instead of retrying `-d`.',
        scope: 'project',
        trigger: 'Before deleting a local branch after its pull request',
        enforcement: 'Check `gh pr view BRANCH --json state` first',
        verification: 'No "is not fully merged" failures',
      },
    };
  }
  if (entity === 'worktree path exists') {
    return {
      why: 'The agent added a git worktree at a path that already exists, left by an earlier run.',
      rule: {
        title: 'Look at the worktrees before adding one',
        body: 'Before `git worktree add PATH BRANCH`, run `git worktree list`: reuse a worktree that is already there, remove a stale one with `git worktree remove PATH` (or `git worktree prune`), or pick a new path.',
        scope: 'project',
        trigger: 'Before `git worktree add`',
        enforcement: 'Run `git worktree list` first',
        verification: 'No "already exists" failures of git worktree add',
      },
    };
  }
  if (entity === 'push rejected') {
    return {
      why: 'The remote had commits the local branch did not: the push was made without pulling first.',
      rule: {
        title: 'Pull with rebase before pushing',
        body: 'Before pushing, run `git pull --rebase` so the branch has the remote\'s commits; never force-push to make a rejected push go through.',
        scope: 'project',
        trigger: 'Before `git push`',
        enforcement: 'Run `git pull --rebase` first',
        verification: 'No rejected pushes',
      },
    };
  }
  return undefined;
}
