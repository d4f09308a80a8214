import type { Entity } from '../intent-classifier.ts';

/**
 * One reading of each stretch of text: where entities overlap, the longer
 * one wins (`sam+a1001@mail.com` is an e-mail, not order A1001; a phone
 * number is not also a date), and on equal length the earlier in `entities`
 * (the caller lists the corpus's own regex and enum entities first: the bot
 * author's definitions beat the built-in ones). The result is in text order.
 */
export function withoutOverlaps(entities: readonly Entity[]): Entity[] {
  const ranked = entities
    .map((entity, index) => ({ entity, index }))
    .sort((a, b) => b.entity.end - b.entity.start - (a.entity.end - a.entity.start) || a.index - b.index);
  const kept: Entity[] = [];
  for (const { entity } of ranked) {
    if (kept.some((other) => entity.start < other.end && other.start < entity.end)) continue;
    kept.push(entity);
  }
  return kept.sort((a, b) => a.start - b.start);
}
