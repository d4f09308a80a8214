import type { WaterfallStepContext } from 'botbuilder-dialogs';

/**
 * A typed view of a waterfall's `step.values` (botbuilder types it as
 * `object`). The values are persisted with the dialog state, so keep them
 * JSON: strings, numbers, plain objects.
 */
export function stepValues<Values extends object>(step: WaterfallStepContext): Partial<Values> {
  // `object` is assignable to an all-optional type, so no assertion is needed.
  return step.values;
}
