/**
 * Constructs whose meaning differs between AWS Step Functions and the local interpreters
 * (`aws-local-stepfunctions`, moto), or that they cannot run. A compiled definition with
 * any of them may pass locally and fail on AWS, so the compiler must not emit them.
 * @see https://states-language.net/spec.html
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/state-choice.html
 */

export type HazardCode =
  /** `?` in a `StringMatches` pattern: a literal on AWS, one character in glob-based interpreters. */
  | 'STRING_MATCHES_QUESTION_MARK'
  /** `\` not followed by `*` or `\` in a `StringMatches` pattern: a runtime error on AWS. */
  | 'STRING_MATCHES_OPEN_ESCAPE'
  /** JSONata (`QueryLanguage` or a `{% … %}` string): ignored by aws-local-stepfunctions, unsupported by moto. */
  | 'JSONATA'
  /** Workflow variables (`Assign`): unsupported by moto. */
  | 'VARIABLES'
  /** `$$.State.*` / `$$.Task.*` in a field the interpreter library evaluates itself without them. */
  | 'CONTEXT_OUTSIDE_PAYLOAD'
  /** `$$.Task.Token` in a task that is not `.waitForTaskToken`: a runtime error on AWS. */
  | 'TASK_TOKEN_WITHOUT_CALLBACK';

export interface Hazard {
  code: HazardCode;
  /** State path, `Outer/Inner` for states inside Map item processors and Parallel branches. */
  state: string;
  message: string;
}

/** Fields holding paths the interpreter library evaluates with its own, smaller context object. */
const LIBRARY_PATH_FIELDS = ['InputPath', 'OutputPath', 'ItemsPath', 'ItemSelector', 'SecondsPath', 'TimestampPath', 'ErrorPath', 'CausePath'];

type Json = unknown;
type Obj = Record<string, Json>;

const isObj = (v: Json): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v: Json): string => JSON.stringify(v) ?? '';

/** Every hazard in `definition`, in state order. */
export function findHazards(definition: Json): Hazard[] {
  const hazards: Hazard[] = [];
  const add = (code: HazardCode, state: string, message: string): void => void hazards.push({ code, state, message });
  if (isObj(definition) && definition.QueryLanguage === 'JSONata') add('JSONATA', '(top level)', 'QueryLanguage is JSONata');
  const visitStates = (states: Json, prefix: string): void => {
    if (!isObj(states)) return;
    for (const [name, state] of Object.entries(states)) {
      if (!isObj(state)) continue;
      const at = prefix + name;
      if (state.QueryLanguage === 'JSONata' || /"\{%/.test(text(state))) add('JSONATA', at, 'uses JSONata');
      if ('Assign' in state) add('VARIABLES', at, 'assigns workflow variables');
      if (state.Type === 'Choice') checkChoice(state, at, add);
      for (const field of LIBRARY_PATH_FIELDS) {
        if (/\$\$\.(State|Task)\b/.test(text(state[field]))) add('CONTEXT_OUTSIDE_PAYLOAD', at, `${field} reads $$.State or $$.Task`);
      }
      if (state.Type === 'Task' && /\$\$\.Task\.Token/.test(text(state.Parameters)) && !String(state.Resource).endsWith('.waitForTaskToken')) {
        add('TASK_TOKEN_WITHOUT_CALLBACK', at, `$$.Task.Token in a ${String(state.Resource)} task`);
      }
      if (isObj(state.ItemProcessor)) visitStates(state.ItemProcessor.States, `${at}/`);
      if (isObj(state.Iterator)) visitStates(state.Iterator.States, `${at}/`);
      if (Array.isArray(state.Branches)) for (const b of state.Branches) if (isObj(b)) visitStates(b.States, `${at}/`);
    }
  };
  if (isObj(definition)) visitStates(definition.States, '');
  return hazards;
}

function checkChoice(state: Obj, at: string, add: (code: HazardCode, state: string, message: string) => void): void {
  const rules: Json[] = [...(Array.isArray(state.Choices) ? state.Choices : [])];
  while (rules.length) {
    const rule = rules.pop();
    if (!isObj(rule)) continue;
    for (const nested of [rule.And, rule.Or, rule.Not]) {
      if (Array.isArray(nested)) rules.push(...nested);
      else if (nested !== undefined) rules.push(nested);
    }
    if (/\$\$\.(State|Task)\b/.test(text(rule.Variable))) add('CONTEXT_OUTSIDE_PAYLOAD', at, 'a Choice rule reads $$.State or $$.Task');
    if (typeof rule.StringMatches !== 'string') continue;
    const pattern = rule.StringMatches;
    if (pattern.includes('?')) add('STRING_MATCHES_QUESTION_MARK', at, `StringMatches ${JSON.stringify(pattern)}: "?" is a literal in ASL, a wildcard in glob matchers`);
    if (pattern.replace(/\\[*\\]/g, '').includes('\\')) add('STRING_MATCHES_OPEN_ESCAPE', at, `StringMatches ${JSON.stringify(pattern)} has an open escape`);
  }
}
