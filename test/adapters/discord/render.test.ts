import { describe, expect, it } from 'vitest';
import { renderModal } from '../../../adapters/discord/modal.js';
import { clip, escapeText, renderMessage } from '../../../adapters/discord/render.js';
import { message } from '../../../src/core/messages.js';

describe('Discord rendering', () => {
  it('escapes markdown and mention syntax typed by members', () => {
    expect(escapeText('**bold** _it_ `code` ||spoiler|| [link](http://x) <@123> <@&9> @everyone @here')).toBe(
      '\\*\\*bold\\*\\* \\_it\\_ \\`code\\` \\|\\|spoiler\\|\\| \\[link\\](http://x) \\<@123\\> \\<@&9\\> @\u200beveryone @\u200bhere',
    );
    expect(escapeText('# title\n> quote\n- item\n1. first\n-# small')).toBe('\\# title\n\\> quote\n\\- item\n1\\. first\n\\-# small');
  });

  it('pings only the users of mention blocks, never roles or everyone', () => {
    const out = renderMessage(message([{ type: 'mention', userIds: ['111111111111111111', 'not-an-id'], text: '@everyone look <@&5>' }, { type: 'text', text: 'hi <@222222222222222222>' }]));
    expect(out.content).toBe('<@111111111111111111> @\u200beveryone look \\<@&5\\>\n\nhi \\<@222222222222222222\\>');
    expect(out.allowed_mentions).toEqual({ parse: [], users: ['111111111111111111'], replied_user: false });
    expect(renderMessage(message([{ type: 'text', text: 'x' }])).allowed_mentions).toEqual({ parse: [], replied_user: false });
  });

  it('keeps text within 2,000 characters a message and 4,096 an embed description, with a note', () => {
    const short = renderMessage(message([{ type: 'text', text: 'a'.repeat(1990) }]));
    expect(short.embeds).toEqual([]);
    const medium = renderMessage(message([{ type: 'text', text: 'a'.repeat(3000) }]));
    expect(medium.embeds[0]!.description).toHaveLength(3000);
    const long = renderMessage(message([{ type: 'header', text: 'h'.repeat(300) }, { type: 'text', text: '*'.repeat(5000) }]));
    expect(long.embeds[0]!.title).toHaveLength(256);
    expect(long.embeds[0]!.description!.length).toBeLessThanOrEqual(4096);
    expect(long.embeds[0]!.description).toMatch(/\\\*\n… \(shortened to fit Discord\)$/);
    const mentions = renderMessage(message([{ type: 'header', text: 'x' }, { type: 'mention', userIds: ['1'], text: 'y'.repeat(2500) }]));
    expect(mentions.content.length).toBeLessThanOrEqual(2000);
    expect(clip('ab\\', 3, '')).toBe('ab\\');
    expect(clip('abc\\*', 4, '')).toBe('abc');
  });

  it('renders buttons five to a row, at most 25, labels within 80 characters', () => {
    const buttons = Array.from({ length: 30 }, (_, i) => ({ id: `choice:1:${i}`, label: `${i} ${'x'.repeat(100)}` }));
    const out = renderMessage(message([{ type: 'text', text: 'pick' }, { type: 'buttons', buttons }]));
    expect(out.components).toHaveLength(5);
    expect(out.components.every((r) => r.components.length === 5)).toBe(true);
    expect(out.components[0]!.components[0]).toMatchObject({ custom_id: 'choice:1:0', style: 2 });
    expect(out.components[0]!.components[0]!.label).toHaveLength(80);
  });

  it('renders tables as code blocks a backtick cannot break', () => {
    const out = renderMessage(message([{ type: 'table', columns: ['#', 'Member'], rows: [['1', 'a```b']] }]));
    expect(out.content).toBe('```\n#  Member\n1  aˋˋˋb\n```');
  });

  it('renders modals within 45-character titles and labels, with selects and checkboxes', () => {
    const modal = renderModal({
      id: 'review:1',
      title: 'A title that is far too long for a Discord modal window',
      submit: 'Send',
      intro: [{ type: 'text', text: 'The question' }],
      fields: [
        { type: 'select', id: 'c', label: 'Correctness (0-4)', required: true, options: ['0', '1', '2', '3', '4'].map((v) => ({ value: v, label: v })) },
        { type: 'text', id: 'f', label: 'Feedback', multiline: true, required: true, maxLength: 9000, initial: 'x'.repeat(5000) },
        { type: 'checkbox', id: 'best', label: 'Best answer' },
      ],
    });
    expect(modal.title).toHaveLength(45);
    expect(modal.components.map((c) => c.type)).toEqual([10, 18, 18, 18]);
    expect(modal.components[1]).toMatchObject({ label: 'Correctness (0-4)', component: { type: 3, custom_id: 'c', min_values: 1, max_values: 1 } });
    expect(modal.components[2]).toMatchObject({ component: { type: 4, style: 2, max_length: 4000 } });
    expect((modal.components[2] as { component: { value: string } }).component.value).toHaveLength(4000);
    expect(modal.components[3]).toMatchObject({ component: { type: 23, custom_id: 'best' } });
  });
});

describe('Discord code blocks', () => {
  it('shows the code of a prompt in a fenced block that backticks in the snippet cannot close', () => {
    const out = renderMessage(message([{ type: 'text', text: 'What does this print?' }, { type: 'code', text: 'const s = `a`;\n// ``` not a fence\nconsole.log(s);', language: 'js' }]));
    expect(out.content).toBe('What does this print?\n\n```js\nconst s = `a`;\n// ˋˋˋ not a fence\nconsole.log(s);\n```');
  });
});
