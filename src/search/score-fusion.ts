// Hybrid ranking as a pure function: normalised score fusion of BM25 and cosine (reciprocal rank
// fusion did worse on paraphrases, where chance word matches win), then a server-level score and the
// learned use boost, then the top hits.
import type { RankingOptions } from './ranking-options.js';

export interface FusionInputs {
  /** Raw BM25 per tool (0 = no match). */
  lexical: Float64Array;
  /** Cosine per tool; absent when searching lexically. */
  semantic?: Float32Array | undefined;
  /** Server position of each tool. */
  serverOf: Uint32Array;
  serverCount: number;
  /** Per server: how much of its id the query names, in [0, 1]. */
  serverMention?: Float64Array | undefined;
  /** Per tool: whether the verb of its name is what the query asks for, 0 or 1. */
  actionMatch?: Float64Array | undefined;
  /** Per tool: the learned boost from recorded uses, in [0, 1]. */
  useBoost?: Float64Array | undefined;
}

export type FusionWeights = Pick<
  RankingOptions,
  | 'lexicalWeight'
  | 'semanticWeight'
  | 'serverWeight'
  | 'serverTopK'
  | 'serverMentionWeight'
  | 'actionWeight'
  | 'useWeight'
>;

/** The final score of every tool. */
export function fuseScores(inputs: FusionInputs, weights: FusionWeights): Float64Array {
  const count = inputs.lexical.length;
  const lexical = toMaxNormalised(inputs.lexical);
  const semantic = inputs.semantic ? toMeanMaxNormalised(inputs.semantic) : undefined;
  // Without vectors the lexical score is all there is: its weight must not shrink the scale.
  const lexicalWeight = semantic ? weights.lexicalWeight : 1;
  const fused = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    fused[i] = lexicalWeight * lexical[i]! + (semantic ? weights.semanticWeight * semantic[i]! : 0);
  }
  if (weights.actionWeight > 0 && inputs.actionMatch) {
    // Part of the fused score, so the server score below sees it: a server is relevant for the action asked.
    for (let i = 0; i < count; i++)
      fused[i]! += weights.actionWeight * inputs.actionMatch[i]! * (fused[i]! > 0 ? 1 : 0);
  }
  const final = Float64Array.from(fused);
  if (weights.serverWeight > 0) {
    const serverScores = toMaxNormalised(buildServerScores(fused, inputs, weights.serverTopK));
    for (let i = 0; i < count; i++) final[i]! += weights.serverWeight * serverScores[inputs.serverOf[i]!]!;
  }
  if (weights.serverMentionWeight > 0 && inputs.serverMention) {
    for (let i = 0; i < count; i++) {
      final[i]! += weights.serverMentionWeight * inputs.serverMention[inputs.serverOf[i]!]!;
    }
  }
  if (weights.useWeight > 0 && inputs.useBoost) {
    for (let i = 0; i < count; i++) final[i]! += weights.useWeight * inputs.useBoost[i]!;
  }
  return final;
}

/** Positions of the `limit` best scores above zero, best first (ties keep catalog order). */
export function selectTop(scores: Float64Array, limit: number): number[] {
  const top: number[] = [];
  for (let i = 0; i < scores.length; i++) {
    const score = scores[i]!;
    if (!(score > 0)) continue;
    if (top.length === limit && score <= scores[top[top.length - 1]!]!) continue;
    let at = top.length;
    while (at > 0 && scores[top[at - 1]!]! < score) at--;
    top.splice(at, 0, i);
    if (top.length > limit) top.pop();
  }
  return top;
}

/** Per server: the mean of its best `topK` fused tool scores (a server with a few strong tools is the topic). */
export function buildServerScores(fused: Float64Array, inputs: FusionInputs, topK: number): Float64Array {
  const best = Array.from({ length: inputs.serverCount }, () => [] as number[]);
  for (let i = 0; i < fused.length; i++) {
    const list = best[inputs.serverOf[i]!]!;
    list.push(fused[i]!);
    if (list.length > topK) {
      list.sort((a, b) => b - a);
      list.pop();
    }
  }
  // Divided by topK, not the list length: a server with one tool should not win on that one alone.
  return Float64Array.from(best, (list) => list.reduce((sum, score) => sum + score, 0) / Math.max(1, topK));
}

/** Scores divided by the largest, so the best is 1 (all zero stays zero). */
export function toMaxNormalised(scores: ArrayLike<number>): Float64Array {
  let max = 0;
  for (let i = 0; i < scores.length; i++) if (scores[i]! > max) max = scores[i]!;
  const normalised = new Float64Array(scores.length);
  if (max > 0) for (let i = 0; i < scores.length; i++) normalised[i] = Math.max(0, scores[i]! / max);
  return normalised;
}

/**
 * Cosines mapped so the catalog's mean is 0 and the best match 1 (below the mean: 0). Cosines of a
 * sentence encoder sit in a narrow band (0.1–0.6 here), so raw values would drown in the BM25 scale.
 */
export function toMeanMaxNormalised(scores: Float32Array): Float64Array {
  let max = -Infinity;
  let sum = 0;
  let present = 0;
  for (const score of scores) {
    if (Number.isNaN(score)) continue;
    sum += score;
    present++;
    if (score > max) max = score;
  }
  const normalised = new Float64Array(scores.length);
  if (present === 0) return normalised;
  const mean = sum / present;
  const span = max - mean;
  if (span <= 0) return normalised;
  for (let i = 0; i < scores.length; i++) {
    const score = scores[i]!;
    normalised[i] = Number.isNaN(score) ? 0 : Math.max(0, (score - mean) / span);
  }
  return normalised;
}
