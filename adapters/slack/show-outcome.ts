/**
 * Showing an Outcome to the person who caused it (the actor; posts the core decides go through the
 * outbox instead): a modal through views.open with their trigger (good for 3 seconds), a reply through
 * the response_url when Slack gave one, else posted (ephemeral with chat.postEphemeral, falling back to
 * a DM where the bot cannot post).
 */
import type { RespondFn } from '@slack/bolt';
import type { OutMessage } from '../../src/core/messages.js';
import type { OutFile, Outcome, Pictures, Reply } from '../../src/core/ports.js';
import type { Logger } from '../../src/log.js';
import type { SlackChat } from './chat.js';
import { slackErrorOf, toChatError } from './errors.js';
import { uploadImages } from './files.js';
import { encodeViewMeta } from './parse.js';
import { renderMessage, renderModal } from './render.js';
import type { Workspaces } from './workspaces.js';

export interface Target {
  teamId: string;
  channelId: string;
  userId: string;
  triggerId?: string;
  respond?: RespondFn;
  /** The thread the click or message happened in: channel replies go there. */
  threadTs?: string;
}

export class ActorReplies {
  constructor(
    private readonly workspaces: Workspaces,
    private readonly chat: SlackChat,
    private readonly log: Logger,
  ) {}

  async show(outcome: Outcome, target: Target): Promise<void> {
    if (outcome.modal) {
      const opened = await this.openModal(outcome, target);
      if (!opened) await this.reply({ text: 'That took a moment too long to open. Please try again.', visibility: 'ephemeral' }, target);
    }
    if (outcome.reply) await this.reply(outcome.reply, target);
    if (outcome.inChannel) await this.inChannel(outcome.inChannel, target);
    if (outcome.file) await this.upload(outcome.file, target);
    // After the words, never before: the picture is its own delivery.
    if (outcome.pictures) await this.pictures(outcome.pictures, target);
  }

  /**
   * The pictures that follow the reply (the stats chart): an ephemeral message cannot carry a file, so
   * they go into the person's direct messages with the bot, where only they see them. The reply said
   * they follow; when they cannot be drawn or sent, a short private line says so.
   */
  private async pictures(pictures: Pictures, target: Target): Promise<void> {
    const files = await pictures.images;
    if (files.length === 0) {
      await this.reply({ text: pictures.failed, visibility: 'ephemeral' }, target);
      return;
    }
    try {
      const channel = await this.chat.dmChannel({ platform: 'slack', id: target.teamId }, target.userId);
      await uploadImages(await this.workspaces.clientFor(target.teamId), channel, files);
    } catch (error) {
      const failure = toChatError(error, 'upload');
      this.log.warn({ err: failure, code: failure.code, teamId: target.teamId }, 'slack picture upload failed');
      await this.reply({ text: `I couldn't send your chart (${failure.code === 'missing_permissions' ? 'the app lacks the files:write scope' : 'Slack refused it'}); the numbers above say it all.`, visibility: 'ephemeral' }, target);
    }
  }

  /** A file for the actor only (the export's CSV): uploaded into their direct messages with the bot. */
  private async upload(file: OutFile, target: Target): Promise<void> {
    const team = { platform: 'slack' as const, id: target.teamId };
    try {
      const channel = await this.chat.dmChannel(team, target.userId);
      const client = await this.workspaces.clientFor(target.teamId);
      await client.filesUploadV2({ channel_id: channel, filename: file.name, title: file.name, content: file.content, initial_comment: 'Here is your export.' });
    } catch (error) {
      const failure = toChatError(error, 'upload');
      this.log.warn({ err: failure, code: failure.code, teamId: target.teamId }, 'slack file upload failed');
      await this.reply({ text: `I couldn't send the file (${failure.code === 'missing_permissions' ? 'the app lacks the files:write scope' : 'Slack refused it'}). Please try again later.`, visibility: 'ephemeral' }, target);
    }
  }

  private async openModal(outcome: Outcome, target: Target): Promise<boolean> {
    if (!outcome.modal || !target.triggerId) return false;
    const view = renderModal(outcome.modal, { privateMetadata: encodeViewMeta({ channel: target.channelId, threadTs: target.threadTs }) });
    try {
      const client = await this.workspaces.clientFor(target.teamId);
      await client.views.open({ trigger_id: target.triggerId, view });
      return true;
    } catch (error) {
      this.log.warn({ err: error, slackError: slackErrorOf(error), modal: outcome.modal.id }, 'slack views.open failed');
      return false;
    }
  }

  /**
   * A command's answer for the channel, as its in_channel response (Slack posts it, even where the bot
   * was not invited); when that fails, or there is no response_url, the person gets it privately.
   */
  private async inChannel(message: OutMessage, target: Target): Promise<void> {
    try {
      if (!target.respond) throw new Error('no response_url to answer in the channel with');
      await target.respond({ response_type: 'in_channel', replace_original: false, ...renderMessage(message) });
    } catch (error) {
      this.log.warn({ err: error, teamId: target.teamId }, 'slack in_channel response failed; showing it privately');
      const note = "I couldn't show this in the channel, so here it is just for you.";
      await this.reply({ text: `${note}\n${message.text}`, blocks: [{ type: 'text', text: note }, ...message.blocks], visibility: 'ephemeral' }, target);
    }
  }

  async reply(reply: Reply, target: Target): Promise<void> {
    const message: OutMessage = { text: reply.text, blocks: reply.blocks ?? [{ type: 'text', text: reply.text }] };
    const rendered = renderMessage(message);
    // Replies are for the actor alone (channel messages go through the outbox).
    try {
      if (target.respond) {
        await target.respond({ response_type: 'ephemeral', replace_original: false, ...rendered });
        return;
      }
      const client = await this.workspaces.clientFor(target.teamId);
      const thread = target.threadTs ? { thread_ts: target.threadTs } : {};
      await client.chat.postEphemeral({ channel: target.channelId, user: target.userId, ...rendered, ...thread });
    } catch (error) {
      const failure = toChatError(error, 'reply');
      this.log.warn({ err: failure, code: failure.code, teamId: target.teamId }, 'slack reply failed; sending it as a direct message');
      await this.chat.dm({ platform: 'slack', id: target.teamId }, target.userId, message);
    }
  }
}
