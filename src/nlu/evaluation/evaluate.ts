import type { EscalationPolicy } from '../../handoff/escalation-policy.ts';
import type { EscalationReason } from '../../handoff/escalation-reason.ts';
import { NO_INTENT, type Classification, type IntentClassifier } from '../intent-classifier.ts';
import { classificationMetrics, ratio, type ClassificationMetrics } from './metrics.ts';
import type { TestCase } from './test-suite.ts';
import { outOfScopeScore } from './thresholds.ts';

/*
 * Runs test cases through the classifier and the host's escalation policy
 * and judges each against its expectations.
 *
 * The intent a case is judged on is the one the bot acts on, as the host
 * decides it: `None` (not understood) when the policy escalates the message
 * as out_of_scope or low_confidence, or when the top score is under
 * NLU_THRESHOLD (the bot asks to rephrase); otherwise the top intent. So
 * per-intent precision, recall and F1 count out-of-scope as its own class,
 * as CLINC150's protocol does; the top intent alone is reported as well.
 */

export interface EvaluationSettings {
  /** NLU_THRESHOLD: the top score a dialog needs to start. */
  nluThreshold: number;
  /** The host's escalation policy, built with the same settings as the host's. */
  policy: EscalationPolicy;
}

export interface CaseResult {
  suite?: string;
  text: string;
  /** Expected intent (`None`: out of scope). */
  expected: string;
  /** The intent the bot acts on (`None`: not understood). */
  predicted: string;
  top: { intent: string; score: number };
  outOfScope?: number;
  /** Set when the policy hands the message to a person before the dialogs (no dialog waiting). */
  escalation?: EscalationReason;
  expectedEscalate?: boolean;
  /** The case's entity expectations (name → values, [] for none), when it has some. */
  expectedEntities?: Record<string, string[]>;
  /** Entities the classifier found: name → values. */
  entities: Record<string, string[]>;
  /** Unmet expectations, in words; empty when the case passes. */
  problems: string[];
}

export interface EscalationSummary {
  /** Cases with an escalation expectation. */
  checked: number;
  correct: number;
  /** correct / checked (null when nothing was checked). */
  accuracy: number | null;
  /** Out-of-scope cases, and how many were escalated. */
  outOfScope: number;
  outOfScopeEscalated: number;
  /** Cases expected not to escalate, and how many were escalated anyway. */
  shouldStay: number;
  escalatedUnnecessarily: number;
}

export interface LocaleEvaluation {
  locale: string;
  cases: number;
  /** Judged on the intent the bot acts on, out-of-scope (`None`) as its own label. */
  metrics: ClassificationMetrics;
  /** In-scope cases whose top intent is right, whatever its score (null without in-scope cases). */
  topIntentAccuracy: number | null;
  escalation: EscalationSummary;
  entities: { checked: number; passed: number };
  results: CaseResult[];
  failures: CaseResult[];
}

/** The intent the bot acts on (see the module comment). */
export function actedOnIntent(nlu: Classification, escalation: EscalationReason | undefined, nluThreshold: number): string {
  if (escalation === 'out_of_scope' || escalation === 'low_confidence') return NO_INTENT;
  if (nlu.top.intent === NO_INTENT || nlu.top.score < nluThreshold) return NO_INTENT;
  return nlu.top.intent;
}

/** Classifies and judges one case. */
export async function runCase(
  classifier: IntentClassifier,
  locale: string,
  testCase: TestCase,
  settings: EvaluationSettings,
): Promise<CaseResult> {
  // Noon of the reference day, in the host's time zone as the recognizer counts days.
  const referenceDate = testCase.referenceDate === undefined ? undefined : new Date(`${testCase.referenceDate}T12:00:00`);
  const nlu = await classifier.classify(testCase.text, locale, referenceDate ? { referenceDate } : {});
  return judge(testCase, nlu, settings);
}

export async function runCases(
  classifier: IntentClassifier,
  locale: string,
  cases: readonly TestCase[],
  settings: EvaluationSettings,
): Promise<CaseResult[]> {
  const results: CaseResult[] = [];
  for (const testCase of cases) results.push(await runCase(classifier, locale, testCase, settings));
  return results;
}

/** Judges a classification against a case's expectations. */
export function judge(testCase: TestCase, nlu: Classification, settings: EvaluationSettings): CaseResult {
  const escalation = settings.policy.beforeDialogs({ nlu, dialogWaiting: false }, testCase.text)?.reason;
  const predicted = actedOnIntent(nlu, escalation, settings.nluThreshold);
  const found: Record<string, string[]> = {};
  for (const entity of nlu.entities) (found[entity.entity] ??= []).push(entity.value);

  const problems: string[] = [];
  if (predicted !== testCase.intent) problems.push(intentProblem(testCase.intent, predicted, nlu, escalation, settings));
  if (testCase.escalate !== undefined && testCase.escalate !== (escalation !== undefined)) {
    problems.push(
      testCase.escalate
        ? `escalate: expected a person, the bot kept it (top ${describeTop(nlu)})`
        : `escalate: expected the bot to keep it, escalated as ${escalation ?? ''} (top ${describeTop(nlu)})`,
    );
  }
  for (const [name, expected] of Object.entries(testCase.entities ?? {})) {
    const got = [...new Set(found[name] ?? [])].sort();
    if (got.join('\u0000') !== [...new Set(expected)].sort().join('\u0000')) {
      problems.push(`entity ${name}: expected ${listOrNone(expected)}, got ${listOrNone(got)}`);
    }
  }

  const result: CaseResult = {
    text: testCase.text,
    expected: testCase.intent,
    predicted,
    top: { intent: nlu.top.intent, score: nlu.top.score },
    entities: found,
    problems,
  };
  if (testCase.suite !== undefined) result.suite = testCase.suite;
  const outOfScope = outOfScopeScore(nlu);
  if (outOfScope !== undefined) result.outOfScope = outOfScope;
  if (escalation !== undefined) result.escalation = escalation;
  if (testCase.escalate !== undefined) result.expectedEscalate = testCase.escalate;
  if (testCase.entities !== undefined) result.expectedEntities = testCase.entities;
  return result;
}

function intentProblem(
  expected: string,
  predicted: string,
  nlu: Classification,
  escalation: EscalationReason | undefined,
  settings: EvaluationSettings,
): string {
  const head = `intent: expected ${outOfScopeName(expected)}, got ${outOfScopeName(predicted)}`;
  if (predicted !== NO_INTENT) return `${head} (${nlu.top.score.toFixed(2)})`;
  if (escalation === 'out_of_scope' || escalation === 'low_confidence') {
    return `${head} (escalated as ${escalation}; top ${describeTop(nlu)})`;
  }
  return `${head} (top ${describeTop(nlu)} is under NLU_THRESHOLD ${settings.nluThreshold}: the bot asks to rephrase)`;
}

const outOfScopeName = (label: string): string => (label === NO_INTENT ? 'out of scope' : label);
const describeTop = (nlu: Classification): string => `${nlu.top.intent} ${nlu.top.score.toFixed(2)}`;
const listOrNone = (values: readonly string[]): string => (values.length === 0 ? 'none' : values.join(', '));

/** Metrics and failures of one locale's results. */
export function summarize(locale: string, results: readonly CaseResult[], maxConfusions = 10): LocaleEvaluation {
  const metrics = classificationMetrics(
    results.map((result) => ({ expected: result.expected, predicted: result.predicted, text: result.text })),
    { maxConfusions },
  );
  const inScope = results.filter((result) => result.expected !== NO_INTENT);
  const checked = results.filter((result) => result.expectedEscalate !== undefined);
  const escalationCorrect = checked.filter((result) => result.expectedEscalate === (result.escalation !== undefined));
  const outOfScope = results.filter((result) => result.expected === NO_INTENT);
  const shouldStay = checked.filter((result) => result.expectedEscalate === false);
  const entityCases = results.filter((result) => result.expectedEntities !== undefined);
  return {
    locale,
    cases: results.length,
    metrics,
    topIntentAccuracy:
      inScope.length === 0 ? null : ratio(inScope.filter((result) => result.top.intent === result.expected).length, inScope.length),
    escalation: {
      checked: checked.length,
      correct: escalationCorrect.length,
      accuracy: checked.length === 0 ? null : escalationCorrect.length / checked.length,
      outOfScope: outOfScope.length,
      outOfScopeEscalated: outOfScope.filter((result) => result.escalation !== undefined).length,
      shouldStay: shouldStay.length,
      escalatedUnnecessarily: shouldStay.filter((result) => result.escalation !== undefined).length,
    },
    entities: {
      checked: entityCases.length,
      passed: entityCases.filter((result) => !result.problems.some((problem) => problem.startsWith('entity '))).length,
    },
    results: [...results],
    failures: results.filter((result) => result.problems.length > 0),
  };
}
