/** The Jinja AST, as jinja2/nodes.py has it (the subset templates can produce). */

export type Expr =
  | { k: 'const'; line: number; value: unknown; float?: boolean }
  | { k: 'name'; line: number; name: string }
  | { k: 'tuple'; line: number; items: Expr[] }
  | { k: 'list'; line: number; items: Expr[] }
  | { k: 'dict'; line: number; pairs: Array<[Expr, Expr]> }
  | { k: 'getattr'; line: number; obj: Expr; attr: string }
  | { k: 'getitem'; line: number; obj: Expr; key: Expr }
  | { k: 'slice'; line: number; start: Expr | null; stop: Expr | null; step: Expr | null }
  | ({ k: 'call'; line: number; fn: Expr } & CallArgs)
  | ({ k: 'filter'; line: number; node: Expr | null; name: string } & CallArgs)
  | ({ k: 'test'; line: number; node: Expr; name: string } & CallArgs)
  | { k: 'condexpr'; line: number; test: Expr; expr1: Expr; expr2: Expr | null }
  | { k: 'and' | 'or'; line: number; left: Expr; right: Expr }
  | { k: 'not' | 'neg' | 'pos'; line: number; node: Expr }
  | { k: 'compare'; line: number; expr: Expr; ops: Array<[CompareOp, Expr]> }
  | { k: 'binop'; line: number; op: BinOp; left: Expr; right: Expr }
  | { k: 'concat'; line: number; items: Expr[] }
  /** `ns.attr` as an assignment target */
  | { k: 'nsref'; line: number; name: string; attr: string }

export type CompareOp = 'eq' | 'ne' | 'lt' | 'lteq' | 'gt' | 'gteq' | 'in' | 'notin'
export type BinOp = '+' | '-' | '*' | '/' | '//' | '%' | '**'

export interface CallArgs {
  args: Expr[]
  kwargs: Array<[string, Expr]>
  dynArgs: Expr | null
  dynKwargs: Expr | null
}

export interface MacroSig {
  params: string[]
  defaults: Expr[]
}

export type Stmt =
  | { k: 'output'; line: number; items: Array<Expr | { k: 'data'; line: number; text: string }> }
  | { k: 'if'; line: number; test: Expr; body: Stmt[]; else_: Stmt[] }
  | { k: 'for'; line: number; target: Expr; iter: Expr; body: Stmt[]; else_: Stmt[]; test: Expr | null; recursive: boolean }
  | { k: 'set'; line: number; target: Expr; expr: Expr }
  | { k: 'setblock'; line: number; target: Expr; filter: Expr | null; body: Stmt[] }
  | ({ k: 'macro'; line: number; name: string; body: Stmt[] } & MacroSig)
  | ({ k: 'callblock'; line: number; call: Expr; body: Stmt[] } & MacroSig)
  | { k: 'filterblock'; line: number; filter: Expr; body: Stmt[] }
  | { k: 'with'; line: number; targets: Expr[]; values: Expr[]; body: Stmt[] }
  | { k: 'block'; line: number; name: string; scoped: boolean; required: boolean; body: Stmt[] }
  | { k: 'extends'; line: number; template: Expr }
  | { k: 'include'; line: number; template: Expr; ignoreMissing: boolean; withContext: boolean }
  | { k: 'import'; line: number; template: Expr; target: string; withContext: boolean }
  | { k: 'fromimport'; line: number; template: Expr; names: Array<[string, string]>; withContext: boolean }
  | { k: 'scope'; line: number; body: Stmt[] }

export type DataNode = { k: 'data'; line: number; text: string }
