/**
 * Just enough GraphQL for the simulator: reads a query or mutation document into its fields, arguments
 * (literals and `$variables`) and selections, and answers with exactly the fields a client selected.
 * Fragments, directives and introspection are out of scope: remote.it's clients send plain documents.
 */

export interface Field {
  name: string;
  /** The key the answer uses: the alias when there is one. */
  key: string;
  args: Record<string, unknown>;
  /** null for a scalar (leaf) field. */
  selections: Field[] | null;
}

export interface GraphqlDocument {
  operation: 'query' | 'mutation';
  fields: Field[];
}

/** A failure GraphQL reports in `errors[].message` rather than as an HTTP status. */
export class GraphqlError extends Error {}

const TOKEN = /\s+|,|#[^\n]*|"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?|[_A-Za-z][_0-9A-Za-z]*|\.\.\.|[{}()[\]:$!=@]/y;

function tokenize(source: string): string[] {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < source.length) {
    const at = TOKEN.lastIndex;
    const match = TOKEN.exec(source);
    if (!match) throw new GraphqlError(`Syntax Error: unexpected character at ${at}`);
    const token = match[0];
    // Whitespace, commas and comments carry no meaning in GraphQL.
    if (!/^(\s|,|#)/.test(token)) tokens.push(token);
  }
  return tokens;
}

class Parser {
  private position = 0;

  constructor(
    private readonly tokens: string[],
    private readonly variables: Record<string, unknown>,
  ) {}

  document(): GraphqlDocument {
    let operation: GraphqlDocument['operation'] = 'query';
    if (this.peek() === 'query' || this.peek() === 'mutation') {
      operation = this.next() as GraphqlDocument['operation'];
      if (/^[_A-Za-z]/.test(this.peek())) this.next();
      if (this.peek() === '(') this.skipBalanced('(', ')');
    }
    const fields = this.selectionSet();
    if (this.position < this.tokens.length) throw new GraphqlError('Syntax Error: text after the operation');
    return { operation, fields };
  }

  private peek(): string {
    return this.tokens[this.position] ?? '';
  }

  private next(): string {
    const token = this.tokens[this.position++];
    if (token === undefined) throw new GraphqlError('Syntax Error: unexpected end of document');
    return token;
  }

  private expect(token: string): void {
    const found = this.next();
    if (found !== token) throw new GraphqlError(`Syntax Error: expected "${token}", found "${found}"`);
  }

  private name(): string {
    const token = this.next();
    if (!/^[_A-Za-z]/.test(token)) throw new GraphqlError(`Syntax Error: expected a name, found "${token}"`);
    return token;
  }

  /** Variable definitions only matter to a validating server; their values arrive in `variables`. */
  private skipBalanced(open: string, close: string): void {
    let depth = 0;
    do {
      const token = this.next();
      if (token === open) depth++;
      else if (token === close) depth--;
    } while (depth > 0);
  }

  private selectionSet(): Field[] {
    this.expect('{');
    const fields: Field[] = [];
    while (this.peek() !== '}') fields.push(this.field());
    this.next();
    return fields;
  }

  private field(): Field {
    const first = this.name();
    let name = first;
    if (this.peek() === ':') {
      this.next();
      name = this.name();
    }
    const args: Record<string, unknown> = {};
    if (this.peek() === '(') {
      this.next();
      while (this.peek() !== ')') {
        const argument = this.name();
        this.expect(':');
        const value = this.value();
        // An unset variable leaves the argument out, so the schema's default applies.
        if (value !== undefined) args[argument] = value;
      }
      this.next();
    }
    const selections = this.peek() === '{' ? this.selectionSet() : null;
    return { name, key: first, args, selections };
  }

  private value(): unknown {
    const token = this.next();
    if (token === '$') return this.variables[this.name()];
    if (token.startsWith('"')) return JSON.parse(token) as string;
    if (/^-?\d/.test(token)) return Number(token);
    if (token === 'true' || token === 'false') return token === 'true';
    if (token === 'null') return null;
    if (token === '[') {
      const items: unknown[] = [];
      while (this.peek() !== ']') items.push(this.value());
      this.next();
      return items;
    }
    if (token === '{') {
      const entries: Record<string, unknown> = {};
      while (this.peek() !== '}') {
        const key = this.name();
        this.expect(':');
        entries[key] = this.value();
      }
      this.next();
      return entries;
    }
    if (/^[_A-Za-z]/.test(token)) return token; // an enum value such as AUTO_PROXY
    throw new GraphqlError(`Syntax Error: unexpected "${token}"`);
  }
}

export function parseDocument(query: string, variables: Record<string, unknown> = {}): GraphqlDocument {
  return new Parser(tokenize(query), variables).document();
}

/** The answer shaped like the selection: selected fields only, resolvers called, unknown fields refused. */
export async function project(
  value: unknown,
  selections: Field[] | null,
  typeName: string,
): Promise<unknown> {
  const resolved = await value;
  if (selections === null || resolved === null || resolved === undefined) return resolved ?? null;
  if (Array.isArray(resolved))
    return Promise.all(resolved.map((item) => project(item, selections, typeName)));
  // Each member is a field's value, or a resolver called with the field's arguments.
  const source = resolved as Record<string, unknown>;
  const answer: Record<string, unknown> = {};
  for (const field of selections) {
    if (!(field.name in source)) {
      throw new GraphqlError(`Cannot query field "${field.name}" on type "${typeName}".`);
    }
    const member = source[field.name];
    const fieldValue =
      typeof member === 'function' ? (member as (args: object) => unknown)(field.args) : member;
    answer[field.key] = await project(fieldValue, field.selections, field.name);
  }
  return answer;
}
