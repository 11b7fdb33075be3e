/** Slack payloads (shaped as the Events API and interactivity send them) through parse.ts. */
import { describe, expect, it } from 'vitest';
import { commandText, fromMrkdwn, parseBlockAction, parseMessageEvent, parseViewSubmission, type BlockActionsPayload, type MessageEventPayload } from '../../../adapters/slack/parse.js';

const envelope = { team_id: 'T0001', event_id: 'Ev0001', api_app_id: 'A0DOJO', type: 'event_callback' };
const parse = (event: Partial<MessageEventPayload>, bot = 'UBOT1') => parseMessageEvent(envelope, { channel: 'C0001', type: 'message', ...event } as MessageEventPayload, bot);

describe('Slack payload parsing', () => {
  it('takes a reply in a thread as a message whose thread ref is the parent message ref', () => {
    const event = parse({ user: 'UBOB', text: 'B-trees keep keys sorted &amp; balanced', ts: '1800000002.000200', thread_ts: '1800000001.000100' });
    expect(event).toMatchObject({
      type: 'message',
      deliveryId: 'Ev0001',
      team: { platform: 'slack', id: 'T0001' },
      channel: { id: 'C0001' },
      user: { id: 'UBOB' },
      thread: 'slack:T0001:C0001:1800000001.000100',
      message: 'slack:T0001:C0001:1800000002.000200',
      text: 'B-trees keep keys sorted & balanced',
    });
  });

  it('takes "also send to channel" replies, and ignores top-level messages, bots, itself and joins', () => {
    expect(parse({ subtype: 'thread_broadcast', user: 'UBOB', text: 'x', ts: '2.0', thread_ts: '1.0' })?.type).toBe('message');
    expect(parse({ user: 'UBOB', text: 'hello all', ts: '2.0' })).toBeUndefined();
    expect(parse({ user: 'UBOB', text: 'parent', ts: '1.0', thread_ts: '1.0' })).toBeUndefined();
    expect(parse({ bot_id: 'B9', user: 'UOTHERBOT', text: 'beep', ts: '2.0', thread_ts: '1.0' })).toBeUndefined();
    expect(parse({ subtype: 'bot_message', text: 'beep', ts: '2.0', thread_ts: '1.0' })).toBeUndefined();
    expect(parse({ user: 'UBOT1', text: 'my own', ts: '2.0', thread_ts: '1.0' })).toBeUndefined();
    expect(parse({ subtype: 'channel_join', user: 'UBOB', text: 'joined', ts: '2.0', thread_ts: '1.0' })).toBeUndefined();
  });

  it('takes an edit of a reply as message_edited, and ignores the parent changing when replies arrive', () => {
    const edited = parse({
      subtype: 'message_changed',
      hidden: true,
      ts: '3.0',
      message: { type: 'message', user: 'UBOB', text: 'fixed <https://use-the-index-luke.com|this>', ts: '2.0', thread_ts: '1.0' },
      previous_message: { type: 'message', user: 'UBOB', text: 'typo', ts: '2.0', thread_ts: '1.0' },
    });
    expect(edited).toMatchObject({ type: 'message_edited', message: 'slack:T0001:C0001:2.0', thread: 'slack:T0001:C0001:1.0', text: 'fixed this (https://use-the-index-luke.com)' });
    const parent = parse({ subtype: 'message_changed', hidden: true, ts: '3.0', message: { type: 'message', user: 'UBOT1', text: 'card', ts: '1.0', thread_ts: '1.0' } });
    expect(parent).toBeUndefined();
  });

  it('takes a deleted reply as message_deleted from its previous message', () => {
    const deleted = parse({ subtype: 'message_deleted', hidden: true, ts: '4.0', deleted_ts: '2.0', previous_message: { type: 'message', user: 'UBOB', text: 'gone', ts: '2.0', thread_ts: '1.0' } });
    expect(deleted).toMatchObject({ type: 'message_deleted', user: { id: 'UBOB' }, message: 'slack:T0001:C0001:2.0', thread: 'slack:T0001:C0001:1.0' });
    expect(parse({ subtype: 'message_deleted', hidden: true, ts: '4.0', deleted_ts: '2.0' })).toBeUndefined();
  });

  it('turns mrkdwn into what the member meant', () => {
    expect(fromMrkdwn('ask <@U123|ana> or <@U9> in <#C1|general>, cc <!here> &lt;3 &amp; <mailto:a@b.io|a@b.io>')).toBe('ask @ana or @U9 in #general, cc @here <3 & a@b.io');
    expect(commandText('mentor add <@UCY|cy> role:admin')).toBe('mentor add <@UCY|cy> role:admin');
    expect(commandText('season start "Q&amp;A &lt;1&gt;" until:2027-03-01')).toBe('season start "Q&A <1>" until:2027-03-01');
  });

  it('takes a click with its channel and message, and a click in a modal with the channel the modal remembers', () => {
    const base: BlockActionsPayload = { type: 'block_actions', team: { id: 'T0001' }, user: { id: 'UBOB', name: 'bob' }, actions: [{ action_id: 'choice:3:1' }] };
    expect(parseBlockAction({ ...base, channel: { id: 'C0001' }, container: { type: 'message', message_ts: '5.0' }, message: { ts: '5.0', thread_ts: '1.0' } })).toMatchObject({
      type: 'button',
      action: 'choice:3:1',
      channel: { id: 'C0001' },
      message: 'slack:T0001:C0001:5.0',
      user: { id: 'UBOB', name: 'bob' },
    });
    expect(parseBlockAction({ ...base, container: { type: 'view' }, view: { private_metadata: '{"c":"C0042"}' } })).toMatchObject({ channel: { id: 'C0042' } });
    expect(parseBlockAction({ ...base, channel: { id: 'C0001' }, container: { type: 'message', is_ephemeral: true, message_ts: '6.0' } })).not.toHaveProperty('message');
  });

  it('collects modal values by field id: text, select and checkbox', () => {
    const event = parseViewSubmission({
      type: 'view_submission',
      team: { id: 'T0001' },
      user: { id: 'UCY' },
      view: {
        callback_id: 'review:7',
        private_metadata: '{"c":"C0001","t":"1.0"}',
        state: {
          values: {
            clarity: { clarity: { type: 'static_select', selected_option: { value: '3' } } },
            feedback: { feedback: { type: 'plain_text_input', value: 'Good' } },
            empty: { empty: { type: 'plain_text_input', value: null } },
            best: { best: { type: 'checkboxes', selected_options: [{ value: 'true' }] } },
            other: { other: { type: 'checkboxes', selected_options: [] } },
          },
        },
      },
    });
    expect(event).toMatchObject({ type: 'modal_submit', modal: 'review:7', channel: { id: 'C0001' }, values: { clarity: '3', feedback: 'Good', empty: '', best: 'true', other: '' } });
  });
});
