/**
 * Literals, intervals and `CAST` types of user expressions, from the Spark
 * grammar's parse tree: each is rendered again by lakestep (strings
 * re-escaped, units and type names normalized), never copied from the input.
 * See https://spark.apache.org/docs/latest/sql-ref-literals.html and
 * https://spark.apache.org/docs/latest/sql-ref-datatypes.html
 */
import type { Token } from 'antlr4ng';
import type { ConstantContext, DataTypeContext, IntervalContext, IntervalValueContext, UnitToUnitIntervalContext } from 'dt-sql-parser/dist/lib/spark/SparkSqlParser.js';
import { EXPRESSION_TYPES, INTERVAL_UNITS } from './expression-functions.ts';
import { Fail, unexpected } from './expression-fail.ts';
import type { Expr } from './expression.ts';
import { L } from './grammar.ts';
import { sqlString } from './identifiers.ts';
import { stringValue } from './literal.ts';

const TYPED_LITERALS = new Set([L.KW_DATE, L.KW_TIMESTAMP, L.KW_TIMESTAMP_LTZ, L.KW_TIMESTAMP_NTZ]);
const SIZED_TYPES = new Set(['decimal', 'dec', 'numeric', 'varchar', 'char']);

/** A literal: NULL, a boolean, a number, a string, a typed or hex literal, an interval. */
export function constantExpr(ctx: ConstantContext): Expr {
  if (ctx.KW_NULL()) return { k: 'lit', text: 'NULL' };
  const bool = ctx.booleanValue();
  if (bool) return { k: 'lit', text: bool.start!.text!.toUpperCase() };
  const n = ctx.number();
  if (n) {
    const digits = n.getChild(n.getChildCount() - 1)!.getText();
    return n.MINUS() ? { k: 'unary', op: '-', e: { k: 'lit', text: digits } } : { k: 'lit', text: digits };
  }
  const interval = ctx.interval();
  if (interval) return { k: 'interval', text: intervalText(interval) };
  const strings = ctx.stringLit();
  if (strings.length > 1) throw unexpected(strings[1]!.start!);
  const value = stringValue(strings[0]!.start!.text!);
  const type = ctx.literalType()?.start;
  if (!type) return { k: 'str', prefix: '', value };
  if (TYPED_LITERALS.has(type.type)) return { k: 'str', prefix: type.text!.toUpperCase(), value };
  if (type.type === L.KW_BINARY_HEX) {
    if (!/^[0-9A-Fa-f]*$/.test(value)) throw new Fail("a hex literal X'…' holds only hex digits", type.start);
    return { k: 'hex', value };
  }
  if (type.type === L.KW_INTERVAL) throw new Fail('INTERVAL needs an amount and a unit, e.g. INTERVAL 7 DAYS', type.start);
  throw unexpected(strings[0]!.start!);
}

/** `INTERVAL 7 DAYS`, `INTERVAL '1' HOUR`, `INTERVAL 1 DAY 2 HOURS`, `INTERVAL '1 2' DAY TO HOUR`. */
function intervalText(ctx: IntervalContext): string {
  const parts: string[] = [];
  const multi = ctx.errorCapturingMultiUnitsInterval();
  if (multi) {
    const body = multi.multiUnitsInterval();
    for (const [i, v] of body.intervalValue().entries()) parts.push(`${amount(v, false)} ${unit(body.unitInMultiUnits(i)!.start!)}`);
    const extra = multi.unitToUnitInterval();
    if (extra) throw unexpected(extra.start!);
  } else {
    const fromTo = ctx.errorCapturingUnitToUnitInterval()!;
    const body = fromTo._body!;
    const extra = fromTo._error1 ?? fromTo._error2;
    if (extra) throw unexpected(extra.start!);
    parts.push(`${amount(body.intervalValue(), true)} ${unit(body.unitInUnitToUnit(0)!.start!)} TO ${unit(body.unitInUnitToUnit(1)!.start!)}`);
  }
  return `INTERVAL ${parts.join(' ')}`;
}

function amount(v: IntervalValueContext, fromTo: boolean): string {
  if (v.PLUS()) throw new Fail('an interval amount is a plain number', v.start!.start);
  const neg = v.MINUS() ? '-' : '';
  const s = v.stringLit();
  if (s) return neg + sqlString(stringValue(s.start!.text!));
  const t = v.stop!;
  if (fromTo) throw unexpected((v.parent as UnitToUnitIntervalContext).KW_TO().symbol);
  if (!/^\d+(\.\d+)?$/.test(t.text!)) throw new Fail('an interval amount is a plain number', t.start);
  return neg + t.text!;
}

function unit(t: Token): string {
  const u = t.text!.toUpperCase();
  if (!INTERVAL_UNITS.has(u)) throw new Fail(`an interval unit was expected (${[...INTERVAL_UNITS].join(', ')})`, t.start);
  return u;
}

/** A `CAST` target type: a scalar of the subset, sized `decimal(p, s)`/`varchar(n)`, `array<…>`, `map<…, …>`. */
export function dataTypeText(ctx: DataTypeContext): string {
  const complex = ctx._complex;
  if (complex?.type === L.KW_ARRAY) return `array<${dataTypeText(ctx.dataType(0)!)}>`;
  if (complex?.type === L.KW_MAP) return `map<${dataTypeText(ctx.dataType(0)!)}, ${dataTypeText(ctx.dataType(1)!)}>`;
  const t = ctx.start!;
  const name = t.text!.toLowerCase();
  const type = ctx.type();
  if (complex || !type || !EXPRESSION_TYPES.has(name)) throw new Fail(`a type was expected (${[...EXPRESSION_TYPES].join(', ')})`, t.start);
  if (name === 'array' || name === 'map') throw new Fail(`${name} needs element types: ${name}<…>`, t.stop + 1);
  const sizes = ctx.INTEGER_VALUE().map((n) => n.symbol.text!);
  if (ctx.LEFT_PAREN() === null) return name;
  if (!SIZED_TYPES.has(name)) throw new Fail('expected ")", found "("', ctx.LEFT_PAREN()!.symbol.start);
  if (sizes.length > 2) throw new Fail('expected ")", found ","', ctx.COMMA(1)!.symbol.start);
  if (!sizes.every((s) => /^\d{1,5}$/.test(s))) throw new Fail('type sizes are whole numbers', t.start);
  return `${name}(${sizes.join(', ')})`;
}
