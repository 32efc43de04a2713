// Rules for mistakes in Claude Code's own tools: reading, editing, paths, tools and agents it lacks.
import { quoteSafe, type Template, type TemplateInput } from './common.js';

export function toolsTemplate(input: TemplateInput): Template | undefined {
  const { cause, incident, error, target, tool, entity } = input;
  switch (incident.category) {
    case 'tool unavailable':
      if (entity === 'subagent type' || entity === 'skill') {
        const available = /Available agents?:\s*([^\n]+)/i.exec(error)?.[1]?.split(/,\s*/).map((x) => x.trim().replace(/\.$/, '')).filter(Boolean) ?? [];
        const listed = available.length ? ` This setup has: ${available.slice(0, 8).map((a) => `\`${a}\``).join(', ')}${available.length > 8 ? ', …' : ''}.` : '';
        return entity === 'skill'
          ? {
              why: 'The agent called a skill by a name that is not installed: it guessed the name instead of taking it from the listed skills.',
              rule: {
                title: 'Call skills only by the names listed as available',
                body: 'Before calling the Skill tool, take the skill name from the skills listed as available in this session; a guessed or remembered name fails with "Unknown skill".',
                scope: 'agent:claude-code',
                trigger: 'Before calling the Skill tool',
                enforcement: 'Pick the name from the available skills list',
                verification: 'No "Unknown skill" errors',
              },
            }
          : {
              why: 'The agent asked for a subagent type this setup does not have: it assumed agents from another setup.',
              rule: {
                title: 'Start only the subagent types this setup has',
                body: `Give the Task tool a subagent_type that exists here, or use general-purpose.${listed}`.slice(0, 400),
                scope: 'agent:claude-code',
                trigger: 'Before starting a subagent with the Task tool',
                enforcement: 'Pick subagent_type from the available agents',
                verification: 'No "Agent type not found" errors',
              },
            };
      }
      return {
        why: `The agent called the ${entity} tool, which this agent (or subagent) does not have: it assumed its tools instead of using the ones it was given.`,
        rule: {
          title: `Use the tools you were given when ${entity} is not one of them`,
          body: `The ${entity} tool is not available to this agent. Do the work with the tools it has (Glob to find files, Grep to search them, Read to open them) instead of calling ${entity}.`,
          scope: 'agent:claude-code',
          trigger: `Before calling ${entity} in an agent or subagent that may not have it`,
          enforcement: 'Check the tools the agent was given; use Glob, Grep and Read',
          verification: `No "No such tool available: ${entity}" errors`,
        },
      };
    case 'is a directory':
      return {
        why: `${tool} was given a folder where it takes a file: the path was not checked.`,
        rule: {
          title: `Give ${tool} a file, not a folder`,
          body: `${tool} works on one file. List a folder with the Glob tool or \`ls\` first and pass ${tool} the file you need.`,
          scope: 'agent:claude-code',
          trigger: `Before ${tool} on a path that may be a folder`,
          enforcement: 'List the folder with Glob and pick a file',
          verification: `No EISDIR failures from ${tool}`,
        },
      };
    case 'file not read first':
      return {
        why: `${tool} refuses to change a file that was not read in the session: the agent edited from memory instead of from the file's current content.`,
        rule: {
          title: `Read a file before ${tool === 'Write' ? 'overwriting' : 'editing'} it`,
          body: `Read the file with the Read tool before you ${tool === 'Write' ? 'overwrite' : 'edit'} it with ${tool}, even when you believe you know its content. ${tool} fails on files not read in the session.`,
          scope: 'agent:claude-code',
          trigger: `Before ${tool} on an existing file`,
          enforcement: 'Read the file earlier in the same session',
          verification: 'No "File has not been read yet" errors',
        },
      };
    case 'edit mismatch':
      if (entity === 'not unique') {
        return {
          why: 'The text to replace occurs more than once in the file, so the Edit could not tell which one was meant.',
          rule: {
            title: 'Make old_string unique, or set replace_all',
            body: 'When the text to replace occurs more than once, include enough surrounding lines in old_string to match one place only, or set replace_all when every occurrence should change.',
            scope: 'agent:claude-code',
            trigger: 'Before an Edit of a short or repeated snippet',
            enforcement: 'Add context lines to old_string, or pass replace_all: true',
            verification: 'No "Found N matches of the string to replace" failures',
          },
        };
      }
      if (entity === 'line numbers') {
        return {
          why: "old_string was copied with the Read tool's line-number prefixes, which are not in the file.",
          rule: {
            title: "Leave the Read tool's line numbers out of old_string",
            body: 'The Read tool shows each line after a number and an arrow (`12→`); they are not part of the file. Copy old_string from the text after the arrow only, with its exact indentation.',
            scope: 'agent:claude-code',
            trigger: 'Before an Edit whose old_string comes from a Read',
            enforcement: 'Strip the line-number prefix from every copied line',
            verification: 'No "String to replace not found" failures with numbered lines',
          },
        };
      }
      if (entity === 'modified since read') {
        return {
          why: 'A command the agent ran after reading the file (a formatter, `sed -i`, a script, `git checkout`) rewrote it, so the Edit was refused.',
          rule: {
            title: 'Read a file again after a command of yours rewrote it',
            body: 'After a shell command that rewrites files (a formatter with --write or -w, `sed -i`, a script, `git checkout` or `stash`), Read each file again before the next Edit or Write to it, and copy old_string from that read.',
            scope: 'agent:claude-code',
            trigger: 'Before an Edit after a shell command that rewrote files',
            enforcement: 'Read the file again first',
            verification: 'No "File has been modified since read" failures',
          },
        };
      }
      if (entity === 'no change') {
        return {
          why: 'The Edit asked to replace a text with the same text: the change had already been made or was never worked out.',
          rule: {
            title: 'Do not send an Edit whose new text equals the old',
            body: 'Before an Edit, check that new_string differs from old_string; when the file already holds the change, move on instead of editing again.',
            scope: 'agent:claude-code',
            trigger: 'Before an Edit',
            enforcement: 'Compare new_string with old_string',
            verification: 'No "No changes to make" failures',
          },
        };
      }
      return {
        why: 'The text to replace did not match the file: the edit was written from a stale or imagined copy of the file.',
        rule: {
          title: 'Copy old_string from a fresh Read of the file',
          body: 'Before an Edit, Read the file again and copy old_string exactly from it, whitespace included, with enough context to be unique. Edits written from memory do not match.',
          scope: 'agent:claude-code',
          trigger: 'Before an Edit',
          enforcement: 'Take old_string verbatim from the latest Read of the file',
          verification: 'No "String to replace not found" Edit failures',
        },
      };
    case 'input validation': {
      if (entity === 'stale page ref') {
        return {
          why: `${tool} was given an element ref from an older snapshot of the page; the page changed since, and the ref is gone.`,
          rule: {
            title: 'Take a fresh page snapshot before acting on an element',
            body: `Element refs belong to one snapshot of the page. After the page changes (a click, a navigation), take a new snapshot and use its refs in ${tool}.`,
            scope: 'agent:claude-code',
            trigger: 'Before a browser action after the page changed',
            enforcement: 'Snapshot again and use the new ref',
            verification: 'No "Ref not found in the current page snapshot" errors',
          },
        };
      }
      if (entity === 'hidden file input') {
        return {
          why: `${tool} clicked a file input that the page hides behind a styled button, so the click waited for it to become visible and timed out.`,
          rule: {
            title: 'Upload files with the file upload tool, not by clicking the hidden input',
            body: 'File inputs are usually hidden. Click the visible button that opens the file chooser, then give the files to the browser\'s file upload tool (for Playwright `browser_file_upload`); do not click the `<input type="file">` itself.',
            scope: 'agent:claude-code',
            trigger: 'When a page asks for a file',
            enforcement: 'Use the file upload tool after opening the chooser',
            verification: 'No click timeouts on `input type="file"`',
          },
        };
      }
      if (entity === 'modal state') {
        return {
          why: `${tool} was called in the wrong state of the page: a file chooser or dialog was (or was not) open.`,
          rule: {
            title: 'Open the file chooser before uploading, and close dialogs before other browser calls',
            body: 'Click the page\'s upload button to open its file chooser, then call the file upload tool; while a chooser or dialog is open, answer it before any other browser call.',
            scope: 'agent:claude-code',
            trigger: 'Before a browser file upload or after a click that opens a dialog',
            enforcement: 'Match the call to the modal state the page reports',
            verification: 'No "modal state" errors from browser tools',
          },
        };
      }
      if (entity === 'binary file') {
        const ext = /\.(\w+)$/.exec(target ?? '')?.[1]?.toLowerCase();
        const how = ext && ['xlsx', 'xlsm', 'xls'].includes(ext) ? 'pandas or openpyxl (`python3 -c "import pandas as pd; print(pd.read_excel(PATH).head())"`)' : ext === 'docx' ? 'python-docx or `textutil -convert txt`' : 'a library or a command-line tool that reads that format';
        return {
          why: `${tool} only reads text, images and PDFs; the agent gave it a binary ${ext ? `.${ext} ` : ''}file.`,
          rule: {
            title: `Read ${ext ? `.${ext}` : 'binary'} files with a script, not the ${tool} tool`.slice(0, 120),
            body: `The ${tool} tool refuses binary files${ext ? ` such as .${ext}` : ''}. Open them with ${how} in a Bash command and print the part you need.`,
            scope: 'agent:claude-code',
            trigger: `Before reading a ${ext ? `.${ext}` : 'binary'} file`,
            enforcement: `Use ${ext && ['xlsx', 'xlsm', 'xls'].includes(ext) ? 'pandas or openpyxl' : 'a tool for that format'} from Bash`,
            verification: `No "cannot read binary files" ${tool} failures`,
          },
        };
      }
      if (entity === 'too large') {
        return {
          why: `${tool} has a size limit; the agent tried to take a large file whole instead of in parts.`,
          rule: {
            title: 'Read large files in parts',
            body: 'Read large files in parts: pass offset and limit to the Read tool, or search them with Grep first. A whole read of a file over the size limit fails.',
            scope: 'agent:claude-code',
            trigger: 'Before reading a file that may be large (logs, data, generated code)',
            enforcement: 'Use offset and limit, or Grep for the part you need',
            verification: 'No "exceeds maximum allowed size" Read failures',
          },
        };
      }
      return {
        why: `The ${tool} call did not match the tool's input schema: the agent guessed its parameters.`,
        rule: {
          title: `Give the ${tool} tool the parameters its schema requires`,
          body: `Call the ${tool} tool with exactly the parameters and types its schema requires; check them before the call. It rejected: \`${quoteSafe(cause.firstLine).replace(/\.$/, '').slice(0, 150)}\`.`,
          scope: 'agent:claude-code',
          trigger: `Before calling the ${tool} tool`,
          enforcement: "Match the tool's documented parameter names and types",
          verification: `No InputValidationError from ${tool}`,
        },
      };
    }
    case 'file not found': {
      if (entity === 'repository') {
        return {
          why: 'The agent named a repository by a guessed owner or name that does not exist.',
          rule: {
            title: 'Take the repository owner and name from git, not from memory',
            body: 'Before a GitHub API or gh call that names a repository, read owner/name from `git remote get-url origin` or `gh repo view --json nameWithOwner`; guessed names do not resolve.',
            scope: 'project',
            trigger: 'Before a gh or GitHub API call naming a repository',
            enforcement: 'Read owner/name from git remote or gh repo view',
            verification: 'No "Could not resolve to a Repository" failures',
          },
        };
      }
      if (entity === 'test file') {
        return {
          why: 'A test runner was given a test file or path that matches no test file, so it ran nothing: the path was written from memory.',
          rule: {
            title: 'Look a test file up before running it by path',
            body: 'Before running one test file, find it with the Glob tool (`**/NAME*.test.*`, `**/NAME*.spec.*`) and pass the path it shows, from the folder the runner starts in; a path that matches no test file runs nothing.',
            scope: 'project',
            trigger: 'Before running a single test file by path',
            enforcement: 'Find the test file with Glob first',
            verification: 'No "No tests found" or "did not match any test files" failures',
          },
        };
      }
      if (entity === 'msys path') {
        return {
          why: `${tool} was given a Git Bash path (\`/c/Users/...\`), which only the Git Bash shell understands; Windows file tools need the Windows spelling.`,
          rule: {
            title: 'Give file tools Windows paths, not Git Bash paths',
            body: `On Windows, pass ${tool} and the other file tools paths like \`C:/Users/me/project/file.md\`, not Git Bash's \`/c/Users/me/...\`, which they cannot open.`,
            scope: 'agent:claude-code',
            trigger: 'Before a file tool call on Windows with a path from the shell',
            enforcement: 'Write the drive letter: C:/... instead of /c/...',
            verification: 'No "File does not exist" failures on /c/... paths',
          },
        };
      }
      // The key names the folder and kind of file looked for (`archive/*.md`): the rule is about those.
      const folder = entity.includes('/*') && !entity.startsWith('./') ? `**/${entity}` : undefined;
      return {
        why: `The agent used a path that does not exist${target ? ` (${target.slice(0, 80)})` : ''}: it assumed the layout instead of looking.`,
        rule: {
          title: `Look ${folder ? `files like \`${entity}\`` : 'paths'} up before ${tool === 'Bash' ? 'using them in commands' : `passing them to ${tool}`}`,
          body: `Find a file with the Glob tool (or \`ls\` its folder) before ${tool === 'Bash' ? 'a command uses it' : `${tool} opens it`}${folder ? `, above all files like \`${folder}\`` : ''}; paths written from memory often do not exist in this project.`,
          scope: 'project',
          trigger: `Before ${tool} on a path not seen in this session`,
          enforcement: 'Find the path with Glob first',
          verification: `No "No such file or directory" or "does not exist" failures from ${tool}`,
          ...(folder ? { paths: [folder] } : {}),
        },
      };
    }
    default:
      break;
  }
  return undefined;
}
