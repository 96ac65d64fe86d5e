/**
 * Items a scenario seeds into DynamoDB (`dynamodb:`): refused with their path before anything runs when they are not
 * items, and the check agrees with DynamoDB's own validation, dynalite's, on every value either refuses.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { attributeValueProblem } from '../../src/simulator/attribute-values.ts';
import { parseScenario, ScenarioError } from '../../src/simulator/scenario.ts';
import { DynamoDb, SeedError } from '../../src/simulator/services/dynamodb.ts';

const problems = (text: string): string[] => {
  try {
    parseScenario(text);
    return [];
  } catch (e) {
    expect(e).toBeInstanceOf(ScenarioError);
    return (e as ScenarioError).problems;
  }
};

describe('dynamodb seeds of a scenario', () => {
  it('says where each malformed item or value is, down to the nested value', () => {
    expect(problems('dynamodb:\n  things: [1, null, {}, {pk: 1}, {pk: {Q: x}}, {pk: {S: a}, v: {M: {x: {L: [{N: "1e"}]}}}}, {pk: {S: a}, "": {S: b}}]\n')).toEqual([
      "dynamodb.things[0]: must be an item: a mapping of attribute names to attribute values, in DynamoDB's low-level format",
      "dynamodb.things[1]: must be an item: a mapping of attribute names to attribute values, in DynamoDB's low-level format",
      "dynamodb.things[2]: must be an item: a mapping of attribute names to attribute values, in DynamoDB's low-level format",
      'dynamodb.things[3].pk: must be one attribute value: {S: "text"}, {N: "1"}, {B: "<base64>"}, {SS|NS|BS: [...]}, {M: {...}}, {L: [...]}, {BOOL: true} or {"NULL": true} (quoted: YAML reads NULL as null)',
      'dynamodb.things[4].pk: must be one attribute value: {S: "text"}, {N: "1"}, {B: "<base64>"}, {SS|NS|BS: [...]}, {M: {...}}, {L: [...]}, {BOOL: true} or {"NULL": true} (quoted: YAML reads NULL as null)',
      'dynamodb.things[5].v.M.x.L[0].N: must be a number written as a string ("42")',
      'dynamodb.things[6]: has an empty attribute name (YAML reads an unquoted NULL or ~ as null: quote it)',
    ]);
    expect(problems('dynamodb:\n  t2: []\n  "x/y": []\n')).toEqual(['dynamodb.t2: must be a DynamoDB table name: 3 to 255 of A-Z a-z 0-9 _ . -', 'dynamodb.x/y: must be a DynamoDB table name: 3 to 255 of A-Z a-z 0-9 _ . -']);
    expect(problems('dynamodb:\n  things: [{pk: {S: a}, n: {N: "-1.5e3"}, b: {B: "AAE="}, s: {SS: [a, b]}, l: {L: [{BOOL: true}, {"NULL": true}]}}]\n')).toEqual([]);
  });

  // Each value beside an `S` key, put by PutItem into dynalite as the simulator seeds it.
  const VALUES: unknown[] = [
    { S: '' }, { S: 'x' }, { S: 1 }, { N: '42' }, { N: '-0.5' }, { N: '1e3' }, { N: '1e' }, { N: 'x' }, { N: 42 }, { N: '' },
    { B: 'AAE=' }, { B: '*' }, { SS: ['a', 'b'] }, { SS: [] }, { SS: ['a', 'a'] }, { SS: 'a' }, { NS: ['1', '2'] }, { NS: ['1', 'x'] },
    { BS: ['AAE='] }, { BS: [] }, { BOOL: false }, { BOOL: 'true' }, { NULL: true }, { NULL: false }, { M: {} }, { M: { a: { S: 'b' } } },
    { M: { a: 1 } }, { M: [] }, { L: [] }, { L: [{ N: '1' }, { S: 'a' }] }, { L: [{ N: 'x' }] }, { L: {} }, { S: 'a', N: '1' }, {}, null, 'x',
  ];
  const ddbs: DynamoDb[] = [];
  afterAll(async () => Promise.all(ddbs.map((d) => d.close())));

  // dynalite takes the text "true" for a BOOL, which the check refuses: a state machine reads a BOOL as a JSON boolean.
  const STRICTER = new Set(['{"BOOL":"true"}']);

  it.each(VALUES.map((v) => [JSON.stringify(v), v]))('%s: refused by the check exactly when dynalite refuses it', async (text, value) => {
    const ddb = new DynamoDb({ things: ['pk'] });
    ddbs.push(ddb);
    ddb.seed('things', { pk: { S: 'k' }, v: value } as never);
    // A value dynalite cannot even read (null) throws a TypeError there: refused too, and never reaches it from a scenario.
    const refused = await ddb.storeSeeds().then(
      () => false,
      (e: unknown) => {
        if (value !== null) expect(e).toBeInstanceOf(SeedError);
        return true;
      },
    );
    expect(attributeValueProblem(value) !== undefined).toBe(refused || STRICTER.has(text));
    if (STRICTER.has(text)) expect(refused).toBe(false);
  });

  it('refuses maps and lists nested past 32 levels, as DynamoDB does', async () => {
    const nest = (n: number): unknown => (n === 0 ? { S: 'x' } : { L: [nest(n - 1)] });
    expect(attributeValueProblem(nest(31))).toBeUndefined();
    expect(attributeValueProblem(nest(32))?.[1]).toBe('nests deeper than 32 levels');
  });
});
