import { describe, expect, it } from 'vitest';
import { blocksToText } from '../../src/core/messages.js';
import { promptBlocks, promptTitle } from '../../src/core/prompt.js';

const PROMPT = 'What does this query return?\n```sql\nSELECT count(*)\nFROM orders;\n```\nAssume the table is empty.';

describe('prompts with code', () => {
  it('turns a fenced snippet into a code block between the paragraphs around it', () => {
    expect(promptBlocks(PROMPT)).toEqual([
      { type: 'text', text: 'What does this query return?' },
      { type: 'code', text: 'SELECT count(*)\nFROM orders;', language: 'sql' },
      { type: 'text', text: 'Assume the table is empty.' },
    ]);
  });

  it('leaves a prompt without fences as one paragraph', () => {
    expect(promptBlocks('Why use an index?')).toEqual([{ type: 'text', text: 'Why use an index?' }]);
  });

  it('indents code in the plain-text view (the terminal playground) and leaves it out of titles', () => {
    expect(blocksToText(promptBlocks(PROMPT))).toBe('What does this query return?\n    SELECT count(*)\n    FROM orders;\nAssume the table is empty.');
    expect(promptTitle(PROMPT)).toBe('What does this query return? Assume the table is empty.');
  });
});
