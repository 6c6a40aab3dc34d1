/**
 * Which string literals each greenrt command can print: a static reach from every `.command('name')` chain of the
 * CLI through the declarations it references (functions, constants, classes, methods; an interface method reaches
 * every class that implements the interface), across modules and barrels, using TypeScript's own symbol resolution.
 * Used by the test that every `--option` a message names exists on the command that prints it
 * (pipeline/cli/hint-options.test.ts). Over-approximates (a branch another command takes is counted too): a message in
 * shared code must then take the option's name from its caller.
 */
import { dirname, relative } from 'node:path';
import ts from 'typescript';

/** One string a command can print: its text (template expressions folded, see `literalText`), file and line. */
export interface ReachedLiteral {
  text: string;
  /** A generated script (a `bashScript` template): each line is a command, not prose. */
  script: boolean;
  file: string;
  line: number;
}

/** A command of the CLI as written in the sources: its path (`slurm submit`) and the literals it reaches. */
export interface CommandReach {
  path: string;
  literals: ReachedLiteral[];
}

type Unit = ts.Node;

/** Commands found in `.command('name')` chains of the program rooted at `entry` (cli/main.ts), with what each reaches. */
export function commandReach(entry: string, root: string): CommandReach[] {
  const program = ts.createProgram([entry], {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    strict: true,
    skipLibCheck: true,
    noEmit: true,
    types: ['node'],
  });
  const checker = program.getTypeChecker();
  const projectDir = dirname(dirname(entry));
  const own = (sf: ts.SourceFile) => !sf.isDeclarationFile && sf.fileName.startsWith(projectDir) && !sf.fileName.includes('/node_modules/');
  const sources = program.getSourceFiles().filter(own);

  // Classes by the interfaces they implement: a call through an interface reaches each implementation.
  const implementers = new Map<string, ts.ClassDeclaration[]>();
  for (const sf of sources)
    sf.forEachChild(function walk(n: ts.Node): void {
      if (ts.isClassDeclaration(n))
        for (const clause of n.heritageClauses ?? [])
          for (const t of clause.types) {
            const name = t.expression.getText(sf);
            implementers.set(name, [...(implementers.get(name) ?? []), n]);
          }
      n.forEachChild(walk);
    });

  const edges = new Map<Unit, { units: Unit[]; literals: ReachedLiteral[] }>();
  const scan = (unit: Unit) => {
    const found = edges.get(unit);
    if (found) return found;
    const out = { units: [] as Unit[], literals: [] as ReachedLiteral[] };
    edges.set(unit, out);
    const sf = unit.getSourceFile();
    const at = (n: ts.Node) => ({ file: relative(root, sf.fileName), line: sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1 });
    const visit = (n: ts.Node): void => {
      if (ts.isImportDeclaration(n) || ts.isExportDeclaration(n) || ts.isTypeNode(n) || ts.isInterfaceDeclaration(n) || ts.isTypeAliasDeclaration(n)) return;
      const script = ts.isTaggedTemplateExpression(n.parent) && n.parent.tag.getText(sf) === 'bashScript';
      if (ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n)) out.literals.push({ text: n.text, script, ...at(n) });
      else if (ts.isTemplateExpression(n)) out.literals.push({ text: literalText(n, sf), script, ...at(n) });
      if (ts.isIdentifier(n) || ts.isPrivateIdentifier(n)) out.units.push(...declarationsOf(n));
      n.forEachChild(visit);
    };
    visit(unit);
    return out;
  };

  const declarationsOf = (id: ts.Node): Unit[] => {
    let symbol = checker.getSymbolAtLocation(id);
    if (!symbol) return [];
    if (symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
    const units: Unit[] = [];
    for (const d of symbol.declarations ?? []) {
      if (!own(d.getSourceFile())) continue;
      if (ts.isMethodSignature(d) || ts.isPropertySignature(d)) {
        const iface = d.parent;
        if (ts.isInterfaceDeclaration(iface))
          for (const c of implementers.get(iface.name.text) ?? [])
            for (const m of c.members) if (m.name && m.name.getText() === d.name.getText()) units.push(m);
        continue;
      }
      if (ts.isInterfaceDeclaration(d) || ts.isTypeAliasDeclaration(d) || ts.isModuleDeclaration(d) || ts.isSourceFile(d)) continue;
      // A variable holding a command (`const ae = program.command('ae')`, the program itself) is that command's own.
      if (ts.isVariableDeclaration(d) && d.initializer && holdsCommand(d.initializer)) continue;
      units.push(d);
    }
    return units;
  };

  // Each `X.command('name')` call: its chain (up to the statement) is where that command's literals start.
  const chains: { path: string; node: ts.Node }[] = [];
  const pathOf = (call: ts.CallExpression): string => {
    const name = (call.arguments[0] as ts.StringLiteral).text.split(' ')[0]!;
    const receiver = (call.expression as ts.PropertyAccessExpression).expression;
    const parent = parentCommand(receiver);
    return parent ? `${parent} ${name}` : name;
  };
  const parentCommand = (receiver: ts.Expression): string | undefined => {
    let e: ts.Node = receiver;
    if (ts.isIdentifier(e)) {
      const d = checker.getSymbolAtLocation(e)?.declarations?.[0];
      if (!d || !ts.isVariableDeclaration(d) || !d.initializer) return undefined; // `program` (a parameter or a new Command())
      e = d.initializer;
    }
    const inner = innermostCommandCall(e);
    return inner ? pathOf(inner) : undefined;
  };
  for (const sf of sources)
    sf.forEachChild(function walk(n: ts.Node): void {
      // `images.action(...)` on a command held in a variable: that command's too.
      if (ts.isExpressionStatement(n) && ts.isCallExpression(n.expression) && innermostCommandCall(n.expression) === undefined) {
        let e: ts.Expression = n.expression;
        while (ts.isCallExpression(e) || ts.isPropertyAccessExpression(e)) e = e.expression;
        const parent = ts.isIdentifier(e) ? parentCommand(e) : undefined;
        if (parent) chains.push({ path: parent, node: n });
      }
      if (isCommandCall(n)) {
        let top: ts.Node = n;
        while (ts.isPropertyAccessExpression(top.parent) || (ts.isCallExpression(top.parent) && top.parent.expression === top)) top = top.parent;
        chains.push({ path: pathOf(n), node: top });
      }
      n.forEachChild(walk);
    });

  return chains.map(({ path, node }) => {
    const seen = new Set<Unit>();
    const literals: ReachedLiteral[] = [];
    const queue: Unit[] = [node];
    while (queue.length > 0) {
      const u = queue.pop()!;
      if (seen.has(u)) continue;
      seen.add(u);
      const e = scan(u);
      literals.push(...e.literals);
      queue.push(...e.units);
    }
    return { path, literals };
  });
}

function isCommandCall(n: ts.Node): n is ts.CallExpression {
  return (
    ts.isCallExpression(n) &&
    ts.isPropertyAccessExpression(n.expression) &&
    n.expression.name.text === 'command' &&
    n.arguments.length >= 1 &&
    ts.isStringLiteral(n.arguments[0]!)
  );
}

function holdsCommand(e: ts.Node): boolean {
  let root: ts.Node = e;
  while (ts.isCallExpression(root) || ts.isPropertyAccessExpression(root)) root = root.expression;
  return innermostCommandCall(e) !== undefined || (ts.isNewExpression(root) && root.expression.getText() === 'Command');
}

function innermostCommandCall(e: ts.Node): ts.CallExpression | undefined {
  let found: ts.CallExpression | undefined;
  e.forEachChild(function walk(n: ts.Node): void {
    if (isCommandCall(n)) found = n;
    n.forEachChild(walk);
  });
  return isCommandCall(e) ? e : found;
}

/**
 * A template's text with each `${expression}` replaced by `X`, except where the expression is greenrt's own
 * executable (`${greenrt}`, `${[l.nodeBin, l.greenrtBin]}` in job scripts): that reads as `greenrt`, so the options
 * after it are checked against the command the script runs.
 */
export function literalText(t: ts.TemplateExpression, sf: ts.SourceFile): string {
  return t.head.text + t.templateSpans.map((s) => (/greenrt(Bin)?\]?$/.test(s.expression.getText(sf)) ? 'greenrt' : 'X') + s.literal.text).join('');
}

/** A greenrt-style option in a message (`--shard`, `--run-id`). */
export const optionPattern = /(?<![\w-])--[a-z][a-z0-9-]*/g;

/** Other tools whose command lines messages quote: the options after one of these words are that tool's. */
const tools = new Set(['sbatch', 'srun', 'docker', 'nvidia-smi', 'nvidia-ctk', 'pip', 'apt-get', 'git', 'debootstrap']);

/** A token that closes a quoted command line in prose: ends with a backtick, quote, `,`, `;`, `)`, `:` or a full stop. */
const closes = (token: string) => /[`'",;:)]$/.test(token) || (/\.$/.test(token) && !/^\.+$/.test(token));

/**
 * Splits a message into the `greenrt <command> ...` invocations it quotes (in prose up to a token that `closes`; in a
 * generated script up to the end of the line) and the rest, returning the options of each. Options quoted after
 * another tool's name (`sbatch --gres=gpu:1`) are that tool's and left out.
 */
export function optionsInMessage(
  text: string,
  script: boolean,
  isCommand: (path: string) => boolean,
): { quoted: [command: string, option: string][]; rest: string[] } {
  const quoted: [string, string][] = [];
  const rest: string[] = [];
  const lines = script ? text.replace(/\\\n/g, ' ').split('\n') : [text];
  for (const line of lines) {
    const tokens = line.split(/\s+/);
    for (let i = 0; i < tokens.length; i++) {
      const word = tokens[i]!.replace(/^[`'"(]+/, '');
      let path: string | undefined;
      if (/greenrt$/.test(word)) {
        for (let n = 1; n <= 2 && i + n < tokens.length; n++) {
          const words = tokens.slice(i + 1, i + 1 + n).map((t) => t.replace(/[`'".,;:)]+$/, ''));
          if (isCommand(words.join(' '))) path = words.join(' ');
        }
      } else if (tools.has(word)) path = '';
      if (path === undefined) {
        rest.push(...(tokens[i]!.match(optionPattern) ?? []));
        continue;
      }
      if (path !== '') i += path.split(' ').length;
      if (closes(tokens[i]!) && !script) continue;
      for (i++; i < tokens.length; i++) {
        if (path !== '') for (const o of tokens[i]!.match(optionPattern) ?? []) quoted.push([path, o]);
        if (!script && closes(tokens[i]!)) break;
      }
    }
  }
  return { quoted, rest };
}
