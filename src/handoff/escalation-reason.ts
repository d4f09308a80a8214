/** Why a conversation went to a person. Stable codes: clients and reports rely on them (shared/API.md). */
export const ESCALATION_REASONS = [
  'low_confidence',
  'out_of_scope',
  'customer_request',
  'negative_sentiment',
  'repeated_fallback',
  'dialog_request',
] as const;

export type EscalationReason = (typeof ESCALATION_REASONS)[number];
