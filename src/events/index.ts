/**
 * Event wiring from the IR (DESIGN §5 as built): Scheduler schedules per workflow
 * (schedule.ts); one EventBridge rule per platform that hands every end of an
 * execution to the dispatcher (status-rule.ts); per workflow, the routes and tags
 * the dispatcher reads (routes.ts).
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-events-rule.html
 */
export { scheduleGroups, workflowSchedules, type ScheduleGroup } from './schedule.ts';
export { statusRule, ENDED_STATUSES } from './status-rule.ts';
export { workflowRoutes, machineTags, notifyTag, FAILURE_STATUSES, PLATFORM_TAG, DAG_TOPIC_TAG, type RouteValue } from './routes.ts';
export { checkRouteQuota, checkRuleQuotas, formatRuleSummary, RULES_PER_BUS, SSM_STANDARD_PARAMETERS, TARGETS_PER_RULE } from './quotas.ts';
export type { QuotaReport, RuleSummary } from './quotas.ts';
export { ruleName, EVENTS_ROLE_ARN, NOTIFICATION_TOPIC_ARN, SFN_SOURCE, SFN_STATUS_CHANGE } from './common.ts';
export { matchEventPattern, validateEventPattern, eventPatternLength, EVENT_PATTERN_MAX_LENGTH } from './pattern.ts';
export { applyInputTransformer, targetInput, readPath } from './transform.ts';
