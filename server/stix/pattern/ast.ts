// The parsed shape of a STIX pattern: observation expressions over comparison expressions.

export type PathStep = { readonly kind: 'property'; readonly name: string } | { readonly kind: 'index'; readonly index: number | '*' };

export interface ObjectPath {
  readonly objectType: string;
  readonly steps: readonly PathStep[];
}

export interface Literal {
  readonly kind: 'string' | 'int' | 'float' | 'bool' | 'timestamp' | 'hex' | 'binary';
  readonly value: string;
}

export type ComparisonOperator =
  | '=' | '!=' | '<' | '>' | '<=' | '>=' | 'IN' | 'LIKE' | 'MATCHES' | 'ISSUBSET' | 'ISSUPERSET';

export type ComparisonExpression =
  | { readonly kind: 'comparison'; readonly path: ObjectPath; readonly negated: boolean; readonly operator: ComparisonOperator; readonly value: Literal | readonly Literal[] }
  | { readonly kind: 'exists'; readonly path: ObjectPath }
  | { readonly kind: 'and' | 'or'; readonly left: ComparisonExpression; readonly right: ComparisonExpression };

export type Qualifier =
  | { readonly kind: 'within'; readonly seconds: number }
  | { readonly kind: 'repeats'; readonly times: number }
  | { readonly kind: 'start-stop'; readonly start: string; readonly stop: string };

export type ObservationExpression =
  | { readonly kind: 'observation'; readonly comparison: ComparisonExpression; readonly qualifiers: readonly Qualifier[] }
  | { readonly kind: 'group'; readonly inner: ObservationExpression; readonly qualifiers: readonly Qualifier[] }
  | { readonly kind: 'and' | 'or' | 'followedby'; readonly left: ObservationExpression; readonly right: ObservationExpression };
