// What every part of the Python front end shares about one file: its text, imports, module constants,
// class definitions and dataclass defaults.
import type { SyntaxNode, Tree } from '@lezer/common';
import { UNKNOWN, type ConstValue } from '../../ir/types';
import { evaluate, MapScope, Names, type ConstScope } from './names';
import { assignmentParts, bodyOf, childrenOf, definitionName, Source, statementsOf } from './syntax';

export interface ClassInfo {
  name: string;
  node: SyntaxNode;
  /** Base classes as written, qualified. */
  bases: string[];
  methods: Map<string, SyntaxNode>;
  decorators: string[];
}

/** Looks up `config.field` in the defaults of the file's dataclasses when no nearer scope binds it. */
class DataclassScope implements ConstScope {
  constructor(
    private readonly inner: ConstScope,
    private readonly fields: Map<string, ConstValue>,
  ) {}

  lookup(name: string): ConstValue | undefined {
    const own = this.inner.lookup(name);
    if (own !== undefined) return own;
    const dot = name.indexOf('.');
    if (dot > 0 && name.indexOf('.', dot + 1) < 0) return this.fields.get(name.slice(dot + 1));
    return undefined;
  }
}

/** Nodes of interest, gathered in one walk of the tree so later passes do not walk it again. */
export interface NodeIndex {
  calls: SyntaxNode[];
  assignments: SyntaxNode[];
  loops: SyntaxNode[];
  withs: SyntaxNode[];
  decorated: SyntaxNode[];
  functions: SyntaxNode[];
  errors: { from: number; to: number }[];
}

export class FileContext {
  readonly index: NodeIndex = { calls: [], assignments: [], loops: [], withs: [], decorated: [], functions: [], errors: [] };
  readonly source: Source;
  readonly names: Names;
  readonly moduleScope = new MapScope();
  readonly classes = new Map<string, ClassInfo>();
  /** Field defaults of @dataclass classes; a field two dataclasses define differently is ambiguous. */
  private readonly dataclassFields = new Map<string, ConstValue>();
  readonly topLevel: SyntaxNode[];
  private readonly moduleAssignments = new Map<string, number>();

  constructor(
    readonly text: string,
    readonly tree: Tree,
  ) {
    this.source = new Source(text);
    this.names = new Names(this.source);
    this.topLevel = statementsOf(tree.topNode);
    this.collect();
  }

  /** A scope for evaluating code in a function of this file, above the module constants and dataclass fields. */
  scope(parent?: ConstScope): MapScope {
    return new MapScope(parent ?? new DataclassScope(this.moduleScope, this.dataclassFields));
  }

  evaluate(node: SyntaxNode | null | undefined, scope: ConstScope): ConstValue {
    return evaluate(this.source, node, scope);
  }

  private collect(): void {
    // Imports anywhere (inside functions and try blocks too) bind names for the whole file in practice.
    const cursor = this.tree.cursor();
    const index = this.index;
    do {
      switch (cursor.name) {
        case 'ImportStatement':
          this.names.addImport(cursor.node);
          break;
        case 'CallExpression':
          index.calls.push(cursor.node);
          break;
        case 'AssignStatement':
          index.assignments.push(cursor.node);
          break;
        case 'ForStatement':
        case 'WhileStatement':
          index.loops.push(cursor.node);
          break;
        case 'WithStatement':
          index.withs.push(cursor.node);
          break;
        case 'DecoratedStatement':
          index.decorated.push(cursor.node);
          break;
        case 'FunctionDefinition':
          index.functions.push(cursor.node);
          break;
        default:
          if (cursor.type.isError) index.errors.push({ from: cursor.from, to: cursor.to });
      }
    } while (cursor.next());
    for (const statement of this.topLevel) {
      const definition = statement.name === 'DecoratedStatement' ? statement.lastChild : statement;
      if (definition?.name === 'ClassDefinition') this.addClass(definition, statement);
      const parts = assignmentParts(statement);
      if (parts && parts.op === '=' && parts.targets.length === 1 && parts.targets[0]!.name === 'VariableName') {
        const name = this.source.of(parts.targets[0]!);
        const count = (this.moduleAssignments.get(name) ?? 0) + 1;
        this.moduleAssignments.set(name, count);
        // A name assigned twice at module level has no single value.
        this.moduleScope.set(name, count > 1 ? UNKNOWN : this.evaluate(parts.value, this.moduleScope));
      }
    }
  }

  private addClass(node: SyntaxNode, statement: SyntaxNode): void {
    const name = definitionName(this.source, node);
    if (!name) return;
    const argList = node.getChild('ArgList');
    const bases = argList
      ? childrenOf(argList)
          .filter((child) => child.name === 'VariableName' || child.name === 'MemberExpression')
          .map((child) => this.names.qualifiedOf(child) ?? this.source.of(child))
      : [];
    const decorators =
      statement.name === 'DecoratedStatement'
        ? statement.getChildren('Decorator').map((decorator) => this.source.of(decorator).replace(/^@\s*/, '').replace(/\(.*$/s, '').trim())
        : [];
    const methods = new Map<string, SyntaxNode>();
    const body = bodyOf(node);
    const fields = new Map<string, ConstValue>();
    if (body) {
      for (const member of statementsOf(body)) {
        const definition = member.name === 'DecoratedStatement' ? member.lastChild : member;
        if (definition?.name === 'FunctionDefinition') {
          const methodName = definitionName(this.source, definition);
          if (methodName) methods.set(methodName, definition);
        }
        const parts = assignmentParts(member);
        if (parts && parts.targets.length === 1 && parts.targets[0]!.name === 'VariableName') {
          fields.set(this.source.of(parts.targets[0]!), this.evaluate(parts.value, this.moduleScope));
        }
      }
    }
    if (decorators.some((decorator) => /(^|\.)dataclass$/.test(decorator))) {
      for (const [field, value] of fields) {
        const previous = this.dataclassFields.get(field);
        this.dataclassFields.set(field, previous === undefined || JSON.stringify(previous) === JSON.stringify(value) ? value : UNKNOWN);
      }
    }
    this.classes.set(name, { name, node, bases, methods, decorators });
  }

  /** Whether a class derives (through classes of this file) from a base matching the test. */
  derivesFrom(name: string, test: (qualified: string) => boolean, seen = new Set<string>()): boolean {
    const info = this.classes.get(name);
    if (!info || seen.has(name)) return false;
    seen.add(name);
    return info.bases.some((base) => test(base) || this.derivesFrom(base, test, seen));
  }
}

export function isTorchModuleBase(qualified: string): boolean {
  return qualified === 'torch.nn.Module';
}

export function isKerasModelBase(qualified: string): boolean {
  return /^keras\.(Model|layers\.Layer|Layer)$/.test(qualified);
}
