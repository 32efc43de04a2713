// Ported from strictyaml 1.7.3 and the ruamel.yaml 0.16.13 it vendors (both MIT; see vendor/strictyaml/).
// The YAML reader of the official Agent Skills validator, so that a front matter passes here
// exactly when it passes there. skills-ref parses front matter with strictyaml 1.7, which runs
// ruamel.yaml's round-trip reader, scanner, parser and composer (as vendored in strictyaml, YAML
// 1.2 mode) and adds its own refusals. No JavaScript YAML package reads YAML that way: the yaml
// package (which the rest of nevo uses) follows the YAML 1.2 specification, which allows tabs
// between tokens, treats only CR and LF as line breaks and has no merge keys, and js-yaml and the
// PyYAML port yaml-js differ from ruamel in other places. This is a port of the parts that decide
// whether a text is accepted and what it holds, function for function, with ruamel's names:
//   - the reader refuses any character outside YAML's printable set (C0 and C1 controls but tab,
//     LF, CR and NEL; DEL; U+FFFE and U+FFFF) anywhere in the text, comments included;
//   - the scanner skips only spaces between tokens (a tab after a colon, after a value or alone on
//     a line cannot start a token), ends lines at LF, CR, NEL, U+2028 and U+2029 (counting a line
//     only at LF and CR), keeps the simple-key limit of one line and 1,024 characters, and queues
//     comment tokens the way the round-trip scanner does (they shift its token bookkeeping);
//   - strictyaml refuses tags, anchors and flow collections as the parser meets them, duplicate
//     keys, and sibling mappings that start in different columns;
//   - every scalar is a string, but the plain scalars `=` and `<<` (YAML's value and merge tags),
//     which come out as tagged objects, not strings; `<<` as a key merges (and its keys are lost).
// Where strictyaml or ruamel crash on their own bug (a control character makes strictyaml read a
// field ruamel's ReaderError lacks; a sequence used as a key fails an assertion) the result is an
// error of kind `crash`, which skills-ref does not catch either: the skill fails both ways.
// Strings are handled as arrays of code points, so that columns, the 1,024 limit and lengths
// count as Python does.

export interface Mark {
  index: number;
  line: number;
  column: number;
}

/** A string value that ruamel tags as something else (`=`, `<<`): not a str for skills-ref. */
export class TaggedScalar {
  constructor(
    readonly tag: string,
    readonly value: string,
  ) {}
  toString(): string {
    return this.value;
  }
}

/** A sequence used as a mapping key (Python makes it a tuple). */
export class TupleKey {
  constructor(readonly items: readonly YamlValue[]) {}
}

export type YamlValue = string | TaggedScalar | YamlValue[] | YamlMap;
/** A mapping, in order; keys are strings or tuples, as in Python. */
export type YamlMap = Map<string | TupleKey, YamlValue>;

export class StrictYamlError extends Error {
  constructor(
    /** `yaml`: strictyaml raises a YAMLError; `crash`: it fails with another exception. */
    readonly kind: 'yaml' | 'crash',
    message: string,
    readonly mark?: Mark,
  ) {
    super(message);
  }
}

const THE_END = '\n\0\r\x85\u2028\u2029';
const THE_END_SPACE_TAB = ' \n\0\t\r\x85\u2028\u2029';
const SPACE_TAB = ' \t';
const BREAKS = '\r\n\x85\u2028\u2029';
const NON_PRINTABLE = /[^\x09\x0A\x0D\x20-\x7E\x85\xA0-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
const isIn = (ch: string, set: string) => ch !== '' && set.includes(ch);

function fail(message: string, mark?: Mark): never {
  throw new StrictYamlError('yaml', message, mark);
}
function crash(message: string): never {
  throw new StrictYamlError('crash', message);
}

// ---------------------------------------------------------------- tokens

type Comment = Array<unknown>;

interface Token {
  kind: string;
  start: Mark;
  end: Mark;
  value?: string;
  plain?: boolean;
  style?: string;
  /** ruamel's `_comment`: [post comment, pre comments, ...]. Only its shape matters here. */
  comment?: Comment;
}

const tok = (kind: string, start: Mark, end: Mark, extra: Partial<Token> = {}): Token => ({ kind, start, end, ...extra });

function addPostComment(t: Token, c: Token): void {
  t.comment ??= [null, null];
  t.comment[0] = c;
}
function addPreComments(t: Token, cs: Token[]): void {
  t.comment ??= [null, null];
  if (t.comment[1] !== null && t.comment[1] !== undefined) crash('AssertionError: a token got pre comments twice');
  t.comment[1] = cs;
}
const truthy = (v: unknown) => (Array.isArray(v) ? v.length > 0 : v !== null && v !== undefined && v !== '');

/** ruamel's Token.move_comment. */
function moveComment(from: Token, target: Token, empty = false): void {
  let c = from.comment;
  if (!c) return;
  if (target.kind === 'StreamEnd' || target.kind === 'DocumentStart') return;
  delete from.comment;
  const tc = target.comment;
  if (!tc || !truthy(tc)) {
    if (empty) c = [c[0], c[1], null, null, c[0]];
    target.comment = c;
    return;
  }
  if ((truthy(c[0]) && truthy(tc[0])) || (truthy(c[1]) && truthy(tc[1]))) crash('NotImplementedError: overlap in comment');
  if (truthy(c[0])) tc[0] = c[0];
  if (truthy(c[1])) tc[1] = c[1];
}

/** ruamel's Token.split_comment. */
function splitComment(t: Token): Comment | null {
  const c = t.comment;
  if (!c || c[0] === null || c[0] === undefined) return null;
  const ret = [c[0], null];
  if (c[1] === null || c[1] === undefined) delete t.comment;
  return ret;
}

// ---------------------------------------------------------------- reader + scanner

interface SimpleKey {
  tokenNumber: number;
  required: boolean;
  index: number;
  line: number;
  column: number;
  mark: Mark;
}

class Scanner {
  private readonly buf: string[];
  private pointer = 0;
  index = 0;
  line = 0;
  column = 0;

  done = false;
  private flowContext: string[] = [];
  tokens: Token[] = [];
  private tokensTaken = 0;
  private indent = -1;
  private indents: number[] = [];
  private allowSimpleKey = true;
  private possibleSimpleKeys = new Map<number, SimpleKey>();
  yamlVersion: [number, number] | null = null;

  constructor(text: string) {
    const bad = NON_PRINTABLE.exec(text);
    if (bad) {
      // ruamel's ReaderError, which strictyaml then fails to handle (it has no context_mark).
      const before = text.slice(0, bad.index);
      const line = before.split('\n').length - 1;
      const code = bad[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
      throw new StrictYamlError('crash', `the character U+${code} is not allowed in YAML (control characters, U+FFFE and U+FFFF are not)`, { index: [...before].length, line, column: [...before.slice(before.lastIndexOf('\n') + 1)].length });
    }
    this.buf = Array.from(text);
    this.buf.push('\0');
    this.fetchStreamStart();
  }

  // ---- reader
  peek(i = 0): string {
    const ch = this.buf[this.pointer + i];
    if (ch === undefined) crash('IndexError: read past the end of the text');
    return ch;
  }
  prefix(length = 1): string {
    return this.buf.slice(this.pointer, this.pointer + length).join('');
  }
  forward(length = 1): void {
    while (length-- > 0) {
      const ch = this.buf[this.pointer]!;
      this.pointer++;
      this.index++;
      if (ch === '\n' || (ch === '\r' && this.buf[this.pointer] !== '\n')) {
        this.line++;
        this.column = 0;
      } else if (ch !== '\uFEFF') {
        this.column++;
      }
    }
  }
  mark(): Mark {
    return { index: this.index, line: this.line, column: this.column };
  }

  private get flowLevel(): number {
    return this.flowContext.length;
  }

  // ---- public (RoundTripScanner + StrictYAMLScanner)
  checkToken(...choices: string[]): boolean {
    while (this.needMoreTokens()) this.fetchMoreTokens();
    this.gatherComments();
    if (this.tokens.length) {
      if (!choices.length) return true;
      const t = this.tokens[0]!;
      if (choices.includes(t.kind)) {
        if (t.kind === 'Tag') fail('Found disallowed tag tokens (do not specify types in markup)', t.start);
        if (t.kind === 'FlowMappingStart' || t.kind === 'FlowSequenceStart') fail('Found ugly disallowed JSONesque flow mapping (surround with \' and \' to make text appear literally)', t.start);
        if (t.kind === 'Anchor') fail('Found confusing disallowed anchor token (surround with \' and \' to make text appear literally)', t.start);
        return true;
      }
    }
    return false;
  }

  peekToken(): Token {
    while (this.needMoreTokens()) this.fetchMoreTokens();
    this.gatherComments();
    return this.tokens[0]!;
  }

  private gatherComments(): void {
    const comments: Token[] = [];
    if (!this.tokens.length) return;
    if (this.tokens[0]!.kind === 'Comment') {
      comments.push(this.tokens.shift()!);
      this.tokensTaken++;
    }
    while (this.needMoreTokens()) {
      this.fetchMoreTokens();
      if (!this.tokens.length) return;
      if (this.tokens[0]!.kind === 'Comment') {
        this.tokensTaken++;
        comments.push(this.tokens.shift()!);
      }
    }
    if (comments.length >= 1) addPreComments(this.tokens[0]!, comments);
    if (!this.done && this.tokens.length < 2) this.fetchMoreTokens();
  }

  getToken(): Token {
    while (this.needMoreTokens()) this.fetchMoreTokens();
    this.gatherComments();
    const t0 = this.tokens[0]!;
    if (this.tokens.length > 1 && ['Scalar', 'Value', 'FlowSequenceEnd', 'FlowMappingEnd'].includes(t0.kind) && this.tokens[1]!.kind === 'Comment' && t0.end.line === this.tokens[1]!.start.line) {
      this.tokensTaken++;
      const c = this.tokens.splice(1, 1)[0]!;
      this.fetchMoreTokens();
      while (this.tokens.length > 1 && this.tokens[1]!.kind === 'Comment') {
        this.tokensTaken++;
        this.tokens.splice(1, 1);
        this.fetchMoreTokens();
      }
      addPostComment(t0, c);
    } else if (this.tokens.length > 1 && t0.kind === 'Scalar' && this.tokens[1]!.kind === 'Comment' && t0.end.line !== this.tokens[1]!.start.line) {
      this.tokensTaken++;
      const c = this.tokens.splice(1, 1)[0]!;
      addPostComment(t0, c);
      this.fetchMoreTokens();
      while (this.tokens.length > 1 && this.tokens[1]!.kind === 'Comment') {
        this.tokensTaken++;
        this.tokens.splice(1, 1);
        this.fetchMoreTokens();
      }
    }
    this.tokensTaken++;
    return this.tokens.shift()!;
  }

  // ---- private
  private needMoreTokens(): boolean {
    if (this.done) return false;
    if (!this.tokens.length) return true;
    this.stalePossibleSimpleKeys();
    return this.nextPossibleSimpleKey() === this.tokensTaken;
  }

  fetchMoreTokens(): void {
    const comment = this.scanToNextToken();
    if (comment) {
      this.tokens.push(tok('Comment', comment.start, comment.end));
      return;
    }
    this.stalePossibleSimpleKeys();
    this.unwindIndent(this.column);
    const ch = this.peek();
    if (ch === '\0') return this.fetchStreamEnd();
    if (ch === '%' && this.column === 0) return this.fetchDirective();
    if (ch === '-' && this.checkDocumentIndicator('---')) return this.fetchDocumentIndicator('DocumentStart');
    if (ch === '.' && this.checkDocumentIndicator('...')) return this.fetchDocumentIndicator('DocumentEnd');
    if (ch === '[') return this.fetchFlowCollectionStart('FlowSequenceStart', '[');
    if (ch === '{') return this.fetchFlowCollectionStart('FlowMappingStart', '{');
    if (ch === ']') return this.fetchFlowCollectionEnd('FlowSequenceEnd');
    if (ch === '}') return this.fetchFlowCollectionEnd('FlowMappingEnd');
    if (ch === ',') return this.fetchFlowEntry();
    if (ch === '-' && isIn(this.peek(1), THE_END_SPACE_TAB)) return this.fetchBlockEntry();
    if (ch === '?' && (this.flowLevel > 0 || isIn(this.peek(1), THE_END_SPACE_TAB))) return this.fetchKey();
    if (ch === ':' && this.checkValue()) return this.fetchValue();
    if (ch === '*') return this.fetchAnchorLike('Alias');
    if (ch === '&') return this.fetchAnchorLike('Anchor');
    if (ch === '!') return this.fetchTag();
    if (ch === '|' && !this.flowLevel) return this.fetchBlockScalar('|');
    if (ch === '>' && !this.flowLevel) return this.fetchBlockScalar('>');
    if (ch === "'") return this.fetchFlowScalar("'");
    if (ch === '"') return this.fetchFlowScalar('"');
    if (this.checkPlain()) return this.fetchPlain();
    fail(`while scanning for the next token found character ${JSON.stringify(ch)} that cannot start any token`, this.mark());
  }

  private nextPossibleSimpleKey(): number | null {
    let min: number | null = null;
    for (const key of this.possibleSimpleKeys.values()) if (min === null || key.tokenNumber < min) min = key.tokenNumber;
    return min;
  }

  private stalePossibleSimpleKeys(): void {
    for (const [level, key] of [...this.possibleSimpleKeys]) {
      if (key.line !== this.line || this.index - key.index > 1024) {
        if (key.required) fail("while scanning a simple key could not find expected ':'", key.mark);
        this.possibleSimpleKeys.delete(level);
      }
    }
  }

  private savePossibleSimpleKey(): void {
    const required = !this.flowLevel && this.indent === this.column;
    if (this.allowSimpleKey) {
      this.removePossibleSimpleKey();
      this.possibleSimpleKeys.set(this.flowLevel, { tokenNumber: this.tokensTaken + this.tokens.length, required, index: this.index, line: this.line, column: this.column, mark: this.mark() });
    }
  }

  private removePossibleSimpleKey(): void {
    const key = this.possibleSimpleKeys.get(this.flowLevel);
    if (key) {
      if (key.required) fail("while scanning a simple key could not find expected ':'", key.mark);
      this.possibleSimpleKeys.delete(this.flowLevel);
    }
  }

  private unwindIndent(column: number): void {
    if (this.flowLevel) return;
    while (this.indent > column) {
      const m = this.mark();
      this.indent = this.indents.pop()!;
      this.tokens.push(tok('BlockEnd', m, m));
    }
  }

  private addIndent(column: number): boolean {
    if (this.indent < column) {
      this.indents.push(this.indent);
      this.indent = column;
      return true;
    }
    return false;
  }

  private fetchStreamStart(): void {
    const m = this.mark();
    this.tokens.push(tok('StreamStart', m, m));
  }

  private fetchStreamEnd(): void {
    this.unwindIndent(-1);
    this.removePossibleSimpleKey();
    this.allowSimpleKey = false;
    this.possibleSimpleKeys = new Map();
    const m = this.mark();
    this.tokens.push(tok('StreamEnd', m, m));
    this.done = true;
  }

  private fetchDirective(): void {
    this.unwindIndent(-1);
    this.removePossibleSimpleKey();
    this.allowSimpleKey = false;
    this.tokens.push(this.scanDirective());
  }

  private checkDocumentIndicator(s: string): boolean {
    return this.column === 0 && this.prefix(3) === s && isIn(this.peek(3), THE_END_SPACE_TAB);
  }

  private fetchDocumentIndicator(kind: string): void {
    this.unwindIndent(-1);
    this.removePossibleSimpleKey();
    this.allowSimpleKey = false;
    const start = this.mark();
    this.forward(3);
    this.tokens.push(tok(kind, start, this.mark()));
  }

  private fetchFlowCollectionStart(kind: string, push: string): void {
    this.savePossibleSimpleKey();
    this.flowContext.push(push);
    this.allowSimpleKey = true;
    const start = this.mark();
    this.forward();
    this.tokens.push(tok(kind, start, this.mark()));
  }

  private fetchFlowCollectionEnd(kind: string): void {
    this.removePossibleSimpleKey();
    this.flowContext.pop();
    this.allowSimpleKey = false;
    const start = this.mark();
    this.forward();
    this.tokens.push(tok(kind, start, this.mark()));
  }

  private fetchFlowEntry(): void {
    this.allowSimpleKey = true;
    this.removePossibleSimpleKey();
    const start = this.mark();
    this.forward();
    this.tokens.push(tok('FlowEntry', start, this.mark()));
  }

  private fetchBlockEntry(): void {
    if (!this.flowLevel) {
      if (!this.allowSimpleKey) fail('sequence entries are not allowed here', this.mark());
      if (this.addIndent(this.column)) {
        const m = this.mark();
        this.tokens.push(tok('BlockSequenceStart', m, m));
      }
    }
    this.allowSimpleKey = true;
    this.removePossibleSimpleKey();
    const start = this.mark();
    this.forward();
    this.tokens.push(tok('BlockEntry', start, this.mark()));
  }

  private fetchKey(): void {
    if (!this.flowLevel) {
      if (!this.allowSimpleKey) fail('mapping keys are not allowed here', this.mark());
      if (this.addIndent(this.column)) {
        const m = this.mark();
        this.tokens.push(tok('BlockMappingStart', m, m));
      }
    }
    this.allowSimpleKey = !this.flowLevel;
    this.removePossibleSimpleKey();
    const start = this.mark();
    this.forward();
    this.tokens.push(tok('Key', start, this.mark()));
  }

  private fetchValue(): void {
    const key = this.possibleSimpleKeys.get(this.flowLevel);
    if (key) {
      this.possibleSimpleKeys.delete(this.flowLevel);
      this.insertToken(key.tokenNumber - this.tokensTaken, tok('Key', key.mark, key.mark));
      if (!this.flowLevel && this.addIndent(key.column)) this.insertToken(key.tokenNumber - this.tokensTaken, tok('BlockMappingStart', key.mark, key.mark));
      this.allowSimpleKey = false;
    } else {
      if (!this.flowLevel && !this.allowSimpleKey) fail('mapping values are not allowed here', this.mark());
      if (!this.flowLevel && this.addIndent(this.column)) {
        const m = this.mark();
        this.tokens.push(tok('BlockMappingStart', m, m));
      }
      this.allowSimpleKey = !this.flowLevel;
      this.removePossibleSimpleKey();
    }
    const start = this.mark();
    this.forward();
    this.tokens.push(tok('Value', start, this.mark()));
  }

  /** Python's list.insert: a negative index counts from the end, clamped to the list. */
  private insertToken(at: number, t: Token): void {
    const n = this.tokens.length;
    const i = at < 0 ? Math.max(0, n + at) : Math.min(at, n);
    this.tokens.splice(i, 0, t);
  }

  private fetchAnchorLike(kind: 'Alias' | 'Anchor'): void {
    this.savePossibleSimpleKey();
    this.allowSimpleKey = false;
    this.tokens.push(this.scanAnchor(kind));
  }

  private fetchTag(): void {
    this.savePossibleSimpleKey();
    this.allowSimpleKey = false;
    this.tokens.push(this.scanTag());
  }

  private fetchBlockScalar(style: string): void {
    this.allowSimpleKey = true;
    this.removePossibleSimpleKey();
    this.tokens.push(this.scanBlockScalar(style));
  }

  private fetchFlowScalar(style: string): void {
    this.savePossibleSimpleKey();
    this.allowSimpleKey = false;
    this.tokens.push(this.scanFlowScalar(style));
  }

  private fetchPlain(): void {
    this.savePossibleSimpleKey();
    this.allowSimpleKey = false;
    this.tokens.push(this.scanPlain());
  }

  private checkValue(): boolean {
    if (this.flowLevel) {
      if (this.flowContext[this.flowContext.length - 1] === '[') {
        if (!isIn(this.peek(1), THE_END_SPACE_TAB)) return false;
      } else if (this.tokens.length && this.tokens[this.tokens.length - 1]!.kind === 'Value') {
        if (!isIn(this.peek(1), THE_END_SPACE_TAB)) return false;
      }
      return true;
    }
    return isIn(this.peek(1), THE_END_SPACE_TAB);
  }

  private checkPlain(): boolean {
    const ch = this.peek();
    if (!isIn(ch, '\0 \t\r\n\x85\u2028\u2029-?:,[]{}#&*!|>\'"%@`')) return true;
    const ch1 = this.peek(1);
    if (ch === '-' && !isIn(ch1, THE_END_SPACE_TAB)) return true;
    if (ch === ':' && this.flowLevel && !isIn(ch1, SPACE_TAB)) return true;
    return !isIn(ch1, THE_END_SPACE_TAB) && (ch === '-' || (!this.flowLevel && isIn(ch, '?:')));
  }

  /** RoundTripScanner.scan_to_next_token: a comment (or a run of blank lines) comes back as one. */
  private scanToNextToken(): { start: Mark; end: Mark } | null {
    if (this.index === 0 && this.peek() === '\uFEFF') this.forward();
    for (;;) {
      while (this.peek() === ' ') this.forward();
      let ch = this.peek();
      if (ch === '#') {
        const start = this.mark();
        this.forward();
        while (!isIn(ch, THE_END)) {
          ch = this.peek();
          if (ch === '\0') break;
          this.forward();
        }
        while (this.scanLineBreak()) {
          /* blank lines after the comment */
        }
        if (!this.flowLevel) this.allowSimpleKey = true;
        return { start, end: this.mark() };
      }
      if (this.scanLineBreak()) {
        if (!this.flowLevel) this.allowSimpleKey = true;
        if (this.peek() === '\n') {
          const start = this.mark();
          while (this.scanLineBreak(true)) {
            /* empty lines, and the spaces and tabs on them */
          }
          return { start, end: this.mark() };
        }
      } else {
        return null;
      }
    }
  }

  private scanLineBreak(emptyLine = false): string {
    const ch = this.peek();
    if (isIn(ch, '\r\n\x85')) {
      if (this.prefix(2) === '\r\n') this.forward(2);
      else this.forward();
      return '\n';
    }
    if (ch === '\u2028' || ch === '\u2029') {
      this.forward();
      return ch;
    }
    if (emptyLine && (ch === '\t' || ch === ' ')) {
      this.forward();
      return ch;
    }
    return '';
  }

  private scanDirective(): Token {
    const start = this.mark();
    this.forward();
    const name = this.scanDirectiveName(start);
    let end: Mark;
    if (name === 'YAML') {
      this.scanYamlDirectiveValue(start);
      end = this.mark();
    } else if (name === 'TAG') {
      this.scanTagDirectiveValue(start);
      end = this.mark();
    } else {
      end = this.mark();
      while (!isIn(this.peek(), THE_END)) this.forward();
    }
    this.scanDirectiveIgnoredLine(start);
    return tok('Directive', start, end, { value: name });
  }

  private scanDirectiveName(start: Mark): string {
    let length = 0;
    let ch = this.peek(length);
    while (/^[0-9A-Za-z\-_:.]$/.test(ch)) ch = this.peek(++length);
    if (!length) fail(`while scanning a directive expected alphabetic or numeric character, but found ${JSON.stringify(ch)}`, start);
    const value = this.prefix(length);
    this.forward(length);
    ch = this.peek();
    if (!isIn(ch, '\0 \r\n\x85\u2028\u2029')) fail(`while scanning a directive expected alphabetic or numeric character, but found ${JSON.stringify(ch)}`, start);
    return value;
  }

  private scanYamlDirectiveValue(start: Mark): void {
    while (this.peek() === ' ') this.forward();
    const major = this.scanYamlDirectiveNumber(start);
    if (this.peek() !== '.') fail(`while scanning a directive expected a digit or '.', but found ${JSON.stringify(this.peek())}`, start);
    this.forward();
    const minor = this.scanYamlDirectiveNumber(start);
    if (!isIn(this.peek(), '\0 \r\n\x85\u2028\u2029')) fail(`while scanning a directive expected a digit or ' ', but found ${JSON.stringify(this.peek())}`, start);
    this.yamlVersion = [major, minor];
  }

  private scanYamlDirectiveNumber(start: Mark): number {
    const ch = this.peek();
    if (!(ch >= '0' && ch <= '9')) fail(`while scanning a directive expected a digit, but found ${JSON.stringify(ch)}`, start);
    let length = 0;
    while (this.peek(length) >= '0' && this.peek(length) <= '9') length++;
    const value = Number(this.prefix(length));
    this.forward(length);
    return value;
  }

  private scanTagDirectiveValue(start: Mark): void {
    while (this.peek() === ' ') this.forward();
    this.scanTagHandle('directive', start);
    if (this.peek() !== ' ') fail(`while scanning a directive expected ' ', but found ${JSON.stringify(this.peek())}`, start);
    while (this.peek() === ' ') this.forward();
    this.scanTagUri('directive', start);
    if (!isIn(this.peek(), '\0 \r\n\x85\u2028\u2029')) fail(`while scanning a directive expected ' ', but found ${JSON.stringify(this.peek())}`, start);
  }

  private scanDirectiveIgnoredLine(start: Mark): void {
    while (this.peek() === ' ') this.forward();
    if (this.peek() === '#') while (!isIn(this.peek(), THE_END)) this.forward();
    const ch = this.peek();
    if (!isIn(ch, THE_END)) fail(`while scanning a directive expected a comment or a line break, but found ${JSON.stringify(ch)}`, start);
    this.scanLineBreak();
  }

  private scanAnchor(kind: 'Alias' | 'Anchor'): Token {
    const start = this.mark();
    const name = this.peek() === '*' ? 'alias' : 'anchor';
    this.forward();
    let length = 0;
    let ch = this.peek(length);
    // ruamel's check_anchorname_char: anything but space, line ends and ,[]{}.
    while (!isIn(ch, '\0 \t\r\n\x85\u2028\u2029,[]{}')) ch = this.peek(++length);
    if (!length) fail(`while scanning an ${name} expected alphabetic or numeric character, but found ${JSON.stringify(ch)}`, start);
    const value = this.prefix(length);
    this.forward(length);
    if (!isIn(ch, '\0 \t\r\n\x85\u2028\u2029?:,[]{}%@`')) fail(`while scanning an ${name} expected alphabetic or numeric character, but found ${JSON.stringify(ch)}`, start);
    return tok(kind, start, this.mark(), { value });
  }

  private scanTag(): Token {
    const start = this.mark();
    let ch = this.peek(1);
    if (ch === '<') {
      this.forward(2);
      this.scanTagUri('tag', start);
      if (this.peek() !== '>') fail(`while parsing a tag expected '>', but found ${JSON.stringify(this.peek())}`, start);
      this.forward();
    } else if (isIn(ch, THE_END_SPACE_TAB)) {
      this.forward();
    } else {
      let length = 1;
      let useHandle = false;
      while (!isIn(ch, '\0 \r\n\x85\u2028\u2029')) {
        if (ch === '!') {
          useHandle = true;
          break;
        }
        ch = this.peek(++length);
      }
      if (useHandle) this.scanTagHandle('tag', start);
      else this.forward();
      this.scanTagUri('tag', start);
    }
    ch = this.peek();
    if (!isIn(ch, '\0 \r\n\x85\u2028\u2029')) fail(`while scanning a tag expected ' ', but found ${JSON.stringify(ch)}`, start);
    return tok('Tag', start, this.mark());
  }

  private scanTagHandle(name: string, start: Mark): string {
    let ch = this.peek();
    if (ch !== '!') fail(`while scanning a ${name} expected '!', but found ${JSON.stringify(ch)}`, start);
    let length = 1;
    ch = this.peek(length);
    if (ch !== ' ') {
      while (/^[0-9A-Za-z\-_]$/.test(ch)) ch = this.peek(++length);
      if (ch !== '!') {
        this.forward(length);
        fail(`while scanning a ${name} expected '!', but found ${JSON.stringify(ch)}`, start);
      }
      length++;
    }
    const value = this.prefix(length);
    this.forward(length);
    return value;
  }

  private scanTagUri(name: string, start: Mark): string {
    const chunks: string[] = [];
    let length = 0;
    let ch = this.peek(length);
    while (/^[0-9A-Za-z\-;/?:@&=+$,_.!~*'()[\]%#]$/.test(ch)) {
      if (ch === '%') {
        chunks.push(this.prefix(length));
        this.forward(length);
        length = 0;
        chunks.push(this.scanUriEscapes(name, start));
      } else {
        length++;
      }
      ch = this.peek(length);
    }
    if (length) {
      chunks.push(this.prefix(length));
      this.forward(length);
    }
    if (!chunks.length) fail(`while parsing a ${name} expected URI, but found ${JSON.stringify(ch)}`, start);
    return chunks.join('');
  }

  private scanUriEscapes(name: string, start: Mark): string {
    const bytes: number[] = [];
    while (this.peek() === '%') {
      this.forward();
      for (let k = 0; k < 2; k++) {
        if (!/^[0-9A-Fa-f]$/.test(this.peek(k))) fail(`while scanning a ${name} expected URI escape sequence of 2 hexdecimal numbers, but found ${JSON.stringify(this.peek(k))}`, start);
      }
      bytes.push(parseInt(this.prefix(2), 16));
      this.forward(2);
    }
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(bytes));
    } catch {
      fail(`while scanning a ${name}: invalid UTF-8 in a URI escape`, start);
    }
  }

  private scanBlockScalar(style: string): Token {
    const folded = style === '>';
    const chunks: string[] = [];
    const start = this.mark();
    this.forward();
    const [chomping, increment] = this.scanBlockScalarIndicators(start);
    const blockComment = this.scanBlockScalarIgnoredLine(start);
    let minIndent = this.indent + 1;
    let indent: number;
    let breaks: string[];
    let end: Mark;
    if (increment === null) {
      // (ruamel raises min_indent to 1 only for other styles or in YAML 1.1.)
      const r = this.scanBlockScalarIndentation();
      breaks = r.chunks;
      end = r.end;
      indent = Math.max(minIndent, r.maxIndent);
    } else {
      if (minIndent < 1) minIndent = 1;
      indent = minIndent + increment - 1;
      const r = this.scanBlockScalarBreaks(indent);
      breaks = r.chunks;
      end = r.end;
    }
    let lineBreak = '';
    while (this.column === indent && this.peek() !== '\0') {
      chunks.push(...breaks);
      const leadingNonSpace = !isIn(this.peek(), ' \t');
      let length = 0;
      while (!isIn(this.peek(length), THE_END)) length++;
      chunks.push(this.prefix(length));
      this.forward(length);
      lineBreak = this.scanLineBreak();
      const r = this.scanBlockScalarBreaks(indent);
      breaks = r.chunks;
      end = r.end;
      if (minIndent === 0 && (this.checkDocumentIndicator('---') || this.checkDocumentIndicator('...'))) break;
      if (this.column === indent && this.peek() !== '\0') {
        if (folded && lineBreak === '\n' && leadingNonSpace && !isIn(this.peek(), ' \t')) {
          if (!breaks.length) chunks.push(' ');
        } else {
          chunks.push(lineBreak);
        }
      } else {
        break;
      }
    }
    const trailing: string[] = [];
    if (chomping === null || chomping === true) chunks.push(lineBreak);
    if (chomping === true) chunks.push(...breaks);
    else trailing.push(...breaks);
    const token = tok('Scalar', start, end, { value: chunks.join(''), plain: false, style });
    if (blockComment) addPreComments(token, [blockComment]);
    if (trailing.length > 0) {
      let comment = this.scanToNextToken();
      while (comment) comment = this.scanToNextToken();
      addPostComment(token, tok('Comment', end, this.mark()));
    }
    return token;
  }

  private scanBlockScalarIndicators(start: Mark): [boolean | null, number | null] {
    let chomping: boolean | null = null;
    let increment: number | null = null;
    let ch = this.peek();
    if (isIn(ch, '+-')) {
      chomping = ch === '+';
      this.forward();
      ch = this.peek();
      if (isIn(ch, '0123456789')) {
        increment = Number(ch);
        if (increment === 0) fail('while scanning a block scalar expected indentation indicator in the range 1-9, but found 0', start);
        this.forward();
      }
    } else if (isIn(ch, '0123456789')) {
      increment = Number(ch);
      if (increment === 0) fail('while scanning a block scalar expected indentation indicator in the range 1-9, but found 0', start);
      this.forward();
      ch = this.peek();
      if (isIn(ch, '+-')) {
        chomping = ch === '+';
        this.forward();
      }
    }
    ch = this.peek();
    if (!isIn(ch, '\0 \r\n\x85\u2028\u2029')) fail(`while scanning a block scalar expected chomping or indentation indicators, but found ${JSON.stringify(ch)}`, start);
    return [chomping, increment];
  }

  private scanBlockScalarIgnoredLine(start: Mark): Token | null {
    let comment: Token | null = null;
    while (this.peek() === ' ') this.forward();
    if (this.peek() === '#') {
      const m = this.mark();
      while (!isIn(this.peek(), THE_END)) this.forward();
      comment = tok('Comment', m, this.mark());
    }
    const ch = this.peek();
    if (!isIn(ch, THE_END)) fail(`while scanning a block scalar expected a comment or a line break, but found ${JSON.stringify(ch)}`, start);
    this.scanLineBreak();
    return comment;
  }

  private scanBlockScalarIndentation(): { chunks: string[]; maxIndent: number; end: Mark } {
    const chunks: string[] = [];
    let maxIndent = 0;
    let end = this.mark();
    while (isIn(this.peek(), ' \r\n\x85\u2028\u2029')) {
      if (this.peek() !== ' ') {
        chunks.push(this.scanLineBreak());
        end = this.mark();
      } else {
        this.forward();
        if (this.column > maxIndent) maxIndent = this.column;
      }
    }
    return { chunks, maxIndent, end };
  }

  private scanBlockScalarBreaks(indent: number): { chunks: string[]; end: Mark } {
    const chunks: string[] = [];
    let end = this.mark();
    while (this.column < indent && this.peek() === ' ') this.forward();
    while (isIn(this.peek(), BREAKS)) {
      chunks.push(this.scanLineBreak());
      end = this.mark();
      while (this.column < indent && this.peek() === ' ') this.forward();
    }
    return { chunks, end };
  }

  private scanFlowScalar(style: string): Token {
    const double = style === '"';
    const chunks: string[] = [];
    const start = this.mark();
    const quote = this.peek();
    this.forward();
    chunks.push(...this.scanFlowScalarNonSpaces(double, start));
    while (this.peek() !== quote) {
      chunks.push(...this.scanFlowScalarSpaces(double, start));
      chunks.push(...this.scanFlowScalarNonSpaces(double, start));
    }
    this.forward();
    return tok('Scalar', start, this.mark(), { value: chunks.join(''), plain: false, style });
  }

  private static readonly ESCAPES: Record<string, string> = {
    '0': '\0',
    a: '\x07',
    b: '\x08',
    t: '\x09',
    '\t': '\x09',
    n: '\x0A',
    v: '\x0B',
    f: '\x0C',
    r: '\x0D',
    e: '\x1B',
    ' ': '\x20',
    '"': '"',
    '/': '/',
    '\\': '\\',
    N: '\x85',
    _: '\xA0',
    L: '\u2028',
    P: '\u2029',
  };
  private static readonly ESCAPE_CODES: Record<string, number> = { x: 2, u: 4, U: 8 };

  private scanFlowScalarNonSpaces(double: boolean, start: Mark): string[] {
    const chunks: string[] = [];
    for (;;) {
      let length = 0;
      while (!isIn(this.peek(length), ' \n\'"\\\0\t\r\x85\u2028\u2029')) length++;
      if (length) {
        chunks.push(this.prefix(length));
        this.forward(length);
      }
      let ch = this.peek();
      if (!double && ch === "'" && this.peek(1) === "'") {
        chunks.push("'");
        this.forward(2);
      } else if ((double && ch === "'") || (!double && isIn(ch, '"\\'))) {
        chunks.push(ch);
        this.forward();
      } else if (double && ch === '\\') {
        this.forward();
        ch = this.peek();
        if (Object.hasOwn(Scanner.ESCAPES, ch)) {
          chunks.push(Scanner.ESCAPES[ch]!);
          this.forward();
        } else if (Object.hasOwn(Scanner.ESCAPE_CODES, ch)) {
          const n = Scanner.ESCAPE_CODES[ch]!;
          this.forward();
          for (let k = 0; k < n; k++) {
            if (!/^[0-9A-Fa-f]$/.test(this.peek(k))) fail(`while scanning a double-quoted scalar expected escape sequence of ${n} hexdecimal numbers, but found ${JSON.stringify(this.peek(k))}`, start);
          }
          const code = parseInt(this.prefix(n), 16);
          if (code > 0x10ffff) crash('ValueError: chr() arg not in range(0x110000)');
          chunks.push(String.fromCodePoint(code));
          this.forward(n);
        } else if (isIn(ch, '\n\r\x85\u2028\u2029')) {
          this.scanLineBreak();
          chunks.push(...this.scanFlowScalarBreaks(start));
        } else {
          fail(`while scanning a double-quoted scalar found unknown escape character ${JSON.stringify(ch)}`, start);
        }
      } else {
        return chunks;
      }
    }
  }

  private scanFlowScalarSpaces(double: boolean, start: Mark): string[] {
    void double;
    const chunks: string[] = [];
    let length = 0;
    while (isIn(this.peek(length), ' \t')) length++;
    const whitespaces = this.prefix(length);
    this.forward(length);
    const ch = this.peek();
    if (ch === '\0') fail('while scanning a quoted scalar found unexpected end of stream', start);
    if (isIn(ch, BREAKS)) {
      const lineBreak = this.scanLineBreak();
      const breaks = this.scanFlowScalarBreaks(start);
      if (lineBreak !== '\n') chunks.push(lineBreak);
      else if (!breaks.length) chunks.push(' ');
      chunks.push(...breaks);
    } else {
      chunks.push(whitespaces);
    }
    return chunks;
  }

  private scanFlowScalarBreaks(start: Mark): string[] {
    const chunks: string[] = [];
    for (;;) {
      const p = this.prefix(3);
      if ((p === '---' || p === '...') && isIn(this.peek(3), THE_END_SPACE_TAB)) fail('while scanning a quoted scalar found unexpected document separator', start);
      while (isIn(this.peek(), ' \t')) this.forward();
      if (isIn(this.peek(), BREAKS)) chunks.push(this.scanLineBreak());
      else return chunks;
    }
  }

  private scanPlain(): Token {
    const chunks: string[] = [];
    const start = this.mark();
    let end = start;
    const indent = this.indent + 1;
    let spaces: string[] | null = [];
    for (;;) {
      let length = 0;
      if (this.peek() === '#') break;
      let ch: string;
      for (;;) {
        ch = this.peek(length);
        if (ch === ':' && !isIn(this.peek(length + 1), THE_END_SPACE_TAB)) {
          /* part of the scalar */
        } else if (ch === '?') {
          /* YAML 1.2: part of the scalar */
        } else if (isIn(ch, THE_END_SPACE_TAB) || (!this.flowLevel && ch === ':' && isIn(this.peek(length + 1), THE_END_SPACE_TAB)) || (this.flowLevel && isIn(ch, ',:?[]{}'))) {
          break;
        }
        length++;
      }
      if (this.flowLevel && ch === ':' && !isIn(this.peek(length + 1), '\0 \t\r\n\x85\u2028\u2029,[]{}')) {
        this.forward(length);
        fail("while scanning a plain scalar found unexpected ':'", this.mark());
      }
      if (length === 0) break;
      this.allowSimpleKey = false;
      chunks.push(...spaces!);
      chunks.push(this.prefix(length));
      this.forward(length);
      end = this.mark();
      spaces = this.scanPlainSpaces();
      if (!spaces || !spaces.length || this.peek() === '#' || (!this.flowLevel && this.column < indent)) break;
    }
    const token = tok('Scalar', start, end, { value: chunks.join(''), plain: true });
    // ruamel keeps the line breaks after a plain scalar as a comment on it.
    if (spaces && spaces[0] === '\n') addPostComment(token, tok('Comment', start, end));
    return token;
  }

  /** null where ruamel returns None (a document marker after a line break). */
  private scanPlainSpaces(): string[] | null {
    const chunks: string[] = [];
    let length = 0;
    while (this.peek(length) === ' ') length++;
    const whitespaces = this.prefix(length);
    this.forward(length);
    const ch = this.peek();
    if (isIn(ch, BREAKS)) {
      const lineBreak = this.scanLineBreak();
      this.allowSimpleKey = true;
      let p = this.prefix(3);
      if ((p === '---' || p === '...') && isIn(this.peek(3), THE_END_SPACE_TAB)) return null;
      const breaks: string[] = [];
      while (isIn(this.peek(), ' \r\n\x85\u2028\u2029')) {
        if (this.peek() === ' ') this.forward();
        else {
          breaks.push(this.scanLineBreak());
          p = this.prefix(3);
          if ((p === '---' || p === '...') && isIn(this.peek(3), THE_END_SPACE_TAB)) return null;
        }
      }
      if (lineBreak !== '\n') chunks.push(lineBreak);
      else if (!breaks.length) chunks.push(' ');
      chunks.push(...breaks);
    } else if (whitespaces) {
      chunks.push(whitespaces);
    }
    return chunks;
  }
}

// ---------------------------------------------------------------- parser

interface Event {
  kind: 'StreamStart' | 'StreamEnd' | 'DocumentStart' | 'DocumentEnd' | 'Alias' | 'Scalar' | 'SequenceStart' | 'SequenceEnd' | 'MappingStart' | 'MappingEnd';
  start: Mark;
  end: Mark;
  anchor?: string | null;
  tag?: string | null;
  implicit?: [boolean, boolean] | boolean;
  value?: string;
  style?: string;
  flowStyle?: boolean;
  comment?: Comment | null;
}

type State = () => Event;

class Parser {
  private currentEvent: Event | null = null;
  private states: State[] = [];
  private marks: Mark[] = [];
  private state: State | null;

  constructor(private readonly s: Scanner) {
    this.state = () => this.parseStreamStart();
  }

  checkEvent(...choices: Event['kind'][]): boolean {
    if (this.currentEvent === null && this.state) this.currentEvent = this.state();
    if (this.currentEvent !== null) return !choices.length || choices.includes(this.currentEvent.kind);
    return false;
  }

  peekEvent(): Event {
    if (this.currentEvent === null && this.state) this.currentEvent = this.state();
    return this.currentEvent!;
  }

  getEvent(): Event {
    if (this.currentEvent === null && this.state) this.currentEvent = this.state();
    const e = this.currentEvent!;
    this.currentEvent = null;
    return e;
  }

  private popState(): State {
    const st = this.states.pop();
    if (!st) crash('IndexError: pop from empty list');
    return st;
  }

  private parseStreamStart(): Event {
    const t = this.s.getToken();
    moveComment(t, this.s.peekToken());
    this.state = () => this.parseImplicitDocumentStart();
    return { kind: 'StreamStart', start: t.start, end: t.end };
  }

  private parseImplicitDocumentStart(): Event {
    if (!this.s.checkToken('Directive', 'DocumentStart', 'StreamEnd')) {
      const t = this.s.peekToken();
      this.states.push(() => this.parseDocumentEnd());
      this.state = () => this.parseBlockNode();
      return { kind: 'DocumentStart', start: t.start, end: t.start };
    }
    return this.parseDocumentStart();
  }

  private parseDocumentStart(): Event {
    while (this.s.checkToken('DocumentEnd')) this.s.getToken();
    if (!this.s.checkToken('StreamEnd')) {
      const start = this.s.peekToken().start;
      this.processDirectives();
      if (!this.s.checkToken('DocumentStart')) fail(`expected '<document start>', but found ${this.s.peekToken().kind}`, this.s.peekToken().start);
      const t = this.s.getToken();
      this.states.push(() => this.parseDocumentEnd());
      this.state = () => this.parseDocumentContent();
      return { kind: 'DocumentStart', start, end: t.end };
    }
    const t = this.s.getToken();
    if (this.states.length || this.marks.length) crash('AssertionError: states left at the end of the stream');
    this.state = null;
    return { kind: 'StreamEnd', start: t.start, end: t.end };
  }

  private parseDocumentEnd(): Event {
    const t = this.s.peekToken();
    let end = t.start;
    if (this.s.checkToken('DocumentEnd')) end = this.s.getToken().end;
    const v = this.s.yamlVersion;
    this.state = v && v[0] === 1 && v[1] === 1 ? () => this.parseDocumentStart() : () => this.parseImplicitDocumentStart();
    return { kind: 'DocumentEnd', start: t.start, end };
  }

  private parseDocumentContent(): Event {
    if (this.s.checkToken('Directive', 'DocumentStart', 'DocumentEnd', 'StreamEnd')) {
      const e = this.emptyScalar(this.s.peekToken().start);
      this.state = this.popState();
      return e;
    }
    return this.parseBlockNode();
  }

  private processDirectives(): void {
    let version = false;
    const handles = new Set<string>();
    while (this.s.checkToken('Directive')) {
      const t = this.s.getToken();
      if (t.value === 'YAML') {
        if (version) fail('found duplicate YAML directive', t.start);
        const v = this.s.yamlVersion!;
        if (v[0] !== 1) fail('found incompatible YAML document (version 1.* is required)', t.start);
        version = true;
      } else if (t.value === 'TAG') {
        // The handle's text is not kept here: a repeated handle is still refused below by the document start.
        handles.add(String(t.start.index));
      }
    }
  }

  private parseBlockNode(): Event {
    return this.parseNode(true);
  }

  private parseNode(block = false, indentlessSequence = false): Event {
    if (this.s.checkToken('Alias')) {
      const t = this.s.getToken();
      this.state = this.popState();
      return { kind: 'Alias', start: t.start, end: t.end, anchor: t.value ?? null };
    }
    // Anchors and tags are refused by checkToken as soon as the parser asks for them.
    this.s.checkToken('Anchor');
    this.s.checkToken('Tag');
    const start = this.s.peekToken().start;
    if (indentlessSequence && this.s.checkToken('BlockEntry')) {
      const pt = this.s.peekToken();
      let comment: Comment | null = null;
      if (pt.comment && truthy(pt.comment[0])) {
        comment = [pt.comment[0], []];
        pt.comment[0] = null;
      }
      this.state = () => this.parseIndentlessSequenceEntry();
      return { kind: 'SequenceStart', start, end: pt.end, flowStyle: false, comment };
    }
    if (this.s.checkToken('Scalar')) {
      const t = this.s.getToken();
      this.state = this.popState();
      return { kind: 'Scalar', start, end: t.end, implicit: t.plain ? [true, false] : [false, true], value: t.value ?? '', style: t.style ?? '', comment: t.comment ?? null };
    }
    if (this.s.checkToken('FlowSequenceStart') || this.s.checkToken('FlowMappingStart')) crash('unreachable: flow collections are refused');
    if (block && this.s.checkToken('BlockSequenceStart')) {
      const pt = this.s.peekToken();
      let comment = pt.comment ?? null;
      if (comment === null || comment[1] === null || comment[1] === undefined) comment = splitComment(pt);
      this.state = () => this.parseBlockSequenceFirstEntry();
      return { kind: 'SequenceStart', start, end: pt.start, flowStyle: false, comment };
    }
    if (block && this.s.checkToken('BlockMappingStart')) {
      const pt = this.s.peekToken();
      this.state = () => this.parseBlockMappingFirstKey();
      return { kind: 'MappingStart', start, end: pt.start, flowStyle: false, comment: pt.comment ?? null };
    }
    const t = this.s.peekToken();
    fail(`while parsing a ${block ? 'block' : 'flow'} node expected the node content, but found ${t.kind}`, t.start);
  }

  private parseBlockSequenceFirstEntry(): Event {
    const t = this.s.getToken();
    this.marks.push(t.start);
    return this.parseBlockSequenceEntry();
  }

  private parseBlockSequenceEntry(): Event {
    if (this.s.checkToken('BlockEntry')) {
      const t = this.s.getToken();
      moveComment(t, this.s.peekToken());
      if (!this.s.checkToken('BlockEntry', 'BlockEnd')) {
        this.states.push(() => this.parseBlockSequenceEntry());
        return this.parseBlockNode();
      }
      this.state = () => this.parseBlockSequenceEntry();
      return this.emptyScalar(t.end);
    }
    if (!this.s.checkToken('BlockEnd')) {
      const t = this.s.peekToken();
      fail(`while parsing a block collection expected <block end>, but found ${t.kind}`, t.start);
    }
    const t = this.s.getToken();
    this.state = this.popState();
    this.marks.pop();
    return { kind: 'SequenceEnd', start: t.start, end: t.end, comment: t.comment ?? null };
  }

  private parseIndentlessSequenceEntry(): Event {
    if (this.s.checkToken('BlockEntry')) {
      const t = this.s.getToken();
      moveComment(t, this.s.peekToken());
      if (!this.s.checkToken('BlockEntry', 'Key', 'Value', 'BlockEnd')) {
        this.states.push(() => this.parseIndentlessSequenceEntry());
        return this.parseBlockNode();
      }
      this.state = () => this.parseIndentlessSequenceEntry();
      return this.emptyScalar(t.end);
    }
    const t = this.s.peekToken();
    this.state = this.popState();
    return { kind: 'SequenceEnd', start: t.start, end: t.start, comment: t.comment ?? null };
  }

  private parseBlockMappingFirstKey(): Event {
    const t = this.s.getToken();
    this.marks.push(t.start);
    return this.parseBlockMappingKey();
  }

  private parseBlockMappingKey(): Event {
    if (this.s.checkToken('Key')) {
      const t = this.s.getToken();
      moveComment(t, this.s.peekToken());
      if (!this.s.checkToken('Key', 'Value', 'BlockEnd')) {
        this.states.push(() => this.parseBlockMappingValue());
        return this.parseNode(true, true);
      }
      this.state = () => this.parseBlockMappingValue();
      return this.emptyScalar(t.end);
    }
    if (this.s.checkToken('Value')) {
      this.state = () => this.parseBlockMappingValue();
      return this.emptyScalar(this.s.peekToken().start);
    }
    if (!this.s.checkToken('BlockEnd')) {
      const t = this.s.peekToken();
      fail(`while parsing a block mapping expected <block end>, but found ${t.kind}`, t.start);
    }
    const t = this.s.getToken();
    moveComment(t, this.s.peekToken());
    this.state = this.popState();
    this.marks.pop();
    return { kind: 'MappingEnd', start: t.start, end: t.end, comment: t.comment ?? null };
  }

  private parseBlockMappingValue(): Event {
    if (this.s.checkToken('Value')) {
      let t = this.s.getToken();
      if (this.s.checkToken('Value')) moveComment(t, this.s.peekToken());
      else if (!this.s.checkToken('Key')) moveComment(t, this.s.peekToken(), true);
      if (!this.s.checkToken('Key', 'Value', 'BlockEnd')) {
        this.states.push(() => this.parseBlockMappingKey());
        return this.parseNode(true, true);
      }
      this.state = () => this.parseBlockMappingKey();
      let comment = t.comment ?? null;
      if (comment === null) {
        t = this.s.peekToken();
        comment = t.comment ?? null;
        if (comment) {
          t.comment = [null, comment[1]];
          comment = [comment[0], null];
        }
      }
      return this.emptyScalar(t.end, comment);
    }
    this.state = () => this.parseBlockMappingKey();
    return this.emptyScalar(this.s.peekToken().start);
  }

  private emptyScalar(mark: Mark, comment: Comment | null = null): Event {
    return { kind: 'Scalar', start: mark, end: mark, implicit: [true, false], value: '', style: '', comment };
  }
}

// ---------------------------------------------------------------- composer

type Node =
  | { kind: 'scalar'; tag: string; value: string; start: Mark; style: string }
  | { kind: 'seq'; tag: string; items: Node[]; start: Mark }
  | { kind: 'map'; tag: string; pairs: Array<[Node, Node]>; start: Mark };

/** VersionedResolver (YAML 1.2): the implicit tags that matter to strictyaml's constructor. */
function resolveScalar(value: string, implicit: [boolean, boolean] | boolean | undefined): string {
  const plain = Array.isArray(implicit) ? implicit[0] : false;
  if (plain) {
    if (value === '<<') return 'tag:yaml.org,2002:merge';
    if (value === '=') return 'tag:yaml.org,2002:value';
    // bool, int, float, null and timestamp are all made strings by strictyaml.
  }
  return 'tag:yaml.org,2002:str';
}

class Composer {
  constructor(private readonly p: Parser) {}

  getSingleNode(): Node | null {
    this.p.getEvent();
    let document: Node | null = null;
    if (!this.p.checkEvent('StreamEnd')) document = this.composeDocument();
    if (!this.p.checkEvent('StreamEnd')) {
      const e = this.p.getEvent();
      fail('expected a single document in the stream but found another document', e.start);
    }
    this.p.getEvent();
    return document;
  }

  private composeDocument(): Node {
    this.p.getEvent();
    const node = this.composeNode();
    this.p.getEvent();
    return node;
  }

  private composeNode(): Node {
    if (this.p.checkEvent('Alias')) {
      const e = this.p.getEvent();
      // Anchors are refused, so every alias is undefined.
      fail(`found undefined alias ${JSON.stringify(e.anchor)}`, e.start);
    }
    if (this.p.checkEvent('Scalar')) {
      const e = this.p.getEvent();
      return { kind: 'scalar', tag: resolveScalar(e.value ?? '', e.implicit), value: e.value ?? '', start: e.start, style: e.style ?? '' };
    }
    if (this.p.checkEvent('SequenceStart')) {
      const e = this.p.getEvent();
      const node: Node = { kind: 'seq', tag: 'tag:yaml.org,2002:seq', items: [], start: e.start };
      while (!this.p.checkEvent('SequenceEnd')) node.items.push(this.composeNode());
      const end = this.p.getEvent();
      this.checkEndDocComment(end);
      return node;
    }
    if (this.p.checkEvent('MappingStart')) {
      const e = this.p.getEvent();
      const node: Node = { kind: 'map', tag: 'tag:yaml.org,2002:map', pairs: [], start: e.start };
      while (!this.p.checkEvent('MappingEnd')) {
        const key = this.composeNode();
        const value = this.composeNode();
        node.pairs.push([key, value]);
      }
      const end = this.p.getEvent();
      this.checkEndDocComment(end);
      return node;
    }
    crash(`UnboundLocalError: no node for event ${this.p.peekEvent().kind}`);
  }

  private checkEndDocComment(end: Event): void {
    if (end.comment && truthy(end.comment[1])) end.comment[1] = null;
  }
}

// ---------------------------------------------------------------- constructor (strictyaml's)

const isMapValue = (v: unknown): v is YamlMap => v instanceof Map;

/** Python's `key in dict` for the keys strictyaml can make: strings compare by value, tuples item by item. */
function sameKey(a: string | TupleKey, b: string | TupleKey): boolean {
  if (typeof a === 'string' || typeof b === 'string') return a === b;
  return pyEqual(a.items, b.items);
}
function pyEqual(a: YamlValue | readonly YamlValue[], b: YamlValue | readonly YamlValue[]): boolean {
  if (typeof a === 'string' || typeof b === 'string') return a === b;
  if (a instanceof TaggedScalar || b instanceof TaggedScalar) return a === b;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => pyEqual(x, b[i]!));
  return false;
}
function hashable(v: YamlValue): boolean {
  return typeof v === 'string' || v instanceof TaggedScalar;
}

class Constructor {
  /**
   * `deep` is ruamel's deep_construct: false for the root and what is reached from it through
   * sequences only, true under any mapping. It decides whether merged keys arrive (see below).
   */
  construct(node: Node, deep: boolean): YamlValue {
    if (node.kind === 'scalar') {
      if (node.tag === 'tag:yaml.org,2002:merge' || node.tag === 'tag:yaml.org,2002:value') return new TaggedScalar(node.tag, node.value);
      return node.value;
    }
    if (node.kind === 'seq') return node.items.map((n) => this.construct(n, deep));
    return this.constructMapping(node, deep);
  }

  private constructMapping(node: Extract<Node, { kind: 'map' }>, deep: boolean): YamlMap {
    const merges = this.flattenMapping(node, deep);
    const map: YamlMap = new Map();
    for (const [keyNode, valueNode] of node.pairs) {
      let key = this.construct(keyNode, true);
      let k: string | TupleKey;
      if (Array.isArray(key)) {
        k = new TupleKey(key);
        // A tuple holding a list or a mapping cannot be hashed: Python fails on `key in dict`.
        if (!key.every(hashable)) crash("TypeError: unhashable type: 'list'");
      } else if (isMapValue(key)) {
        fail('while constructing a mapping found unhashable key', keyNode.start);
      } else {
        if (key instanceof TaggedScalar) key = key.value; // only the value tag is left here, made a str
        k = key;
      }
      const value = this.construct(valueNode, true);
      for (const existing of map.keys()) {
        if (sameKey(existing, k)) fail(`While parsing Duplicate key '${typeof k === 'string' ? k : '(...)'}' found`, keyNode.start);
      }
      map.set(k, value);
    }
    // CommentedMap.add_yaml_merge copies the merged keys that are not there yet. Outside deep
    // construction ruamel builds the merged mappings later, so they are still empty here: at the
    // top level of the front matter, keys given through `<<` are lost.
    for (const merged of merges) for (const [k, v] of merged) if (![...map.keys()].some((e) => sameKey(e, k))) map.set(k, v);
    let previous: number | null = null;
    for (const [, v] of node.pairs) {
      if (v.kind !== 'map') continue;
      previous ??= v.start.column;
      if (v.start.column !== previous) fail('While parsing Found mapping with indentation inconsistent with previous mapping', v.start);
    }
    return map;
  }

  /** RoundTripConstructor.flatten_mapping: `<<` keys are taken out (their mappings are lost to strictyaml). */
  private flattenMapping(node: Extract<Node, { kind: 'map' }>, deep: boolean): YamlMap[] {
    const out: YamlMap[] = [];
    let merged = 0;
    let i = 0;
    while (i < node.pairs.length) {
      const [keyNode, valueNode] = node.pairs[i]!;
      if (keyNode.kind === 'scalar' && keyNode.tag === 'tag:yaml.org,2002:merge') {
        if (merged) crash('DuplicateKeyError: found duplicate key "<<"');
        node.pairs.splice(i, 1);
        if (valueNode.kind === 'map') {
          merged++;
          const m = this.construct(valueNode, deep) as YamlMap;
          if (deep) out.push(m);
        } else if (valueNode.kind === 'seq') {
          for (const sub of valueNode.items) {
            if (sub.kind !== 'map') fail(`while constructing a mapping expected a mapping for merging, but found ${sub.kind === 'seq' ? 'sequence' : 'scalar'}`, sub.start);
            merged++;
            const m = this.construct(sub, deep) as YamlMap;
            if (deep) out.push(m);
          }
        } else {
          fail('while constructing a mapping expected a mapping or list of mappings for merging, but found scalar', valueNode.start);
        }
      } else if (keyNode.kind === 'scalar' && keyNode.tag === 'tag:yaml.org,2002:value') {
        keyNode.tag = 'tag:yaml.org,2002:str';
        i++;
      } else {
        i++;
      }
    }
    return out;
  }
}

/** strictyaml's Any schema, run over the result: a tuple key anywhere fails its assertion. */
function checkAnySchema(v: YamlValue): void {
  if (isMapValue(v)) {
    for (const [k, x] of v) {
      if (k instanceof TupleKey) crash('AssertionError: a sequence used as a mapping key');
      checkAnySchema(x);
    }
  } else if (Array.isArray(v)) v.forEach(checkAnySchema);
}

export interface StrictYamlDocument {
  /** `strictyaml.load(text).data`: a mapping, a list, or (for any other document, empty included) the text itself. */
  data: YamlValue;
  /** For a mapping, the line (0-based, in `text`) of each of its string keys. */
  keyLines: Map<string, number>;
}

/** Loads YAML as `strictyaml.load(text)` does in skills-ref. Throws StrictYamlError. */
export function loadStrictYaml(text: string): StrictYamlDocument {
  const scanner = new Scanner(text);
  const node = new Composer(new Parser(scanner)).getSingleNode();
  const keyLines = new Map<string, number>();
  // strictyaml constructs a lone scalar too (refusing nothing more), then keeps the text.
  if (node === null || node.kind === 'scalar') return { data: text, keyLines };
  const data = new Constructor().construct(node, false);
  checkAnySchema(data);
  if (node.kind === 'map') {
    for (const [k] of node.pairs) if (k.kind === 'scalar' && !keyLines.has(k.value)) keyLines.set(k.value, k.start.line);
  }
  return { data, keyLines };
}

/** Python's str.isspace(), which str.strip() uses: Unicode White_Space plus U+001C to U+001F. */
const PY_SPACE = /^[\t\n\v\f\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+|[\t\n\v\f\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+$/g;

/** Python's str.strip() (not JavaScript's trim(), which also removes U+FEFF and keeps U+001C-U+001F and U+0085). */
export const pyStrip = (s: string): string => s.replace(PY_SPACE, '');

/** A mapping as a plain object (keys as Python's str() would print them), for the field checks. */
export function toRecord(map: YamlMap): Record<string, YamlValue> {
  const out: Record<string, YamlValue> = Object.create(null) as Record<string, YamlValue>;
  for (const [k, v] of map) out[typeof k === 'string' ? k : `(${k.items.map(String).join(', ')})`] = v;
  return out;
}
