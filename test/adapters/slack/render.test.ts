import { describe, expect, it } from 'vitest';
import { LIMITS, renderBlocks, renderMessage, renderModal, tableSections } from '../../../adapters/slack/render.js';
import { escape, fit, TRUNCATED_NOTE } from '../../../adapters/slack/text.js';
import { message, type Block } from '../../../src/core/messages.js';

const json = (value: unknown) => JSON.stringify(value);

describe('Slack rendering', () => {
  it('escapes &, < and > everywhere, so typed mentions and links ping nobody', () => {
    const evil = 'Ping <!channel> <!here> <!everyone> <@U123> <https://x.io|click> & more';
    const blocks: Block[] = [
      { type: 'header', text: evil },
      { type: 'text', text: evil },
      { type: 'fields', fields: [{ label: evil, value: evil }] },
      { type: 'list', items: [evil] },
      { type: 'table', columns: ['Member'], rows: [[evil]] },
      { type: 'quote', text: evil, author: evil },
      { type: 'context', text: evil },
      { type: 'buttons', buttons: [{ id: 'choice:1:0', label: evil }] },
      { type: 'mention', userIds: ['UALICE'], text: evil },
    ];
    const rendered = renderMessage({ text: evil, blocks });
    const all = json(rendered);
    for (const raw of ['<!channel>', '<!here>', '<!everyone>', '<@U123>', '<https://x.io|click>']) expect(all).not.toContain(raw);
    expect(all).toContain('&lt;!channel&gt;');
    expect(rendered.text).toBe(escape(evil));
    expect(escape('a & b')).toBe('a &amp; b');
  });

  it('pings only the users a mention block names, and only real user ids', () => {
    const [block] = renderBlocks([{ type: 'mention', userIds: ['UALICE', 'W12AB', '!channel', 'U1>x'], text: '2 answers wait' }]);
    expect(block).toMatchObject({ type: 'section', text: { type: 'mrkdwn' } });
    const text = (block as { text: { text: string } }).text.text;
    expect(text).toBe('<@UALICE> <@W12AB> @!channel @U1&gt;x 2 answers wait');
  });

  it('renders user text as plain text, so * _ ~ ` cannot format it', () => {
    const [block] = renderBlocks([{ type: 'text', text: '*not bold* _not italic_ ```not code```' }]);
    expect(block).toMatchObject({ type: 'section', text: { type: 'plain_text', text: '*not bold* _not italic_ ```not code```' } });
  });

  it('shortens an over-long answer within the section limit and says so', () => {
    const long = `${'word '.repeat(1000)}<end>`;
    const [quote] = renderBlocks([{ type: 'quote', text: long }]);
    const text = (quote as { text: { text: string } }).text.text;
    expect(text.length).toBeLessThanOrEqual(LIMITS.section);
    expect(text.endsWith(TRUNCATED_NOTE)).toBe(true);
    // Never cut inside an entity: each & starts a whole one.
    expect(fit('<'.repeat(1000), 100)).toMatch(/^(&lt;)+ …/);
    expect(fit('<'.repeat(1000), 100).length).toBeLessThanOrEqual(100);
  });

  it('renders a table as monospace code within the section limit, split when long', () => {
    const rows = Array.from({ length: 200 }, (_, i) => [String(i + 1), `member-${i} with a long name`, String(1000 - i)]);
    const sections = tableSections(['#', 'Member', 'Points'], rows);
    expect(sections.length).toBeGreaterThan(1);
    for (const s of sections) {
      expect(s.length).toBeLessThanOrEqual(LIMITS.section);
      expect(s.startsWith('```\n') && s.endsWith('\n```')).toBe(true);
    }
    expect(sections[0]).toContain('#    Member');
    expect(tableSections(['Member'], [['sneaky ``` fence']])[0]).not.toContain('sneaky ```');
  });

  it('keeps a message within 50 blocks, keeping its buttons', () => {
    const blocks: Block[] = [...Array.from({ length: 80 }, (_, i) => ({ type: 'text' as const, text: `line ${i}` })), { type: 'buttons', buttons: [{ id: 'choice:1:0', label: 'A' }] }];
    const out = renderBlocks(blocks);
    expect(out).toHaveLength(50);
    expect(out.at(-1)).toMatchObject({ type: 'actions' });
    expect(json(out)).toContain('more parts not shown');
  });

  it("uses the core's ids as action ids, unique within their block", () => {
    const [actions] = renderBlocks([{ type: 'buttons', buttons: [{ id: 'choice:9:0', label: 'A', style: 'primary' }, { id: 'choice:9:1', label: 'B' }, { id: 'choice:9:1', label: 'B again' }] }]);
    expect(actions).toMatchObject({ type: 'actions', elements: [{ action_id: 'choice:9:0', style: 'primary' }, { action_id: 'choice:9:1' }] });
    expect((actions as { elements: unknown[] }).elements).toHaveLength(2);
  });

  it('renders a modal with a title of at most 24 characters, intro, and typed inputs', () => {
    const view = renderModal(
      {
        id: 'review:41',
        title: 'Review the answer of a very long name',
        submit: 'Send review',
        intro: [{ type: 'quote', text: 'Use <!here> an index', author: 'bob' }],
        fields: [
          { type: 'select', id: 'clarity', label: 'Clarity', options: [{ value: '1', label: '1' }, { value: '2', label: '2' }], required: true, initial: '2' },
          { type: 'text', id: 'feedback', label: 'Feedback', multiline: true, maxLength: 9000 },
          { type: 'checkbox', id: 'best', label: 'Best answer' },
        ],
      },
      { privateMetadata: '{"c":"C1"}' },
    );
    expect(view.title.text.length).toBeLessThanOrEqual(24);
    expect(view.callback_id).toBe('review:41');
    expect(json(view.blocks)).toContain('&lt;!here&gt;');
    const inputs = view.blocks.filter((b) => b.type === 'input');
    expect(inputs).toMatchObject([
      { block_id: 'clarity', optional: false, element: { type: 'static_select', action_id: 'clarity', initial_option: { value: '2' } } },
      { block_id: 'feedback', optional: true, element: { type: 'plain_text_input', multiline: true, max_length: 3000 } },
      { block_id: 'best', optional: true, element: { type: 'checkboxes', options: [{ value: 'true' }] } },
    ]);
  });

  it('derives a short escaped fallback text for notifications', () => {
    const out = renderMessage(message([{ type: 'text', text: 'x'.repeat(10_000) }]));
    expect(out.text.length).toBeLessThanOrEqual(LIMITS.fallback);
  });

  it('shows the code of a prompt verbatim in a preformatted block: backticks, <@U1> and & stay as written', () => {
    const code = 'const t = `<@U1> & <!here>`;\nconsole.log(t);';
    const [block] = renderBlocks([{ type: 'code', text: code, language: 'js' }]);
    expect(block).toEqual({ type: 'rich_text', block_id: 'b0', elements: [{ type: 'rich_text_preformatted', elements: [{ type: 'text', text: code }] }] });
  });
});
