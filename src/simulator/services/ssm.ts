/**
 * Parameter Store behind `arn:aws:states:::aws-sdk:ssm:getParametersByPath`: the route
 * parameters the build's stacks create (manifest `routes`). Without `Recursive`, only the
 * parameters one level below the path, at most `MaxResults` (1–10, default 10) a page,
 * in name order, with a `NextToken` while more remain.
 * @see https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_GetParametersByPath.html
 */
import type { RouteDefinition } from '../../build/types.ts';
import { taskError } from '../errors.ts';
import { record, str, type TaskHandler } from './types.ts';

export const GET_PARAMETERS_BY_PATH = 'arn:aws:states:::aws-sdk:ssm:getParametersByPath';

export function ssmHandlers(parameters: ReadonlyMap<string, RouteDefinition>, region: string, account: string): Record<string, TaskHandler> {
  return {
    [GET_PARAMETERS_BY_PATH]: (call) => {
      const p = record(call.input);
      const path = str(p.Path) ?? '';
      const max = p.MaxResults === undefined ? 10 : Number(p.MaxResults);
      if (!path.startsWith('/')) throw taskError('Ssm.ValidationException', `Path ${path} must start with /`);
      if (!Number.isInteger(max) || max < 1 || max > 10) throw taskError('Ssm.ValidationException', `MaxResults ${String(p.MaxResults)} is not within 1–10`);
      const base = path.endsWith('/') ? path : `${path}/`;
      const recursive = p.Recursive === true;
      const names = [...parameters.keys()].filter((n) => n.startsWith(base) && (recursive || !n.slice(base.length).includes('/'))).sort();
      const from = p.NextToken === undefined ? 0 : Number(str(p.NextToken));
      if (!Number.isInteger(from) || from < 0) throw taskError('Ssm.InvalidNextToken', 'The specified token is not valid.');
      const page = names.slice(from, from + max);
      return {
        Parameters: page.map((name) => {
          const route = parameters.get(name)!;
          return { Name: name, Type: route.Type, Value: route.Value, Version: 1, ARN: `arn:aws:ssm:${region}:${account}:parameter${name}`, DataType: 'text' };
        }),
        ...(from + max < names.length ? { NextToken: String(from + max) } : {}),
      };
    },
  };
}
