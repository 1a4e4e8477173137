/**
 * `cors-doctor explain ["<pasted console text>"] [--json]` — or the text on stdin.
 * Exit 0: at least one message recognised; 1: none; 2: bad usage or input too large.
 */
import { ACCEPTS, explain, MAX_INPUT_CHARS, tooLargeMessage } from '../../explain/index.ts';
import { renderExplainJson, renderExplainText } from '../../report/explain-text.ts';
import { type CommandContext, exitCodes, UsageError } from '../context.ts';

export const HELP = `cors-doctor explain — paste the browser's console message; get the mistake, the cause, the fix and the
check command that confirms it

Usage:
  cors-doctor explain "<console text>" [--json]
  <command that prints the text> | cors-doctor explain [--json]     (or: explain - )

The text may hold several lines and DevTools noise (network lines, "TypeError: Failed to fetch",
"VM123:1" prefixes, line wraps). Recognised: Chrome/Edge CORS messages (fetch, XMLHttpRequest, script,
font…, current and older wordings), every Firefox CORS reason, Safari's reasons with their "Fetch API
cannot load … due to access control checks." line, CSP connect-src violations, mixed content, Local
Network Access and net::ERR_… lines.

Options:
  --json        one JSON document on stdout (schemaVersion 1)
  --no-color    no colours (also NO_COLOR=1)
  --help        this text

Exit codes: 0 a message was recognised · 1 none was · 2 bad usage

Examples:
  cors-doctor explain "Access to fetch at 'https://api.example.com/data' from origin 'https://myapp.com' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource."
  cors-doctor explain "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at https://api.example.com/data. (Reason: CORS header ‘Access-Control-Allow-Origin’ missing). Status code: 401."
  pbpaste | cors-doctor explain --json
`;

/** Past this much stdin, counting stops too (a runaway pipe): the error says "more than". */
const COUNT_LIMIT = 64 * 1024 * 1024;

/**
 * Reads stdin, keeping at most MAX_INPUT_CHARS + 1 characters but counting all of them, so a refusal
 * names the real size of what was piped in, not where reading stopped.
 */
async function readStdin(stdin: CommandContext['stdin']): Promise<string> {
  let text = '';
  let total = 0;
  stdin.setEncoding?.('utf8');
  for await (const chunk of stdin) {
    const s = typeof chunk === 'string' ? chunk : String(chunk);
    total += s.length;
    if (text.length <= MAX_INPUT_CHARS) text += s.slice(0, MAX_INPUT_CHARS + 1 - text.length);
    if (total > COUNT_LIMIT) throw new UsageError(tooLargeMessage(COUNT_LIMIT, true));
  }
  if (total > MAX_INPUT_CHARS) throw new UsageError(tooLargeMessage(total));
  return text;
}

export async function run(argv: string[], ctx: CommandContext): Promise<number> {
  let json = false;
  const words: string[] = [];
  let rest = false;
  for (const arg of argv) {
    if (rest) words.push(arg);
    else if (arg === '--') rest = true;
    else if (arg === '--help' || arg === '-h') {
      ctx.stdout(HELP);
      return exitCodes.ok;
    } else if (arg === '--json') json = true;
    else if (/^--?[A-Za-z]/.test(arg) && !arg.includes(' ')) {
      throw new UsageError(
        `unknown option '${arg}' for explain; it takes the console text and --json (see cors-doctor explain --help)`,
      );
    } else words.push(arg);
  }
  let text: string;
  if (words.length === 1 && words[0] === '-') text = await readStdin(ctx.stdin);
  else if (words.length > 0) text = words.join(' ');
  else if (ctx.stdin.isTTY) {
    throw new UsageError(
      `explain needs the console text: cors-doctor explain "<the line>", or pipe it in (pbpaste | cors-doctor explain)`,
    );
  } else text = await readStdin(ctx.stdin);
  if (text.trim() === '') {
    throw new UsageError(
      'the text to explain is empty: paste the console line between quotes, or pipe it on stdin',
    );
  }
  const outcome = explain(text);
  if (!outcome.ok) throw new UsageError(outcome.message);
  ctx.stdout(
    json ? renderExplainJson(outcome.result) : renderExplainText(outcome.result, ctx.color, ACCEPTS),
  );
  return outcome.result.messages.length > 0 ? exitCodes.ok : exitCodes.blocked;
}
