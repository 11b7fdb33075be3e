/**
 * Pictures on Slack: files.uploadV2 (files.getUploadURLExternal, the upload, files.completeUploadExternal)
 * shares them into a conversation, under a message's thread when given, each with its alt text.
 */
import type { OutImage } from '../../src/core/messages.js';
import type { Workspaces } from './workspaces.js';

type Client = Awaited<ReturnType<Workspaces['clientFor']>>;

export async function uploadImages(client: Client, channel: string, files: OutImage[], options: { threadTs?: string; comment?: string } = {}): Promise<void> {
  if (files.length === 0) return;
  const uploads = files.map((f) => ({ file: Buffer.from(f.bytes), filename: f.name, title: f.name, alt_text: f.alt }));
  const comment = options.comment ? { initial_comment: options.comment } : {};
  if (options.threadTs) await client.filesUploadV2({ channel_id: channel, thread_ts: options.threadTs, file_uploads: uploads, ...comment });
  else await client.filesUploadV2({ channel_id: channel, file_uploads: uploads, ...comment });
}
