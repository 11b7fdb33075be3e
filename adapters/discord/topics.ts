/** Topic autocomplete: the topics of the built-in bank, read once at start. */
import type { APIApplicationCommandOptionChoice } from 'discord.js';

const MAX_CHOICES = 25;
const MAX_NAME = 100;

/** Every topic in the bank at `dir`, sorted; an unreadable bank gives none (autocomplete just stays empty). */
export async function loadTopics(dir: string): Promise<string[]> {
  // Loaded here only: a server reads its topics from the database (builtinTopics) and never loads the YAML parser.
  const { loadBank } = await import('../../src/bank/load.js');
  const bank = await loadBank(dir);
  return [...new Set(bank.questions.flatMap((q) => q.topics.map((t) => t.toLowerCase())))].sort();
}

/**
 * Up to 25 topics matching what was typed, prefix matches first. With `list`, the typed value is a
 * comma-separated list (schedule topics) and the last item is the one being completed.
 */
export function suggestTopics(topics: readonly string[], typed: string, list = false): APIApplicationCommandOptionChoice<string>[] {
  const cut = list ? typed.lastIndexOf(',') + 1 : 0;
  const head = typed.slice(0, cut);
  const query = typed.slice(cut).trim().toLowerCase();
  const already = new Set(head.split(',').map((t) => t.trim().toLowerCase()));
  const candidates = topics.filter((t) => !already.has(t));
  const ranked = [...candidates.filter((t) => t.startsWith(query)), ...candidates.filter((t) => !t.startsWith(query) && t.includes(query))];
  return ranked
    .map((t) => `${head.trim()}${t}`)
    .filter((value) => value.length <= MAX_NAME)
    .slice(0, MAX_CHOICES)
    .map((value) => ({ name: value, value }));
}
